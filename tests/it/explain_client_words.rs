//! `explain` reads the words clients print around a Salesforce failure, as their sources write
//! them (assets/catalogue/clients.toml): each message below is a client's template filled with
//! plausible values. Where a client wraps Salesforce's own code, the code leads.

use eca_wizard::commands::explain::{NOTHING_FOUND, explain};
use eca_wizard::salesforce::diagnosis::{Diagnosis, Kind};

/// The paste is read as `error`, of `kind`, and its first fix says `word`.
pub(crate) fn reads(text: &str, error: &str, kind: Kind, word: &str) -> Diagnosis {
    let d = explain(text);
    assert_eq!(d.error, error, "{text}: {d:?}");
    assert_eq!(d.kind, kind, "{text}: {d:?}");
    assert!(
        d.message.to_lowercase().contains(&word.to_lowercase()),
        "{text}: the fix should say {word:?}: {}",
        d.message
    );
    d
}

#[test]
fn salesforce_cli_messages() {
    reads(
        "ERROR running force:org:display: NoAuthInfoFound: No authorization information can be found.",
        "NoAuthInfoFound",
        Kind::UserAction,
        "sf org login",
    );
    reads(
        "AuthInfoCreationError: Must pass a username and/or OAuth options when creating an AuthInfo instance.",
        "AuthInfoCreationError",
        Kind::Misconfigured,
        "--target-org",
    );
    reads(
        "Error (OrgDataNotAvailableError): An attempt to refresh the authentication token failed with a 'Data Not Found Error'. The org identified by username test-abc@example.com does not appear to exist. Likely cause is that the org was deleted by another user or has expired.",
        "OrgDataNotAvailableError",
        Kind::UserAction,
        "--clean",
    );
    reads(
        "ERROR running auth:web:login: Cannot start the OAuth redirect server on port 1717.",
        "cli_oauth_port_in_use",
        Kind::UserAction,
        "oauthLocalPort",
    );
    reads(
        "Error (AuthTimeoutError): The authentication session timed out. Please try again.",
        "cli_web_login_timeout",
        Kind::UserAction,
        "login again",
    );
    reads(
        "Error: \"org login web\" isn't supported when authorizing in a headless environment. Use another OAuth flow.",
        "cli_headless_web_login",
        Kind::UserAction,
        "login jwt",
    );
    reads(
        "Error (SfError): The access token isn't in the correct format.",
        "cli_access_token_format",
        Kind::UserAction,
        "00D",
    );
    reads(
        "Error: Org failed to respond with its list of API versions. This is usually the result of domain changes like activating MyDomain or Enhanced Domains",
        "cli_no_api_versions",
        Kind::UserAction,
        "log in again",
    );
    reads(
        "NoInstanceUrlError: Connection has no instanceUrl.",
        "cli_no_instance_url",
        Kind::Misconfigured,
        "My Domain",
    );
}

#[test]
fn salesforce_cli_wrappers_give_way_to_salesforces_reason() {
    reads(
        "Error (RefreshTokenAuthError): Error authenticating with the refresh token due to: expired access/refresh token",
        "invalid_grant",
        Kind::UserAction,
        "authorize again",
    );
    // A network failure inside the wrapper tells more than the wrapper.
    reads(
        "Error (RefreshTokenAuthError): Error authenticating with the refresh token due to: socket hang up",
        "connection_reset",
        Kind::Transient,
        "retry",
    );
    // Without a reason the wrapper itself answers.
    reads(
        "Error (RefreshTokenAuthError): Error authenticating with the refresh token due to: undefined",
        "RefreshTokenAuthError",
        Kind::UserAction,
        "sf org login web",
    );
    reads(
        "Error (JwtAuthError): Error authenticating with JWT config due to: The JWT is malformed",
        "JwtAuthError",
        Kind::Misconfigured,
        "certificate",
    );
}

#[test]
fn jsforce_messages() {
    let d = reads(
        "HttpApiError: ERROR_HTTP_400: Access Declined",
        "jsforce_access_declined",
        Kind::Misconfigured,
        "Allowed Origins",
    );
    assert!(
        !d.others.is_empty(),
        "the network is the other cause: {d:?}"
    );
    reads(
        "Error: No OAuth2 client id information is specified",
        "jsforce_oauth2_config_missing",
        Kind::Misconfigured,
        "clientId",
    );
    reads(
        "Error: lightning URLs are not valid as instance URLs",
        "jsforce_lightning_instance_url",
        Kind::Misconfigured,
        "my.salesforce.com",
    );
    reads(
        "Error: could not extract session information from login response",
        "jsforce_soap_login_no_session",
        Kind::Misconfigured,
        "loginUrl",
    );
    reads(
        "Error: Unable to refresh session due to: invalid_grant: expired access/refresh token",
        "invalid_grant",
        Kind::UserAction,
        "authorize again",
    );
    reads(
        "Token refresh failed: 400",
        "session_refresh_failed",
        Kind::UserAction,
        "connect the client",
    );
}

#[test]
fn browser_cors_refusals() {
    reads(
        "Access to fetch at 'https://acme.my.salesforce.com/services/data/v60.0/query?q=SELECT+Id+FROM+Account' from origin 'http://localhost:3000' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        "cors_blocked",
        Kind::Misconfigured,
        "Allowed Origins List",
    );
    // A token request from a page: the OAuth endpoints' own CORS option comes first.
    reads(
        "Access to XMLHttpRequest at 'https://login.salesforce.com/services/oauth2/token' from origin 'https://app.example.com' has been blocked by CORS policy",
        "cors_blocked",
        Kind::Misconfigured,
        "Enable CORS for OAuth endpoints",
    );
}

#[test]
fn simple_salesforce_and_restforce_messages() {
    reads(
        "simple_salesforce.exceptions.SalesforceRefusedRequest: Request refused for https://acme.my.salesforce.com/services/data/v59.0/sobjects/Account/. Response content: [{'message': 'The REST API is not enabled for this Organization.', 'errorCode': 'API_DISABLED_FOR_ORG'}]",
        "API_DISABLED_FOR_ORG",
        Kind::Misconfigured,
        "API Enabled",
    );
    reads(
        "Restforce::AuthenticationError: No authentication middleware present",
        "restforce_no_auth_middleware",
        Kind::Misconfigured,
        "client_id",
    );
    reads(
        "Restforce::UnauthorizedError: Connection prefix not set",
        "restforce_connection_prefix",
        Kind::Misconfigured,
        "instance_url",
    );
}

#[test]
fn java_wsc_and_data_loader_messages() {
    reads(
        "com.sforce.ws.ConnectionException: Check authEndpoint. It must contain '/services/Soap/u/'. authEndpoint specified https://login.salesforce.com",
        "wsc_endpoint_path",
        Kind::Misconfigured,
        "/services/Soap/u/",
    );
    reads(
        "com.sforce.ws.bind.HTMLResponseException: Encountered HTML Content when looking for urn:partner.soap.sforce.com:loginResponse",
        "html_response_from_org",
        Kind::Misconfigured,
        "My Domain",
    );
    reads(
        "Error: Unable to complete OAuth login. Contact your Salesforce admin.",
        "dataloader_login_failed",
        Kind::Misconfigured,
        "Use Any API Client",
    );
    reads(
        "Check the Data Loader settings for accessing the proxy server. Error from proxy server: Connection refused",
        "dataloader_proxy",
        Kind::Misconfigured,
        "Proxy host",
    );
    reads(
        "OAuth authorization failed: Authorization failed: invalid state parameter",
        "oauth_callback_incomplete",
        Kind::UserAction,
        "login tabs",
    );
}

#[test]
fn mulesoft_error_types_give_way_to_salesforces_code() {
    reads(
        "Error type : SALESFORCE:CONNECTIVITY\nMessage : Error while connecting to Salesforce",
        "mule_connectivity",
        Kind::Misconfigured,
        "test the connection",
    );
    reads(
        "Message : Failed establishing connection with salesforce\nError type : SALESFORCE:CONNECTIVITY\nInvalid status code: 400, response body: {\"error\":\"invalid_grant\",\"error_description\":\"authentication failure\"}",
        "invalid_grant",
        Kind::UserAction,
        "password",
    );
    reads(
        "Error type : SALESFORCE:LIMIT_EXCEEDED\nMessage : TotalRequests Limit exceeded.",
        "REQUEST_LIMIT_EXCEEDED",
        Kind::Transient,
        "limit",
    );
    reads(
        "Error type : SALESFORCE:RETRY_EXHAUSTED",
        "mule_retry_exhausted",
        Kind::Transient,
        "first failure",
    );
}

#[test]
fn a_rows_word_without_its_phrase_is_not_read() {
    // Each sentence shares a word with a row's phrase (declined, CORS, refresh, proxy, prefix,
    // authentication) but not the phrase: none of them is a Salesforce error.
    for text in [
        "The invitation was declined and access is limited to members.",
        "We changed the CORS settings of our own web server yesterday.",
        "Please refresh the page: the token list is loading.",
        "The proxy server restarted at noon; no errors were logged.",
        "Set the connection prefix in the settings file before starting.",
        "The authentication session will be reviewed by the team next week.",
    ] {
        let d = explain(text);
        assert_eq!(d.error, NOTHING_FOUND, "{text}: {d:?}");
    }
}
