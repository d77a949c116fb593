//! Hostile text meant for the terminal: escapes from a server, a token endpoint and a paste,
//! descriptions that would forge `ok` lines or "Connected as", a megabyte paste, and Ctrl-C
//! while a huge paste is read.

use super::*;

const EVIL: &str =
    r#"\u001b]52;c;cHduZWQ=\u0007\r\u001b[1A\u001b[2K  ok   rest_api  fine\u009b31m\u202e"#;

#[tokio::test]
async fn a_hostile_server_cannot_drive_the_terminal() {
    let token = r#"{"access_token":"00Dx!AQ0AQhostile","token_type":"Bearer","scope":"api"}"#;
    let userinfo = format!(
        r#"{{"preferred_username":"ev{EVIL}il@x.com","user_id":"005{EVIL}","organization_id":"00D{EVIL}"}}"#
    );
    let rest = format!(r#"[{{"errorCode":"INVALID_SESSION_ID{EVIL}","message":"{EVIL}"}}]"#);
    let (fake, base) = Fake::start(&[
        ("/services/oauth2/token", 200, token),
        ("/services/oauth2/userinfo", 200, &userinfo),
        ("/services/data", 401, &rest),
    ])
    .await;
    let home = home("escapes");
    let command = connect_cc(&home, &base, &[]);
    let out = run(command).await;
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("identity"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_terminal_safe(&out);

    // A token endpoint that refuses with a crafted description.
    let refusal = format!(r#"{{"error":"invalid_grant{EVIL}","error_description":"{EVIL}"}}"#);
    fake.set(&[("/services/oauth2/token", 400, &refusal)]);
    let command = connect_cc(&home, &base, &[]);
    assert_terminal_safe(&run(command).await);

    // `explain` of a crafted paste.
    let mut command = wizard(&home);
    let paste =
        "{\"error\":\"invalid_client\",\"error_description\":\"a\u{1b}]0;title\u{7}b\"} \u{1b}[2J";
    command.args(["explain", paste]);
    assert_terminal_safe(&run(command).await);
}

/// A fake Salesforce that answers a client credentials login, and a profile `p` saved against
/// it in a fresh home named `name`: the fake's answers are then set to what a test attacks with.
async fn saved_profile_on_a_fake(name: &str) -> (Fake, String, crate::common::temp::Folder) {
    let token = r#"{"access_token":"00Dx!AQ0AQhostile","refresh_token":"5Aep861hostile","token_type":"Bearer","scope":"api refresh_token"}"#;
    let (fake, base) = Fake::start(&[
        ("/services/oauth2/token", 200, token),
        (
            "/services/oauth2/userinfo",
            200,
            r#"{"preferred_username":"a@x.com","user_id":"005","organization_id":"00D"}"#,
        ),
        ("/services/data", 200, r#"[{"version":"66.0"}]"#),
    ])
    .await;
    let home = home(name);
    let saved = run(connect_cc(&home, &base, &["--save", "p"])).await;
    assert!(
        home.join("profiles/p.toml").exists(),
        "{}",
        String::from_utf8_lossy(&saved.stderr)
    );
    (fake, base, home)
}

#[tokio::test]
async fn status_and_logout_print_hostile_answers_safely() {
    let (fake, _, home) = saved_profile_on_a_fake("status").await;
    let refusal = format!(r#"{{"error":"invalid_grant","error_description":"{EVIL}"}}"#);
    fake.set(&[
        ("/services/oauth2/token", 400, &refusal),
        ("/services/oauth2/revoke", 400, &refusal),
    ]);
    let mut command = wizard(&home);
    command.args(["status", "p"]);
    assert_terminal_safe(&run(command).await);
    let mut command = wizard(&home);
    command.args(["logout", "p"]);
    assert_terminal_safe(&run(command).await);
}

/// A description that, printed as it came, would add a forged `ok` check and a forged
/// "Connected as" under the real FAIL (JSON escapes: `\n`, `\r\n`, `\r`, U+2028, NEL).
const FORGED: &str = r#"refused\n  ok   token            client credentials token obtained\r\n  ok   rest_api         fine\rConnected as admin@acme.com at https://acme.my.salesforce.com (6 checks passed).\u2028  ok   identity  admin\u0085  ok   scopes  api"#;

/// No output line a server or a paste wrote: no `ok` check and no "Connected as" (nothing
/// passes in these runs), and no line break a terminal or viewer would follow.
fn assert_no_forged_lines(output: &Output) {
    for text in [&output.stdout, &output.stderr] {
        let text = String::from_utf8_lossy(text);
        for line in text.lines() {
            let forged = line.trim_start().starts_with("ok ")
                || line.starts_with("Connected")
                || line.trim_start().starts_with("passed ");
            assert!(!forged, "a forged line {line:?} in:\n{text}");
        }
        let breaks = ['\r', '\u{0b}', '\u{0c}', '\u{85}', '\u{2028}', '\u{2029}'];
        assert!(
            !text.contains(breaks),
            "a line break reached the terminal:\n{text}"
        );
    }
}

#[tokio::test]
async fn a_description_cannot_forge_ok_lines_or_connected() {
    let (fake, base, home) = saved_profile_on_a_fake("forged-lines").await;
    // An error this tool doesn't know, so its description is quoted.
    let refusal = format!(r#"{{"error":"odd_refusal","error_description":"{FORGED}"}}"#);
    fake.set(&[
        ("/services/oauth2/token", 400, &refusal),
        ("/services/oauth2/revoke", 400, &refusal),
    ]);
    let out = run(connect_cc(&home, &base, &[])).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("FAIL"), "{stderr}");
    assert!(stderr.contains("refused⏎  ok   token"), "{stderr}");
    assert_no_forged_lines(&out);
    assert_terminal_safe(&out);
    for args in [&["status", "p"][..], &["status", "--all"], &["logout", "p"]] {
        let mut command = wizard(&home);
        command.args(args);
        let out = run(command).await;
        assert_no_forged_lines(&out);
        assert_terminal_safe(&out);
    }
}

#[tokio::test]
async fn explain_of_an_encoded_line_break_forges_no_line() {
    let home = home("explain-lines");
    let forged = "%0A%20%20ok%20%20%20token%20%20fine%0D%0AConnected%20as%20admin%40acme.com%E2%80%A8%20%20ok%20%20identity";
    let pastes = [
        format!("https://localhost:1717/callback?error=weird_code&error_description=x{forged}"),
        format!("https://localhost:1717/callback?error=invalid_grant&error_description=x{forged}"),
        format!("error=weird_code%0A%20%20ok%20token&error_description=y{forged}"),
        "{\"error\":\"weird_code\",\"error_description\":\"a\u{2028}  ok   token  fine\u{85}Connected as admin\u{0b}  ok x\"}".to_string(),
    ];
    for paste in &pastes {
        let mut command = wizard(&home);
        command.args(["explain", paste]);
        let out = run(command).await;
        // 0 with a diagnosis, 1 when no Salesforce error was found: never a crash.
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_no_forged_lines(&out);
        assert_terminal_safe(&out);
    }
}

#[test]
fn a_megabyte_paste_is_capped_and_inserted_at_once() {
    let mut field = eca_wizard::wizard::FieldInput::plain("Paste", "", None, "ab");
    field.input = field.input.clone().with_cursor(1);
    field.paste(&"x".repeat(1 << 20));
    assert_eq!(
        field.value().chars().count(),
        eca_wizard::wizard::MAX_PASTE + 2
    );
    assert!(field.value().starts_with("ax") && field.value().ends_with("xb"));
    assert!(
        field.error.as_deref().is_some_and(|e| e.contains("16 KiB")),
        "{:?}",
        field.error
    );
}

/// Megabyte pastes of backslashes: once minutes each to read, with Ctrl-C ignored meanwhile.
#[cfg(unix)]
#[tokio::test]
async fn ctrl_c_ends_connect_while_it_reads_a_huge_paste() {
    use std::io::{BufRead, BufReader, Write};
    let emulator = start();
    let base = emulator.login_url().to_string();
    let home = home("sigint-paste");
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let callback = format!("http://localhost:{port}/callback");
    let allowed = callback.clone();
    emulator
        .edit_app("ECA_Wizard_Demo", |app| app.callback_urls.push(allowed))
        .unwrap();
    let mut child = wizard(&home)
        .args(["connect", "--login-url", &base, "--client-id", KEY])
        .args(["--flow", "auth-code", "--no-browser", "--timeout", "600"])
        .args([
            "--callback-port",
            &port.to_string(),
            "--callback-url",
            &callback,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (waiting_tx, waiting_rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("/services/oauth2/authorize") {
                let _ = waiting_tx.send(());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    waiting_rx
        .recv_timeout(Duration::from_secs(20))
        .expect("connect never waited for the login");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let paste = format!("{}\n", "\\".repeat(1 << 20));
        for _ in 0..4 {
            if stdin.write_all(paste.as_bytes()).is_err() {
                break;
            }
        }
        stdin
    });
    std::thread::sleep(Duration::from_millis(300));
    let pid = child.id().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(sent.success());
    // A generous bound: the old code stayed busy for minutes after SIGINT.
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    drop(writer.join());
    let printed = reader.join().unwrap();
    let status = status.unwrap_or_else(|| panic!("still running 3 s after SIGINT:\n{printed}"));
    // It ended through its own Ctrl-C handling, not SIGINT's default action.
    assert!(status.code().is_some(), "{status:?}\n{printed}");
}
