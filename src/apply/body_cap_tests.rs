//! apply's, rotate's and drift's reads of Salesforce's answers stop at the OAuth client's cap
//! (`oauth::client::MAX_BODY`): a hostile or broken server's endless body is refused, not read.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::session::{Session, from_token};
use super::{credentials, deploy, live};

/// Most a test server sends before giving up: far past the cap, far below what would hurt.
const LIMIT: usize = 64 << 20;

/// A server on loopback answering every request with a body that doesn't end (with or without
/// a declared length); it reports how many bytes each answer got out before the client left.
async fn endless(declared: bool) -> (String, tokio::sync::mpsc::UnboundedReceiver<usize>) {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                read_request(&mut stream).await;
                let length = if declared {
                    "Content-Length: 1610612736\r\n"
                } else {
                    ""
                };
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{length}Connection: close\r\n\r\n"
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let chunk = vec![b' '; 1 << 16];
                let mut sent = 0;
                while sent < LIMIT && stream.write_all(&chunk).await.is_ok() {
                    sent += chunk.len();
                }
                let _ = tx.send(sent);
            });
        }
    });
    (base, rx)
}

/// Reads the head and the declared body, so that the answer isn't a reset.
async fn read_request(stream: &mut tokio::net::TcpStream) {
    let mut seen = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        let Ok(n) = stream.read(&mut buf).await else {
            return;
        };
        if n == 0 {
            return;
        }
        seen.extend_from_slice(&buf[..n]);
        if let Some(i) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&seen[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while seen.len() < head_end + length {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
}

fn session(base: &str) -> Session {
    from_token(base, "00Dx!token").unwrap()
}

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().build().unwrap()
}

async fn assert_stopped(rx: &mut tokio::sync::mpsc::UnboundedReceiver<usize>) {
    let sent = tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(
        sent < LIMIT,
        "the client read {sent} bytes before giving up"
    );
}

#[tokio::test]
async fn huge_answers_to_apply_rotate_and_drift_are_refused_not_read() {
    let http = http();
    for declared in [true, false] {
        let (base, mut rx) = endless(declared).await;
        let session = session(&base);

        // drift (and apply's plan): the SOQL query.
        let error = live::app(&http, &session, "66.0", "Some_App")
            .await
            .unwrap_err()
            .to_string();
        assert!(error.contains("larger than 1 MiB"), "{error}");
        assert_stopped(&mut rx).await;

        // apply's and rotate's Connect REST calls.
        let failure = credentials::call(&http, &session, reqwest::Method::GET, &base, None)
            .await
            .unwrap_err();
        assert!(
            matches!(&failure, crate::oauth::Failure::Transport(why) if why.contains("1 MiB")),
            "{failure:?}"
        );
        assert_stopped(&mut rx).await;

        // apply's deploy (and the secret setting's).
        let error = deploy::deploy(
            &http,
            &session,
            "66.0",
            b"PK".to_vec(),
            true,
            Duration::from_millis(1),
            &mut |_| {},
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("deploy answer couldn't be read") && error.contains("1 MiB"),
            "{error}"
        );
        assert_stopped(&mut rx).await;
    }
}
