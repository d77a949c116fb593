//! `export`: no masked value is written as an assignment into a pipe; a format the profile
//! can't serve is refused with the one that works; postman, sf-jwt and mcp carry the profile's
//! own values.

use std::path::Path;
use std::process::{Output, Stdio};

use crate::common::*;

fn home(name: &str) -> crate::common::temp::Folder {
    crate::common::temp::folder(&format!("export-{name}"))
}

fn export(home: &Path, args: &[&str]) -> Output {
    crate::common::launch::wizard(home)
        .arg("export")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A profile saved as `name` in `home` with `recipe`'s flow, written as `connect --save` does.
fn write_profile(home: &Path, name: &str, recipe: &str, flow: &str, extra: &str) {
    let dir = home.join("profiles");
    std::fs::create_dir_all(&dir).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(home, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let text = format!(
        "format = 1\nname = \"{name}\"\nrecipe = \"{recipe}\"\nflow = \"{flow}\"\nlogin_url = \"https://acme.my.salesforce.com\"\ninstance_url = \"https://acme.my.salesforce.com\"\nclient_id = \"{KEY}\"\nusername = \"ci@acme.example\"\norg_id = \"00D5g0000000001EAA\"\n{extra}secrets = \"keychain\"\n"
    );
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

#[tokio::test]
async fn a_pipe_gets_no_masked_assignment_and_formats_fit_the_profile() {
    let home = home("cc");
    let (_emulator, _) = demo_org_with_sbs_profile(&home).await;
    for format in ["env", "json", "postman"] {
        let output = export(&home, &["sbs", "--format", format]);
        let text = stdout(&output);
        assert_eq!(output.status.code(), Some(0), "{format}: {text}");
        assert!(
            !text.contains("********") && !text.contains(SECRET),
            "{format}: {text}"
        );
    }
    let env = stdout(&export(&home, &["sbs", "--format", "env"]));
    assert!(
        env.contains("# SF_CLIENT_SECRET is left out") && !env.contains("SF_CLIENT_SECRET="),
        "{env}"
    );
    let postman: serde_json::Value = serde_json::from_str(&stdout(&export(
        &home,
        &["sbs", "--format", "postman", "--reveal"],
    )))
    .unwrap();
    assert_eq!(postman["_postman_variable_scope"], "environment");
    let values = postman["values"].as_array().unwrap();
    let value = |key: &str| values.iter().find(|v| v["key"] == key).unwrap().clone();
    assert_eq!(value("client_id")["value"], KEY);
    assert_eq!(value("client_secret")["value"], SECRET);
    assert_eq!(value("client_secret")["type"], "secret");
    assert!(
        value("token_url")["value"]
            .as_str()
            .unwrap()
            .ends_with("/services/oauth2/token")
    );

    // Client credentials: no refresh token, so no sfdx-url; the refusal names what works.
    let output = export(
        &home,
        &["sbs", "--format", "sfdx-url", "--reveal", "--json"],
    );
    let refused = contract::envelope(&output.stdout, output.status.code());
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(refused["error"]["kind"], "unsupported_format");
    assert!(
        refused["error"]["fix"]
            .as_str()
            .unwrap()
            .contains("--format env"),
        "{refused}"
    );
    let output = export(&home, &["sbs", "--format", "sf-jwt"]);
    assert_eq!(output.status.code(), Some(2));
    let output = export(&home, &["sbs", "--format", "mcp"]);
    assert_eq!(output.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(home);
}

#[test]
fn sf_jwt_and_mcp_are_filled_with_the_profile_values() {
    let home = home("filled");
    let _ = std::fs::remove_dir_all(&home);
    write_profile(
        &home,
        "ci",
        "sf-cli-ci",
        "jwt-bearer",
        "private_key_path = \"/keys/my server.key\"\n",
    );
    let line = stdout(&export(&home, &["ci", "--format", "sf-jwt"]));
    assert_eq!(
        line.trim(),
        format!(
            "sf org login jwt --client-id {KEY} --jwt-key-file '/keys/my server.key' --username ci@acme.example --instance-url https://acme.my.salesforce.com --alias ci"
        )
    );
    // An auth-code profile can't log in with a JWT: refused, pointing at sfdx-url.
    write_profile(&home, "web", "apideck", "auth-code", "");
    let output = export(&home, &["web", "--format", "sf-jwt"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--format sfdx-url"));
    // Without --reveal, an sfdx-url into a pipe is refused rather than written masked.
    let output = export(&home, &["web", "--format", "sfdx-url"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).is_empty());
    // With --reveal, a refresh token that was never stored isn't written as stars: refused.
    write_profile(&home, "bare", "apideck", "auth-code", "");
    let bare = home.join("profiles/bare.toml");
    let text = std::fs::read_to_string(&bare).unwrap();
    let secrets = home.join("secrets.toml");
    let store = format!("secrets = {{ file = {:?} }}", secrets.display().to_string());
    std::fs::write(&bare, text.replace("secrets = \"keychain\"", &store)).unwrap();
    let output = export(&home, &["bare", "--format", "sfdx-url", "--reveal"]);
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{said}");
    assert!(said.contains("no refresh token stored"), "{said}");
    assert!(!stdout(&output).contains("********"));

    let server = "https://api.salesforce.com/platform/mcp/v1/platform/sobject-reads";
    let mcp_url =
        format!("mcp_url = \"{server}\"\ncallback_urls = [\"http://localhost:38000/callback\"]\n");
    write_profile(&home, "cursor", "mcp-cursor", "auth-code", &mcp_url);
    let config: serde_json::Value =
        serde_json::from_str(&stdout(&export(&home, &["cursor", "--format", "mcp"]))).unwrap();
    assert_eq!(config["mcpServers"]["salesforce"]["url"], server);
    assert_eq!(config["mcpServers"]["salesforce"]["auth"]["CLIENT_ID"], KEY);
    write_profile(&home, "code", "mcp-claude-code", "auth-code", &mcp_url);
    let line = stdout(&export(&home, &["code", "--format", "mcp"]));
    assert_eq!(
        line.trim(),
        format!(
            "claude mcp add --transport http --client-id {KEY} --callback-port 38000 salesforce {server}"
        )
    );
    write_profile(&home, "claude", "mcp-claude", "auth-code", &mcp_url);
    let text = stdout(&export(&home, &["claude", "--format", "mcp"]));
    assert!(
        text.contains(KEY) && text.contains(server) && !text.contains("CONSUMER_KEY"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(home);
}
