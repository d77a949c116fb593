//! Issue 27, the first cause: evidence every paste of a cause carries puts that cause first. The
//! texts are written for these tests.

use eca_wizard::commands::explain::explain;
use eca_wizard::salesforce::diagnosis::{Diagnosis, Kind};

fn found(text: &str, error: &str) -> Diagnosis {
    let d = explain(text);
    assert_eq!(d.error, error, "{text}: {d:?}");
    d
}

#[test]
fn a_soap_client_that_cannot_connect_is_its_tls_first() {
    // A SOAP client's own words, without the address: its runtime's TLS comes first.
    for text in [
        "PHP Fatal error: Uncaught SoapFault exception: [HTTP] Could not connect to host in /srv/app/vendor/sforce/PartnerClient.php:91",
        "javax.xml.ws.soap.SOAPFaultException: Could not connect to host while calling the login operation",
    ] {
        let d = found(text, "connection_failed");
        assert_eq!(d.kind, Kind::ClientBug, "{text}: {d:?}");
        assert!(d.message.contains("TLS 1.2"), "{d:?}");
    }
    // Any other client: the host comes first, as before.
    let d = found(
        "requests.exceptions.ConnectionError: Could not connect to host acme-dev.my.salesforce.com",
        "connection_failed",
    );
    assert_ne!(d.kind, Kind::ClientBug, "{d:?}");
}

#[test]
fn a_named_credential_callout_s_refused_session_is_not_a_client_that_forgot_to_refresh() {
    // Salesforce renews a Named Credential's token on a 401 itself: what still fails is refused.
    let d = found(
        "System.CalloutException: 401 [{\"errorCode\":\"INVALID_SESSION_ID\",\"message\":\"Session expired or invalid\"}] Endpoint=callout:Partner_Org/services/data/v61.0/sobjects/Account",
        "INVALID_SESSION_ID",
    );
    assert_eq!(d.kind, Kind::Misconfigured, "{d:?}");
    assert!(d.message.contains("IP"), "{d:?}");
    assert!(
        !d.causes()
            .iter()
            .any(|c| c.message.contains("didn't renew")),
        "{d:?}"
    );
    // A SOAP callout is never refreshed (its expired session answers 500).
    let d = found(
        "HTTP 500 <faultcode>sf:INVALID_SESSION_ID</faultcode> Endpoint=callout:Partner_Org/services/Soap/u/61.0",
        "INVALID_SESSION_ID",
    );
    assert!(d.message.contains("SOAP API answers"), "{d:?}");
    // Another client's paste: unchanged, the client that didn't renew comes first.
    let d = found(
        "[{\"errorCode\":\"INVALID_SESSION_ID\",\"message\":\"Session expired or invalid\"}]",
        "INVALID_SESSION_ID",
    );
    assert_eq!(d.kind, Kind::ClientBug, "{d:?}");
}

#[test]
fn a_sql_tool_s_refusal_is_the_jdbc_login_s_not_a_consent_page() {
    // A SQL tool connects through a JDBC driver with a user name and password: nobody saw a
    // consent page to deny.
    let d = found(
        "DBeaver: Test Connection failed: end-user denied authorization",
        "access_denied",
    );
    assert_eq!(d.kind, Kind::Misconfigured, "{d:?}");
    assert!(d.message.contains("Connected App Access"), "{d:?}");
}

#[test]
fn the_cli_s_own_app_refused_is_api_access_control() {
    let d = found(
        "Error (AuthCodeExchangeError): Error authenticating with auth code due to: invalid_app_access::user is not admin approved to access this app",
        "invalid_app_access",
    );
    assert!(d.message.contains("API Access Control"), "{d:?}");
    // Another client: its app's Permitted Users first, as before.
    let d = found(
        "{\"error\":\"invalid_app_access\",\"error_description\":\"user is not admin approved to access this app\"}",
        "invalid_app_access",
    );
    assert!(d.message.contains("Selected Permission Sets"), "{d:?}");
}

#[test]
fn a_grpc_client_s_untrusted_certificate_is_its_own_ca_list_unless_a_proxy_is_named() {
    let d = found(
        "Pub/Sub subscribe failed: Error: 14 UNAVAILABLE: No connection established. Last error: unable to get local issuer certificate",
        "tls_untrusted",
    );
    assert_eq!(d.kind, Kind::ClientBug, "{d:?}");
    assert!(d.message.contains("upgrade the client"), "{d:?}");
    // A proxy named: the proxy inspects HTTPS.
    let d = found(
        "Error: 14 UNAVAILABLE: No connection established through proxy.corp.example:8080. Last error: unable to get local issuer certificate",
        "tls_untrusted",
    );
    assert_eq!(d.kind, Kind::Misconfigured, "{d:?}");
    // Any other client: the proxy first, as before.
    let d = found(
        "FetchError: request to https://acme.my.salesforce.com/services/oauth2/token failed, reason: unable to get local issuer certificate",
        "tls_untrusted",
    );
    assert_eq!(d.kind, Kind::Misconfigured, "{d:?}");
}
