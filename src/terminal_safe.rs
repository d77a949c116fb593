//! Text from Salesforce, a callback or a paste is untrusted: before it reaches a terminal, every
//! character that could drive the terminal (escape sequences that write the clipboard, retitle
//! the window or redraw a line) or disguise the text (bidi overrides, invisible format
//! characters) is replaced, and the length is capped. Applied where such text is parsed and
//! again where it is printed.
//!
//! Untrusted text is printed on one line: its line breaks (`\n`, `\r\n`, `\r`, vertical tab,
//! form feed, NEL, U+2028, U+2029) become [`LINE_BREAK`], so a description can't print a forged
//! `ok` line or "Connected as" under a real FAIL. `⏎` rather than ` / `: one cell wide, it
//! can't be mistaken for text Salesforce wrote (a URL or "and/or" has slashes), and it tells the
//! reader a break was there. Our own multi-line text that may quote untrusted text (an error's
//! chain) goes through [`terminal_safe_lines`], which indents every continuation under its label.

/// What a line break in untrusted text is printed as.
pub const LINE_BREAK: char = '⏎';

/// Longest untrusted text we print; real error descriptions are far shorter.
pub const MAX_CHARS: usize = 2_000;

/// `text` on one line: control, bidi and format characters replaced by `\u{FFFD}`, each line
/// break (`\r\n` counted once) by [`LINE_BREAK`], and at most `MAX_CHARS` characters.
pub fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_CHARS * 4));
    let mut after_cr = false;
    let mut count = 0;
    for c in text.chars() {
        let was_cr = std::mem::replace(&mut after_cr, c == '\r');
        if c == '\n' && was_cr {
            continue;
        }
        if count == MAX_CHARS {
            out.push('…');
            break;
        }
        count += 1;
        out.push(if is_line_break(c) {
            LINE_BREAK
        } else if is_unsafe(c) {
            '\u{FFFD}'
        } else {
            c
        });
    }
    out
}

/// `text` made safe line by line, each line after the first starting with `indent`: for our own
/// multi-line text (an error and its fix) that may quote untrusted text. Every line break
/// (`\r`, U+2028... included) starts a new, indented line; the whole is capped like
/// [`terminal_safe`].
pub fn terminal_safe_lines(text: &str, indent: &str) -> String {
    let capped = terminal_safe(text);
    let mut out = String::with_capacity(capped.len());
    for (i, line) in capped.split(LINE_BREAK).enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(indent);
        }
        out.push_str(line);
    }
    out
}

/// True when the text needs no change (the common case), so callers can avoid a copy.
pub fn is_terminal_safe(text: &str) -> bool {
    text.chars().count() <= MAX_CHARS && !text.chars().any(|c| is_unsafe(c) || is_line_break(c))
}

/// A character that ends a line in some terminal, editor or Unicode-aware viewer.
pub fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// A character that drives a terminal or disguises text: C0, DEL, C1, bidi controls and
/// invisible format characters.
pub fn is_unsafe(c: char) -> bool {
    match c {
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
        assert_eq!(terminal_safe("two\nlines"), "two⏎lines");
        assert_eq!(terminal_safe("Grüße, 東京"), "Grüße, 東京");
        assert!(is_terminal_safe("plain"));
        assert!(!is_terminal_safe("\u{1b}[31m"));
    }

    #[test]
    fn line_breaks_are_shown_not_followed() {
        let forged =
            "bad\r\n  ok   token  fine\rConnected\u{2028}x\u{2029}y\u{85}z\u{0b}w\u{0c}v\n";
        let one = terminal_safe(forged);
        assert_eq!(one, "bad⏎  ok   token  fine⏎Connected⏎x⏎y⏎z⏎w⏎v⏎");
        assert!(!one.chars().any(is_line_break));
        assert_eq!(terminal_safe(&one), one, "idempotent");
        assert!(!is_terminal_safe("a\nb"));
        assert_eq!(
            terminal_safe_lines("error: x\r\nfix: y\u{2028}z", "  "),
            "error: x\n  fix: y\n  z"
        );
        assert_eq!(terminal_safe_lines("one", "  "), "one");
    }

    #[test]
    fn length_is_capped() {
        let long = "x".repeat(MAX_CHARS * 3);
        assert_eq!(terminal_safe(&long).chars().count(), MAX_CHARS + 1);
    }
}
