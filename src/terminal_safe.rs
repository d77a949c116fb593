//! Text from Salesforce, a callback or a paste is untrusted: before it reaches a terminal, every
//! character that could drive the terminal (escape sequences that write the clipboard, retitle
//! the window or redraw a line) or disguise the text (bidi overrides, invisible format
//! characters) is replaced, and the length is capped. Applied where such text is parsed and
//! again where it is printed.

/// Longest untrusted text we print; real error descriptions are far shorter.
pub const MAX_CHARS: usize = 2_000;

/// `text` with control, bidi and format characters replaced by `\u{FFFD}`, newlines kept, and
/// at most `MAX_CHARS` characters.
pub fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_CHARS * 4));
    for (count, c) in text.chars().enumerate() {
        if count == MAX_CHARS {
            out.push('…');
            break;
        }
        out.push(if is_unsafe(c) { '\u{FFFD}' } else { c });
    }
    out
}

/// True when the text needs no change (the common case), so callers can avoid a copy.
pub fn is_terminal_safe(text: &str) -> bool {
    text.chars().count() <= MAX_CHARS && !text.chars().any(is_unsafe)
}

fn is_unsafe(c: char) -> bool {
    match c {
        '\n' => false,
        // C0 (ESC, BEL, CR, BS...), DEL and C1 (CSI U+009B, OSC U+009D...).
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => true,
        // Bidi embeddings, overrides and isolates; marks.
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{061C}' => true,
        // Zero-width and other invisible format characters.
        '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_disguises_are_replaced() {
        let osc52 = "ok\u{1b}]52;c;ZXZpbA==\u{7}";
        assert!(!terminal_safe(osc52).contains('\u{1b}'));
        assert!(!terminal_safe("a\rFAIL\u{1b}[2K ok").contains(['\r', '\u{1b}']));
        assert!(!terminal_safe("\u{9b}31m").contains('\u{9b}'));
        assert!(!terminal_safe("user\u{202e}moc.evil").contains('\u{202e}'));
        assert_eq!(terminal_safe("two\nlines"), "two\nlines");
        assert_eq!(terminal_safe("Grüße, 東京"), "Grüße, 東京");
        assert!(is_terminal_safe("plain"));
        assert!(!is_terminal_safe("\u{1b}[31m"));
    }

    #[test]
    fn length_is_capped() {
        let long = "x".repeat(MAX_CHARS * 3);
        assert_eq!(terminal_safe(&long).chars().count(), MAX_CHARS + 1);
    }
}
