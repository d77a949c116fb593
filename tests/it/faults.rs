//! Faults: a Salesforce that answers 5xx, answers with something that isn't JSON, drops the
//! connection mid-exchange, or never answers; and a config folder that can't be written. The
//! user gets a clear message, retries stay bounded, and nothing saved is lost.

use crate::common::{launch, temp};
use std::time::Duration;

use crate::common::connecting::*;
use crate::common::*;
use eca_wizard::connect::Outcome;
use eca_wizard::salesforce::Flow;
use eca_wizard::salesforce::diagnosis::Kind;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Clone, Copy)]
enum Misbehaviour {
    ServerError,
    NotJson,
    Drop,
    Silent,
}

/// A loopback server that misbehaves on every request; returns its base URL.
async fn broken_salesforce(how: Misbehaviour) -> String {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                let _ = stream.read(&mut buffer).await;
                let reply: &[u8] = match how {
                    Misbehaviour::ServerError => b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 11\r\nConnection: close\r\n\r\nmaintenance",
                    Misbehaviour::NotJson => b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 15\r\nConnection: close\r\n\r\n<html>hi</html>",
                    Misbehaviour::Drop => b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"access_tok",
                    Misbehaviour::Silent => {
                        tokio::time::sleep(Duration::from_secs(120)).await;
                        b""
                    }
                };
                let _ = stream.write_all(reply).await;
            });
        }
    });
    base
}

fn short_policy(req: &mut eca_wizard::connect::Request) {
    req.policy.max_attempts = 3;
    req.policy.base = Duration::from_millis(50);
    req.policy.cap = Duration::from_millis(100);
}

#[tokio::test]
async fn a_failing_salesforce_gets_bounded_retries_and_a_clear_message() {
    let emulator = start();
    for how in [
        Misbehaviour::ServerError,
        Misbehaviour::NotJson,
        Misbehaviour::Drop,
    ] {
        let base = broken_salesforce(how).await;
        let mut req = request(&emulator, "custom", Flow::ClientCredentials, &base, 0);
        short_policy(&mut req);
        let report = run(&req, Visit::Nothing).await.report;
        let diagnosis = report.diagnosis.expect("a diagnosis");
        assert_ne!(report.outcome, Outcome::Connected);
        assert!(!diagnosis.message.is_empty());
        assert!(report.attempts <= 3, "retries are bounded");
        if matches!(how, Misbehaviour::ServerError | Misbehaviour::Drop) {
            assert_eq!(diagnosis.kind, Kind::Transient, "{diagnosis:?}");
            assert_eq!(report.attempts, 3, "transient failures are retried");
        }
        assert!(
            !diagnosis.message.contains("access_tok"),
            "no body fragments in messages"
        );
    }
}

#[tokio::test]
async fn a_silent_salesforce_is_cancelled_not_waited_for_forever() {
    let emulator = start();
    let base = broken_salesforce(Misbehaviour::Silent).await;
    let mut req = request(&emulator, "custom", Flow::ClientCredentials, &base, 0);
    short_policy(&mut req);
    let (cancel_tx, cancel) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(async move {
        let mut events = |_| {};
        eca_wizard::connect::connect(&req, &mut events, None, cancel).await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !task.is_finished(),
        "the request is still waiting for an answer"
    );
    cancel_tx.send(true).unwrap();
    let report = tokio::time::timeout(Duration::from_secs(2), task)
        .await
        .expect("cancel ends the wait")
        .unwrap();
    assert_eq!(report.outcome, Outcome::Cancelled);
    assert_eq!(report.outcome.exit_code(), 130);
    assert_eq!(report.diagnosis.unwrap().error, "cancelled");
}

#[tokio::test]
async fn saving_into_an_unwritable_folder_says_so_and_keeps_what_was_saved() {
    let emulator = start();
    let blocker = temp::folder("blocker");
    std::fs::write(&blocker, "not a folder").unwrap();
    let output = tokio::task::spawn_blocking({
        let mut command = launch::wizard(&blocker);
        let my_domain = emulator.my_domain_url().to_string();
        move || {
            command
                .args([
                    "connect",
                    "--login-url",
                    &my_domain,
                    "--client-id",
                    KEY,
                    "--flow",
                    "client-credentials",
                    "--save",
                    "acme",
                ])
                .env("ECA_WIZARD_SECRETS", "file")
                .env("ECA_WIZARD_CLIENT_SECRET", SECRET)
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("error:") && !err.contains(SECRET), "{err}");
    assert_eq!(
        std::fs::read_to_string(&blocker).unwrap(),
        "not a folder",
        "nothing overwritten"
    );
}
