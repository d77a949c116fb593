//! An HTTP status a paste reports without a Salesforce error body: a status line
//! (`HTTP/1.1 404 Not Found`), a library's sentence (`Request failed with status code 405`,
//! `resulted in a `400 Bad Request``), or an error page's title. Pure and linear.

/// The status and what names it (the reason phrase or the page's title), the first one found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub code: u16,
    pub reason: String,
}

/// Words a status number follows (lower case).
const BEFORE: &[&str] = &[
    "http/1.1 ",
    "http/1.0 ",
    "http/2 ",
    "status code ",
    "status code: ",
    "statuscode: ",
    "statuscode=",
    "\"status\":",
    "\"status\": ",
    "status: ",
    "http status ",
    "http error ",
    "http ",
    "resulted in a `",
    "response code ",
    "response code: ",
    "status=",
    "\"statuscode\":",
    "\"statuscode\": ",
    "status_code=",
    "status_code: ",
    "error code ",
    "responded with ",
    "[",
    "(",
];

/// Reason phrases a status number precedes.
const AFTER: &[&str] = &[
    " bad request",
    " unauthorized",
    " forbidden",
    " not found",
    " method not allowed",
    " only post allowed",
    " unsupported media type",
    " internal server error",
    " bad gateway",
    " service unavailable",
    " gateway timeout",
    " uri too long",
    " request-uri too long",
    " request header fields too large",
    " client error",
    " server error",
];

/// Pages, and client libraries' exception names, that stand for a status (lower case).
const PAGES: &[(&str, u16)] = &[
    ("no webpage was found for the web address", 404),
    ("url no longer exists", 404),
    ("unsupported media type", 415),
    // simple-salesforce's exceptions.py: one class per status the REST API documents.
    ("salesforcemalformedrequest", 400),
    ("salesforceexpiredsession", 401),
    ("salesforcerefusedrequest", 403),
    ("salesforceresourcenotfound", 404),
];

/// The first error status (400-599) the text reports.
pub fn status(text: &str) -> Option<Status> {
    let lower = text.to_ascii_lowercase();
    let after_prefix = BEFORE.iter().filter_map(|p| {
        lower.match_indices(p).take(16).find_map(|(i, _)| {
            let at = i + p.len();
            number_at(&lower, at)
                .filter(|_| closes(&lower, p, at))
                .map(|code| (at, code))
        })
    });
    let before_reason = AFTER.iter().filter_map(|r| {
        lower.match_indices(r).take(16).find_map(|(i, _)| {
            let at = i.checked_sub(3)?;
            let bounded = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
            number_at(&lower, at)
                .filter(|_| bounded)
                .map(|code| (at, code))
        })
    });
    // Browsers' and servers' own pages name the status without its number.
    let pages = PAGES
        .iter()
        .filter_map(|(phrase, code)| lower.find(phrase).map(|at| (at, *code)));
    let (at, code) = after_prefix.chain(before_reason).chain(pages).min()?;
    let reason = title(text).unwrap_or_else(|| line_from(text, at));
    Some(Status { code, reason })
}

/// A bare `[` or `(` counts only around the number alone: `[401]`, `(403)`, never `(port 443)`.
fn closes(lower: &str, prefix: &str, at: usize) -> bool {
    match prefix {
        "[" => lower.as_bytes().get(at + 3) == Some(&b']'),
        "(" => lower.as_bytes().get(at + 3) == Some(&b')'),
        _ => true,
    }
}

/// A three-digit error status at `at`, not part of a longer number.
fn number_at(lower: &str, at: usize) -> Option<u16> {
    let digits = lower.get(at..at + 3)?;
    if !digits.bytes().all(|b| b.is_ascii_digit())
        || lower.as_bytes().get(at + 3).is_some_and(u8::is_ascii_digit)
    {
        return None;
    }
    let code: u16 = digits.parse().ok()?;
    (400..600).contains(&code).then_some(code)
}

/// An HTML page's title.
fn title(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title>")? + "<title>".len();
    let len = lower[start..].find("</title>")?.min(200);
    let title = text.get(start..start + len)?.trim();
    (!title.is_empty()).then(|| title.to_string())
}

/// The rest of the line from `at`, at most 120 characters.
fn line_from(text: &str, at: usize) -> String {
    text.get(at..)
        .unwrap_or_default()
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(120)
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_sentences_and_pages() {
        let code = |text: &str| status(text).map(|s| s.code);
        assert_eq!(code("HTTP/1.1 404 Not Found"), Some(404));
        assert_eq!(
            code("AxiosError: Request failed with status code 401"),
            Some(401)
        );
        assert_eq!(code("405 Only POST allowed"), Some(405));
        assert_eq!(
            code(
                "Client error: `POST https://x/services/oauth2/token` resulted in a `400 Bad Request` response"
            ),
            Some(400)
        );
        let page = status("<html><head><title>Page Not Found</title></head><body>HTTP 404</body>");
        assert_eq!(
            page.map(|s| (s.code, s.reason)),
            Some((404, "Page Not Found".to_string()))
        );
        assert_eq!(
            code(
                "System.Net.WebException: The remote server returned an error: (401) Unauthorized."
            ),
            Some(401)
        );
        assert_eq!(
            code(
                "HTTPError: 400 Client Error: Bad Request for url: https://x/services/oauth2/token"
            ),
            Some(400)
        );
        assert_eq!(code("Salesforce responded with 403"), Some(403));
        // Numbers in sentences that aren't statuses.
        assert_eq!(code("the query returned 450 records"), None);
        assert_eq!(code("status 404 items synced"), None);
        assert_eq!(code("{\"statusCode\":401,\"body\":\"x\"}"), Some(401));
        assert_eq!(code("request failed [503]"), Some(503));
        assert_eq!(
            code("HTTPSConnectionPool(host='x', port=443): Max retries"),
            None
        );
        assert_eq!(code("(443 connections)"), None);
        assert_eq!(
            code("simple_salesforce.exceptions.SalesforceExpiredSession: Expired session for x"),
            Some(401)
        );
        assert_eq!(code("HTTP/1.1 200 OK"), None);
        assert_eq!(code("order 4040 not found"), None);
    }
}
