//! `eca-wizard connect` and `explain` as a user runs them: flags, exit codes, `--json`, the
//! browser and paste paths, and a scan of everything printed for secrets. `explain`'s own
//! tests are in `cli_connect/explain.rs`.

mod explain;

use std::io::{BufRead, BufReader, Write};
use std::process::{Output, Stdio};
use std::sync::Mutex;

use crate::common::launch::{BROWSER_STUB, Fresh, fresh as wizard};
use crate::common::ports::free_port;
use crate::common::*;
use eca_wizard::emulator::Emulator;

/// Everything any command printed in this file, scanned at the end of each test.
static PRINTED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn remember(output: &Output) {
    let mut printed = PRINTED.lock().unwrap();
    printed.push(String::from_utf8_lossy(&output.stdout).into_owned());
    printed.push(String::from_utf8_lossy(&output.stderr).into_owned());
}

/// No secret, token, code or verifier in anything printed so far.
fn assert_no_secrets() {
    for text in PRINTED.lock().unwrap().iter() {
        // The verifier parameter with a value; the word alone may name it in a diagnosis.
        for needle in [
            SECRET,
            "!AQ0AQ",
            "5Aep861",
            "aPrx",
            "code_verifier=",
            "\"code_verifier\":",
        ] {
            assert!(
                !text.contains(needle),
                "found {needle:?} in output:\n{text}"
            );
        }
        assert!(!crate::common::has_jwt(text), "a JWT in output:\n{text}");
    }
}

#[test]
fn a_jwt_is_told_from_a_state_that_holds_eyj_by_chance() {
    use crate::common::has_jwt;
    assert!(has_jwt("token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig"));
    assert!(!has_jwt("state=abceyJx9Qz&code_challenge=xyz"));
}

fn json_of(output: &Output) -> serde_json::Value {
    contract::result(&output.stdout, output.status.code())
}

async fn run_async(command: Fresh) -> Output {
    let output = command.output_async().await;
    remember(&output);
    output
}

/// `connect --flow client-credentials --json` against the emulator's My Domain, with `extra`.
async fn client_credentials(emulator: &Emulator, secret: &str, extra: &[&str]) -> Output {
    let mut command = wizard();
    command
        .args([
            "connect",
            "--login-url",
            emulator.my_domain_url(),
            "--client-id",
            KEY,
            "--flow",
            "client-credentials",
            "--json",
        ])
        .args(extra)
        .env("ECA_WIZARD_CLIENT_SECRET", secret);
    run_async(command).await
}

#[tokio::test]
async fn client_credentials_json_and_exit_codes() {
    let emulator = start();
    let output = client_credentials(&emulator, SECRET, &[]).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = json_of(&output);
    assert_eq!(report["outcome"], "connected");
    assert_eq!(report["diagnosis"], serde_json::Value::Null);
    assert_eq!(report["instance_url"], emulator.my_domain_url());
    assert_eq!(report["username"], "integration@eca-wizard.demo");
    assert!(report["org_id"].as_str().unwrap().starts_with("00D"));
    assert!(report["attempts"].as_u64().unwrap() >= 1);
    let names: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "token",
            "identity",
            "scopes",
            "refresh_token",
            "refresh",
            "rest_api",
            "object:Account"
        ]
    );
    for check in report["checks"].as_array().unwrap() {
        assert!(
            ["passed", "skipped"].contains(&check["status"].as_str().unwrap()),
            "{check}"
        );
    }

    let envelope = contract::envelope(&output.stdout, output.status.code());
    assert_eq!(envelope["warnings"], serde_json::json!([]));

    // Tokens for someone else than the integration user: connected, with a warning to read.
    let output = client_credentials(
        &emulator,
        SECRET,
        &["--username", "someone.else@acme.example"],
    )
    .await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "a warning doesn't fail the run"
    );
    let envelope = contract::envelope(&output.stdout, output.status.code());
    let report = &envelope["result"];
    assert_eq!(report["outcome"], "connected");
    let warnings = envelope["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{report}");
    assert_eq!(warnings[0]["kind"], "identity");
    assert!(
        warnings[0]["message"]
            .as_str()
            .unwrap()
            .contains("not the integration user"),
        "{report}"
    );

    let output = client_credentials(
        &emulator,
        "not-the-secret-at-all",
        &["--recipe", "service-board-sync"],
    )
    .await;
    assert_eq!(output.status.code(), Some(3));
    let report = json_of(&output);
    assert_eq!(report["outcome"], "misconfigured");
    assert_eq!(report["diagnosis"]["kind"], "misconfigured");
    assert_eq!(report["diagnosis"]["step"], "credentials");
    assert_no_secrets();
}

#[tokio::test]
async fn usage_errors_exit_with_two() {
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["connect", "--login-url", "", "--client-id", "x"],
            "--login-url",
        ),
        (
            vec![
                "connect",
                "--login-url",
                "https://na1.salesforce.com",
                "--client-id",
                "x",
            ],
            "instanced",
        ),
        (
            vec![
                "connect",
                "--login-url",
                "acme.my.salesforce.com",
                "--client-id",
                "x",
                "--flow",
                "client-credentials",
            ],
            "ECA_WIZARD_CLIENT_SECRET",
        ),
        (
            vec![
                "connect",
                "--login-url",
                "acme.my.salesforce.com",
                "--client-id",
                "x",
                "--flow",
                "jwt-bearer",
            ],
            "--private-key",
        ),
        (
            vec![
                "connect",
                "--login-url",
                "acme.my.salesforce.com",
                "--client-id",
                "x",
                "--flow",
                "password",
            ],
            "auth-code",
        ),
        (
            vec![
                "connect",
                "--login-url",
                "acme.my.salesforce.com",
                "--client-id",
                "x",
                "--recipe",
                "nope",
            ],
            "No recipe",
        ),
    ];
    for (args, hint) in cases {
        let output = wizard().args(&args).stdin(Stdio::null()).output().unwrap();
        remember(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains(hint), "{args:?}: {err}");
    }
}

#[tokio::test]
async fn the_code_flow_with_a_stub_browser() {
    let port = free_port();
    let (callback, port_text) = (
        format!("http://localhost:{port}/callback"),
        port.to_string(),
    );
    let emulator = start();
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.callback_urls.push(callback.clone())
        })
        .unwrap();
    let mut command = wizard();
    command
        .args([
            "connect",
            "--login-url",
            emulator.login_url(),
            "--client-id",
            KEY,
            "--callback-port",
            &port_text,
            "--callback-url",
            &callback,
            "--json",
            "--timeout",
            "20",
        ])
        .env("ECA_WIZARD_CLIENT_SECRET", SECRET)
        .env("BROWSER", BROWSER_STUB)
        .stdin(Stdio::null());
    let output = run_async(command).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(json_of(&output)["outcome"], "connected");
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("Open this URL to log in"),
        "the URL is always shown: {err}"
    );
    assert_no_secrets();
}

#[tokio::test]
async fn no_browser_takes_the_secret_and_the_paste_from_stdin() {
    let port = free_port();
    let (callback, port_text) = (
        format!("http://localhost:{port}/callback"),
        port.to_string(),
    );
    let emulator = start();
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.callback_urls.push(callback.clone())
        })
        .unwrap();
    let mut command = wizard(); // kept: its home lives while the child runs
    let mut child = command
        .args([
            "connect",
            "--login-url",
            emulator.login_url(),
            "--client-id",
            KEY,
            "--callback-port",
            &port_text,
            "--callback-url",
            &callback,
            "--no-browser",
            "--client-secret-stdin",
            "--timeout",
            "20",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{SECRET}").unwrap();
    let stderr = child.stderr.take().unwrap();
    let (url_tx, url_rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.trim_start().starts_with("http") && line.contains("/services/oauth2/authorize")
            {
                let _ = url_tx.send(line.trim().to_string());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let url = tokio::task::spawn_blocking(move || {
        url_rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .unwrap()
    })
    .await
    .unwrap();
    // The admin opens the URL somewhere else and pastes where the browser ended up.
    let redirect = get(&url).await.header("location").unwrap();
    writeln!(stdin, "{redirect}").unwrap();
    drop(stdin);
    let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let stderr_text = reader.join().unwrap();
    let stdout_text = String::from_utf8_lossy(&output.stdout).into_owned();
    PRINTED
        .lock()
        .unwrap()
        .extend([stdout_text.clone(), stderr_text.clone()]);
    assert_eq!(output.status.code(), Some(0), "{stderr_text}");
    assert!(
        stdout_text.starts_with("Connected as connector@eca-wizard.demo"),
        "{stdout_text}"
    );
    assert_no_secrets();
}

#[tokio::test]
async fn a_login_that_never_comes_back_times_out() {
    let port = free_port();
    let (callback, port_text) = (
        format!("http://localhost:{port}/callback"),
        port.to_string(),
    );
    let emulator = start();
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.callback_urls.push(callback.clone())
        })
        .unwrap();
    let mut command = wizard();
    command
        .args([
            "connect",
            "--login-url",
            emulator.login_url(),
            "--client-id",
            KEY,
            "--callback-port",
            &port_text,
            "--callback-url",
            &callback,
            "--no-browser",
            "--timeout",
            "1",
            "--json",
        ])
        .env("ECA_WIZARD_CLIENT_SECRET", SECRET)
        .stdin(Stdio::null());
    let output = run_async(command).await;
    assert_eq!(output.status.code(), Some(5));
    assert_eq!(json_of(&output)["outcome"], "timed-out");
    assert_no_secrets();
}

#[test]
fn input_that_can_never_work_exits_two_at_once() {
    // Usage errors (exit 2) are decided before the first request: acme.my.salesforce.com isn't
    // reachable from here, so anything sent would have ended as a network failure instead.
    let cases: [(&[&str], &str); 4] = [
        (
            &["--client-id", "3MVG9abc def0123456789"],
            "can't contain spaces",
        ),
        (
            &["--client-id", "3MVG9EcaWizardDemo.App0Key4Em..."],
            "cut off",
        ),
        (
            &["--client-id", KEY, "--callback-port", "17899"],
            "not among the app's callback URLs",
        ),
        (
            &[
                "--client-id",
                KEY,
                "--callback-url",
                "http://example.com/cb",
            ],
            "--callback-url",
        ),
    ];
    for (extra, said) in cases {
        let output = wizard()
            .args([
                "connect",
                "--login-url",
                "https://acme.my.salesforce.com",
                "--recipe",
                "apideck",
            ])
            .args(extra)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        remember(&output);
        assert_eq!(output.status.code(), Some(2), "{extra:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(said), "{extra:?}: {stderr}");
    }
    // A key with spaces around it is taken without them.
    let padded = format!("  {KEY}  ");
    let output = wizard()
        .args([
            "connect",
            "--login-url",
            "https://acme.my.salesforce.com",
            "--recipe",
            "apideck",
            "--client-id",
            &padded,
            "--callback-port",
            "17899",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("removed the spaces"), "{stderr}");
}

#[tokio::test]
async fn a_callback_port_listens_on_the_registered_urls_own_path() {
    // The app lists http://localhost:PORT/oauth/done: --callback-port PORT listens there.
    let emulator = start();
    let port = free_port();
    let port_text = port.to_string();
    let registered = format!("http://localhost:{port}/oauth/done");
    let registered = registered.as_str();
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.callback_urls.push(registered.into())
        })
        .unwrap();
    let mut command = wizard();
    command
        .args([
            "connect",
            "--login-url",
            emulator.login_url(),
            "--client-id",
            KEY,
        ])
        .args([
            "--callback-port",
            &port_text,
            "--callback-url",
            registered,
            "--json",
            "--timeout",
            "20",
        ])
        .env("ECA_WIZARD_CLIENT_SECRET", SECRET)
        .env("BROWSER", BROWSER_STUB)
        .stdin(Stdio::null());
    let output = run_async(command).await;
    remember(&output);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains(&format!("listening for the login on {registered}")),
        "{err}"
    );
}
