//! Words around an error that aren't the error: a client's lead-in before Salesforce's reason,
//! a code spelt out in words.

use super::Signal;

/// Whether `description` is only `code` written with spaces (`invalid session id`).
pub(super) fn spells_code(code: &str, description: &str) -> bool {
    code.len() == description.len()
        && code
            .bytes()
            .zip(description.bytes())
            .all(|(c, d)| c.eq_ignore_ascii_case(&d) || (c == b'_' && d == b' '))
}

/// sfdx-core (the Salesforce CLI's library) words every failed web, JWT or refresh login as
/// "Invalid client credentials. Verify the OAuth client secret and ID. Error authenticating with
/// auth code due to: REASON" (its AuthCodeExchangeError, JWTAuthError, RefreshTokenAuthError
/// messages; the CLI guide's "Resolve Common Authorization Errors"). The lead-in is the CLI's own
/// whatever Salesforce said, so where the reason holds an error, the lead-in's `invalid_client`
/// is dropped and the reason stands for the failure.
const CLI_DUE_TO: [&str; 3] = [
    "authenticating with auth code due to:",
    "authenticating with jwt config due to:",
    "authenticating with the refresh token due to:",
];

/// How far before "due to" the CLI's lead-in can start.
const LEAD_IN: usize = 160;

pub(super) fn without_cli_lead_in(text: &str, found: &mut Vec<(usize, Signal)>) {
    let lower = text.to_ascii_lowercase();
    for marker in CLI_DUE_TO {
        let Some(at) = lower.find(marker) else {
            continue;
        };
        let reason = at + marker.len();
        let from = at.saturating_sub(LEAD_IN);
        if found.iter().any(|(start, _)| *start >= reason) {
            found.retain(|(start, s)| {
                !(*start >= from
                    && *start < reason
                    && s.error.eq_ignore_ascii_case("invalid_client"))
            });
        }
    }
}
