//! userinfo, the identity URL, introspection, revocation, discovery and the id_token.

use crate::common::*;
use eca_wizard::emulator::App;
use eca_wizard::emulator::org::DEMO_BROWSER_USER;

#[tokio::test]
async fn userinfo_and_identity_describe_the_user() {
    let emulator = start();
    let token = code_flow(&emulator, None).await;
    let access = token["access_token"].as_str().unwrap();
    for base in [emulator.login_url(), emulator.my_domain_url()] {
        let info = get_bearer(&format!("{base}/services/oauth2/userinfo"), access).await;
        assert_eq!(info.status, 200, "{}", info.body);
        let info = info.json();
        assert_eq!(info["preferred_username"], DEMO_BROWSER_USER);
        assert_eq!(
            info["is_salesforce_integration_user"], false,
            "a full license"
        );
        assert_eq!(info["sub"], token["id"]);
    }
    let id_url = token["id"].as_str().unwrap();
    let identity = get_bearer(id_url, access).await;
    assert_eq!(identity.status, 200, "{}", identity.body);
    let identity = identity.json();
    assert_eq!(identity["username"], DEMO_BROWSER_USER);
    assert!(
        identity["urls"]["rest"]
            .as_str()
            .unwrap()
            .contains("v{version}")
    );
    // jsforce passes the token as a query parameter as well.
    let by_query = get(&format!("{id_url}?format=json&oauth_token={access}")).await;
    assert_eq!(by_query.status, 200, "{}", by_query.body);
}

#[tokio::test]
async fn bad_tokens_get_bad_oauth_token_in_plain_text() {
    let emulator = start();
    let answer = get_bearer(
        &format!("{}/services/oauth2/userinfo", emulator.login_url()),
        "00Dnope!nope",
    )
    .await;
    assert_eq!(answer.status, 403);
    assert_eq!(answer.body, "Bad_OAuth_Token");
    let answer = get(&format!(
        "{}/services/oauth2/userinfo",
        emulator.login_url()
    ))
    .await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (403, "Bad_OAuth_Token")
    );
}

#[tokio::test]
async fn revoking_a_refresh_token_kills_its_access_tokens() {
    let emulator = start();
    let token = code_flow(&emulator, None).await;
    let access = token["access_token"].as_str().unwrap();
    let refresh = token["refresh_token"].as_str().unwrap();
    let revoke = format!("{}/services/oauth2/revoke", emulator.login_url());
    let answer = post_form(&revoke, &[("token", refresh)]).await;
    assert_eq!((answer.status, answer.body.as_str()), (200, ""));

    let info = get_bearer(
        &format!("{}/services/oauth2/userinfo", emulator.my_domain_url()),
        access,
    )
    .await;
    assert_eq!((info.status, info.body.as_str()), (403, "Bad_OAuth_Token"));
    let rest = get_bearer(
        &format!("{}/services/data/v66.0/limits", emulator.my_domain_url()),
        access,
    )
    .await;
    assert_eq!(rest.status, 401);
    assert_eq!(rest.json()[0]["errorCode"], "INVALID_SESSION_ID");
    let again = refresh_grant(&token_url(emulator.my_domain_url()), refresh, Some(SECRET)).await;
    again.assert_oauth_error(eca_wizard::salesforce::oauth_errors::EXPIRED_TOKEN);

    // Revoking again fails with a form-encoded body, as Salesforce's does.
    let twice = post_form(&revoke, &[("token", refresh)]).await;
    assert_eq!(twice.status, 400);
    assert_eq!(
        twice.body,
        "error=invalid_token&error_description=invalid%20token"
    );
}

#[tokio::test]
async fn revoke_by_get_and_access_token_only() {
    let emulator = start();
    let token = code_flow(&emulator, None).await;
    let access = token["access_token"].as_str().unwrap();
    let answer = get(&format!(
        "{}/services/oauth2/revoke?token={access}",
        emulator.login_url()
    ))
    .await;
    assert_eq!(answer.status, 200);
    // The refresh token lives on.
    let refreshed = post_form(
        &token_url(emulator.my_domain_url()),
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", token["refresh_token"].as_str().unwrap()),
            ("client_id", KEY),
            ("client_secret", SECRET),
        ],
    )
    .await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.body);
}

#[tokio::test]
async fn introspection_sees_own_tokens_unless_introspect_all() {
    let emulator = start();
    let token = code_flow(&emulator, None).await;
    let access = token["access_token"].as_str().unwrap();
    let url = format!("{}/services/oauth2/introspect", emulator.login_url());
    let answer = post_form(
        &url,
        &[
            ("token", access),
            ("token_type_hint", "access_token"),
            ("client_id", KEY),
            ("client_secret", SECRET),
        ],
    )
    .await;
    let body = answer.json();
    assert_eq!(body["active"], true, "{body}");
    assert_eq!(body["username"], DEMO_BROWSER_USER);
    assert_eq!(body["client_id"], KEY);
    assert_eq!(body["token_type"], "access_token");
    assert!(body["exp"].as_u64().unwrap() > body["iat"].as_u64().unwrap());
    let refresh = post_form(
        &url,
        &[
            ("token", token["refresh_token"].as_str().unwrap()),
            ("client_id", KEY),
            ("client_secret", SECRET),
        ],
    )
    .await
    .json();
    assert_eq!(
        (refresh["active"].clone(), refresh["token_type"].clone()),
        (true.into(), "refresh_token".into())
    );

    let unknown = post_form(
        &url,
        &[
            ("token", "00Dnope!x"),
            ("client_id", KEY),
            ("client_secret", SECRET),
        ],
    )
    .await;
    assert_eq!(unknown.json(), serde_json::json!({"active": false}));

    // A second app may not see the first app's tokens, unless it introspects all tokens.
    let mut other = App::demo();
    other.api_name = "Other".into();
    other.consumer_key = "3MVG9OtherAppKey00000000000000".into();
    other.consumer_secret = "OTHERSECRET0000000000".into();
    emulator.put_app(other.clone());
    let pairs = [
        ("token", access),
        ("client_id", other.consumer_key.as_str()),
        ("client_secret", other.consumer_secret.as_str()),
    ];
    assert_eq!(post_form(&url, &pairs).await.json()["active"], false);
    other.introspect_all_tokens = true;
    emulator.put_app(other.clone());
    assert_eq!(post_form(&url, &pairs).await.json()["active"], true);

    let bad = post_form(
        &url,
        &[
            ("token", access),
            ("client_id", KEY),
            ("client_secret", "wrong"),
        ],
    )
    .await;
    bad.assert_oauth_error(eca_wizard::salesforce::oauth_errors::INVALID_CLIENT);
}

#[tokio::test]
async fn discovery_and_jwks_verify_the_id_token() {
    let emulator = start();
    for base in [emulator.login_url(), emulator.my_domain_url()] {
        let discovery = get(&format!("{base}/.well-known/openid-configuration"))
            .await
            .json();
        assert_eq!(discovery["issuer"], base);
        assert_eq!(
            discovery["token_endpoint"],
            format!("{base}/services/oauth2/token")
        );
    }
    let jwks = get(&format!("{}/id/keys", emulator.login_url()))
        .await
        .json();
    let jwk = &jwks["keys"][0];
    assert_eq!(jwk["kty"], "RSA");

    let token = code_flow(&emulator, None).await;
    let id_token = token["id_token"].as_str().unwrap();
    use base64::Engine;
    let decode = |s: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s)
            .unwrap()
    };
    let (n, e) = (
        decode(jwk["n"].as_str().unwrap()),
        decode(jwk["e"].as_str().unwrap()),
    );
    let (message, signature) = id_token.rsplit_once('.').unwrap();
    ring::signature::RsaPublicKeyComponents { n: &n, e: &e }
        .verify(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            message.as_bytes(),
            &decode(signature),
        )
        .expect("id_token verifies with the published key");
    let claims: serde_json::Value =
        serde_json::from_slice(&decode(message.split('.').nth(1).unwrap())).unwrap();
    assert_eq!(claims["aud"], KEY);
    assert_eq!(claims["sub"], token["id"]);
}
