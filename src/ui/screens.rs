//! The start, org, review and done screens.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::recipe::SettingValue;
use crate::salesforce::Flow;
use crate::salesforce::settings;
use crate::terminal_safe::terminal_safe;
use crate::ui::field::{self, full_look};
use crate::ui::{Theme, pane};
use crate::verify::Check;
use crate::wizard::{Form, Model, Pane, Typed, fill_handoff};

pub fn start(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    let [list_area, detail_area] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(area);
    start_list(model, frame, list_area, theme);
    start_detail(model, frame, detail_area, theme);
}

/// The saved setups, then the recipes, around the selected entry.
fn start_list(model: &Model, frame: &mut Frame, list_area: Rect, theme: &Theme) {
    let mut head = vec![
        Line::styled("What are you connecting?", theme.heading()),
        Line::from(""),
    ];
    // The demo's fault note goes first: it says which entry is preselected and why.
    if let Some(note) = model.demo.as_ref().and_then(|d| d.fault_note.clone()) {
        head.push(Line::styled(note, theme.warn()));
        head.push(Line::from(""));
    }
    let offset = model.progress.saved.len();
    let mut entries: Vec<Vec<Line<'static>>> = Vec::new();
    for (i, saved) in model.progress.saved.iter().enumerate() {
        let title = model
            .recipes
            .iter()
            .find(|r| r.id == saved.recipe)
            .map_or(saved.recipe.as_str(), |r| r.title.as_str());
        let org = saved
            .login_url
            .as_deref()
            .and_then(|u| u.split("://").nth(1))
            .unwrap_or("org not chosen yet");
        let mut entry_lines = vec![
            entry(
                format!("Resume: {title}"),
                model.progress.selected == i,
                theme,
            ),
            Line::styled(
                format!(
                    "    {org} · {}/{} steps",
                    saved.done_steps(),
                    saved.marks.len()
                ),
                theme.dim(),
            ),
        ];
        if i + 1 == offset {
            entry_lines.push(Line::from(""));
        }
        entries.push(entry_lines);
    }
    for (i, recipe) in model.recipes.iter().enumerate() {
        let selected = model.progress.selected == i + offset;
        entries.push(vec![
            entry(recipe.title.clone(), selected, theme),
            Line::styled(
                format!("    {} · {}", recipe.flow, recipe.vendor),
                theme.dim(),
            ),
        ]);
    }
    let lines = windowed(head, entries, model.progress.selected, list_area, theme);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::new()),
        list_area,
    );
}

/// What the selected entry is: the recipe, its guide and what it does, or the saved setup.
fn start_detail(model: &Model, frame: &mut Frame, detail_area: Rect, theme: &Theme) {
    let offset = model.progress.saved.len();
    let chosen = model
        .progress
        .selected
        .checked_sub(offset)
        .and_then(|i| model.recipes.get(i));
    // Inside the border; a URL is broken after its slashes, never inside a name.
    let inner = usize::from(detail_area.width.saturating_sub(2)).max(1);
    let mut detail = match chosen {
        Some(recipe) => [
            vec![
                Line::styled(recipe.title.clone(), theme.heading()),
                Line::styled(format!("Mirrors: {}", recipe.guide), theme.dim()),
            ],
            url_rows(&recipe.source, inner)
                .into_iter()
                .map(|row| Line::styled(row, theme.dim()))
                .collect(),
            vec![Line::from("")],
        ]
        .concat()
        .into_iter()
        .chain([
            Line::from(recipe.summary.trim().to_string()),
            Line::from(""),
            Line::from(vec![
                Span::styled("Steps: ", theme.dim()),
                Span::raw(recipe.steps.len().to_string()),
            ]),
        ])
        .collect(),
        None => vec![
            Line::styled("Pick up where you left off", theme.heading()),
            Line::from(""),
            Line::from(
                "Answers and progress were saved after every step; secrets never are, so you'll paste any secret again.",
            ),
        ],
    };
    if let (Some(login), Some(_)) = (&model.cli_login, chosen) {
        detail.push(Line::from(""));
        detail.push(Line::from(vec![
            Span::styled("a", theme.key()),
            Span::raw(format!(
                " Set it up for me: your Salesforce CLI login {} ({}) makes the settings; you type the answers.",
                login.target, login.instance_url
            )),
        ]));
    }
    let block = Block::bordered().border_style(theme.dim());
    frame.render_widget(
        Paragraph::new(detail)
            .wrap(Wrap { trim: true })
            .block(block),
        detail_area,
    );
}

/// A URL in rows of at most `width`, each break right after a `/` (or `?`, `&`, `=`) where one
/// fits, so the host and the words of the path stay whole.
fn url_rows(url: &str, width: usize) -> Vec<String> {
    let mut rows = Vec::new();
    let mut rest = url;
    while rest.chars().count() > width {
        let cut = rest
            .char_indices()
            .take(width)
            .filter(|(_, c)| matches!(c, '/' | '?' | '&' | '='))
            .map(|(i, c)| i + c.len_utf8())
            .filter(|&end| end < rest.len())
            .last()
            .unwrap_or_else(|| {
                rest.char_indices()
                    .nth(width)
                    .map_or(rest.len(), |(i, _)| i)
            });
        rows.push(rest[..cut].to_string());
        rest = &rest[cut..];
    }
    rows.push(rest.to_string());
    rows
}

/// The head, then as many whole entries around the selected one as fit, with how many are
/// above and below when they don't all fit.
fn windowed(
    head: Vec<Line<'static>>,
    entries: Vec<Vec<Line<'static>>>,
    selected: usize,
    area: Rect,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let height = |lines: &[Line<'static>]| {
        Paragraph::new(lines.to_vec())
            .wrap(Wrap { trim: true })
            .line_count(area.width.max(1))
    };
    let heights: Vec<usize> = entries.iter().map(|e| height(e)).collect();
    let room = usize::from(area.height).saturating_sub(height(&head));
    let mut lines = head;
    if heights.iter().sum::<usize>() <= room {
        lines.extend(entries.into_iter().flatten());
        return lines;
    }
    // Two rows go to the markers; grow the window from the selected entry, below first.
    let room = room.saturating_sub(2);
    let selected = selected.min(entries.len().saturating_sub(1));
    let (mut first, mut last) = (selected, selected + 1);
    let mut used = heights.get(selected).copied().unwrap_or(0);
    loop {
        let grew_down = last < heights.len() && used + heights[last] <= room;
        if grew_down {
            used += heights[last];
            last += 1;
        }
        let grew_up = first > 0 && used + heights[first - 1] <= room;
        if grew_up {
            first -= 1;
            used += heights[first];
        }
        if !grew_down && !grew_up {
            break;
        }
    }
    let below = entries.len() - last;
    if first > 0 {
        lines.push(Line::styled(format!("▲ {first} more"), theme.accent()));
    }
    lines.extend(entries.into_iter().take(last).skip(first).flatten());
    if below > 0 {
        lines.push(Line::styled(format!("▼ {below} more · ↑↓"), theme.accent()));
    }
    lines
}

fn entry(text: String, selected: bool, theme: &Theme) -> Line<'static> {
    if selected {
        Line::from(vec![
            Span::styled("▶ ", theme.accent()),
            Span::styled(text, theme.selected()),
        ])
    } else {
        Line::from(format!("  {text}"))
    }
}

pub fn org(form: &Form, demo: bool, frame: &mut Frame, area: Rect, theme: &Theme) {
    let look = form
        .inputs
        .first()
        .map(|input| full_look(input, area.width, true));
    let input_height = look.map_or(0, |l| l.height());
    let [intro, input_area, rest] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Length(input_height),
        Constraint::Min(0),
    ])
    .areas(area);
    let intro_text = vec![
        Line::styled("Which org?", theme.heading()),
        Line::from(if demo {
            "This is the demo: it signs in only to its own org, the emulator, whose address is filled in. For a real org, run eca-wizard without demo."
        } else {
            "Type production, sandbox, or your My Domain URL. A URL copied from the browser's address bar (Lightning, Setup) is fine: it becomes the My Domain login URL."
        }),
    ];
    frame.render_widget(Paragraph::new(intro_text).wrap(Wrap { trim: true }), intro);
    if let (Some(input), Some(look)) = (form.inputs.first(), look) {
        field::draw(frame, input_area, input, look, false, theme);
    }
    let notes: Vec<Line> = form
        .notes
        .iter()
        .map(|n| Line::styled(format!("note: {n}"), theme.dim()))
        .collect();
    frame.render_widget(Paragraph::new(notes).wrap(Wrap { trim: true }), rest);
}

pub fn review(model: &Model, pane: Pane, frame: &mut Frame, area: Rect, theme: &Theme) {
    let lines = review_lines(model, theme);
    pane::draw(frame, area, lines, pane.scroll, "↑↓", theme);
}

/// Apply's lines the review shows while it runs (the newest).
const RUNNING_LINES: usize = 8;

pub fn review_lines(model: &Model, theme: &Theme) -> Vec<Line<'static>> {
    let Some(setup) = &model.setup else {
        return Vec::new();
    };
    let intro = match (&model.cli_login, setup.by_apply) {
        (Some(login), true) => format!(
            "Enter makes these settings with your Salesforce CLI login {}, then connects.",
            login.target
        ),
        _ => "Enter connects and checks it. Secrets are not shown.".to_string(),
    };
    let mut lines = vec![
        Line::styled("Review: what Setup should hold now", theme.heading()),
        Line::styled(intro, theme.dim()),
        Line::from(""),
    ];
    if let Some(apply) = &model.applying.view {
        let (title, style) = match (&apply.failed, apply.running) {
            (_, true) => ("Set it up for me: applying…", theme.accent()),
            (Some(_), false) => ("Set it up for me stopped", theme.bad()),
            (None, false) => ("Set it up for me: done", theme.ok()),
        };
        lines.push(Line::styled(title, style));
        // While it runs, the newest lines stay in sight; all of them once it ends.
        let skipped = if apply.running {
            apply.lines.len().saturating_sub(RUNNING_LINES)
        } else {
            0
        };
        if skipped > 0 {
            lines.push(Line::styled(
                format!("  … {skipped} earlier lines"),
                theme.dim(),
            ));
        }
        for line in &apply.lines[skipped..] {
            lines.push(Line::raw(format!("  {line}")));
        }
        if let Some(why) = &apply.failed {
            lines.push(Line::styled(format!("  {why}"), theme.bad()));
            lines.push(Line::styled(
                "  Enter tries again; e changes an answer.",
                theme.dim(),
            ));
        }
        lines.push(Line::from(""));
    }
    let marked = local_marks(model);
    if marked > 0 {
        lines.push(Line::styled(
            format!("! This local recipe sets {marked} security settings against Salesforce's defaults (marked at the end)."),
            theme.warn(),
        ));
    }
    if let Some(url) = &setup.login_url {
        lines.push(Line::from(vec![
            Span::styled("Org  ", theme.dim()),
            Span::raw(url.clone()),
        ]));
    }
    for step in &setup.recipe.steps {
        if step.settings.is_empty() {
            continue;
        }
        lines.push(Line::styled(step.title.clone(), theme.accent()));
        for setting in &step.settings {
            let label = settings::lookup(setting.key).map_or(setting.key.id(), |s| s.label);
            // Several URLs (callbacks) one per line, whole, as Setup's box holds them.
            let values: Vec<String> = match (&setting.value, &setting.from_field) {
                (Some(SettingValue::List(items)), _) => items.clone(),
                (Some(value), _) => vec![value.to_string()],
                (None, Some(field)) => setup.answer(field).map_or_else(
                    || vec!["(not set)".to_string()],
                    |v| v.lines().map(str::to_string).collect(),
                ),
                (None, None) => vec![String::new()],
            };
            // The guide says "if you need it": shown, never deployed or checked.
            let optional = setting.level == crate::recipe::format2::Level::Optional;
            let note = if optional { " (optional)" } else { "" };
            let urls = values.len() > 1 && values.iter().any(|v| v.contains("://"));
            match values.as_slice() {
                many if urls => {
                    lines.push(Line::styled(format!("  {label}:{note}"), theme.dim()));
                    lines.extend(many.iter().map(|v| Line::raw(format!("      {v}"))));
                }
                words => lines.push(Line::from(vec![
                    Span::styled(format!("  {label}: "), theme.dim()),
                    Span::raw(format!("{}{note}", words.join(", "))),
                ])),
            }
        }
    }
    security_lines(model, theme, &mut lines);
    lines
}

/// The security-relevant settings, as `apply --dry-run` lists them; for a local recipe, the
/// ones that differ from what Setup gives a new app are marked.
fn security_lines(model: &Model, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    let (Some(found), Some(recipe)) = (model.security(), model.recipe()) else {
        return;
    };
    lines.push(Line::from(""));
    lines.push(Line::styled(
        "Security settings the app gets (as apply --dry-run lists them)",
        theme.accent(),
    ));
    let found = match found {
        Ok(found) => found,
        Err(why) => {
            lines.push(Line::styled(
                format!("  Not known yet: {}", terminal_safe(&why)),
                theme.dim(),
            ));
            return;
        }
    };
    let local = recipe.origin.is_some();
    for entry in &found {
        let value = terminal_safe(&entry.line.value);
        // A list of URLs (the callbacks) one per line, whole, as in the steps above.
        let urls: Vec<&str> = value.split(", ").collect();
        let one_per_line = urls.len() > 1 && urls.iter().all(|u| u.contains("://"));
        let mut spans = vec![Span::styled(
            format!("  {}: ", entry.line.label),
            theme.dim(),
        )];
        if !one_per_line {
            spans.push(Span::raw(value.clone()));
        }
        if local && entry.not_default {
            spans.push(Span::styled("  ! not Setup's default", theme.warn()));
        }
        lines.push(Line::from(spans));
        if one_per_line {
            lines.extend(urls.iter().map(|u| Line::raw(format!("      {u}"))));
        }
    }
}

/// How many security settings a local recipe sets against Salesforce's defaults (0 for a
/// built-in recipe).
fn local_marks(model: &Model) -> usize {
    match (model.recipe(), model.security()) {
        (Some(recipe), Some(Ok(found))) if recipe.origin.is_some() => {
            found.iter().filter(|e| e.not_default).count()
        }
        _ => 0,
    }
}

/// The recipe's hand-off with what the wizard knows by now: the key, the user, the My Domain.
fn handoff(model: &Model, recipe: &crate::recipe::Recipe) -> String {
    let summary = model.connect.summary.as_ref();
    let typed = Typed::of(model);
    let role = |role| typed.as_ref().and_then(|t| t.role(role));
    let username = role(crate::recipe::Role::IntegrationUsername).or_else(|| {
        summary
            .and_then(|s| s.identity.as_ref())
            .map(|i| i.username.clone())
    });
    let my_domain = summary
        .and_then(|s| s.instance_url.clone())
        .or_else(|| model.setup.as_ref().and_then(|s| s.login_url.clone()));
    let values = [
        ("consumer_key", role(crate::recipe::Role::ConsumerKey)),
        ("username", username),
        ("my_domain", my_domain),
        ("mcp_server_url", role(crate::recipe::Role::McpServerUrl)),
        ("app_name", role(crate::recipe::Role::AppName)),
    ];
    crate::terminal_safe::terminal_safe(&fill_handoff(recipe.handoff.trim(), &values))
}

pub fn done(model: &Model, pane: Pane, frame: &mut Frame, area: Rect, theme: &Theme) {
    let lines = done_lines(model, theme);
    pane::draw(frame, area, lines, pane.scroll, "↑↓", theme);
}

pub fn done_lines(model: &Model, theme: &Theme) -> Vec<Line<'static>> {
    let summary = model.connect.summary.as_ref();
    let who = summary
        .and_then(|s| s.identity.as_ref())
        .map_or("?".to_string(), |i| i.username.clone());
    let instance = summary
        .and_then(|s| s.instance_url.clone())
        .unwrap_or_else(|| "?".into());
    let recipe = model.recipe();
    let flow = recipe.map_or(Flow::AuthCode, |r| r.flow);
    let warnings: Vec<&Check> = summary.map(|s| s.warnings().collect()).unwrap_or_default();
    let mut lines = if warnings.is_empty() {
        vec![Line::styled("✓ Connected and verified", theme.ok())]
    } else {
        let mut lines = vec![Line::styled(
            format!(
                "! Connected with {}",
                crate::words::count(warnings.len(), "warning")
            ),
            theme.warn(),
        )];
        for check in warnings {
            lines.push(Line::from(vec![
                Span::styled(format!("  ! {}: ", check.name), theme.warn()),
                Span::raw(check.detail.clone()),
            ]));
        }
        lines
    };
    lines.extend([
        Line::from(""),
        Line::from(vec![
            Span::styled("User      ", theme.dim()),
            Span::raw(who),
        ]),
        Line::from(vec![
            Span::styled("Instance  ", theme.dim()),
            Span::raw(instance),
        ]),
        Line::from(""),
        Line::styled("What next", theme.heading()),
    ]);
    if let Some(recipe) = recipe {
        let has_secret = recipe
            .field_for(crate::recipe::Role::ConsumerSecret)
            .is_some();
        let credentials = match flow {
            Flow::JwtBearer => {
                "the consumer key (the app's Settings tab) and your private key file".to_string()
            }
            // A public client (the hosted MCP clients) gets the key alone.
            Flow::AuthCode if !has_secret => "the consumer key (the app's Settings tab)".into(),
            Flow::AuthCode | Flow::ClientCredentials => {
                "the consumer key and secret (the app's Settings tab)".into()
            }
        };
        lines.push(Line::from(format!("• {}", handoff(model, recipe))));
        lines.push(Line::from(format!("  It needs {credentials}.")));
        let mcp_url = model
            .setup
            .as_ref()
            .and_then(|s| s.answer_for(crate::recipe::Role::McpServerUrl));
        if let Some(url) = mcp_url {
            lines.push(Line::from(format!("  MCP server URL: {url}")));
        }
    }
    if flow.uses_browser() {
        lines.push(Line::from(
            "• The localhost callback URLs were only for this check; remove them from the app if you like.",
        ));
    }
    match (&model.connect.kept, model.demo.is_some()) {
        (_, true) => lines.push(Line::from(
            "• Demo: nothing was kept; the demo org goes away when you quit.",
        )),
        (Some(Ok(place)), _) => {
            lines.push(Line::from(format!("• Kept as {place}.")));
            let name = place.split_whitespace().nth(1).unwrap_or("NAME");
            lines.push(Line::from(format!(
                "• Check it again any time: eca-wizard status {name}"
            )));
        }
        (Some(Err(why)), _) if model.connect.offer_file => {
            lines.push(Line::styled(format!("• Not kept yet: {why}"), theme.warn()));
            lines.push(Line::from(
                "  Press k to keep the secrets in an owner-only file instead (readable only by you).",
            ));
        }
        (Some(Err(why)), _) => {
            lines.push(Line::styled(format!("• Not kept: {why}"), theme.warn()));
            lines.push(Line::from(
                "  Keep it later: eca-wizard connect ... --save NAME",
            ));
        }
        (None, false) => lines.push(Line::styled("• Keeping the connection…", theme.dim())),
    }
    lines.push(Line::from(
        "• Your saved progress was cleared; nothing secret was ever written to it.",
    ));
    lines
}

#[cfg(test)]
mod tests {
    #[test]
    fn urls_break_after_their_slashes() {
        let rows = super::url_rows(
            "https://developers.apideck.com/apis/crm/salesforce/configuration",
            42,
        );
        assert_eq!(
            rows,
            [
                "https://developers.apideck.com/apis/crm/",
                "salesforce/configuration"
            ]
        );
        assert_eq!(super::url_rows("https://a.b/c", 42), ["https://a.b/c"]);
        // No slash to break at: cut at the width.
        assert_eq!(super::url_rows("abcdef", 4), ["abcd", "ef"]);
    }
}
