//! The emulator answers the cases of `field-facts-2026.md` with the bodies real orgs send, and
//! `explain` reads each of those bodies the way `connect` does (one rule table).

use crate::common::*;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eca_wizard::commands::explain::explain;
use eca_wizard::emulator::org::DEMO_INTEGRATION_USER;
use eca_wizard::jwt::Signer;
use eca_wizard::salesforce::diagnosis::{Kind, Target};
use ring::digest;

const DEMO_JWT_KEY: &str = include_str!("../../assets/emulator/demo-jwt-key.pem");

/// The body, checked word for word against the field's.
fn assert_body(answer: &Answer, error: &str, description: &str) {
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(
        answer.json(),
        serde_json::json!({"error": error, "error_description": description})
    );
}

async fn code_with_verifier(emulator: &eca_wizard::emulator::Emulator, verifier: &str) -> String {
    let challenge = URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()));
    let answer = get(&authorize_url(
        emulator.login_url(),
        &[
            ("response_type", "code"),
            ("client_id", KEY),
            ("redirect_uri", CALLBACK),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    ))
    .await;
    answer.location_param("code").expect("a code")
}

#[tokio::test]
async fn a_tilde_in_the_verifier_is_refused_even_when_it_matches() {
    // RFC 7636 allows `~`; Salesforce refuses it (nsflow#249, n8n#32421).
    let emulator = start();
    let verifier = format!("{}~{}", "a".repeat(40), "b".repeat(40));
    let code = code_with_verifier(&emulator, &verifier).await;
    let answer = redeem(
        &token_url(emulator.login_url()),
        &code,
        Some(&verifier),
        Some(SECRET),
        CALLBACK,
    )
    .await;
    assert_body(&answer, "invalid_grant", "invalid code verifier");
    let d = explain(&answer.body);
    assert_eq!(d.kind, Kind::ClientBug);
    assert!(d.message.contains('~'));

    let plain = "c".repeat(64);
    let code = code_with_verifier(&emulator, &plain).await;
    let answer = redeem(
        &token_url(emulator.login_url()),
        &code,
        Some(&plain),
        Some(SECRET),
        CALLBACK,
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[tokio::test]
async fn a_wrong_verifier_is_invalid_grant() {
    let emulator = start();
    let code = code_with_verifier(&emulator, &"d".repeat(64)).await;
    let answer = redeem(
        &token_url(emulator.login_url()),
        &code,
        Some(&"e".repeat(64)),
        Some(SECRET),
        CALLBACK,
    )
    .await;
    assert_body(&answer, "invalid_grant", "invalid code verifier");
}

#[tokio::test]
async fn a_jwt_for_another_audience_is_audience_is_invalid() {
    let emulator = start();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let claims = serde_json::json!({"iss": KEY, "sub": DEMO_INTEGRATION_USER, "aud": "https://example.com", "exp": now + 180});
    let assertion = Signer::from_pem(DEMO_JWT_KEY)
        .unwrap()
        .sign(&claims, None)
        .unwrap();
    let answer = post_form(
        &token_url(emulator.login_url()),
        &[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", &assertion),
        ],
    )
    .await;
    assert_body(&answer, "invalid_grant", "audience is invalid");
    assert_eq!(explain(&answer.body).target, Some(Target::LoginUrl));
}

#[tokio::test]
async fn client_credentials_refusals_read_like_the_field() {
    let emulator = start();
    // On the login host (not My Domain).
    let answer = post_form(&token_url(emulator.login_url()), &CC).await;
    assert_body(
        &answer,
        "invalid_grant",
        "request not supported on this domain",
    );
    assert_eq!(explain(&answer.body).target, Some(Target::LoginUrl));
    // A JSON body, as seed 002's screenshots send it.
    let json = serde_json::json!({"grant_type": "client_credentials", "client_id": KEY, "client_secret": SECRET});
    let answer = send(
        client()
            .post(token_url(emulator.my_domain_url()))
            .json(&json),
    )
    .await;
    assert_body(
        &answer,
        "unsupported_grant_type",
        "grant type not supported",
    );
    let d = explain(&answer.body);
    assert!(
        d.causes()
            .iter()
            .any(|c| c.kind == Kind::ClientBug && c.message.contains("form post")),
        "{d:?}"
    );
}

#[tokio::test]
async fn a_code_exchange_without_the_required_secret_is_invalid_client() {
    let emulator = start();
    let (code, verifier) = crate::common::code(&emulator, None).await;
    let answer = redeem(
        &token_url(emulator.login_url()),
        &code,
        Some(&verifier),
        None,
        CALLBACK,
    )
    .await;
    assert_body(&answer, "invalid_client", "invalid client credentials");
    let d = explain(&answer.body);
    assert!(
        d.causes()
            .iter()
            .any(|c| c.message.contains("Require secret for Web Server Flow")),
        "{d:?}"
    );
}

#[tokio::test]
async fn repeated_slashes_are_served_like_one() {
    // The Salesforce CLI builds `{instanceUrl}/services/...`; an instance URL ending in `/` gives
    // `//services/...` (`sf org login access-token`, then `sf org list limits`).
    let emulator = start();
    let token = admin_token(&emulator).await;
    let base = format!("{}/", emulator.my_domain_url());
    let versions = get(&format!("{base}/services/data/")).await;
    assert_eq!(versions.status, 200, "{}", versions.body);
    let limits = get_bearer(&format!("{base}/services/data/v66.0/limits"), &token).await;
    assert_eq!(limits.status, 200, "{}", limits.body);
    assert!(limits.json()["DailyApiRequests"]["Remaining"].is_number());
    let userinfo = get_bearer(&format!("{base}//services/oauth2/userinfo"), &token).await;
    assert_eq!(userinfo.status, 200, "{}", userinfo.body);
}
