//! The real Salesforce CLI (`tests/sfcli/`, `npm ci`) logged in to the emulator with
//! `sf org login access-token`, then used by `eca-wizard apply --target-org`: the session
//! comes from the CLI's own `org display` and `org auth show-access-token`, not a stand-in.
//!
//! `.ci/run` installs the CLI and sets `ECA_REQUIRE_SF_CLI=1`, so in CI a missing install fails
//! this test instead of skipping it.

use crate::common::{launch, temp};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::*;
use eca_wizard::emulator::Emulator;
use eca_wizard::emulator::org::DEMO_INTEGRATION_USER;

/// The folder holding the CLI's `sf`, or None (after saying so) when it isn't installed.
fn cli_bin() -> Option<PathBuf> {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sfcli/node_modules/.bin");
    if bin.join("sf").is_file() {
        return Some(bin);
    }
    assert!(
        std::env::var_os("ECA_REQUIRE_SF_CLI").is_none(),
        "the Salesforce CLI is not installed: run `npm ci` in tests/sfcli"
    );
    eprintln!("skipped: the Salesforce CLI is not installed (npm ci in tests/sfcli)");
    None
}

/// `command` with the CLI first on PATH and every file it writes under `home`.
fn with_cli(mut command: Command, bin: &Path, home: &Path) -> Command {
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    command
        .env("PATH", path)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("ECA_WIZARD_HOME", home.join("eca"))
        .env("SF_DISABLE_TELEMETRY", "true")
        .env("SF_AUTOUPDATE_DISABLE", "true")
        .env("SF_SKIP_NEW_VERSION_CHECK", "true")
        .env("SF_USE_GENERIC_UNIX_KEYCHAIN", "true")
        .stdin(std::process::Stdio::null());
    command
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

async fn login(bin: &Path, home: &Path, emulator: &Emulator, token: &str) -> Output {
    let mut command = with_cli(Command::new(bin.join("sf")), bin, home);
    command
        .args(["org", "login", "access-token", "--no-prompt", "--json"])
        .args(["--instance-url", emulator.my_domain_url(), "--alias", "emu"])
        .env("SF_ACCESS_TOKEN", token);
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn apply_takes_its_session_from_the_real_cli_logged_in_to_the_emulator() {
    let Some(bin) = cli_bin() else { return };
    // A production org: it refuses deploys that skip tests (NoTestRun), as real ones do.
    let mut org = eca_wizard::emulator::Org::demo();
    org.org_type = eca_wizard::emulator::org::OrgType::Production;
    let emulator = eca_wizard::emulator::Emulator::start(eca_wizard::emulator::Config {
        org,
        ..eca_wizard::emulator::Config::default()
    })
    .unwrap();
    let token = admin_token(&emulator).await;
    let home = temp::created("sf-cli");

    let output = login(&bin, &home, &emulator, &token).await;
    assert!(
        output.status.success(),
        "sf org login access-token: {}",
        text(&output)
    );
    // What the reference says of CLIs since mid-2026: the login's answer hides the token.
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["result"]["username"], "admin@eca-wizard.demo");
    assert!(!text(&output).contains(&token));
    let mut command = with_cli(launch::wizard(&home.join("eca")), &bin, &home);
    command.args([
        "apply",
        "--recipe",
        "service-board-sync",
        "--target-org",
        "emu",
        "--name",
        "SBS_By_Real_CLI",
        "--run-as",
        DEMO_INTEGRATION_USER,
        "--callback-url",
        "https://sync.example.com/oauth/callback",
        "--allow-secret-access",
        "--save",
        "sbs-real-cli",
        "--secrets-file",
    ]);
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(
        said.contains("Session: the Salesforce CLI's login emu"),
        "{said}"
    );
    // The token came from `sf org auth show-access-token`, not the pre-2.136.8 fallback.
    assert!(!said.contains("predates"), "{said}");
    assert!(said.contains("as admin@eca-wizard.demo"), "{said}");
    assert!(said.contains("Deployed SBS_By_Real_CLI"), "{said}");
    assert!(said.contains("saved profile sbs-real-cli"), "{said}");
    assert!(!said.contains(&token), "the admin's token is never printed");
    let app = emulator
        .app("SBS_By_Real_CLI")
        .expect("the app is in the org");
    assert!(!said.contains(&app.consumer_secret));
    assert!(
        !emulator.org().client_secret_in_rest_api,
        "the setting is off again"
    );

    // The profile remembers the login it was made with, so drift needs no --target-org.
    let profile =
        std::fs::read_to_string(home.join("eca/profiles/sbs-real-cli.toml")).unwrap_or_default();
    assert!(profile.contains("target_org = \"emu\""), "{profile}");
    // The same CLI login reads the live app for drift, also as the CLI's default org (what
    // the wizard offers "Set it up for me" with).
    let mut config = with_cli(Command::new(bin.join("sf")), &bin, &home);
    config.args(["config", "set", "target-org", "emu", "--global", "--json"]);
    let output = tokio::task::spawn_blocking(move || config.output().unwrap())
        .await
        .unwrap();
    assert!(output.status.success(), "sf config set: {}", text(&output));
    let mut command = with_cli(launch::wizard(&home.join("eca")), &bin, &home);
    command.args(["status", "sbs-real-cli", "--drift"]);
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(text(&output).contains("no drift"), "{}", text(&output));
}
