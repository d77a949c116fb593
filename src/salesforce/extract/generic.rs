//! Listed codes that are also other systems' everyday words. Salesforce's lists hold `CONFLICT`,
//! `GONE`, `MODIFIED`, `INTERNAL_ERROR`, `LIMIT_EXCEEDED` and HTTP status names; git, Spring,
//! OkHttp, Kubernetes and AWS print the same words. Such a code, read in running text, is
//! Salesforce's only where the paste says so: the code stands as the error itself, or the paste
//! shows Salesforce around it.

/// Whether a listed code is too common a word to be Salesforce's on its own: one or two words
/// (`CONFLICT`, `BAD_REQUEST`), or an HTTP status's reason phrase in upper case (RFC 9110 §15,
/// as Spring's `HttpStatus` and Python's `HTTPStatus` name them).
pub fn is_generic_code(code: &str) -> bool {
    code.matches('_').count() <= 1
        || HTTP_REASONS
            .iter()
            .any(|reason| reason.eq_ignore_ascii_case(code))
}

/// The reason phrases of RFC 9110 §15 with more than two words, as enum names.
const HTTP_REASONS: &[&str] = &[
    "NON_AUTHORITATIVE_INFORMATION",
    "PAYMENT_REQUIRED",
    "METHOD_NOT_ALLOWED",
    "PROXY_AUTHENTICATION_REQUIRED",
    "LENGTH_REQUIRED",
    "PRECONDITION_FAILED",
    "CONTENT_TOO_LARGE",
    "PAYLOAD_TOO_LARGE",
    "URI_TOO_LONG",
    "UNSUPPORTED_MEDIA_TYPE",
    "RANGE_NOT_SATISFIABLE",
    "INTERNAL_SERVER_ERROR",
    "HTTP_VERSION_NOT_SUPPORTED",
    "TOO_MANY_REQUESTS",
];

/// Words only Salesforce's own texts carry: its names and hosts, its API paths, its error shapes
/// (`sf:CODE`, `errorCode`, SOAP's `<statusCode>`, Bulk API's `sf__Error`, Apex's `first
/// error:`, jsforce's `ERROR_HTTP_400`) and the names of its
/// clients. Matched in lower case.
const SALESFORCE_SHOWN: &[&str] = &[
    "salesforce",
    "force.com",
    "my.site.com",
    "sfdc",
    "sforce",
    "sfdx",
    "jsforce",
    "restforce",
    "error_http_",
    "data loader",
    "dataloader",
    "soql",
    "sobject",
    "visualforce",
    "/services/data",
    "/services/soap",
    "/services/async",
    "/services/oauth2",
    "sf:",
    "sf__",
    "errorcode",
    "<statuscode>",
    "exceptioncode",
    "first error:",
    "dmlexception",
];

/// Whether the paste (in lower case) shows it is Salesforce's.
pub fn salesforce_shown(lower: &str) -> bool {
    SALESFORCE_SHOWN.iter().any(|word| lower.contains(word))
}

/// Whether the code at `start..end` stands as the error itself: alone on its line (quotes
/// aside) or after one word and a colon (`Error: CODE`), or heading its line as `CODE: message`.
/// Looks at a few bytes either side only, so a megabyte on one line costs the same per code.
pub fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let blank = |b: u8| matches!(b, b'"' | b'\'' | b'`' | b' ' | b'\t' | b'\r');
    // After: only quotes and spaces, then the line's end or a colon.
    let after = bytes[end..].iter().copied().take(NEAR).find(|b| !blank(*b));
    if !matches!(after, None | Some(b'\n') | Some(b':')) {
        return false;
    }
    // Before: only quotes and spaces back to the line's start, or one word and a colon first.
    let mut at = start;
    let back = |at: &mut usize, keep: &dyn Fn(u8) -> bool| {
        let from = *at;
        while *at > 0 && from - *at < NEAR && keep(bytes[*at - 1]) {
            *at -= 1;
        }
    };
    back(&mut at, &blank);
    if at > 0 && bytes[at - 1] == b':' {
        at -= 1;
        let colon = at;
        back(&mut at, &|b: u8| b.is_ascii_alphabetic());
        if at == colon {
            return false;
        }
        back(&mut at, &blank);
    }
    at == 0 || bytes[at - 1] == b'\n'
}

/// How far the bytes around a code are looked at.
const NEAR: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_codes_and_http_names_are_generic_and_long_codes_are_not() {
        for code in ["CONFLICT", "BAD_REQUEST", "INTERNAL_SERVER_ERROR", "GONE"] {
            assert!(is_generic_code(code), "{code}");
        }
        for code in [
            "INVALID_SESSION_ID",
            "REQUEST_LIMIT_EXCEEDED",
            "LOGIN_ERROR_LOGINS_EXCEEDED",
        ] {
            assert!(!is_generic_code(code), "{code}");
        }
    }

    #[test]
    fn a_code_stands_alone_on_its_line_or_heading_its_message() {
        let text = "one\n  CONFLICT\nCONFLICT: x\nError: CONFLICT\nCONFLICT (content): y\nsee CONFLICT\nreset: stream: CONFLICT";
        let at = |n: usize| {
            text.match_indices("CONFLICT")
                .nth(n)
                .map(|(i, _)| i)
                .unwrap()
        };
        let alone: Vec<bool> = (0..6)
            .map(|n| stands_alone(text, at(n), at(n) + 8))
            .collect();
        assert_eq!(alone, [true, true, true, false, false, false]);
    }
}
