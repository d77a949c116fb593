//! The login and what it trusts: the loopback listener (a state-less error, other hosts, an
//! IPv6 squatter), the browser's environment, the token endpoint's transport (a huge body, an
//! untrusted certificate), and a hostile instance URL from a token answer or the Salesforce CLI.

use eca_wizard::oauth::listener;
use eca_wizard::oauth::{Failure, Returned};
use tokio::sync::watch;

use super::*;

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

#[tokio::test]
async fn an_untrusted_certificate_is_named_not_retried() {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cert = CertificateDer::from_pem_slice(include_bytes!(
        "../../../assets/emulator/demo-jwt-cert.pem"
    ))
    .unwrap();
    let key =
        PrivateKeyDer::from_pem_slice(include_bytes!("../../../assets/emulator/demo-jwt-key.pem"))
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
        let report = crate::common::contract::result(&out.stdout, out.status.code());
        assert_eq!(
            report["diagnosis"]["error"], "untrusted_instance_url",
            "{report}"
        );
        assert_eq!(
            fake.asked.lock().unwrap().as_slice(),
            ["/services/oauth2/token"],
            "nothing else was asked"
        );
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
}
