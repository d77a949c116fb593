//! `recipes show | new | check`: recipes as files a consultant writes and keeps.

use crate::cli::RecipesAction;
use crate::commands::UsageError;
use crate::commands::output;
use crate::recipe::{self, lint};

pub fn run(action: RecipesAction) -> anyhow::Result<u8> {
    match action {
        RecipesAction::Show { id, format, json } => {
            let recipe = crate::commands::failure::recipe_by_id(&id)?;
            if json {
                let view = crate::commands::recipes::view(recipe);
                output::print("recipes show", 0, &view, &[])?;
                return Ok(0);
            }
            match format.as_str() {
                "toml" => write_out(&recipe::file_text(recipe)?)?,
                "json" => crate::commands::recipes::write_json(recipe)?,
                _ => crate::commands::recipes::run(Some(&id), &[], false)?,
            }
            Ok(0)
        }
        RecipesAction::New {
            id,
            from,
            out,
            json,
        } => new(&id, &from, out, json),
        RecipesAction::Check { file, json } => check(&file, json),
        RecipesAction::Schema { json } => {
            let markdown = recipe::schema::markdown();
            if json {
                let result = serde_json::json!({ "markdown": markdown });
                output::print("recipes schema", 0, &result, &[])?;
            } else {
                write_out(&markdown)?;
            }
            Ok(0)
        }
    }
}

/// Text to stdout through a lock: a closed pipe comes back as an error, never a panic.
fn write_out(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// A starter file: the `from` recipe under the new id, with a header saying what to change.
fn new(id: &str, from: &str, out: Option<std::path::PathBuf>, json: bool) -> anyhow::Result<u8> {
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(UsageError(format!(
            "'{id}' can't be a recipe id: use lowercase letters, digits and '-'"
        ))
        .into());
    }
    if let Some(taken) = recipe::known()?.iter().find(|r| r.id == id) {
        let by = taken.origin.as_deref().unwrap_or("a built-in recipe");
        return Err(UsageError(format!(
            "id '{id}' is already taken by {}; choose another id",
            crate::terminal_safe::terminal_safe(by)
        ))
        .into());
    }
    let source = crate::commands::failure::recipe_by_id(from)?;
    let text = recipe::file_text(source)?;
    let body = starter_body(&text, &source.id, id);
    // A local recipe started from `recipes new` already says its format; say it once.
    let has_format = toml::from_str::<toml::Table>(&text).is_ok_and(|t| t.contains_key("format"));
    let format_line = if has_format {
        String::new()
    } else {
        format!("format = {}\n", recipe::FORMAT)
    };
    let header = format!(
        "# Recipe {id}, started from '{from}'. Keys, step kinds, settings, validators and roles:\n\
         # docs/recipes.md in eca-wizard's repository, or `eca-wizard recipes schema`.\n\
         # Check it with `eca-wizard recipes check FILE`; files in the recipes folder are listed\n\
         # by `eca-wizard recipes` and offered by the wizard.\n\
         # Change title, vendor, source, guide, summary, scopes, callback_urls, app_name,\n\
         # handoff and each step's text to your integration's own; keep one field per role.\n\
         {format_line}"
    );
    let path = match out {
        Some(path) => path,
        None => recipe::local_dir()
            .ok_or_else(|| anyhow::anyhow!("no data folder; pass --out FILE"))?
            .join(format!("{id}.toml")),
    };
    if path.exists() {
        return Err(UsageError(format!("{} exists; pass another --out", path.display())).into());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::files::create_private_dir(dir)?;
    }
    // Owner-only like every file eca-wizard writes; never over an existing name or symlink.
    crate::files::write_new_private(&path, format!("{header}{body}").as_bytes())?;
    let shown = path.display().to_string();
    if json {
        let result = serde_json::json!({ "id": id, "from": from, "path": shown });
        output::print("recipes new", 0, &result, &[])?;
    } else {
        let quoted = crate::shell_quote::path_for_shell(&path);
        write_out(&format!(
            "Wrote {}. Check it with: eca-wizard recipes check {quoted}\n",
            crate::terminal_safe::terminal_safe(&shown)
        ))?;
    }
    Ok(0)
}

/// The source file under the new id and a title of its own (a copy of another recipe's title
/// is refused), without the header an earlier `recipes new` wrote.
fn starter_body(text: &str, from: &str, id: &str) -> String {
    let body = if text.starts_with("# Recipe ") {
        let start = text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| l.len() + 1)
            .sum::<usize>();
        &text[start.min(text.len())..]
    } else {
        text
    };
    body.replacen(&format!("id = \"{from}\""), &format!("id = \"{id}\""), 1)
        .replacen("title = \"", &format!("title = \"{id}: "), 1)
}

fn check(file: &std::path::Path, json: bool) -> anyhow::Result<u8> {
    let (name, text) = if file.as_os_str() == "-" {
        let text = crate::commands::read_input(file)
            .map_err(|e| UsageError(format!("can't read the recipe on stdin: {e}")))?;
        ("<stdin>".to_string(), text)
    } else {
        let name = file.display().to_string();
        // Read as the loader reads it: capped, and only a file no one else may change.
        let text = recipe::read_capped(file).map_err(|e| {
            UsageError(format!(
                "{}: {}",
                crate::terminal_safe::terminal_safe(&name),
                crate::terminal_safe::terminal_safe(&e)
            ))
        })?;
        (name, text)
    };
    let problems = lint::lint(&name, &text);
    let recipe = if problems.is_empty() {
        Some(recipe::parse(&name, &text)?)
    } else {
        None
    };
    let code = u8::from(!problems.is_empty());
    if json {
        let list: Vec<_> = problems
            .iter()
            .map(|p| serde_json::json!({"line": p.line, "column": p.column, "message": p.message}))
            .collect();
        let result = serde_json::json!({
            "file": name,
            "ok": problems.is_empty(),
            "recipe": recipe.as_ref().map(|r| serde_json::json!({"id": r.id, "flow": r.flow.id(), "steps": r.steps.len()})),
            "problems": list,
        });
        output::print("recipes check", code, &result, &[])?;
        return Ok(code);
    }
    let safe = crate::terminal_safe::terminal_safe;
    let mut text = String::new();
    if let Some(recipe) = &recipe {
        text.push_str(&format!(
            "{}: ok: recipe {} ({}, {} steps)\n",
            safe(&name),
            recipe.id,
            recipe.flow,
            recipe.steps.len()
        ));
    }
    for problem in &problems {
        text.push_str(&format!(
            "{}:{}:{}: {}\n",
            safe(&name),
            problem.line,
            problem.column,
            safe(&problem.message)
        ));
    }
    if !problems.is_empty() {
        text.push_str(&format!("{} problem(s)\n", problems.len()));
    }
    write_out(&text)?;
    Ok(code)
}
