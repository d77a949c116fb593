//! Carrying out the core's commands: connects, files, the browser, the clipboard, timers and
//! the demo org. Each command carries the data it needs; results come back as messages.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, mpsc, watch};

use super::demo::{self, Demo};
use super::{Clock, progress, terminal};
use crate::connect::{self, Browser, Request};
use crate::recipe;
use crate::retry::RetryPolicy;
use crate::salesforce::hosts::normalize_login_url;
use crate::secret::Secret;
use crate::wizard::{Cmd, ConnectSpec, Msg, PemSource, Summary};

/// The connect that is running, and how to steer it.
pub(super) struct Running {
    pub cancel: watch::Sender<bool>,
    pastes: mpsc::Sender<String>,
    retry_now: Arc<Notify>,
}

pub(super) struct Shell {
    pub tx: mpsc::UnboundedSender<Msg>,
    /// Where progress is saved.
    pub home: PathBuf,
    /// Where the review screen's metadata project is written (the current folder).
    /// The wall clock, in ms since the epoch; tests give their own.
    pub clock: Clock,
    pub running: Option<Running>,
    pub demo: Option<Demo>,
    /// A verified connection that couldn't be kept for want of a keychain, waiting for the
    /// user's consent to an owner-only file. Its tokens never reach the model.
    pub pending_keep: Arc<std::sync::Mutex<Option<PendingKeep>>>,
    /// The apply running for "Set it up for me", awaited before the program ends.
    pub applying: Option<tokio::task::JoinHandle<()>>,
}

pub(super) struct PendingKeep {
    name: String,
    request: Request,
    report: connect::Report,
    app: crate::profile::AppDetails,
}

/// Keeps a verified connection as a profile: the keychain, or the file when the user consented
/// with ECA_WIZARD_SECRETS=file.
/// Keeps a verified connection as a profile in the keychain, or in the owner-only file when the
/// user consented (ECA_WIZARD_SECRETS=file, or `k` on the done screen).
fn keep(pending: &PendingKeep, consent_to_file: bool) -> Result<String, KeepFailure> {
    let fail = |e: String| KeepFailure {
        message: e,
        no_keychain: false,
    };
    let dir = crate::profile::profiles_dir().map_err(|e| fail(e.to_string()))?;
    let store =
        crate::profile::SecretStore::choose(&dir, consent_to_file).map_err(|e| KeepFailure {
            no_keychain: matches!(e, crate::profile::SecretsError::NoKeychain),
            message: e.to_string(),
        })?;
    let place = crate::profile::keep(
        &dir,
        &pending.name,
        &pending.request,
        &pending.report,
        store,
        pending.app.clone(),
    )
    .map_err(|e| fail(e.to_string()))?;
    Ok(format!(
        "profile {} in {}; secrets in {place}",
        pending.name,
        dir.display()
    ))
}

struct KeepFailure {
    message: String,
    no_keychain: bool,
}

/// Writes the setup's metadata project into `<into>/<API name>-metadata`.
fn write_metadata(
    saved: &crate::wizard::SavedSetup,
    into: &std::path::Path,
) -> anyhow::Result<PathBuf> {
    let recipe = saved.variant(recipe::by_id(&saved.recipe)?);
    // The `metadata` command's own builder: a certificate it refuses is refused here too.
    let options = super::apply::setup_choices(saved, recipe).options()?;
    let files = crate::metadata::generate(recipe, &options)?;
    let dir = into.to_path_buf();
    crate::metadata::write_project(&dir, &files, false)?;
    Ok(dir)
}

/// A PEM file a field names, read whole (a real one is a few KiB; more is not a PEM file).
fn read_pem(path: &str) -> Result<String, String> {
    use std::io::Read;
    const MOST: u64 = 256 * 1024;
    let file = std::fs::File::open(crate::files::expand_home(path)).map_err(|e| {
        format!("Can't open {path}: {e}. Check the path (~ means your home folder)")
    })?;
    let mut text = String::new();
    file.take(MOST + 1)
        .read_to_string(&mut text)
        .map_err(|_| format!("{path} is not a text (PEM) file"))?;
    if text.len() as u64 > MOST {
        return Err(format!(
            "{path} is far too big for a PEM certificate or key"
        ));
    }
    Ok(text)
}

impl Shell {
    fn send(&self, msg: Msg) {
        let _ = self.tx.send(msg);
    }

    pub fn carry_out(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::Quit => {}
            Cmd::SaveProgress(saved) => {
                if let Err(e) = progress::save(&self.home, &saved) {
                    self.send(Msg::Failed(format!(
                        "Couldn't save progress in {}: {e}",
                        self.home.display()
                    )));
                }
            }
            Cmd::ClearProgress(key) => {
                let _ = progress::clear(&self.home, &key);
            }
            Cmd::Connect(spec) => self.connect(*spec),
            Cmd::CancelConnect => {
                if let Some(running) = self.running.take() {
                    let _ = running.cancel.send(true);
                }
            }
            Cmd::RetryNow => {
                if let Some(running) = &self.running {
                    running.retry_now.notify_one();
                }
            }
            Cmd::Paste(text) => {
                if let Some(running) = &self.running {
                    let _ = running.pastes.try_send(text);
                }
            }
            Cmd::OpenUrl(url) => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    if let Err(e) = crate::browser::open(&url) {
                        let _ = tx.send(Msg::Failed(format!(
                            "Couldn't open a browser. {e}; or copy the address instead."
                        )));
                    }
                });
            }
            Cmd::Copy(text) => {
                let _ = terminal::copy_osc52(&text);
            }
            Cmd::Timer { id, after_ms } => {
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(after_ms)).await;
                    let _ = tx.send(Msg::Timer(id));
                });
            }
            Cmd::DemoRegisterApp(saved) => self.register_demo_app(&saved),
            Cmd::DemoRevealSecret { api_name } => self.reveal_demo_secret(&api_name),
            Cmd::CheckDrift {
                run,
                recipe,
                choices,
                api_name,
                target,
            } => {
                let source = self.admin_source(&target);
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    let result = super::apply::drift(&recipe, &choices, &api_name, source).await;
                    let _ = tx.send(Msg::Drift { run, result });
                });
            }
            Cmd::Apply(spec) => {
                let source = self.admin_source(&spec.target);
                let tx = self.tx.clone();
                self.applying = Some(tokio::spawn(super::apply::run(*spec, source, tx)));
            }
            Cmd::KeepInFile => {
                let pending = self
                    .pending_keep
                    .lock()
                    .ok()
                    .and_then(|mut slot| slot.take());
                if let Some(pending) = pending {
                    let kept = keep(&pending, true).map_err(|failure| failure.message);
                    self.send(Msg::Kept(kept));
                }
            }
            Cmd::InspectFile { field, path, kind } => {
                let result =
                    read_pem(&path).and_then(|text| crate::jwt::inspect_pem(kind, &text, &path));
                self.send(Msg::FileInspected {
                    field,
                    path,
                    result,
                });
            }
            Cmd::WriteMetadata { saved, into } => {
                let into = crate::files::expand_home(&into);
                let written = write_metadata(&saved, &into)
                    .map(|dir| dir.display().to_string())
                    .map_err(|e| e.to_string());
                self.send(Msg::MetadataWritten(written));
            }
            Cmd::DemoSignIn { url, username } => {
                let (tx, pastes) = (
                    self.tx.clone(),
                    self.running.as_ref().map(|r| r.pastes.clone()),
                );
                tokio::spawn(async move {
                    match demo::sign_in(&url, &username).await {
                        Ok(redirect) => {
                            if let Some(pastes) = pastes {
                                let _ = pastes.send(redirect).await;
                            }
                        }
                        Err(e) => {
                            let _ = tx.send(Msg::Failed(format!(
                                "Signing in to the demo org failed: {e}"
                            )));
                        }
                    }
                });
            }
        }
    }

    /// The admin's session for apply and drift: the CLI login, or the demo admin's.
    fn admin_source(&self, target: &str) -> super::apply::Source {
        match &self.demo {
            Some(demo) => demo.admin_source(),
            None => super::apply::Source::Cli(target.to_string()),
        }
    }

    fn register_demo_app(&mut self, saved: &crate::wizard::SavedSetup) {
        let Some(demo) = self.demo.as_mut() else {
            return;
        };
        let Ok(recipe) = recipe::by_id(&saved.recipe).map(|r| saved.variant(r)) else {
            return;
        };
        match demo.register(saved, recipe) {
            Ok((consumer_key, consumer_secret)) => self.send(Msg::DemoAppRegistered {
                consumer_key,
                consumer_secret,
            }),
            Err(e) => self.send(Msg::Failed(format!("The demo org refused the app: {e}"))),
        }
    }

    /// The demo's stand-in for copying the secret from Setup: read from the emulator.
    fn reveal_demo_secret(&mut self, api_name: &str) {
        let Some(app) = self.demo.as_ref().and_then(|d| d.emulator.app(api_name)) else {
            return self.send(Msg::Failed(format!(
                "The demo org has no app named {api_name} to copy the secret from."
            )));
        };
        self.send(Msg::DemoSecretRevealed {
            consumer_key: app.consumer_key,
            consumer_secret: Secret::new(app.consumer_secret),
        });
    }

    fn connect(&mut self, spec: ConnectSpec) {
        let run = spec.run;
        let spec_save_as = spec.save_as.clone();
        let spec_app = crate::profile::AppDetails {
            callback_urls: spec.app_callback_urls.clone(),
            api_name: spec.api_name.clone(),
            app_name: spec.app_name.clone(),
            private_key_path: spec
                .private_key
                .as_ref()
                .and_then(|key| key.path().map(String::from)),
            target_org: spec.target_org.clone(),
        };
        let request = match self.request(spec) {
            Ok(request) => request,
            Err(e) => {
                let summary = Summary {
                    outcome: connect::Outcome::Failed,
                    checks: Vec::new(),
                    diagnosis: Some(crate::salesforce::diagnosis::Diagnosis::transient(
                        "setup",
                        e.to_string(),
                    )),
                    instance_url: None,
                    identity: None,
                    attempts: 0,
                };
                self.send(Msg::ConnectFinished {
                    run,
                    summary: Box::new(summary),
                });
                return;
            }
        };
        let (cancel_tx, cancel) = watch::channel(false);
        let (paste_tx, pastes) = mpsc::channel(4);
        let retry_now = Arc::new(Notify::new());
        let mut request = request;
        request.retry_now = Some(retry_now.clone());
        if let Some(previous) = self.running.replace(Running {
            cancel: cancel_tx,
            pastes: paste_tx,
            retry_now,
        }) {
            let _ = previous.cancel.send(true);
        }
        let tx = self.tx.clone();
        let events_clock = self.clock.clone();
        let (save_as, app) = (spec_save_as, spec_app);
        let pending_slot = self.pending_keep.clone();
        tokio::spawn(async move {
            let events_tx = tx.clone();
            let clock = events_clock;
            let mut events = move |event| {
                let _ = events_tx.send(Msg::Connect {
                    run,
                    event,
                    at_ms: clock(),
                });
            };
            let report = connect::connect(&request, &mut events, Some(pastes), cancel).await;
            if let (Some(name), connect::Outcome::Connected) = (save_as, report.outcome) {
                let pending = PendingKeep {
                    name,
                    request,
                    report: report.clone(),
                    app,
                };
                match keep(&pending, false) {
                    Ok(place) => {
                        let _ = tx.send(Msg::Kept(Ok(place)));
                    }
                    Err(failure) if failure.no_keychain => {
                        if let Ok(mut slot) = pending_slot.lock() {
                            *slot = Some(pending);
                        }
                        let _ = tx.send(Msg::OfferKeepInFile(
                            "no OS keychain is available here".into(),
                        ));
                    }
                    Err(failure) => {
                        let _ = tx.send(Msg::Kept(Err(failure.message)));
                    }
                }
            }
            // Every callback port taken: the fix can propose a free one to add to the app.
            if report
                .diagnosis
                .as_ref()
                .is_some_and(|d| d.error == connect::NO_FREE_PORT)
                && let Some(port) = crate::oauth::listener::spare_callback_port()
            {
                let _ = tx.send(Msg::SpareCallbackPort { run, port });
            }
            let summary = Summary {
                outcome: report.outcome,
                checks: report.checks,
                diagnosis: report.diagnosis,
                instance_url: report.instance_url,
                identity: report.identity,
                attempts: report.attempts,
            };
            let _ = tx.send(Msg::ConnectFinished {
                run,
                summary: Box::new(summary),
            });
        });
    }

    fn request(&self, spec: ConnectSpec) -> anyhow::Result<Request> {
        let recipe = recipe::answers::variant(recipe::by_id(&spec.recipe_id)?, &spec.choices);
        let login = normalize_login_url(&spec.login_url)
            .map_err(anyhow::Error::msg)?
            .host;
        let jwt = match (&spec.private_key, recipe.flow) {
            (Some(key), crate::salesforce::Flow::JwtBearer) => {
                let pem = match key {
                    PemSource::DemoKey if self.demo.is_some() => {
                        crate::emulator::org::DEMO_JWT_KEY.to_string()
                    }
                    PemSource::File(path) => {
                        std::fs::read_to_string(crate::files::expand_home(path)).map_err(|e| {
                            anyhow::anyhow!("can't read the private key {path}: {e}")
                        })?
                    }
                    other => anyhow::bail!("{other:?} is no private key outside the demo"),
                };
                let username = spec.expected_username.clone().unwrap_or_default();
                Some((Secret::new(pem), username))
            }
            _ => None,
        };
        let mcp_url = spec.mcp_url.clone();
        let saved_ago = spec.app_saved_at_ms.map_or(Duration::ZERO, |at| {
            Duration::from_millis((self.clock)().saturating_sub(at))
        });
        // The listener waits on a URL the app lists: the loopback ones the admin entered in
        // the Callback URL field (a port added there is tried too), the recipe's when none.
        let loopback = |urls: Vec<String>| -> Vec<String> {
            urls.into_iter()
                .filter(|u| u.starts_with("http://"))
                .collect()
        };
        let mut callback_urls = loopback(spec.app_callback_urls.clone());
        if callback_urls.is_empty() {
            callback_urls = loopback(recipe.default_callback_urls());
        }
        Ok(Request {
            recipe: recipe.clone(),
            flow: recipe.flow,
            login,
            client_id: spec.client_id,
            client_secret: spec.client_secret,
            callback_urls,
            browser: if spec.open_browser {
                Browser::Open
            } else {
                Browser::Paste
            },
            timeout: Duration::from_secs(600),
            policy: policy_for(recipe),
            saved_ago,
            jwt,
            expected_username: spec.expected_username,
            recheck_for: if spec.after_fix {
                policy_for(recipe).window
            } else {
                Duration::ZERO
            },
            retry_now: None,
            mcp_url,
        })
    }
}

/// The connect's retries: a recipe whose vendor says a new app takes longer than Salesforce's
/// usual window (`propagation_minutes`) is waited for that long, as `connect` does.
fn policy_for(recipe: &crate::recipe::Recipe) -> RetryPolicy {
    let mut policy = RetryPolicy::default();
    let minutes = u64::from(recipe.propagation_minutes.unwrap_or(0));
    policy.window = policy.window.max(Duration::from_secs(minutes * 60));
    policy
}

#[cfg(test)]
mod metadata_tests;
