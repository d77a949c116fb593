//! Driving `connect::connect` in-process with a simulated browser, for the connect tests.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use eca_wizard::connect::{self, Browser, Event, Outcome, Report, Request};
use eca_wizard::emulator::Emulator;
use eca_wizard::recipe::{self, Recipe};
use eca_wizard::retry::RetryPolicy;
use eca_wizard::salesforce::Flow;
use eca_wizard::salesforce::hosts::normalize_login_url;
use eca_wizard::secret::Secret;
use eca_wizard::verify::Status;
use tokio::sync::{mpsc, watch};

use super::*;

/// The callback URL of a test's own port (`ports::free_port`).
pub fn callback(port: u16) -> Vec<String> {
    vec![format!("http://localhost:{port}/callback")]
}

pub fn quick_policy() -> RetryPolicy {
    RetryPolicy {
        base: Duration::from_millis(100),
        cap: Duration::from_millis(400),
        window: Duration::from_secs(20),
        max_attempts: 60,
        rate_limit_pause: Duration::from_secs(1),
        probe_every: Duration::from_millis(100),
        login_every: Duration::from_millis(100),
        max_logins: 40,
        max_wait: Duration::from_secs(120),
    }
}

pub fn request(emulator: &Emulator, recipe_id: &str, flow: Flow, base: &str, port: u16) -> Request {
    let _ = emulator;
    let recipe = recipe::builtin_by_id(recipe_id).unwrap();
    Request {
        flow,
        client_secret: Some(Secret::new(SECRET)),
        ..request_for(recipe, base, KEY, port)
    }
}

/// A connect of `recipe` (its own flow) at `login` with consumer key `key`, a secret the flow
/// may ignore, and this test's callback port; no browser (a paste), the quick retry policy.
pub fn request_for(recipe: &Recipe, login: &str, key: &str, port: u16) -> Request {
    Request {
        recipe: recipe.clone(),
        flow: recipe.flow,
        login: normalize_login_url(login).unwrap().host,
        client_id: key.into(),
        client_secret: Some(Secret::new("unused-secret")),
        callback_urls: callback(port),
        browser: Browser::Paste,
        timeout: Duration::from_secs(10),
        policy: quick_policy(),
        saved_ago: Duration::ZERO,
        jwt: None,
        expected_username: None,
        recheck_for: Duration::ZERO,
        mcp_url: None,
        retry_now: None,
    }
}

/// Registers the test's callback port on the demo app.
pub fn allow_callback(emulator: &Emulator, port: u16) {
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.callback_urls.extend(callback(port))
        })
        .unwrap();
}

/// How the simulated browser behaves once the authorize URL is shown.
#[derive(Clone, Copy)]
pub enum Visit {
    /// Follow the redirect to the listener, like a real browser.
    Follow,
    /// Poke the listener with strays first, then follow (twice, to replay the code).
    StraysThenFollowTwice,
    /// Don't touch the listener: paste the redirect URL instead.
    Paste,
    /// Do nothing (timeout).
    Nothing,
}

pub async fn browse(url: String, visit: Visit, paste: mpsc::Sender<String>) -> Vec<(String, u16)> {
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
    // As a browser navigates (Fetch Metadata), so an error callback counts as the browser's.
    let callback = send(client().get(&location).header("Sec-Fetch-Mode", "navigate")).await;
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

pub struct Run {
    pub report: Report,
    pub events: Vec<Event>,
    pub seen: Vec<(String, u16)>,
}

pub async fn run(req: &Request, visit: Visit) -> Run {
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

pub fn assert_connected(report: &Report) {
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
pub fn assert_diagnosed(
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
