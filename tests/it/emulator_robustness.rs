//! Bad requests never crash or hang the emulator: garbage, huge headers and bodies, slow and
//! concurrent clients. Plus the org file and the `emulator` command.

use crate::common::{launch, temp};
#[cfg(unix)] // the SIGTERM test
use std::io::{BufRead, BufReader};
#[cfg(unix)]
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::*;
use eca_wizard::emulator::Org;

async fn still_serves(emulator: &eca_wizard::emulator::Emulator) {
    let _ = cc_token(emulator).await;
}

#[tokio::test]
async fn garbage_and_oversized_requests_are_refused_and_the_emulator_keeps_serving() {
    let emulator = start();
    let base = emulator.my_domain_url();
    let garbage = raw_http(base, b"\x00\x01\x02 not http at all\r\n\r\n").await;
    assert!(
        garbage.is_empty() || garbage.starts_with("HTTP/1.1 400"),
        "{garbage}"
    );

    let huge_header = format!(
        "GET /services/data/ HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(200 * 1024)
    );
    let answer = raw_http(base, huge_header.as_bytes()).await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "{}",
        &answer[..answer.len().min(200)]
    );

    let body = vec![b'a'; 2 * 1024 * 1024];
    // The emulator answers 413 as soon as the limit is passed and closes the connection, so a
    // client still sending may see the connection end instead of the answer.
    let sent = client()
        .post(token_url(base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await;
    if let Ok(response) = sent {
        assert_eq!(response.status().as_u16(), 413);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body[0]["errorCode"], "REQUEST_TOO_LARGE");
    }

    still_serves(&emulator).await;
}

#[tokio::test]
async fn a_slow_client_does_not_block_others() {
    let emulator = start();
    let addr = emulator
        .my_domain_url()
        .trim_start_matches("http://")
        .to_string();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    tokio::io::AsyncWriteExt::write_all(
        &mut slow,
        b"POST /services/oauth2/token HTTP/1.1\r\nHost: x\r\n",
    )
    .await
    .unwrap();
    tokio::time::timeout(Duration::from_secs(5), still_serves(&emulator))
        .await
        .expect("served while a client dawdles");
    drop(slow);
}

#[tokio::test]
async fn many_concurrent_clients_are_served() {
    let emulator = start();
    emulator.set_logins_per_hour(100_000);
    let url = token_url(emulator.my_domain_url());
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { post_form(&url, &CC).await.status })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
}

#[test]
fn an_org_file_loads_and_is_checked() {
    let text = r#"
        org_id = "00D000000000001"
        my_domain = "acme"
        propagation_delay_secs = 30

        [[users]]
        username = "sync@acme.example"
        integration_user = true
        objects = { Account = { read = true } }

        [[apps]]
        api_name = "Acme_Sync"
        consumer_key = "3MVG9AcmeSyncKey0000000"
        consumer_secret = "acme-secret-000000"
        callback_urls = ["https://acme.example/cb"]
        scopes = ["api"]
        client_credentials = true
        policies = { client_credentials = true, run_as = "sync@acme.example" }
    "#;
    let org = Org::from_toml(text).unwrap();
    assert_eq!(org.org_id.len(), 18);
    assert!(org.users[0].id.starts_with("005") && org.users[0].id.len() == 18);
    assert!(org.apps[0].require_pkce, "Setup's defaults apply");

    let dangling = text.replace(
        "run_as = \"sync@acme.example\"",
        "run_as = \"ghost@acme.example\"",
    );
    assert!(
        Org::from_toml(&dangling)
            .unwrap_err()
            .to_string()
            .contains("ghost@acme.example")
    );
    let bad_id = text.replace("00D000000000001", "001000000000001");
    assert!(
        Org::from_toml(&bad_id)
            .unwrap_err()
            .to_string()
            .contains("00D")
    );
    let unknown = format!("{text}\nsurprise = 1");
    assert!(Org::from_toml(&unknown).is_err());
}

#[cfg(unix)] // SIGTERM is a Unix signal; `kill` sends it
#[tokio::test]
async fn the_emulator_command_prints_json_and_stops_on_sigterm() {
    let mut command = launch::fresh();
    let mut child = command
        .args([
            "emulator",
            "--print-json",
            "--auto-approve",
            "--propagation-delay",
            "0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let info: serde_json::Value = serde_json::from_str(&first).expect("first line is JSON");
    for key in [
        "login_url",
        "my_domain_url",
        "client_id",
        "client_secret",
        "username",
        "callback_urls",
    ] {
        assert!(info.get(key).is_some(), "missing {key}");
    }
    let token = post_form(
        &token_url(info["my_domain_url"].as_str().unwrap()),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", info["client_id"].as_str().unwrap()),
            ("client_secret", info["client_secret"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(token.status, 200, "{}", token.body);

    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the emulator did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
}

#[test]
fn a_bad_org_file_is_reported() {
    let dir = temp::created("emulator-org");
    let file = dir.join("org.toml");
    std::fs::write(&file, "org_id = 5").unwrap();
    let out = launch::wizard(&dir)
        .args(["emulator", "--org"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("org.toml") && err.contains("not valid"),
        "{err}"
    );
}

/// DNS rebinding: a web page on a name that resolves to 127.0.0.1 sends its own Host. Each of
/// the emulator's hosts answers only its own loopback names and port, as the callback listener.
#[tokio::test]
async fn a_foreign_host_is_refused_by_every_emulator_host() {
    let emulator = start();
    let form = format!("grant_type=client_credentials&client_id={KEY}&client_secret={SECRET}");
    let token = |host: &str| {
        format!(
            "POST /services/oauth2/token HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
            form.len()
        )
    };
    for base in [
        emulator.login_url(),
        emulator.my_domain_url(),
        emulator.mcp_url(),
    ] {
        let port = base.rsplit(':').next().unwrap();
        for foreign in [
            format!("evil.example:{port}"),
            format!("127.0.0.1.nip.io:{port}"),
            format!("localhost.:{port}"),
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "127.0.0.1:1".to_string(),
            format!("127.0.0.1:0{port}"),
            format!("evil.example@127.0.0.1:{port}"),
            String::new(),
        ] {
            let answer = raw_http(base, token(&foreign).as_bytes()).await;
            let status = answer.lines().next().unwrap_or_default();
            assert!(
                status.starts_with("HTTP/1.1 421") || status.starts_with("HTTP/1.1 400"),
                "Host {foreign:?} on {base}: {answer}"
            );
            assert!(!answer.contains("access_token"), "{answer}");
            assert!(answer.len() < 400, "a short answer: {answer}");
        }
        // No Host at all (HTTP/1.0 allows it).
        let bare = "GET /services/data/ HTTP/1.0\r\n\r\n";
        let answer = raw_http(base, bare.as_bytes()).await;
        assert!(
            answer.starts_with("HTTP/1.0 421")
                || answer.starts_with("HTTP/1.1 421")
                || answer.starts_with("HTTP/1.1 400"),
            "{answer}"
        );
    }
    // Its own names, as jsforce, the sf CLI and browsers send them, are answered.
    let base = emulator.my_domain_url();
    let port = base.rsplit(':').next().unwrap();
    for own in ["127.0.0.1", "localhost", "LocalHost", "[::1]"] {
        let answer = raw_http(base, token(&format!("{own}:{port}")).as_bytes()).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{own}: {answer}");
        assert!(answer.contains("access_token"), "{answer}");
    }
    cc_token(&emulator).await;
}

/// A client that sends its headers and then stalls mid-body is answered 408 and let go, as
/// one that stalls in its headers is: it can't hold a connection open for ever.
#[tokio::test]
async fn a_body_that_stalls_is_timed_out() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let emulator = start();
    let addr = emulator
        .my_domain_url()
        .trim_start_matches("http://")
        .to_string();
    let mut stalled = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /services/oauth2/token HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type"
    );
    stalled.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), stalled.read_to_end(&mut answer))
        .await
        .expect("the stalled body was never timed out");
    assert!(read.is_ok());
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    still_serves(&emulator).await;
}
