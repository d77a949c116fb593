//! jsforce, a real Salesforce client, runs unchanged against the emulator: client credentials
//! and refresh logins, identity, userinfo, API versions, describe, limits and a query.
//!
//! `.ci/run` installs jsforce (`tests/jsforce/`, `npm ci`) and sets `ECA_REQUIRE_JSFORCE=1`, so
//! in CI a missing install fails this test instead of skipping it.

use std::path::Path;
use std::process::Command;

use crate::common::*;

#[tokio::test]
async fn jsforce_logs_in_and_reads_through_the_emulator() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/jsforce");
    if !dir.join("node_modules/jsforce").is_dir() {
        assert!(
            std::env::var_os("ECA_REQUIRE_JSFORCE").is_none(),
            "jsforce is not installed: run `npm ci` in tests/jsforce"
        );
        eprintln!("skipped: jsforce not installed (npm ci in tests/jsforce)");
        return;
    }
    let emulator = start();
    let refresh = code_flow(&emulator, None).await["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    let config = serde_json::json!({
        "login_url": emulator.login_url(),
        "my_domain_url": emulator.my_domain_url(),
        "client_id": KEY,
        "client_secret": SECRET,
        "redirect_uri": CALLBACK,
        "refresh_token": refresh,
    });
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg("check.mjs")
            .arg(config.to_string())
            .current_dir(dir)
            .output()
    })
    .await
    .unwrap()
    .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "jsforce failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let seen: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON line");
    assert_eq!(
        seen["client_credentials"]["instance_url"],
        emulator.my_domain_url()
    );
    // Client credentials run as the API-only user; the refresh token is the browser user's.
    for (label, user) in [
        ("client_credentials_reads", "integration@eca-wizard.demo"),
        ("refresh_reads", "connector@eca-wizard.demo"),
    ] {
        let reads = &seen[label];
        assert_eq!(reads["username"], user, "{seen}");
        assert_eq!(reads["userinfo_username"], user);
        assert_eq!(reads["describe"], "Case");
        assert_eq!(
            reads["limits"], "INSUFFICIENT_ACCESS",
            "/limits needs View Setup: {seen}"
        );
        assert_eq!(reads["query_total"], 1);
        assert!(reads["versions"].as_u64().unwrap() > 30);
    }
    assert_eq!(seen["auto_refresh"]["describe"], "Case");
    assert_eq!(seen["revoked"], true);
    let log = emulator.request_log();
    assert!(
        log.iter()
            .any(|e| e.grant_type.as_deref() == Some("refresh_token") && e.status == 200)
    );
    assert_eq!(
        log.iter()
            .filter(|e| e.path == "/services/oauth2/revoke" && e.status == 200)
            .count(),
        2
    );
    let after = seen["refresh_after_revoke"].as_str().unwrap();
    assert!(after.contains("expired access/refresh token"), "{after}");
}
