//! The checklist: a sidebar of steps with their marks, and the current step's Setup path,
//! what to do and why, the settings to set, and the fields to fill in. The step's text scrolls;
//! the fields stay put below it and shrink to one line each when the terminal is short.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::recipe::SettingValue;
use crate::salesforce::{edit_paths, settings};
use crate::ui::field::{self, FieldLook};
use crate::ui::{Theme, pane};
use crate::wizard::vendor::VendorValue;
use crate::wizard::{Model, StepMark, StepScreen, Typed};

/// The fewest rows the step's text keeps before the fields fold to one line each.
const MIN_TEXT_ROWS: u16 = 8;

pub const SCROLL_HINT: &str = "ctrl-n/p";

struct StepLayout {
    sidebar: Rect,
    text: Rect,
    fields: Vec<(Rect, FieldLook)>,
}

fn layout(screen: &StepScreen, area: Rect) -> StepLayout {
    let sidebar_width = if area.width >= 110 { 34 } else { 24 };
    let [sidebar, _, main] = Layout::horizontal([
        Constraint::Length(sidebar_width),
        Constraint::Length(1),
        Constraint::Min(30),
    ])
    .areas(area);
    let looks = field::looks(
        &screen.form,
        main.width,
        main.height.saturating_sub(MIN_TEXT_ROWS),
    );
    let heights: Vec<u16> = looks.iter().map(FieldLook::height).collect();
    let total: u16 = heights.iter().sum();
    let [text, fields_area] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(total.min(main.height.saturating_sub(3))),
    ])
    .areas(main);
    let rows = Layout::vertical(heights.iter().map(|h| Constraint::Length(*h))).split(fields_area);
    StepLayout {
        sidebar,
        text,
        fields: rows.iter().copied().zip(looks).collect(),
    }
}

/// How far the step's text scrolls at the model's terminal size.
pub fn max_scroll(model: &Model, screen: &StepScreen, body: Rect) -> u16 {
    let theme = Theme::new(false);
    pane::max_scroll(
        &text_lines(model, screen, &theme),
        layout(screen, body).text,
    )
}

pub fn render(model: &Model, screen: &StepScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let index = screen.index;
    if model.setup.is_none() {
        return;
    }
    let parts = layout(screen, area);
    let block = Block::bordered().title(" Steps ").border_style(theme.dim());
    let list = block.inner(parts.sidebar);
    frame.render_widget(block, parts.sidebar);
    frame.render_widget(Paragraph::new(step_list(model, index, list, theme)), list);
    let hint = if screen.form.inputs.is_empty() {
        "↑↓"
    } else {
        SCROLL_HINT
    };
    pane::draw(
        frame,
        parts.text,
        text_lines(model, screen, theme),
        screen.pane.scroll,
        hint,
        theme,
    );
    for (i, (row, look)) in parts.fields.iter().enumerate() {
        if let Some(input) = screen.form.inputs.get(i) {
            field::draw(frame, *row, input, *look, screen.reveal_secrets, theme);
        }
    }
}

/// One row per step, shortened with "…" when the title is long; when the steps don't all fit,
/// a window that keeps the current step in view, with how many are above and below.
fn step_list(model: &Model, index: usize, area: Rect, theme: &Theme) -> Vec<Line<'static>> {
    let Some(setup) = &model.setup else {
        return Vec::new();
    };
    let steps = &setup.recipe.steps;
    let rows = area.height as usize;
    let (first, last) = if steps.len() <= rows {
        (0, steps.len())
    } else {
        // Two rows go to the "above"/"below" markers when needed.
        let room = rows.saturating_sub(2).max(1);
        let first = index.saturating_sub(room / 2).min(steps.len() - room);
        (first, first + room)
    };
    let width = area.width as usize;
    let mut lines = Vec::new();
    if first > 0 {
        lines.push(Line::styled(format!("▲ {first} more"), theme.accent()));
    }
    for (i, step) in steps.iter().enumerate().take(last).skip(first) {
        let (mark, style) = match setup.marks[i] {
            StepMark::Done => ("✓", theme.ok()),
            // Made by "Set it up for me" (apply).
            StepMark::Applied => ("A", theme.ok()),
            StepMark::NeedsFix => ("✗", theme.bad()),
            StepMark::Todo if i == index => ("▶", theme.accent()),
            StepMark::Todo => ("·", theme.dim()),
        };
        let title_style = if i == index {
            theme.selected()
        } else {
            ratatui::style::Style::new()
        };
        let room = width.saturating_sub(2);
        let title = if step.title.chars().count() > room {
            let kept: String = step.title.chars().take(room.saturating_sub(1)).collect();
            format!("{}…", kept.trim_end())
        } else {
            step.title.clone()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::styled(title, title_style),
        ]));
    }
    if last < steps.len() {
        lines.push(Line::styled(
            format!("▼ {} more", steps.len() - last),
            theme.accent(),
        ));
    }
    lines
}

fn text_lines(model: &Model, screen: &StepScreen, theme: &Theme) -> Vec<Line<'static>> {
    let index = screen.index;
    let Some(setup) = &model.setup else {
        return Vec::new();
    };
    let step = &setup.recipe.steps[index];
    let fix = screen.fix.as_ref();
    let mut lines = vec![Line::styled(
        format!("{}. {}", index + 1, step.title),
        theme.heading(),
    )];
    let typed = Typed::new(setup, Some(&screen.form));
    // A note on what the org screen changed (a Lightning URL converted) comes first, in view.
    for note in &screen.form.notes {
        lines.push(Line::styled(format!("note: {note}"), theme.dim()));
    }
    let made_by_apply = setup.marks[index] == StepMark::Applied
        || (setup.by_apply && crate::wizard::made_by_apply(setup.recipe, index));
    lines.extend(apply_line(setup, index, step.kind, theme));
    let edit = fix.and_then(|_| edit_paths::for_step(step.kind));
    match edit {
        Some(edit) => {
            lines.push(Line::from(vec![
                Span::styled("Fix    ", theme.bad()),
                Span::raw(typed.path(&edit.path()).join(" › ")),
            ]));
            lines.push(Line::styled(format!("       {}", edit.note), theme.dim()));
        }
        // Apply makes the step: there is nothing to click, so no path.
        None if made_by_apply => {}
        None => lines.push(Line::from(vec![
            Span::styled("Where  ", theme.dim()),
            Span::raw(typed.path(&step.setup_path).join(" › ")),
        ])),
    }
    if let Some(page) = step.page.filter(|_| !made_by_apply) {
        lines.push(Line::from(vec![
            Span::styled("Find   ", theme.dim()),
            Span::raw(format!("Quick Find: {}", page.quick_find())),
        ]));
    }
    if let Some(fix) = fix {
        lines.push(Line::from(vec![
            Span::styled("Found  ", theme.bad()),
            Span::raw(fix.message.clone()),
        ]));
    }
    lines.push(Line::from(""));
    // In fix mode the creation text ("... Click Create") is not what the admin does now, and
    // with apply making the step, its clicks are apply's.
    if edit.is_none() && !made_by_apply {
        lines.push(Line::from(vec![
            Span::styled("Do   ", theme.accent()),
            Span::raw(step.what.trim().to_string()),
        ]));
        if step.kind == crate::recipe::StepKind::Credentials {
            lines.push(Line::from(vec![
                Span::styled("Code ", theme.accent()),
                Span::raw(crate::salesforce::edit_paths::IDENTITY_CHECK),
            ]));
        }
    }
    lines.push(Line::from(vec![
        Span::styled("Why  ", theme.accent()),
        Span::raw(step.why.trim().to_string()),
    ]));
    if let Some(note) = &step.guide_note {
        lines.push(Line::from(vec![
            Span::styled("Note ", theme.warn()),
            Span::raw(note.trim().to_string()),
        ]));
    }
    for setting in &step.settings {
        lines.extend(setting_lines(setting, &typed, fix, theme));
    }
    for object in &step.objects {
        let access: Vec<String> = object.access.iter().map(|a| format!("{a:?}")).collect();
        let optional = if object.optional { " (optional)" } else { "" };
        lines.push(Line::from(format!(
            "  • {}: {}{optional}",
            object.object,
            access.join(" + ")
        )));
    }
    // The button comes after what it saves; apply's clicks and a fix's edit are not this one.
    if edit.is_none() && !made_by_apply {
        lines.extend(finish_line(step.finish.as_deref(), theme));
    }
    if index == 0 {
        lines.extend(connected_app_lines(setup.recipe, theme));
    }
    lines.extend(crate::ui::step_extras::lines(setup.recipe, index, theme));
    lines.extend(crate::ui::step_extras::install_lines(
        setup.recipe,
        index,
        setup.login_url.as_deref(),
        theme,
    ));
    lines.extend(vendor_lines(model, screen, theme));
    lines
}

/// A guide written for a Connected App: what it asks for, and the ECA equivalent.
fn connected_app_lines(recipe: &crate::recipe::Recipe, theme: &Theme) -> Vec<Line<'static>> {
    if recipe.connected_app.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![
        Line::from(""),
        Line::styled(
            "The guide was written for a Connected App; in this External Client App:",
            theme.warn(),
        ),
    ];
    for note in &recipe.connected_app {
        lines.push(Line::from(format!(
            "  • {} ({}) → {}",
            note.label, note.value, note.eca
        )));
    }
    lines
}

/// The vendor's own steps, after the credentials: where in its product, what to do, and each
/// field with the value to enter (secrets masked unless revealed).
fn vendor_lines(model: &Model, screen: &StepScreen, theme: &Theme) -> Vec<Line<'static>> {
    let vendor = model.recipe().map_or("", |r| r.vendor.as_str()).to_string();
    let mut lines = Vec::new();
    for (step, fields) in model.vendor_steps(screen.index) {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!("In {vendor}: {}", step.title),
            theme.heading(),
        ));
        lines.push(Line::from(vec![
            Span::styled("Where  ", theme.dim()),
            Span::raw(step.place.join(" › ")),
        ]));
        lines.push(Line::from(vec![
            Span::styled("Do   ", theme.accent()),
            Span::raw(step.what.trim().to_string()),
        ]));
        for (label, value) in fields {
            let value = match value {
                VendorValue::Known(text) => Span::raw(text),
                VendorValue::Secret(text) if screen.reveal_secrets => Span::raw(text),
                VendorValue::Secret(text) => {
                    // ctrl-r is offered where a secret field is on show.
                    let hint = if screen.form.inputs.iter().any(|i| i.secret) {
                        " (ctrl-r shows it)"
                    } else {
                        ""
                    };
                    Span::raw("•".repeat(text.chars().count().min(24)) + hint)
                }
                VendorValue::Later(what) => Span::styled(format!("({what})"), theme.dim()),
            };
            lines.push(Line::from(vec![Span::raw(format!("  • {label}: ")), value]));
        }
        lines.extend(finish_line(step.finish.as_deref(), theme));
    }
    lines
}

/// "Then click Save": the button the guide ends a step with, when the recipe names it.
fn finish_line(button: Option<&str>, theme: &Theme) -> Option<Line<'static>> {
    button.map(|button| {
        Line::from(vec![
            Span::styled("Then ", theme.accent()),
            Span::raw(format!("click {}", button.trim())),
        ])
    })
}

/// What "Set it up for me" does with this step, when it is the way the app is made.
fn apply_line(
    setup: &crate::wizard::Setup,
    index: usize,
    kind: crate::recipe::StepKind,
    theme: &Theme,
) -> Option<Line<'static>> {
    if setup.marks[index] == StepMark::Applied {
        return Some(Line::styled(
            "Done by apply (Set it up for me); the connect verifies it.",
            theme.ok(),
        ));
    }
    if !setup.by_apply {
        return None;
    }
    Some(if crate::wizard::made_by_apply(setup.recipe, index) {
        Line::styled(
            "Apply makes this step: type the answers below; no clicks in Setup.",
            theme.accent(),
        )
    } else if kind == crate::recipe::StepKind::Connect {
        Line::styled(
            "Apply needs this to sign in once it has made the app.",
            theme.accent(),
        )
    } else {
        Line::styled(
            "Apply can't make this step: do it in Setup, then continue.",
            theme.warn(),
        )
    })
}

/// A setting and the value it takes: what the admin typed for a value from a field (each
/// callback URL on its own line, whole, so it copies), the recipe's value otherwise.
fn setting_lines(
    setting: &crate::recipe::Setting,
    typed: &Typed,
    fix: Option<&crate::wizard::Fix>,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let label = settings::lookup(setting.key).map_or(setting.key.id(), |s| s.label);
    let mut below = Vec::new();
    let value = match (&setting.value, &setting.from_field) {
        (Some(SettingValue::Checked(true)), _) => Span::styled("☑ checked", theme.ok()),
        (Some(SettingValue::Checked(false)), _) => Span::styled("☐ unchecked", theme.warn()),
        (Some(SettingValue::Text(text)), _) => Span::raw(text.clone()),
        (Some(SettingValue::List(items)), _) => Span::raw(items.join(", ")),
        (Some(SettingValue::Number(n)), _) => Span::raw(n.to_string()),
        (None, Some(field)) => match typed.field(field) {
            Some(value) if value.contains('\n') => {
                below = value
                    .lines()
                    .map(|line| Line::from(format!("      {line}")))
                    .collect();
                Span::styled("one per line:", theme.dim())
            }
            Some(value) => Span::raw(value),
            None if typed.on_show(field) => Span::styled("as typed below", theme.dim()),
            None => Span::styled("not typed yet", theme.warn()),
        },
        (None, None) => Span::raw(""),
    };
    let at_fault = fix.is_some_and(|f| f.setting == Some(setting.key));
    let mut lines = vec![if at_fault {
        let wrong = fix.and_then(|f| f.wrong.clone()).unwrap_or_default();
        Line::from(vec![
            Span::styled(format!("  → {label}: "), theme.bad()),
            Span::styled(wrong, theme.bad()),
            Span::raw(" → set "),
            value,
        ])
    } else {
        Line::from(vec![Span::raw(format!("  • {label}: ")), value])
    }];
    lines.extend(below);
    if let Some(SettingValue::Text(text)) = &setting.value
        && let Some(caution) = settings::caution(setting.key, text)
    {
        lines.push(Line::from(vec![
            Span::styled("    ! ", theme.warn()),
            Span::raw(caution),
        ]));
    }
    lines
}
