//! The authorization code flow with PKCE: bind the loopback listener, probe until Salesforce
//! knows the app, show the URL and open the browser, take the code from the redirect or a
//! paste, and exchange it (retrying while the app propagates).

use crate::connect::{Browser, Event, Outcome, Pastes, Run, cancelled, give_up_outcome};
use crate::oauth::callback::{self, Returned};
use crate::oauth::listener::{self, WaitError};
use crate::oauth::{Pkce, Probe, Tokens, new_state};
use crate::retry::Try;
use crate::salesforce::diagnosis::{Diagnosis, Kind, Phase, Target};
use crate::salesforce::settings::SettingKey;
use crate::secret::Secret;

type Failed = (Outcome, Diagnosis);

/// The diagnosis's error when every callback port of the app is taken on this machine.
pub const NO_FREE_PORT: &str = "no_free_port";

fn problem(kind: Kind, error: &str, target: Option<Target>, message: String) -> Diagnosis {
    Diagnosis::new(kind, error, target, message)
}

pub(super) async fn obtain(
    run: &mut Run<'_>,
    pastes: &mut Option<Pastes>,
) -> Result<Tokens, Failed> {
    if run.req.browser == Browser::PasteOnly {
        let redirect_uri = run.req.callback_urls.first().cloned().ok_or_else(|| {
            let message = "No callback URL to send as redirect_uri: pass --callback-url with one the app lists.".to_string();
            (Outcome::Misconfigured, problem(Kind::Misconfigured, "no_callback_url", Some(Target::Setting(SettingKey::CallbackUrl)), message))
        })?;
        return authorize(run, None, redirect_uri, pastes).await;
    }
    let listener = listener::bind(&run.req.callback_urls).map_err(|busy| {
        let message = format!(
            "None of the app's callback URLs can be used on this machine ({}). Close what holds those ports, or add another http://localhost:PORT/callback line to the app's Callback URL.",
            busy.tried.iter().map(|(url, why)| format!("{url}: {why}")).collect::<Vec<_>>().join("; ")
        );
        // Something on this machine holds the ports: the user frees one (exit 4).
        (Outcome::UserAction, problem(Kind::UserAction, NO_FREE_PORT, Some(Target::Setting(SettingKey::CallbackUrl)), message))
    })?;
    let redirect_uri = listener.redirect_uri.clone();
    (run.events)(Event::Listening {
        redirect_uri: redirect_uri.clone(),
    });
    authorize(run, Some(listener), redirect_uri, pastes).await
}

/// From the authorize URL to tokens, with the listener (when one is bound) and the pastes.
async fn authorize(
    run: &mut Run<'_>,
    listener: Option<listener::Listener>,
    redirect_uri: String,
    pastes: &mut Option<Pastes>,
) -> Result<Tokens, Failed> {
    let setup = |e: anyhow::Error| {
        (
            Outcome::Failed,
            problem(Kind::Unknown, "setup", None, e.to_string()),
        )
    };
    let pkce = Pkce::generate().map_err(setup)?;
    let state = new_state().map_err(setup)?;
    // An MCP client may ask for no scope and get every scope on the app (api included, which
    // makes the token opaque): asking for none shows what the client will get. Which clients
    // send a scope is UNCONFIRMED.
    let requested = run.req.recipe.requested_scopes();
    let scopes: Vec<&str> = if run.req.recipe.is_mcp() {
        Vec::new()
    } else {
        // The custom scopes too: a token carries one only when it is asked for.
        requested.iter().map(String::as_str).collect()
    };
    let url = run
        .client
        .authorize_url(&redirect_uri, &scopes, &state, &pkce.challenge);

    probe_until_ready(run, &url, &scopes).await?;
    (run.events)(Event::AuthorizeUrl(url.clone()));
    if run.req.browser == Browser::Open {
        let target = url.clone();
        let opened = tokio::task::spawn_blocking(move || crate::browser::open(&target)).await;
        match opened {
            Ok(Ok(())) => (run.events)(Event::BrowserOpened),
            Ok(Err(e)) => (run.events)(Event::BrowserFailed(e.to_string())),
            Err(_) => (run.events)(Event::BrowserFailed("the browser launcher stopped".into())),
        }
    }

    let returned = wait_for_code(run, listener, &state, pastes).await?;
    let code = match returned {
        Returned::Code(code) => code,
        Returned::Error { error, description } => {
            let diagnosis = run.diagnose(
                &crate::oauth::Failure::OAuth {
                    status: 302,
                    error,
                    description,
                },
                Phase::AuthorizeRedirect,
            );
            let diagnosis = with_requested_scopes(diagnosis, &scopes);
            return Err((give_up_outcome(&diagnosis), diagnosis));
        }
    };
    (run.events)(Event::CodeReceived);
    exchange(run, &code, &redirect_uri, &pkce.verifier).await
}

/// Salesforce's `invalid_scope` doesn't say which scope the app lacks (its documented text is
/// "requested scope is invalid, unknown, or malformed": reference/salesforce-oauth.md, error
/// table): the scopes this login asked for, in Setup's words, are what to look for in Selected
/// OAuth Scopes.
fn with_requested_scopes(diagnosis: Diagnosis, scopes: &[&str]) -> Diagnosis {
    let labels = crate::salesforce::scopes::labels_for(scopes.iter().copied());
    if diagnosis.error != "invalid_scope" || labels.is_empty() {
        return diagnosis;
    }
    Diagnosis {
        message: format!(
            "{} This login asked for {}: each must be in the app's Selected OAuth Scopes.",
            diagnosis.message,
            labels.join("; ")
        ),
        ..diagnosis
    }
}

/// Before the browser: Salesforce answers an unknown app or callback with an error page, not a
/// redirect, so probing tells "not propagated yet" from "ready" without a person clicking.
async fn probe_until_ready(run: &mut Run<'_>, url: &str, scopes: &[&str]) -> Result<(), Failed> {
    loop {
        run.next_attempt();
        let failure = match run.client.probe(url).await {
            Probe::Ready => return Ok(()),
            Probe::Refused { error, description } => crate::oauth::Failure::OAuth {
                status: 400,
                error,
                description,
            },
            Probe::Unreachable(failure) => failure,
        };
        let diagnosis = with_requested_scopes(run.diagnose(&failure, Phase::AuthorizePage), scopes);
        if !run.backoff(&diagnosis, Try::Probe).await {
            return Err(run.give_up(diagnosis));
        }
    }
}

async fn wait_for_code(
    run: &mut Run<'_>,
    listener: Option<listener::Listener>,
    state: &Secret,
    pastes: &mut Option<Pastes>,
) -> Result<Returned, Failed> {
    // The listener stops on its own when the paste wins: dropping its future frees the port.
    // Without one (--no-browser), only the paste or the timeout ends the wait.
    let timeout = run.req.timeout;
    let listen_cancel = run.cancel.clone();
    let waiting = async move {
        match listener {
            Some(listener) => listener.wait(state, timeout, listen_cancel).await,
            None => {
                tokio::time::sleep(timeout).await;
                Err(WaitError::TimedOut(timeout.as_secs()))
            }
        }
    };
    tokio::pin!(waiting);
    let cancel = crate::cancel::cancelled(run.cancel.clone());
    tokio::pin!(cancel);
    loop {
        let paste = async {
            match pastes.as_mut() {
                Some(rx) => rx.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            waited = &mut waiting => {
                return match waited {
                    Ok(returned) => Ok(returned),
                    Err(WaitError::TimedOut(secs)) => {
                        let message = format!("No login came back within {secs} seconds. Run connect again, or use --no-browser and paste the address the browser ends on.");
                        Err((Outcome::TimedOut, problem(Kind::UserAction, "timed_out", None, message)))
                    }
                    Err(WaitError::Io(why)) => Err((Outcome::Failed, problem(Kind::Unknown, "listener", None, why))),
                    Err(WaitError::Cancelled) => Err(cancelled()),
                };
            }
            line = paste => match line {
                None => *pastes = None,
                Some(line) => {
                    // Read off the runtime's one thread, so Ctrl-C is heard while a long
                    // paste is read.
                    let expected = state.clone();
                    let reading =
                        tokio::task::spawn_blocking(move || callback::from_paste(&line, &expected));
                    tokio::select! {
                        read = reading => match read {
                            Ok(Ok(returned)) => return Ok(returned),
                            Ok(Err(refused)) => (run.events)(Event::BrowserFailed(refused.to_string())),
                            Err(_) => (run.events)(Event::BrowserFailed("that paste couldn't be read".into())),
                        },
                        () = &mut cancel => return Err(cancelled()),
                    }
                }
            },
            () = &mut cancel => return Err(cancelled()),
        }
    }
}

async fn exchange(
    run: &mut Run<'_>,
    code: &Secret,
    redirect_uri: &str,
    verifier: &Secret,
) -> Result<Tokens, Failed> {
    let secret_sent = run.client.client_secret.is_some();
    loop {
        run.next_login();
        match run.client.exchange_code(code, redirect_uri, verifier).await {
            Ok(tokens) => return Ok(tokens),
            Err(failure) => {
                let diagnosis = run.diagnose(&failure, Phase::CodeExchange { secret_sent });
                if !run.backoff(&diagnosis, Try::Login).await {
                    return Err(run.give_up(diagnosis));
                }
            }
        }
    }
}
