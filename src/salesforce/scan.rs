//! Many needles, one pass: where each of a set of lower-case needles first starts in a text, at
//! a position that follows a non-alphanumeric byte (so `protocol_version` is found inside
//! `tlsv1_alert_protocol_version`, and `ip` isn't found inside `ship`). Candidates are keyed by
//! their first three bytes, so the text is walked once whatever the number of needles.

use std::collections::HashMap;

/// The first start of each needle (in `needles` order), or `None`. Needles shorter than three
/// bytes are never found.
pub fn first_starts(lower: &str, needles: &[&str]) -> Vec<Option<usize>> {
    let mut by_key: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (i, needle) in needles.iter().enumerate() {
        if let Some(key) = needle.as_bytes().get(..3) {
            by_key.entry(key).or_default().push(i);
        }
    }
    let mut first = vec![None; needles.len()];
    let mut left = needles.len();
    let bytes = lower.as_bytes();
    for at in 0..bytes.len().saturating_sub(2) {
        if left == 0 {
            break;
        }
        if at > 0 && bytes[at - 1].is_ascii_alphanumeric() {
            continue;
        }
        let Some(candidates) = by_key.get(&bytes[at..at + 3]) else {
            continue;
        };
        for &i in candidates {
            if first[i].is_none() && bytes[at..].starts_with(needles[i].as_bytes()) {
                first[i] = Some(at);
                left -= 1;
            }
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_starts_after_a_boundary() {
        let text = "tlsv1_alert_protocol_version; ship it; protocol_version again";
        let found = first_starts(text, &["protocol_version", "hip", "ship", "nothing"]);
        assert_eq!(found, vec![Some(12), None, Some(30), None]);
    }
}
