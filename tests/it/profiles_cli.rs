//! `profiles` (offline list), `token` (a working access token, refreshed when the stored one
//! is refused) and `logout --local` (forget without revoking), as a script runs them.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use crate::common::*;

fn home(name: &str) -> crate::common::temp::Folder {
    crate::common::temp::folder(&format!("profiles-{name}"))
}

fn eca(home: &Path, args: &[&str]) -> Output {
    crate::common::launch::wizard(home)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

async fn eca_async(home: &Path, args: &[&str]) -> Output {
    let (home, args): (PathBuf, Vec<String>) = (
        home.to_path_buf(),
        args.iter().map(|a| a.to_string()).collect(),
    );
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        eca(&home, &args)
    })
    .await
    .unwrap()
}

/// The stored access token of `sbs`, from the owner-only secrets file.
fn stored_token(home: &Path) -> String {
    let text = std::fs::read_to_string(home.join("secrets.toml")).unwrap();
    let all: toml::Value = toml::from_str(&text).unwrap();
    all["sbs"]["access-token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn profiles_lists_offline_and_logout_local_forgets() {
    let home = home("list");
    let (emulator, _) = demo_org_with_sbs_profile(&home).await;
    emulator.shutdown();
    let output = eca_async(&home, &["profiles", "--json"]).await;
    let list = contract::result(&output.stdout, output.status.code());
    let sbs = &list[0];
    assert_eq!(sbs["name"], "sbs");
    assert_eq!(sbs["recipe"], "service-board-sync");
    assert_eq!(sbs["flow"], "client-credentials");
    assert_eq!(sbs["host"], "127.0.0.1");
    assert!(sbs["org_id"].as_str().unwrap().starts_with("00D"), "{sbs}");
    assert_eq!(sbs["last_verified"]["ok"], true);
    assert!(sbs["last_verified"]["at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(sbs["secrets_store"]["kind"], "file");
    let text = eca_async(&home, &["profiles"]).await;
    let said = String::from_utf8_lossy(&text.stdout);
    assert!(
        said.contains("sbs") && said.contains("secrets in"),
        "{said}"
    );
    assert!(!said.contains(SECRET) && !said.contains(&stored_token(&home)));

    // The org is gone: forget the profile without revoking, without asking in a script.
    let output = eca_async(&home, &["logout", "sbs", "--local", "--yes"]).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("not revoked at Salesforce (--local)")
    );
    let output = eca_async(&home, &["profiles", "--json"]).await;
    assert_eq!(
        contract::result(&output.stdout, Some(0)),
        serde_json::json!([])
    );
    assert!(!home.join("secrets.toml").exists(), "its secrets went too");
    let _ = std::fs::remove_dir_all(home);
}

#[tokio::test]
async fn token_prints_a_working_token_and_refreshes_a_refused_one() {
    let home = home("token");
    let (emulator, _) = demo_org_with_sbs_profile(&home).await;
    let stored = stored_token(&home);
    // Still taken: the stored token, nothing refreshed.
    let output = eca_async(&home, &["token", "sbs", "--json"]).await;
    let answer = contract::result(&output.stdout, output.status.code());
    assert_eq!(answer["access_token"], stored.as_str());
    assert_eq!(answer["refreshed"], false);
    assert!(
        output.stderr.is_empty(),
        "nothing on stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );

    // Refused (revoked at Salesforce): a new one, kept for next time.
    let revoked = post_form(
        &format!("{}/services/oauth2/revoke", emulator.my_domain_url()),
        &[("token", &stored)],
    )
    .await;
    assert_eq!(revoked.status, 200, "{}", revoked.body);
    let output = eca_async(&home, &["token", "sbs"]).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8(output.stdout).unwrap();
    assert_eq!(printed.lines().count(), 1, "the token alone: {printed}");
    let fresh = printed.trim();
    assert_ne!(fresh, stored);
    assert_eq!(stored_token(&home), fresh, "kept");
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains(fresh),
        "never on stderr"
    );
    let _ = std::fs::remove_dir_all(home);
}
