//! Getting from "I have a consumer key" to a verified connection: obtain tokens with the
//! recipe's flow, waiting out propagation and transient failures as the retry policy allows,
//! then run every verification check. Progress goes out as events; nothing here touches the
//! terminal, so the headless command and the TUI share it.

mod code_flow;
pub use code_flow::NO_FREE_PORT;

use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::{mpsc, watch};

use crate::jwt::Signer;
use crate::oauth::{Failure, OAuthClient, Tokens};
use crate::recipe::Recipe;
use crate::retry::{Decision, RetryPolicy, Try, jitter};
use crate::salesforce::Flow;
use crate::salesforce::diagnosis::{Diagnosis, Kind, Phase, Target, Window};
use crate::salesforce::hosts::LoginHost;
use crate::secret::Secret;
use crate::verify::{self, Check, CheckName, Identity, Plan, Status};

/// How the browser part of the code flow happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Browser {
    /// Open the system browser (honouring `$BROWSER`) and catch the redirect.
    Open,
    /// Show the URL only; the admin opens it elsewhere and pastes the result (the listener
    /// still catches the redirect if it comes back to this machine).
    Paste,
    /// `--no-browser`: show the URL and take only the paste; no loopback port is bound, so it
    /// works when every callback port is busy (the redirect URI is the first callback URL).
    PasteOnly,
}

/// Everything needed to connect.
#[derive(Clone)]
pub struct Request {
    pub recipe: Recipe,
    pub flow: Flow,
    pub login: LoginHost,
    pub client_id: String,
    pub client_secret: Option<Secret>,
    pub callback_urls: Vec<String>,
    pub browser: Browser,
    /// How long to wait for the browser's callback.
    pub timeout: Duration,
    pub policy: RetryPolicy,
    /// How long ago the app was created or edited (zero: just now).
    pub saved_ago: Duration,
    /// JWT bearer: the private key (PEM) and the user to sign in as.
    pub jwt: Option<(Secret, String)>,
    /// The integration user, when known: another user gets a warning.
    pub expected_username: Option<String>,
    /// After a fix: how long a failing check may still be Salesforce applying the change, and
    /// is checked again (zero: report failures at once).
    pub recheck_for: Duration,
    /// Notified to end the current wait early ("retry now").
    pub retry_now: Option<std::sync::Arc<tokio::sync::Notify>>,
    /// The hosted MCP server the client will use (MCP recipes).
    pub mcp_url: Option<String>,
}

/// What happened, as it happens.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A request is about to be made: the count of every request so far (probes of the
    /// authorize page too).
    Attempt(u32),
    /// The request about to be made is a token request: the count of logins so far.
    Login(u32),
    /// Waiting before the next attempt; `delay` counts down from now.
    Waiting {
        attempt: u32,
        delay: Duration,
        diagnosis: Diagnosis,
    },
    Listening {
        redirect_uri: String,
    },
    /// The authorize URL, always shown before any browser opens.
    AuthorizeUrl(String),
    BrowserOpened,
    /// The browser couldn't be opened: open the URL by hand or paste the result.
    BrowserFailed(String),
    /// The callback or paste arrived.
    CodeReceived,
    Check(Check),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Connected,
    Misconfigured,
    UserAction,
    TimedOut,
    Failed,
    /// Ctrl-C (or SIGTERM, SIGHUP) stopped it.
    Cancelled,
}

impl Outcome {
    /// `connect`'s exit code, from the one table (`commands::output::exit`).
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Connected => 0,
            Outcome::Failed => 1,
            Outcome::Misconfigured => 3,
            Outcome::UserAction => 4,
            Outcome::TimedOut => 5,
            Outcome::Cancelled => 130,
        }
    }
}

/// The diagnosis of a connect the user stopped.
pub(crate) fn cancelled() -> (Outcome, Diagnosis) {
    let diagnosis = Diagnosis::new(
        Kind::UserAction,
        "cancelled",
        None,
        "Cancelled: nothing was saved.",
    );
    (Outcome::Cancelled, diagnosis)
}

/// The result of a connect attempt. Tokens stay wrapped in `Secret`s.
#[derive(Debug, Clone)]
pub struct Report {
    pub outcome: Outcome,
    pub checks: Vec<Check>,
    pub diagnosis: Option<Diagnosis>,
    pub instance_url: Option<String>,
    pub identity: Option<Identity>,
    pub attempts: u32,
    pub tokens: Option<Tokens>,
}

/// Where the code comes from besides the listener: lines pasted by the admin.
pub type Pastes = mpsc::Receiver<String>;

pub(crate) struct Run<'a> {
    pub req: &'a Request,
    pub client: OAuthClient,
    pub events: &'a mut (dyn FnMut(Event) + Send),
    pub cancel: watch::Receiver<bool>,
    pub started: Instant,
    pub attempts: u32,
    /// Token requests among the attempts: logins, paced and counted apart from probes.
    pub logins: u32,
    /// The next wait would have run past `policy.max_wait`.
    pub out_of_time: bool,
}

impl Run<'_> {
    fn window(&self) -> Window {
        self.req
            .policy
            .window_at(self.req.saved_ago + self.started.elapsed())
    }

    /// After a failed attempt: wait and return true to try again, or false to stop. `next` is
    /// what the next attempt will be (a probe or a login), which sets how soon it may come.
    pub async fn backoff(&mut self, diagnosis: &Diagnosis, next: Try) -> bool {
        let elapsed = self.req.saved_ago + self.started.elapsed();
        match self.req.policy.decide(
            diagnosis,
            next,
            (self.attempts, self.logins),
            elapsed,
            jitter(),
        ) {
            Decision::GiveUp => false,
            Decision::RetryAfter { delay, .. }
                if self.started.elapsed() + delay > self.req.policy.max_wait =>
            {
                self.out_of_time = true;
                false
            }
            Decision::RetryAfter { delay, attempt } => {
                (self.events)(Event::Waiting {
                    attempt,
                    delay,
                    diagnosis: diagnosis.clone(),
                });
                let retry_now = async {
                    match &self.req.retry_now {
                        Some(notify) => notify.notified().await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    () = tokio::time::sleep(delay) => true,
                    () = retry_now => true,
                    () = crate::cancel::cancelled(self.cancel.clone()) => false,
                }
            }
        }
    }

    /// Diagnoses a failure; right after a fix, a wrong setting may be Salesforce still
    /// applying the change, so it is waited for like propagation (one rule for every step).
    pub fn diagnose(&self, failure: &Failure, phase: Phase) -> Diagnosis {
        self.settling(failure.diagnose(phase, self.window()))
    }

    /// Within `recheck_for` of a fix, a misconfiguration is waited out with a countdown.
    fn settling(&self, diagnosis: Diagnosis) -> Diagnosis {
        let settling = self.req.saved_ago + self.started.elapsed() < self.req.recheck_for;
        if !settling || diagnosis.kind != Kind::Misconfigured {
            return diagnosis;
        }
        Diagnosis {
            kind: Kind::Propagating,
            message: format!(
                "Salesforce may still be applying your change. {}",
                diagnosis.message
            ),
            ..diagnosis
        }
    }

    /// Whether the user stopped the run (a wait that returned false may have been cut short).
    pub fn stopped(&self) -> bool {
        *self.cancel.borrow()
    }

    /// How a run ends when its waiting is over: cancelled when the user stopped it, else as
    /// the last diagnosis says.
    pub fn give_up(&self, diagnosis: Diagnosis) -> (Outcome, Diagnosis) {
        if self.stopped() {
            return cancelled();
        }
        if self.out_of_time {
            let message = format!(
                "{} Gave up after {}s (--max-wait).",
                diagnosis.message,
                self.req.policy.max_wait.as_secs()
            );
            return (
                Outcome::TimedOut,
                Diagnosis {
                    message,
                    ..diagnosis
                },
            );
        }
        (give_up_outcome(&diagnosis), diagnosis)
    }

    pub fn next_attempt(&mut self) {
        self.attempts += 1;
        (self.events)(Event::Attempt(self.attempts));
    }

    /// The next attempt is a token request.
    pub fn next_login(&mut self) {
        self.logins += 1;
        self.next_attempt();
        (self.events)(Event::Login(self.logins));
    }
}

/// Connects and verifies. `pastes` feeds the paste path; `cancel` stops any wait.
pub async fn connect(
    req: &Request,
    events: &mut (dyn FnMut(Event) + Send),
    pastes: Option<Pastes>,
    cancel: watch::Receiver<bool>,
) -> Report {
    let client = match client_for(req) {
        Ok(client) => client,
        Err(report) => return *report,
    };
    let mut run = Run {
        req,
        client,
        events,
        cancel,
        started: Instant::now(),
        attempts: 0,
        logins: 0,
        out_of_time: false,
    };
    let plan = Plan {
        recipe: &req.recipe,
        flow: req.flow,
        expected_username: req.expected_username.as_deref(),
        mcp_url: req.mcp_url.as_deref(),
    };
    let mut pastes = pastes;
    // Obtain a grant and verify it; right after a fix, a check that depends on the grant itself
    // (its scopes, its refresh token) needs a new grant once Salesforce applied the change.
    let (tokens, checks, identity) = loop {
        let obtained = match req.flow {
            Flow::AuthCode => code_flow::obtain(&mut run, &mut pastes).await,
            Flow::ClientCredentials => direct(&mut run, Phase::ClientCredentials).await,
            Flow::JwtBearer => direct(&mut run, Phase::JwtBearer).await,
        };
        let mut tokens = match obtained {
            Ok(tokens) => tokens,
            Err((outcome, diagnosis)) => {
                let mut report = failed(outcome, diagnosis.clone(), run.attempts);
                report
                    .checks
                    .push(Check::failed(CheckName::Token, diagnosis));
                (run.events)(Event::Check(report.checks[0].clone()));
                return report;
            }
        };
        let detail = match &tokens.audience {
            Some(audience) => format!("{} token obtained (audience {audience})", req.flow),
            None => format!("{} token obtained", req.flow),
        };
        let token_check = Check::passed(CheckName::Token, detail);
        (run.events)(Event::Check(token_check.clone()));
        match verify_until_settled(&mut run, &mut tokens, &plan, token_check).await {
            Verified::Settled(checks, identity) => break (tokens, checks, identity),
            // The next grant counts as an attempt (and a login) when it is made.
            Verified::NeedsNewGrant(checks, identity, waiting) => {
                if !run.backoff(&waiting, Try::Login).await {
                    break (tokens, checks, identity);
                }
            }
        }
    };
    settled(checks, tokens, identity, run.attempts, run.stopped())
}

/// The client for the request's login host, or why there is none (a host the flow can't use).
fn client_for(req: &Request) -> Result<OAuthClient, Box<Report>> {
    if let Err(refused) = req.login.check_flow(req.flow) {
        let diagnosis = Diagnosis::new(
            Kind::Misconfigured,
            "wrong_host",
            Some(Target::LoginUrl),
            refused.to_string(),
        );
        return Err(Box::new(failed(Outcome::Misconfigured, diagnosis, 0)));
    }
    OAuthClient::new(req.login.url(), &req.client_id, req.client_secret.clone()).map_err(|e| {
        let diagnosis = Diagnosis::transient("setup", e.to_string());
        Box::new(failed(Outcome::Failed, diagnosis, 0))
    })
}

/// The report of a run that ended before any check passed.
fn failed(outcome: Outcome, diagnosis: Diagnosis, attempts: u32) -> Report {
    Report {
        outcome,
        checks: Vec::new(),
        diagnosis: Some(diagnosis),
        instance_url: None,
        identity: None,
        attempts,
        tokens: None,
    }
}

/// The report once the checks settled: connected, or the first failed check's diagnosis.
/// `stopped`: the user cancelled while a check was waiting, which outranks its diagnosis.
fn settled(
    checks: Vec<Check>,
    tokens: Tokens,
    identity: Option<Identity>,
    attempts: u32,
    stopped: bool,
) -> Report {
    let diagnosis = checks
        .iter()
        .find(|c| c.status == Status::Failed)
        .and_then(|c| c.diagnosis.clone());
    let outcome = match &diagnosis {
        None => Outcome::Connected,
        Some(_) if stopped => Outcome::Cancelled,
        Some(d) => outcome_of(d.kind),
    };
    Report {
        outcome,
        checks,
        diagnosis,
        instance_url: tokens.instance_url.clone(),
        identity,
        attempts,
        tokens: Some(tokens),
    }
}

enum Verified {
    Settled(Vec<Check>, Option<Identity>),
    /// A check of the grant itself failed while a fix may still be applying: get a new grant
    /// after waiting as this diagnosis says.
    NeedsNewGrant(Vec<Check>, Option<Identity>, Diagnosis),
}

/// Checks whose outcome was fixed when the grant was made: only a new grant can change them.
const GRANT_CHECKS: &[CheckName] = &[
    CheckName::Scopes,
    CheckName::RefreshToken,
    CheckName::TokenFormat,
];

/// Runs the checks; right after a fix, failures may be Salesforce still applying the change, so
/// they are checked again (with backoff) until `recheck_for` has passed.
async fn verify_until_settled(
    run: &mut Run<'_>,
    tokens: &mut Tokens,
    plan: &Plan<'_>,
    token_check: Check,
) -> Verified {
    loop {
        let events = &mut *run.events;
        let mut report_check = |check: &Check| events(Event::Check(check.clone()));
        let verified = verify::verify(&run.client, tokens, plan, &mut report_check).await;
        let mut checks = vec![token_check.clone()];
        checks.extend(verified.checks);
        let failed = checks.iter().find(|c| c.status == Status::Failed);
        let Some((name, diagnosis)) =
            failed.and_then(|c| Some((c.name.clone(), c.diagnosis.clone()?)))
        else {
            return Verified::Settled(checks, verified.identity);
        };
        let waiting = run.settling(diagnosis);
        if waiting.kind != Kind::Propagating {
            return Verified::Settled(checks, verified.identity);
        }
        if GRANT_CHECKS.contains(&name) {
            return Verified::NeedsNewGrant(checks, verified.identity, waiting);
        }
        run.attempts += 1;
        if !run.backoff(&waiting, Try::Login).await {
            return Verified::Settled(checks, verified.identity);
        }
    }
}

pub(crate) fn outcome_of(kind: Kind) -> Outcome {
    match kind {
        Kind::Misconfigured | Kind::Propagating => Outcome::Misconfigured,
        Kind::UserAction => Outcome::UserAction,
        Kind::Transient | Kind::ClientBug | Kind::Unknown => Outcome::Failed,
    }
}

/// Client credentials and JWT bearer: one token request, retried while it may still work.
async fn direct(run: &mut Run<'_>, phase: Phase) -> Result<Tokens, (Outcome, Diagnosis)> {
    let signer = match (&run.req.jwt, phase) {
        (Some((pem, _)), Phase::JwtBearer) => match Signer::from_pem(pem.expose()) {
            Ok(signer) => Some(signer),
            Err(e) => {
                let diagnosis = Diagnosis::new(
                    Kind::Misconfigured,
                    "bad_private_key",
                    Some(Target::Client),
                    format!("The private key can't be used: {e}."),
                );
                return Err((Outcome::Misconfigured, diagnosis));
            }
        },
        _ => None,
    };
    loop {
        run.next_login();
        let request = async {
            match (&signer, &run.req.jwt) {
                (Some(signer), Some((_, username))) => {
                    let now = crate::clock::now_ms() / 1000;
                    // Posted to the login URL's token endpoint (a My Domain works), with the
                    // documented audiences first.
                    let audiences = run.req.login.jwt_audiences();
                    run.client
                        .jwt_bearer_any(signer, username, &audiences, now)
                        .await
                }
                _ => run.client.client_credentials().await,
            }
        };
        // A request in flight is dropped at once when the user cancels.
        let result = tokio::select! {
            result = request => result,
            () = crate::cancel::cancelled(run.cancel.clone()) => return Err(cancelled()),
        };
        match result {
            Ok(tokens) => return Ok(tokens),
            Err(failure) => {
                let diagnosis = run.diagnose(&failure, phase);
                if !run.backoff(&diagnosis, Try::Login).await {
                    return Err(run.give_up(diagnosis));
                }
            }
        }
    }
}

/// A retryable failure that ran out of attempts or window is a timeout; others say what they are.
pub(crate) fn give_up_outcome(diagnosis: &Diagnosis) -> Outcome {
    match diagnosis.kind {
        Kind::Propagating => Outcome::TimedOut,
        kind => outcome_of(kind),
    }
}
