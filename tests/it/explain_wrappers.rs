//! `explain` finds the error whatever wraps it: one test per wrapper form admins paste.

use eca_wizard::commands::explain::explain;
use eca_wizard::salesforce::diagnosis::{Diagnosis, Kind, Target};
use eca_wizard::salesforce::settings::SettingKey;

fn found(text: &str, error: &str) -> Diagnosis {
    let d = explain(text);
    assert_eq!(d.error, error, "{text}: {d:?}");
    assert_ne!(d.kind, Kind::Unknown, "{text}: {d:?}");
    d
}

#[test]
fn json_after_a_log_prefix_or_status_line() {
    let d = found(
        r#"2026-03-02T10:11:12Z sync failed: 400 Bad Request {"error":"invalid_grant","error_description":"request not supported on this domain"}"#,
        "invalid_grant",
    );
    assert_eq!(d.target, Some(Target::LoginUrl));
}

#[test]
fn json_escaped_inside_a_string() {
    let d = found(
        r#"{"level":"error","msg":"{\"error\":\"invalid_grant\",\"error_description\":\"no client credentials user enabled\"}"}"#,
        "invalid_grant",
    );
    assert_eq!(d.target, Some(Target::Setting(SettingKey::RunAsUser)));
    found(
        r#"body: "{\\\"error\\\":\\\"invalid_client_id\\\",\\\"error_description\\\":\\\"client identifier invalid\\\"}""#,
        "invalid_client_id",
    );
}

#[test]
fn python_ruby_and_node_renderings() {
    found(
        "requests.exceptions.HTTPError: {'error': 'invalid_grant', 'error_description': 'expired access/refresh token'}",
        "invalid_grant",
    );
    found(
        r#"Restforce::AuthenticationError: {"error"=>"invalid_grant", "error_description"=>"inactive user"}"#,
        "invalid_grant",
    );
    let d = found(
        "Error: { error: 'invalid_grant', error_description: 'user hasn\\'t approved this consumer' }",
        "invalid_grant",
    );
    assert!(!d.others.is_empty(), "ranked causes: {d:?}");
}

#[test]
fn form_encoded_bodies_and_redirects_inside_a_line() {
    found(
        "error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration",
        "redirect_uri_mismatch",
    );
    let d = found(
        "the browser ended on http://localhost:7717/callback?error=access_denied&error_description=end-user+denied+authorization&state=abc and stopped",
        "access_denied",
    );
    assert_eq!(d.kind, Kind::UserAction);
    found(
        "GET /oauth2/callback?error=invalid_request&error_description=missing+required+code+challenge 404 5.954 ms",
        "invalid_request",
    );
}

#[test]
fn error_pages_and_login_banners() {
    found(
        "<html><body><h1>OAuth Error</h1><p>We can't authorize you because of an OAuth error. For more information, contact your Salesforce administrator.</p><p>OAUTH_EC_APP_NOT_FOUND: External client app is not installed in this org</p></body></html>",
        "OAUTH_EC_APP_NOT_FOUND",
    );
    found(
        "Access Restricted for API Only Users You successfully updated your settings",
        "api_only_user",
    );
    found(
        "Remote Access 2.0  Failed: Restricted IP  Chrome",
        "invalid_grant",
    );
}

#[test]
fn login_history_status_texts() {
    let d = found(
        "Login History status: Failed: Missing Consumer Key Parameter",
        "invalid_client",
    );
    assert_eq!(
        d.target,
        Some(Target::Setting(SettingKey::RequireSecretWebServer))
    );
    // The status is LOGIN_ERROR_MUST_USE_API_TOKEN's in Salesforce's LOGIN_STATUS table.
    let d = found(
        "Status: Failed: API security token required",
        "LOGIN_ERROR_MUST_USE_API_TOKEN",
    );
    assert!(d.message.contains("security token"), "{d:?}");
}

#[test]
fn rest_error_arrays() {
    let d = found(
        r#"[{"message":"The REST API is not enabled for this Organization.","errorCode":"API_DISABLED_FOR_ORG"}]"#,
        "API_DISABLED_FOR_ORG",
    );
    assert_eq!(d.target, Some(Target::Setting(SettingKey::ApiEnabled)));
    found(
        r#"{ statusCode: 401, body: "[{\"message\":\"This session is not valid for use with the REST API\",\"errorCode\":\"INVALID_SESSION_ID\"}]" }"#,
        "INVALID_SESSION_ID",
    );
}

#[test]
fn salesforce_cli_jsforce_and_simple_salesforce_messages() {
    let d = found(
        "Error (1): Error authenticating with JWT. Errors encountered: audience is invalid [audience=https://login.salesforce.com login=https://test.salesforce.com/]",
        "invalid_grant",
    );
    assert!(d.message.contains("--instance-url"), "{d:?}");
    found(
        "INVALID_SESSION_ID: Session expired or invalid\n    at HttpApi.getError (jsforce/lib/http-api.js:250:13)",
        "INVALID_SESSION_ID",
    );
    found(
        "simple_salesforce.exceptions.SalesforceAuthenticationFailed: invalid_grant: authentication failure",
        "invalid_grant",
    );
}

#[test]
fn mcp_and_integration_platform_wrappers() {
    found(
        "https://claude.ai/settings/connectors?step=end_error&oauth_error=invalid_client&oauth_error_description=invalid+client+credentials",
        "invalid_client",
    );
    found("MCP error -32001: Invalid token", "mcp_invalid_token");
    found(
        r#"NodeApiError: Bad request - please check your parameters { "error": "app_not_found", "error_description": "External client app is not installed in this org" }"#,
        "app_not_found",
    );
}

#[test]
fn several_signals_in_one_paste_are_all_used() {
    let d = explain(
        "first: {\"error\":\"invalid_grant\",\"error_description\":\"no client credentials user enabled\"}\nthen: [{\"message\":\"The REST API is not enabled for this Organization.\",\"errorCode\":\"API_DISABLED_FOR_ORG\"}]",
    );
    assert_eq!(d.target, Some(Target::Setting(SettingKey::RunAsUser)));
    assert!(
        d.others
            .iter()
            .any(|c| c.target == Some(Target::Setting(SettingKey::ApiEnabled))),
        "{d:?}"
    );
}

#[test]
fn nothing_found_says_what_to_paste() {
    let d = explain("it just doesn't work");
    assert_eq!(d.kind, Kind::Unknown);
    assert!(
        d.message.contains("Paste the error as it was shown"),
        "{}",
        d.message
    );
}

#[test]
fn a_megabyte_of_noise_neither_panics_nor_hangs() {
    let mut text = "{\"error\":".repeat(40_000);
    text.push_str(&"error=&".repeat(40_000));
    text.push_str(&"\\\"".repeat(100_000));
    text.push_str("{\"error\":\"invalid_client_id\"}");
    assert!(text.len() <= 1 << 20);
    found(&text, "invalid_client_id");
    let noise: String = (0..(1 << 20))
        .map(|i| char::from(b' ' + (i * 7 % 90) as u8))
        .collect();
    let _ = explain(&noise);
}

/// A paste explained alone names no recipe's step or value (it used to borrow the custom
/// recipe's); with `--recipe` the fix points at that recipe's step.
#[test]
fn without_a_recipe_no_step_is_named() {
    let home = crate::common::temp::folder("explain-alone");
    let paste =
        r#"{"error":"invalid_grant","error_description":"no client credentials user enabled"}"#;
    let run = |extra: &[&str]| -> serde_json::Value {
        let output = crate::common::launch::wizard(&home)
            .args(["explain", paste, "--json"])
            .args(extra)
            .output()
            .unwrap();
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let alone = run(&[]);
    assert!(alone["result"]["step"].is_null(), "{alone}");
    assert!(alone["result"]["setting"].is_string(), "{alone}");
    let with = run(&["--recipe", "service-board-sync"]);
    assert!(with["result"]["step"].is_string(), "{with}");
}
