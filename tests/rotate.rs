//! `eca-wizard rotate PROFILE` against the emulator: a new pair is staged, proved with a real
//! token request and promoted, the old one still works (Rotated), the profile switches; an
//! injected failure at each step leaves the old pair the one in use and no staged pair behind;
//! without consent the org setting staged credentials need stays off.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on purpose

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::*;
use eca_wizard::emulator::Emulator;
use eca_wizard::emulator::org::DEMO_APP;

struct Setup {
    emulator: Emulator,
    home: PathBuf,
    sf: PathBuf,
    admin_token: String,
}

/// A client-credentials profile `sbs` of the demo app, saved by `connect`.
async fn setup(name: &str) -> Setup {
    let emulator = start();
    // The recipe asks for the address and phone scopes too.
    emulator
        .edit_app(DEMO_APP, |app| {
            app.scopes.extend(["address".into(), "phone".into()])
        })
        .unwrap();
    let home = std::env::temp_dir().join(format!("eca-rotate-{name}-{}", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_eca-wizard"))
        .args([
            "connect",
            "--recipe",
            "service-board-sync",
            "--login-url",
            emulator.my_domain_url(),
            "--client-id",
            KEY,
            "--save",
            "sbs",
            "--api-name",
            DEMO_APP,
            "--secrets-file",
        ])
        .env("ECA_WIZARD_CLIENT_SECRET", SECRET)
        .env("ECA_WIZARD_HOME", &home)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let admin_token = admin_token(&emulator).await;
    Setup {
        emulator,
        home,
        sf: sf_dir(&format!("rotate-{name}")),
        admin_token,
    }
}

fn rotate(s: &Setup, extra: &[&str]) -> (Output, String) {
    let mut args = vec!["rotate", "sbs", "--target-org", "acme"];
    args.extend_from_slice(extra);
    let output = run_with_sf(
        &s.sf,
        &s.emulator,
        &s.admin_token,
        "current",
        Some(&s.home),
        &args,
    );
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output, said)
}

fn profile_key(home: &Path) -> String {
    let text = std::fs::read_to_string(home.join("profiles/sbs.toml")).unwrap();
    let profile: toml::Value = toml::from_str(&text).unwrap();
    profile["client_id"].as_str().unwrap().to_string()
}

async fn works(emulator: &Emulator, key: &str, secret: &str) -> bool {
    let answer = post_form(
        &token_url(emulator.my_domain_url()),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", key),
            ("client_secret", secret),
        ],
    )
    .await;
    answer.status == 200
}

fn cleanup(s: Setup) {
    let _ = std::fs::remove_dir_all(&s.home);
    let _ = std::fs::remove_dir_all(&s.sf);
}

#[tokio::test]
async fn rotation_promotes_a_proved_pair_and_the_old_one_keeps_working() {
    let s = setup("ok").await;
    s.emulator.set_client_secret_in_rest_api(true);
    let (output, said) = rotate(&s, &[]);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(
        said.contains("Rotated ECA_Wizard_Demo") && said.contains("30 days"),
        "{said}"
    );
    let app = s.emulator.app(DEMO_APP).unwrap();
    assert_ne!(app.consumer_key, KEY, "the new pair is the primary");
    assert_eq!(
        profile_key(&s.home),
        app.consumer_key,
        "the profile uses it"
    );
    assert!(works(&s.emulator, &app.consumer_key, &app.consumer_secret).await);
    let old = app.staged.as_ref().expect("the old pair is kept");
    assert!(old.rotated && old.consumer_key == KEY);
    assert!(
        works(&s.emulator, KEY, SECRET).await,
        "the old pair still works (Rotated)"
    );
    assert!(!said.contains(&app.consumer_secret) && !said.contains(&s.admin_token));
    // The profile's new secret is the one in the secrets file: status connects with it.
    let status = Command::new(env!("CARGO_BIN_EXE_eca-wizard"))
        .args(["status", "sbs"])
        .env("ECA_WIZARD_HOME", &s.home)
        .output()
        .unwrap();
    assert_eq!(
        status.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );

    // Again: the earlier old pair fills the staged slot and may still be in use somewhere.
    let (output, said) = rotate(&s, &[]);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains("--replace-staged"), "{said}");
    assert!(
        works(&s.emulator, KEY, SECRET).await,
        "nothing deleted without the flag"
    );
    let (output, said) = rotate(&s, &["--replace-staged"]);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(
        !works(&s.emulator, KEY, SECRET).await,
        "the first pair is gone now"
    );
    cleanup(s);
}

#[tokio::test]
async fn a_failure_at_each_step_leaves_the_old_pair_in_use() {
    for (fragment, step) in [
        ("POST /services/data", "stage a new pair"),
        ("POST /services/oauth2/token", "prove the new pair"),
        ("PATCH /services/data", "promote the new pair"),
    ] {
        let s = setup(&step.replace(' ', "-")).await;
        s.emulator.set_client_secret_in_rest_api(true);
        s.emulator.fail_next(fragment);
        let (output, said) = rotate(&s, &[]);
        assert_eq!(output.status.code(), Some(1), "{step}: {said}");
        assert!(
            said.contains(&format!("Rotation stopped at \"{step}\"")),
            "{said}"
        );
        assert!(said.contains("still the ones in use"), "{said}");
        assert_eq!(
            profile_key(&s.home),
            KEY,
            "{step}: the profile is unchanged"
        );
        assert!(
            works(&s.emulator, KEY, SECRET).await,
            "{step}: the old pair works"
        );
        let app = s.emulator.app(DEMO_APP).unwrap();
        assert_eq!(app.consumer_key, KEY, "{step}: nothing promoted");
        assert!(app.staged.is_none(), "{step}: no staged pair left behind");
        cleanup(s);
    }
}

#[tokio::test]
async fn without_consent_the_setting_stays_off_and_nothing_rotates() {
    let s = setup("refused").await;
    let (output, said) = rotate(&s, &[]);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains("Left the setting as it is"), "{said}");
    assert!(!s.emulator.org().client_secret_in_rest_api);
    assert_eq!(profile_key(&s.home), KEY);

    // With consent the setting goes on for the rotation and off again.
    let (output, said) = rotate(&s, &["--allow-secret-access"]);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(
        said.contains("Turned the setting on") && said.contains("Turned it off again"),
        "{said}"
    );
    assert!(!s.emulator.org().client_secret_in_rest_api);
    cleanup(s);
}
