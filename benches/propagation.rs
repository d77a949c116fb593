//! How fast `connect` notices that a new app has propagated, and how many logins it spends
//! waiting. For propagation delays of 5, 30 and 120 s, a fresh app is put into the emulator for
//! each flow (authorization code, client credentials, JWT bearer, all at once) and connected to
//! at once; reported per flow: the lag between the moment the app became ready and the first
//! token, and the token requests (logins) used. Targets (issue 11): lag at most 3 s for the code
//! flow (it probes the authorize page, which is no login), at most 10% of the delay + 5 s for
//! the others; at most 40 logins per 15 minutes. Run with `cargo bench --bench propagation`.

use std::time::{Duration, Instant};

use eca_wizard::connect::{self, Browser, Event, Outcome, Request};
use eca_wizard::emulator::org::{DEMO_INTEGRATION_USER, DEMO_JWT_KEY, PermittedUsers};
use eca_wizard::emulator::{App, Config, Emulator, Org};
use eca_wizard::retry::RetryPolicy;
use eca_wizard::salesforce::Flow;
use eca_wizard::salesforce::hosts::normalize_login_url;
use eca_wizard::secret::Secret;
use tokio::sync::{mpsc, watch};

const DELAYS: [u64; 3] = [5, 30, 120];
const CALLBACK: &str = "http://localhost:17898/callback";

struct Measured {
    flow: Flow,
    lag: Duration,
    logins: usize,
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let mut all_met = true;
    let delays: Vec<u64> = match std::env::var("BENCH_DELAYS") {
        Ok(list) => list.split(',').filter_map(|d| d.parse().ok()).collect(),
        Err(_) => DELAYS.to_vec(),
    };
    for delay in delays {
        let mut org = Org::demo();
        org.propagation_delay_secs = delay;
        let emulator = Emulator::start(Config {
            org,
            ..Config::default()
        })?;
        let results = runtime.block_on(measure(&emulator, delay))?;
        for m in results {
            let target = match m.flow {
                Flow::AuthCode => Duration::from_secs(3),
                _ => Duration::from_secs_f64(delay as f64 * 0.1 + 5.0),
            };
            let met = m.lag <= target && m.logins <= 40;
            all_met &= met;
            println!(
                "delay {delay:>3} s  {:<18}  lag {:>5.1} s (target {:>4.1} s)  logins {:>2}  {}",
                m.flow.to_string(),
                m.lag.as_secs_f64(),
                target.as_secs_f64(),
                m.logins,
                if met { "met" } else { "MISSED" }
            );
        }
        emulator.shutdown();
    }
    println!(
        "targets: {}",
        if all_met { "all met" } else { "some MISSED" }
    );
    Ok(())
}

/// Puts a fresh app per flow into the emulator, then connects with each at once.
async fn measure(emulator: &Emulator, delay: u64) -> anyhow::Result<Vec<Measured>> {
    let flows = [Flow::AuthCode, Flow::ClientCredentials, Flow::JwtBearer];
    let mut requests = Vec::new();
    for (i, flow) in flows.into_iter().enumerate() {
        let key = format!("3MVG9BenchApp{i}Delay{delay}");
        let mut app = App::demo();
        app.api_name = format!("Bench_App_{i}");
        app.consumer_key = key.clone();
        app.callback_urls.push(CALLBACK.into());
        if flow == Flow::JwtBearer {
            app.policies.permitted_users = PermittedUsers::AdminApprovedPreAuthorized;
        }
        requests.push(request(emulator, flow, &key)?);
        emulator.put_app(app);
    }
    let ready_at = Instant::now() + Duration::from_secs(delay);
    let mut tasks = Vec::new();
    for request in requests {
        tasks.push(tokio::spawn(async move { one(&request).await }));
    }
    let mut results = Vec::new();
    for task in tasks {
        let (flow, done_at) = task.await??;
        results.push((flow, done_at.saturating_duration_since(ready_at)));
    }
    let log = emulator.request_log();
    let logins = |grant: &str| {
        log.iter()
            .filter(|e| {
                e.path == "/services/oauth2/token" && e.grant_type.as_deref() == Some(grant)
            })
            .count()
    };
    Ok(results
        .into_iter()
        .map(|(flow, lag)| Measured {
            flow,
            lag,
            logins: logins(match flow {
                Flow::AuthCode => "authorization_code",
                Flow::ClientCredentials => "client_credentials",
                Flow::JwtBearer => "urn:ietf:params:oauth:grant-type:jwt-bearer",
            }),
        })
        .collect())
}

fn request(emulator: &Emulator, flow: Flow, key: &str) -> anyhow::Result<Request> {
    let base = match flow {
        Flow::ClientCredentials => emulator.my_domain_url(),
        _ => emulator.login_url(),
    };
    Ok(Request {
        recipe: eca_wizard::recipe::builtin_by_id("custom")?.clone(),
        flow,
        login: normalize_login_url(base).map_err(anyhow::Error::msg)?.host,
        client_id: key.into(),
        client_secret: Some(Secret::new(eca_wizard::emulator::org::DEMO_CONSUMER_SECRET)),
        callback_urls: vec![CALLBACK.into()],
        browser: Browser::Paste,
        timeout: Duration::from_secs(300),
        policy: RetryPolicy::default(),
        saved_ago: Duration::ZERO,
        jwt: (flow == Flow::JwtBearer)
            .then(|| (Secret::new(DEMO_JWT_KEY), DEMO_INTEGRATION_USER.to_string())),
        expected_username: None,
        recheck_for: Duration::ZERO,
        retry_now: None,
        mcp_url: None,
    })
}

/// Connects; for the code flow the "browser" is a GET of the authorize URL (auto-approved)
/// whose redirect is pasted. Returns when the token came.
async fn one(request: &Request) -> anyhow::Result<(Flow, Instant)> {
    let (paste_tx, pastes) = mpsc::channel(1);
    let (_cancel_tx, cancel) = watch::channel(false);
    let http = eca_wizard::net::client()?;
    let token_at = std::sync::Arc::new(std::sync::Mutex::new(None));
    let seen = token_at.clone();
    let mut events = move |event: Event| match event {
        Event::AuthorizeUrl(url) => {
            let paste_tx = paste_tx.clone();
            tokio::spawn(async move {
                if let Ok(response) = http.get(url).send().await
                    && let Some(location) = response
                        .headers()
                        .get("location")
                        .and_then(|v| v.to_str().ok())
                {
                    let _ = paste_tx.send(location.to_string()).await;
                }
            });
        }
        Event::Waiting { diagnosis, .. } if std::env::var_os("BENCH_DEBUG").is_some() => {
            eprintln!("waiting: {} {}", diagnosis.error, diagnosis.kind.id());
        }
        Event::Check(check) if check.name == "token" => {
            if let Ok(mut slot) = seen.lock() {
                slot.get_or_insert_with(Instant::now);
            }
        }
        _ => {}
    };
    let report = connect::connect(request, &mut events, Some(pastes), cancel).await;
    anyhow::ensure!(
        report.checks.first().is_some_and(|c| c.name == "token")
            && report.outcome != Outcome::TimedOut,
        "{}: no token: {:?}",
        request.flow,
        report.diagnosis
    );
    let at = token_at
        .lock()
        .ok()
        .and_then(|slot| *slot)
        .ok_or_else(|| anyhow::anyhow!("no token event"))?;
    Ok((request.flow, at))
}
