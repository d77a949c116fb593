//! The emulator's token endpoint: every grant and every rule, allowed and refused, with
//! Salesforce's exact bodies, over real HTTP on loopback.

use std::time::Duration;

use crate::common::*;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use eca_wizard::emulator::org::{
    DEMO_BROWSER_USER, DEMO_INTEGRATION_USER, DEMO_JWT_KEY, PermittedUsers,
};
use eca_wizard::jwt::Signer;
use eca_wizard::salesforce::oauth_errors as err;
use ring::hmac;

#[tokio::test]
async fn code_flow_returns_salesforce_shaped_tokens() {
    let emulator = start();
    let token = code_flow(&emulator, None).await;
    for field in [
        "access_token",
        "refresh_token",
        "signature",
        "scope",
        "id_token",
        "instance_url",
        "id",
        "token_type",
        "issued_at",
    ] {
        assert!(token.get(field).is_some(), "missing {field}: {token}");
    }
    assert!(
        token.get("expires_in").is_none(),
        "Salesforce sends no expires_in"
    );
    assert_eq!(token["instance_url"], emulator.my_domain_url());
    assert_eq!(token["token_type"], "Bearer");
    let access = token["access_token"].as_str().unwrap();
    let (org, rest) = access.split_once('!').unwrap();
    assert!(
        org.starts_with("00D") && org.len() == 15 && !rest.is_empty(),
        "{access}"
    );
    assert!(token["refresh_token"].as_str().unwrap().starts_with("5Aep"));
    let issued_at = token["issued_at"].as_str().expect("issued_at is a string");
    assert!(
        issued_at.parse::<u64>().unwrap() > 1_700_000_000_000,
        "milliseconds"
    );
    let id = token["id"].as_str().unwrap();
    assert!(
        id.starts_with(&format!("{}/id/00D", emulator.login_url())),
        "{id}"
    );
    // signature = base64(HMAC-SHA256(secret, id + issued_at))
    let key = hmac::Key::new(hmac::HMAC_SHA256, SECRET.as_bytes());
    let signature = STANDARD
        .decode(token["signature"].as_str().unwrap())
        .unwrap();
    hmac::verify(&key, format!("{id}{issued_at}").as_bytes(), &signature)
        .expect("signature checks out");
}

#[tokio::test]
async fn codes_are_single_use_and_expire_after_fifteen_minutes() {
    let emulator = start();
    let (code, verifier) = code(&emulator, None).await;
    let redeem = |code: String, verifier: String| {
        let url = token_url(emulator.login_url());
        async move { redeem(&url, &code, Some(&verifier), Some(SECRET), CALLBACK).await }
    };
    assert_eq!(redeem(code.clone(), verifier.clone()).await.status, 200);
    redeem(code, verifier)
        .await
        .assert_oauth_error(err::EXPIRED_CODE);

    let (code, verifier) = crate::common::code(&emulator, None).await;
    emulator.advance_clock(Duration::from_secs(15 * 60 + 1));
    redeem(code, verifier)
        .await
        .assert_oauth_error(err::EXPIRED_CODE);
}

#[tokio::test]
async fn pkce_is_checked() {
    let emulator = start();
    let url = token_url(emulator.login_url());
    let (code, _) = crate::common::code(&emulator, None).await;
    redeem(&url, &code, None, Some(SECRET), CALLBACK)
        .await
        .assert_oauth_error(err::MISSING_VERIFIER);
    let (code, _) = crate::common::code(&emulator, None).await;
    redeem(
        &url,
        &code,
        Some("not-the-verifier"),
        Some(SECRET),
        CALLBACK,
    )
    .await
    .assert_oauth_error(err::BAD_VERIFIER);
}

#[tokio::test]
async fn a_challenge_without_method_is_read_as_s256() {
    // jsforce and the Salesforce CLI send code_challenge without code_challenge_method.
    let emulator = start();
    let (verifier, challenge) = pkce();
    let answer = get(&authorize_url(
        emulator.login_url(),
        &[
            ("response_type", "code"),
            ("client_id", KEY),
            ("redirect_uri", CALLBACK),
            ("code_challenge", &challenge),
        ],
    ))
    .await;
    let code = answer.location_param("code").expect("a code");
    let answer = redeem(
        &token_url(emulator.login_url()),
        &code,
        Some(&verifier),
        Some(SECRET),
        CALLBACK,
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[tokio::test]
async fn the_redirect_uri_must_match_the_authorize_request() {
    let emulator = start();
    let (code, verifier) = crate::common::code(&emulator, None).await;
    redeem(
        &token_url(emulator.login_url()),
        &code,
        Some(&verifier),
        Some(SECRET),
        "http://localhost:7718/callback",
    )
    .await
    .assert_oauth_error(err::REDIRECT_URI_MISMATCH);
}

#[tokio::test]
async fn the_web_server_secret_follows_its_toggle() {
    let emulator = start();
    let url = token_url(emulator.login_url());
    let (code, verifier) = crate::common::code(&emulator, None).await;
    redeem(&url, &code, Some(&verifier), None, CALLBACK)
        .await
        .assert_oauth_error(err::INVALID_CLIENT);
    let (code, verifier) = crate::common::code(&emulator, None).await;
    redeem(
        &url,
        &code,
        Some(&verifier),
        Some("wrong-secret-value"),
        CALLBACK,
    )
    .await
    .assert_oauth_error(err::INVALID_CLIENT);

    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.require_secret_web_server = false
        })
        .unwrap();
    let (code, verifier) = crate::common::code(&emulator, None).await;
    let answer = redeem(&url, &code, Some(&verifier), None, CALLBACK).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[tokio::test]
async fn refresh_follows_the_secret_toggle_and_rotation() {
    let emulator = start();
    let url = token_url(emulator.my_domain_url());
    let refresh = code_flow(&emulator, None).await["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();

    refresh_grant(&url, &refresh, None)
        .await
        .assert_oauth_error(err::INVALID_CLIENT);
    let answer = refresh_grant(&url, &refresh, Some(SECRET)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        answer.json().get("refresh_token").is_none(),
        "no new refresh token without rotation"
    );

    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.require_secret_refresh = false;
            app.refresh_token_rotation = true;
        })
        .unwrap();
    let answer = refresh_grant(&url, &refresh, None).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let rotated = answer.json()["refresh_token"]
        .as_str()
        .expect("rotation returns a new refresh token")
        .to_string();
    assert_ne!(rotated, refresh);
    refresh_grant(&url, &refresh, None)
        .await
        .assert_oauth_error(err::EXPIRED_TOKEN);
    let answer = refresh_grant(&url, &rotated, None).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[tokio::test]
async fn no_refresh_token_without_the_refresh_scope() {
    let emulator = start();
    let token = code_flow(&emulator, Some("api id")).await;
    assert!(token.get("refresh_token").is_none(), "{token}");
    assert!(
        token.get("id_token").is_none(),
        "no id_token without openid"
    );
    assert_eq!(token["scope"], "api id");
}

#[tokio::test]
async fn refresh_token_policy_expires_tokens() {
    let emulator = start();
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.policies.refresh_token_policy =
                eca_wizard::emulator::org::RefreshTokenPolicy::SpecificLifetime { hours: 1 };
        })
        .unwrap();
    let refresh = code_flow(&emulator, None).await["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    emulator.advance_clock(Duration::from_secs(3601));
    refresh_grant(&token_url(emulator.my_domain_url()), &refresh, Some(SECRET))
        .await
        .assert_oauth_error(err::EXPIRED_TOKEN);
}

#[tokio::test]
async fn client_credentials_rules() {
    let emulator = start();
    let login = token_url(emulator.login_url());
    let my_domain = token_url(emulator.my_domain_url());
    let cc = CC;
    post_form(&login, &cc)
        .await
        .assert_oauth_error(err::WRONG_DOMAIN);

    let answer = post_form(&my_domain, &cc).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let token = answer.json();
    assert!(token.get("refresh_token").is_none());
    assert!(
        token.get("id_token").is_none(),
        "client credentials responses carry no id_token"
    );
    let scopes: Vec<&str> = token["scope"].as_str().unwrap().split(' ').collect();
    assert!(
        !scopes.contains(&"refresh_token") && scopes.contains(&"api"),
        "{scopes:?}"
    );

    // HTTP Basic, as simple-salesforce sends it.
    let answer = send(
        client()
            .post(&my_domain)
            .basic_auth(KEY, Some(SECRET))
            .form(&[("grant_type", "client_credentials")]),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);

    post_form(
        &my_domain,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", KEY),
            ("client_secret", "bad"),
        ],
    )
    .await
    .assert_oauth_error(err::INVALID_CLIENT);
    post_form(
        &my_domain,
        &[("grant_type", "client_credentials"), ("client_id", KEY)],
    )
    .await
    .assert_oauth_error(err::INVALID_CLIENT);

    emulator
        .edit_app("ECA_Wizard_Demo", |app| app.policies.run_as = None)
        .unwrap();
    post_form(&my_domain, &cc)
        .await
        .assert_oauth_error(err::NO_RUN_AS_USER);
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.policies.run_as = Some(DEMO_INTEGRATION_USER.into());
            app.policies.client_credentials = false;
        })
        .unwrap();
    post_form(&my_domain, &cc)
        .await
        .assert_oauth_error(err::CLIENT_CREDENTIALS_DISABLED);
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.policies.client_credentials = true;
            app.scopes = vec!["refresh_token".into(), "web".into()];
        })
        .unwrap();
    post_form(&my_domain, &cc)
        .await
        .assert_oauth_error(err::NO_VALID_SCOPES);
    emulator
        .edit_app("ECA_Wizard_Demo", |app| app.scopes = vec!["api".into()])
        .unwrap();
    emulator
        .edit_user(DEMO_INTEGRATION_USER, |u| u.active = false)
        .unwrap();
    post_form(&my_domain, &cc)
        .await
        .assert_oauth_error(err::INACTIVE_USER);
}

fn assertion(sub: &str, aud: &str, exp_offset: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let claims = serde_json::json!({"iss": KEY, "sub": sub, "aud": aud, "exp": now + exp_offset});
    Signer::from_pem(DEMO_JWT_KEY)
        .unwrap()
        .sign(&claims, None)
        .unwrap()
}

#[tokio::test]
async fn jwt_bearer_rules() {
    let emulator = start();
    let url = token_url(emulator.login_url());
    let grant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    let ok = assertion(DEMO_INTEGRATION_USER, "https://login.salesforce.com", 180);

    // Self-authorized app and a user who never approved it.
    post_form(&url, &[("grant_type", grant), ("assertion", &ok)])
        .await
        .assert_oauth_error(err::NOT_APPROVED);
    // Admin-approved with the user's permission set: allowed.
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.policies.permitted_users = PermittedUsers::AdminApprovedPreAuthorized
        })
        .unwrap();
    let answer = post_form(&url, &[("grant_type", grant), ("assertion", &ok)]).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.json().get("refresh_token").is_none());

    for bad in [
        "https://example.com",
        "https://test.salesforce.com",
        emulator.my_domain_url(),
    ] {
        let bad_aud = assertion(DEMO_INTEGRATION_USER, bad, 180);
        post_form(&url, &[("grant_type", grant), ("assertion", &bad_aud)])
            .await
            .assert_oauth_error(err::BAD_AUDIENCE);
    }
    let expired = assertion(DEMO_INTEGRATION_USER, "https://login.salesforce.com", -10);
    post_form(&url, &[("grant_type", grant), ("assertion", &expired)])
        .await
        .assert_oauth_error(err::EXPIRED_CODE);
    let mut tampered = ok.clone();
    tampered.pop();
    tampered.push(if ok.ends_with('A') { 'B' } else { 'A' });
    post_form(&url, &[("grant_type", grant), ("assertion", &tampered)])
        .await
        .assert_oauth_error(err::INVALID_ASSERTION);
    post_form(&url, &[("grant_type", grant), ("assertion", "not.a.jwt")])
        .await
        .assert_oauth_error(err::INVALID_ASSERTION);
    // A user without the pre-authorized permission set.
    let admin = assertion("admin@eca-wizard.demo", "https://login.salesforce.com", 180);
    post_form(&url, &[("grant_type", grant), ("assertion", &admin)])
        .await
        .assert_oauth_error(err::NOT_ADMIN_APPROVED);
}

#[tokio::test]
async fn approving_in_the_browser_lets_jwt_bearer_through_a_self_authorized_app() {
    let emulator = start();
    let _ = code_flow(&emulator, None).await; // auto-approve records the approval
    let ok = assertion(DEMO_BROWSER_USER, "https://login.salesforce.com", 180);
    let answer = post_form(
        &token_url(emulator.login_url()),
        &[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", &ok),
        ],
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[tokio::test]
async fn malformed_token_requests_get_salesforce_errors() {
    let emulator = start();
    let url = token_url(emulator.my_domain_url());
    let json_body = send(client().post(&url).json(&serde_json::json!({"grant_type": "client_credentials", "client_id": KEY, "client_secret": SECRET}))).await;
    json_body.assert_oauth_error(err::UNSUPPORTED_GRANT_TYPE);
    assert_eq!(
        json_body.header("cache-control").as_deref(),
        Some("no-store")
    );
    post_form(
        &url,
        &[
            ("grant_type", "password"),
            ("username", "x"),
            ("password", "y"),
        ],
    )
    .await
    .assert_oauth_error(err::UNSUPPORTED_GRANT_TYPE);
    post_form(&url, &[])
        .await
        .assert_oauth_error(err::UNSUPPORTED_GRANT_TYPE);
    post_form(&url, &[("grant_type", "refresh_token"), ("client_id", KEY)])
        .await
        .assert_oauth_error(err::MISSING_PARAMETER);
    post_form(
        &url,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "3MVGunknown"),
            ("client_secret", SECRET),
        ],
    )
    .await
    .assert_oauth_error(err::INVALID_CLIENT_ID);
    get(&url)
        .await
        .assert_oauth_error(err::UNSUPPORTED_GRANT_TYPE);
    let garbage = send(
        client()
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(vec![0xff, 0xfe, b'%', b'%', b'&', b'=']),
    )
    .await;
    garbage.assert_oauth_error(err::UNSUPPORTED_GRANT_TYPE);
}

#[tokio::test]
async fn the_login_rate_limit_applies_per_user() {
    let emulator = start();
    emulator.set_logins_per_hour(3);
    for _ in 0..3 {
        cc_token(&emulator).await;
    }
    let cc = CC;
    post_form(&token_url(emulator.my_domain_url()), &cc)
        .await
        .assert_oauth_error(err::LOGIN_RATE_EXCEEDED);
    emulator.advance_clock(Duration::from_secs(3600));
    assert_eq!(
        post_form(&token_url(emulator.my_domain_url()), &cc)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn inactive_users_cannot_redeem_codes() {
    let emulator = start();
    let (code, verifier) = crate::common::code(&emulator, None).await;
    emulator
        .edit_user(DEMO_BROWSER_USER, |u| u.active = false)
        .unwrap();
    redeem(
        &token_url(emulator.login_url()),
        &code,
        Some(&verifier),
        Some(SECRET),
        CALLBACK,
    )
    .await
    .assert_oauth_error(err::INACTIVE_USER);
}

#[tokio::test]
async fn chunked_bodies_are_read() {
    // jsforce (undici) sends its form body chunked.
    let emulator = start();
    let body = format!("grant_type=client_credentials&client_id={KEY}&client_secret={SECRET}");
    let mut chunked = String::new();
    for piece in body.as_bytes().chunks(16) {
        chunked.push_str(&format!(
            "{:x}\r\n{}\r\n",
            piece.len(),
            String::from_utf8_lossy(piece)
        ));
    }
    chunked.push_str("0\r\n\r\n");
    let host = emulator.my_domain_url().trim_start_matches("http://");
    let request = format!(
        "POST /services/oauth2/token HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{chunked}"
    );
    let response = raw_http(emulator.my_domain_url(), request.as_bytes()).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("access_token"), "{response}");
}
