//! The authorize endpoint: error pages versus error redirects, the login and consent pages a
//! person uses in a demo, and the app's permitted-users policy.

use crate::common::*;
use eca_wizard::emulator::Org;
use eca_wizard::emulator::org::{
    DEMO_BROWSER_USER, DEMO_INTEGRATION_USER, DEMO_PASSWORD, PermittedUsers,
};
use eca_wizard::salesforce::oauth_errors as err;

fn base_params(challenge: &str) -> Vec<(&'static str, String)> {
    vec![
        ("response_type", "code".into()),
        ("client_id", KEY.into()),
        ("redirect_uri", CALLBACK.into()),
        ("state", "s1".into()),
        ("code_challenge", challenge.into()),
    ]
}

fn url_of(emulator: &eca_wizard::emulator::Emulator, params: &[(&'static str, String)]) -> String {
    let pairs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    authorize_url(emulator.login_url(), &pairs)
}

/// Salesforce shows a page (no redirect) when it can't trust the client or redirect URI.
fn assert_error_page(answer: &Answer, error: err::OAuthError) {
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert!(
        answer.header("location").is_none(),
        "an error page must not redirect"
    );
    let expected = format!(
        "error={}&error_description={}",
        error.error,
        error.description.replace(' ', "%20")
    );
    assert_eq!(answer.body, expected);
}

fn assert_redirected_error(answer: &Answer, error: err::OAuthError, state: Option<&str>) {
    assert_eq!(answer.status, 302, "{}", answer.body);
    assert!(answer.header("location").unwrap().starts_with(CALLBACK));
    assert_eq!(answer.location_param("error").as_deref(), Some(error.error));
    assert_eq!(
        answer.location_param("error_description").as_deref(),
        Some(error.description)
    );
    assert_eq!(answer.location_param("state").as_deref(), state);
}

#[tokio::test]
async fn bad_client_or_redirect_uri_gets_an_error_page() {
    let emulator = start();
    let (_, challenge) = pkce();
    let mut params = base_params(&challenge);
    params[1].1 = "3MVGunknownKey".into();
    assert_error_page(
        &get(&url_of(&emulator, &params)).await,
        err::INVALID_CLIENT_ID,
    );

    let mut params = base_params(&challenge);
    params[2].1 = "http://127.0.0.1:7717/callback".into(); // localhost vs 127.0.0.1 differs
    assert_error_page(
        &get(&url_of(&emulator, &params)).await,
        err::REDIRECT_URI_MISMATCH,
    );

    let mut params = base_params(&challenge);
    params.remove(2);
    assert_error_page(
        &get(&url_of(&emulator, &params)).await,
        err::REDIRECT_URI_MISSING,
    );
}

#[tokio::test]
async fn later_errors_are_redirected_with_the_state() {
    let emulator = start();
    let (_, challenge) = pkce();
    let mut params = base_params(&challenge);
    params[0].1 = "token".into();
    assert_redirected_error(
        &get(&url_of(&emulator, &params)).await,
        err::UNSUPPORTED_RESPONSE_TYPE,
        Some("s1"),
    );

    let mut params = base_params(&challenge);
    params.remove(4);
    assert_redirected_error(
        &get(&url_of(&emulator, &params)).await,
        err::MISSING_CODE_CHALLENGE,
        Some("s1"),
    );

    let mut params = base_params(&challenge);
    params.push(("code_challenge_method", "plain".into()));
    assert_redirected_error(
        &get(&url_of(&emulator, &params)).await,
        err::BAD_CHALLENGE_METHOD,
        Some("s1"),
    );

    let mut params = base_params(&challenge);
    params.push(("scope", "api chatter_api".into()));
    params.remove(3); // no state: none comes back
    assert_redirected_error(
        &get(&url_of(&emulator, &params)).await,
        err::INVALID_SCOPE,
        None,
    );
}

#[tokio::test]
async fn pkce_can_be_optional() {
    let emulator = start();
    emulator
        .edit_app("ECA_Wizard_Demo", |app| app.require_pkce = false)
        .unwrap();
    let (_, challenge) = pkce();
    let mut params = base_params(&challenge);
    params.remove(4);
    let answer = get(&url_of(&emulator, &params)).await;
    assert!(
        answer.location_param("code").is_some(),
        "{:?}",
        answer.location_query()
    );
}

#[tokio::test]
async fn admin_approved_apps_refuse_users_without_the_permission_set() {
    let mut org = Org::demo();
    org.auto_approve_user = Some("admin@eca-wizard.demo".into());
    org.apps[0].policies.permitted_users = PermittedUsers::AdminApprovedPreAuthorized;
    let emulator = start_with(org, true);
    let (_, challenge) = pkce();
    assert_redirected_error(
        &get(&url_of(&emulator, &base_params(&challenge))).await,
        err::APP_ACCESS_DENIED,
        Some("s1"),
    );
}

#[tokio::test]
async fn inactive_users_are_refused_at_authorize() {
    let emulator = start();
    emulator
        .edit_user(DEMO_BROWSER_USER, |u| u.active = false)
        .unwrap();
    let (_, challenge) = pkce();
    assert_redirected_error(
        &get(&url_of(&emulator, &base_params(&challenge))).await,
        err::INACTIVE_USER_AUTHORIZE,
        Some("s1"),
    );
}

/// Posts one of the emulator's own forms, carrying the session cookie.
async fn post_page(
    emulator: &eca_wizard::emulator::Emulator,
    cookie: Option<&str>,
    pairs: &[(&str, &str)],
) -> Answer {
    let mut request = client()
        .post(format!(
            "{}/services/oauth2/authorize",
            emulator.login_url()
        ))
        .form(pairs);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    send(request).await
}

fn hidden_q(html: &str) -> String {
    let start = html.find("name=\"q\" value=\"").unwrap() + "name=\"q\" value=\"".len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end]
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
}

#[tokio::test]
async fn a_person_can_log_in_and_consent_in_a_browser() {
    let emulator = start_with(Org::demo(), false);
    let (_, challenge) = pkce();
    let page = get(&url_of(&emulator, &base_params(&challenge))).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<form") && page.body.contains("password"),
        "{}",
        page.body
    );
    let q = hidden_q(&page.body);

    let wrong = post_page(
        &emulator,
        None,
        &[
            ("action", "login"),
            ("q", &q),
            ("username", DEMO_INTEGRATION_USER),
            ("password", "nope"),
        ],
    )
    .await;
    assert_eq!(wrong.status, 200);
    assert!(wrong.body.contains("check your username and password"));

    // An API-only (Salesforce Integration license) user can't sign in here (KB 000003819).
    let api_only = post_page(
        &emulator,
        None,
        &[
            ("action", "login"),
            ("q", &q),
            ("username", DEMO_INTEGRATION_USER),
            ("password", DEMO_PASSWORD),
        ],
    )
    .await;
    assert_eq!(api_only.status, 200);
    assert!(
        api_only
            .body
            .contains("Access Restricted for API Only Users"),
        "{}",
        api_only.body
    );
    assert!(api_only.header("location").is_none(), "no redirect");

    let consent = post_page(
        &emulator,
        None,
        &[
            ("action", "login"),
            ("q", &q),
            ("username", DEMO_BROWSER_USER),
            ("password", DEMO_PASSWORD),
        ],
    )
    .await;
    assert_eq!(consent.status, 200);
    assert!(consent.body.contains("Allow access?"), "{}", consent.body);
    assert!(consent.body.contains("Manage user data via APIs (api)"));
    let cookie = consent.header("set-cookie").unwrap();
    let cookie = cookie.split(';').next().unwrap().to_string();

    let denied = post_page(&emulator, Some(&cookie), &[("action", "deny"), ("q", &q)]).await;
    assert_redirected_error(&denied, err::ACCESS_DENIED, Some("s1"));

    let allowed = post_page(&emulator, Some(&cookie), &[("action", "allow"), ("q", &q)]).await;
    assert_eq!(allowed.status, 302);
    assert!(allowed.location_param("code").is_some());
    assert_eq!(allowed.location_param("state").as_deref(), Some("s1"));

    // Signed in and approved: the next authorize skips both pages.
    let again = send(
        client()
            .get(url_of(&emulator, &base_params(&challenge)))
            .header("cookie", &cookie),
    )
    .await;
    assert_eq!(again.status, 302, "{}", again.body);
    assert!(again.location_param("code").is_some());
    // prompt=login always shows the login page.
    let mut params = base_params(&challenge);
    params.push(("prompt", "login".into()));
    let forced = send(
        client()
            .get(url_of(&emulator, &params))
            .header("cookie", &cookie),
    )
    .await;
    assert_eq!(forced.status, 200);
    assert!(forced.body.contains("password"));
}

#[tokio::test]
async fn tampered_page_posts_are_validated_again() {
    let emulator = start_with(Org::demo(), false);
    let q = "response_type=code&client_id=3MVGnope&redirect_uri=http%3A%2F%2Fevil.example%2Fcb";
    let answer = post_page(&emulator, None, &[("action", "allow"), ("q", q)]).await;
    assert_error_page(&answer, err::INVALID_CLIENT_ID);
}

#[tokio::test]
async fn pages_escape_what_the_user_sent() {
    let emulator = start_with(Org::demo(), false);
    let (_, challenge) = pkce();
    let mut params = base_params(&challenge);
    params.push(("login_hint", "\"><script>alert(1)</script>".into()));
    let page = get(&url_of(&emulator, &params)).await;
    assert!(
        !page.body.contains("<script>alert(1)"),
        "login_hint must be escaped"
    );
    assert!(page.body.contains("&lt;script&gt;"));
}
