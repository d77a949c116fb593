//! Issue 27: what a paste carries besides Salesforce's code decides the answer. A client's
//! lead-in yields to the reason it wraps, a code spelt in words to its described form; Streaming
//! API and Pub/Sub API errors, a permission a tool names, and the causes the field showed are
//! read. The texts are written for these tests.

use eca_wizard::commands::explain::{Given, explain, explain_with};
use eca_wizard::salesforce::Flow;
use eca_wizard::salesforce::diagnosis::{Diagnosis, Kind, Target};
use eca_wizard::salesforce::settings::SettingKey;

fn found(text: &str, error: &str) -> Diagnosis {
    let d = explain(text);
    assert_eq!(d.error, error, "{text}: {d:?}");
    d
}

/// Whether some cause of the kind speaks of every word.
fn lists(d: &Diagnosis, kind: Kind, words: &[&str]) -> bool {
    d.causes().iter().any(|c| {
        let m = c.message.to_lowercase();
        c.kind == kind && words.iter().all(|w| m.contains(&w.to_lowercase()))
    })
}

#[test]
fn a_code_spelt_in_words_yields_to_its_described_form() {
    for text in [
        "query failed -> INVALID SESSION ID - This session is not valid for use with the REST API",
        "Invalid Session Id: This session is not valid for use with the REST API.",
    ] {
        let d = found(text, "INVALID_SESSION_ID");
        assert_eq!(
            d.target,
            Some(Target::Setting(SettingKey::OauthScopes)),
            "{text}: {d:?}"
        );
    }
}

#[test]
fn the_cli_lead_in_yields_to_the_reason_it_wraps() {
    let lead = "Invalid client credentials. Verify the OAuth client secret and ID. Error authenticating with auth code due to:";
    found(&format!("{lead} ip restricted"), "invalid_grant");
    found(
        &format!("Error (1): {lead} grant type not supported"),
        "unsupported_grant_type",
    );
    found(
        &format!("{lead} client identifier invalid"),
        "invalid_client_id",
    );
    // A reason this tool can't read leaves the CLI's own words as the answer.
    found(
        &format!("{lead} a reason nobody wrote down"),
        "invalid_client",
    );
    // Without the CLI's wrapper the sentence is Salesforce's own answer.
    found(
        r#"{"error":"invalid_client","error_description":"invalid client credentials"}"#,
        "invalid_client",
    );
}

#[test]
fn an_authentication_failure_after_the_cli_web_login_is_the_user_s_access() {
    let d = found(
        "Error (AuthCodeExchangeError): Invalid client credentials. Verify the OAuth client secret and ID. Error authenticating with auth code due to: invalid_grant::authentication failure",
        "invalid_grant",
    );
    assert_eq!(d.kind, Kind::Misconfigured, "{d:?}");
    assert!(d.message.contains("API access"), "{d:?}");
}

#[test]
fn a_proxy_in_the_paste_puts_the_proxy_s_address_first() {
    let d = explain_with(
        "HTTPS_PROXY=http://egress.example.net:3128\nPOST /services/oauth2/token -> 400 {\"error\":\"invalid_grant\",\"error_description\":\"ip restricted\"}",
        Given {
            flow: Some(Flow::AuthCode),
            saved_minutes_ago: None,
        },
    );
    assert_eq!(d.kind, Kind::ClientBug, "{d:?}");
    assert!(d.message.contains("NO_PROXY"), "{d:?}");
    // Without a proxy the org's IP rules come first, the proxy still listed.
    let d = found(
        r#"{"error":"invalid_grant","error_description":"ip restricted"}"#,
        "invalid_grant",
    );
    assert_ne!(d.kind, Kind::ClientBug);
    assert!(lists(&d, Kind::ClientBug, &["NO_PROXY"]), "{d:?}");
}

#[test]
fn streaming_api_errors_are_read() {
    let d = found(
        r#"[cometd] /meta/connect failed {"id":"9","error":"401::Authentication invalid","advice":{"reconnect":"none"}}"#,
        "streaming_authentication_invalid",
    );
    assert_eq!(d.kind, Kind::ClientBug);
    assert!(lists(&d, Kind::ClientBug, &["reauthenticate", "reconnect"]));
    let d = found(
        "handshake refused: 403::Unknown client",
        "streaming_unknown_client",
    );
    assert_eq!(d.kind, Kind::Transient);
}

#[test]
fn pub_sub_api_grpc_statuses_are_read_and_yield_to_a_telling_error() {
    let d = found(
        "io.grpc.StatusRuntimeException: UNAVAILABLE: io exception\n\tat io.grpc.stub.ClientCalls.toStatusRuntimeException(ClientCalls.java:268)",
        "grpc_unavailable",
    );
    assert_eq!(d.kind, Kind::Transient);
    let d = found(
        "grpc._channel._MultiThreadedRendezvous: status = StatusCode.UNAUTHENTICATED",
        "grpc_unauthenticated",
    );
    assert_eq!(d.kind, Kind::UserAction);
    // The status only wraps: a certificate failure inside it is the answer.
    found(
        "Error: 14 UNAVAILABLE: No connection established. Last error: self signed certificate in certificate chain",
        "tls_untrusted",
    );
}

#[test]
fn a_permission_a_tool_names_is_the_fix() {
    let d = found(
        "Sync stopped: the integration user must have the \"Modify All Data\" permission to read this object.",
        "missing_permission",
    );
    assert_eq!(d.kind, Kind::Misconfigured);
    assert!(d.message.contains("Modify All Data"), "{d:?}");
    // A permission named without saying it is needed isn't a failure.
    assert_ne!(
        explain("Granted the 'Manage Users' permission to the admin.").error,
        "missing_permission"
    );
}

#[test]
fn documented_sentences_without_their_code() {
    let d = found(
        "SOAP login: TLS 1.0 has been disabled in this organization. Please use TLS 1.1 or higher.",
        "UNSUPPORTED_CLIENT",
    );
    assert!(lists(&d, Kind::Misconfigured, &["runtime", "TLS 1.2"]));
    let d = found(
        "Refresh failed: Query is either selecting too many fields or the filter conditions are too complicated",
        "QUERY_TOO_COMPLICATED",
    );
    assert_eq!(d.kind, Kind::UserAction);
    let d = found(
        "Error (AuthDecryptError): Failed to decipher auth data. reason: bad decrypt.",
        "AuthDecryptError",
    );
    assert!(d.message.contains("authorize it again"), "{d:?}");
}

#[test]
fn causes_the_field_showed_are_listed() {
    let d = found(
        "INVALID_SESSION_ID: Session expired or invalid",
        "INVALID_SESSION_ID",
    );
    assert!(lists(&d, Kind::ClientBug, &["renew", "update the client"]));
    let d = found(
        "REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.",
        "REQUEST_LIMIT_EXCEEDED",
    );
    assert!(lists(&d, Kind::ClientBug, &["Sforce-Limit-Info"]));
    let d = found(
        "Cross-org OAuth flows are not supported for this external client app",
        "cross_org_oauth",
    );
    assert!(lists(
        &d,
        Kind::Misconfigured,
        &["install", "External Client App"]
    ));
    let d = found("invalid_grant: inactive user", "invalid_grant");
    assert!(lists(&d, Kind::UserAction, &["deactivated", "authorizes"]));
    let d = found("oauth_error=McpServerError", "McpServerError");
    assert!(lists(&d, Kind::Misconfigured, &["Enable MCP Service"]));
    let d = found(
        "INVALID_OPERATION_WITH_EXPIRED_PASSWORD: The users password has expired, you must call SetPassword before attempting any other API operations",
        "INVALID_OPERATION_WITH_EXPIRED_PASSWORD",
    );
    assert!(d.message.contains("reset"), "{d:?}");
}

#[test]
fn a_source_file_is_not_a_host() {
    let d = explain(
        "PHP Fatal error: SoapFault exception: [HTTP] Could not connect to host in /srv/crm/lib/SalesforceClient.php:120",
    );
    assert_ne!(d.kind, Kind::Unknown, "{d:?}");
    assert!(!d.message.contains(".php"), "{d:?}");
}

#[test]
fn a_405_on_the_soap_address_is_a_redirected_login() {
    let d = found(
        "HTTP 405 Only POST allowed while calling https://acme.lightning.example/services/Soap/u/59.0",
        "METHOD_NOT_ALLOWED",
    );
    assert_eq!(d.target, Some(Target::LoginUrl), "{d:?}");
    // Elsewhere the method itself comes first.
    let d = found(
        "GET /services/oauth2/token -> 405 Only POST allowed",
        "METHOD_NOT_ALLOWED",
    );
    assert_eq!(d.kind, Kind::ClientBug, "{d:?}");
}

#[test]
fn a_403_from_an_identity_endpoint_is_an_expired_token() {
    let d = explain(
        "GET https://acme.my.salesforce.com/services/oauth2/userinfo returned HTTP/1.1 403 Forbidden",
    );
    assert_eq!(d.kind, Kind::ClientBug, "{d:?}");
    assert!(d.message.contains("refresh the access token"), "{d:?}");
    let d = explain(
        "GET https://acme.my.salesforce.com/services/data/v61.0/sobjects returned HTTP/1.1 403 Forbidden",
    );
    assert_ne!(d.kind, Kind::ClientBug, "{d:?}");
}

#[test]
fn a_login_limit_in_a_server_to_server_flow_is_the_client_s() {
    let text = r#"{"error":"invalid_grant","error_description":"login rate exceeded"}"#;
    let jwt = explain_with(
        text,
        Given {
            flow: Some(Flow::JwtBearer),
            saved_minutes_ago: None,
        },
    );
    assert_eq!(jwt.kind, Kind::ClientBug, "{jwt:?}");
    assert!(jwt.message.contains("reuse"), "{jwt:?}");
    assert_eq!(explain(text).kind, Kind::Transient);
    // Live, the wizard is the client and reuses its token: the limit is waited out.
    use eca_wizard::salesforce::diagnosis::{Phase, Window, diagnose};
    let live = diagnose(
        Phase::ClientCredentials,
        "invalid_grant",
        "login rate exceeded",
        Window::After,
    );
    assert_eq!(live.kind, Kind::Transient, "{live:?}");
}

#[test]
fn the_cli_s_own_auth_url_check_is_not_a_consumer_key_error() {
    let d = found(
        "Error: Invalid sfdx auth url. Must be in the format force://<clientId>:<clientSecret>:<refreshToken>@<instanceUrl>",
        "sfdx_auth_url_invalid",
    );
    assert!(lists(&d, Kind::ClientBug, &["update the CLI"]), "{d:?}");
}

#[test]
fn a_pasted_dead_session_points_at_the_client_that_didn_t_renew_it() {
    use eca_wizard::salesforce::diagnosis::{Phase, Window, diagnose};
    let d = found(
        "Sync aborted: INVALID_SESSION_ID: Session expired or invalid",
        "INVALID_SESSION_ID",
    );
    assert_eq!(d.kind, Kind::ClientBug, "{d:?}");
    assert!(d.message.contains("didn't renew"), "{d:?}");
    assert!(d.others[0].message.contains("Lock sessions"), "{d:?}");
    // Met by the wizard's own REST call, the plain expiry stays first.
    let live = diagnose(
        Phase::Rest,
        "INVALID_SESSION_ID",
        "Session expired or invalid",
        Window::After,
    );
    assert_eq!(live.kind, Kind::UserAction, "{live:?}");
}

#[test]
fn an_event_channel_without_its_slash_is_the_fix() {
    let d = found(
        "ERROR subscriber: cannot open topic event/Shipment_Update__e: 14 UNAVAILABLE: stream closed",
        "event_channel_name",
    );
    assert_eq!(d.kind, Kind::UserAction);
    assert!(d.message.contains("/event/"), "{d:?}");
    // A channel written properly is no finding; Salesforce's own refusal is read.
    assert_ne!(
        explain("subscribed to topic /event/Shipment_Update__e, then: 14 UNAVAILABLE").error,
        "event_channel_name"
    );
    found(
        r#"{"error":"400::The channel you requested to subscribe to does not exist {/topic/Orders}","successful":false}"#,
        "streaming_channel_invalid",
    );
}

#[test]
fn a_tool_s_message_in_another_language_is_read() {
    for text in [
        "Connexion expirée",
        "Die Verbindung ist abgelaufen",
        "La conexión ha expirado",
    ] {
        let d = explain(text);
        assert_eq!(d.error, "invalid_grant", "{text}: {d:?}");
        assert!(
            lists(&d, Kind::Misconfigured, &["until revoked"]),
            "{text}: {d:?}"
        );
    }
}

#[test]
fn a_code_brought_back_to_a_silent_loopback_is_the_local_program() {
    let d = found(
        "The browser stopped on http://localhost:7788/callback?code=aPrx0123&state=x9\nlocalhost didn't send any data. ERR_EMPTY_RESPONSE",
        "callback_listener_gone",
    );
    assert_eq!(d.kind, Kind::Transient);
    assert!(d.message.contains("Retry"), "{d:?}");
    // Without the code, nothing says Salesforce's side worked.
    assert_ne!(
        explain("http://localhost:7788/callback ERR_EMPTY_RESPONSE").error,
        "callback_listener_gone"
    );
}

#[test]
fn a_scratch_org_in_the_paste_points_at_the_org_behind_the_alias() {
    let d = found(
        "ScratchOrgError: This org appears to have a problem with its OAuth configuration. Reason: invalid_grant - expired access/refresh token (scratch org alias: feature-7)",
        "sf_cli_oauth_configuration",
    );
    assert_eq!(d.kind, Kind::UserAction, "{d:?}");
    assert!(d.message.contains("scratch org"), "{d:?}");
}

#[test]
fn a_timeout_lists_the_pooled_connections_of_an_integration_server() {
    let d = found(
        "Invoke failed: java.net.SocketTimeoutException: Read timed out",
        "connection_timeout",
    );
    assert!(
        lists(&d, Kind::Misconfigured, &["keep alive", "timeout"]),
        "{d:?}"
    );
}

#[test]
fn named_credential_callouts_are_read() {
    let d = found(
        "System.CalloutException: We couldn't access the credential(s). You might not have the required permissions, or the external credential \"Billing_EC\" might not exist.",
        "external_credential_access",
    );
    assert!(d.message.contains("Automated Process"), "{d:?}");
    // The provider's answer inside the org's own token request is the error.
    let d = found(
        "System.UnexpectedException: Unable to fetch the OAuth token. Error: invalid_grant. Error description: request not supported on this domain.",
        "invalid_grant",
    );
    assert_eq!(d.target, Some(Target::LoginUrl), "{d:?}");
    found(
        "Callout failed: Unable to fetch the OAuth token. Error: . Error description: .",
        "named_credential_token",
    );
}

#[test]
fn the_cli_without_a_login_for_the_org() {
    let d = found(
        "NamedOrgNotFoundError: No authorization information found for ci-uat.",
        "NamedOrgNotFoundError",
    );
    assert_eq!(d.kind, Kind::UserAction);
    found(
        "Error (1): No default dev hub found. Use -v or --target-dev-hub to specify an environment.",
        "NoDefaultEnvError",
    );
}

#[test]
fn a_data_call_to_the_login_host_puts_the_host_first() {
    let d = found(
        "GET https://login.salesforce.com/services/data/v61.0/query?q=SELECT+Id+FROM+Account -> 401 [{\"errorCode\":\"INVALID_SESSION_ID\",\"message\":\"Session expired or invalid\"}]",
        "INVALID_SESSION_ID",
    );
    assert_eq!(d.target, Some(Target::LoginUrl), "{d:?}");
    assert!(d.message.contains("instance_url"), "{d:?}");
}

#[test]
fn a_tool_s_words_for_common_refusals() {
    let d = found(
        "OAuth callback ok, but the refresh token is missing from the response",
        "refresh_token_missing",
    );
    assert!(d.message.contains("refresh_token"), "{d:?}");
    found("Sync user account is frozen, ask an admin", "user_frozen");
    found("The connected account was deactivated", "user_inactive");
    found(
        "Login blocked: a verification code is required for this device",
        "LOGIN_CHALLENGE_ISSUED",
    );
    found(
        "Daily API limit reached for this org",
        "REQUEST_LIMIT_EXCEEDED",
    );
}

#[test]
fn an_invalid_query_locator_lists_concurrent_cursors_of_old_api_versions() {
    let d = found(
        "INVALID_QUERY_LOCATOR: invalid query locator",
        "INVALID_QUERY_LOCATOR",
    );
    assert!(lists(&d, Kind::Transient, &["concurrent", "56.0"]), "{d:?}");
}

#[test]
fn a_tool_s_particular_words_come_before_generic_ones() {
    // "Login failed" alone says nothing; the IP words after it do.
    let d = explain("Login failed: your IP address is not allowed to log in to this org");
    assert_eq!(d.error, "invalid_grant", "{d:?}");
    assert_eq!(
        d.target,
        Some(Target::Setting(SettingKey::IpRelaxation)),
        "{d:?}"
    );
    let d = found(
        "System.CalloutException: Unauthorized endpoint, please check Setup->Security->Remote site settings. endpoint = https://erp.example.org/api",
        "remote_site_not_registered",
    );
    assert!(d.message.contains("Remote Site Settings"), "{d:?}");
}

#[test]
fn more_of_a_tool_s_words() {
    found(
        "Error: No access token found. Please authenticate first.",
        "no_stored_token",
    );
    found(
        "jsforce: Error: Refresh token is not available",
        "refresh_token_missing",
    );
    found(
        "Password grant type is not allowed for this org",
        "password_flow_blocked",
    );
    found("FATAL: connected app not found", "OAUTH_EC_APP_NOT_FOUND");
    found(
        "The Salesforce connection failed: the organization has been locked.",
        "ORG_LOCKED",
    );
    found(
        "OAuthError: The client is not authorized to request a token using this method.",
        "unauthorized_client",
    );
}

#[test]
fn a_known_permission_named_without_quotes_and_an_unusable_jwt_key() {
    let d = found(
        "Connection test failed: integration user lacks View Setup and Configuration permission",
        "missing_permission",
    );
    assert!(d.message.contains("View Setup and Configuration"), "{d:?}");
    let d = found(
        "Error: error:0909006C:PEM routines:get_name:no start line",
        "jwt_key_unusable",
    );
    assert!(d.message.contains("PRIVATE KEY"), "{d:?}");
}

#[test]
fn more_tools_are_known_by_name() {
    for (text, tool) in [
        (
            "meltano elt failed: INVALID_LOGIN: Invalid username, password, security token; or user locked out",
            "Meltano",
        ),
        (
            "sfdx-hardis:auth:login -> INVALID_SESSION_ID: Session expired or invalid",
            "sfdx-hardis",
        ),
        (
            "Workato recipe error: invalid_grant: expired access/refresh token",
            "Workato",
        ),
    ] {
        let d = explain(text);
        assert!(
            d.causes()
                .iter()
                .any(|c| c.kind == Kind::ClientBug && c.message.starts_with(tool)),
            "{text}: {d:?}"
        );
    }
}

#[test]
fn the_cli_s_command_names_its_flow() {
    let d =
        explain("ERROR running force:auth:jwt:grant:  invalid_grant: expired authorization code");
    assert!(d.message.contains("exp"), "{d:?}");
    assert_eq!(d.kind, Kind::ClientBug, "{d:?}");
    let d = explain("sf org login web failed: invalid_grant: expired authorization code");
    assert_eq!(d.kind, Kind::UserAction, "{d:?}");
}

#[test]
fn a_jdbc_login_is_a_password_login() {
    let d = found(
        "java.sql.SQLException: jdbc:salesforce-cdp login failed: end-user denied authorization",
        "access_denied",
    );
    assert_eq!(d.kind, Kind::Misconfigured, "{d:?}");
    assert!(d.message.contains("Connected App Access"), "{d:?}");
}

#[test]
fn a_sandbox_sent_to_production_s_login_host() {
    let d = found(
        "POST https://login.salesforce.com/services/oauth2/token for admin@acme.com.uat -> {\"error\":\"invalid_grant\"}",
        "invalid_grant",
    );
    assert_eq!(d.target, Some(Target::LoginUrl), "{d:?}");
    assert!(d.message.contains("test.salesforce.com"), "{d:?}");
}

#[test]
fn the_java_client_s_wrapper_for_a_connection_failure() {
    let d = found(
        "com.sforce.ws.ConnectionException: Failed to send request to https://acme.my.salesforce.com/services/Soap/u/60.0",
        "connection_failed",
    );
    assert!(d.message.contains("acme.my.salesforce.com"), "{d:?}");
}

#[test]
fn a_tool_s_plain_words_for_a_failed_login() {
    for text in [
        "Sync error: unable to authenticate with Salesforce",
        "Salesforce authentication error. Contact support.",
    ] {
        found(text, "login_failed");
    }
}
