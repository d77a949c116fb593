//! The connect screen (URL, countdown, paste box) and the live status of the checks.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::ui::Theme;
use crate::ui::step::field;
use crate::verify::Status;
use crate::wizard::Model;

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

fn spinner(model: &Model) -> &'static str {
    SPINNER[((model.now_ms / 120) % SPINNER.len() as u64) as usize]
}

pub fn connect(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let view = &model.connect;
    let [top, url_area, paste_area, rest] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Length(3),
        Constraint::Length(4),
        Constraint::Min(0),
    ])
    .areas(area);
    let mut lines = vec![Line::styled("Connecting", theme.heading())];
    match (&view.waiting, model.countdown_secs()) {
        (Some((_, attempt, diagnosis)), Some(secs)) => {
            lines.push(Line::from(vec![
                Span::styled(format!("{} ", spinner(model)), theme.accent()),
                Span::styled(
                    format!(
                        "Salesforce isn't ready yet ({}). Attempt {attempt} in {secs}s.",
                        diagnosis.error
                    ),
                    theme.warn(),
                ),
            ]));
            lines.push(Line::styled(diagnosis.message.clone(), theme.dim()));
        }
        _ => {
            let status = if view.code_received {
                "Getting the token"
            } else if view.url.is_some() {
                "Waiting for the login"
            } else {
                "Checking that Salesforce knows the app"
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{} ", spinner(model)), theme.accent()),
                Span::raw(status),
            ]));
            if let Some(note) = &view.note {
                lines.push(Line::styled(note.clone(), theme.dim()));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), top);

    // The URL is one unwrapped line, so it copies whole even when it runs off the edge.
    let url = view
        .url
        .clone()
        .unwrap_or_else(|| "(the login URL appears once Salesforce knows the app)".into());
    let block = Block::bordered()
        .title(" Login URL (c copies it) ")
        .border_style(theme.dim());
    frame.render_widget(Paragraph::new(url).block(block), url_area);

    if view.url.is_some() {
        let mut paste = view.paste.clone();
        paste.error = view.paste_error.clone();
        field(frame, paste_area, &paste, model.focus == 1, true, theme);
    }
    let mut info = Vec::new();
    if let Some(uri) = &view.redirect_uri {
        info.push(Line::styled(format!("Listening on {uri}"), theme.dim()));
    }
    if model.demo.as_ref().is_some_and(|d| d.terminal_sign_in) && view.url.is_some() {
        info.push(Line::styled(
            "No browser here: press s to sign in to the demo org from the terminal.",
            theme.accent(),
        ));
    }
    frame.render_widget(Paragraph::new(info).wrap(Wrap { trim: true }), rest);
}

pub fn status(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut lines = vec![
        Line::styled("Connection checks", theme.heading()),
        Line::from(""),
    ];
    let width = model
        .checks
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(14)
        + 2;
    for check in &model.checks {
        let (mark, style) = match check.status {
            Status::Passed => ("✓", theme.ok()),
            Status::Failed => ("✗", theme.bad()),
            Status::Warning => ("!", theme.warn()),
            Status::Skipped => ("–", theme.dim()),
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {mark} "), style),
            Span::styled(format!("{:<width$}", check.name), theme.heading()),
            Span::raw(check.detail.clone()),
        ]));
    }
    if let (Some((_, _, diagnosis)), Some(secs)) = (&model.connect.waiting, model.countdown_secs())
    {
        lines.push(Line::styled(
            format!("Checking again in {secs}s: {}", diagnosis.message),
            theme.warn(),
        ));
    } else if model.connect.running {
        lines.push(Line::from(vec![
            Span::styled(format!(" {} ", spinner(model)), theme.accent()),
            Span::raw("checking…"),
        ]));
    }
    if let Some(summary) = &model.summary {
        lines.push(Line::from(""));
        match &summary.diagnosis {
            None => lines.push(Line::styled(
                "All checks passed. Press enter to finish.",
                theme.ok(),
            )),
            Some(diagnosis) => {
                lines.push(Line::styled(
                    format!("What to fix ({})", diagnosis.kind.id()),
                    theme.bad(),
                ));
                lines.push(Line::from(diagnosis.message.clone()));
                let step = diagnosis
                    .target
                    .as_ref()
                    .and_then(|t| model.recipe()?.step_for_target(t));
                if let Some(step) = step {
                    lines.push(Line::from(vec![
                        Span::styled("Step     ", theme.dim()),
                        Span::raw(step.title.clone()),
                    ]));
                }
                if let Some(label) = diagnosis.setting_label() {
                    lines.push(Line::from(vec![
                        Span::styled("Setting  ", theme.dim()),
                        Span::raw(label),
                    ]));
                }
                lines.push(Line::styled(
                    "Press f to go to that step; confirming it reconnects.",
                    theme.accent(),
                ));
                if !diagnosis.others.is_empty() && !model.connect.show_causes {
                    lines.push(Line::styled(
                        format!(
                            "Press o for {} other possible causes.",
                            diagnosis.others.len()
                        ),
                        theme.dim(),
                    ));
                } else if !diagnosis.others.is_empty() {
                    lines.push(Line::styled("Other possible causes", theme.heading()));
                    for cause in &diagnosis.others {
                        lines.push(Line::from(format!(
                            "• {} ({})",
                            cause.message,
                            cause.kind.id()
                        )));
                    }
                    if let Some(question) = &diagnosis.tell_apart {
                        lines.push(Line::styled(
                            format!("To tell them apart: {question}"),
                            theme.dim(),
                        ));
                    }
                }
            }
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}
