//! One input: a box titled with its label holding the (masked) value, with the error or help
//! wrapped below it; or, when rows are short, one line. Callback URLs show one per line, the
//! wizard's loopback ones marked as removable once the check passed.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::recipe::Validator;
use crate::salesforce::callback::is_wizard_callback;
use crate::ui::Theme;
use crate::wizard::{FieldInput, Form};

/// At most this many URLs show at once in the callback box (the cursor's line always shows).
const MAX_URL_ROWS: u16 = 6;
/// How a loopback callback is marked: the wizard registered it for its own check (the field's
/// help says it can go once the check passed).
const LOOPBACK_MARK: &str = "  ← wizard's check";
/// At most this many rows of help or error under a field.
const MAX_MESSAGE_ROWS: u16 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldLook {
    /// A bordered box of `content` rows and `message` rows of help or error below.
    Full {
        content: u16,
        message: u16,
        focused: bool,
    },
    /// `Label: value` on one row.
    Line { focused: bool },
}

impl FieldLook {
    pub fn height(&self) -> u16 {
        match self {
            FieldLook::Full {
                content, message, ..
            } => 2 + content + message,
            FieldLook::Line { .. } => 1,
        }
    }
}

/// How each of the model's inputs is drawn in `width` columns and about `budget` rows: whole
/// boxes when they fit, else the focused one whole and the others on one line each.
pub fn looks(form: &Form, width: u16, budget: u16) -> Vec<FieldLook> {
    let full: Vec<FieldLook> = form
        .inputs
        .iter()
        .enumerate()
        .map(|(i, input)| full_look(input, width, i == form.focus))
        .collect();
    if full.iter().map(FieldLook::height).sum::<u16>() <= budget {
        return full;
    }
    full.into_iter()
        .enumerate()
        .map(|(i, look)| {
            if i == form.focus {
                look
            } else {
                FieldLook::Line { focused: false }
            }
        })
        .collect()
}

pub fn full_look(input: &FieldInput, width: u16, focused: bool) -> FieldLook {
    let content = if input.validator == Some(Validator::CallbackUrls) {
        (url_lines(input.value()).len() as u16).clamp(1, MAX_URL_ROWS)
    } else {
        1
    };
    let message = Paragraph::new(message_line(input, &Theme::new(false)))
        .wrap(Wrap { trim: false })
        .line_count(width.max(1)) as u16;
    FieldLook::Full {
        content,
        message: message.clamp(1, MAX_MESSAGE_ROWS),
        focused,
    }
}

fn url_lines(value: &str) -> Vec<&str> {
    value.split(' ').collect()
}

fn message_line(input: &FieldInput, theme: &Theme) -> Line<'static> {
    match &input.error {
        Some(error) => Line::styled(format!(" ✗ {error}"), theme.bad()),
        None => Line::styled(format!(" {}", input.help), theme.dim()),
    }
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    input: &FieldInput,
    look: FieldLook,
    reveal: bool,
    theme: &Theme,
) {
    match look {
        FieldLook::Line { focused } => one_line(frame, area, input, focused, reveal, theme),
        FieldLook::Full {
            content, focused, ..
        } => boxed(frame, area, input, content, focused, reveal, theme),
    }
}

fn one_line(
    frame: &mut Frame,
    area: Rect,
    input: &FieldInput,
    focused: bool,
    reveal: bool,
    theme: &Theme,
) {
    let (mark, style) = match (&input.error, focused) {
        (Some(_), _) => ("✗ ", theme.bad()),
        (None, true) => ("▶ ", theme.accent()),
        (None, false) => ("  ", theme.dim()),
    };
    let value = input.shown(reveal).replace(' ', ", ");
    let room = (area.width as usize).saturating_sub(input.label.chars().count() + 4);
    let shown: String = if value.chars().count() > room {
        let kept: String = value.chars().take(room.saturating_sub(1)).collect();
        format!("{kept}…")
    } else {
        value
    };
    frame.render_widget(
        Line::from(vec![
            Span::styled(mark, style),
            Span::styled(format!("{}: ", input.label), theme.dim()),
            Span::raw(shown),
        ]),
        area,
    );
}

fn boxed(
    frame: &mut Frame,
    area: Rect,
    input: &FieldInput,
    content: u16,
    focused: bool,
    reveal: bool,
    theme: &Theme,
) {
    if area.height < 3 {
        return one_line(frame, area, input, focused, reveal, theme);
    }
    let box_height = (content + 2).min(area.height);
    let box_area = Rect {
        height: box_height,
        ..area
    };
    let message_area = Rect {
        y: area.y + box_height,
        height: area.height - box_height,
        ..area
    };
    let border = if input.error.is_some() {
        theme.bad()
    } else if focused {
        theme.focused_border()
    } else {
        theme.dim()
    };
    let block = |title: String| Block::bordered().title(title).border_style(border);
    let inner_width = box_area.width.saturating_sub(2) as usize;
    let rows = box_height.saturating_sub(2);
    if input.validator == Some(Validator::CallbackUrls) {
        callback_box(frame, box_area, &block, input, rows, focused, theme);
    } else {
        let scroll = input.input.visual_scroll(inner_width.saturating_sub(1));
        let shown: String = input.shown(reveal).chars().skip(scroll).collect();
        let title = format!(" {} ", input.label);
        frame.render_widget(Paragraph::new(shown).block(block(title)), box_area);
        // A choice is picked with ←→, not typed: no cursor.
        if focused && input.choice.is_none() {
            let x = box_area.x + 1 + (input.input.visual_cursor().saturating_sub(scroll)) as u16;
            frame.set_cursor_position(Position::new(
                x.min(box_area.right().saturating_sub(2)),
                box_area.y + 1,
            ));
        }
    }
    frame.render_widget(
        Paragraph::new(message_line(input, theme)).wrap(Wrap { trim: false }),
        message_area,
    );
}

/// One URL per row; a space typed in the field starts the next URL.
fn callback_box(
    frame: &mut Frame,
    area: Rect,
    block: &dyn Fn(String) -> Block<'static>,
    input: &FieldInput,
    rows: u16,
    focused: bool,
    theme: &Theme,
) {
    let value = input.value();
    let urls = url_lines(value);
    let inner = area.width.saturating_sub(2) as usize;
    let cursor = input.input.cursor();
    let before: String = value.chars().take(cursor).collect();
    let cursor_row = before.matches(' ').count();
    let cursor_col = before.rsplit(' ').next().map_or(0, |s| s.chars().count());
    let first = (cursor_row + 1).saturating_sub(rows as usize);
    let hidden_below = urls.len().saturating_sub(first + rows as usize);
    let lines: Vec<Line> = urls
        .iter()
        .skip(first)
        .take(rows as usize)
        .map(|url| {
            let mut spans = vec![Span::raw(url.to_string())];
            let room = inner.saturating_sub(url.chars().count());
            // No mark rather than a cut one.
            if is_wizard_callback(url) && LOOPBACK_MARK.chars().count() <= room {
                spans.push(Span::styled(LOOPBACK_MARK, theme.dim()));
            }
            Line::from(spans)
        })
        .collect();
    // Rows that don't fit are counted in the title, so none is hidden silently.
    let title = if first > 0 || hidden_below > 0 {
        format!(
            " {} ({} URLs, {} not shown) ",
            input.label,
            urls.len(),
            first + hidden_below
        )
    } else if input.label.contains("one per line") {
        format!(" {} ", input.label)
    } else {
        format!(" {} (one per line) ", input.label)
    };
    frame.render_widget(Paragraph::new(lines).block(block(title)), area);
    if focused {
        let x = area.x + 1 + cursor_col as u16;
        let y = area.y + 1 + (cursor_row - first) as u16;
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(2)), y));
    }
}
