//! Every code of Salesforce's published lists (assets/catalogue/codes.toml: the Partner WSDL's
//! ExceptionCode and StatusCode, Login History's LOGIN_STATUS) is answered, never "unknown", in
//! every wrapper `explain` reads codes from; a Login History status pasted alone stands for its
//! code; words that merely look like codes stay unrecognised.

use eca_wizard::commands::explain::{NOTHING_FOUND, explain};
use eca_wizard::salesforce::catalogue::codes;
use eca_wizard::salesforce::diagnosis::{self, Kind};

fn listed() -> codes::File {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/catalogue/codes.toml");
    let text = std::fs::read_to_string(path).unwrap();
    codes::parse(&text).unwrap()
}

/// The wrappers admins paste a code in.
fn forms(code: &str) -> Vec<String> {
    vec![
        format!(r#"[{{"message":"the call failed","errorCode":"{code}","fields":[]}}]"#),
        format!(r#"{{"error":"{code}","error_description":"the call failed"}}"#),
        format!("{code}: the call failed"),
        format!("sf:{code}"),
        format!(
            "<soapenv:Fault><faultcode>sf:{code}</faultcode><faultstring>the call failed</faultstring></soapenv:Fault>"
        ),
        format!("[ApiFault  exceptionCode='{code}'\n exceptionMessage='the call failed'\n]"),
        format!("{{u'errorCode': u'{code}', u'message': u'the call failed'}}"),
        format!("log line one\n{code}\nlog line three"),
    ]
}

#[test]
fn every_listed_code_is_answered_in_every_wrapper() {
    let file = listed();
    for code in &file.codes {
        for text in forms(&code.code) {
            let d = explain(&text);
            assert_ne!(d.kind, Kind::Unknown, "{text}: {d:?}");
            assert!(
                d.error.eq_ignore_ascii_case(&code.code),
                "{text}: answered {}",
                d.error
            );
            assert!(!d.message.contains("doesn't know"), "{text}: {d:?}");
        }
    }
}

#[test]
fn a_code_without_a_hand_written_row_reads_as_our_reading() {
    let d = explain("sf:MALFORMED_ID: id value of incorrect type: 001xx");
    assert_eq!(d.error, "MALFORMED_ID");
    assert_eq!(d.kind, Kind::ClientBug);
    assert!(d.message.contains("Our reading"), "{d:?}");
    assert!(!d.message.contains("Salesforce documents"), "{d:?}");
}

#[test]
fn a_login_history_status_alone_stands_for_its_code() {
    let file = listed();
    let known = diagnosis::known();
    let mut checked = 0;
    for code in &file.codes {
        let Some(status) = &code.status else {
            continue;
        };
        let d = explain(status.trim());
        assert_ne!(d.kind, Kind::Unknown, "{status}: {d:?}");
        // Where the status is this code's own phrase (no other rule or row claimed it first).
        let first = known
            .iter()
            .find(|k| k.description.eq_ignore_ascii_case(status.trim()));
        if first.is_some_and(|k| k.error == code.code) {
            assert!(
                d.error == code.code || d.causes().len() > 1,
                "{status}: {d:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "{checked} statuses stand for their code");
    for (status, code) in [
        (
            "Failed: API security token required",
            "LOGIN_ERROR_MUST_USE_API_TOKEN",
        ),
        ("Failed: Consumer Deleted", "LOGIN_OAUTH_CONSUMER_DELETED"),
        (
            "Failed: Invalid Code Verifier",
            "LOGIN_OAUTH_INVALID_CODE_VERIFIER",
        ),
        (
            "Organization is in maintenance",
            "LOGIN_ERROR_ORG_IN_MAINTENANCE",
        ),
        ("Failed: Assertion Expired", "LOGIN_SAML_INVALID_TIMESTAMP"),
    ] {
        assert_eq!(explain(status).error, code, "{status}");
    }
}

#[test]
fn words_that_look_like_codes_stay_unrecognised() {
    for text in [
        "last modified yesterday; the old file is gone",
        "CUSTOMER_REFERENCE_MISSING: the field is empty",
        "malformed_id in my own variable name",
        "a CONFLICTING_SCHEDULE_WINDOW was logged",
    ] {
        assert_eq!(explain(text).error, NOTHING_FOUND, "{text}");
    }
}

/// A row written for its code ranks its causes by the paste; a listed code read through its
/// family is our guess. In one paste, the written row leads, whichever comes first.
#[test]
fn a_written_row_leads_a_listed_code_in_the_same_paste() {
    let text = "batch 7 failed: MALFORMED_ID: bad id 001\nthen INVALID_SESSION_ID: Session expired or invalid";
    let d = explain(text);
    assert_eq!(d.error, "INVALID_SESSION_ID", "{d:?}");
    assert!(
        d.causes().iter().any(|c| c.message.contains("id")),
        "the listed code's fix stays among the causes: {d:?}"
    );
    // Alone, the listed code is the answer.
    assert_eq!(explain("MALFORMED_ID: bad id 001").error, "MALFORMED_ID");
}

/// Login History's login-count statuses are a limit that resets, not a login policy to change
/// (3,600 logins per user per hour; salesforce-oauth.md §7); an invalid HTTP method is the
/// request's form, not its API version.
#[test]
fn login_limits_read_as_limits_and_a_bad_method_as_the_request() {
    for code in [
        "LOGIN_ERROR_RATE_EXCEEDED",
        "LOGIN_ERROR_LOGINS_EXCEEDED",
        "LOGIN_OAUTH_EXCEED_GET_AT_LMT",
    ] {
        let d = explain(&format!("Login History for the integration user: {code}"));
        assert_eq!(d.error, code, "{d:?}");
        assert_eq!(d.kind, Kind::Transient, "{d:?}");
        assert!(!d.message.contains("Login IP Ranges"), "{d:?}");
    }
    let d = explain("Login History: LOGIN_ERROR_HTP_METHD_INVALID");
    assert_eq!(d.kind, Kind::ClientBug, "{d:?}");
    assert!(d.message.contains("HTTP method"), "{d:?}");
    assert!(!d.message.contains("API version"), "{d:?}");
}
