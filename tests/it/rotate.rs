//! `eca-wizard rotate PROFILE` against the emulator: a new pair is staged, promoted, then proved
//! with a real token request (retried while it isn't accepted), the old one still works
//! (Rotated), the profile switches; an injected failure before the promotion leaves the old
//! pair the one in use and no staged pair behind; the org setting staged credentials need ends
//! as it was, also after SIGINT or a kill; a profile acts only on its own org.

use crate::common::{launch, temp};
use std::path::Path;
#[cfg(unix)] // the signal tests' helpers
use std::path::PathBuf;
#[cfg(unix)]
use std::process::Command;
use std::process::Output;
#[cfg(unix)]
use std::process::Stdio;

use crate::common::*;
use eca_wizard::emulator::Emulator;
use eca_wizard::emulator::org::DEMO_APP;

struct Setup {
    emulator: Emulator,
    home: temp::Folder,
    sf: temp::Folder,
    admin_token: String,
}

/// A client-credentials profile `sbs` of the demo app, saved by `connect`.
async fn setup(name: &str) -> Setup {
    let home = temp::folder(name);
    let (emulator, admin_token) = demo_org_with_sbs_profile(&home).await;
    Setup {
        emulator,
        home,
        sf: sf_dir("sf"),
        admin_token,
    }
}

/// `eca-wizard ARGS` with the setup's stand-in `sf` and home.
fn eca(s: &Setup, args: &[&str]) -> Output {
    run_with_sf(
        &s.sf,
        &s.emulator,
        &s.admin_token,
        "current",
        Some(&s.home),
        args,
    )
}

fn rotate(s: &Setup, extra: &[&str]) -> (Output, String) {
    let mut args = vec!["rotate", "sbs", "--target-org", "acme"];
    args.extend_from_slice(extra);
    let output = eca(s, &args);
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
    assert!(
        s.emulator.org().client_secret_in_rest_api,
        "the setting was on before and stays on"
    );
    // The profile's new secret is the one in the secrets file: status connects with it.
    let status = launch::wizard(&s.home)
        .args(["status", "sbs"])
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
}

#[tokio::test]
async fn a_failure_at_each_step_leaves_the_old_pair_in_use() {
    for (fragment, step) in [
        ("POST /services/data", "stage a new pair"),
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
    }
}

#[tokio::test]
async fn without_consent_the_setting_stays_off_and_nothing_rotates() {
    let s = setup("refused").await;
    let (output, said) = rotate(&s, &[]);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains("Left the setting off"), "{said}");
    assert!(!s.emulator.org().client_secret_in_rest_api);
    assert_eq!(profile_key(&s.home), KEY);

    // With consent the setting goes on for the rotation and off again.
    let (output, said) = rotate(&s, &["--allow-secret-access"]);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(
        said.contains("Turned on Allow access") && said.contains("off again, as it was"),
        "{said}"
    );
    assert!(!s.emulator.org().client_secret_in_rest_api);
}

/// The proof comes after the promotion (a staged pair doesn't sign in before it, in the
/// emulator as in the public rotation tools), and a refusal that may be passing is retried.
#[tokio::test]
async fn the_new_pair_is_proved_after_its_promotion_with_retries() {
    let s = setup("prove").await;
    s.emulator.set_client_secret_in_rest_api(true);
    s.emulator.fail_next("POST /services/oauth2/token");
    let (output, said) = rotate(&s, &[]);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(said.contains("isn't accepted yet"), "{said}");
    let app = s.emulator.app(DEMO_APP).unwrap();
    assert_eq!(profile_key(&s.home), app.consumer_key);
}

#[tokio::test]
async fn a_staged_pair_signs_in_only_once_promoted() {
    let s = setup("staged").await;
    s.emulator
        .edit_app(DEMO_APP, |app| {
            app.staged = Some(eca_wizard::emulator::org::Credentials {
                consumer_key: "3MVG9StagedButNotPromoted".into(),
                consumer_secret: "STAGED0SECRET".into(),
                id: "stagedid".into(),
                rotated: false,
            })
        })
        .unwrap();
    assert!(!works(&s.emulator, "3MVG9StagedButNotPromoted", "STAGED0SECRET").await);
}

/// A profile remembers the login it was first used with, and refuses another org's login
/// before anything is read from it or changed there.
#[tokio::test]
async fn a_profile_acts_only_on_its_own_org() {
    let s = setup("binding").await;
    s.emulator.set_client_secret_in_rest_api(true);
    let mut other_org = eca_wizard::emulator::Org::demo();
    other_org.org_id = eca_wizard::emulator::ids::org_id(2);
    let other = start_with(other_org, true);
    other.set_client_secret_in_rest_api(true);
    let other_token = admin_token(&other).await;
    let log = s.home.join("sf.log");
    let run = |args: &[&str], default: &str| {
        sf_command(&s.sf, &s.emulator, &s.admin_token, "current", Some(&s.home))
            .env("FAKE_SF_OTHER_ALIAS", "client-b")
            .env("FAKE_SF_OTHER_INSTANCE_URL", other.my_domain_url())
            .env("FAKE_SF_OTHER_TOKEN", &other_token)
            .env("FAKE_SF_OTHER_ORG_ID", eca_wizard::emulator::ids::org_id(2))
            .env("FAKE_SF_DEFAULT", default)
            .env("FAKE_SF_LOG", &log)
            .args(args)
            .output()
            .unwrap()
    };
    let said = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();
    let before = other.app(DEMO_APP).unwrap();

    // Named or by default, client B's login is refused for client A's profile.
    for args in [
        &["rotate", "sbs", "--target-org", "client-b"][..],
        &["rotate", "sbs"],
    ] {
        let output = run(args, "client-b");
        assert_eq!(
            output.status.code(),
            Some(1),
            "{} {} {}",
            said(&output),
            std::fs::read_to_string(s.home.join("profiles/sbs.toml")).unwrap_or_default(),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        let text = said(&output);
        assert!(
            text.contains("belongs to org 00D5g0000000001EAA")
                && text.contains(other.my_domain_url())
                && text.contains("Nothing was read or changed"),
            "{text}"
        );
    }
    let drift = run(&["status", "sbs", "--drift"], "client-b");
    assert_eq!(drift.status.code(), Some(1), "{}", said(&drift));
    assert!(said(&drift).contains("belongs to org"), "{}", said(&drift));
    assert_eq!(other.app(DEMO_APP).unwrap(), before, "B is untouched");
    assert!(
        other
            .request_log()
            .iter()
            .all(|e| !e.path.starts_with("/services/data")),
        "no request reached B's org"
    );

    // First used with A's login: remembered, then used without --target-org.
    let output = run(
        &["status", "sbs", "--drift", "--target-org", "acme"],
        "client-b",
    );
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        report.contains("against the recipe"),
        "{report}{}",
        said(&output)
    );
    let profile = std::fs::read_to_string(s.home.join("profiles/sbs.toml")).unwrap();
    assert!(profile.contains("target_org = \"acme\""), "{profile}");
    std::fs::remove_file(&log).ok();
    let output = run(&["rotate", "sbs"], "client-b");
    assert_eq!(output.status.code(), Some(0), "{}", said(&output));
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(
        calls.lines().all(|l| l.contains("--target-org acme")),
        "{calls}"
    );
    assert_ne!(profile_key(&s.home), KEY, "A's app rotated");
    assert_eq!(other.app(DEMO_APP).unwrap(), before, "B still untouched");
}

#[cfg(unix)]
fn marker_in(home: &Path) -> Option<PathBuf> {
    std::fs::read_dir(home)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains("restore-secret-setting-"))
}

/// Starts `rotate --allow-secret-access` and returns once the setting is on in the org.
#[cfg(unix)]
fn rotate_until_the_setting_is_on(s: &Setup) -> std::process::Child {
    until_the_setting_is_on(
        s,
        &[
            "rotate",
            "sbs",
            "--target-org",
            "acme",
            "--allow-secret-access",
        ],
    )
}

/// Starts `eca-wizard ARGS` and returns once the org setting is on and the marker is down.
#[cfg(unix)]
fn until_the_setting_is_on(s: &Setup, args: &[&str]) -> std::process::Child {
    let mut child = sf_command(&s.sf, &s.emulator, &s.admin_token, "current", Some(&s.home))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Up to a minute: on a loaded machine the child takes seconds to start and log in.
    for _ in 0..1200 {
        if marker_in(&s.home).is_some() && s.emulator.org().client_secret_in_rest_api {
            return child;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the setting never went on");
}

#[cfg(unix)]
#[tokio::test]
async fn sigint_while_the_setting_is_on_waits_for_it_to_be_off() {
    let s = setup("sigint").await;
    let child = rotate_until_the_setting_is_on(&s);
    interrupt_and_expect_the_setting_off(&s, child);
}

#[cfg(unix)]
#[tokio::test]
async fn after_a_kill_the_next_status_puts_the_setting_back() {
    let s = setup("kill").await;
    let mut child = rotate_until_the_setting_is_on(&s);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(s.emulator.org().client_secret_in_rest_api);
    assert!(marker_in(&s.home).is_some());
    // Every command names it; status puts it back with the same login.
    let recipes = eca(&s, &["recipes"]);
    assert!(
        String::from_utf8_lossy(&recipes.stderr)
            .contains("may still be on in org 00D5g0000000001EAA"),
        "{}",
        String::from_utf8_lossy(&recipes.stderr)
    );
    let output = eca(&s, &["status", "sbs"]);
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("off again in org"), "{said}");
    assert!(!s.emulator.org().client_secret_in_rest_api);
    assert!(marker_in(&s.home).is_none());
}

/// Apply's window too: SIGINT while it has the setting on to read a new app's secret ends with
/// the setting off, no marker, exit 130.
#[cfg(unix)]
#[tokio::test]
async fn sigint_while_apply_has_the_setting_on_waits_for_it_to_be_off() {
    let s = setup("apply-sigint").await;
    let child = until_the_setting_is_on(
        &s,
        &[
            "apply",
            "--recipe",
            "service-board-sync",
            "--target-org",
            "acme",
            "--name",
            "SBS_Sigint",
            "--run-as",
            eca_wizard::emulator::org::DEMO_INTEGRATION_USER,
            "--callback-url",
            "https://sync.example.com/oauth/callback",
            "--allow-secret-access",
        ],
    );
    interrupt_and_expect_the_setting_off(&s, child);
}

/// SIGINT to `child`, which has the setting on: it ends with 130, having said it waits, and
/// leaves the setting off and no marker.
#[cfg(unix)]
fn interrupt_and_expect_the_setting_off(s: &Setup, child: std::process::Child) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{said}");
    assert!(said.contains("SIGINT: stopping once"), "{said}");
    assert!(!s.emulator.org().client_secret_in_rest_api, "{said}");
    assert!(marker_in(&s.home).is_none(), "no marker left: {said}");
}

/// Once apply listened for signals to put the setting back, the OS no longer ends it on
/// SIGTERM: the connect that follows (here waiting out a long propagation) must still end on
/// it, at once.
#[cfg(unix)]
#[tokio::test]
async fn sigterm_ends_the_connect_after_apply_put_the_setting_back() {
    let s = setup("apply-sigterm").await;
    s.emulator
        .set_propagation_delay(std::time::Duration::from_secs(600));
    let logins = |s: &Setup| {
        s.emulator
            .request_log()
            .iter()
            .filter(|e| e.grant_type.as_deref() == Some("client_credentials"))
            .count()
    };
    let before = logins(&s);
    let mut child = sf_command(&s.sf, &s.emulator, &s.admin_token, "current", Some(&s.home))
        .args([
            "apply",
            "--recipe",
            "service-board-sync",
            "--target-org",
            "acme",
            "--name",
            "SBS_Sigterm",
            "--run-as",
            eca_wizard::emulator::org::DEMO_INTEGRATION_USER,
            "--callback-url",
            "https://sync.example.com/oauth/callback",
            "--allow-secret-access",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Connecting: a login with the new app, after the setting went back off.
    let mut connecting = false;
    for _ in 0..400 {
        if logins(&s) > before {
            connecting = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    if !connecting {
        let _ = child.kill();
        let _ = child.wait();
        panic!("apply never reached its connect");
    }
    assert!(!s.emulator.org().client_secret_in_rest_api);
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut ended = None;
    for _ in 0..100 {
        if let Some(code) = child.try_wait().unwrap() {
            ended = Some(code);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    if ended.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    let code = ended.expect("SIGTERM didn't end the connect within 5 s");
    assert!(!code.success(), "{code:?}");
}

/// `--json` tells a promoted pair Salesforce hasn't accepted yet (rotated: the app and the
/// profile have it) from a rotation that stopped before promotion (nothing changed).
#[tokio::test]
async fn json_tells_promoted_from_proved() {
    let s = setup("json").await;
    s.emulator.set_client_secret_in_rest_api(true);
    for _ in 0..20 {
        s.emulator.fail_next("POST /services/oauth2/token");
    }
    let (output, said) = rotate(&s, &["--json", "--wait", "1"]);
    assert_eq!(output.status.code(), Some(1), "{said}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["result"]["rotated"], true, "{json}");
    assert_eq!(json["result"]["proved"], false, "{json}");
    assert_ne!(profile_key(&s.home), KEY, "the profile has the new pair");

    let stopped = setup("json-stopped").await;
    let (output, said) = rotate(&stopped, &["--json"]);
    assert_eq!(output.status.code(), Some(1), "{said}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["result"]["rotated"], false, "{json}");
    assert_eq!(json["result"]["proved"], false, "{json}");
}
