//! The loopback listener under abuse: garbage, slow clients, oversized headers, a crowd of
//! wrong-state requests, and a second callback after success. It stays up, the real callback
//! still completes, and no page repeats a code.

use std::time::Duration;

use crate::common::connecting::callback;
use crate::common::ports::{free_port, held_port};
use crate::common::*;
use eca_wizard::oauth::Returned;
use eca_wizard::oauth::listener::{self, WaitError};
use eca_wizard::secret::Secret;
use tokio::io::AsyncWriteExt;
use tokio::sync::watch;

#[tokio::test]
async fn abuse_does_not_stop_the_real_callback() {
    let port = free_port();
    let bound = listener::bind(&callback(port)).unwrap();
    let (_cancel_tx, cancel) = watch::channel(false);
    let state = Secret::new("good-state");
    let waiting =
        tokio::spawn(async move { bound.wait(&state, Duration::from_secs(20), cancel).await });
    let base = format!("http://127.0.0.1:{port}");

    // A slow client that never finishes its headers.
    let mut slow = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    slow.write_all(b"GET /callback?code=").await.unwrap();
    // Garbage and an oversized header.
    let garbage = raw_http(&base, b"\x16\x03\x01\x00garbage\r\n\r\n").await;
    assert!(
        garbage.is_empty() || garbage.starts_with("HTTP/1.1 400"),
        "{garbage}"
    );
    let huge = format!(
        "GET /callback HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(100 * 1024)
    );
    let answer = raw_http(&base, huge.as_bytes()).await;
    let refused = ["HTTP/1.1 431", "HTTP/1.1 400", "HTTP/1.1 421"]
        .iter()
        .any(|s| answer.starts_with(s));
    assert!(
        answer.is_empty() || refused,
        "{}",
        &answer[..answer.len().min(80)]
    );
    // A crowd of wrong-state callbacks, each refused with a page that doesn't echo the code.
    let crowd: Vec<_> = (0..40)
        .map(|i| {
            let url = format!("{base}/callback?code=aPrxStolen{i}&state=wrong");
            tokio::spawn(async move { get(&url).await })
        })
        .collect();
    for request in crowd {
        let page = request.await.unwrap();
        assert_eq!(page.status, 400);
        assert!(
            !page.body.contains("aPrxStolen"),
            "the page repeats the code"
        );
        assert_eq!(page.header("connection").as_deref(), Some("close"));
    }
    // The real callback.
    let good = get(&format!(
        "{base}/callback?code=aPrxGood%3D%3D&state=good-state"
    ))
    .await;
    assert_eq!(good.status, 303);
    assert_eq!(good.header("location").as_deref(), Some("/done"));
    // A second callback during the grace period is answered, not accepted.
    let second = get(&format!("{base}/callback?code=aPrxSecond&state=good-state")).await;
    assert_eq!(second.status, 200);
    assert!(second.body.contains("already completed") && !second.body.contains("aPrxSecond"));
    let done = get(&format!("{base}/done")).await;
    assert!(done.body.contains("Connected"));
    let returned = waiting.await.unwrap().unwrap();
    assert_eq!(returned, Returned::Code(Secret::new("aPrxGood==")));
    drop(slow);
    // The port is free again once the listener is done.
    assert!(std::net::TcpListener::bind(("127.0.0.1", port)).is_ok());
}

#[tokio::test]
async fn an_error_callback_is_returned_for_diagnosis() {
    let port = free_port();
    let bound = listener::bind(&callback(port)).unwrap();
    let (_cancel_tx, cancel) = watch::channel(false);
    let state = Secret::new("s");
    let waiting =
        tokio::spawn(async move { bound.wait(&state, Duration::from_secs(20), cancel).await });
    let url = format!(
        "http://127.0.0.1:{port}/callback?error=access_denied&error_description=end-user%20denied%20authorization&state=s"
    );
    let page = send(client().get(&url).header("Sec-Fetch-Mode", "navigate")).await;
    assert!(page.body.contains("access_denied"));
    let returned = waiting.await.unwrap().unwrap();
    assert!(
        matches!(&returned, Returned::Error { error, description } if error == "access_denied" && !description.contains("another program")),
        "{returned:?}"
    );
}

/// A listener on `port` waiting for state `s`, holding a browserless error for `grace`.
fn wait_with_error_grace(
    port: u16,
    grace: Duration,
) -> tokio::task::JoinHandle<Result<Returned, WaitError>> {
    let bound = listener::bind(&callback(port))
        .unwrap()
        .with_error_grace(grace);
    tokio::spawn(async move {
        // Never cancelled: the sender lives as long as the wait.
        let (_cancel_tx, cancel) = watch::channel(false);
        bound
            .wait(&Secret::new("s"), Duration::from_secs(20), cancel)
            .await
    })
}

/// The authorize URL, state included, is in the browser's command line: a local program can
/// read it and send `error=access_denied` first. Without a browser's navigation headers such
/// an error waits for the real callback, which wins; alone, it is named as possibly forged.
#[tokio::test]
async fn an_error_from_no_browser_waits_for_the_real_callback() {
    let forged =
        |port: u16| format!("http://127.0.0.1:{port}/callback?error=access_denied&state=s");
    let port = free_port();
    let waiting = wait_with_error_grace(port, Duration::from_secs(5));
    let _ = get(&forged(port)).await;
    let real = get(&format!(
        "http://127.0.0.1:{port}/callback?code=aPrxReal&state=s"
    ))
    .await;
    assert_eq!(real.status, 303, "the real callback is still taken");
    let returned = waiting.await.unwrap().unwrap();
    assert!(
        matches!(returned, Returned::Code(ref c) if c.expose() == "aPrxReal"),
        "{returned:?}"
    );

    let port = free_port();
    let waiting = wait_with_error_grace(port, Duration::from_millis(300));
    let _ = get(&forged(port)).await;
    let returned = waiting.await.unwrap().unwrap();
    assert!(
        matches!(&returned, Returned::Error { error, description } if error == "access_denied" && description.contains("another program")),
        "{returned:?}"
    );
}

#[tokio::test]
async fn waiting_times_out_and_can_be_cancelled() {
    let bound = listener::bind(&callback(free_port())).unwrap();
    let (_cancel_tx, cancel) = watch::channel(false);
    assert_eq!(
        bound
            .wait(&Secret::new("s"), Duration::from_millis(200), cancel)
            .await,
        Err(WaitError::TimedOut(0))
    );
    let bound = listener::bind(&callback(free_port())).unwrap();
    let (cancel_tx, cancel) = watch::channel(false);
    let waiting = tokio::spawn(async move {
        bound
            .wait(&Secret::new("s"), Duration::from_secs(30), cancel)
            .await
    });
    cancel_tx.send(true).unwrap();
    assert_eq!(
        tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .unwrap()
            .unwrap(),
        Err(WaitError::Cancelled)
    );
}

#[tokio::test]
async fn busy_ports_are_skipped_and_reported() {
    let (_held, busy) = held_port();
    let free = free_port();
    let urls = vec![
        format!("http://localhost:{busy}/callback"),
        "https://vendor.example/cb".to_string(),
        format!("http://localhost:{free}/callback"),
    ];
    let bound = listener::bind(&urls).unwrap();
    assert_eq!(bound.port, free);
    drop(bound);
    let error = listener::bind(&urls[..2]).unwrap_err();
    assert_eq!(error.tried.len(), 2);
    assert!(
        error.to_string().contains("port in use")
            && error.to_string().contains("not a loopback address")
    );
}
