//! The one pseudo-terminal driver: `eca-wizard` started with the shared launcher's environment
//! in a pty of a given size, its output read into a vt100 parser on a thread, keys written to it.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtyPair, PtySize, native_pty_system};

use crate::common::{launch, screen};

pub const ROWS: u16 = 30;
pub const COLS: u16 = 100;
pub const ENTER: &str = "\r";
pub const DOWN: &str = "\x1b[B";

/// How a wizard is started: its arguments, the terminal's size, and what its environment adds
/// to the launcher's.
pub struct Start<'a> {
    pub args: &'a [&'a str],
    pub size: (u16, u16),
    /// The stub browser as `$BROWSER`; without it the wizard has no browser at all.
    pub browser: bool,
    /// Extra variables (set to "1"), e.g. `ECA_WIZARD_TEST_PANIC`.
    pub flag: Option<&'a str>,
    /// `TMPDIR`, where the demo makes its folder.
    pub tmp: Option<&'a Path>,
}

impl<'a> Start<'a> {
    pub fn new(args: &'a [&'a str]) -> Start<'a> {
        Start {
            args,
            size: (ROWS, COLS),
            browser: true,
            flag: None,
            tmp: None,
        }
    }
}

/// A pty of `(rows, cols)` and the wizard's command in it: `args`, the launcher's environment
/// with its home in `home` (created, and the working folder), `TERM`.
pub fn open(start: &Start, home: &Path) -> (PtyPair, CommandBuilder) {
    std::fs::create_dir_all(home).unwrap();
    let (rows, cols) = start.size;
    let pair = native_pty_system()
        .openpty(PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(launch::BINARY);
    command.args(start.args);
    command.cwd(home);
    command.env_clear();
    for (name, value) in launch::environment(home) {
        command.env(name, value);
    }
    command.env("TERM", "xterm-256color");
    if let Some(flag) = start.flag {
        command.env(flag, "1");
        command.env("RUST_BACKTRACE", "0");
    }
    if start.browser {
        command.env("BROWSER", launch::BROWSER_STUB);
    }
    if let Some(tmp) = start.tmp {
        command.env("TMPDIR", tmp);
    }
    (pair, command)
}

pub struct Tui {
    pub child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    pub parser: Arc<Mutex<vt100::Parser>>,
    _master: Box<dyn MasterPty + Send>,
    _home: crate::common::temp::Folder,
}

impl Tui {
    /// The wizard with `args` at the usual size, with the stub browser.
    pub fn start(args: &[&str]) -> Tui {
        Tui::spawn(&Start::new(args))
    }

    pub fn spawn(start: &Start) -> Tui {
        let home = crate::common::temp::folder("home");
        let (pair, command) = open(start, &home);
        let child = pair.slave.spawn_command(command).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let (rows, cols) = start.size;
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
            _home: home,
        }
    }

    /// The wizard's data folder (`ECA_WIZARD_HOME`), removed when the driver is dropped.
    pub fn home(&self) -> &Path {
        &self._home
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits until the screen shows `text`, and returns the frame once it is drawn whole.
    pub fn wait_for(&self, text: &str, timeout: Duration) -> String {
        let shown = screen::wait_for(text, timeout, || self.screen());
        self.whole(shown)
    }

    /// The screen once its frame is drawn whole. A frame reaches the terminal row by row, so a
    /// read can catch its top rows before the footer (a test then saw "What are you connecting?"
    /// without the help line under it); two equal reads 100 ms apart are a whole frame.
    fn whole(&self, mut shown: String) -> String {
        for _ in 0..30 {
            std::thread::sleep(Duration::from_millis(100));
            let again = self.screen();
            if again == shown {
                break;
            }
            shown = again;
        }
        shown
    }

    /// Presses Enter step by step until one of `goals` shows.
    pub fn enter_until(&mut self, goals: &[&str], timeout: Duration) -> String {
        let pace = Duration::from_millis(400);
        let parser = self.parser.clone();
        let screen = move || parser.lock().unwrap().screen().contents();
        let shown = screen::until(goals, timeout, pace, screen, |shown| {
            if screen::takes_enter(shown) {
                self.send(ENTER);
            }
        });
        self.whole(shown)
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
