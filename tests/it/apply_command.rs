//! `eca-wizard apply` as an admin runs it: the session from a stand-in `sf` on PATH (printing the
//! Salesforce CLI's documented JSON, in the current and the pre-2.136.8 form) or a token on
//! stdin; `--dry-run` validates and changes nothing; apply deploys the recipe's app; refused
//! metadata is reported per component. The token is never printed.

use std::io::Write;
use std::process::{Output, Stdio};

use crate::common::ports::wizard_ports;
use crate::common::*;
use eca_wizard::emulator::Emulator;
use eca_wizard::emulator::org::DEMO_INTEGRATION_USER;

fn apply(
    dir: &std::path::Path,
    emulator: &Emulator,
    token: &str,
    mode: &str,
    args: &[&str],
) -> Output {
    let mut all = vec!["apply"];
    all.extend_from_slice(args);
    run_with_sf(dir, emulator, token, mode, None, &all)
}

const SBS: &[&str] = &[
    "--recipe",
    "service-board-sync",
    "--target-org",
    "acme",
    "--name",
    "SBS_Applied",
    "--run-as",
    DEMO_INTEGRATION_USER,
    "--callback-url",
    "https://sync.example.com/oauth/callback",
];

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn count(emulator: &Emulator, name: &str) -> usize {
    emulator
        .org()
        .apps
        .iter()
        .filter(|a| a.api_name == name)
        .count()
}

#[tokio::test]
async fn dry_run_changes_nothing_then_apply_deploys_and_again_is_a_no_op_plan() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let dir = sf_dir("current");

    let mut dry = SBS.to_vec();
    dry.push("--dry-run");
    let output = apply(&dir, &emulator, &token, "current", &dry);
    let said = text(&output);
    assert!(
        said.contains("isn't in the org: the deploy creates it"),
        "{said}"
    );
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(
        said.contains("Would deploy") && said.contains("Validated"),
        "{said}"
    );
    assert!(
        said.contains("externalClientApps/SBS_Applied.eca"),
        "the plan lists it: {said}"
    );
    assert!(said.contains("as admin@acme.example"), "{said}");
    assert_eq!(
        count(&emulator, "SBS_Applied"),
        0,
        "a dry run changes nothing"
    );

    let output = apply(&dir, &emulator, &token, "current", SBS);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(said.contains("Deployed SBS_Applied"), "{said}");
    assert!(
        said.contains("eca-wizard connect --recipe service-board-sync"),
        "{said}"
    );
    assert_eq!(count(&emulator, "SBS_Applied"), 1);
    let app = emulator.app("SBS_Applied").unwrap();
    assert_eq!(app.policies.run_as.as_deref(), Some(DEMO_INTEGRATION_USER));
    // The existing Run As user gets the app's permission set (the checklist's permissions step).
    assert!(
        said.contains("Assigned SBS_Applied_Integration to integration@eca-wizard.demo"),
        "{said}"
    );
    let user = emulator.org().user(DEMO_INTEGRATION_USER).cloned().unwrap();
    assert!(
        user.permission_sets
            .contains(&"SBS_Applied_Integration".to_string())
    );

    // Again: a no-op plan. The app exists, nothing a query reads changes, and the check-only
    // deploy finds every component unchanged (what SOQL can't read included), so nothing is
    // deployed: one POST, the check.
    let deploys = |emulator: &Emulator| {
        emulator
            .request_log()
            .iter()
            .filter(|e| e.method == "POST" && e.path.ends_with("/metadata/deployRequest"))
            .count()
    };
    let before = deploys(&emulator);
    let output = apply(&dir, &emulator, &token, "current", SBS);
    let again_said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{again_said}");
    assert!(again_said.contains("is in the org already"), "{again_said}");
    assert!(
        again_said.contains("No change in the settings a query can read"),
        "{again_said}"
    );
    assert!(
        again_said.contains("No change: the org holds every component as the recipe deploys it"),
        "{again_said}"
    );
    assert!(!again_said.contains("Deployed SBS_Applied"), "{again_said}");
    assert!(
        again_said.contains("has SBS_Applied_Integration already"),
        "assigned once: {again_said}"
    );
    assert_eq!(deploys(&emulator), before + 1, "only the check-only deploy");
    assert_eq!(count(&emulator, "SBS_Applied"), 1);
    let again = emulator.app("SBS_Applied").unwrap();
    assert_eq!(again, app, "the app is as it was");

    // A dry run of the same says it would change nothing.
    let output = apply(&dir, &emulator, &token, "current", &dry);
    assert!(
        text(&output).contains("would succeed (6 components) and change nothing"),
        "{}",
        text(&output)
    );

    // A callback URL, which no query reads, is still seen as a change: the check names the
    // global OAuth settings, then the deploy updates the same app, which keeps its key.
    let mut moved = SBS.to_vec();
    let at = moved.iter().position(|a| *a == "--callback-url").unwrap() + 1;
    moved[at] = "https://sync.example.com/oauth/moved";
    let before = deploys(&emulator);
    let output = apply(&dir, &emulator, &token, "current", &moved);
    let moved_said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{moved_said}");
    assert!(
        moved_said
            .contains("Changes: extlClntAppGlobalOauthSets/SBS_Applied_glbloauth.ecaGlblOauth"),
        "{moved_said}"
    );
    assert!(moved_said.contains("Deployed SBS_Applied"), "{moved_said}");
    assert_eq!(deploys(&emulator), before + 2, "the check, then the deploy");
    let moved_app = emulator.app("SBS_Applied").unwrap();
    assert_eq!(
        moved_app.callback_urls,
        ["https://sync.example.com/oauth/moved"]
    );
    assert_eq!(moved_app.consumer_key, app.consumer_key);
    assert_eq!(count(&emulator, "SBS_Applied"), 1);
    assert!(!said.contains(&token), "the token is never printed");
}

/// An org that requires PKCE for every app keeps an app's Require PKCE on whatever the deploy
/// says: apply reads that first, says so once, and deploys it on, so a second apply finds
/// nothing to change instead of deploying again every time.
#[tokio::test]
async fn an_org_wide_pkce_requirement_is_said_once_not_redeployed() {
    let mut org = eca_wizard::emulator::Org::demo();
    org.pkce_required_org_wide = true;
    let emulator = start_with(org, true);
    let token = admin_token(&emulator).await;
    let dir = sf_dir("pkce");
    let output = apply(&dir, &emulator, &token, "current", SBS);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(said.contains("The org keeps Require PKCE on"), "{said}");
    assert!(emulator.app("SBS_Applied").unwrap().require_pkce);

    let output = apply(&dir, &emulator, &token, "current", SBS);
    let again = text(&output);
    assert_eq!(output.status.code(), Some(0), "{again}");
    assert!(
        again.contains("No change: the org holds every component"),
        "{again}"
    );
    assert!(!again.contains("Deployed SBS_Applied"), "{again}");
}

#[tokio::test]
async fn an_older_cli_is_named_and_its_display_token_used() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let dir = sf_dir("old");
    let mut args = SBS.to_vec();
    args.push("--dry-run");
    let output = apply(&dir, &emulator, &token, "old", &args);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(
        said.contains("predates 2.136.8") && said.contains("sf update"),
        "{said}"
    );
    assert!(!said.contains(&token));
}

#[tokio::test]
async fn a_login_the_cli_lacks_and_a_missing_cli_say_what_to_do() {
    let emulator = start();
    let dir = sf_dir("noauth");
    let output = apply(&dir, &emulator, "", "noauth", SBS);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output).contains("No authorization information found for acme"),
        "{}",
        text(&output)
    );

    let empty = temp::created("no-sf");
    let output = launch::wizard(&empty)
        .arg("apply")
        .args(SBS)
        .env("PATH", &*empty)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output).contains("isn't on PATH"), "{}", text(&output));

    // The CLI's default org with an instance URL that isn't a My Domain: that is what is said,
    // not "pass --target-org".
    let without_target: Vec<&str> = SBS
        .iter()
        .copied()
        .filter(|a| *a != "--target-org" && *a != "acme")
        .collect();
    let mut all = vec!["apply"];
    all.extend_from_slice(&without_target);
    let output = sf_command(&dir, &emulator, "00D5g0000000001!x", "current", None)
        .env("FAKE_SF_INSTANCE_URL", "https://acme.my.site.com/s")
        .env("FAKE_SF_DEFAULT", "acme")
        .args(&all)
        .output()
        .unwrap();
    let said = text(&output);
    assert_ne!(output.status.code(), Some(0), "{said}");
    assert!(!said.contains("pass --target-org"), "{said}");
    assert!(said.contains("sf org login web --instance-url"), "{said}");
}

#[tokio::test]
async fn a_token_on_stdin_works_and_a_missing_run_as_user_stops_before_any_change() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let mut command = launch::fresh(); // kept while the child runs
    let mut child = command
        .args([
            "apply",
            "--recipe",
            "service-board-sync",
            "--instance-url",
            emulator.my_domain_url(),
            "--name",
            "SBS_Ghost",
            "--run-as",
            "ghost@nowhere.example",
            "--callback-url",
            "https://sync.example.com/oauth/callback",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{token}").unwrap();
    let output = child.wait_with_output().unwrap();
    let said = text(&output);
    assert_eq!(output.status.code(), Some(2), "{said}");
    assert!(
        said.contains("The Run As user ghost@nowhere.example isn't an active user in this org"),
        "{said}"
    );
    // The wizard shows apply's words too, where there are no flags to pass.
    assert!(!said.contains("--run-as"), "{said}");
    assert_eq!(count(&emulator, "SBS_Ghost"), 0, "nothing deployed");
    assert!(!said.contains(&token));

    // No token on stdin: a usage error before anything is sent.
    let output = launch::fresh()
        .args([
            "apply",
            "--recipe",
            "custom",
            "--instance-url",
            emulator.my_domain_url(),
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("no access token on stdin"),
        "{}",
        text(&output)
    );
}

#[tokio::test]
async fn with_consent_apply_reads_the_secret_restores_the_setting_connects_and_keeps_a_profile() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let dir = sf_dir("consent");
    let home = temp::folder("home");
    let mut args = SBS.to_vec();
    args.extend([
        "--allow-secret-access",
        "--save",
        "sbs-acme",
        "--secrets-file",
    ]);
    let mut all = vec!["apply"];
    all.extend_from_slice(&args);
    let output = run_with_sf(&dir, &emulator, &token, "current", Some(&home), &all);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(
        said.contains("Turned on Allow access") && said.contains("off again, as it was"),
        "{said}"
    );
    assert!(said.contains("saved profile sbs-acme"), "{said}");
    // One runtime for the whole command: a connection pooled by the deploy's requests must not
    // be reused from a runtime that is gone (it stalled the first token request, then retried).
    assert!(!said.contains("network (transient)"), "{said}");
    assert!(
        !emulator.org().client_secret_in_rest_api,
        "the setting is off again"
    );
    let app = emulator.app("SBS_Applied").unwrap();
    assert!(
        !said.contains(&app.consumer_secret),
        "the secret is never printed"
    );
    assert!(!said.contains(&token));

    // status --drift reads the live app with the admin's session: none at first, then a scope
    // added in Setup is named with its fix.
    let drift = |emulator: &Emulator| {
        let args = ["status", "sbs-acme", "--drift", "--target-org", "acme"];
        run_with_sf(&dir, emulator, &token, "current", Some(&home), &args)
    };
    let output = drift(&emulator);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(text(&output).contains("no drift"), "{}", text(&output));
    assert!(text(&output).contains("unchecked (a query can't read them): Callback URL"));
    emulator
        .edit_app("SBS_Applied", |app| app.scopes.push("full".into()))
        .unwrap();
    let output = drift(&emulator);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(3), "{said}");
    assert!(said.contains("DRIFT Selected OAuth Scopes: live Full access (full) selected, wanted Full access (full) not selected: remove Full access (full)"), "{said}");
}

#[tokio::test]
async fn without_consent_the_setting_stays_off_and_the_copy_step_is_named() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let dir = sf_dir("refused");
    let output = apply(&dir, &emulator, &token, "current", SBS);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(said.contains("Left that setting off"), "{said}");
    assert!(said.contains("Consumer Key and Secret"), "{said}");
    assert!(!emulator.org().client_secret_in_rest_api);
}

const CREATE: &[&str] = &[
    "--recipe",
    "service-board-sync",
    "--target-org",
    "acme",
    "--name",
    "SBS_New_User",
    "--create-user",
    "sync@acme.example",
    "--contact-email",
    "admin@acme.example",
    "--callback-url",
    "https://sync.example.com/oauth/callback",
];

#[tokio::test]
async fn create_user_makes_the_integration_user_with_its_license_and_permission_set() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let dir = sf_dir("create-user");

    let mut dry = CREATE.to_vec();
    dry.push("--dry-run");
    let output = apply(&dir, &emulator, &token, "current", &dry);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(
        said.contains("Would create the integration user sync@acme.example"),
        "{said}"
    );
    assert!(said.contains("once the integration user exists"), "{said}");
    assert!(
        emulator.org().user("sync@acme.example").is_none(),
        "a dry run creates nobody"
    );

    let home = temp::folder("new-user");
    let mut args = vec!["apply"];
    args.extend_from_slice(CREATE);
    args.extend([
        "--allow-secret-access",
        "--save",
        "sbs-new",
        "--secrets-file",
    ]);
    let output = run_with_sf(&dir, &emulator, &token, "current", Some(&home), &args);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(
        said.contains("Created the integration user sync@acme.example"),
        "{said}"
    );
    assert!(said.contains("saved profile sbs-new"), "{said}");
    assert!(said.contains("Assigned SBS_New_User_Integration"), "{said}");
    let user = emulator
        .org()
        .user("sync@acme.example")
        .cloned()
        .expect("the user");
    assert!(
        user.integration_user && user.api_enabled,
        "API Enabled through the permission set"
    );
    assert_eq!(user.permission_sets, ["SBS_New_User_Integration"]);
    let app = emulator.app("SBS_New_User").unwrap();
    assert_eq!(app.policies.run_as.as_deref(), Some("sync@acme.example"));
    // Connected and verified as the new user (the REST checks pass with its permission set).
    assert!(said.contains("Connected as sync@acme.example"), "{said}");

    // Again: the username is taken now.
    let output = apply(&dir, &emulator, &token, "current", CREATE);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output).contains("already exists in this org: pass --run-as"),
        "{}",
        text(&output)
    );
}

#[tokio::test]
async fn no_free_integration_license_stops_before_any_change() {
    let mut org = eca_wizard::emulator::Org::demo();
    org.integration_licenses = 1; // the demo's integration user holds it
    let emulator = start_with(org, true);
    let token = admin_token(&emulator).await;
    let dir = sf_dir("no-license");
    let output = apply(&dir, &emulator, &token, "current", CREATE);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(
        said.contains("no free Salesforce Integration user license (1 of 1 used)"),
        "{said}"
    );
    assert!(emulator.org().user("sync@acme.example").is_none());
    assert!(
        emulator
            .org()
            .apps
            .iter()
            .all(|a| a.api_name != "SBS_New_User")
    );
}

#[tokio::test]
async fn a_session_without_admin_rights_is_refused_with_what_it_needs() {
    let emulator = start();
    // The integration user's own token: no right to deploy.
    let token = cc_token(&emulator).await;
    let dir = sf_dir("not-admin");
    let output = apply(&dir, &emulator, &token, "current", SBS);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(
        said.contains("lacks the permission") && said.contains("Modify Metadata"),
        "{said}"
    );
    assert_eq!(count(&emulator, "SBS_Applied"), 0);
}

/// The Salesforce CLI CI recipe end to end: the CI user created, the app deployed with the
/// certificate and pre-authorized through its permission set, then a JWT bearer sign-in.
#[tokio::test]
async fn the_cli_ci_recipe_creates_its_user_deploys_and_signs_in_by_jwt() {
    use eca_wizard::emulator::org::{DEMO_JWT_CERTIFICATE, DEMO_JWT_KEY};
    let emulator = start();
    let token = admin_token(&emulator).await;
    let dir = sf_dir("cli-ci");
    let cert = dir.join("server.crt");
    let key = dir.join("server.key");
    std::fs::write(&cert, DEMO_JWT_CERTIFICATE).unwrap();
    std::fs::write(&key, DEMO_JWT_KEY).unwrap();
    let (cert, key) = (cert.display().to_string(), key.display().to_string());
    let args = [
        "--recipe",
        "sf-cli-ci",
        "--target-org",
        "acme",
        "--create-user",
        "ci@acme.example",
        "--contact-email",
        "admin@acme.example",
        "--certificate",
        &cert,
        "--private-key",
        &key,
    ];
    let output = apply(&dir, &emulator, &token, "current", &args);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(said.contains("connecting with JWT bearer"), "{said}");
    assert!(said.contains("Connected as ci@acme.example"), "{said}");
    let app = emulator.app("Salesforce_CLI_CI").unwrap();
    assert!(app.jwt_certificate.is_some());
    assert!(
        !said.contains("BEGIN PRIVATE KEY"),
        "the key is never printed"
    );
}

/// An authorization-code recipe end to end: AptEdge's app deployed with the wizard's loopback
/// callbacks, its key and secret read with consent, the browser sign-in (a stub browser over
/// loopback, the emulator approving), every check, and the profile kept.
#[tokio::test]
async fn an_authorization_code_recipe_deploys_signs_in_in_the_browser_and_keeps_a_profile() {
    let _ports = wizard_ports(); // an authorization-code login: the wizard listens on 7717-7719
    let emulator = start_with(eca_wizard::emulator::Org::demo(), true);
    let token = admin_token(&emulator).await;
    let dir = sf_dir("auth-code");
    let home = temp::folder("code");
    let mut args = vec![
        "apply",
        "--recipe",
        "aptedge",
        "--target-org",
        "acme",
        "--name",
        "AptEdge_Applied",
        "--contact-email",
        "admin@acme.example",
        "--allow-secret-access",
        "--save",
        "aptedge-acme",
        "--secrets-file",
    ];
    let callbacks = eca_wizard::salesforce::callback::wizard_callback_urls();
    for url in &callbacks {
        args.extend(["--callback-url", url.as_str()]);
    }
    // A named user must exist whatever the flow (it gets the app's permission set): refused
    // before any change.
    let mut missing = args.clone();
    missing.extend(["--run-as", "nobody@acme.example"]);
    let output = run_with_sf(&dir, &emulator, &token, "current", Some(&home), &missing);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("The Run As user nobody@acme.example isn't an active user"));
    assert!(
        emulator.app("AptEdge_Applied").is_none(),
        "nothing deployed"
    );

    let browser = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/browser.py");
    let mut command = sf_command(&dir, &emulator, &token, "current", Some(&home));
    command.args(&args).env("BROWSER", browser);
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(said.contains("Deployed AptEdge_Applied"), "{said}");
    assert!(said.contains("Open this URL to log in"), "{said}");
    assert!(said.contains("saved profile aptedge-acme"), "{said}");
    let app = emulator.app("AptEdge_Applied").unwrap();
    assert_eq!(app.callback_urls, callbacks);
    assert!(
        app.require_secret_refresh,
        "AptEdge's guide: secret for refresh"
    );
    assert!(!said.contains(&app.consumer_secret) && !said.contains(&token));
}
