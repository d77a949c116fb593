//! `recipes show | new | check`: recipes as files a consultant writes and keeps.

use crate::cli::RecipesAction;
use crate::commands::UsageError;
use crate::recipe::{self, lint};

pub fn run(action: RecipesAction) -> anyhow::Result<u8> {
    match action {
        RecipesAction::Show { id, format } => {
            let recipe = recipe::by_id(&id).map_err(|e| UsageError(e.to_string()))?;
            match format.as_str() {
                "toml" => print!("{}", recipe::file_text(recipe)?),
                other => crate::commands::recipes::run(Some(&id), other == "json")?,
            }
            Ok(0)
        }
        RecipesAction::New { id, from, out } => new(&id, &from, out),
        RecipesAction::Check { file } => check(&file),
        RecipesAction::Schema => {
            print!("{}", recipe::schema::markdown());
            Ok(0)
        }
    }
}

/// A starter file: the `from` recipe under the new id, with a header saying what to change.
fn new(id: &str, from: &str, out: Option<std::path::PathBuf>) -> anyhow::Result<u8> {
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
    let source = recipe::by_id(from).map_err(|e| UsageError(e.to_string()))?;
    let text = recipe::file_text(source)?;
    let body = text.replacen(
        &format!("id = \"{}\"", source.id),
        &format!("id = \"{id}\""),
        1,
    );
    let header = format!(
        "# Recipe {id}, started from '{from}'. Keys, step kinds, settings, validators and roles:\n\
         # docs/recipes.md in eca-wizard's repository, or `eca-wizard recipes schema`.\n\
         # Check it with `eca-wizard recipes check FILE`; files in the recipes folder are listed\n\
         # by `eca-wizard recipes` and offered by the wizard.\n\
         # Change title, vendor, source, guide, summary, scopes, callback_urls, app_name,\n\
         # handoff and each step's text to your integration's own; keep one field per role.\n\
         format = {}\n",
        recipe::FORMAT
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
    let safe = crate::terminal_safe::terminal_safe;
    println!(
        "Wrote {}. Check it with: eca-wizard recipes check {}",
        safe(&path.display().to_string()),
        safe(&crate::shell_quote::path_for_shell(&path))
    );
    Ok(0)
}

fn check(file: &std::path::Path) -> anyhow::Result<u8> {
    let name = file.display().to_string();
    let text =
        std::fs::read_to_string(file).map_err(|e| UsageError(format!("can't read {name}: {e}")))?;
    let problems = lint::lint(&name, &text);
    let safe = crate::terminal_safe::terminal_safe;
    if problems.is_empty() {
        let recipe = recipe::parse(&name, &text)?;
        println!(
            "{}: ok: recipe {} ({}, {} steps)",
            safe(&name),
            recipe.id,
            recipe.flow,
            recipe.steps.len()
        );
        return Ok(0);
    }
    for problem in &problems {
        println!(
            "{}:{}:{}: {}",
            safe(&name),
            problem.line,
            problem.column,
            safe(&problem.message)
        );
    }
    println!("{} problem(s)", problems.len());
    Ok(1)
}
