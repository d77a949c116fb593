//! What every screen has: the title bar, the footer of keys that work here, and overlays.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::ui::Theme;
use crate::wizard::{Dialog, Model, Screen, StepMark};

pub fn title(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut spans = vec![Span::styled(" eca-wizard ", theme.title())];
    if model.demo.is_some() {
        spans.push(Span::styled("[demo] ", theme.warn()));
    }
    if let Some(setup) = &model.setup {
        spans.push(Span::raw(setup.recipe.title.clone()));
        let done = setup.marks.iter().filter(|m| **m == StepMark::Done).count();
        spans.push(Span::styled(
            format!("  {done}/{} steps", setup.marks.len()),
            theme.dim(),
        ));
    }
    frame.render_widget(Line::from(spans), area);
}

/// The keys that work on this screen, most useful first.
fn keys(model: &Model) -> Vec<(&'static str, &'static str)> {
    let waiting = model.connect.waiting.is_some();
    match model.screen {
        Screen::Start if model.progress.selected < model.progress.saved.len() => {
            vec![
                ("↑↓", "choose"),
                ("enter", "start"),
                ("d", "delete saved"),
                ("?", "help"),
                ("q", "quit"),
            ]
        }
        Screen::Start => vec![
            ("↑↓", "choose"),
            ("enter", "start"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Screen::Org => vec![
            ("enter", "continue"),
            ("esc", "back"),
            ("F1", "help"),
            ("ctrl-q", "quit"),
        ],
        Screen::Step(_) => {
            let mut keys = vec![
                ("enter", "confirm step"),
                ("tab", "next field"),
                ("pgup/pgdn", "steps"),
            ];
            keys.extend([("ctrl-o", "open Setup"), ("ctrl-y", "copy")]);
            if model.inputs.iter().any(|i| i.secret) {
                keys.push(("ctrl-r", "reveal"));
            }
            keys.extend([("esc", "back"), ("F1", "help"), ("ctrl-q", "quit")]);
            keys
        }
        Screen::Review => vec![
            ("enter", "connect"),
            ("↑↓", "scroll"),
            ("e", "edit"),
            ("m", "write metadata"),
            ("esc", "back"),
            ("?", "help"),
            ("q", "quit"),
        ],
        Screen::Connect if model.focus == 1 => {
            vec![("enter", "submit paste"), ("esc", "leave paste box")]
        }
        Screen::Connect => {
            let mut keys = vec![("c", "copy URL"), ("o", "open browser"), ("p", "paste")];
            if waiting {
                keys.push(("r", "retry now"));
            }
            if model.demo.as_ref().is_some_and(|d| d.terminal_sign_in) {
                keys.push(("s", "sign in here"));
            }
            keys.extend([("esc", "cancel"), ("q", "quit")]);
            keys
        }
        Screen::Status if model.connect.running => vec![("q", "quit")],
        Screen::Status => {
            let green = model
                .summary
                .as_ref()
                .is_some_and(|s| s.diagnosis.is_none());
            let others = model
                .summary
                .as_ref()
                .and_then(|s| s.diagnosis.as_ref())
                .is_some_and(|d| !d.others.is_empty());
            if green {
                vec![("enter", "finish"), ("r", "check again"), ("q", "quit")]
            } else {
                let mut keys = vec![("f", "fix it"), ("r", "reconnect")];
                if others {
                    keys.push(("o", "other causes"));
                }
                keys.extend([("esc", "review"), ("q", "quit")]);
                keys
            }
        }
        Screen::Done if model.offer_file => {
            vec![("k", "keep in an owner-only file"), ("enter", "quit")]
        }
        Screen::Done => vec![("enter", "quit")],
    }
}

/// The footer shows a toast in place of the keys while it lasts, so it never covers content.
pub fn footer(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    if let Some((_, toast)) = &model.toast {
        frame.render_widget(
            Line::from(vec![
                Span::styled(" ● ", theme.accent()),
                Span::raw(toast.clone()),
            ]),
            area,
        );
        return;
    }
    let mut spans = Vec::new();
    for (key, what) in keys(model) {
        spans.push(Span::styled(format!(" {key}"), theme.key()));
        spans.push(Span::styled(format!(" {what} "), theme.dim()));
    }
    frame.render_widget(Line::from(spans), area);
}

pub fn overlays(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    match model.dialog {
        Some(Dialog::Help) => dialog(frame, area, theme, " Help ", &help_lines(theme), 70),
        Some(Dialog::ConfirmQuit) => {
            let lines = vec![
                Line::from("Quit eca-wizard?"),
                Line::from(""),
                Line::from("Your progress is saved and offered when you start again."),
                Line::from("Secrets (the consumer secret) are never saved."),
                Line::from(""),
                Line::from(vec![
                    Span::styled("y", theme.key()),
                    Span::raw(" quit   "),
                    Span::styled("any other key", theme.key()),
                    Span::raw(" stay"),
                ]),
            ];
            dialog(frame, area, theme, " Quit ", &lines, 62);
        }
        None => {}
    }
}

fn help_lines(theme: &Theme) -> Vec<Line<'static>> {
    let row = |key: &'static str, what: &'static str| {
        Line::from(vec![
            Span::styled(format!("{key:>12}  "), theme.key()),
            Span::raw(what),
        ])
    };
    vec![
        Line::from("Follow each step in Salesforce Setup, type what it asks, press enter."),
        Line::from("The checks at the end prove the app works for this integration."),
        Line::from(""),
        row("enter", "confirm the step / continue"),
        row("tab", "next field (shift-tab: previous)"),
        row("pgup pgdn", "previous / next step without confirming"),
        row("ctrl-o", "open this step's Setup page in the browser"),
        row("ctrl-y", "copy the field (OSC 52; works over SSH)"),
        row("ctrl-r", "show or hide the consumer secret"),
        row("esc", "back"),
        row("ctrl-q  q", "quit (asks first when there is progress)"),
        row("ctrl-c", "quit at once; progress is saved after every step"),
        Line::from(""),
        Line::from(Span::styled("Press any key to close.", theme.dim())),
    ]
}

fn dialog(frame: &mut Frame, area: Rect, theme: &Theme, title: &str, lines: &[Line], width: u16) {
    let width = width.min(area.width.saturating_sub(2));
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let [column] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(column);
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
