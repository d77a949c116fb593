//! The imperative shell: a loop that reads inputs, feeds them to the pure core stamped with the
//! time, carries out the commands it returns (`effects`), and redraws. The loop is generic over
//! the ratatui backend and fed by a channel, so tests drive it on `TestBackend` (`drive`);
//! production wraps it with the terminal guard, crossterm input and the signals (`run`).

mod apply;
pub mod demo;
mod effects;
mod input;
pub mod progress;
mod terminal;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::{mpsc, watch};

use crate::wizard::{Model, Msg, update};
use demo::Demo;
use effects::Shell;
use terminal::TerminalGuard;

const TICK: Duration = Duration::from_millis(100);
/// How long quitting waits for a running apply to end (a deploy poll is 2 s; a deploy takes
/// seconds).
const APPLY_GRACE: Duration = Duration::from_secs(90);

pub use crate::clock::now_ms;

/// The wall clock in ms since the epoch. Production reads the system's; tests bring their own.
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(now_ms)
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
    let result = runtime.block_on(in_terminal(model, demo, home));
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

/// The unfinished setups on disk, most recent first.
pub fn saved_progress() -> Vec<crate::wizard::SavedSetup> {
    progress::home()
        .map(|home| progress::load_all(&home))
        .unwrap_or_default()
}

/// What a run of the loop needs besides the model and the terminal.
pub struct Driver {
    /// Inputs arrive here; the loop's own tasks (connects, timers) send here too.
    pub tx: mpsc::UnboundedSender<Msg>,
    pub rx: mpsc::UnboundedReceiver<Msg>,
    pub home: PathBuf,
    /// Where the review screen writes metadata projects.
    pub metadata_dir: PathBuf,
    pub demo: Option<Demo>,
    pub clock: Clock,
    /// Each drawn frame as text, for tests that read the screen.
    pub frames: Option<watch::Sender<String>>,
}

/// Where metadata projects go by default: beside the saved progress, except in the demo, whose
/// progress folder is removed on quit: there, the data folder the real wizard uses, so that a
/// project written in the demo survives it.
fn metadata_home(progress_home: &std::path::Path, demo: bool) -> PathBuf {
    let home = match progress::home() {
        Ok(data_home) if demo => data_home,
        _ => progress_home.to_path_buf(),
    };
    home.join("metadata")
}

/// The production loop: the real terminal, crossterm input, the signals.
async fn in_terminal(model: Model, demo: Option<Demo>, home: PathBuf) -> anyhow::Result<()> {
    let mut guard = TerminalGuard::enter()?;
    let (tx, rx) = mpsc::unbounded_channel();
    let stop_input = Arc::new(AtomicBool::new(false));
    let reader = input::read_terminal(tx.clone(), stop_input.clone());
    #[cfg(unix)]
    let mut terminating = input::Terminating::listen()?;
    #[cfg(unix)]
    let stop = terminating.recv();
    #[cfg(not(unix))]
    let stop = std::future::pending::<()>();
    let driver = Driver {
        tx,
        rx,
        metadata_dir: metadata_home(&home, demo.is_some()),
        home,
        demo,
        clock: system_clock(),
        frames: None,
    };
    // Debug builds only: lets the end-to-end tests prove a panic restores the terminal.
    #[cfg(debug_assertions)]
    let model = {
        let mut model = model;
        if std::env::var_os("ECA_WIZARD_TEST_PANIC").is_some() {
            let size = guard.terminal.size()?;
            update(&mut model, Msg::Resize(size.width, size.height));
            guard
                .terminal
                .draw(|frame| crate::ui::render(&model, frame))?;
            panic!("test panic requested by ECA_WIZARD_TEST_PANIC");
        }
        model
    };
    let result = drive(&mut guard.terminal, model, driver, stop).await;
    stop_input.store(true, Ordering::Relaxed);
    guard.leave();
    // On a closed terminal the reader can spin inside crossterm's poll and never see the stop
    // flag: it gets a moment, then ends with the process.
    let deadline = std::time::Instant::now() + Duration::from_millis(500);
    while !reader.is_finished() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    if reader.is_finished() {
        let _ = reader.join();
    }
    result.map(|_| ())
}

/// The loop itself, on any backend: until the admin quits, the inputs end or `stop` fires.
/// Returns the final model.
pub async fn drive<B: Backend>(
    terminal: &mut Terminal<B>,
    mut model: Model,
    driver: Driver,
    stop: impl std::future::Future<Output = ()>,
) -> anyhow::Result<Model>
where
    B::Error: Send + Sync + 'static,
{
    let Driver {
        tx,
        mut rx,
        home,
        metadata_dir,
        demo,
        clock,
        frames,
    } = driver;
    let size = terminal.size()?;
    update(&mut model, Msg::Resize(size.width, size.height));
    // The metadata prompt proposes a folder under the data folder, shown in full.
    update(
        &mut model,
        Msg::MetadataHome(metadata_dir.display().to_string()),
    );
    let mut shell = Shell {
        tx,
        home,
        clock: clock.clone(),
        running: None,
        demo,
        pending_keep: Arc::default(),
        applying: None,
    };
    // "Set it up for me" is offered when a CLI login exists (in the demo: the demo admin's).
    match shell.demo.as_ref() {
        Some(demo) => {
            let _ = shell.tx.send(Msg::CliLogin(Some(demo.admin_login())));
        }
        None => {
            let tx = shell.tx.clone();
            tokio::spawn(async move {
                let _ = tx.send(Msg::CliLogin(apply::find_cli_login().await));
            });
        }
    }
    let mut ticker = tokio::time::interval(TICK);
    draw(terminal, &mut model, frames.as_ref())?;
    tokio::pin!(stop);
    loop {
        let msg = tokio::select! {
            msg = rx.recv() => match msg {
                Some(msg) => msg,
                None => break,
            },
            _ = ticker.tick(), if model.animating() => Msg::Tick(clock()),
            () = &mut stop => {
                // A signal: save what was typed, then end.
                for cmd in update(&mut model, Msg::Terminating) {
                    shell.carry_out(cmd);
                }
                break;
            }
        };
        // Every input is stamped with the time it arrived (keys too): the core reads no clock,
        // and its saved-at times and countdowns stay right however long the admin is in Setup.
        if !matches!(msg, Msg::Tick(_)) {
            update(&mut model, Msg::Tick(clock()));
        }
        for cmd in update(&mut model, msg) {
            shell.carry_out(cmd);
        }
        if model.quit {
            break;
        }
        draw(terminal, &mut model, frames.as_ref())?;
    }
    if let Some(running) = shell.running.take() {
        let _ = running.cancel.send(true);
    }
    // An apply cut short could leave the org's secret setting on or a deploy unreported: it
    // ends on its own (its steps are short), within a bound.
    if let Some(applying) = shell.applying.take()
        && !applying.is_finished()
    {
        // The core says why it waits (see `quit`); this frame shows it.
        draw(terminal, &mut model, frames.as_ref())?;
        let _ = tokio::time::timeout(APPLY_GRACE, applying).await;
    }
    Ok(model)
}

/// Draws a frame, then tells the core what the layout allows now (it keeps scroll offsets in
/// range with it) when that changed.
fn draw<B: Backend>(
    terminal: &mut Terminal<B>,
    model: &mut Model,
    frames: Option<&watch::Sender<String>>,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let layout = crate::ui::layout(model);
    if let Msg::Layout { page, max_scroll } = layout
        && (page, max_scroll) != (model.viewport.page, model.viewport.max_scroll)
    {
        update(model, layout);
    }
    let frame = terminal.draw(|frame| crate::ui::render(model, frame))?;
    if let Some(frames) = frames {
        let buffer = frame.buffer;
        let mut text = String::new();
        for y in 0..buffer.area.height {
            for x in 0..buffer.area.width {
                text.push_str(buffer[(x, y)].symbol());
            }
            text.push('\n');
        }
        let _ = frames.send(text);
    }
    Ok(())
}
