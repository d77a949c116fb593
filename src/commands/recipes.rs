//! `eca-wizard recipes [ID [--choice ID=OPTION]...] [--json]`: what the recipes are and what
//! each asks for, for the default answers to its choices or the ones given.

use std::io::{self, Write};

use serde::Serialize;

use crate::recipe::{self, Recipe, SettingValue, Step};
use crate::salesforce::scopes;
use crate::salesforce::settings;

pub fn run(id: Option<&str>, choices: &[String], json: bool) -> anyhow::Result<()> {
    let chosen = match id {
        Some(id) => Some(crate::commands::failure::recipe_with_choices(id, choices)?),
        None => None,
    };
    if json {
        return match chosen {
            Some(recipe) => crate::commands::output::print(
                "recipes",
                0,
                &RecipeView::new(recipe),
                &skipped_warnings(),
            ),
            None => {
                let recipes = recipe::known()?;
                let views: Vec<RecipeView> = recipes.iter().map(RecipeView::new).collect();
                crate::commands::output::print("recipes", 0, &views, &skipped_warnings())
            }
        };
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match chosen {
        Some(recipe) => write_checklist(&mut out, recipe)?,
        None => write_list(&mut out, recipe::known()?)?,
    }
    Ok(())
}

/// `recipes show ID --format json`: the recipe's JSON shape alone, as a file to keep.
pub fn write_json(recipe: &Recipe) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer_pretty(&mut out, &RecipeView::new(recipe))?;
    writeln!(out)?;
    Ok(())
}

/// The local recipe files left out (each named with why), as the envelope's warnings.
fn skipped_warnings() -> Vec<crate::commands::output::Warning> {
    recipe::skipped()
        .iter()
        .map(|e| {
            crate::commands::output::Warning::new(
                "recipe_skipped",
                crate::terminal_safe::terminal_safe(&e.to_string()),
            )
        })
        .collect()
}

/// The recipe's JSON shape, for the envelope of `recipes show --json`.
pub fn view(recipe: &Recipe) -> serde_json::Value {
    serde_json::to_value(RecipeView::new(recipe)).unwrap_or_default()
}

/// The stable JSON shape of a recipe, independent of how the TOML is laid out.
#[derive(Serialize)]
struct RecipeView<'a> {
    id: &'a str,
    title: &'a str,
    vendor: &'a str,
    source: &'a str,
    guide: &'a str,
    flow: &'static str,
    summary: &'a str,
    scopes: &'a [String],
    callback_urls: Vec<String>,
    refresh_token: bool,
    refresh_needs_secret: bool,
    steps: Vec<StepView<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    choices: &'a [recipe::format2::Choice],
    /// The answers this checklist is for (`--choice`, or the defaults): choice id -> option.
    #[serde(skip_serializing_if = "serde_json::Value::is_null")]
    answers: serde_json::Value,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    vendor_steps: &'a [recipe::format2::VendorStep],
    #[serde(skip_serializing_if = "Option::is_none")]
    written_for: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    connected_app: &'a [recipe::format2::ConnectedAppNote],
    #[serde(skip_serializing_if = "Option::is_none")]
    propagation_minutes: Option<u32>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    prerequisites: &'a [recipe::Prerequisite],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    profiles: &'a [recipe::ProfileClone],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    custom_scopes: &'a [recipe::CustomScope],
    #[serde(skip_serializing_if = "Option::is_none")]
    package: Option<&'a recipe::package::Package>,
}

#[derive(Serialize)]
struct StepView<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'static str,
    setup_path: &'a [String],
    settings: Vec<SettingView<'a>>,
    fields: Vec<FieldView<'a>>,
    objects: Vec<ObjectView<'a>>,
    verifies: &'a [recipe::Check],
    /// The button that ends the step in Setup, when the recipe names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    finish: Option<&'a str>,
}

#[derive(Serialize)]
struct SettingView<'a> {
    key: &'static str,
    label: &'static str,
    section: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a SettingValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from_field: Option<&'a str>,
    level: recipe::format2::Level,
}

#[derive(Serialize)]
struct FieldView<'a> {
    id: &'a str,
    label: &'a str,
    validator: recipe::Validator,
    required: bool,
    secret: bool,
}

#[derive(Serialize)]
struct ObjectView<'a> {
    object: &'a str,
    access: &'a [recipe::ObjectPermission],
    optional: bool,
}

impl<'a> RecipeView<'a> {
    fn new(recipe: &'a Recipe) -> Self {
        RecipeView {
            id: &recipe.id,
            title: &recipe.title,
            vendor: &recipe.vendor,
            source: &recipe.source,
            guide: &recipe.guide,
            flow: recipe.flow.id(),
            summary: &recipe.summary,
            scopes: &recipe.scopes,
            callback_urls: recipe.default_callback_urls(),
            refresh_token: recipe.expects_refresh_token(),
            refresh_needs_secret: recipe.refresh_needs_secret(),
            steps: recipe.steps.iter().map(StepView::new).collect(),
            choices: &recipe.choices,
            answers: if recipe.choices.is_empty() {
                serde_json::Value::Null
            } else {
                crate::commands::failure::choices_json(recipe)
            },
            vendor_steps: &recipe.vendor_steps,
            written_for: recipe.written_for.as_deref(),
            connected_app: &recipe.connected_app,
            propagation_minutes: recipe.propagation_minutes,
            prerequisites: &recipe.prerequisites,
            profiles: &recipe.profiles,
            custom_scopes: &recipe.custom_scopes,
            package: recipe.package.as_ref(),
        }
    }
}

impl<'a> StepView<'a> {
    fn new(step: &'a Step) -> Self {
        StepView {
            id: &step.id,
            title: &step.title,
            kind: step.kind.id(),
            setup_path: &step.setup_path,
            finish: step.finish.as_deref(),
            settings: step
                .settings
                .iter()
                .map(|s| {
                    let info = settings::lookup(s.key);
                    SettingView {
                        key: s.key.id(),
                        label: info.map_or("", |i| i.label),
                        section: info.map_or("", |i| i.section),
                        value: s.value.as_ref(),
                        from_field: s.from_field.as_deref(),
                        level: s.level,
                    }
                })
                .collect(),
            fields: step
                .fields
                .iter()
                .map(|f| FieldView {
                    id: &f.id,
                    label: &f.label,
                    validator: f.validator,
                    required: f.required,
                    secret: f.secret,
                })
                .collect(),
            objects: step
                .objects
                .iter()
                .map(|o| ObjectView {
                    object: &o.object,
                    access: &o.access,
                    optional: o.optional,
                })
                .collect(),
            verifies: &step.verifies,
        }
    }
}

fn write_list(out: &mut impl Write, recipes: &[Recipe]) -> io::Result<()> {
    let id_width = recipes.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    writeln!(
        out,
        "{:id_width$}  {:18}  {:26}  TITLE",
        "ID", "FLOW", "GUIDE"
    )?;
    for r in recipes {
        // A local recipe shows where it was read from instead of the guide it mirrors.
        let guide = match &r.origin {
            Some(_) => "local",
            None => short_source(&r.source),
        };
        writeln!(
            out,
            "{:id_width$}  {:18}  {:26}  {}",
            r.id,
            r.flow.id(),
            clean(guide),
            clean(&r.title)
        )?;
    }
    for r in recipes.iter().filter(|r| r.origin.is_some()) {
        writeln!(
            out,
            "local: {} from {}",
            r.id,
            crate::terminal_safe::terminal_safe(r.origin.as_deref().unwrap_or_default())
        )?;
    }
    if let Some(dir) = recipe::local_dir() {
        writeln!(out, "\nYour own recipes: *.toml files in {}", dir.display())?;
    }
    writeln!(out, "Show one recipe's checklist: eca-wizard recipes <ID>")
}

/// Where the guide is published: its URL's host (the full URL is in `recipes ID` and
/// `--json`), cut to the column.
fn short_source(source: &str) -> &str {
    let host = source.split_once("://").map_or(source, |(_, rest)| {
        rest.split(['/', '?', '#']).next().unwrap_or(rest)
    });
    match host.char_indices().nth(26) {
        Some((cut, _)) => &host[..cut],
        None => host,
    }
}

/// Width of the printed checklist; wide enough for Setup labels, narrow enough for a terminal.
const WIDTH: usize = 96;

fn write_checklist(out: &mut impl Write, recipe: &Recipe) -> io::Result<()> {
    writeln!(out, "{}", clean(&recipe.title))?;
    writeln!(
        out,
        "Mirrors: {} by {} [{}]",
        clean(&recipe.guide),
        clean(&recipe.vendor),
        clean(&recipe.source)
    )?;
    writeln!(out, "Flow:    {}\n", recipe.flow)?;
    writeln!(out, "{}\n", wrap(&clean(&recipe.summary), "", ""))?;
    let labels = scopes::labels_for(recipe.scopes.iter().map(String::as_str));
    writeln!(out, "Scopes:  {}", labels.join("\n         "))?;
    crate::commands::recipe_extras::write_before(out, recipe)?;
    for (n, step) in recipe.steps.iter().enumerate() {
        writeln!(out, "\n{:>2}. {}", n + 1, clean(&step.title))?;
        const HANG: &str = "           ";
        writeln!(
            out,
            "{}",
            wrap(&clean(&step.setup_path.join(" > ")), "    Where: ", HANG)
        )?;
        writeln!(out, "{}", wrap(&clean(&step.what), "    Do:    ", HANG))?;
        if step.kind == recipe::StepKind::Credentials {
            let check = crate::salesforce::edit_paths::IDENTITY_CHECK;
            writeln!(out, "{}", wrap(check, "    Setup: ", HANG))?;
        }
        writeln!(out, "{}", wrap(&clean(&step.why), "    Why:   ", HANG))?;
        if let Some(note) = &step.guide_note {
            writeln!(out, "{}", wrap(&clean(note), "    Note:  ", HANG))?;
        }
        for setting in &step.settings {
            let label = settings::lookup(setting.key).map_or(setting.key.id(), |i| i.label);
            let label = match setting.level {
                recipe::format2::Level::Required => label.to_string(),
                recipe::format2::Level::Recommended => format!("{label} (recommended)"),
                recipe::format2::Level::Optional => format!("{label} (optional)"),
            };
            let value = match (&setting.value, &setting.from_field) {
                (Some(value), _) => value.to_string(),
                (None, Some(field)) => field_value(recipe, field),
                (None, None) => String::new(),
            };
            if value.contains('\n') {
                // One per line, as the box in Setup takes them.
                writeln!(out, "    - {label} (one per line):")?;
                for line in value.lines() {
                    writeln!(out, "        {}", clean(line))?;
                }
                continue;
            }
            writeln!(
                out,
                "{}",
                wrap(&clean(&format!("{label}: {value}")), "    - ", "      ")
            )?;
            if let Some(caution) = settings::caution(setting.key, &value) {
                writeln!(out, "{}", wrap(caution, "      ! ", "        "))?;
            }
        }
        for object in &step.objects {
            let optional = if object.optional { ", optional" } else { "" };
            let note = object
                .note
                .as_deref()
                .map_or(String::new(), |n| format!(" ({})", clean(n)));
            let access: Vec<String> = object
                .access
                .iter()
                .map(|a| format!("{a:?}").to_lowercase())
                .collect();
            writeln!(
                out,
                "    - {}: {}{optional}{note}",
                object.object,
                access.join("+")
            )?;
        }
        for field in &step.fields {
            let masked = if field.secret { ", masked" } else { "" };
            writeln!(
                out,
                "    > you enter: {} [{}{masked}]",
                clean(&field.label),
                field.validator.id()
            )?;
        }
        write_finish(out, step.finish.as_deref())?;
    }
    crate::commands::recipe_extras::write_after(out, recipe)
}

/// "Then: click Save", the button that ends a step or a vendor step: last, after what it saves.
pub(crate) fn write_finish(out: &mut impl Write, button: Option<&str>) -> io::Result<()> {
    match button {
        Some(button) => writeln!(out, "    Then:  click {}", clean(button)),
        None => Ok(()),
    }
}

/// Recipe text on the terminal: line breaks are spaces (the checklist wraps it itself) and
/// anything that could drive the terminal is replaced, though the loader refuses such text.
pub(crate) fn clean(text: &str) -> String {
    let spaced: String = text
        .trim()
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    crate::terminal_safe::terminal_safe(&spaced)
}

/// What a setting taken from a field is set to: the field's default (the vendor's callback URL
/// first, the wizard's loopback ones marked), or what to type when there is none.
fn field_value(recipe: &Recipe, id: &str) -> String {
    let Some(field) = recipe.field(id) else {
        return format!("<{id}>");
    };
    match recipe.field_default(field) {
        Some(value) if field.validator == recipe::Validator::CallbackUrls => value
            .split_whitespace()
            .map(|url| {
                if crate::salesforce::callback::is_loopback_url(url) {
                    format!("{url} (the wizard's check; remove after)")
                } else {
                    url.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Some(value) if !value.is_empty() => format!("{value} (or yours)"),
        _ => format!("what you enter as {}", field.label),
    }
}

/// Greedy word wrap with a first-line prefix and a hanging indent for the rest.
fn wrap(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::from(first);
    let mut line_len = first.chars().count();
    let mut line_empty = true;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if !line_empty && line_len + 1 + len > WIDTH {
            out.push('\n');
            out.push_str(rest);
            line_len = rest.chars().count();
            line_empty = true;
        }
        if !line_empty {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
        line_empty = false;
    }
    out
}
