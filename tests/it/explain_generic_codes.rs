//! A listed code that is also another system's everyday word (`CONFLICT`, `GONE`, `MODIFIED`,
//! an HTTP status name such as `INTERNAL_SERVER_ERROR`) is Salesforce's only when the paste says
//! so: it stands as the error itself (alone on its line, or heading `CODE: message`), or the
//! paste shows Salesforce (its name, hosts, `sf:`, `errorCode`, a distinctive code). Inside
//! someone else's log line it is not claimed. The texts are written for these tests.

use eca_wizard::commands::explain::{NOTHING_FOUND, explain};

#[test]
fn another_systems_word_inside_its_own_log_is_not_salesforces() {
    for text in [
        "CONFLICT (content): Merge conflict in README.md",
        "org.springframework.web.client.HttpClientErrorException$Conflict: 409 CONFLICT: [no body]",
        "org.springframework.web.client.HttpClientErrorException$Gone: 410 GONE: [no body]",
        "okhttp3.internal.http2.StreamResetException: stream was reset: INTERNAL_ERROR",
        "I0612 12:00:01 watcher.go:120] event type=MODIFIED name=my-configmap namespace=default",
        "HTTP/1.1 304 NOT_MODIFIED",
        "botocore.exceptions.ClientError: An error occurred (LimitExceededException) when calling the PutItem operation: LIMIT_EXCEEDED",
        "PayPal error: INSUFFICIENT_FUNDS; details: INVALID_ACCOUNT",
        "ResponseStatusException: 406 NOT_ACCEPTABLE \"Could not find acceptable representation\"",
        "requests.exceptions.HTTPError: 500 INTERNAL_SERVER_ERROR for url: https://api.example.com/x",
        "[WARN] job PENDING_COMMIT waiting for kafka offsets",
    ] {
        let d = explain(text);
        assert_eq!(d.error, NOTHING_FOUND, "{text}: {d:?}");
    }
}

#[test]
fn the_same_words_count_where_the_paste_is_salesforces() {
    for (text, code) in [
        // Alone, or heading its message: the code is the error pasted.
        ("CONFLICT", "CONFLICT"),
        ("MODIFIED: the record changed", "MODIFIED"),
        ("Error: GONE", "GONE"),
        ("batch 7\nLIMIT_EXCEEDED\nbatch 8", "LIMIT_EXCEEDED"),
        // Salesforce's own shapes and names around it.
        ("<faultcode>sf:GONE</faultcode>", "GONE"),
        (
            "ERROR com.example.Sync - Salesforce upsert failed: CONFLICT on Account 001xx",
            "CONFLICT",
        ),
        (
            "POST https://acme.my.salesforce.com/services/data/v62.0/sobjects/Account -> 409 CONFLICT",
            "CONFLICT",
        ),
        (
            "System.DmlException: Insert failed. First exception on row 0; first error: INVALID_INPUT, bad value",
            "INVALID_INPUT",
        ),
    ] {
        let d = explain(text);
        assert_eq!(d.error, code, "{text}: {d:?}");
    }
}

/// A distinctive code in the same paste is Salesforce enough for a generic one beside it.
#[test]
fn a_distinctive_code_vouches_for_a_generic_one() {
    let text =
        "step 1: INVALID_SESSION_ID: Session expired or invalid\nstep 2 retried, got MODIFIED";
    let d = explain(text);
    assert_eq!(d.error, "INVALID_SESSION_ID", "{d:?}");
    assert!(
        d.causes().iter().any(|c| c.message.contains("not a fault")),
        "the generic code stays among the errors: {d:?}"
    );
}

/// A client row whose words other software prints too (a browser's CORS refusal, a proxy's
/// error, "Access Declined") is Salesforce's only where the paste shows
/// Salesforce; with it, the row still answers.
#[test]
fn shared_client_words_need_salesforce_in_the_paste() {
    for text in [
        "Access to fetch at 'https://api.stripe.com/v1/charges' from origin 'http://localhost:3000' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present",
        "pip: Error from proxy server while fetching https://pypi.org/simple",
        "Card payment: Access Declined by issuer",
    ] {
        let d = explain(text);
        assert_eq!(d.error, NOTHING_FOUND, "{text}: {d:?}");
    }
    for (text, code) in [
        (
            "Access to fetch at 'https://acme.my.salesforce.com/services/data/v62.0/query' from origin 'http://localhost:3000' has been blocked by CORS policy",
            "cors_blocked",
        ),
        (
            "Data Loader: Error from proxy server (407 Proxy Authentication Required)",
            "dataloader_proxy",
        ),
        ("jsforce: Access Declined", "jsforce_access_declined"),
    ] {
        let d = explain(text);
        assert_eq!(d.error, code, "{text}: {d:?}");
    }
}
