//! `explain` reads Salesforce's documented codes in every wrapper admins paste them in (SOAP
//! faults, Java and .NET exceptions, Python 2 and 3 reprs, Data Loader and MuleSoft logs, HTML
//! pages, HTTP status lines), recognises transport failures by family with their host, ranks
//! causes from the paste's evidence, and answers no catalogue code "unknown".

use eca_wizard::commands::explain::explain;
use eca_wizard::salesforce::catalogue;
use eca_wizard::salesforce::diagnosis::{self, Context, Diagnosis, Kind, Phase, Target, Window};
use proptest::prelude::*;

fn found(text: &str, error: &str) -> Diagnosis {
    let d = explain(text);
    assert_eq!(d.error, error, "{text}: {d:?}");
    assert_ne!(d.kind, Kind::Unknown, "{text}: {d:?}");
    d
}

const BAD_LOGIN: &str = "Invalid username, password, security token; or user locked out.";

#[test]
fn code_colon_message_and_sf_prefix() {
    let d = found(&format!("INVALID_LOGIN: {BAD_LOGIN}"), "INVALID_LOGIN");
    assert!(
        d.message.contains("Salesforce documents INVALID_LOGIN"),
        "{d:?}"
    );
    found(
        "<faultcode>sf:LOGIN_MUST_USE_SECURITY_TOKEN</faultcode>",
        "LOGIN_MUST_USE_SECURITY_TOKEN",
    );
    found(
        "API_CURRENTLY_DISABLED: API is disabled for this User",
        "API_CURRENTLY_DISABLED",
    );
}

#[test]
fn soap_faults() {
    let fault = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com"><soapenv:Body><soapenv:Fault><faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: {BAD_LOGIN}</faultstring><detail><sf:LoginFault xsi:type="sf:LoginFault"><sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode><sf:exceptionMessage>{BAD_LOGIN}</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"#
    );
    let d = found(&fault, "INVALID_LOGIN");
    assert_eq!(d.target, Some(Target::IntegrationUser));
    found(
        "<sf:exceptionCode>MUTUAL_AUTHENTICATION_FAILED</sf:exceptionCode><sf:exceptionMessage>This user requires mutual authentication.</sf:exceptionMessage>",
        "MUTUAL_AUTHENTICATION_FAILED",
    );
}

#[test]
fn java_and_dotnet_exceptions() {
    let java = format!(
        "[LoginFault [ApiFault  exceptionCode='INVALID_LOGIN'\n exceptionMessage='{BAD_LOGIN}'\n extendedErrorDetails='{{[0]}}'\n]\n]\n\tat com.sforce.soap.partner.PartnerConnection.login(PartnerConnection.java:1234)"
    );
    found(&java, "INVALID_LOGIN");
    found(
        "System.Web.Services.Protocols.SoapException: LOGIN_MUST_USE_SECURITY_TOKEN: Invalid username, password, security token; or user locked out. Are you at a new location?",
        "LOGIN_MUST_USE_SECURITY_TOKEN",
    );
    let d = found(
        "System.Web.Services.Protocols.SoapException: UNKNOWN_EXCEPTION: Destination URL not reset. The URL returned from login must be set in the SforceService",
        "destination_url_not_reset",
    );
    assert_eq!(d.kind, Kind::ClientBug);
    found("errorCode=INVALID_SESSION_ID", "INVALID_SESSION_ID");
}

#[test]
fn python_two_and_three_reprs() {
    let d = found(
        "SalesforceExpiredSession: Expired session for https://acme.my.salesforce.com/services/data/v52.0/query. Response content: [{u'errorCode': u'INVALID_OPERATION_WITH_EXPIRED_PASSWORD', u'message': u'The users password has expired, you must call SetPassword before attempting any other API operations'}]",
        "INVALID_OPERATION_WITH_EXPIRED_PASSWORD",
    );
    assert_eq!(d.kind, Kind::UserAction);
    found(
        "Response content: [{'errorCode': 'API_CURRENTLY_DISABLED', 'message': 'API is disabled for this User'}]",
        "API_CURRENTLY_DISABLED",
    );
}

#[test]
fn data_loader_and_mulesoft_logs() {
    // A sandbox user name sent to login.salesforce.com: the login URL is blamed first.
    let data_loader = format!(
        "2026-03-02 10:11:12,345 ERROR [main] client.PartnerClient login (PartnerClient.java:398) - Server host: https://login.salesforce.com user: integration@acme.com.uat\n[LoginFault [ApiFault  exceptionCode='INVALID_LOGIN' exceptionMessage='{BAD_LOGIN}']]"
    );
    let d = found(&data_loader, "INVALID_LOGIN");
    assert_eq!(d.target, Some(Target::LoginUrl), "{d:?}");
    // Without that evidence the credentials come first.
    let d = found(&format!("INVALID_LOGIN: {BAD_LOGIN}"), "INVALID_LOGIN");
    assert_eq!(d.target, Some(Target::IntegrationUser), "{d:?}");
    let d = found(
        "Data Loader: Login failed. Check your username, password and server host.",
        "login_failed",
    );
    assert!(!d.others.is_empty());
    found(
        "ERROR 2026-03-02 org.mule.runtime.api.connection.ConnectionException: LOGIN_MUST_USE_SECURITY_TOKEN: Invalid username, password, security token; or user locked out.\n Error type: SALESFORCE:CONNECTIVITY",
        "LOGIN_MUST_USE_SECURITY_TOKEN",
    );
}

#[test]
fn html_pages_and_http_status_lines() {
    let d = found(
        "<html><head><title>Insufficient Privileges</title></head><body>You do not have the level of access necessary to perform the operation you requested.</body></html>",
        "insufficient_privileges_page",
    );
    assert_eq!(d.kind, Kind::Misconfigured);
    let d = found(
        "GET https://acme.lightning.force.com/services/oauth2/authorize?response_type=code&client_id=X HTTP/1.1 404 Not Found <title>URL No Longer Exists</title>",
        "http_404",
    );
    assert_eq!(d.target, Some(Target::LoginUrl), "{d:?}");
    let d = found("405 Only POST allowed", "METHOD_NOT_ALLOWED");
    assert_eq!(d.kind, Kind::ClientBug);
    found("HTTP/1.1 503 Service Unavailable", "http_5xx");
}

#[test]
fn messages_without_a_code() {
    found(
        "Error: User is not allowed to get Organization information",
        "user_not_allowed_org_info",
    );
    found(
        "Login blocked by a Transaction Security policy: evaluation timed out",
        "transaction_security",
    );
    found("Error: invalid or missing clientId", "client_id_missing");
    found("OPError: Unexpected ID Token", "id_token_unexpected");
    let d = found(
        "REQUEST_LIMIT_EXCEEDED: ConcurrentPerOrgLongTxn Limit exceeded.",
        "REQUEST_LIMIT_EXCEEDED",
    );
    assert!(d.message.contains("concurrent"), "{d:?}");
}

#[test]
fn transport_failures_by_family_with_the_host() {
    let cases = [
        (
            "Error: getaddrinfo ENOTFOUND acme.my.salesforce.com",
            "dns_failure",
            Some("acme.my.salesforce.com"),
        ),
        (
            "Error: connect ECONNREFUSED 10.0.0.5:3128",
            "connection_refused",
            Some("10.0.0.5"),
        ),
        (
            "FetchError: request to https://login.salesforce.com/services/oauth2/token failed, reason: socket hang up",
            "connection_reset",
            Some("login.salesforce.com"),
        ),
        (
            "Error: connect ETIMEDOUT 13.110.14.8:443",
            "connection_timeout",
            Some("13.110.14.8"),
        ),
        (
            "Post \"https://acme.my.salesforce.com/services/oauth2/token\": dial tcp 13.110.14.8:443: getsockopt: connection timed out",
            "connection_timeout",
            None,
        ),
        (
            "write EPROTO 140350430992256:error:1408F10B:SSL routines:ssl3_get_record:wrong version number",
            "tls_version",
            None,
        ),
        (
            "javax.net.ssl.SSLHandshakeException: PKIX path building failed: unable to find valid certification path to requested target",
            "tls_untrusted",
            None,
        ),
        (
            "Error: tunneling socket could not be established, statusCode=407",
            "proxy_auth_required",
            None,
        ),
        (
            "Error: tunneling socket could not be established, statusCode=403",
            "proxy_forbidden",
            None,
        ),
    ];
    for (text, code, host) in cases {
        let d = found(text, code);
        if let Some(host) = host {
            assert!(
                d.message.contains(&format!("(host: {host})")),
                "{text}: {d:?}"
            );
        }
    }
    // Named behind a proxy, a timeout is a proxy setting first.
    let d = found(
        "behind the corporate proxy: Error: connect ETIMEDOUT 13.110.14.8:443",
        "connection_timeout",
    );
    assert_eq!(d.kind, Kind::Misconfigured, "{d:?}");
    assert!(d.message.contains("HTTPS_PROXY"));
}

#[test]
fn a_salesforce_error_outranks_the_transport_noise_around_it() {
    let d = found(
        "retry 1: connect ETIMEDOUT 13.110.14.8:443\nretry 2: {\"error\":\"invalid_grant\",\"error_description\":\"request not supported on this domain\"}",
        "invalid_grant",
    );
    assert_eq!(d.target, Some(Target::LoginUrl));
}

#[test]
fn a_named_tool_gets_its_version_advice() {
    let d = found(
        "Data Loader 45.0.0: LOGIN_ERROR_API_TOO_OLD Failed: API Version Removed",
        "LOGIN_ERROR_API_TOO_OLD",
    );
    assert_eq!(d.kind, Kind::ClientBug);
    assert!(d.message.contains("Data Loader: "), "{d:?}");
}

#[test]
fn no_catalogue_code_is_unknown() {
    let entries = catalogue::all();
    assert!(entries.len() >= 60);
    for entry in entries {
        for window in [Window::Unknown, Window::After] {
            let d = diagnosis::diagnose_in(&Context::new(Phase::Unknown, window), &entry.code, "");
            assert_ne!(d.kind, Kind::Unknown, "{}", entry.code);
        }
        // Every code and every phrase is read from a paste.
        let d = explain(&format!("Error: {}", entry.code));
        assert_ne!(d.kind, Kind::Unknown, "{}: {d:?}", entry.code);
        // A phrase other software prints too (`shared`) is read where the paste shows Salesforce.
        let lead = if entry.shared {
            "the Salesforce call failed"
        } else {
            "something failed"
        };
        for phrase in &entry.phrases {
            let d = explain(&format!("{lead}: {phrase}"));
            assert_ne!(d.kind, Kind::Unknown, "{phrase}: {d:?}");
        }
    }
}

fn adversarial() -> impl Strategy<Value = String> {
    let unit = prop_oneof![
        Just("\\".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("u'".to_string()),
        Just("errorCode=".to_string()),
        Just("<title>".to_string()),
        Just("HTTP/1.1 4".to_string()),
        Just("sf:".to_string()),
        Just("INVALID_LOGIN".to_string()),
        Just("@a.com.".to_string()),
        Just("tunneling socket could not be established".to_string()),
        "[a-zA-Z_:=. ]{0,8}",
    ];
    (proptest::collection::vec(unit, 1..64), 1usize..2000).prop_map(|(units, times)| {
        let mut text = units.concat().repeat(times);
        text.truncate(1 << 18);
        while !text.is_char_boundary(text.len()) {
            text.pop();
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Whatever the paste, explain answers (no panic, no endless scan) with a message.
    #[test]
    fn any_paste_is_answered(text in adversarial()) {
        let d = explain(&text);
        prop_assert!(!d.message.is_empty());
    }
}

#[test]
fn statuses_in_library_wrappers() {
    for (text, error) in [
        (
            "System.Net.WebException: The remote server returned an error: (401) Unauthorized.",
            "http_401",
        ),
        (
            "requests.exceptions.HTTPError: 400 Client Error: Bad Request for url: https://login.salesforce.com/services/oauth2/token",
            "http_400",
        ),
        (
            "simple_salesforce.exceptions.SalesforceRefusedRequest: Request refused for https://acme.my.salesforce.com/services/data/v62.0/sobjects/Account",
            "http_403",
        ),
    ] {
        found(text, error);
    }
}

/// Among causes that fit equally, the one the paste's own words speak of comes first.
#[test]
fn the_paste_s_clues_break_ties() {
    let position = |text: &str, words: &str| {
        explain(text)
            .causes()
            .iter()
            .position(|c| c.message.contains(words))
    };
    let plain =
        "error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration";
    let loopback = format!("{plain}\nredirect_uri=http://127.0.0.1:8080/callback");
    let with_clue = position(&loopback, "127.0.0.1").expect("the loopback cause is listed");
    let without = position(plain, "127.0.0.1").expect("the loopback cause is listed");
    assert!(with_clue < without, "{with_clue} < {without}");
}

/// A client's stack trace puts the client program among the causes even when no known tool is
/// named: some versions of a tool end in Salesforce errors through defects of their own.
#[test]
fn a_client_trace_lists_the_program_itself() {
    let trace = "Traceback (most recent call last):\n  File \"sync.py\", line 12, in <module>\nException: INVALID_SESSION_ID: Session expired or invalid";
    let d = found(trace, "INVALID_SESSION_ID");
    assert!(
        d.causes().iter().any(|c| c.kind == Kind::ClientBug
            && c.message.starts_with("The client program")
            && c.message.contains("upgrade")),
        "{d:?}"
    );
    let bare = explain("INVALID_SESSION_ID: Session expired or invalid");
    assert!(
        !bare
            .causes()
            .iter()
            .any(|c| c.message.starts_with("The client program")),
        "{bare:?}"
    );
}

/// Wrappers that keep a connection failure and drop its cause still name it, with the host to
/// check first; a URI over Salesforce's 16,384-byte limit and an object the API doesn't serve are
/// found in their bare forms.
#[test]
fn failures_whose_wrapper_drops_the_cause() {
    let d = found(
        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='acme-api.my.salesforce.com', port=443): Max retries exceeded with url: /services/Soap/u/59.0",
        "connection_failed",
    );
    assert!(d.message.contains("acme-api.my.salesforce.com"), "{d:?}");
    assert!(d.causes().iter().any(|c| c.message.contains("My Domain")));
    let php = found(
        "Fatal error: Uncaught SoapFault exception: [HTTP] Could not connect to host in SforceBaseClient.php:168",
        "connection_failed",
    );
    assert!(php.causes().iter().any(|c| c.message.contains("TLS 1.2")));
    found(
        "Error is ERROR_HTTP_414: <h1>Bad Message 414</h1><pre>reason: URI Too Long</pre>",
        "http_414",
    );
    let object = found("sObject type 'WorkOrder' is not supported.", "INVALID_TYPE");
    assert!(
        object
            .causes()
            .iter()
            .any(|c| c.kind == Kind::ClientBug && c.message.contains("API version"))
    );
    found("ApiBatchItems Limit exceeded", "REQUEST_LIMIT_EXCEEDED");
}

/// A tool's own plea to connect again stands for a refresh token that stopped working, with
/// Salesforce's limit of five approvals per user and app among the causes.
#[test]
fn a_tool_asking_to_reconnect() {
    let d = found(
        "Credential is invalid and can't be refreshed. Please reconnect your account.",
        "invalid_grant",
    );
    assert!(
        d.causes()
            .iter()
            .any(|c| c.message.contains("at most 5 refresh tokens")),
        "{d:?}"
    );
    found("Error: client id is missing", "client_id_missing");
}

/// Tools' own words with no Salesforce code: each stands for the error it paraphrases.
#[test]
fn tools_own_words() {
    found(
        "InvalidParams: Expected 'connected_account_params' to provide these params: ['instanceEndpoint'] (instance endpoint required)",
        "instance_url_missing",
    );
    found("Salesforce connection expired", "invalid_grant");
    found(
        "Error: permission denied for this operation",
        "INSUFFICIENT_ACCESS",
    );
    found(
        "Authentication failed: check the connection",
        "login_failed",
    );
    found("Error: Unauthorized", "http_401");
}

/// Terminal colour in a pasted log, even inside `error=...`, doesn't hide the code.
#[test]
fn colour_sequences_are_read_through() {
    found(
        "error=\u{1b}[31minvalid_client_id\u{1b}[0m&error_description=client%20identifier%20invalid",
        "invalid_client_id",
    );
    found(
        "\u{1b}]0;title\u{7}\u{1b}[1;31mERROR\u{1b}[0m INVALID_SESSION_ID: Session expired or invalid",
        "INVALID_SESSION_ID",
    );
}
