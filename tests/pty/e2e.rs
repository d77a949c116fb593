//! The real binary in a pseudo-terminal: keys typed, the screen read back through a vt100
//! parser. `eca-wizard demo` reaches a green status with a client-credentials and an
//! authorization-code recipe, a `--fault` run is diagnosed and fixed, and the terminal is
//! restored after exit and after SIGTERM.

#[cfg(unix)] // the signal and closing-terminal tests
use std::io::Read;
use std::time::Duration;
#[cfg(unix)]
use std::time::Instant;

use crate::common::ports::{all_wizard_ports, wizard_ports};
#[cfg(unix)]
use crate::common::{screen, temp};
#[cfg(unix)]
use crate::terminal::open;
use crate::terminal::{DOWN, ENTER, Start, Tui};

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
    let _ports = wizard_ports(); // an authorization-code login: the wizard listens on 7717-7719
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
    let _ports = wizard_ports(); // an authorization-code login: the wizard listens on 7717-7719
    let mut tui = Tui::spawn(&Start {
        size: (24, 80),
        ..Start::new(&[
            "demo",
            "--auto-approve",
            "--propagation-delay",
            "1",
            "--fault",
            "refresh-secret",
        ])
    });
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
    let _ports = wizard_ports(); // an authorization-code login: the wizard listens on 7717-7719
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

#[cfg(unix)] // signals and the closing terminal are Unix matters
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

#[cfg(unix)] // signals and the closing terminal are Unix matters
#[cfg(unix)] // signals are a Unix matter; `kill` sends them
#[test]
fn sigterm_restores_the_terminal() {
    signal_restores_the_terminal("TERM");
}

#[cfg(unix)] // signals and the closing terminal are Unix matters
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
    let _ports = wizard_ports(); // an authorization-code login: the wizard listens on 7717-7719
    // No $BROWSER, no display: the login and consent pages are filled in from the terminal.
    let mut tui = Tui::spawn(&Start {
        browser: false,
        ..Start::new(&["demo", "--propagation-delay", "1"])
    });
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
    let mut tui = Tui::spawn(&Start {
        flag: Some("ECA_WIZARD_TEST_PANIC"),
        ..Start::new(&["demo", "--auto-approve"])
    });
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
    let _ports = wizard_ports(); // an authorization-code login: the wizard listens on 7717-7719
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

#[cfg(unix)] // signals and the closing terminal are Unix matters
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

#[cfg(unix)] // signals and the closing terminal are Unix matters
/// The terminal window closing (the pty's master end goes, as tmux or a terminal emulator
/// does): the demo ends and its folder, random-named and owner-only, goes with it.
#[cfg(unix)] // the closing terminal's SIGHUP and the 0700 folder are Unix's
#[test]
fn closing_the_terminal_leaves_no_demo_folder() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = temp::created("tmp");
    let start = Start {
        browser: false,
        tmp: Some(&tmp),
        ..Start::new(&["demo", "--auto-approve"])
    };
    let (pair, command) = open(&start, &tmp.join("home"));
    let mut child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    // Read on this thread, so that every handle on the master end can be closed after.
    let mut reader = pair.master.try_clone_reader().unwrap();
    let (rows, cols) = start.size;
    let mut parser = vt100::Parser::new(rows, cols, 0);
    let mut buffer = [0u8; 8192];
    screen::wait_for("What are you connecting?", MINUTE, || {
        let n = reader.read(&mut buffer).unwrap();
        assert!(n > 0, "the demo ended early");
        parser.process(&buffer[..n]);
        parser.screen().contents()
    });
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
}

#[cfg(unix)] // signals and the closing terminal are Unix matters
/// SIGHUP alone (the terminal's hang-up signal) removes the demo folder too.
#[cfg(unix)] // signals are a Unix matter; `kill` sends them
#[test]
fn sighup_leaves_no_demo_folder() {
    let tmp = temp::created("tmp");
    let mut tui = Tui::spawn(&Start {
        tmp: Some(&tmp),
        ..Start::new(&["demo", "--auto-approve"])
    });
    tui.wait_for("What are you connecting?", MINUTE);
    assert_eq!(demo_folders(&tmp).len(), 1);
    let pid = tui.child.process_id().unwrap();
    std::process::Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .unwrap();
    tui.wait_exit();
    assert_eq!(demo_folders(&tmp), Vec::<String>::new());
}

/// With 7717-7719 taken by another program, the connect says so, `f` opens the callback step
/// with a free port added to the field, and confirming it (the demo adds it to its app, as the
/// admin does in Setup) connects through the new port.
#[test]
fn busy_callback_ports_lead_to_another_port_in_the_wizard() {
    let _all = all_wizard_ports();
    // Held here, or already by another program: busy for the wizard either way.
    let held: Vec<std::net::TcpListener> = [7717u16, 7718, 7719]
        .iter()
        .filter_map(|port| std::net::TcpListener::bind(("127.0.0.1", *port)).ok())
        .collect();
    let mut tui = Tui::start(&["demo", "--auto-approve", "--propagation-delay", "1"]);
    tui.wait_for("What are you connecting?", MINUTE);
    tui.send(ENTER); // Apideck: authorization code
    let screen = tui.enter_until(&["All checks passed", "What to fix"], MINUTE);
    assert!(screen.contains("What to fix"), "{screen}");
    tui.send("f");
    let fix = tui.wait_for("free now", MINUTE);
    assert!(fix.contains("http://localhost:77"), "{fix}");
    tui.send(ENTER);
    let green = tui.wait_for("All checks passed", 2 * MINUTE);
    assert!(green.contains("token"), "{green}");
    drop(held);
    tui.send("q");
    tui.wait_for("Quit eca-wizard?", MINUTE);
    tui.send("y");
    assert!(tui.wait_exit().success());
    tui.assert_restored();
}

/// A mistyped consumer key answers like a new app (`invalid_client_id`): while the connect
/// keeps retrying, the screen names the key as what to check.
#[test]
fn a_mistyped_key_is_named_while_it_retries() {
    let _ports = wizard_ports(); // an authorization-code login: the wizard listens on 7717-7719
    let mut tui = Tui::start(&["demo", "--auto-approve", "--propagation-delay", "1"]);
    tui.wait_for("What are you connecting?", MINUTE);
    tui.send(ENTER); // Apideck
    tui.enter_until(&["Consumer Secret"], MINUTE);
    // The demo filled in its app's key; the admin pastes a wrong one over it.
    tui.send("\x15\x0b3MVG9ThisKeyIsMistyped0000000000");
    let screen = tui.enter_until(&["Salesforce doesn't know the app yet"], MINUTE);
    assert!(screen.contains("invalid_client_id"), "{screen}");
    let screen = tui.wait_for("heck the consumer key", MINUTE);
    assert!(screen.contains("Next try in"), "still retrying:\n{screen}");
    tui.send("q");
    tui.wait_for("Quit eca-wizard?", MINUTE);
    tui.send("y");
    assert!(tui.wait_exit().success());
    tui.assert_restored();
}
