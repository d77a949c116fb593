//! The attacks of a hostile review, each reproduced over loopback and shown to fail: a hostile
//! token endpoint and identity service, forged output lines, a state-less error callback,
//! concurrent refreshes with rotation, a profile named `secrets`, a hostile `instance_url`, a
//! `[::1]` squatter, planted symlinks and open folders, a browser that records its environment,
//! a huge paste, Ctrl-C while a hostile paste is read, a huge body, a closed stdout, a wrong
//! `Host`, an untrusted TLS certificate. (SIGHUP, SIGINT and SIGQUIT in a pseudo-terminal are in
//! `e2e.rs`.)

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on purpose

mod common;
#[path = "attacks/files.rs"]
mod files;
#[path = "attacks/org_work.rs"]
mod org_work;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use eca_wizard::oauth::listener;
use eca_wizard::oauth::{Failure, OAuthClient, Returned};
use eca_wizard::profile::{SecretKind, SecretStore};
use eca_wizard::secret::Secret;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::watch;

/// A fake Salesforce on loopback answering from a table the test can change: path prefix ->
/// (status, body). It records the paths asked for; it ends with the test's runtime.
#[derive(Clone, Default)]
struct Fake {
    routes: Arc<Mutex<Vec<(String, u16, String)>>>,
    asked: Arc<Mutex<Vec<String>>>,
}

impl Fake {
    async fn start(routes: &[(&str, u16, &str)]) -> (Fake, String) {
        let fake = Fake::default();
        fake.set(routes);
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let serving = fake.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let fake = serving.clone();
                tokio::spawn(async move {
                    let Some(path) = read_request(&mut stream).await else {
                        return;
                    };
                    fake.asked.lock().unwrap().push(path.clone());
                    let (status, body) = fake.answer(&path);
                    let head = format!(
                        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes()).await;
                    let _ = stream.write_all(body.as_bytes()).await;
                });
            }
        });
        (fake, base)
    }

    fn set(&self, routes: &[(&str, u16, &str)]) {
        *self.routes.lock().unwrap() = routes
            .iter()
            .map(|(p, s, b)| (p.to_string(), *s, b.to_string()))
            .collect();
    }

    fn answer(&self, path: &str) -> (u16, String) {
        let routes = self.routes.lock().unwrap();
        routes
            .iter()
            .find(|(prefix, _, _)| path.starts_with(prefix.as_str()))
            .map_or((404, "[]".into()), |(_, status, body)| {
                (*status, body.clone())
            })
    }
}

/// Reads one request (head and body) and returns its path.
async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") && buffer.len() < 65_536 {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let head = String::from_utf8_lossy(&buffer).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    let body_start = head.find("\r\n\r\n").map_or(buffer.len(), |i| i + 4);
    let mut have = buffer.len() - body_start;
    while have < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        have += n;
    }
    head.split_whitespace()
        .nth(1)
        .map(|p| p.split('?').next().unwrap_or(p).to_string())
}

fn wizard(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_eca-wizard"));
    command
        .env("ECA_WIZARD_HOME", home)
        .env("ECA_WIZARD_SECRETS", "file")
        .env("ECA_WIZARD_CLIENT_SECRET", SECRET)
        .env(
            "BROWSER",
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/browser.py"),
        )
        .env_remove("DISPLAY")
        .stdin(Stdio::null());
    command
}

/// `connect` with client credentials for the AptEdge recipe, at `base`, plus `extra` flags.
fn connect_cc(home: &Path, base: &str, extra: &[&str]) -> Command {
    let mut command = wizard(home);
    command
        .args(["connect", "--login-url", base, "--client-id", KEY])
        .args(["--flow", "client-credentials", "--recipe", "aptedge"])
        .args(extra);
    command
}

async fn run(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

fn home(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eca-attack-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Nothing that could drive a terminal: no C0 but newline, no DEL, no C1, no bidi override.
fn assert_terminal_safe(output: &Output) {
    for text in [&output.stdout, &output.stderr] {
        let text = String::from_utf8_lossy(text);
        let bad = text.chars().find(|c| {
            (c.is_control() && *c != '\n')
                || ('\u{202a}'..='\u{202e}').contains(c)
                || ('\u{2066}'..='\u{2069}').contains(c)
        });
        assert!(bad.is_none(), "{bad:?} reached the terminal:\n{text}");
    }
}

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
    let _ = std::fs::remove_dir_all(&home);
}

#[tokio::test]
async fn status_and_logout_print_hostile_answers_safely() {
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
    let home = home("status");
    let command = connect_cc(&home, &base, &["--save", "p"]);
    let saved = run(command).await;
    assert!(
        home.join("profiles/p.toml").exists(),
        "{}",
        String::from_utf8_lossy(&saved.stderr)
    );
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
    let _ = std::fs::remove_dir_all(&home);
}

#[tokio::test]
async fn a_web_page_cannot_end_the_login_with_a_state_less_error() {
    // `<img src=http://localhost:PORT/callback?error=...>` on any site.
    let port = 17901;
    let bound = listener::bind(&[format!("http://localhost:{port}/callback")]).unwrap();
    let (_cancel_tx, cancel) = watch::channel(false);
    let state = Secret::new("the-state");
    let waiting =
        tokio::spawn(async move { bound.wait(&state, Duration::from_secs(20), cancel).await });
    let base = format!("http://127.0.0.1:{port}");
    let forged = get(&format!(
        "{base}/callback?error=access_denied&error_description=Use+evil.example+instead"
    ))
    .await;
    assert_eq!(forged.status, 400);
    assert!(forged.body.contains("ignored"), "{}", forged.body);
    let good = get(&format!("{base}/callback?code=aPrxGood&state=the-state")).await;
    assert_eq!(good.status, 303);
    let done = get(&format!("{base}/done")).await;
    assert_eq!(done.status, 200);
    assert!(matches!(waiting.await.unwrap(), Ok(Returned::Code(_))));
}

#[tokio::test]
async fn the_listener_refuses_other_hosts_and_offers_no_private_network_access() {
    let port = 17902;
    let bound = listener::bind(&[format!("http://localhost:{port}/callback")]).unwrap();
    let (cancel_tx, cancel) = watch::channel(false);
    let state = Secret::new("s");
    let waiting =
        tokio::spawn(async move { bound.wait(&state, Duration::from_secs(20), cancel).await });
    let base = format!("http://127.0.0.1:{port}");
    // DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1.
    let rebound = raw_http(
        &base,
        b"GET /callback?code=x&state=s HTTP/1.1\r\nHost: evil.example:17902\r\n\r\n",
    )
    .await;
    assert!(rebound.starts_with("HTTP/1.1 421"), "{rebound}");
    let preflight = raw_http(&base, format!("OPTIONS /callback HTTP/1.1\r\nHost: localhost:{port}\r\nAccess-Control-Request-Private-Network: true\r\n\r\n").as_bytes()).await;
    assert!(preflight.starts_with("HTTP/1.1 204"), "{preflight}");
    assert!(
        !preflight.to_ascii_lowercase().contains("private-network"),
        "{preflight}"
    );
    cancel_tx.send(true).unwrap();
    let _ = waiting.await;
}

#[tokio::test]
async fn a_squatter_on_ipv6_loopback_makes_the_port_taken() {
    // Another local process holds [::1]:PORT; the browser may resolve localhost to ::1 first.
    let port = 17903;
    let squatter =
        std::net::TcpListener::bind(("::1", port)).expect("this machine has IPv6 loopback");
    let bound = listener::bind(&[
        format!("http://localhost:{port}/callback"),
        format!("http://localhost:{}/callback", port + 1),
    ])
    .unwrap();
    assert_eq!(bound.port, port + 1, "the squatted port was used");
    drop(squatter);
}

#[tokio::test]
async fn a_hostile_instance_url_gets_no_token() {
    for instance in [
        "https://attacker.example.com",
        "http://acme.my.salesforce.com",
    ] {
        let token = format!(
            r#"{{"access_token":"00Dx!AQ0AQhostile","token_type":"Bearer","instance_url":"{instance}"}}"#
        );
        let (fake, base) = Fake::start(&[("/services/oauth2/token", 200, &token)]).await;
        let home = home("instance");
        let command = connect_cc(&home, &base, &["--json"]);
        let out = run(command).await;
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            report["diagnosis"]["error"], "untrusted_instance_url",
            "{report}"
        );
        assert_eq!(
            fake.asked.lock().unwrap().as_slice(),
            ["/services/oauth2/token"],
            "nothing else was asked"
        );
        let _ = std::fs::remove_dir_all(&home);
    }
    // A login to Salesforce never trusts a loopback instance, and a profile edited to point
    // elsewhere is refused before a token goes anywhere.
    assert!(
        eca_wizard::salesforce::hosts::check_api_host(
            "http://127.0.0.1:9",
            "https://login.salesforce.com"
        )
        .is_err()
    );
    assert!(
        eca_wizard::salesforce::hosts::check_api_host(
            "https://acme.my.salesforce.com",
            "https://login.salesforce.com"
        )
        .is_ok()
    );
    let emulator = start();
    let home = home("edited");
    let command = connect_cc(&home, emulator.my_domain_url(), &["--save", "p"]);
    assert!(run(command).await.status.success());
    let file = home.join("profiles/p.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited: String = text
        .lines()
        .map(|l| {
            if l.starts_with("instance_url") {
                "instance_url = \"https://evil.example.com\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&file, edited).unwrap();
    let mut command = wizard(&home);
    command.args(["status", "p"]);
    let out = run(command).await;
    assert_ne!(out.status.code(), Some(0));
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("instance_url") && said.contains("not a Salesforce host"),
        "{said}"
    );
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn concurrent_writers_lose_no_secret() {
    // `status --all` refreshes profiles at once; cron and a person race the same way.
    let dir = home("race");
    std::fs::create_dir_all(&dir).unwrap();
    let store = SecretStore::File(dir.join("secrets.toml"));
    let writers: Vec<_> = (0..12)
        .map(|i| {
            let store = store.clone();
            std::thread::spawn(move || {
                for round in 0..20 {
                    let value = Secret::new(format!("5Aep861p{i}r{round}"));
                    store
                        .set(&format!("p{i}"), SecretKind::RefreshToken, &value)
                        .unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    for i in 0..12 {
        let kept = store
            .get(&format!("p{i}"), SecretKind::RefreshToken)
            .unwrap();
        assert_eq!(
            kept,
            Some(Secret::new(format!("5Aep861p{i}r19"))),
            "profile p{i}"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn rotation_keeps_every_profile_working_under_status_all() {
    let emulator = start();
    emulator
        .edit_app("ECA_Wizard_Demo", |app| app.refresh_token_rotation = true)
        .unwrap();
    let home = home("rotation");
    for i in 0..12u16 {
        let port = 17905 + i;
        emulator
            .edit_app("ECA_Wizard_Demo", |app| {
                app.callback_urls
                    .push(format!("http://localhost:{port}/callback"))
            })
            .unwrap();
        let mut command = wizard(&home);
        command.args([
            "connect",
            "--login-url",
            emulator.login_url(),
            "--client-id",
            KEY,
            "--callback-port",
            &port.to_string(),
            "--callback-url",
            &format!("http://localhost:{port}/callback"),
            "--save",
            &format!("web{i}"),
        ]);
        let out = run(command).await;
        // The rotation defect: verification used the access token the refresh had revoked.
        assert!(
            out.status.success(),
            "web{i}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for round in 0..3 {
        let mut command = wizard(&home);
        command.args(["status", "--all", "--json"]);
        let out = run(command).await;
        let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(all.as_array().unwrap().len(), 12);
        assert_eq!(out.status.code(), Some(0), "round {round}: {all:#}");
    }
    let _ = std::fs::remove_dir_all(&home);
}

#[tokio::test]
async fn a_profile_named_secrets_wipes_nothing() {
    let emulator = start();
    let home = home("named-secrets");
    for name in ["acme", "secrets"] {
        let command = connect_cc(&home, emulator.my_domain_url(), &["--save", name]);
        let out = run(command).await;
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut command = wizard(&home);
    command.args(["status", "--all", "--json"]);
    let out = run(command).await;
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{all:#}");
    let names: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["profile"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["acme", "secrets"]);
    let _ = std::fs::remove_dir_all(&home);
}

#[tokio::test]
async fn open_folders_and_planted_symlinks_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let emulator = start();
    let save = |home: &Path| connect_cc(home, emulator.my_domain_url(), &["--save", "p"]);
    // A home other users can write to.
    let open = home("open");
    std::fs::create_dir_all(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = run(save(&open)).await;
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("can be written by other users"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!open.join("secrets.toml").exists());
    // A profiles folder replaced by a symlink to somewhere else.
    let linked = home("linked");
    let elsewhere = home("elsewhere");
    std::fs::create_dir_all(&linked).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, linked.join("profiles")).unwrap();
    let out = run(save(&linked)).await;
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read_dir(&elsewhere).unwrap().next().is_none(),
        "nothing was written through the link"
    );
    // Folders we create are owner-only whatever the umask.
    let fresh = home("fresh");
    assert!(run(save(&fresh)).await.status.success());
    for dir in [fresh.clone(), fresh.join("profiles")] {
        assert_eq!(
            std::fs::metadata(&dir).unwrap().permissions().mode() & 0o077,
            0,
            "{}",
            dir.display()
        );
    }
    // `metadata --out` at a dangling symlink creates nothing at its target.
    let target = home("dangling-target");
    let link = home("dangling-link");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_eca-wizard"))
        .args(["metadata", "--recipe", "apideck", "--out"])
        .arg(&link)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!target.exists());
    for dir in [open, linked, elsewhere, fresh, link] {
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_file(&dir);
    }
}

#[tokio::test]
async fn the_browser_never_sees_the_secret() {
    let emulator = start();
    let port = 17920;
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.callback_urls
                .push(format!("http://localhost:{port}/callback"))
        })
        .unwrap();
    let home = home("browser-env");
    let seen = home.with_extension("env");
    let mut command = wizard(&home);
    command
        .env(
            "BROWSER",
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/browser_env.py"),
        )
        .env("ECA_TEST_BROWSER_ENV", &seen)
        .args([
            "connect",
            "--login-url",
            emulator.login_url(),
            "--client-id",
            KEY,
            "--callback-port",
            &port.to_string(),
            "--callback-url",
            &format!("http://localhost:{port}/callback"),
        ]);
    let out = run(command).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let environment = std::fs::read_to_string(&seen).expect("the stub browser ran");
    assert!(
        environment.lines().any(|l| l == "ECA_TEST_BROWSER_ENV"),
        "the record is real: {environment}"
    );
    assert!(
        !environment.contains("ECA_WIZARD_CLIENT_SECRET"),
        "{environment}"
    );
    assert!(!environment.contains(SECRET));
    let _ = std::fs::remove_file(&seen);
    let _ = std::fs::remove_dir_all(&home);
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

#[tokio::test]
async fn a_huge_body_is_refused_without_reading_it() {
    for declared in [true, false] {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let server = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let _ = read_request(&mut stream).await;
            let length = if declared {
                "Content-Length: 1610612736\r\n"
            } else {
                ""
            };
            let head = format!(
                "HTTP/1.1 400 X\r\nContent-Type: application/json\r\n{length}Connection: close\r\n\r\n"
            );
            stream.write_all(head.as_bytes()).await.unwrap();
            // At most 64 MiB, stopping when the client hangs up.
            let chunk = vec![b' '; 1 << 16];
            let mut sent = 0usize;
            while sent < 64 << 20 && stream.write_all(&chunk).await.is_ok() {
                sent += chunk.len();
            }
            sent
        });
        let client = OAuthClient::new(&base, KEY, Some(Secret::new(SECRET))).unwrap();
        let failure = client.client_credentials().await.unwrap_err();
        assert!(
            matches!(&failure, Failure::Transport(why) if why.contains("1 MiB")),
            "{failure:?}"
        );
        let sent = server.await.unwrap();
        assert!(
            sent < 64 << 20,
            "the client read {sent} bytes before giving up"
        );
    }
}

#[test]
fn a_closed_stdout_leaves_a_whole_project() {
    let out_dir = home("closed-stdout");
    let mut child = Command::new(env!("CARGO_BIN_EXE_eca-wizard"))
        .args(["metadata", "--recipe", "apideck", "--out"])
        .arg(&out_dir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // `| head -0`
    let status = child.wait().unwrap();
    assert!(status.success());
    let check = Command::new(env!("CARGO_BIN_EXE_eca-wizard"))
        .args(["metadata", "--check"])
        .arg(&out_dir)
        .args(["--recipe", "apideck"])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let _ = std::fs::remove_dir_all(&out_dir);
}

#[tokio::test]
async fn an_untrusted_certificate_is_named_not_retried() {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cert =
        CertificateDer::from_pem_slice(include_bytes!("../assets/emulator/demo-jwt-cert.pem"))
            .unwrap();
    let key = PrivateKeyDer::from_pem_slice(include_bytes!("../assets/emulator/demo-jwt-key.pem"))
        .unwrap();
    let config = Arc::new(
        rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .unwrap(),
    );
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    // A TLS-inspecting proxy's certificate: the handshake is all that happens.
    std::thread::spawn(move || {
        if let Ok((mut tcp, _)) = listener.accept() {
            let mut connection = rustls::ServerConnection::new(config).unwrap();
            let _ = connection.complete_io(&mut tcp);
        }
    });
    let client = OAuthClient::new(
        &format!("https://localhost:{port}"),
        KEY,
        Some(Secret::new(SECRET)),
    )
    .unwrap();
    let failure = client.client_credentials().await.unwrap_err();
    let diagnosis = failure.diagnose(
        eca_wizard::salesforce::diagnosis::Phase::ClientCredentials,
        eca_wizard::salesforce::diagnosis::Window::Inside,
    );
    assert!(!diagnosis.kind.is_retryable(), "{diagnosis:?}");
    assert!(
        diagnosis.message.contains("proxy") && diagnosis.message.contains("CA certificate"),
        "{}",
        diagnosis.message
    );
}

/// The Salesforce CLI's `instanceUrl` is untrusted: one with a path and query (which would move
/// every REST call, and the admin's token, to a page of the attacker's choosing) stops apply
/// before any request, saying how to fix the CLI's login.
#[tokio::test]
async fn an_instance_url_with_a_path_from_the_cli_gets_no_token() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let dir = sf_dir("steal");
    let output = sf_command(&dir, &emulator, &token, "current", None)
        .env(
            "FAKE_SF_INSTANCE_URL",
            format!("{}/steal?x=", emulator.my_domain_url()),
        )
        .args([
            "apply",
            "--recipe",
            "service-board-sync",
            "--target-org",
            "acme",
        ])
        .args(["--name", "Stolen_App", "--dry-run"])
        .args(["--callback-url", "https://sync.example.com/oauth/callback"])
        .args(["--run-as", eca_wizard::emulator::org::DEMO_INTEGRATION_USER])
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(
        said.contains("path, query or fragment") && said.contains("sf org login web"),
        "{said}"
    );
    assert!(!said.contains(&token) && !said.contains("steal"), "{said}");
    let _ = std::fs::remove_dir_all(&dir);
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
    let home = home("forged-lines");
    let saved = run(connect_cc(&home, &base, &["--save", "p"])).await;
    assert!(
        home.join("profiles/p.toml").exists(),
        "{}",
        String::from_utf8_lossy(&saved.stderr)
    );
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
    let _ = std::fs::remove_dir_all(&home);
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
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_no_forged_lines(&out);
        assert_terminal_safe(&out);
    }
    let _ = std::fs::remove_dir_all(&home);
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
    let _ = std::fs::remove_dir_all(&home);
}
