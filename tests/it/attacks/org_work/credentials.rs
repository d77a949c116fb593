//! The credentials org work obtains: a staged pair answered without its secret, the proof of a
//! rotated pair bounded by `--wait`, and the JWT bearer audience fallback.

use super::*;

/// Staged answers that lack fields: without the secret (or the id) nothing is promoted, the
/// pair staged without its secret is deleted, and no message carries a secret.
#[tokio::test]
async fn a_staged_answer_without_its_secret_promotes_nothing() {
    let base_routes = |staged: &str| {
        vec![
            (
                "GET /services/data/v66.0/apps/oauth/usage",
                200,
                br#"{"apps":[{"developerName":"App","identifier":"0H4x"}]}"#.to_vec(),
            ),
            (
                "GET /services/data/v66.0/apps/oauth/credentials/0H4x/0Cx1/staged",
                200,
                br#"{"stagedCredentials":[]}"#.to_vec(),
            ),
            (
                "GET /services/data/v66.0/apps/oauth/credentials/0H4x",
                200,
                br#"{"consumers":[{"id":"0Cx1"}]}"#.to_vec(),
            ),
            (
                "POST /services/data/v66.0/apps/oauth/credentials/0H4x/0Cx1/staged",
                201,
                staged.as_bytes().to_vec(),
            ),
            ("DELETE ", 204, Vec::new()),
        ]
    };
    let secret = "NEWSECRET0000000000000000000000000000000000000000000000000000001";
    for (staged, deleted) in [
        (
            r#"{"stagedCredentials":[{"id":"0Sx9","key":"3MVGnew"}]}"#.to_string(),
            true,
        ),
        (
            format!(r#"{{"stagedCredentials":[{{"key":"3MVGnew","secret":"{secret}"}}]}}"#),
            false,
        ),
        (r#"{"stagedCredentials":{"id":"0Sx9"}}"#.to_string(), false),
        ("{}".to_string(), false),
    ] {
        let (recorder, base) = Recorder::start(base_routes(&staged)).await;
        let stopped = eca_wizard::apply::rotate::rotate(
            client(),
            &session(&base, "00D5g0000000001!AQ0x", Some(ORG_1)),
            "66.0",
            "App",
            KEY,
            false,
        )
        .await
        .err()
        .unwrap_or_else(|| panic!("{staged}: promoted"));
        assert_eq!(stopped.step, "stage a new pair", "{staged}");
        assert!(!stopped.to_string().contains(secret), "{stopped}");
        let lines = recorder.lines();
        assert!(lines.iter().all(|l| !l.starts_with("PATCH")), "{lines:?}");
        assert_eq!(
            lines
                .iter()
                .any(|l| l.ends_with("/staged/0Sx9") && l.starts_with("DELETE")),
            deleted,
            "{staged}: {lines:?}"
        );
    }
}

/// JWT bearer's audience fallback: every assertion goes to the one login host it was built
/// for, each audience once, only the documented ones and that host, and any refusal but a bad
/// audience ends it.
#[tokio::test]
async fn the_jwt_audience_fallback_is_bounded_and_stays_on_its_host() {
    use eca_wizard::salesforce::hosts::normalize_login_url;
    let audiences = |url: &str| normalize_login_url(url).unwrap().host.jwt_audiences();
    for (url, first) in [
        (
            "https://login.salesforce.com",
            "https://login.salesforce.com",
        ),
        ("https://test.salesforce.com", "https://test.salesforce.com"),
        (
            "https://acme.my.salesforce.com",
            "https://login.salesforce.com",
        ),
        (
            "https://acme--dev.sandbox.my.salesforce.com",
            "https://test.salesforce.com",
        ),
    ] {
        let list = audiences(url);
        assert!(list.len() <= 3 && list[0] == first, "{url}: {list:?}");
        let host = normalize_login_url(url).unwrap().host.url().to_string();
        for audience in &list {
            assert!(
                [
                    "https://login.salesforce.com",
                    "https://test.salesforce.com",
                    host.as_str()
                ]
                .contains(&audience.as_str()),
                "{url}: {audience}"
            );
        }
    }
    let signer =
        eca_wizard::jwt::Signer::from_pem(eca_wizard::emulator::org::DEMO_JWT_KEY).unwrap();
    let bad_audience = br#"{"error":"invalid_grant","error_description":"audience is invalid"}"#;
    let other = br#"{"error":"invalid_client_id","error_description":"client identifier invalid"}"#;
    for (answer, expected) in [(bad_audience.to_vec(), 3), (other.to_vec(), 1)] {
        let (recorder, base) =
            Recorder::start(vec![("POST /services/oauth2/token", 400, answer)]).await;
        let oauth = OAuthClient::new(&base, KEY, None).unwrap();
        let list = audiences("https://acme.my.salesforce.com");
        let result = oauth
            .jwt_bearer_any(&signer, "u@example.com", &list, 1_700_000_000)
            .await;
        assert!(result.is_err());
        let lines = recorder.lines();
        assert_eq!(lines.len(), expected, "{lines:?}");
        assert!(
            lines.iter().all(|l| l == "POST /services/oauth2/token"),
            "{lines:?}"
        );
        let sent: Vec<String> = recorder
            .bodies()
            .iter()
            .map(|body| {
                let assertion = url::form_urlencoded::parse(body.as_bytes())
                    .find(|(k, _)| k == "assertion")
                    .unwrap()
                    .1
                    .into_owned();
                let payload = assertion.split('.').nth(1).unwrap().to_string();
                let claims: serde_json::Value = serde_json::from_slice(
                    &base64::Engine::decode(
                        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                        payload,
                    )
                    .unwrap(),
                )
                .unwrap();
                claims["aud"].as_str().unwrap().to_string()
            })
            .collect();
        assert_eq!(
            sent,
            list[..expected].to_vec(),
            "each audience once, in order"
        );
    }
}

/// UNFIXED (reported): `rotate --wait` bounds the proof only for propagation refusals: 5xx
/// answers at the token endpoint are retried with backoff up to 60 times (up to 30 s apart),
/// and "login rate exceeded" pauses 5 minutes per attempt, whatever `--wait` says.
#[cfg(unix)]
#[tokio::test]
async fn the_proof_of_a_rotated_pair_stops_within_its_wait() {
    let a = org_with_profile("prove-bound").await;
    a.emulator.set_client_secret_in_rest_api(true);
    for _ in 0..6 {
        a.emulator.fail_next("POST /services/oauth2/token");
    }
    let started = Instant::now();
    let output = run_with_sf(
        &a.sf,
        &a.emulator,
        &a.admin_token,
        "current",
        Some(&a.home),
        &["rotate", "sbs", "--target-org", "acme", "--wait", "2"],
    );
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(15),
        "--wait 2 took {took:?}: {}",
        said(&output)
    );
}
