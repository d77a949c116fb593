//! The real binary in a pseudo-terminal: keys typed, the screen read back through a vt100
//! parser.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const ENTER: &str = "\r";
pub const DOWN: &str = "\x1b[B";
pub const MINUTE: Duration = Duration::from_secs(60);

/// How the wizard is started in the pseudo-terminal.
pub struct Launch<'a> {
    pub args: &'a [&'a str],
    /// `$BROWSER` is the loopback stub (else no browser and no display).
    pub browser: bool,
    /// An environment variable set to 1.
    pub variable: Option<&'a str>,
    /// Rows and columns.
    pub size: (u16, u16),
    /// `TMPDIR`, where the demo makes its folder.
    pub tmp: Option<&'a Path>,
    /// `ECA_WIZARD_HOME` (else one per test process under the system's temp folder).
    pub home: Option<PathBuf>,
}

impl Default for Launch<'_> {
    fn default() -> Self {
        Launch {
            args: &[],
            browser: true,
            variable: None,
            size: (30, 100),
            tmp: None,
            home: None,
        }
    }
}

pub struct Tui {
    pub child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    pub parser: Arc<Mutex<vt100::Parser>>,
    _master: Box<dyn MasterPty + Send>,
}

impl Tui {
    pub fn launch(launch: Launch) -> Tui {
        let (rows, cols) = launch.size;
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_eca-wizard"));
        command.args(launch.args);
        command.env("TERM", "xterm-256color");
        if let Some(variable) = launch.variable {
            command.env(variable, "1");
            command.env("RUST_BACKTRACE", "0");
        }
        if launch.browser {
            let stub = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/browser.py");
            command.env("BROWSER", stub);
        } else {
            command.env_remove("BROWSER");
            command.env_remove("WAYLAND_DISPLAY");
        }
        let home = launch.home.unwrap_or_else(|| {
            std::env::temp_dir().join(format!("eca-e2e-{}", std::process::id()))
        });
        command.env("ECA_WIZARD_HOME", home);
        command.env_remove("DISPLAY");
        if let Some(tmp) = launch.tmp {
            command.env("TMPDIR", tmp);
        }
        let child = pair.slave.spawn_command(command).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let sink = parser.clone();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buffer[..n]);
            }
        });
        Tui {
            child,
            writer,
            parser,
            _master: pair.master,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits until the screen shows `text`.
    pub fn wait_for(&self, text: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited {timeout:?} for {text:?}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Presses Enter step by step until one of `goals` shows.
    pub fn enter_until(&mut self, goals: &[&str], timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let screen = self.screen();
            if goals.iter().any(|g| screen.contains(g)) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "never reached {goals:?}; the screen:\n{screen}"
            );
            // Connecting and checking need no keys: only press on the setup screens.
            if !screen.contains("Connecting") && !screen.contains("Connection checks") {
                self.send(ENTER);
            }
            std::thread::sleep(Duration::from_millis(400));
        }
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(200)); // let the last bytes arrive
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the wizard did not exit; the screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The terminal is back to normal: main screen, cursor visible.
    pub fn assert_restored(&self) {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        assert!(!screen.alternate_screen(), "still on the alternate screen");
        assert!(!screen.hide_cursor(), "the cursor is still hidden");
    }
}
