//! The imperative shell: reads the terminal, feeds messages to the pure core, carries out the
//! commands it returns (connects, files, browser, clipboard, timers, the demo org), and redraws
//! when something changed. Ticks run only while something on screen moves.

pub mod demo;
pub mod progress;
mod terminal;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{self, Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tokio::sync::{Notify, mpsc, watch};

use crate::connect::{self, Browser, Request};
use crate::recipe;
use crate::retry::RetryPolicy;
use crate::salesforce::hosts::normalize_login_url;
use crate::secret::Secret;
use crate::wizard::{Cmd, ConnectSpec, Key, Model, Msg, Summary, update};
use demo::{DEMO_KEY_MARKER, Demo};
use terminal::TerminalGuard;

const TICK: Duration = Duration::from_millis(100);

pub use crate::clock::now_ms;

/// The connect that is running, and how to steer it.
struct Running {
    cancel: watch::Sender<bool>,
    pastes: mpsc::Sender<String>,
    retry_now: Arc<Notify>,
}

struct Shell {
    tx: mpsc::UnboundedSender<Msg>,
    home: PathBuf,
    running: Option<Running>,
    demo: Option<Demo>,
    /// A verified connection that couldn't be kept for want of a keychain, waiting for the
    /// user's consent to an owner-only file. Its tokens never reach the model.
    pending_keep: Arc<std::sync::Mutex<Option<PendingKeep>>>,
}

struct PendingKeep {
    name: String,
    request: Request,
    report: connect::Report,
    key_path: Option<String>,
}

/// Runs the wizard until the admin quits. The terminal is restored on every way out.
pub fn run(model: Model, demo: Option<Demo>) -> anyhow::Result<()> {
    run_in(model, demo, progress::home()?)
}

/// The same, keeping progress in `home`.
pub fn run_in(model: Model, demo: Option<Demo>, home: PathBuf) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = runtime.block_on(event_loop(model, demo, home));
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

/// The saved unfinished setup, if there is one.
pub fn saved_progress() -> Option<crate::wizard::SavedSetup> {
    progress::home().ok().and_then(|home| progress::load(&home))
}

async fn event_loop(mut model: Model, demo: Option<Demo>, home: PathBuf) -> anyhow::Result<()> {
    let mut guard = TerminalGuard::enter()?;
    let size = guard.terminal.size()?;
    model.size = (size.width, size.height);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let stop_input = Arc::new(AtomicBool::new(false));
    let input = read_terminal(tx.clone(), stop_input.clone());
    let mut shell = Shell {
        tx,
        home,
        running: None,
        demo,
        pending_keep: Arc::default(),
    };
    #[cfg(unix)]
    let mut terminating = Terminating::listen()?;
    let mut ticker = tokio::time::interval(TICK);
    guard
        .terminal
        .draw(|frame| crate::ui::render(&model, frame))?;
    // Debug builds only: lets the end-to-end tests prove a panic restores the terminal.
    #[cfg(debug_assertions)]
    if std::env::var_os("ECA_WIZARD_TEST_PANIC").is_some() {
        panic!("test panic requested by ECA_WIZARD_TEST_PANIC");
    }
    loop {
        #[cfg(unix)]
        let sigterm = terminating.recv();
        #[cfg(not(unix))]
        let sigterm = std::future::pending::<()>();
        let msg = tokio::select! {
            msg = rx.recv() => match msg {
                Some(msg) => msg,
                None => break,
            },
            _ = ticker.tick(), if model.animating() => Msg::Tick(now_ms()),
            _ = sigterm => break,
        };
        // Every input is stamped with the time it arrived (keys too): the core reads no clock,
        // and its saved-at times and countdowns stay right however long the admin is in Setup.
        if !matches!(msg, Msg::Tick(_)) {
            update(&mut model, Msg::Tick(now_ms()));
        }
        for cmd in update(&mut model, msg) {
            shell.carry_out(cmd);
        }
        if model.quit {
            break;
        }
        guard
            .terminal
            .draw(|frame| crate::ui::render(&model, frame))?;
    }
    if let Some(running) = shell.running.take() {
        let _ = running.cancel.send(true);
    }
    stop_input.store(true, Ordering::Relaxed);
    drop(guard);
    let _ = input.join();
    Ok(())
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
        pending.key_path.clone(),
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

/// Writes the setup's metadata project into `./<API name>-metadata`.
fn write_metadata(saved: &crate::wizard::SavedSetup) -> anyhow::Result<PathBuf> {
    let recipe = recipe::builtin_by_id(&saved.recipe)?;
    let answer = |id: &str| saved.answers.get(id).cloned();
    let options = crate::metadata::Options {
        name: answer("api_name"),
        label: answer("app_name"),
        contact_email: answer("contact_email"),
        callback_urls: answer("callback_urls")
            .map(|u| u.lines().map(String::from).collect())
            .unwrap_or_default(),
        run_as: answer("integration_username"),
        permission_set: answer("permission_set"),
        certificate: answer("certificate_path").and_then(|path| std::fs::read_to_string(path).ok()),
        // The checklist creates the app in Setup, which names its policies this way.
        policy_names: crate::metadata::PolicyNames::Setup,
        include_optional: false,
        without_jwt_certificate: false,
    };
    let files = crate::metadata::generate(recipe, &options)?;
    let dir = PathBuf::from(format!(
        "{}-metadata",
        options.name.unwrap_or_else(|| recipe.id.clone())
    ));
    crate::metadata::write_project(&dir, &files, false)?;
    Ok(dir)
}

/// Terminal events on their own thread, polled so the thread can stop.
fn read_terminal(
    tx: mpsc::UnboundedSender<Msg>,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            match event::poll(Duration::from_millis(200)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(_) => break,
            }
            let msg = match event::read() {
                Ok(TermEvent::Key(key)) => key_msg(key),
                Ok(TermEvent::Paste(text)) => Some(Msg::Paste(text)),
                Ok(TermEvent::Resize(w, h)) => Some(Msg::Resize(w, h)),
                Ok(_) => None,
                Err(_) => break,
            };
            if let Some(msg) = msg
                && tx.send(msg).is_err()
            {
                break;
            }
        }
    })
}

fn key_msg(key: KeyEvent) -> Option<Msg> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let key = match key.code {
        KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Tab => Key::Tab,
        KeyCode::BackTab => Key::BackTab,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::Backspace => Key::Backspace,
        KeyCode::Delete => Key::Delete,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::F(n) => Key::F(n),
        _ => return None,
    };
    Some(Msg::Key(key))
}

impl Shell {
    fn send(&self, msg: Msg) {
        let _ = self.tx.send(msg);
    }

    fn carry_out(&mut self, cmd: Cmd) {
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
            Cmd::ClearProgress => {
                let _ = progress::clear(&self.home);
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
                            "Couldn't open a browser ({}); copy the address instead.",
                            e.kind()
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
            Cmd::WriteMetadata(saved) => {
                let message = match write_metadata(&saved) {
                    Ok(dir) => format!(
                        "Wrote the metadata project to {}; its README says how to deploy it.",
                        dir.display()
                    ),
                    Err(e) => format!("No metadata written: {e}"),
                };
                self.send(Msg::Failed(message));
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

    fn register_demo_app(&mut self, saved: &crate::wizard::SavedSetup) {
        let Some(demo) = self.demo.as_mut() else {
            return;
        };
        let Ok(recipe) = recipe::builtin_by_id(&saved.recipe) else {
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

    fn connect(&mut self, spec: ConnectSpec) {
        let run = spec.run;
        let spec_save_as = spec.save_as.clone();
        let spec_key_path = spec.private_key_path.clone();
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
        let (save_as, key_path) = (spec_save_as, spec_key_path);
        let pending_slot = self.pending_keep.clone();
        tokio::spawn(async move {
            let events_tx = tx.clone();
            let mut events = move |event| {
                let _ = events_tx.send(Msg::Connect {
                    run,
                    event,
                    at_ms: now_ms(),
                });
            };
            let report = connect::connect(&request, &mut events, Some(pastes), cancel).await;
            if let (Some(name), connect::Outcome::Connected) = (save_as, report.outcome) {
                let pending = PendingKeep {
                    name,
                    request,
                    report: report.clone(),
                    key_path,
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
        let recipe = recipe::builtin_by_id(&spec.recipe_id)?;
        let login = normalize_login_url(&spec.login_url)
            .map_err(anyhow::Error::msg)?
            .host;
        let jwt = match (&spec.private_key_path, recipe.flow) {
            (Some(path), crate::salesforce::Flow::JwtBearer) => {
                let pem = if self.demo.is_some() && path == DEMO_KEY_MARKER {
                    crate::emulator::org::DEMO_JWT_KEY.to_string()
                } else {
                    std::fs::read_to_string(path)
                        .map_err(|e| anyhow::anyhow!("can't read the private key {path}: {e}"))?
                };
                let username = spec.expected_username.clone().unwrap_or_default();
                Some((Secret::new(pem), username))
            }
            _ => None,
        };
        let saved_ago = spec.app_saved_at_ms.map_or(Duration::ZERO, |at| {
            Duration::from_millis(now_ms().saturating_sub(at))
        });
        Ok(Request {
            recipe: recipe.clone(),
            flow: recipe.flow,
            login,
            client_id: spec.client_id,
            client_secret: spec.client_secret,
            callback_urls: recipe
                .default_callback_urls()
                .into_iter()
                .filter(|u| u.starts_with("http://"))
                .collect(),
            browser: if spec.open_browser {
                Browser::Open
            } else {
                Browser::Paste
            },
            timeout: Duration::from_secs(600),
            policy: RetryPolicy::default(),
            saved_ago,
            jwt,
            expected_username: spec.expected_username,
            recheck_for: if spec.after_fix {
                RetryPolicy::default().window
            } else {
                Duration::ZERO
            },
            retry_now: None,
        })
    }
}

/// Every signal that ends a terminal program: SIGTERM, SIGHUP (the terminal closed), SIGINT and
/// SIGQUIT from `kill` (the keys arrive as keys in raw mode). Listening replaces their default
/// action, so the loop ends and the terminal guard restores the screen.
#[cfg(unix)]
struct Terminating {
    term: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
    interrupt: tokio::signal::unix::Signal,
    quit: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Terminating {
    fn listen() -> std::io::Result<Terminating> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Terminating {
            term: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
            interrupt: signal(SignalKind::interrupt())?,
            quit: signal(SignalKind::quit())?,
        })
    }

    async fn recv(&mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.hangup.recv() => {}
            _ = self.interrupt.recv() => {}
            _ = self.quit.recv() => {}
        }
    }
}
