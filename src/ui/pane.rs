//! Long text in a fixed area: wrapped (never cut), scrolled, and with a marker row that says
//! more is there and which keys reach it whenever it doesn't all fit. A wrapped line continues
//! under its own text, not at column 0; a line that is one URL is never wrapped, so it copies
//! whole.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::ui::Theme;

/// The words every "there is more" marker starts with (tests look for them).
pub const MORE: &str = "▼ more";
pub const ABOVE: &str = "▲ end";

/// The rows `lines` take at `width`, wrapped at spaces with continuation rows indented.
pub fn rows(lines: &[Line<'static>], width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width.max(1));
    let mut rows = Vec::new();
    for line in lines {
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        if text.chars().count() <= width || is_url_line(&text) {
            rows.push(line.clone());
            continue;
        }
        wrap_line(
            line,
            hanging_indent(line, &text).min(width / 2),
            width,
            &mut rows,
        );
    }
    rows
}

/// A line that is a URL alone (leading spaces allowed): drawn on one row, as it is.
fn is_url_line(text: &str) -> bool {
    let text = text.trim();
    !text.contains(' ') && text.contains("://")
}

/// Where continuation rows start: under the text after a short label ("Why  ", "  • ", the
/// leading spaces of an indented line).
fn hanging_indent(line: &Line<'static>, text: &str) -> usize {
    let leading = text.chars().take_while(|c| *c == ' ').count();
    let bullet = text[leading..]
        .strip_prefix("• ")
        .or_else(|| text[leading..].strip_prefix("! "))
        .map_or(0, |_| 2);
    let label = match line.spans.first() {
        Some(first) if line.spans.len() > 1 && first.content.ends_with(' ') => {
            first.content.chars().count()
        }
        _ => 0,
    };
    if label > 0 && label <= 8 {
        label
    } else {
        leading + bullet
    }
}

/// Splits one line's words (keeping each span's style) into rows of at most `width`.
fn wrap_line(line: &Line<'static>, indent: usize, width: usize, rows: &mut Vec<Line<'static>>) {
    let mut words: Vec<(String, Style)> = Vec::new();
    for span in &line.spans {
        let style = line.style.patch(span.style);
        let mut word = String::new();
        for c in span.content.chars() {
            word.push(c);
            if c == ' ' {
                words.push((std::mem::take(&mut word), style));
            }
        }
        if !word.is_empty() {
            words.push((word, style));
        }
    }
    let mut row: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (word, style) in words {
        let len = word.trim_end().chars().count();
        if used + len > width && used > indent {
            rows.push(Line::from(std::mem::take(&mut row)));
            row.push(Span::raw(" ".repeat(indent)));
            used = indent;
            if word.trim().is_empty() {
                continue;
            }
        }
        // A word longer than a row is cut into rows of its own.
        let mut rest = word.as_str();
        while used + rest.trim_end().chars().count() > width && used + 1 < width {
            let at = rest
                .char_indices()
                .nth(width - used)
                .map_or(rest.len(), |(i, _)| i);
            row.push(Span::styled(rest[..at].to_string(), style));
            rows.push(Line::from(std::mem::take(&mut row)));
            row.push(Span::raw(" ".repeat(indent)));
            used = indent;
            rest = &rest[at..];
        }
        used += rest.chars().count();
        row.push(Span::styled(rest.to_string(), style));
    }
    if !row.is_empty() {
        rows.push(Line::from(row));
    }
}

/// How far the pane can scroll: 0 when everything fits.
pub fn max_scroll(lines: &[Line<'static>], area: Rect) -> u16 {
    if area.height == 0 || area.width == 0 {
        return 0;
    }
    let total = u16::try_from(rows(lines, area.width).len()).unwrap_or(u16::MAX);
    if total <= area.height {
        0
    } else {
        // The marker takes the last row.
        total - (area.height - 1)
    }
}

/// Draws `lines` scrolled by `scroll` (clamped); `keys` names the keys that scroll.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    scroll: u16,
    keys: &str,
    theme: &Theme,
) {
    let max = max_scroll(&lines, area);
    let lines = rows(&lines, area.width);
    if max == 0 {
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let scroll = scroll.min(max);
    let text = Rect {
        height: area.height - 1,
        ..area
    };
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), text);
    let marker = if scroll < max {
        format!(
            "{MORE} ({}) · {keys}",
            crate::words::count(usize::from(max - scroll), "line")
        )
    } else {
        format!("{ABOVE} · {keys} to scroll back")
    };
    let row = Rect {
        y: area.y + area.height - 1,
        height: 1,
        ..area
    };
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(marker, theme.accent()))),
        row,
    );
}
