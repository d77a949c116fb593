//! The real binary in a pseudo-terminal: keys typed, the screen read back through a vt100
//! parser. `eca-wizard demo` reaches a green status with a client-credentials and an
//! authorization-code recipe, a `--fault` run is diagnosed and fixed, and the terminal is
//! restored after exit and after SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on purpose

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const ROWS: u16 = 30;
const COLS: u16 = 100;
const ENTER: &str = "\r";
const DOWN: &str = "\x1b[B";

struct Tui {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    _master: Box<dyn MasterPty + Send>,
}

impl Tui {
    fn start(args: &[&str]) -> Tui {
        Tui::start_with(args, true)
    }

    fn start_with_env(args: &[&str], variable: &str) -> Tui {
        Tui::spawn(args, true, Some(variable))
    }

    fn start_with(args: &[&str], browser: bool) -> Tui {
        Tui::spawn(args, browser, None)
    }

    fn spawn(args: &[&str], browser: bool, variable: Option<&str>) -> Tui {
        Tui::spawn_sized(args, browser, variable, (ROWS, COLS))
    }

    /// With `TMPDIR` at `tmp`, where the demo makes its folder.
    #[cfg(unix)]
    fn start_in(args: &[&str], tmp: &std::path::Path) -> Tui {
        Tui::spawn_full(args, true, None, (ROWS, COLS), Some(tmp))
    }

    fn spawn_sized(args: &[&str], browser: bool, variable: Option<&str>, size: (u16, u16)) -> Tui {
        Tui::spawn_full(args, browser, variable, size, None)
    }

    fn spawn_full(
        args: &[&str],
        browser: bool,
        variable: Option<&str>,
        (rows, cols): (u16, u16),
        tmp: Option<&std::path::Path>,
    ) -> Tui {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_eca-wizard"));
        command.args(args);
        command.env("TERM", "xterm-256color");
        if let Some(variable) = variable {
            command.env(variable, "1");
            command.env("RUST_BACKTRACE", "0");
        }
        if browser {
            let stub = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/browser.py");
            command.env("BROWSER", stub);
        } else {
            command.env_remove("BROWSER");
            command.env_remove("WAYLAND_DISPLAY");
        }
        command.env(
            "ECA_WIZARD_HOME",
            std::env::temp_dir().join(format!("eca-e2e-{}", std::process::id())),
        );
        command.env_remove("DISPLAY");
        if let Some(tmp) = tmp {
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

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits until the screen shows `text`.
    fn wait_for(&self, text: &str, timeout: Duration) -> String {
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
    fn enter_until(&mut self, goals: &[&str], timeout: Duration) -> String {
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

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
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
    fn assert_restored(&self) {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        assert!(!screen.alternate_screen(), "still on the alternate screen");
        assert!(!screen.hide_cursor(), "the cursor is still hidden");
    }
}

const MINUTE: Duration = Duration::from_secs(60);

#[test]
fn demo_client_credentials_reaches_green() {
    let mut tui = Tui::start(&["demo", "--auto-approve", "--propagation-delay", "1"]);
    tui.wait_for("What are you connecting?", MINUTE);
    tui.send(DOWN);
    tui.send(DOWN);
    tui.send(ENTER);
    tui.wait_for("Which org?", MINUTE);
    let screen = tui.enter_until(&["All checks passed", "What to fix"], MINUTE);
    assert!(screen.contains("All checks passed"), "{screen}");
    assert!(screen.contains("client credentials token obtained"));
    tui.send(ENTER);
    tui.wait_for("Connected and verified", MINUTE);
    tui.send(ENTER);
    assert!(tui.wait_exit().success());
    tui.assert_restored();
}

#[test]
fn demo_authorization_code_reaches_green_through_the_browser() {
    let mut tui = Tui::start(&["demo", "--auto-approve", "--propagation-delay", "1"]);
    tui.wait_for("What are you connecting?", MINUTE);
    tui.send(ENTER); // Apideck, the first recipe: authorization code with PKCE
    let screen = tui.enter_until(&["All checks passed", "What to fix"], MINUTE);
    assert!(screen.contains("All checks passed"), "{screen}");
    assert!(
        screen.contains("refreshed without the consumer secret"),
        "{screen}"
    );
    tui.send("q");
    tui.wait_for("Quit eca-wizard?", MINUTE);
    tui.send("y");
    assert!(tui.wait_exit().success());
    tui.assert_restored();
}

/// The size most admins have: the whole walk, fault and fix included, at 80x24.
#[test]
fn a_recipe_walks_to_green_at_80x24() {
    let mut tui = Tui::spawn_sized(
        &[
            "demo",
            "--auto-approve",
            "--propagation-delay",
            "1",
            "--fault",
            "refresh-secret",
        ],
        true,
        None,
        (24, 80),
    );
    let start = tui.wait_for("What are you connecting?", MINUTE);
    assert!(
        start.contains("? help") && start.contains("q quit"),
        "{start}"
    );
    tui.send(ENTER);
    let org = tui.wait_for("Which org?", MINUTE);
    assert!(
        org.contains("F1 help") && org.contains("ctrl-q quit"),
        "{org}"
    );
    tui.send(ENTER);
    let step = tui.wait_for("1. ", MINUTE);
    assert!(
        step.contains("help") && step.contains("quit"),
        "the footer keeps help and quit:\n{step}"
    );
    let screen = tui.enter_until(&["All checks passed", "What to fix"], MINUTE);
    assert!(
        screen.contains("What to fix") && screen.contains("Press f"),
        "{screen}"
    );
    tui.send("f");
    let fix = tui.wait_for("Edit Settings", MINUTE);
    assert!(
        fix.contains("→ Require secret for Refresh Token Flow"),
        "{fix}"
    );
    tui.send(ENTER);
    tui.wait_for("All checks passed", MINUTE);
    // The toast gives the footer back after a few seconds.
    tui.wait_for("enter finish", MINUTE);
    tui.send(ENTER);
    let done = tui.wait_for("Connected and verified", MINUTE);
    assert!(
        done.contains("Test Vault"),
        "the vendor's next step:\n{done}"
    );
    tui.send(ENTER);
    assert!(tui.wait_exit().success());
    tui.assert_restored();
}

#[test]
fn a_fault_is_diagnosed_jumped_to_and_fixed() {
    let mut tui = Tui::start(&[
        "demo",
        "--auto-approve",
        "--propagation-delay",
        "1",
        "--fault",
        "refresh-secret",
    ]);
    tui.wait_for("What are you connecting?", MINUTE);
    tui.send(ENTER);
    let screen = tui.enter_until(&["All checks passed", "What to fix"], MINUTE);
    assert!(screen.contains("What to fix"), "{screen}");
    assert!(
        screen.contains("Require secret for Refresh Token Flow"),
        "{screen}"
    );
    tui.send("f");
    let screen = tui.wait_for("Security: the settings Apideck depends on", MINUTE);
    assert!(
        screen.contains("✗"),
        "the step is marked as needing a fix:\n{screen}"
    );
    tui.send(ENTER); // confirming the fixed step reconnects
    let screen = tui.wait_for("All checks passed", MINUTE);
    assert!(
        screen.contains("refreshed without the consumer secret"),
        "{screen}"
    );
    tui.send("q");
    tui.wait_for("Quit eca-wizard?", MINUTE);
    tui.send("y");
    assert!(tui.wait_exit().success());
    tui.assert_restored();
}

/// Sends `signal` to a wizard on its first screen, then checks the terminal came back.
#[cfg(unix)]
fn signal_restores_the_terminal(signal: &str) {
    let mut tui = Tui::start(&["demo", "--auto-approve"]);
    tui.wait_for("What are you connecting?", MINUTE);
    assert!(tui.parser.lock().unwrap().screen().alternate_screen());
    let pid = tui.child.process_id().unwrap();
    std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
    tui.wait_exit();
    tui.assert_restored();
}

#[cfg(unix)] // signals are a Unix matter; `kill` sends them
#[test]
fn sigterm_restores_the_terminal() {
    signal_restores_the_terminal("TERM");
}

#[cfg(unix)] // signals are a Unix matter; `kill` sends them
#[test]
fn sighup_sigint_and_sigquit_restore_the_terminal() {
    // SIGHUP: the terminal window closed; SIGINT and SIGQUIT from `kill` (keys arrive as keys).
    for signal in ["HUP", "INT", "QUIT"] {
        signal_restores_the_terminal(signal);
    }
}

#[test]
fn quitting_mid_setup_asks_and_restores() {
    let mut tui = Tui::start(&["demo", "--auto-approve"]);
    tui.wait_for("What are you connecting?", MINUTE);
    tui.send(ENTER);
    tui.wait_for("Which org?", MINUTE);
    tui.send("\x11"); // ctrl-q
    tui.wait_for("Quit eca-wizard?", MINUTE);
    tui.send("y");
    assert!(tui.wait_exit().success());
    tui.assert_restored();
}

#[test]
fn without_a_browser_the_demo_signs_in_from_the_terminal() {
    // No $BROWSER, no display: the login and consent pages are filled in from the terminal.
    let mut tui = Tui::start_with(&["demo", "--propagation-delay", "1"], false);
    tui.wait_for("What are you connecting?", MINUTE);
    tui.send(ENTER);
    tui.enter_until(&["press s to sign in"], MINUTE);
    tui.send("s");
    let screen = tui.wait_for("All checks passed", MINUTE);
    assert!(
        screen.contains("refreshed without the consumer secret"),
        "{screen}"
    );
    tui.send("q");
    tui.wait_for("Quit eca-wizard?", MINUTE);
    tui.send("y");
    assert!(tui.wait_exit().success());
    tui.assert_restored();
}

#[test]
fn a_panic_restores_the_terminal() {
    // A debug build panics after its first frame when asked to.
    let mut tui = Tui::start_with_env(&["demo", "--auto-approve"], "ECA_WIZARD_TEST_PANIC");
    let status = tui.wait_exit();
    assert!(!status.success());
    tui.assert_restored();
    let screen = tui.screen();
    assert!(
        screen.contains("test panic requested"),
        "the panic message shows on the restored screen:\n{screen}"
    );
}

/// `demo --fault NAME` on the recipe it preselects (the first it applies to): diagnosed, `f`
/// jumps to the step, Enter confirms the fix, and the recheck waits out propagation to green,
/// no other key.
fn fault_is_fixed_to_green(fault: &str, setting: &str) {
    let mut tui = Tui::start(&[
        "demo",
        "--auto-approve",
        "--propagation-delay",
        "2",
        "--fault",
        fault,
    ]);
    let start = tui.wait_for("What are you connecting?", MINUTE);
    assert!(
        start.contains(&format!("Demo fault {fault}: it applies to")),
        "{start}"
    );
    tui.send(ENTER);
    let screen = tui.enter_until(&["All checks passed", "What to fix"], MINUTE);
    assert!(screen.contains("What to fix"), "{fault}: {screen}");
    assert!(
        screen.contains(setting),
        "{fault} names {setting}: {screen}"
    );
    tui.send("f");
    tui.wait_for("✗", MINUTE);
    tui.send(ENTER);
    tui.wait_for("All checks passed", 2 * MINUTE);
    tui.send("q");
    tui.wait_for("Quit eca-wizard?", MINUTE);
    tui.send("y");
    assert!(tui.wait_exit().success());
    tui.assert_restored();
}

#[test]
fn a_missing_run_as_user_is_fixed_to_green() {
    fault_is_fixed_to_green("no-run-as", "Run As");
}

#[test]
fn client_credentials_turned_off_is_fixed_to_green() {
    fault_is_fixed_to_green("flow-off", "Client Credentials");
}

#[test]
fn a_user_without_api_enabled_is_fixed_to_green() {
    fault_is_fixed_to_green("no-api", "API Enabled");
}

#[test]
fn a_missing_refresh_scope_is_fixed_to_green() {
    fault_is_fixed_to_green("no-refresh-scope", "Selected OAuth Scopes");
}

#[test]
fn mcp_jwt_tokens_off_is_fixed_to_green() {
    fault_is_fixed_to_green("jwt-tokens-off", "JWT-based access tokens");
}

#[test]
fn an_inactive_mcp_server_is_fixed_to_green() {
    fault_is_fixed_to_green("mcp-server-inactive", "Activate");
}

#[test]
fn api_beside_mcp_api_is_fixed_to_green() {
    fault_is_fixed_to_green("api-beside-mcp", "Selected OAuth Scopes");
}

/// The demo folders left in `tmp`.
#[cfg(unix)]
fn demo_folders(tmp: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("eca-wizard-demo-"))
        .collect()
}

/// The terminal window closing (the pty's master end goes, as tmux or a terminal emulator
/// does): the demo ends and its folder, random-named and owner-only, goes with it.
#[cfg(unix)] // the closing terminal's SIGHUP and the 0700 folder are Unix's
#[test]
fn closing_the_terminal_leaves_no_demo_folder() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = std::env::temp_dir().join(format!("eca-e2e-tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_eca-wizard"));
    command.args(["demo", "--auto-approve"]);
    command.env("TERM", "xterm-256color");
    command.env("TMPDIR", &tmp);
    command.env("ECA_WIZARD_HOME", tmp.join("home"));
    command.env_remove("DISPLAY");
    command.env_remove("BROWSER");
    let mut child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    // Read on this thread, so that every handle on the master end can be closed after.
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut parser = vt100::Parser::new(ROWS, COLS, 0);
    let mut buffer = [0u8; 8192];
    while !parser
        .screen()
        .contents()
        .contains("What are you connecting?")
    {
        let n = reader.read(&mut buffer).unwrap();
        assert!(n > 0, "the demo ended early");
        parser.process(&buffer[..n]);
    }
    let folders = demo_folders(&tmp);
    assert_eq!(folders.len(), 1, "{folders:?}");
    let name = &folders[0];
    assert!(
        name.len() >= "eca-wizard-demo-".len() + 16
            && !name.contains(&child.process_id().unwrap().to_string()),
        "a random name: {name}"
    );
    let mode = std::fs::metadata(tmp.join(name))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700, "owner-only");
    drop(reader);
    drop(pair.master);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut exited = None;
    while exited.is_none() {
        exited = child.try_wait().unwrap();
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the demo kept running after its terminal closed");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(demo_folders(&tmp), Vec::<String>::new(), "{exited:?}");
    let _ = std::fs::remove_dir_all(&tmp);
}

/// SIGHUP alone (the terminal's hang-up signal) removes the demo folder too.
#[cfg(unix)] // signals are a Unix matter; `kill` sends them
#[test]
fn sighup_leaves_no_demo_folder() {
    let tmp = std::env::temp_dir().join(format!("eca-e2e-hup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let mut tui = Tui::start_in(&["demo", "--auto-approve"], &tmp);
    tui.wait_for("What are you connecting?", MINUTE);
    assert_eq!(demo_folders(&tmp).len(), 1);
    let pid = tui.child.process_id().unwrap();
    std::process::Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .unwrap();
    tui.wait_exit();
    assert_eq!(demo_folders(&tmp), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(&tmp);
}
