//! What comes back from the browser: a redirect URL with a code or an error, typed or pasted
//! by hand, or the text of Salesforce's error page. Parsing is pure and never echoes a code.

use crate::secret::Secret;
use crate::terminal_safe::terminal_safe;

/// What a callback or a paste carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Returned {
    Code(Secret),
    /// `error` and `error_description`, from a redirect or an error page.
    Error {
        error: String,
        description: String,
    },
}

/// Why a paste can't be used; messages say what to paste instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasteError {
    #[error("Nothing pasted: paste the whole address the browser ended on, or the code in it")]
    Empty,
    #[error(
        "That address belongs to another login attempt (its state doesn't match); use the newest URL"
    )]
    WrongState,
    #[error(
        "That address has no code and no error in it; paste the whole address the browser ended on"
    )]
    NoCode,
    #[error("That doesn't look like a code, an address or a Salesforce error; paste it again")]
    Unrecognised,
    #[error(
        "That paste is {0} characters, far longer than an address with a code; copy the address bar alone and paste again"
    )]
    TooLong(usize),
    #[error(
        "An error arrived without this login's state, so it may come from any web page; it was ignored"
    )]
    ErrorWithoutState,
}

/// Reads query pairs (`a=b&c=d`) with percent-decoding.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

fn first<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Reads the parameters of a callback request. `state` must match, for codes and errors alike:
/// Salesforce sends it back with both, and without it any web page could end the login with an
/// error of its choosing (`<img src=http://localhost:7717/callback?error=...>`).
pub fn from_query(query: &str, expected_state: &Secret) -> Result<Returned, PasteError> {
    let pairs = query_pairs(query);
    let state_ok = first(&pairs, "state").is_some_and(|s| expected_state.matches(s));
    if let Some(error) = first(&pairs, "error") {
        match first(&pairs, "state") {
            None => return Err(PasteError::ErrorWithoutState),
            Some(_) if !state_ok => return Err(PasteError::WrongState),
            Some(_) => {}
        }
        let description = first(&pairs, "error_description").unwrap_or_default();
        return Ok(Returned::Error {
            error: terminal_safe(error),
            description: terminal_safe(description),
        });
    }
    let code = first(&pairs, "code")
        .filter(|c| !c.is_empty())
        .ok_or(PasteError::NoCode)?;
    if !state_ok {
        return Err(PasteError::WrongState);
    }
    Ok(Returned::Code(Secret::new(code)))
}

/// The longest paste read as an address or a code. Not a Salesforce limit: codes are about
/// 100 characters and a redirect with code and state a few hundred; anything this long is
/// something else pasted by mistake (a page, a log), said at once instead of sent.
pub const MAX_PASTE_CHARS: usize = 4096;

/// Whether `text` has the shape of what the paste box takes (an address with a code or an
/// error, a code, an error text), before the login's state is known: what the wizard checks
/// when Enter is pressed, so a wrong paste is said at once and stays in the box.
pub fn check_paste_shape(text: &str) -> Result<(), PasteError> {
    match from_paste(text, &Secret::new("")) {
        Ok(_) | Err(PasteError::WrongState | PasteError::ErrorWithoutState) => Ok(()),
        Err(other) => Err(other),
    }
}

/// Reads what an admin pasted: the full redirect URL (state checked), a bare code, or the
/// error text the browser showed.
pub fn from_paste(text: &str, expected_state: &Secret) -> Result<Returned, PasteError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(PasteError::Empty);
    }
    let chars = text.chars().count();
    if chars > MAX_PASTE_CHARS {
        return Err(PasteError::TooLong(chars));
    }
    if let Some((_, query)) = text.split_once('?')
        && text.contains("://")
    {
        let query = query.split('#').next().unwrap_or_default();
        // The admin pasted it: an error address without state (Salesforce's own error page) is
        // theirs to show us; the listener, open to any page, never accepts one.
        let pairs = query_pairs(query);
        if let (Some(error), None) = (first(&pairs, "error"), first(&pairs, "state")) {
            let description = first(&pairs, "error_description").unwrap_or_default();
            return Ok(Returned::Error {
                error: terminal_safe(error),
                description: terminal_safe(description),
            });
        }
        return from_query(query, expected_state);
    }
    if text.starts_with("error=") || text.contains("&error=") {
        let pairs = query_pairs(text);
        if let Some(error) = first(&pairs, "error") {
            let description = first(&pairs, "error_description").unwrap_or_default();
            return Ok(Returned::Error {
                error: terminal_safe(error),
                description: terminal_safe(description),
            });
        }
    }
    // The extractor already made what it keeps safe for a terminal.
    if let Some((error, description)) = known_error_in(text) {
        return Ok(Returned::Error { error, description });
    }
    if text.starts_with("code=") {
        let pairs = query_pairs(text);
        return match first(&pairs, "state") {
            Some(_) => from_query(text, expected_state),
            None => first(&pairs, "code")
                .map(|c| Returned::Code(Secret::new(c)))
                .ok_or(PasteError::NoCode),
        };
    }
    let looks_like_code = (16..=1024).contains(&text.len())
        && !text.contains(char::is_whitespace)
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "%=._-+/".contains(c));
    if looks_like_code {
        // Codes arrive URL-encoded in the address bar (`...%3D%3D`); decode before sending.
        let decoded = query_pairs(&format!("c={text}"))
            .pop()
            .map(|(_, v)| v)
            .unwrap_or_default();
        return Ok(Returned::Code(Secret::new(decoded)));
    }
    Err(PasteError::Unrecognised)
}

/// The first Salesforce error found in free text (an error page, a log line, a JSON body), with
/// its description.
fn known_error_in(text: &str) -> Option<(String, String)> {
    let known = crate::salesforce::diagnosis::known();
    crate::salesforce::extract::signals(text, &known)
        .into_iter()
        .next()
        .map(|s| (s.error, s.description))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> Secret {
        Secret::new("st4te")
    }

    #[test]
    fn redirect_urls_bare_codes_and_errors() {
        let url = "http://localhost:7717/callback?code=aPrx12%3D%3D&state=st4te";
        assert_eq!(
            from_paste(url, &state()),
            Ok(Returned::Code(Secret::new("aPrx12==")))
        );
        let other = "http://localhost:7717/callback?code=aPrx12&state=old";
        assert_eq!(from_paste(other, &state()), Err(PasteError::WrongState));
        assert_eq!(
            from_paste("aPrxAbCdEfGhIjKlMn%3D%3D", &state()),
            Ok(Returned::Code(Secret::new("aPrxAbCdEfGhIjKlMn==")))
        );
        let page = "error=invalid_client_id&error_description=client%20identifier%20invalid";
        assert_eq!(
            from_paste(page, &state()),
            Ok(Returned::Error {
                error: "invalid_client_id".into(),
                description: "client identifier invalid".into()
            })
        );
        let prose = "OAUTH_EC_APP_NOT_FOUND: External client app is not installed in this org";
        assert!(
            matches!(from_paste(prose, &state()), Ok(Returned::Error { error, .. }) if error == "OAUTH_EC_APP_NOT_FOUND")
        );
        assert_eq!(from_paste("  ", &state()), Err(PasteError::Empty));
        assert_eq!(
            from_paste("hello there", &state()),
            Err(PasteError::Unrecognised)
        );
        assert_eq!(
            from_paste("http://localhost:7717/callback?foo=1", &state()),
            Err(PasteError::NoCode)
        );
    }

    #[test]
    fn messages_never_echo_the_paste() {
        let errors = [
            PasteError::Empty,
            PasteError::WrongState,
            PasteError::NoCode,
            PasteError::Unrecognised,
            PasteError::ErrorWithoutState,
        ];
        for error in errors {
            assert!(!error.to_string().contains("aPrx"));
        }
    }
}
