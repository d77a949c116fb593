//! Long text in a fixed area: wrapped (never cut), scrolled, and with a marker row that says
//! more is there and which keys reach it whenever it doesn't all fit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::ui::Theme;

/// The words every "there is more" marker starts with (tests look for them).
pub const MORE: &str = "▼ more";
pub const ABOVE: &str = "▲ end";

fn paragraph(lines: Vec<Line<'static>>) -> Paragraph<'static> {
    Paragraph::new(lines).wrap(Wrap { trim: false })
}

/// How far the pane can scroll: 0 when everything fits.
pub fn max_scroll(lines: &[Line<'static>], area: Rect) -> u16 {
    if area.height == 0 || area.width == 0 {
        return 0;
    }
    let total = paragraph(lines.to_vec()).line_count(area.width);
    let total = u16::try_from(total).unwrap_or(u16::MAX);
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
    if max == 0 {
        frame.render_widget(paragraph(lines), area);
        return;
    }
    let scroll = scroll.min(max);
    let text = Rect {
        height: area.height - 1,
        ..area
    };
    frame.render_widget(paragraph(lines).scroll((scroll, 0)), text);
    let marker = if scroll < max {
        format!("{MORE} ({} lines) · {keys}", max - scroll)
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
