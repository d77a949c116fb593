//! The attacks of a hostile review, each reproduced over loopback and shown to fail: a hostile
//! token endpoint and identity service, forged output lines, a state-less error callback,
//! concurrent refreshes with rotation, a profile named `secrets`, a hostile `instance_url`, a
//! `[::1]` squatter, planted symlinks and open folders, a browser that records its environment,
//! a huge paste, Ctrl-C while a hostile paste is read, a huge body, a closed stdout, a wrong
//! `Host`, an untrusted TLS certificate. (SIGHUP, SIGINT and SIGQUIT in a pseudo-terminal are in
//! `tests/pty/e2e.rs`.)
//!
//! The attacks live by theme in `attacks/`: `terminal` (hostile text and forged lines), `login`
//! (the listener, the browser, the transport, the instance URL), `profiles`, `files`, and
//! `org_work` (org binding, restore markers, the SOAP read, credentials); the fakes and runners
//! they share are here.

#[cfg(unix)] // file modes, owners and symlinks as Unix has them
mod files;
mod login;
mod org_work;
mod profiles;
mod terminal;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::launch::{connecting as wizard, output as run};
use crate::common::temp::folder as home;
use crate::common::*;
use eca_wizard::oauth::OAuthClient;
use eca_wizard::secret::Secret;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

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

/// `connect` with client credentials for the AptEdge recipe, at `base`, plus `extra` flags.
fn connect_cc(home: &Path, base: &str, extra: &[&str]) -> Command {
    let mut command = wizard(home);
    command
        .args(["connect", "--login-url", base, "--client-id", KEY])
        .args(["--flow", "client-credentials", "--recipe", "aptedge"])
        .args(extra);
    command
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
