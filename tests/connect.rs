//! Connect and verify against the emulator: every flow connects, every misconfiguration the
//! emulator can simulate is named with the right step and setting, propagation is waited out,
//! and strays at the listener don't derail the login.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on purpose

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use eca_wizard::connect::{self, Browser, Event, Outcome, Report, Request};
use eca_wizard::emulator::org::{
    DEMO_ADMIN_USER, DEMO_INTEGRATION_USER, DEMO_JWT_KEY, PermittedUsers,
};
use eca_wizard::emulator::{Emulator, Org};
use eca_wizard::recipe::{self, Recipe};
use eca_wizard::retry::RetryPolicy;
use eca_wizard::salesforce::Flow;
use eca_wizard::salesforce::hosts::normalize_login_url;
use eca_wizard::secret::Secret;
use eca_wizard::verify::Status;
use tokio::sync::{mpsc, watch};

/// Ports distinct per test so parallel tests don't fight over the listener.
fn callback(port: u16) -> Vec<String> {
    vec![format!("http://localhost:{port}/callback")]
}

fn quick_policy() -> RetryPolicy {
    RetryPolicy {
        base: Duration::from_millis(100),
        cap: Duration::from_millis(400),
        window: Duration::from_secs(20),
        max_attempts: 60,
        rate_limit_pause: Duration::from_secs(1),
    }
}

fn request(emulator: &Emulator, recipe_id: &str, flow: Flow, base: &str, port: u16) -> Request {
    let recipe: Recipe = recipe::builtin_by_id(recipe_id).unwrap().clone();
    let _ = emulator;
    Request {
        recipe,
        flow,
        login: normalize_login_url(base).unwrap().host,
        client_id: KEY.into(),
        client_secret: Some(Secret::new(SECRET)),
        callback_urls: callback(port),
        browser: Browser::Paste,
        timeout: Duration::from_secs(10),
        policy: quick_policy(),
        saved_ago: Duration::ZERO,
        jwt: None,
        expected_username: None,
    }
}

/// Registers the test's callback port on the demo app.
fn allow_callback(emulator: &Emulator, port: u16) {
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.callback_urls.extend(callback(port))
        })
        .unwrap();
}

/// How the simulated browser behaves once the authorize URL is shown.
#[derive(Clone, Copy)]
enum Visit {
    /// Follow the redirect to the listener, like a real browser.
    Follow,
    /// Poke the listener with strays first, then follow (twice, to replay the code).
    StraysThenFollowTwice,
    /// Don't touch the listener: paste the redirect URL instead.
    Paste,
    /// Do nothing (timeout).
    Nothing,
}

async fn browse(url: String, visit: Visit, paste: mpsc::Sender<String>) -> Vec<(String, u16)> {
    let mut seen = Vec::new();
    if matches!(visit, Visit::Nothing) {
        return seen;
    }
    let answer = get(&url).await;
    let Some(location) = answer.header("location") else {
        return seen;
    };
    let listener_base = location.split("/callback").next().unwrap().to_string();
    if let Visit::StraysThenFollowTwice = visit {
        let stray = get(&format!(
            "{listener_base}/callback?code=aPrxStolen&state=not-ours"
        ))
        .await;
        seen.push(("wrong-state".into(), stray.status));
        let favicon = get(&format!("{listener_base}/favicon.ico")).await;
        seen.push(("favicon".into(), favicon.status));
        let preflight = send(client().request(
            reqwest::Method::OPTIONS,
            format!("{listener_base}/callback"),
        ))
        .await;
        seen.push(("options".into(), preflight.status));
        let elsewhere = get(&format!("{listener_base}/elsewhere")).await;
        seen.push(("elsewhere".into(), elsewhere.status));
    }
    if let Visit::Paste = visit {
        paste.send("not a url or code".into()).await.unwrap();
        paste.send(location).await.unwrap();
        return seen;
    }
    let callback = get(&location).await;
    seen.push(("callback".into(), callback.status));
    if let Some(done) = callback.header("location") {
        let page = get(&format!("{listener_base}{done}")).await;
        seen.push(("done".into(), page.status));
    }
    if let Visit::StraysThenFollowTwice = visit {
        // The listener may already be gone: then the connection is refused, which is fine.
        if let Ok(replay) = client().get(&location).send().await {
            seen.push(("replay".into(), replay.status().as_u16()));
        }
    }
    seen
}

struct Run {
    report: Report,
    events: Vec<Event>,
    seen: Vec<(String, u16)>,
}

async fn run(req: &Request, visit: Visit) -> Run {
    let (paste_tx, paste_rx) = mpsc::channel(4);
    let (_cancel_tx, cancel) = watch::channel(false);
    let events = Arc::new(Mutex::new(Vec::new()));
    let browsing = Arc::new(Mutex::new(None));
    let (events_sink, browsing_sink) = (events.clone(), browsing.clone());
    let mut on_event = move |event: Event| {
        if let Event::AuthorizeUrl(url) = &event {
            let task = tokio::spawn(browse(url.clone(), visit, paste_tx.clone()));
            *browsing_sink.lock().unwrap() = Some(task);
        }
        events_sink.lock().unwrap().push(event);
    };
    let report = connect::connect(req, &mut on_event, Some(paste_rx), cancel).await;
    let task = browsing.lock().unwrap().take();
    let seen = match task {
        Some(task) => task.await.unwrap(),
        None => Vec::new(),
    };
    let events = events.lock().unwrap().clone();
    Run {
        report,
        events,
        seen,
    }
}

fn assert_connected(report: &Report) {
    assert_eq!(
        report.outcome,
        Outcome::Connected,
        "{:?}\n{:?}",
        report.diagnosis,
        report.checks
    );
    assert!(report.checks.iter().all(|c| c.status != Status::Failed));
    assert!(report.tokens.is_some());
}

/// Asserts the outcome and that the diagnosis points at this recipe step and setting label.
fn assert_diagnosed(
    report: &Report,
    recipe_id: &str,
    outcome: Outcome,
    step: &str,
    setting: Option<&str>,
) {
    assert_eq!(
        report.outcome, outcome,
        "{:?}\n{:?}",
        report.diagnosis, report.checks
    );
    let diagnosis = report.diagnosis.as_ref().expect("a diagnosis");
    let recipe = recipe::builtin_by_id(recipe_id).unwrap();
    let found = diagnosis
        .target
        .as_ref()
        .and_then(|t| recipe.step_for_target(t))
        .map(|s| s.id.as_str());
    assert_eq!(found, Some(step), "{diagnosis:?}");
    assert_eq!(diagnosis.setting_label(), setting, "{diagnosis:?}");
}

#[tokio::test]
async fn the_code_flow_connects_through_the_listener() {
    let emulator = start();
    allow_callback(&emulator, 17811);
    let req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        17811,
    );
    let run = run(&req, Visit::Follow).await;
    assert_connected(&run.report);
    assert_eq!(run.seen, [("callback".into(), 303), ("done".into(), 200)]);
    let names: Vec<&str> = run.report.checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "token",
            "identity",
            "scopes",
            "refresh_token",
            "refresh",
            "rest_api",
            "object:Account"
        ]
    );
    assert_eq!(
        run.report.identity.as_ref().unwrap().username,
        DEMO_INTEGRATION_USER
    );
    assert!(run.events.iter().any(|e| matches!(e, Event::CodeReceived)));
}

#[tokio::test]
async fn strays_and_a_replayed_callback_do_not_derail_the_login() {
    let emulator = start();
    allow_callback(&emulator, 17812);
    let req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        17812,
    );
    let run = run(&req, Visit::StraysThenFollowTwice).await;
    assert_connected(&run.report);
    let status = |name: &str| run.seen.iter().find(|(n, _)| n == name).map(|(_, s)| *s);
    assert_eq!(status("wrong-state"), Some(400));
    assert_eq!(status("favicon"), Some(404));
    assert_eq!(status("options"), Some(204));
    assert_eq!(status("elsewhere"), Some(404));
    assert_eq!(status("callback"), Some(303));
    // The replay reaches the listener during its grace period (200 "already connected") or
    // after it closed (a connection error, not recorded): never a second exchange.
    assert!(matches!(status("replay"), None | Some(200)));
}

#[tokio::test]
async fn the_code_flow_connects_from_a_paste() {
    let emulator = start();
    allow_callback(&emulator, 17813);
    let req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        17813,
    );
    let run = run(&req, Visit::Paste).await;
    assert_connected(&run.report);
    assert!(
        run.events
            .iter()
            .any(|e| matches!(e, Event::BrowserFailed(why) if why.contains("paste it again")))
    );
}

#[tokio::test]
async fn client_credentials_connects() {
    let emulator = start();
    let req = request(
        &emulator,
        "custom",
        Flow::ClientCredentials,
        emulator.my_domain_url(),
        0,
    );
    let run = run(&req, Visit::Nothing).await;
    assert_connected(&run.report);
    let refresh = run
        .report
        .checks
        .iter()
        .find(|c| c.name == "refresh")
        .unwrap();
    assert_eq!(refresh.status, Status::Skipped);
}

#[tokio::test]
async fn jwt_bearer_connects_for_a_pre_authorized_user() {
    let emulator = start();
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.policies.permitted_users = PermittedUsers::AdminApprovedPreAuthorized
        })
        .unwrap();
    let mut req = request(
        &emulator,
        "custom",
        Flow::JwtBearer,
        emulator.login_url(),
        0,
    );
    req.client_secret = None;
    req.jwt = Some((Secret::new(DEMO_JWT_KEY), DEMO_INTEGRATION_USER.into()));
    let run = run(&req, Visit::Nothing).await;
    assert_connected(&run.report);

    req.jwt = Some((Secret::new(DEMO_JWT_KEY), DEMO_ADMIN_USER.into()));
    let run = self::run(&req, Visit::Nothing).await;
    assert_diagnosed(
        &run.report,
        "custom",
        Outcome::Misconfigured,
        "policies",
        Some("Selected Permission Sets"),
    );
}

#[tokio::test]
async fn a_propagating_app_is_waited_out() {
    let mut org = Org::demo();
    org.propagation_delay_secs = 2;
    let emulator = start_with(org, true);
    let req = request(
        &emulator,
        "custom",
        Flow::ClientCredentials,
        emulator.my_domain_url(),
        0,
    );
    let run = run(&req, Visit::Nothing).await;
    assert_connected(&run.report);
    assert!(run.report.attempts > 1, "it had to wait");
    assert!(run.events.iter().any(
        |e| matches!(e, Event::Waiting { diagnosis, .. } if diagnosis.error == "invalid_client_id")
    ));
}

#[tokio::test]
async fn a_propagating_code_flow_is_probed_until_ready() {
    let mut org = Org::demo();
    org.propagation_delay_secs = 2;
    org.apps[0].callback_urls.extend(callback(17814));
    let emulator = start_with(org, true);
    let req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        17814,
    );
    let run = run(&req, Visit::Follow).await;
    assert_connected(&run.report);
    let position = |f: &dyn Fn(&Event) -> bool| run.events.iter().position(f).unwrap();
    assert!(
        position(&|e| matches!(e, Event::Waiting { .. }))
            < position(&|e| matches!(e, Event::AuthorizeUrl(_))),
        "probing happens before the browser"
    );
}

#[tokio::test]
async fn after_the_window_an_unknown_app_is_misconfiguration() {
    let emulator = start();
    let mut req = request(
        &emulator,
        "custom",
        Flow::ClientCredentials,
        emulator.my_domain_url(),
        0,
    );
    req.client_id = "3MVG9SomeOtherAppsKey0000".into();
    req.saved_ago = Duration::from_secs(3600);
    let run = run(&req, Visit::Nothing).await;
    assert_diagnosed(
        &run.report,
        "custom",
        Outcome::Misconfigured,
        "credentials",
        None,
    );
    assert_eq!(run.report.attempts, 1, "no retries after the window");
}

#[tokio::test]
async fn client_credentials_misconfigurations_are_named() {
    let emulator = start();
    // This recipe also asks for the address and phone identity scopes.
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.scopes.extend(["address".into(), "phone".into()])
        })
        .unwrap();
    let recipe = "service-board-sync";
    let mut req = request(
        &emulator,
        recipe,
        Flow::ClientCredentials,
        emulator.my_domain_url(),
        0,
    );
    req.client_secret = Some(Secret::new("not-the-secret"));
    assert_diagnosed(
        &run(&req, Visit::Nothing).await.report,
        recipe,
        Outcome::Misconfigured,
        "credentials",
        None,
    );
    req.client_secret = Some(Secret::new(SECRET));

    let sent = emulator.request_log().len();
    let login_host = request(&emulator, recipe, Flow::ClientCredentials, "production", 0);
    assert_diagnosed(
        &run(&login_host, Visit::Nothing).await.report,
        recipe,
        Outcome::Misconfigured,
        "connect",
        None,
    );
    assert_eq!(
        emulator.request_log().len(),
        sent,
        "refused before sending anything"
    );

    emulator
        .edit_app("ECA_Wizard_Demo", |app| app.policies.run_as = None)
        .unwrap();
    assert_diagnosed(
        &run(&req, Visit::Nothing).await.report,
        recipe,
        Outcome::Misconfigured,
        "run-as",
        Some("Run As (Username)"),
    );

    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.policies.run_as = Some(DEMO_INTEGRATION_USER.into());
            app.client_credentials = false;
        })
        .unwrap();
    assert_diagnosed(
        &run(&req, Visit::Nothing).await.report,
        recipe,
        Outcome::Misconfigured,
        "flows",
        Some("Enable Client Credentials Flow"),
    );

    emulator
        .edit_app("ECA_Wizard_Demo", |app| app.client_credentials = true)
        .unwrap();
    emulator
        .edit_user(DEMO_INTEGRATION_USER, |u| u.active = false)
        .unwrap();
    assert_diagnosed(
        &run(&req, Visit::Nothing).await.report,
        recipe,
        Outcome::Misconfigured,
        "integration-user",
        None,
    );

    emulator
        .edit_user(DEMO_INTEGRATION_USER, |u| {
            u.active = true;
            u.api_enabled = false;
        })
        .unwrap();
    let report = run(&req, Visit::Nothing).await.report;
    assert_diagnosed(
        &report,
        recipe,
        Outcome::Misconfigured,
        "permissions",
        Some("API Enabled"),
    );
}

#[tokio::test]
async fn a_missing_object_permission_is_named() {
    let emulator = start();
    emulator
        .edit_user(DEMO_INTEGRATION_USER, |u| {
            u.objects.remove("CaseComment");
        })
        .unwrap();
    let mut org_scopes = request(
        &emulator,
        "aptedge",
        Flow::ClientCredentials,
        emulator.my_domain_url(),
        0,
    );
    org_scopes.recipe.scopes = vec!["api".into()];
    let report = run(&org_scopes, Visit::Nothing).await.report;
    assert_diagnosed(
        &report,
        "aptedge",
        Outcome::Misconfigured,
        "permissions",
        None,
    );
    let failed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Failed)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(failed, ["object:CaseComment"]);
}

#[tokio::test]
async fn refresh_without_the_secret_is_caught_for_apideck() {
    let emulator = start();
    allow_callback(&emulator, 17815);
    let req = request(
        &emulator,
        "apideck",
        Flow::AuthCode,
        emulator.login_url(),
        17815,
    );
    let run = run(&req, Visit::Follow).await;
    assert_diagnosed(
        &run.report,
        "apideck",
        Outcome::Misconfigured,
        "security",
        Some("Require secret for Refresh Token Flow"),
    );

    emulator
        .edit_app("ECA_Wizard_Demo", |app| app.require_secret_refresh = false)
        .unwrap();
    let run = self::run(&req, Visit::Follow).await;
    assert_connected(&run.report);
}

#[tokio::test]
async fn a_missing_refresh_scope_is_named() {
    let emulator = start();
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.scopes
                .retain(|s| s != "refresh_token" && s != "offline_access");
            app.callback_urls.extend(callback(17816));
        })
        .unwrap();
    let req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        17816,
    );
    let run = run(&req, Visit::Follow).await;
    assert_diagnosed(
        &run.report,
        "custom",
        Outcome::Misconfigured,
        "oauth-settings",
        Some("Selected OAuth Scopes"),
    );
}

#[tokio::test]
async fn a_user_who_is_not_pre_authorized_is_named() {
    let mut org = Org::demo();
    org.auto_approve_user = Some(DEMO_ADMIN_USER.into());
    org.apps[0].policies.permitted_users = PermittedUsers::AdminApprovedPreAuthorized;
    org.apps[0].callback_urls.extend(callback(17817));
    let emulator = start_with(org, true);
    let req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        17817,
    );
    let run = run(&req, Visit::Follow).await;
    assert_diagnosed(
        &run.report,
        "custom",
        Outcome::Misconfigured,
        "policies",
        Some("Selected Permission Sets"),
    );
}

#[tokio::test]
async fn the_wrong_user_gets_a_warning() {
    let mut org = Org::demo();
    org.auto_approve_user = Some(DEMO_ADMIN_USER.into());
    org.apps[0].callback_urls.extend(callback(17818));
    let emulator = start_with(org, true);
    let mut req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        17818,
    );
    req.expected_username = Some(DEMO_INTEGRATION_USER.into());
    let run = run(&req, Visit::Follow).await;
    assert_eq!(run.report.outcome, Outcome::Connected);
    let identity = run
        .report
        .checks
        .iter()
        .find(|c| c.name == "identity")
        .unwrap();
    assert_eq!(identity.status, Status::Warning);
    assert!(
        identity.detail.contains(DEMO_ADMIN_USER),
        "{}",
        identity.detail
    );
}

#[tokio::test]
async fn no_login_times_out() {
    let emulator = start();
    allow_callback(&emulator, 17819);
    let mut req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        17819,
    );
    req.timeout = Duration::from_millis(500);
    let run = run(&req, Visit::Nothing).await;
    assert_eq!(run.report.outcome, Outcome::TimedOut);
    assert_eq!(run.report.outcome.exit_code(), 5);
}

#[tokio::test]
async fn busy_callback_ports_are_reported() {
    let emulator = start();
    let _held = std::net::TcpListener::bind(("127.0.0.1", 17820)).unwrap();
    let req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        17820,
    );
    let run = run(&req, Visit::Nothing).await;
    assert_eq!(run.report.outcome, Outcome::Failed);
    let diagnosis = run.report.diagnosis.unwrap();
    assert_eq!(diagnosis.error, "no_free_port");
    assert!(
        diagnosis.message.contains("17820") && diagnosis.message.contains("port in use"),
        "{}",
        diagnosis.message
    );
}

#[tokio::test]
async fn a_denied_login_is_user_action() {
    let mut org = Org::demo();
    org.apps[0].callback_urls.extend(callback(17821));
    let emulator = start_with(org, true);
    emulator
        .edit_user(DEMO_INTEGRATION_USER, |u| u.active = false)
        .unwrap();
    let req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        17821,
    );
    let run = run(&req, Visit::Follow).await;
    assert_diagnosed(
        &run.report,
        "custom",
        Outcome::Misconfigured,
        "integration-user",
        None,
    );
}

#[tokio::test]
async fn a_wait_can_be_cancelled() {
    let mut org = Org::demo();
    org.propagation_delay_secs = 3600;
    let emulator = start_with(org, true);
    let mut req = request(
        &emulator,
        "custom",
        Flow::ClientCredentials,
        emulator.my_domain_url(),
        0,
    );
    req.policy.base = Duration::from_secs(30);
    req.policy.cap = Duration::from_secs(30);
    let (cancel_tx, cancel) = watch::channel(false);
    let mut on_event = move |event: Event| {
        if let Event::Waiting { attempt, delay, .. } = event {
            assert_eq!(attempt, 2);
            assert!(delay >= Duration::from_secs(15), "{delay:?}");
            let _ = cancel_tx.send(true);
        }
    };
    let started = std::time::Instant::now();
    let report = connect::connect(&req, &mut on_event, None, cancel).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the wait was cancelled"
    );
    assert_eq!(report.outcome, Outcome::TimedOut);
    assert_eq!(report.attempts, 1);
}

#[tokio::test]
async fn the_client_revokes_and_introspects() {
    let emulator = start();
    let client = eca_wizard::oauth::OAuthClient::new(
        emulator.my_domain_url(),
        KEY,
        Some(Secret::new(SECRET)),
    )
    .unwrap();
    let tokens = client.client_credentials().await.unwrap();
    let active = client.introspect(&tokens.access_token).await.unwrap();
    assert_eq!(active["active"], true);
    client.revoke(&tokens.access_token).await.unwrap();
    assert_eq!(
        client.introspect(&tokens.access_token).await.unwrap()["active"],
        false
    );
    let again = client.revoke(&tokens.access_token).await.unwrap_err();
    assert!(
        matches!(&again, eca_wizard::oauth::Failure::OAuth { error, .. } if error == "invalid_token"),
        "{again:?}"
    );
}
