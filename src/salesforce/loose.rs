//! Errors told in a tool's own words, without Salesforce's code or sentence: "the refresh token
//! has expired", "redirect URI doesn't match", "API is disabled for this user". Each pattern is a
//! set of word groups that must all appear in one line; it stands for the Salesforce error it
//! paraphrases. Weak evidence: `explain` uses it only where nothing more telling is found.

use crate::salesforce::permissions::SYSTEM_PERMISSIONS;

/// The lines read are cut to this length, so a pattern costs the same on any line.
const MAX_LINE: usize = 2000;

/// At most this many lines are read (a paste is short; a hostile one is not read further).
const MAX_LINES: usize = 4096;

/// (word groups, each a list of alternatives; Salesforce code; description it stands for).
type Pattern = (
    &'static [&'static [&'static str]],
    &'static str,
    &'static str,
);

const PATTERNS: &[Pattern] = &[
    // Before the expired-token patterns: a refresh token that was never there.
    (
        &[
            &["refresh token", "refresh_token", "refreshtoken"],
            &[
                "missing",
                "no refresh",
                "not found",
                "not returned",
                "not provided",
                "not issued",
                "was not issued",
                "not available",
            ],
        ],
        "refresh_token_missing",
        "",
    ),
    // A tool holding no token at all: it was never connected, or its login was removed.
    (
        &[
            &[
                "no access token",
                "no token found",
                "access token not found",
                "not authenticated",
            ],
            &[
                "found",
                "authenticate",
                "authorize",
                "connect",
                "log in",
                "login",
            ],
        ],
        "no_stored_token",
        "",
    ),
    (
        &[
            &[
                "username-password",
                "username password",
                "password grant",
                "password flow",
                "grant_type=password",
            ],
            &[
                "blocked",
                "not allowed",
                "disabled",
                "doesn't allow",
                "does not allow",
                "not enabled",
            ],
        ],
        "password_flow_blocked",
        "",
    ),
    (
        &[
            &["connected app", "external client app", "client app"],
            &["not found", "doesn't exist", "does not exist"],
        ],
        "OAUTH_EC_APP_NOT_FOUND",
        "",
    ),
    (
        &[
            &["refresh token", "refresh_token"],
            &["expired", "revoked", "invalid"],
        ],
        "invalid_grant",
        "expired access/refresh token",
    ),
    (
        &[&["password"], &["expired", "has expired"]],
        "INVALID_OPERATION_WITH_EXPIRED_PASSWORD",
        "",
    ),
    (
        &[&[
            "locked out",
            "lockout",
            "account is locked",
            "user is locked",
        ]],
        "PASSWORD_LOCKOUT",
        "",
    ),
    (
        &[
            &["security token"],
            &["required", "missing", "invalid", "append"],
        ],
        "LOGIN_MUST_USE_SECURITY_TOKEN",
        "",
    ),
    (
        &[
            &["redirect", "callback"],
            &[
                "mismatch",
                "does not match",
                "doesn't match",
                "not match",
                "not valid",
                "invalid",
            ],
        ],
        "redirect_uri_mismatch",
        "",
    ),
    (
        &[
            &["client id", "client_id", "clientid", "consumer key"],
            &["invalid", "not found", "unknown", "incorrect"],
        ],
        "invalid_client_id",
        "",
    ),
    (
        &[
            &["client secret", "client_secret", "consumer secret"],
            &["invalid", "incorrect", "wrong", "mismatch"],
        ],
        "invalid_client",
        "",
    ),
    (
        &[
            &["scope"],
            &["not allowed", "invalid", "not permitted", "disallowed"],
        ],
        "invalid_scope",
        "",
    ),
    (
        &[&["api"], &["not enabled", "is disabled", "disabled for"]],
        "API_CURRENTLY_DISABLED",
        "",
    ),
    (
        &[&["ip"], &["restricted", "not allowed", "blocked"]],
        "invalid_grant",
        "ip restricted",
    ),
    (
        &[&[
            "hasn't approved",
            "has not approved",
            "not approved",
            "not pre-authorized",
        ]],
        "invalid_grant",
        "user hasn't approved this consumer",
    ),
    (
        &[
            &["session", "sesión", "sessão", "sitzung", "sessione"],
            &[
                "expired",
                "invalid",
                "timed out",
                "expirée",
                "expirada",
                "abgelaufen",
                "scaduta",
            ],
        ],
        "INVALID_SESSION_ID",
        "",
    ),
    (
        &[
            &["access token", "access_token", "bearer token"],
            &["expired", "invalid", "rejected"],
        ],
        "INVALID_SESSION_ID",
        "",
    ),
    (
        &[
            &["username", "user name", "credentials"],
            &["invalid", "incorrect", "wrong", "failed"],
        ],
        "login_failed",
        "",
    ),
    (
        &[
            &[
                "insufficient",
                "not have permission",
                "don't have permission",
                "lacks permission",
            ],
            &["access", "privileges", "permission"],
        ],
        "INSUFFICIENT_ACCESS",
        "",
    ),
    (
        &[
            &["app", "application"],
            &["not installed", "not found in this org"],
        ],
        "OAUTH_EC_APP_NOT_FOUND",
        "",
    ),
    (
        &[
            &["code challenge", "code_challenge", "pkce"],
            &["required", "missing"],
        ],
        "invalid_request",
        "missing required code challenge",
    ),
    (
        &[
            &["code verifier", "code_verifier"],
            &["invalid", "mismatch", "does not match"],
        ],
        "invalid_grant",
        "invalid code verifier",
    ),
    (
        &[&["audience", "aud"], &["invalid", "mismatch"]],
        "invalid_grant",
        "audience is invalid",
    ),
    // A tool's plea to connect again: its stored refresh token stopped working.
    (
        &[
            &["credential", "connection", "account", "token"],
            &[
                "can't be refreshed",
                "cannot be refreshed",
                "could not be refreshed",
                "failed to refresh",
                "unable to refresh",
                "reconnect",
                "re-authenticate",
                "reauthorize",
                "re-authorize",
            ],
        ],
        "invalid_grant",
        "expired access/refresh token",
    ),
    (
        &[
            &["client id", "client_id", "clientid", "consumer key"],
            &["missing", "not set", "is required", "empty", "undefined"],
        ],
        "client_id_missing",
        "",
    ),
    // An integration tool's word for a connection whose refresh token stopped working, also as
    // tools localised in French, Spanish, Portuguese, German and Italian say it.
    (
        &[
            &[
                "connection",
                "integration",
                "connexion",
                "conexión",
                "conexion",
                "conexão",
                "verbindung",
                "connessione",
            ],
            &[
                "expired",
                "revoked",
                "disconnected",
                "expirée",
                "expiré",
                "expirada",
                "expirado",
                "abgelaufen",
                "scaduta",
                "scaduto",
            ],
        ],
        "invalid_grant",
        "expired access/refresh token",
    ),
    (
        &[
            &[
                "instance url",
                "instance_url",
                "instanceurl",
                "instance endpoint",
                "instanceendpoint",
            ],
            &["missing", "required", "invalid", "not provided", "expected"],
        ],
        "instance_url_missing",
        "",
    ),
    (
        &[
            &["permission", "permissions", "privileges"],
            &["denied", "missing", "lacks", "required"],
        ],
        "INSUFFICIENT_ACCESS",
        "",
    ),
    // The vaguest words last: a failed sign-in, a bare 401 or 403 in a tool's message.
    (
        &[
            &[
                "authentication",
                "authenticate",
                "authorization",
                "login",
                "log in",
                "sign in",
            ],
            &["failed", "failure", "unsuccessful"],
        ],
        "login_failed",
        "",
    ),
    (
        &[&[
            "unable to authenticate",
            "could not authenticate",
            "couldn't authenticate",
            "cannot authenticate",
            "unable to log in",
            "could not log in",
            "couldn't log in",
            "cannot log in",
            "can't log in",
            "authentication error",
            "login error",
        ]],
        "login_failed",
        "",
    ),
    (&[&["frozen"], &["user", "account"]], "user_frozen", ""),
    (
        &[&["user", "account"], &["inactive", "deactivated"]],
        "user_inactive",
        "",
    ),
    (
        &[
            &[
                "verification code",
                "identity verification",
                "verify your identity",
                "two-factor",
                "multi-factor",
                "mfa",
            ],
            &["required", "needed", "invalid", "expired", "failed"],
        ],
        "LOGIN_CHALLENGE_ISSUED",
        "",
    ),
    (&[&["unauthorized", "unauthorised"]], "http_401", ""),
    (&[&["forbidden"]], "http_403", ""),
    (
        &[
            &[
                "rate limit",
                "too many requests",
                "request limit",
                "api limit",
                "api call limit",
                "api calls limit",
                "daily api",
            ],
            &["exceeded", "reached", "hit"],
        ],
        "REQUEST_LIMIT_EXCEEDED",
        "",
    ),
];

/// The Salesforce errors the text paraphrases, as (code, description), in the order found.
pub fn signals(text: &str) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = Vec::new();
    for line in text.lines().take(MAX_LINES) {
        let line = cut(line).to_ascii_lowercase();
        for (groups, code, description) in PATTERNS {
            let all = groups
                .iter()
                .all(|words| words.iter().any(|w| has_word(&line, w)));
            if all && !out.contains(&(code, description)) {
                out.push((code, description));
            }
        }
    }
    out
}

/// Words of a line that say the user needs a permission (lower case).
const NEEDS: &[&str] = &[
    "ensure",
    "need",
    "require",
    "missing",
    "lack",
    "must have",
    "doesn't have",
    "does not have",
    "without",
];

/// Longest name read from a message: a permission ("Modify All Data") or an event channel.
const MAX_NAME: usize = 60;

/// A permission a tool's message names in quotes as one the user needs ("ensure that the user
/// has the 'View All Data' permission"): the name, as written. Only lines that say the user
/// needs or lacks it count; each line costs one search per quote style.
pub fn named_permission(text: &str) -> Option<String> {
    let labels: Vec<(String, &str)> = SYSTEM_PERMISSIONS
        .iter()
        .map(|p| (p.label.to_ascii_lowercase(), p.label))
        .collect();
    for line in text.lines().take(MAX_LINES) {
        let line = cut(line);
        let lower = line.to_ascii_lowercase();
        if !NEEDS.iter().any(|w| lower.contains(w)) {
            continue;
        }
        for quote in ['\'', '"', '\u{2019}'] {
            let closing = format!("{quote} permission");
            let Some(end) = lower.find(&closing) else {
                continue;
            };
            let before = &line[..end];
            let opening = ['\'', '"', '\u{2018}']
                .iter()
                .filter_map(|q| before.rfind(*q))
                .max();
            let Some(start) = opening else {
                continue;
            };
            let name = before[start..]
                .trim_start_matches(['\'', '"', '\u{2018}'])
                .trim();
            let plain = name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '&' | '/'));
            if !name.is_empty() && name.len() <= MAX_NAME && plain {
                return Some(name.to_string());
            }
        }
        // Unquoted, a system permission is known by Setup's label ("lacks API Enabled
        // permission"): the longest label the line names.
        if lower.contains("permission")
            && let Some((_, label)) = labels
                .iter()
                .filter(|(l, _)| lower.contains(l.as_str()))
                .max_by_key(|(l, _)| l.len())
        {
            return Some((*label).to_string());
        }
    }
    None
}

/// The first segments of Salesforce's event channel names (`/event/X__e`, `/data/ChangeEvents`,
/// `/topic/X`, `/u/X`), lower case.
const CHANNEL_ROOTS: &[&str] = &["event", "data", "topic", "u"];

/// An event channel or topic the paste names without the leading slash every Salesforce channel
/// name starts with ("topic Data/Order_Event"): the name, as written. Each line is searched
/// once per word.
pub fn slashless_channel(text: &str) -> Option<String> {
    for line in text.lines().take(MAX_LINES) {
        let line = cut(line);
        let lower = line.to_ascii_lowercase();
        for word in ["topic ", "channel "] {
            let Some(at) = lower.find(word) else {
                continue;
            };
            let rest = &line[at + word.len()..];
            let name: String = rest
                .chars()
                .take(MAX_NAME)
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-'))
                .collect();
            let root = name
                .split('/')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            if name.contains('/') && CHANNEL_ROOTS.contains(&root.as_str()) {
                return Some(name);
            }
        }
    }
    None
}

/// A browser's words for an address that answered nothing (lower case).
const NO_ANSWER: &[&str] = &[
    "err_empty_response",
    "didn't send any data",
    "didn\u{2019}t send any data",
    "err_connection_refused",
    "refused to connect",
    "unable to connect",
];

/// Whether the paste shows the browser sent back to a loopback callback with a code, and
/// nothing there answering: the program waiting for the code is gone.
pub fn callback_unanswered(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let loopback = ["localhost:", "127.0.0.1:", "[::1]:"]
        .iter()
        .any(|h| lower.contains(h));
    let code = lower.contains("?code=") || lower.contains("&code=");
    loopback && code && NO_ANSWER.iter().any(|w| lower.contains(w))
}

/// Whether `word` occurs in `line` on word boundaries (so "ip" isn't read in "ship").
fn has_word(line: &str, word: &str) -> bool {
    let bytes = line.as_bytes();
    line.match_indices(word).take(64).any(|(at, _)| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(at + word.len()).copied();
        !before.is_some_and(|b| b.is_ascii_alphanumeric())
            && !after.is_some_and(|b| b.is_ascii_alphanumeric())
    })
}

fn cut(line: &str) -> &str {
    let mut end = line.len().min(MAX_LINE);
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    &line[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paraphrases_are_read_on_one_line() {
        assert_eq!(
            signals("Error: the refresh token has expired, please reconnect"),
            vec![("invalid_grant", "expired access/refresh token")]
        );
        assert_eq!(
            signals("redirect URI does not match the registered one")[0].0,
            "redirect_uri_mismatch"
        );
        // Words on different lines don't make a pattern; "ip" inside a word isn't "ip".
        assert!(signals("the refresh token\nhas expired").is_empty());
        assert!(signals("the shipment is restricted").is_empty());
    }
}
