//! What every screen has: the title bar, the footer of keys that work here, and overlays.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::salesforce::Flow;
use crate::ui::Theme;
use crate::wizard::keys::{self, KeyHelp};
use crate::wizard::{Dialog, FieldInput, Model, Screen, StepMark};

/// The title bar: the recipe's title shortened with "…" so the step count always shows.
pub fn title(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut spans = vec![Span::styled(" eca-wizard ", theme.title())];
    let mut used = 12;
    if model.demo.is_some() {
        spans.push(Span::styled("[demo] ", theme.warn()));
        used += 7;
    }
    if let Some(setup) = &model.setup {
        let done = setup
            .marks
            .iter()
            .filter(|m| matches!(m, StepMark::Done | StepMark::Applied))
            .count();
        let count = format!("  {done}/{} steps", setup.marks.len());
        let room = (area.width as usize).saturating_sub(used + count.chars().count());
        let title = &setup.recipe.title;
        let shown = if title.chars().count() > room {
            let kept: String = title.chars().take(room.saturating_sub(1)).collect();
            format!("{}…", kept.trim_end())
        } else {
            title.clone()
        };
        spans.push(Span::raw(shown));
        spans.push(Span::styled(count, theme.dim()));
    }
    frame.render_widget(Line::from(spans), area);
}

/// A toast wraps to at most this many rows.
const MAX_TOAST_ROWS: u16 = 3;

fn toast_paragraph(toast: &str, theme: &Theme) -> Paragraph<'static> {
    Paragraph::new(Line::from(vec![
        Span::styled(" ● ", theme.accent()),
        Span::raw(toast.to_string()),
    ]))
    .wrap(Wrap { trim: true })
}

/// One row of keys, or as many as the toast needs to show whole (up to three).
pub fn footer_height(model: &Model, width: u16) -> u16 {
    match &model.toast.text {
        Some(toast) => (toast_paragraph(toast, &Theme::new(false)).line_count(width.max(1)) as u16)
            .clamp(1, MAX_TOAST_ROWS),
        None => 1,
    }
}

/// The footer shows a toast in place of the keys while it lasts, so it never covers content.
/// Keys that don't fit are dropped from the least useful end; help and quit always stay.
pub fn footer(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    if let Some(toast) = &model.toast.text {
        frame.render_widget(toast_paragraph(toast, theme), area);
        return;
    }
    let keys = keys::for_footer(model);
    let width = |k: &KeyHelp| k.label.chars().count() + k.short.chars().count() + 3;
    let mut room = area.width as usize;
    room = room.saturating_sub(keys.iter().filter(|k| k.keep).map(width).sum::<usize>());
    let mut shown = Vec::new();
    for key in &keys {
        if key.keep {
            shown.push(key);
        } else if width(key) <= room {
            room -= width(key);
            shown.push(key);
        } else {
            // Once one doesn't fit, the rest (less useful) are left to the help.
            room = 0;
        }
    }
    let mut spans = Vec::new();
    for key in shown {
        spans.push(Span::styled(format!(" {}", key.label), theme.key()));
        spans.push(Span::styled(format!(" {} ", key.short), theme.dim()));
    }
    frame.render_widget(Line::from(spans), area);
}

pub fn overlays(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    match &model.dialog {
        Some(Dialog::Help) => dialog(frame, area, theme, " Help ", &help_lines(model, theme), 76),
        Some(Dialog::ConfirmQuit) => {
            let mut lines = vec![Line::from("Quit eca-wizard?"), Line::from("")];
            if model.keeps_progress() {
                lines.push(Line::from(
                    "Your progress is saved and offered when you start again.",
                ));
                lines.push(Line::from("Secrets are never saved: you paste them again."));
            } else {
                lines.push(Line::from(
                    "The demo keeps nothing: a new demo starts afresh.",
                ));
            }
            lines.push(Line::from(""));
            if model.applying.running() {
                lines.push(Line::styled(
                    "Apply is running: quitting lets it finish first.",
                    theme.warn(),
                ));
                lines.push(Line::from(""));
            }
            lines.extend([Line::from(vec![
                Span::styled("y", theme.key()),
                Span::raw(" quit   "),
                Span::styled("any other key", theme.key()),
                Span::raw(" stay"),
            ])]);
            dialog(frame, area, theme, " Quit ", &lines, 62);
        }
        Some(Dialog::ConfirmDelete(index)) => {
            let which = model
                .progress
                .saved
                .get(*index)
                .map_or_else(String::new, |saved| {
                    crate::terminal_safe::terminal_safe(&saved.key())
                });
            let lines = vec![
                Line::from(format!("Forget the saved setup {which}?")),
                Line::from(""),
                Line::from("What you typed in it is gone; nothing in the org changes."),
                Line::from(""),
                Line::from(vec![
                    Span::styled("y", theme.key()),
                    Span::raw(" delete   "),
                    Span::styled("any other key", theme.key()),
                    Span::raw(" keep it"),
                ]),
            ];
            dialog(frame, area, theme, " Delete ", &lines, 62);
        }
        Some(Dialog::MetadataFolder(folder)) => folder_dialog(folder, frame, area, theme),
        Some(Dialog::ApplyConsent) => {
            let lines = vec![
                Line::from("Apply reads the new app's consumer secret over the REST API."),
                Line::from("If the org doesn't allow that (Allow access to External Client"),
                Line::from("App consumer secrets via REST API), may apply turn it on for a"),
                Line::from("moment and off again right after?"),
                Line::from(""),
                Line::from(vec![
                    Span::styled("y", theme.key()),
                    Span::raw(" yes   "),
                    Span::styled("n", theme.key()),
                    Span::raw(" no: I copy the secret from Setup   "),
                    Span::styled("esc", theme.key()),
                    Span::raw(" not now"),
                ]),
            ];
            dialog(frame, area, theme, " Set it up for me ", &lines, 70);
        }
        None => {}
    }
}

/// Where the metadata project goes: the folder in full, editable.
fn folder_dialog(folder: &FieldInput, frame: &mut Frame, area: Rect, theme: &Theme) {
    let width = 76.min(area.width.saturating_sub(2));
    let look = crate::ui::field::full_look(folder, width.saturating_sub(2), true);
    let rect = centered(area, width, look.height() + 6);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(" Write the metadata project ")
        .border_style(theme.focused_border());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [intro, field, keys] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(look.height()),
        Constraint::Min(1),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new("The DX project for this app and its permission set goes into:")
            .wrap(Wrap { trim: true }),
        intro,
    );
    crate::ui::field::draw(frame, field, folder, look, false, theme);
    frame.render_widget(
        Line::from(vec![
            Span::styled("enter", theme.key()),
            Span::raw(" write   "),
            Span::styled("esc", theme.key()),
            Span::raw(" cancel"),
        ]),
        keys,
    );
}

/// What this screen is for, in a line or two, then every key it answers to.
fn help_lines(model: &Model, theme: &Theme) -> Vec<Line<'static>> {
    let intro = match &model.screen {
        Screen::Start => "Pick the integration you are setting up; saved setups come first.",
        Screen::Org(_) => "Say which org: production, sandbox, or your My Domain URL.",
        Screen::Step(_) => {
            "Do what the step says in Salesforce Setup, type what it asks, press enter."
        }
        Screen::Review(_) => "What Setup should hold now. Enter connects and runs the checks.",
        Screen::Connect(_) => match model.recipe().map(|r| r.flow) {
            Some(Flow::AuthCode) | None => {
                "Log in as the integration user in the browser; the wizard catches the redirect."
            }
            Some(Flow::ClientCredentials) => {
                "The wizard asks Salesforce for a token for the app's Run As user; nobody logs in."
            }
            Some(Flow::JwtBearer) => {
                "The wizard signs a JWT with your private key and asks Salesforce for a token."
            }
        },
        Screen::Status(_) => "The checks prove the app works for this integration.",
        Screen::Done(_) => "The connection works. What is left happens in the vendor's product.",
    };
    let mut lines = vec![Line::from(intro), Line::from("")];
    for key in keys::for_screen(model) {
        lines.push(Line::from(vec![
            Span::styled(format!("{:>10}  ", key.label), theme.key()),
            Span::raw(key.long),
        ]));
    }
    lines.push(Line::from(vec![
        Span::styled(format!("{:>10}  ", "ctrl-c"), theme.key()),
        Span::raw(if model.keeps_progress() {
            "quit at once; progress is saved"
        } else {
            "quit at once"
        }),
    ]));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "Press any key to close.",
        theme.dim(),
    )));
    lines
}

/// A box of at most `width` x `height` in the middle of `area`, a cell clear of its edges.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width.saturating_sub(2));
    let height = height.min(area.height.saturating_sub(2));
    let [column] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(column);
    rect
}

fn dialog(frame: &mut Frame, area: Rect, theme: &Theme, title: &str, lines: &[Line], width: u16) {
    let rect = centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(title.to_string())
        .border_style(theme.focused_border());
    frame.render_widget(
        Paragraph::new(lines.to_vec())
            .wrap(Wrap { trim: false })
            .block(block),
        rect,
    );
}

pub fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = vec![
        Line::styled("The terminal is too small.", theme.warn()),
        Line::from(format!(
            "eca-wizard needs {}x{}; this is {}x{}. Enlarge the window or reduce the font size.",
            crate::ui::MIN_WIDTH,
            crate::ui::MIN_HEIGHT,
            area.width,
            area.height
        )),
        Line::from("ctrl-c quits; your progress is saved."),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}
