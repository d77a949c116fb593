//! Exit codes true to the table (README, `--help`), where a run ends in the middle: Ctrl-C
//! during connect is `cancelled` and 130; `--no-browser` binds no port, so it connects with
//! every wizard callback port (7717-7719) taken.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::common::*;
#[cfg(unix)] // the Ctrl-C tests
use eca_wizard::emulator::Org;

fn connect(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_eca-wizard"))
        .arg("connect")
        .args(args)
        .env("ECA_WIZARD_CLIENT_SECRET", SECRET)
        .env_remove("BROWSER")
        .env_remove("DISPLAY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Stderr's lines as they come, and all of them at the end.
fn watch_stderr(child: &mut Child) -> (mpsc::Receiver<String>, std::thread::JoinHandle<String>) {
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line.clone());
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    (rx, reader)
}

fn wait_for(lines: &mpsc::Receiver<String>, wanted: impl Fn(&str) -> bool) -> String {
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(20))
            .expect("the line came");
        if wanted(&line) {
            return line;
        }
    }
}

#[cfg(unix)]
#[tokio::test]
async fn ctrl_c_during_connect_is_cancelled_with_130() {
    let mut org = Org::demo();
    org.propagation_delay_secs = 3600;
    let emulator = start_with(org, true);
    let my_domain = emulator.my_domain_url().to_string();
    let args = [
        "--login-url",
        &my_domain,
        "--client-id",
        KEY,
        "--flow",
        "client-credentials",
        "--json",
    ];
    let mut child = connect(&args);
    let (lines, reader) = watch_stderr(&mut child);
    tokio::task::spawn_blocking(move || {
        wait_for(&lines, |l| l.starts_with("waiting"));
        let sent = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let output = child.wait_with_output().unwrap();
        let said = reader.join().unwrap();
        assert_eq!(output.status.code(), Some(130), "{said}");
        let result = contract::result(&output.stdout, Some(130));
        assert_eq!(result["outcome"], "cancelled", "{result}");
        assert_eq!(result["diagnosis"]["error"], "cancelled");
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn no_browser_connects_with_every_wizard_port_taken() {
    let emulator = start();
    // Whoever holds them (these listeners, or another program), the ports are busy.
    let _held: Vec<_> = (7717..=7719)
        .filter_map(|port| std::net::TcpListener::bind(("127.0.0.1", port)).ok())
        .collect();
    for port in 7717..=7719 {
        assert!(
            std::net::TcpListener::bind(("127.0.0.1", port)).is_err(),
            "port {port} is busy"
        );
    }
    let login = emulator.login_url().to_string();
    let mut child = connect(&[
        "--login-url",
        &login,
        "--client-id",
        KEY,
        "--no-browser",
        "--json",
    ]);
    let mut stdin = child.stdin.take().unwrap();
    let (lines, reader) = watch_stderr(&mut child);
    let url = tokio::task::spawn_blocking(move || {
        wait_for(&lines, |l| l.contains("/services/oauth2/authorize"))
    })
    .await
    .unwrap();
    let url = url.trim().to_string();
    assert!(
        url.contains("redirect_uri=http%3A%2F%2Flocalhost%3A7717"),
        "{url}"
    );
    // The admin logs in elsewhere and pastes the address the browser ended on.
    let redirect = get(&url).await.header("location").unwrap();
    writeln!(stdin, "{redirect}").unwrap();
    drop(stdin);
    let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let said = reader.join().unwrap();
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(
        !said.contains("listening for the login"),
        "no port was bound: {said}"
    );
    let result = contract::result(&output.stdout, Some(0));
    assert_eq!(result["outcome"], "connected", "{result}");
}
