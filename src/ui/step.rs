//! The checklist: a sidebar of steps with their marks, and the current step's Setup path,
//! what to do and why, the settings to set, and the fields to fill in.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::recipe::SettingValue;
use crate::salesforce::settings;
use crate::ui::Theme;
use crate::wizard::{FieldInput, Model, StepMark};

const FIELD_HEIGHT: u16 = 4;

pub fn render(model: &Model, index: usize, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(setup) = &model.setup else { return };
    let sidebar_width = if area.width >= 110 { 34 } else { 24 };
    let [sidebar, _, main] = Layout::horizontal([
        Constraint::Length(sidebar_width),
        Constraint::Length(1),
        Constraint::Min(30),
    ])
    .areas(area);

    let mut items = Vec::new();
    for (i, step) in setup.recipe.steps.iter().enumerate() {
        let (mark, style) = match setup.marks[i] {
            StepMark::Done => ("✓", theme.ok()),
            StepMark::NeedsFix => ("✗", theme.bad()),
            StepMark::Todo if i == index => ("▶", theme.accent()),
            StepMark::Todo => ("·", theme.dim()),
        };
        let title = Span::styled(
            step.title.clone(),
            if i == index {
                theme.selected()
            } else {
                ratatui::style::Style::new()
            },
        );
        items.push(Line::from(vec![
            Span::styled(format!("{mark} "), style),
            title,
        ]));
    }
    let block = Block::bordered().title(" Steps ").border_style(theme.dim());
    frame.render_widget(
        Paragraph::new(items).block(block).wrap(Wrap { trim: true }),
        sidebar,
    );

    let step = &setup.recipe.steps[index];
    let fields_height =
        (model.inputs.len() as u16 * FIELD_HEIGHT).min(main.height.saturating_sub(6));
    let [text_area, fields_area] =
        Layout::vertical([Constraint::Min(4), Constraint::Length(fields_height)]).areas(main);

    let mut lines = vec![
        Line::styled(format!("{}. {}", index + 1, step.title), theme.heading()),
        Line::from(vec![
            Span::styled("Where  ", theme.dim()),
            Span::raw(step.setup_path.join(" › ")),
        ]),
    ];
    if let Some(page) = step.page {
        lines.push(Line::from(vec![
            Span::styled("Find   ", theme.dim()),
            Span::raw(format!("Quick Find: {}", page.quick_find())),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::styled("Do   ", theme.accent()),
        Span::raw(step.what.trim().to_string()),
    ]));
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
        let label = settings::lookup(setting.key).map_or(setting.key.id(), |s| s.label);
        let value = match (&setting.value, &setting.from_field) {
            (Some(SettingValue::Checked(true)), _) => Span::styled("☑ checked", theme.ok()),
            (Some(SettingValue::Checked(false)), _) => Span::styled("☐ unchecked", theme.warn()),
            (Some(SettingValue::Text(text)), _) => Span::raw(text.clone()),
            (Some(SettingValue::List(items)), _) => Span::raw(items.join(", ")),
            (None, Some(field)) => {
                Span::styled(format!("your {}", field.replace('_', " ")), theme.dim())
            }
            (None, None) => Span::raw(""),
        };
        lines.push(Line::from(vec![Span::raw(format!("  • {label}: ")), value]));
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
    for note in &model.notes {
        lines.push(Line::styled(format!("note: {note}"), theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), text_area);

    let rows = Layout::vertical(
        model
            .inputs
            .iter()
            .map(|_| Constraint::Length(FIELD_HEIGHT)),
    )
    .split(fields_area);
    for (i, (input, row)) in model.inputs.iter().zip(rows.iter()).enumerate() {
        field(
            frame,
            *row,
            input,
            i == model.focus,
            model.reveal_secrets,
            theme,
        );
    }
}

/// One input: a box titled with the label, the (masked) value, and below it the error or help.
pub fn field(
    frame: &mut Frame,
    area: Rect,
    input: &FieldInput,
    focused: bool,
    reveal: bool,
    theme: &Theme,
) {
    if area.height < 3 {
        return;
    }
    let [box_area, message_area] =
        Layout::vertical([Constraint::Length(3), Constraint::Length(1)]).areas(area);
    let border = if input.error.is_some() {
        theme.bad()
    } else if focused {
        theme.focused_border()
    } else {
        theme.dim()
    };
    let block = Block::bordered()
        .title(format!(" {} ", input.label))
        .border_style(border);
    let inner_width = box_area.width.saturating_sub(2) as usize;
    let scroll = input.input.visual_scroll(inner_width.saturating_sub(1));
    let shown: String = input.shown(reveal).chars().skip(scroll).collect();
    frame.render_widget(Paragraph::new(shown).block(block), box_area);
    if focused {
        let x = box_area.x + 1 + (input.input.visual_cursor().saturating_sub(scroll)) as u16;
        frame.set_cursor_position(Position::new(
            x.min(box_area.right().saturating_sub(2)),
            box_area.y + 1,
        ));
    }
    let message = match &input.error {
        Some(error) => Line::styled(format!(" ✗ {error}"), theme.bad()),
        None => Line::styled(format!(" {}", input.help), theme.dim()),
    };
    frame.render_widget(Paragraph::new(message), message_area);
}
