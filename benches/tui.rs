//! TUI figures: render time per screen at 120x40, start-up to the first frame, and CPU use
//! while idle on the connect screen. Run with `cargo bench --bench tui` (release build; the
//! last two drive the real binary in a pseudo-terminal on this machine).

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use eca_wizard::connect::Event;
use eca_wizard::recipe;
use eca_wizard::salesforce::diagnosis::{Diagnosis, Kind, Target};
use eca_wizard::wizard::{Key, Model, Msg, Screen, update};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const RENDERS: u32 = 2000;

fn main() -> anyhow::Result<()> {
    render_times()?;
    startup()?;
    idle_cpu()?;
    Ok(())
}

fn key(model: &mut Model, key: Key) {
    update(model, Msg::Key(key));
}

/// The screens, in the states a user sees them.
fn screens() -> Vec<(&'static str, Model)> {
    let recipes = recipe::builtin().unwrap_or_default();
    let start = Model::new(recipes, Vec::new(), 1_000);
    let mut org = start.clone();
    key(&mut org, Key::Enter);
    let mut step = org.clone();
    for c in "production".chars() {
        key(&mut step, Key::Char(c));
    }
    key(&mut step, Key::Ctrl('u'));
    for c in "production".chars() {
        key(&mut step, Key::Char(c));
    }
    key(&mut step, Key::Enter);
    for _ in 0..3 {
        key(&mut step, Key::PageDown);
    }
    let mut connect = step.clone();
    connect.screen = Screen::Connect(Default::default());
    connect.connect.running = true;
    let waiting = Diagnosis::new(
        Kind::Propagating,
        "invalid_client_id",
        Some(Target::Credentials),
        "not yet",
    );
    let run = connect.connect.run.id();
    update(
        &mut connect,
        Msg::Connect {
            run,
            event: Event::Waiting {
                attempt: 2,
                delay: Duration::from_secs(9),
                diagnosis: waiting,
            },
            at_ms: 1_000,
        },
    );
    vec![
        ("start", start),
        ("org", org),
        ("step", step),
        ("connect", connect),
    ]
}

fn render_times() -> anyhow::Result<()> {
    let mut terminal = Terminal::new(TestBackend::new(120, 40))?;
    for (name, model) in screens() {
        let started = Instant::now();
        for _ in 0..RENDERS {
            terminal.draw(|frame| eca_wizard::ui::render(&model, frame))?;
        }
        let each = started.elapsed() / RENDERS;
        println!(
            "render {name:<8} at 120x40: {:.1} µs per frame (target < 1000 µs)",
            each.as_secs_f64() * 1e6
        );
    }
    Ok(())
}

struct Pty {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    /// The screen as a terminal shows it, and when the first frame appeared.
    output: Arc<Mutex<(vt100::Parser, Option<Instant>)>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

fn spawn(args: &[&str]) -> anyhow::Result<(Pty, Instant)> {
    let pair = native_pty_system().openpty(PtySize {
        rows: 40,
        cols: 120,
        pixel_width: 0,
        pixel_height: 0,
    })?;
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_eca-wizard"));
    command.args(args);
    command.env("TERM", "xterm-256color");
    command.env_remove("BROWSER");
    command.env_remove("DISPLAY");
    command.env(
        "ECA_WIZARD_HOME",
        std::env::temp_dir().join("eca-wizard-bench"),
    );
    let started = Instant::now();
    let child = pair.slave.spawn_command(command)?;
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader()?;
    let writer = pair.master.take_writer()?;
    let output = Arc::new(Mutex::new((vt100::Parser::new(40, 120, 0), None)));
    let sink = output.clone();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buffer) {
            if n == 0 {
                break;
            }
            if let Ok(mut out) = sink.lock() {
                out.0.process(&buffer[..n]);
                if out.1.is_none()
                    && out
                        .0
                        .screen()
                        .contents()
                        .contains("What are you connecting?")
                {
                    out.1 = Some(Instant::now());
                }
            }
        }
    });
    Ok((
        Pty {
            child,
            writer,
            output,
            _master: pair.master,
        },
        started,
    ))
}

fn shows(pty: &Pty, text: &str) -> anyhow::Result<bool> {
    let out = pty.output.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
    Ok(out.0.screen().contents().contains(text))
}

fn wait_for(pty: &Pty, text: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if shows(pty, text)? {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    anyhow::bail!("never saw {text:?}")
}

fn startup() -> anyhow::Result<()> {
    let mut times = Vec::new();
    for _ in 0..10 {
        let (mut pty, started) = spawn(&[])?;
        wait_for(&pty, "What are you connecting?")?;
        let first = pty
            .output
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?
            .1;
        times.push(first.map_or(Duration::MAX, |at| at - started));
        pty.writer.write_all(b"q")?;
        let _ = pty.child.wait();
    }
    times.sort();
    println!(
        "start-up to first frame: median {:.1} ms over 10 runs (target < 30 ms)",
        times[5].as_secs_f64() * 1000.0
    );
    Ok(())
}

/// CPU used by the process while it waits for a login on the connect screen (spinner running).
fn idle_cpu() -> anyhow::Result<()> {
    let (mut pty, _) = spawn(&["demo", "--propagation-delay", "0"])?;
    wait_for(&pty, "What are you connecting?")?;
    pty.writer.write_all(b"\r")?;
    for _ in 0..40 {
        std::thread::sleep(Duration::from_millis(300));
        if shows(&pty, "Waiting for the login")? {
            break;
        }
        pty.writer.write_all(b"\r")?;
    }
    wait_for(&pty, "Waiting for the login")?;
    let pid = pty
        .child
        .process_id()
        .ok_or_else(|| anyhow::anyhow!("no pid"))?;
    let ticks = |pid: u32| -> anyhow::Result<u64> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map_or("", |(_, rest)| rest)
            .split_whitespace()
            .collect();
        Ok(fields[11].parse::<u64>()? + fields[12].parse::<u64>()?)
    };
    let window = Duration::from_secs(5);
    let before = ticks(pid)?;
    std::thread::sleep(window);
    let used = ticks(pid)? - before;
    // Clock ticks are 1/100 s on Linux.
    let percent = used as f64 / 100.0 / window.as_secs_f64() * 100.0;
    println!(
        "idle CPU on the connect screen (spinner, waiting for a login): {percent:.2}% of a core over 5 s (target < 1%)"
    );
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let peak_kb: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kb| kb.parse().ok())
        .unwrap_or(0);
    println!(
        "peak memory of a demo run (emulator included) through setup to the connect screen: {:.1} MB (target < 25 MB)",
        peak_kb as f64 / 1024.0
    );
    pty.writer.write_all(b"\x03")?;
    let _ = pty.child.wait();
    Ok(())
}
