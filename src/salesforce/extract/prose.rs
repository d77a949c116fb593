//! Codes and sentences in running text: `CODE: message`, `sf:CODE`, a bare code on a line, an
//! error page's sentence. The codes and sentences are those the diagnosis knows (`Known`).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::generic::{salesforce_shown, stands_alone};
use super::{Known, MAX_SIGNALS, MAX_VALUE, Signal, floor_boundary, is_word};
use crate::salesforce::scan;

/// Codes and descriptions in running text: `invalid_grant: authentication failure`,
/// `INVALID_SESSION_ID: Session expired or invalid`, `sf:INVALID_LOGIN`, or an error page's
/// sentence. Codes are read in one pass over the words of the text, whatever their number.
pub(super) fn prose(
    text: &str,
    known: &[Known],
    found: &mut Vec<(usize, Signal)>,
    covered: &mut Vec<Range<usize>>,
) {
    let lower = text.to_ascii_lowercase();
    let inside = |at: usize, covered: &[Range<usize>]| covered.iter().any(|r| r.contains(&at));
    // Codes by their lower case; where two differ only in case (`invalid_client` of OAuth,
    // `INVALID_CLIENT` of SOAP) the one written as in the text wins, else the first known that
    // may be read in any case.
    let mut codes: HashMap<String, Vec<(&'static str, bool)>> = HashMap::new();
    let generic: HashSet<&str> = known
        .iter()
        .filter(|k| k.generic)
        .map(|k| k.error)
        .collect();
    let is_generic = |code: &str| generic.contains(code);
    // Generic codes inside other text, kept until the paste is known to be Salesforce's.
    let mut pending: Vec<(usize, usize, &'static str)> = Vec::new();
    for k in known {
        let same = codes.entry(k.error.to_ascii_lowercase()).or_default();
        if !same.iter().any(|(c, _)| *c == k.error) {
            same.push((k.error, k.exact));
        }
    }
    let pick = |written: &str, same: &Vec<(&'static str, bool)>| -> Option<&'static str> {
        same.iter()
            .find(|(c, _)| *c == written)
            .or_else(|| same.iter().find(|(_, exact)| !exact))
            .map(|(c, _)| *c)
    };
    for (start, end) in words(&lower) {
        if found.len() >= MAX_SIGNALS {
            break;
        }
        // `access-denied`: a word, a hyphen and the next word.
        let joined = lower.as_bytes().get(end) == Some(&b'-')
            && lower.as_bytes().get(end + 1).is_some_and(|b| is_word(*b));
        let long_end = if joined {
            end + 1
                + lower[end + 1..]
                    .bytes()
                    .take(64)
                    .take_while(|b| is_word(*b))
                    .count()
        } else {
            end
        };
        let long = codes
            .get(&lower[start..long_end])
            .filter(|_| joined)
            .and_then(|same| pick(&text[start..long_end], same))
            .map(|code| (code, long_end));
        let short = || {
            codes
                .get(&lower[start..end])
                .and_then(|same| pick(&text[start..end], same))
                .map(|code| (code, end))
        };
        let Some((code, end)) = long.or_else(short) else {
            continue;
        };
        if inside(start, covered) {
            continue;
        }
        if is_generic(code) && !stands_alone(text, start, end) {
            if pending.len() < MAX_SIGNALS {
                pending.push((start, end, code));
            }
            continue;
        }
        let description = description_after(&text[end..]);
        found.push((
            start,
            Signal {
                error: code.to_string(),
                description,
            },
        ));
        covered.push(start..end);
    }
    // The longest first: where two start at the same place ("Failed: Signature Invalid" and
    // "Failed: Signature Invalid/Configured Certificate Mismatch"), the fuller one is meant.
    let mut phrases: Vec<&Known> = known.iter().filter(|k| k.description.len() >= 12).collect();
    phrases.sort_by_key(|k| std::cmp::Reverse(k.description.len()));
    let needles: Vec<String> = phrases
        .iter()
        .map(|k| k.description.to_ascii_lowercase())
        .collect();
    let needle_refs: Vec<&str> = needles.iter().map(String::as_str).collect();
    let starts = scan::first_starts(&lower, &needle_refs);
    let shown = salesforce_shown(&lower);
    // A distinctive Salesforce code found: upper case, as its lists write them, and not generic.
    let distinctive = |found: &[(usize, Signal)]| {
        found
            .iter()
            .any(|(_, s)| s.error.bytes().any(|b| b.is_ascii_uppercase()) && !is_generic(&s.error))
    };
    for ((k, needle), start) in phrases.iter().zip(&needles).zip(starts) {
        // Words other software prints too count where the paste shows Salesforce.
        if k.generic && !shown && !distinctive(found) {
            continue;
        }
        if let Some(start) = start
            && !inside(start, covered)
        {
            found.push((
                start,
                Signal {
                    error: k.error.to_string(),
                    description: k.description.to_string(),
                },
            ));
            covered.push(start..start + needle.len());
        }
    }
    // A generic code inside other text counts where the paste shows Salesforce: its words, or a
    // distinctive code of its own (upper case, as Salesforce's lists write them).
    if pending.is_empty() || !(shown || distinctive(found)) {
        return;
    }
    for (start, end, code) in pending {
        if found.len() >= MAX_SIGNALS || inside(start, covered) {
            continue;
        }
        found.push((
            start,
            Signal {
                error: code.to_string(),
                description: description_after(&text[end..]),
            },
        ));
        covered.push(start..end);
    }
}

/// The spans of the words of `text` that can be codes: runs of letters, digits and `_`, at
/// most 64 bytes long.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            while at < bytes.len() && !is_word(bytes[at]) {
                at += 1;
            }
            let start = at;
            while at < bytes.len() && is_word(bytes[at]) {
                at += 1;
            }
            if at > start && at - start <= 64 {
                return Some((start, at));
            }
        }
        None
    })
}

/// The text after a code, when it reads as its description (`: ...`, ` - ...`).
fn description_after(rest: &str) -> String {
    // Read no further than a description can be long, so each code costs the same.
    let rest = &rest[..floor_boundary(rest, rest.len().min(MAX_VALUE))];
    let trimmed = rest.trim_start_matches([' ', '\'', '"']);
    // `invalid_grant::authentication failure` (the Salesforce CLI) has two colons; a named
    // credential's failure says `Error: invalid_grant. Error description: ...`.
    let described = ". error description:";
    let Some(after) = trimmed
        .strip_prefix("::")
        .or_else(|| trimmed.strip_prefix(':'))
        .or_else(|| {
            trimmed
                .get(..described.len())
                .filter(|p| p.eq_ignore_ascii_case(described))
                .map(|_| &trimmed[described.len()..])
        })
        .or_else(|| trimmed.strip_prefix("- "))
        .or_else(|| trimmed.strip_prefix(','))
    else {
        return String::new();
    };
    let after = after.trim_start();
    // Ends at a line break, a quote or a bracket; an apostrophe inside a word ("hasn't") stays.
    let bytes = after.as_bytes();
    let end = (0..bytes.len())
        .find(|&i| match bytes[i] {
            b'\n' | b'"' | b'<' | b'(' | b'[' | b'}' => true,
            b'\'' => !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic),
            _ => false,
        })
        .unwrap_or(bytes.len());
    let line: String = after[..end].chars().take(200).collect();
    line.trim().trim_end_matches(['.', ',', ';']).to_string()
}
