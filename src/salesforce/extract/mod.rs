//! Finds Salesforce error signals in whatever an admin pasted: a JSON body after a log prefix or
//! a status line, an escaped or quoted JSON string, a Python or Ruby or Node rendering of the same
//! object, a form-encoded body, a redirect address inside a longer line, the text of an error page,
//! or a CLI message such as `invalid_grant: authentication failure`. Pure: no I/O.

use std::ops::Range;

use crate::terminal_safe::terminal_safe;

mod generic;
mod hints;
mod lead_in;
mod prose;
pub use generic::is_generic_code;
pub use hints::{Hints, HostHint, hints};

/// Pastes are read up to this size; the rest is ignored (and said so by the caller).
pub const MAX_PASTE: usize = 1 << 20;

/// Longest value read for one key; real codes and descriptions are far shorter.
const MAX_VALUE: usize = 600;

/// How far a description may sit from its code in the same object or query.
const NEAR: usize = 800;

/// Enough for any real paste; bounds the work on hostile ones.
const MAX_PAIRS: usize = 512;
const MAX_SIGNALS: usize = 64;

/// How far an audience is read: longer than any host name.
pub(crate) const MAX_HOST: usize = 300;

/// How far an address may reach around an `error=`.
const MAX_RUN: usize = 4096;

/// One error Salesforce reported, as found in the paste.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signal {
    /// `invalid_grant`, `INVALID_SESSION_ID`, `OAUTH_EC_APP_NOT_FOUND`...
    pub error: String,
    /// The description or message that came with it, possibly empty.
    pub description: String,
}

/// Text the rule table knows outright: a code or phrase and the signal it stands for.
#[derive(Debug, Clone, Copy)]
pub struct Known {
    pub error: &'static str,
    /// A description that identifies the error even without its code (may be empty).
    pub description: &'static str,
    /// The code is read in running text only as written: a listed code such as `MODIFIED` is
    /// also an everyday word in lower case.
    pub exact: bool,
    /// A listed code that is also other systems' everyday word (`CONFLICT`): read in running
    /// text only where it stands as the error or the paste shows Salesforce.
    pub generic: bool,
}

/// Every signal in `text`, in the order they appear, without repeats. `known` lists the codes
/// and descriptions the diagnosis table has rules for, so prose can be read too.
pub fn signals(text: &str, known: &[Known]) -> Vec<Signal> {
    let text = unescape(cap(text));
    let mut found: Vec<(usize, Signal)> = Vec::new();
    let mut covered: Vec<Range<usize>> = Vec::new();

    let pairs = key_values(&text);
    pair_up(
        &pairs,
        "error",
        &["error_description"],
        &mut found,
        &mut covered,
    );
    pair_up(&pairs, "errorcode", &["message"], &mut found, &mut covered);
    pair_up(
        &pairs,
        "exceptioncode",
        &["exceptionmessage", "message"],
        &mut found,
        &mut covered,
    );
    form_encoded(&text, &mut found, &mut covered);
    prose::prose(&text, known, &mut found, &mut covered);
    lead_in::without_cli_lead_in(&text, &mut found);

    found.sort_by_key(|(at, _)| *at);
    let signals: Vec<Signal> = found.into_iter().map(|(_, s)| s).collect();
    // A bare code is dropped when the same code also came with its description; a code spelt
    // in words ("INVALID SESSION ID") is as bare as the code itself.
    let bare =
        |s: &Signal| s.description.is_empty() || lead_in::spells_code(&s.error, &s.description);
    let described = |s: &Signal| {
        signals
            .iter()
            .any(|o| o.error.eq_ignore_ascii_case(&s.error) && !bare(o))
    };
    let mut out: Vec<Signal> = Vec::new();
    for signal in &signals {
        if bare(signal) && described(signal) {
            continue;
        }
        let same = |s: &Signal| {
            s.error.eq_ignore_ascii_case(&signal.error)
                && s.description.eq_ignore_ascii_case(&signal.description)
        };
        if !out.iter().any(same) {
            // A paste is untrusted text: what we keep of it is made safe for a terminal.
            out.push(Signal {
                error: terminal_safe(&signal.error),
                description: terminal_safe(&signal.description),
            });
        }
    }
    out
}

/// The nearest char boundary at or below `at`.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The paste without terminal colour and control sequences (a coloured log line, `jq -C`): a
/// CSI sequence (ESC `[` parameters, then a final byte from `@` to `~`) and an OSC one (ESC `]`
/// up to BEL or ESC `\`) are dropped, so an escape inside `error=...` doesn't hide the code.
/// Linear: each byte is looked at once.
pub fn without_escapes(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\u{1b}') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('[') => {
                chars.next();
                for next in chars.by_ref() {
                    if ('@'..='~').contains(&next) {
                        break;
                    }
                }
            }
            Some(']') => {
                chars.next();
                while let Some(next) = chars.next() {
                    if next == '\u{7}' || (next == '\u{1b}' && chars.peek() == Some(&'\\')) {
                        if next == '\u{1b}' {
                            chars.next();
                        }
                        break;
                    }
                }
            }
            // A lone ESC: dropped too (it never carries an error's words).
            _ => {}
        }
    }
    std::borrow::Cow::Owned(out)
}

pub(crate) fn cap(text: &str) -> &str {
    if text.len() <= MAX_PASTE {
        return text;
    }
    let mut end = MAX_PASTE;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Undoes the wrappers that hide quotes: JSON inside a JSON string (`\"`, `\\\"`), HTML entities,
/// and `\/`. Linear: each run of backslashes is counted once and then left behind, whatever
/// follows it (a megabyte of backslashes is one step).
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\\' {
            let slashes = rest.bytes().take_while(|b| *b == b'\\').count();
            match rest.as_bytes().get(slashes) {
                Some(b'"') => out.push('"'),
                Some(b'/') => out.push('/'),
                // Not an escape: the run stays as it was.
                _ => {
                    out.push_str(&rest[..slashes]);
                    rest = &rest[slashes..];
                    continue;
                }
            }
            rest = &rest[slashes + 1..];
            continue;
        } else if c == '&' {
            let entity = [
                ("&quot;", '"'),
                ("&#34;", '"'),
                ("&#39;", '\''),
                ("&#x27;", '\''),
            ]
            .into_iter()
            .chain([("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>')])
            .find(|(e, _)| rest.starts_with(e));
            if let Some((entity, ch)) = entity {
                out.push(ch);
                rest = &rest[entity.len()..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A `key: "value"` pair found anywhere: JSON, a Python or Node object (`'key': 'v'`,
/// `key: 'v'`), a Ruby hash (`"key"=>"v"`). Keys are lower-cased.
struct Pair {
    key: String,
    value: String,
    span: Range<usize>,
}

/// Longest first, so `error_description` isn't read as `error`. Java and SOAP faults say
/// `exceptionCode` / `exceptionMessage`; Python 2 dicts prefix every string with `u`.
const KEYS: &[&str] = &[
    "error_description",
    "exceptionmessage",
    "exceptioncode",
    "errorcode",
    "error",
    "message",
];

/// Every key starts with one of these; each is searched for once per occurrence.
const KEY_STARTS: [&str; 3] = ["error", "message", "exception"];

fn key_values(text: &str) -> Vec<Pair> {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut pairs = Vec::new();
    let mut from = 0;
    let mut next: [Option<usize>; 3] = KEY_STARTS.map(|k| lower.find(k));
    while pairs.len() < MAX_PAIRS {
        for (slot, word) in next.iter_mut().zip(KEY_STARTS) {
            if slot.is_some_and(|at| at < from) {
                *slot = lower[from..].find(word).map(|i| from + i);
            }
        }
        let Some(start) = next.iter().flatten().min().copied() else {
            break;
        };
        from = start + 1;
        let Some(key) = KEYS.iter().find(|k| lower[start..].starts_with(**k)) else {
            continue;
        };
        if start > 0 && is_word(bytes[start - 1]) {
            continue;
        }
        let mut at = start + key.len();
        if bytes.get(at).is_some_and(|b| is_word(*b)) {
            continue;
        }
        // A closing quote around the key, then `:`, `=>` or ` = `, then a quoted value.
        if matches!(bytes.get(at), Some(b'"' | b'\'')) {
            at += 1;
        }
        at = skip_spaces(bytes, at);
        let mut equals = false;
        if bytes[at..].starts_with(b"=>") {
            at += 2;
        } else if matches!(bytes.get(at), Some(b':')) {
            at += 1;
        } else if matches!(bytes.get(at), Some(b'=')) {
            at += 1;
            equals = true;
        } else {
            continue;
        }
        at = skip_spaces(bytes, at);
        // Python 2 writes u'...'.
        if matches!(bytes.get(at), Some(b'u' | b'b'))
            && matches!(bytes.get(at + 1), Some(b'\'' | b'"'))
        {
            at += 1;
        }
        let Some(&quote) = bytes.get(at).filter(|b| matches!(b, b'"' | b'\'')) else {
            // `errorCode=INVALID_LOGIN` unquoted (Java and log lines): a code with an underscore only.
            let len = bytes[at..]
                .iter()
                .take(64)
                .take_while(|b| is_word(**b))
                .count();
            let value = &text[at..at + len];
            let code_key = matches!(*key, "error" | "errorcode" | "exceptioncode");
            if equals && code_key && value.contains('_') && is_code(value) {
                pairs.push(Pair {
                    key: (*key).to_string(),
                    value: value.to_string(),
                    span: start..at + len,
                });
                from = at + len;
            }
            continue;
        };
        let body = at + 1;
        let Some(len) = text[body..]
            .bytes()
            .take(MAX_VALUE)
            .position(|b| b == quote || b == b'\n')
        else {
            continue;
        };
        pairs.push(Pair {
            key: (*key).to_string(),
            value: text[body..body + len].trim().to_string(),
            span: start..body + len,
        });
        from = body + len;
    }
    pairs
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn skip_spaces(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| *b == b' ' || *b == b'\t') {
        at += 1;
    }
    at.min(bytes.len())
}

fn is_code(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 64
        && value.starts_with(|c: char| c.is_ascii_alphabetic())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Matches each `code_key` pair with the nearest `text_key` pair of the same object: between the
/// previous and the next code, within `NEAR` bytes. Pairs are in text order.
fn pair_up(
    pairs: &[Pair],
    code_key: &str,
    text_keys: &[&str],
    found: &mut Vec<(usize, Signal)>,
    covered: &mut Vec<Range<usize>>,
) {
    let is_code_pair = |p: &Pair| p.key == code_key && is_code(&p.value);
    for (i, code) in pairs.iter().enumerate().filter(|(_, p)| is_code_pair(p)) {
        let at = code.span.start;
        let after = pairs[i + 1..]
            .iter()
            .take_while(|p| p.span.start <= at + NEAR && !is_code_pair(p));
        let before = pairs[..i]
            .iter()
            .rev()
            .take_while(|p| p.span.start + NEAR >= at && !is_code_pair(p));
        let description = after
            .chain(before)
            .filter(|p| text_keys.contains(&p.key.as_str()))
            .min_by_key(|p| p.span.start.abs_diff(at));
        let mut span = code.span.clone();
        if let Some(d) = description {
            span = span.start.min(d.span.start)..span.end.max(d.span.end);
        }
        found.push((
            span.start,
            Signal {
                error: code.value.clone(),
                description: description.map(|d| d.value.clone()).unwrap_or_default(),
            },
        ));
        covered.push(span);
    }
}

/// `error=...&error_description=...`, alone or inside a redirect address.
fn form_encoded(text: &str, found: &mut Vec<(usize, Signal)>, covered: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let mut from = 0;
    while found.len() < MAX_SIGNALS
        && let Some(offset) = text[from..].find("error=")
    {
        let start = from + offset;
        from = start + 6;
        if start > 0
            && !matches!(
                bytes[start - 1],
                b'?' | b'&'
                    | b'#'
                    | b' '
                    | b'\n'
                    | b'\t'
                    | b'"'
                    | b'\''
                    | b'('
                    | b'>'
                    | b';'
                    | b'='
            )
        {
            continue;
        }
        // The query runs to the first character that can't be in an address.
        let window = floor_boundary(text, start.saturating_sub(MAX_RUN));
        let run_start = text[window..start]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace() || "\"'<>()?#".contains(*c))
            .map_or(window, |(i, c)| window + i + c.len_utf8());
        let limit = floor_boundary(text, (start + MAX_RUN).min(text.len()));
        let run_end = text[start..limit]
            .find(|c: char| c.is_whitespace() || "\"'<>()#".contains(c))
            .map_or(limit, |i| start + i);
        let run = &text[run_start..run_end];
        let mut error = None;
        let mut description = String::new();
        for (key, value) in url::form_urlencoded::parse(run.as_bytes()) {
            match key.as_ref() {
                "error" if error.is_none() => error = Some(value.into_owned()),
                "error_description" if description.is_empty() => description = value.into_owned(),
                _ => {}
            }
        }
        // A description pasted as the page showed it, with its spaces, runs to the line's end.
        if let Some(at) = text[start..run_end].find("error_description=") {
            let from = start + at + "error_description=".len();
            let limit = floor_boundary(text, (from + MAX_VALUE).min(text.len()));
            let end = text[from..limit]
                .find(['&', '\n', '"', '<', '>'])
                .map_or(limit, |i| from + i);
            // Only an unencoded description (no `+` or `%20` in it) goes past the address.
            let encoded = text[from..run_end.max(from)].contains(['+', '%']);
            if end > run_end && from <= run_end && !encoded {
                let raw = format!("d={}", text[from..end].trim_end());
                if let Some((_, value)) = url::form_urlencoded::parse(raw.as_bytes()).next() {
                    description = value.into_owned();
                }
            }
        }
        if let Some(error) = error.filter(|e| is_code(e)) {
            found.push((start, Signal { error, description }));
            covered.push(run_start..run_end);
        }
        from = run_end.max(from);
    }
}
