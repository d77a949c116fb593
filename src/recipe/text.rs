//! Recipe files are shared between consultants, so their text is untrusted: a string that holds
//! a character able to drive a terminal (C0, DEL, C1: clipboard writes, window titles, screen
//! clears) or to disguise what it says (bidi controls, invisible format characters) is refused
//! when the file is read, wherever it sits, keys included. The text is still printed through
//! `terminal_safe`.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// `(where, what)` for every string or key of the document with such a character.
pub(crate) fn unsafe_text(table: &DeTable<'_>) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    walk_table(table, &mut found);
    found
}

fn walk_table(table: &DeTable<'_>, found: &mut Vec<(Range<usize>, String)>) {
    for (key, value) in table {
        check(key.get_ref(), key.span(), found);
        walk_value(value, found);
    }
}

fn walk_value(value: &Spanned<DeValue<'_>>, found: &mut Vec<(Range<usize>, String)>) {
    match value.get_ref() {
        DeValue::String(text) => check(text, value.span(), found),
        DeValue::Array(items) => items.iter().for_each(|item| walk_value(item, found)),
        DeValue::Table(table) => walk_table(table, found),
        _ => {}
    }
}

fn check(text: &str, span: Range<usize>, found: &mut Vec<(Range<usize>, String)>) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // A line break inside a multi-line string is text; a lone CR (which rewrites a line
        // on a terminal) and the other breaks are not.
        if c == '\n' || (c == '\r' && chars.peek() == Some(&'\n')) {
            continue;
        }
        if let Some(kind) = kind_of(c) {
            found.push((
                span,
                format!(
                    "the text holds U+{:04X}, {kind}; recipe text may hold only printable characters and line breaks (retype it)",
                    u32::from(c)
                ),
            ));
            return;
        }
    }
}

/// What makes a character unfit for recipe text, if anything.
fn kind_of(c: char) -> Option<&'static str> {
    match c {
        '\u{0}'..='\u{1F}' | '\u{7F}' => Some("a control character"),
        '\u{80}'..='\u{9F}' => Some("a C1 control character"),
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{061C}' => Some("a bidi control that reorders text"),
        '\u{2028}' | '\u{2029}' => Some("a line separator"),
        '\u{E0000}'..='\u{E007F}' | '\u{FFF9}'..='\u{FFFB}' | '\u{180E}' | '\u{034F}' => {
            Some("an invisible character")
        }
        c if crate::terminal_safe::is_unsafe(c) => Some("an invisible character"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        let doc = DeTable::parse(text).unwrap();
        unsafe_text(doc.get_ref())
            .into_iter()
            .map(|(_, m)| m)
            .collect()
    }

    #[test]
    fn controls_bidi_and_invisibles_are_found_anywhere() {
        assert!(found("a = \"plain text\"\nb = \"\"\"two\nlines\"\"\"\n").is_empty());
        for (text, says) in [
            ("a = \"\\u001b]52;c;eA==\\u0007\"", "U+001B"),
            ("a = [\"x\\u009b2J\"]", "C1"),
            ("[[s]]\nb = \"admin\\u202Euser\"", "bidi"),
            ("a = \"in\\u200Bvisible\"", "invisible"),
            ("\"k\\u200D\" = 1", "invisible"),
            ("a = \"over\\rwrite\"", "control"),
        ] {
            let got = found(text);
            assert_eq!(got.len(), 1, "{text}: {got:?}");
            assert!(got[0].contains(says), "{text}: {got:?}");
        }
    }
}
