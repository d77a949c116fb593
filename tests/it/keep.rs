//! Keeping connections: `connect --save`, `status`, `export`, `logout` against the emulator,
//! with profiles in a temporary ECA_WIZARD_HOME and secrets in the consented file.

use std::path::Path;

use crate::common::launch::{connecting as wizard, output as run};
use crate::common::ports::free_port;
use crate::common::temp::folder as home;
use crate::common::*;
use eca_wizard::emulator::Emulator;
use eca_wizard::emulator::org::{DEMO_BROWSER_USER, DEMO_INTEGRATION_USER};
use eca_wizard::secret::Secret;

async fn save_cc(emulator: &Emulator, home: &Path, name: &str) {
    let mut command = wizard(home);
    command.args([
        "connect",
        "--login-url",
        emulator.my_domain_url(),
        "--client-id",
        KEY,
        "--flow",
        "client-credentials",
        "--recipe",
        "aptedge",
        "--save",
        name,
    ]);
    let out = run(command).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn save_code_flow(emulator: &Emulator, home: &Path, name: &str, port: u16) {
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.callback_urls
                .push(format!("http://localhost:{port}/callback"))
        })
        .unwrap();
    let mut command = wizard(home);
    command.args([
        "connect",
        "--login-url",
        emulator.login_url(),
        "--client-id",
        KEY,
        "--callback-port",
        &port.to_string(),
        "--callback-url",
        &format!("http://localhost:{port}/callback"),
        "--save",
        name,
    ]);
    let out = run(command).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn status(home: &Path, name: &str) -> (i32, serde_json::Value) {
    let mut command = wizard(home);
    command.args(["status", name, "--json"]);
    let out = run(command).await;
    let json = contract::result(&out.stdout, out.status.code());
    (out.status.code().unwrap(), json[0].clone())
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if entry.path().is_dir() {
            all.extend(files_under(&entry.path()));
        } else {
            all.push(std::fs::read_to_string(entry.path()).unwrap_or_default());
        }
    }
    all
}

#[tokio::test]
async fn status_reports_healthy_and_broken_connections_with_the_fix() {
    let emulator = start();
    let home = home("status");
    save_cc(&emulator, &home, "acme").await;
    let (code, healthy) = status(&home, "acme").await;
    assert_eq!(code, 0, "{healthy}");
    assert_eq!(healthy["ok"], true);
    assert_eq!(healthy["profile"], "acme");

    emulator
        .edit_user(DEMO_INTEGRATION_USER, |u| {
            u.objects.remove("CaseComment");
        })
        .unwrap();
    let (code, missing) = status(&home, "acme").await;
    assert_eq!(code, 1);
    assert_eq!(missing["diagnosis"]["step"], "permissions", "{missing}");

    emulator
        .edit_app("ECA_Wizard_Demo", |app| app.client_credentials = false)
        .unwrap();
    let (code, disabled) = status(&home, "acme").await;
    assert_eq!(code, 1);
    assert_eq!(
        disabled["diagnosis"]["setting"], "Enable Client Credentials Flow",
        "{disabled}"
    );

    // Only the file the user consented to holds the secret.
    let profile_file = std::fs::read_to_string(home.join("profiles/acme.toml")).unwrap();
    assert!(!profile_file.contains(SECRET));
    let holders = files_under(&home)
        .into_iter()
        .filter(|text| text.contains(SECRET))
        .count();
    assert_eq!(holders, 1);
}

#[tokio::test]
async fn a_revoked_refresh_token_needs_a_new_login() {
    let port = free_port();
    let emulator = start();
    let home = home("revoked");
    save_code_flow(&emulator, &home, "web", port).await;
    let (code, healthy) = status(&home, "web").await;
    assert_eq!(code, 0, "{healthy}");
    let secrets: toml::Table =
        toml::from_str(&std::fs::read_to_string(home.join("secrets.toml")).unwrap()).unwrap();
    let refresh = secrets["web"]["refresh-token"]
        .as_str()
        .unwrap()
        .to_string();
    eca_wizard::oauth::OAuthClient::new(emulator.login_url(), KEY, None)
        .unwrap()
        .revoke(&Secret::new(refresh))
        .await
        .unwrap();
    let (code, revoked) = status(&home, "web").await;
    assert_eq!(code, 1);
    assert_eq!(revoked["diagnosis"]["kind"], "user-action", "{revoked}");
    let mut text = wizard(&home);
    text.args(["status", "--all"]);
    let out = run(text).await;
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("--save web"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[tokio::test]
async fn export_round_trips_through_an_sfdx_url() {
    let port = free_port();
    let emulator = start();
    let home = home("export");
    save_code_flow(&emulator, &home, "web", port).await;
    let mut command = wizard(&home);
    command.args(["export", "web", "--format", "sfdx-url", "--reveal"]);
    let out = run(command).await;
    let url = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let rest = url.strip_prefix("force://").unwrap();
    let (credentials, instance) = rest.rsplit_once('@').unwrap();
    let mut parts = credentials.splitn(3, ':');
    let (client_id, secret, refresh) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    assert_eq!(client_id, KEY);
    assert_eq!(secret, SECRET);
    assert!(refresh.starts_with("5Aep"));
    assert_eq!(format!("http://{instance}"), emulator.my_domain_url());
    // The refresh token it carries works.
    assert_eq!(
        refresh_grant(&token_url(emulator.my_domain_url()), refresh, Some(SECRET))
            .await
            .status,
        200
    );

    let mut masked = wizard(&home);
    masked.args(["export", "web", "--format", "env"]);
    let text = String::from_utf8(run(masked).await.stdout).unwrap();
    // Into a pipe: no masked value written as an assignment, a comment instead.
    assert!(
        text.contains("# SF_CLIENT_SECRET is left out")
            && !text.contains("SF_CLIENT_SECRET=")
            && !text.contains("********")
            && !text.contains(SECRET),
        "{text}"
    );
    let mut json = wizard(&home);
    json.args(["export", "web", "--format", "json", "--reveal"]);
    let value: serde_json::Value = serde_json::from_slice(&run(json).await.stdout).unwrap();
    assert_eq!(value["client_secret"], SECRET);
    assert_eq!(value["username"], DEMO_BROWSER_USER);
}

#[tokio::test]
async fn logout_revokes_and_leaves_nothing_behind() {
    let port = free_port();
    let emulator = start();
    let home = home("logout");
    save_code_flow(&emulator, &home, "web", port).await;
    let secrets: toml::Table =
        toml::from_str(&std::fs::read_to_string(home.join("secrets.toml")).unwrap()).unwrap();
    let refresh = secrets["web"]["refresh-token"]
        .as_str()
        .unwrap()
        .to_string();
    let mut command = wizard(&home);
    command.args(["logout", "web"]);
    let out = run(command).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("revoked the refresh token"));
    refresh_grant(&token_url(emulator.my_domain_url()), &refresh, Some(SECRET))
        .await
        .assert_oauth_error(eca_wizard::salesforce::oauth_errors::EXPIRED_TOKEN);
    assert!(
        files_under(&home).is_empty(),
        "nothing on disk: {:?}",
        files_under(&home)
    );

    // An already revoked token is said so and is not an error.
    save_cc(&emulator, &home, "cc").await;
    let secrets: toml::Table =
        toml::from_str(&std::fs::read_to_string(home.join("secrets.toml")).unwrap()).unwrap();
    let access = secrets["cc"]["access-token"].as_str().unwrap().to_string();
    eca_wizard::oauth::OAuthClient::new(emulator.my_domain_url(), KEY, None)
        .unwrap()
        .revoke(&Secret::new(access))
        .await
        .unwrap();
    let mut again = wizard(&home);
    again.args(["logout", "cc"]);
    let out = run(again).await;
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("already revoked"));
    let mut missing = wizard(&home);
    missing.args(["logout", "cc"]);
    assert_eq!(run(missing).await.status.code(), Some(2));
}

#[tokio::test]
async fn logout_keeps_everything_when_salesforce_is_unreachable() {
    let emulator = start();
    let home = home("offline");
    save_cc(&emulator, &home, "cc").await;
    emulator.shutdown();
    let mut command = wizard(&home);
    command.args(["logout", "cc"]);
    let out = run(command).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was deleted"));
    assert!(home.join("profiles/cc.toml").is_file());
}

#[tokio::test]
async fn metadata_takes_the_run_as_user_from_a_profile() {
    let emulator = start();
    let home = home("metadata");
    save_cc(&emulator, &home, "cc").await;
    let out_dir = home.join("project");
    let mut command = wizard(&home);
    command
        .args([
            "metadata",
            "--recipe",
            "service-board-sync",
            "--from",
            "cc",
            "--out",
        ])
        .arg(&out_dir);
    let out = run(command).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let policy = std::fs::read_to_string(out_dir.join("force-app/main/default/extlClntAppOauthPolicies/Service_Board_Sync_oauthPlcy.ecaOauthPlcy-meta.xml")).unwrap();
    assert!(
        policy.contains(&format!(
            "<clientCredentialsFlowUser>{DEMO_INTEGRATION_USER}</clientCredentialsFlowUser>"
        )),
        "{policy}"
    );
}

#[tokio::test]
async fn a_profile_keeps_what_the_admin_typed_and_metadata_from_uses_it() {
    // The wizard hands the typed callback URLs, API name and label to the profile.
    let emulator = start();
    let home = home("typed");
    save_cc(&emulator, &home, "cc").await;
    let file = home.join("profiles/cc.toml");
    let mut profile: toml::Table =
        toml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(profile["format"].as_integer(), Some(3));
    profile.insert("api_name".into(), "Acme_Board".into());
    profile.insert("app_name".into(), "Acme Board".into());
    profile.insert(
        "callback_urls".into(),
        toml::Value::Array(vec!["https://board.acme.com/oauth".into()]),
    );
    std::fs::write(&file, toml::to_string(&profile).unwrap()).unwrap();
    let out_dir = home.join("project");
    let mut command = wizard(&home);
    command
        .args([
            "metadata",
            "--recipe",
            "service-board-sync",
            "--from",
            "cc",
            "--out",
        ])
        .arg(&out_dir);
    let out = run(command).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let app = std::fs::read_to_string(
        out_dir.join("force-app/main/default/externalClientApps/Acme_Board.eca-meta.xml"),
    )
    .unwrap();
    assert!(app.contains("<label>Acme Board</label>"), "{app}");
    let global = std::fs::read_to_string(out_dir.join(
        "force-app/main/default/extlClntAppGlobalOauthSets/Acme_Board_glbloauth.ecaGlblOauth-meta.xml",
    ))
    .unwrap();
    assert!(global.contains("https://board.acme.com/oauth"), "{global}");
}
