//! Ranking principles that hold across errors, not per paste: each test shows the evidence that
//! puts a cause first, and the same error without it. The texts are written for these tests.

use eca_wizard::commands::explain::{Given, explain, explain_with};
use eca_wizard::salesforce::Flow;
use eca_wizard::salesforce::diagnosis::{Diagnosis, Kind, Target};

fn found(text: &str, error: &str) -> Diagnosis {
    let d = explain(text);
    assert_eq!(d.error, error, "{text}: {d:?}");
    d
}

/// The host in the paste decides "the wrong org": a login shown on login.salesforce.com or
/// test.salesforce.com puts the login URL first; without a host, the cause that needs no
/// evidence (the app isn't installed in this org) comes first.
#[test]
fn the_wrong_org_needs_a_login_host_in_the_paste() {
    for (error, shown, bare) in [
        (
            "OAUTH_EC_APP_NOT_FOUND",
            "GET https://test.salesforce.com/services/oauth2/authorize?client_id=3MVG9 -> OAUTH_EC_APP_NOT_FOUND",
            "The connector stopped at Salesforce's page: OAUTH_EC_APP_NOT_FOUND",
        ),
        (
            "cross_org_oauth",
            "https://login.salesforce.com/services/oauth2/authorize answered: Cross-org OAuth flows are not supported for this external client app",
            "Salesforce says: Cross-org OAuth flows are not supported for this external client app",
        ),
    ] {
        let d = found(shown, error);
        assert_eq!(d.target, Some(Target::LoginUrl), "{shown}: {d:?}");
        let d = found(bare, error);
        assert_ne!(d.target, Some(Target::LoginUrl), "{bare}: {d:?}");
        assert!(d.message.contains("install"), "{bare}: {d:?}");
    }
}

/// "retry your request" is the login host's fault only when the paste shows a login host, or the
/// flow is client credentials (which works only on the My Domain); otherwise a retry comes first.
#[test]
fn unknown_error_blames_the_host_only_when_the_paste_shows_one() {
    let bare = "Sign-in failed. unknown error: retry your request.";
    let d = found(bare, "unknown_error");
    assert_eq!(d.kind, Kind::Transient, "{d:?}");
    let on_login = "POST https://login.salesforce.com/services/oauth2/token {\"error\":\"unknown_error\",\"error_description\":\"retry your request\"}";
    let d = found(on_login, "unknown_error");
    assert_eq!(d.target, Some(Target::LoginUrl), "{d:?}");
    let given = Given {
        flow: Some(Flow::ClientCredentials),
        saved_minutes_ago: None,
    };
    let d = explain_with(bare, given);
    assert_eq!(d.target, Some(Target::LoginUrl), "{d:?}");
    // On the My Domain already: only the passing fault is left.
    let d = found(
        "POST https://acme.my.salesforce.com/services/oauth2/token {\"error\":\"unknown_error\",\"error_description\":\"retry your request\"}",
        "unknown_error",
    );
    assert_eq!(d.kind, Kind::Transient, "{d:?}");
    assert!(d.others.is_empty(), "{d:?}");
}
