//! Fast, named transport failures, through `connect` as a user runs it: a host that doesn't
//! resolve, a refused port, a proxy that answers 403 to CONNECT and a 1 GiB answer each end
//! within 10 seconds with their own cause, and what can't pass by waiting isn't tried again.
//! Loopback only: the name that doesn't resolve ends in `.invalid` (RFC 6761: it never
//! resolves), and the Salesforce host behind the proxy is never reached.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::common::*;

const LIMIT: Duration = Duration::from_secs(10);

/// `connect --flow client-credentials --json` to `login`, with `env` set and no proxy but theirs.
fn connect(login: &str, env: &[(&str, &str)]) -> (Output, Duration) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_eca-wizard"));
    command
        .args(["connect", "--login-url", login, "--client-id", KEY])
        .args(["--flow", "client-credentials", "--json"])
        .env("ECA_WIZARD_CLIENT_SECRET", SECRET)
        .stdin(Stdio::null());
    for name in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let started = Instant::now();
    let output = command.output().unwrap();
    (output, started.elapsed())
}

/// The diagnosis' code and message, checked against the contract.
fn cause(output: &Output) -> (String, String) {
    let result = contract::result(&output.stdout, output.status.code());
    let diagnosis = &result["diagnosis"];
    (
        diagnosis["error"].as_str().unwrap().to_string(),
        diagnosis["message"].as_str().unwrap().to_string(),
    )
}

/// A loopback server answering every connection with `answer` (then `body_bytes` of junk),
/// counting the connections.
fn server(answer: &'static str, body_bytes: usize) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            counter.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let _ = stream.write_all(answer.as_bytes());
                let chunk = vec![b' '; 1 << 16];
                let mut sent = 0;
                while sent < body_bytes && stream.write_all(&chunk).is_ok() {
                    sent += chunk.len();
                }
            });
        }
    });
    (port, seen)
}

#[test]
fn a_host_that_does_not_resolve_is_named_at_once() {
    // The proxy's name can't resolve: the request fails at DNS before anything leaves.
    let (output, took) = connect(
        "https://acme.my.salesforce.com",
        &[("HTTPS_PROXY", "http://eca-wizard-test.invalid:3128")],
    );
    assert!(took < LIMIT, "took {took:?}");
    assert_eq!(output.status.code(), Some(1));
    let (code, message) = cause(&output);
    assert_eq!(code, "dns_failure", "{message}");
    assert!(
        message.contains("doesn't resolve") && message.contains("spelling"),
        "{message}"
    );
}

#[test]
fn a_refused_port_is_named_at_once() {
    let port = TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (output, took) = connect(&format!("http://127.0.0.1:{port}"), &[]);
    assert!(took < LIMIT, "took {took:?}");
    let (code, message) = cause(&output);
    assert_eq!(code, "connection_refused", "{message}");
    assert!(message.contains("refused"), "{message}");
}

#[test]
fn a_proxy_answering_403_is_named_and_not_retried() {
    let (port, asked) = server("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", 0);
    let proxy = format!("http://127.0.0.1:{port}");
    let (output, took) = connect("https://acme.my.salesforce.com", &[("HTTPS_PROXY", &proxy)]);
    assert!(took < LIMIT, "took {took:?}");
    assert_eq!(
        output.status.code(),
        Some(3),
        "a change is needed, not a wait"
    );
    let (code, message) = cause(&output);
    assert_eq!(code, "proxy_forbidden", "{message}");
    assert!(
        message.contains("proxy") && message.contains("allowed"),
        "{message}"
    );
    assert_eq!(asked.load(Ordering::SeqCst), 1, "one CONNECT, not retried");
}

#[test]
fn a_huge_answer_is_read_once() {
    // 1 GiB declared; the client stops at 1 MiB and never asks again.
    let (port, asked) = server(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n",
        1 << 30,
    );
    let (output, took) = connect(&format!("http://127.0.0.1:{port}"), &[]);
    assert!(took < LIMIT, "took {took:?}");
    let (code, message) = cause(&output);
    assert_eq!(code, "answer_too_large", "{message}");
    assert_eq!(asked.load(Ordering::SeqCst), 1, "read once");
}
