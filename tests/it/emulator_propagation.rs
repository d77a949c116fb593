//! A new or edited app answers as Salesforce does while it propagates: unknown when new, its
//! previous settings when edited, until the delay has passed.

use std::time::Duration;

use crate::common::*;
use eca_wizard::emulator::{App, Org};
use eca_wizard::salesforce::oauth_errors as err;

const DELAY: Duration = Duration::from_secs(120);

fn delayed() -> eca_wizard::emulator::Emulator {
    let mut org = Org::demo();
    org.propagation_delay_secs = DELAY.as_secs();
    start_with(org, true)
}

#[tokio::test]
async fn the_built_in_app_propagates_from_start() {
    let emulator = delayed();
    let (_, challenge) = pkce();
    let url = authorize_url(
        emulator.login_url(),
        &[
            ("response_type", "code"),
            ("client_id", KEY),
            ("redirect_uri", CALLBACK),
            ("code_challenge", &challenge),
        ],
    );
    let page = get(&url).await;
    assert_eq!(page.status, 400);
    assert!(
        page.body.starts_with("error=invalid_client_id"),
        "{}",
        page.body
    );
    let cc = CC;
    post_form(&token_url(emulator.my_domain_url()), &cc)
        .await
        .assert_oauth_error(err::INVALID_CLIENT_ID);

    emulator.advance_clock(DELAY - Duration::from_secs(1));
    post_form(&token_url(emulator.my_domain_url()), &cc)
        .await
        .assert_oauth_error(err::INVALID_CLIENT_ID);
    emulator.advance_clock(Duration::from_secs(1));
    assert_eq!(get(&url).await.status, 302);
    assert_eq!(
        post_form(&token_url(emulator.my_domain_url()), &cc)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn an_edit_keeps_the_old_settings_until_it_propagates() {
    let emulator = delayed();
    emulator.advance_clock(DELAY);
    let new_callback = "http://localhost:9999/callback";
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.callback_urls.push(new_callback.into());
            app.consumer_secret = "ROTATED-SECRET-0000000000".into();
        })
        .unwrap();
    let (_, challenge) = pkce();
    let url = authorize_url(
        emulator.login_url(),
        &[
            ("response_type", "code"),
            ("client_id", KEY),
            ("redirect_uri", new_callback),
            ("code_challenge", &challenge),
        ],
    );
    let page = get(&url).await;
    assert!(
        page.body.starts_with("error=redirect_uri_mismatch"),
        "{}",
        page.body
    );
    let old = [
        ("grant_type", "client_credentials"),
        ("client_id", KEY),
        ("client_secret", SECRET),
    ];
    let new = [
        ("grant_type", "client_credentials"),
        ("client_id", KEY),
        ("client_secret", "ROTATED-SECRET-0000000000"),
    ];
    assert_eq!(
        post_form(&token_url(emulator.my_domain_url()), &old)
            .await
            .status,
        200
    );
    post_form(&token_url(emulator.my_domain_url()), &new)
        .await
        .assert_oauth_error(err::INVALID_CLIENT);

    emulator.advance_clock(DELAY);
    assert_eq!(get(&url).await.status, 302);
    post_form(&token_url(emulator.my_domain_url()), &old)
        .await
        .assert_oauth_error(err::INVALID_CLIENT);
    assert_eq!(
        post_form(&token_url(emulator.my_domain_url()), &new)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn an_app_created_at_runtime_counts_from_its_creation() {
    let emulator = delayed();
    emulator.advance_clock(DELAY * 10);
    let mut app = App::demo();
    app.api_name = "Created_Later".into();
    app.consumer_key = "3MVG9CreatedLaterKey000000000000".into();
    emulator.put_app(app.clone());
    let cc = [
        ("grant_type", "client_credentials"),
        ("client_id", app.consumer_key.as_str()),
        ("client_secret", SECRET),
    ];
    post_form(&token_url(emulator.my_domain_url()), &cc)
        .await
        .assert_oauth_error(err::INVALID_CLIENT_ID);
    emulator.set_propagation_delay(Duration::ZERO);
    assert_eq!(
        post_form(&token_url(emulator.my_domain_url()), &cc)
            .await
            .status,
        200
    );
    assert!(
        emulator
            .org()
            .apps
            .iter()
            .any(|a| a.api_name == "Created_Later")
    );
}

#[tokio::test]
async fn the_request_log_records_without_values() {
    let emulator = start();
    let _ = cc_token(&emulator).await;
    let _ = post_form(&token_url(emulator.login_url()), &CC).await;
    let log = emulator.request_log();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].grant_type.as_deref(), Some("client_credentials"));
    assert_eq!((log[0].status, log[1].status), (200, 400));
    assert_eq!(log[1].error.as_deref(), Some("invalid_grant"));
    let text = format!("{log:?}");
    assert!(!text.contains(SECRET), "the log must not hold the secret");
}

#[tokio::test]
async fn an_app_without_oauth_is_unknown_to_oauth() {
    let emulator = start();
    emulator
        .edit_app("ECA_Wizard_Demo", |app| app.oauth_enabled = false)
        .unwrap();
    let cc = CC;
    post_form(&token_url(emulator.my_domain_url()), &cc)
        .await
        .assert_oauth_error(err::INVALID_CLIENT_ID);
}
