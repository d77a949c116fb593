//! The connect screen (URL, countdown, paste box) and the live status of the checks.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::salesforce::Flow;
use crate::salesforce::diagnosis::Diagnosis;
use crate::terminal_safe::terminal_safe;
use crate::ui::field::{self, full_look};
use crate::ui::{Theme, pane};
use crate::verify::{Check, Status};
use crate::wizard::keys::fix_step;
use crate::wizard::waiting::{Waiting, spoken};
use crate::wizard::{ConnectFocus, ConnectScreen, Model, Screen, StatusScreen};

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

fn spinner(model: &Model) -> &'static str {
    SPINNER[((model.now_ms / 120) % SPINNER.len() as u64) as usize]
}

pub fn connect(
    model: &Model,
    screen: &ConnectScreen,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
) {
    let browser = model.recipe().is_none_or(|r| r.flow.uses_browser());
    if !browser {
        let lines = progress_lines(model, theme, false);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
        return;
    }
    let view = &model.connect;
    let paste_focused = screen.focus == ConnectFocus::PasteBox;
    let paste_look = full_look(&screen.paste, area.width, paste_focused);
    let progress = Paragraph::new(progress_lines(model, theme, true)).wrap(Wrap { trim: true });
    // The progress takes what it needs when a wait explains itself, five rows at least.
    let progress_rows = u16::try_from(progress.line_count(area.width.max(1))).unwrap_or(5);
    let [top, url_area, paste_area, rest] = Layout::vertical([
        Constraint::Length(progress_rows.max(5)),
        Constraint::Length(3),
        Constraint::Length(paste_look.height()),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(progress, top);

    // The URL is one unwrapped line, so it copies whole even when it runs off the edge; the
    // title says how to get all of it.
    let url = view
        .url
        .clone()
        .unwrap_or_else(|| "(the login URL appears once Salesforce knows the app)".into());
    let block = Block::bordered()
        .title(" Login URL (c copies it whole, o opens it) ")
        .border_style(theme.dim());
    frame.render_widget(Paragraph::new(url).block(block), url_area);

    if view.url.is_some() {
        let mut paste = screen.paste.clone();
        paste.error = screen.paste_error.clone();
        let look = full_look(&paste, area.width, paste_focused);
        field::draw(frame, paste_area, &paste, look, true, theme);
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

/// The connect's state in words: the countdown while Salesforce isn't ready, else what happens
/// now, in the words of the flow (no browser for client credentials and JWT).
fn progress_lines(model: &Model, theme: &Theme, browser: bool) -> Vec<Line<'static>> {
    let view = &model.connect;
    let mut lines = vec![Line::styled("Connecting", theme.heading())];
    if let Some(waiting) = model.waiting() {
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", spinner(model)), theme.accent()),
            Span::styled(waiting_headline(&waiting), theme.warn()),
        ]));
        lines.extend(waiting_lines(&waiting, theme));
        return lines;
    }
    let flow = model.recipe().map_or(Flow::AuthCode, |r| r.flow);
    let status = match flow {
        _ if browser && view.code_received => "Getting the token",
        _ if browser && view.url.is_some() => "Waiting for the login",
        _ if browser => "Checking that Salesforce knows the app",
        Flow::ClientCredentials => {
            "Asking Salesforce for a token for the app's Run As user (client credentials)"
        }
        _ => "Signing a JWT for the integration user and asking Salesforce for a token",
    };
    lines.push(Line::from(vec![
        Span::styled(format!("{} ", spinner(model)), theme.accent()),
        Span::raw(status),
    ]));
    if let Some(note) = view.note.as_ref().filter(|_| browser) {
        lines.push(Line::styled(note.clone(), theme.dim()));
    }
    if view.logins > 1 {
        lines.push(Line::styled(
            format!("{} logins tried", view.logins),
            theme.dim(),
        ));
    }
    lines
}

/// What the wait is for, and when the next try comes.
fn waiting_headline(waiting: &Waiting) -> String {
    let error = terminal_safe(&waiting.diagnosis.error);
    let next = waiting.next_in_secs;
    if waiting.propagating() {
        format!("Salesforce doesn't know the app yet ({error}). Next try in {next}s.")
    } else if waiting.unreachable() {
        format!("Can't reach Salesforce ({error}). Next try in {next}s.")
    } else {
        format!("Not yet ({error}). Next try in {next}s.")
    }
}

/// Under the headline: for propagation, the time since the app was saved against the usual
/// time and the other causes of the same error (first once the wait is longer than usual);
/// otherwise what the diagnosis says.
fn waiting_lines(waiting: &Waiting, theme: &Theme) -> Vec<Line<'static>> {
    if !waiting.propagating() {
        return vec![Line::styled(
            terminal_safe(&waiting.diagnosis.message),
            theme.dim(),
        )];
    }
    let usual = if waiting.demo {
        format!("the demo org takes {}", spoken(waiting.usual_ms))
    } else if waiting.by_recipe {
        format!(
            "the vendor's guide says a new app can take up to {}",
            spoken(waiting.usual_ms)
        )
    } else {
        "a new or edited app usually works within about 10 minutes (some take 30)".to_string()
    };
    let saved = match waiting.since_saved_ms {
        Some(ms) => format!("Saved {} ago; {usual}.", spoken(ms)),
        None => format!("{}{}.", usual[..1].to_uppercase(), &usual[1..]),
    };
    let logins = match waiting.logins {
        0 => String::new(),
        1 => " 1 login tried.".to_string(),
        n => format!(" {n} logins tried."),
    };
    let mut lines = vec![Line::styled(format!("{saved}{logins}"), theme.dim())];
    let causes = waiting.other_causes();
    if causes.is_empty() {
        return lines;
    }
    let what = spoken_list(&causes.iter().map(|c| c.0).collect::<Vec<_>>(), "or");
    let check = spoken_list(&causes.iter().map(|c| c.1).collect::<Vec<_>>(), "and");
    lines.push(if waiting.overdue() {
        Line::styled(
            format!(
                "That is longer than usual: more likely {what}. Check {check} (esc); this keeps trying meanwhile."
            ),
            theme.warn(),
        )
    } else {
        Line::styled(
            format!("The same error comes from {what}: if it keeps failing, check {check}."),
            theme.dim(),
        )
    });
    lines
}

/// "a", "a or b", "a, b or c" (with `and` for "and").
fn spoken_list(items: &[&str], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
    }
}

pub fn status(model: &Model, screen: StatusScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    pane::draw(
        frame,
        area,
        status_lines(model, theme),
        screen.pane.scroll,
        "↑↓",
        theme,
    );
}

/// The diagnosis first, then what failed or warned, then what passed; skipped checks fold into
/// one line (they are skipped because of what failed).
/// The live app against the recipe, read with the CLI login after the connect.
fn drift_lines(model: &Model, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    let Some(drift) = &model.connect.drift else {
        return;
    };
    lines.push(Line::from(""));
    lines.push(Line::styled(
        "The live app against the recipe (read with your Salesforce CLI login)",
        theme.heading(),
    ));
    match drift {
        Ok(found) if found.is_empty() => lines.push(Line::styled(
            " ✓ no drift in what a query reads (callback URLs, PKCE and the secret toggles aren't readable)",
            theme.ok(),
        )),
        Ok(found) => {
            for line in found {
                lines.push(Line::styled(format!(" ≠ {line}"), theme.warn()));
            }
        }
        Err(why) => lines.push(Line::styled(
            format!(" couldn't read the live app: {why}"),
            theme.dim(),
        )),
    }
}

pub fn status_lines(model: &Model, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled("Connection checks", theme.heading())];
    if let (Some((_, _, diagnosis)), Some(secs)) = (&model.connect.waiting, model.countdown_secs())
    {
        lines.push(Line::styled(
            format!("Checking again in {secs}s: {}", diagnosis.message),
            theme.warn(),
        ));
    } else if model.connect.running {
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", spinner(model)), theme.accent()),
            Span::raw("checking…"),
        ]));
    }
    if let Some(summary) = &model.connect.summary {
        lines.push(Line::from(""));
        match &summary.diagnosis {
            None if summary.warnings().next().is_some() => lines.push(Line::styled(
                "Connected with warnings (below). Press enter to finish.",
                theme.warn(),
            )),
            None => lines.push(Line::styled(
                "All checks passed. Press enter to finish.",
                theme.ok(),
            )),
            Some(diagnosis) => diagnosis_lines(model, diagnosis, theme, &mut lines),
        }
    }
    lines.push(Line::from(""));
    let width = model
        .connect
        .checks
        .iter()
        .map(|c| c.name.as_str().chars().count())
        .max()
        .unwrap_or(0)
        .clamp(14, 24)
        + 2;
    let order = [Status::Failed, Status::Warning, Status::Passed];
    for status in order {
        for check in model.connect.checks.iter().filter(|c| c.status == status) {
            let (mark, style) = match check.status {
                Status::Passed => ("✓", theme.ok()),
                Status::Failed => ("✗", theme.bad()),
                Status::Warning | Status::Skipped => ("!", theme.warn()),
            };
            lines.push(Line::from(vec![
                Span::styled(format!(" {mark} "), style),
                Span::styled(format!("{:<width$}", check.name), theme.heading()),
                Span::raw(check.detail.clone()),
            ]));
        }
    }
    skipped_lines(&model.connect.checks, theme, &mut lines);
    drift_lines(model, theme, &mut lines);
    lines
}

/// The checks not run: after a failure, as such; otherwise each reason once, with the checks
/// it left out (a flow that issues no refresh token has nothing to refresh).
fn skipped_lines(checks: &[Check], theme: &Theme, lines: &mut Vec<Line<'static>>) {
    let skipped: Vec<&Check> = checks
        .iter()
        .filter(|c| c.status == Status::Skipped)
        .collect();
    if skipped.is_empty() {
        return;
    }
    if checks.iter().any(|c| c.status == Status::Failed) {
        let names: Vec<&str> = skipped.iter().map(|c| c.name.as_str()).collect();
        lines.push(Line::styled(
            format!(" – not checked after the failure: {}", names.join(", ")),
            theme.dim(),
        ));
        return;
    }
    let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
    for check in skipped {
        match reasons.iter_mut().find(|(why, _)| *why == check.detail) {
            Some((_, names)) => names.push(check.name.as_str()),
            None => reasons.push((&check.detail, vec![check.name.as_str()])),
        }
    }
    for (why, names) in reasons {
        lines.push(Line::styled(
            format!(" – not checked: {} ({why})", names.join(", ")),
            theme.dim(),
        ));
    }
}

fn diagnosis_lines(
    model: &Model,
    diagnosis: &Diagnosis,
    theme: &Theme,
    lines: &mut Vec<Line<'static>>,
) {
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
    if fix_step(model).is_some() {
        lines.push(Line::styled(
            "Press f to go to that step; confirming it reconnects.",
            theme.accent(),
        ));
    } else {
        lines.push(Line::styled(
            "Nothing in the checklist changes this: press r to try again.",
            theme.accent(),
        ));
    }
    if diagnosis.others.is_empty() {
        return;
    }
    let showing = matches!(&model.screen, Screen::Status(s) if s.show_causes);
    if !showing {
        lines.push(Line::styled(
            format!(
                "Press o for {}.",
                crate::words::count(diagnosis.others.len(), "other possible cause")
            ),
            theme.dim(),
        ));
        return;
    }
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
