//! `eca-wizard metadata`: the recipe's External Client App as a deployable DX project.

use std::io::Write;

use crate::terminal_safe::terminal_safe;

use crate::cli::{AppArgs, MetadataArgs};
use crate::commands::UsageError;
use crate::metadata::{self, Certificate, Choices};

/// Writes the project, or with `--check` checks one; the exit code.
pub fn run(args: &MetadataArgs) -> anyhow::Result<u8> {
    if let Some(dir) = &args.check {
        return check_project(dir, args.recipe.as_deref(), args.json);
    }
    let Some(recipe_id) = &args.recipe else {
        return Err(UsageError("--recipe ID (or --recipe-file FILE) is required".into()).into());
    };
    let (recipe_id, Some(out_dir)) = (recipe_id, &args.out) else {
        return Err(UsageError("pass --recipe and --out (or --check DIR)".into()).into());
    };
    // A profile's app is made again with the answers it was connected with.
    let mut answers = match &args.app.from {
        Some(name) => crate::commands::failure::profile_choices(name, recipe_id)?,
        None => Vec::new(),
    };
    answers.extend(args.app.choices.iter().cloned());
    let recipe = crate::commands::failure::recipe_with_choices(recipe_id, &answers)?;
    let options = choices(&args.app)?.options()?;
    let files = metadata::generate(recipe, &options).map_err(|e| UsageError(e.to_string()))?;
    // Written whole before anything is printed: a closed stdout can't leave half a project.
    metadata::write_project(out_dir, &files, args.force).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => anyhow::Error::from(UsageError(e.to_string())),
        _ => anyhow::anyhow!("couldn't write {}: {e}", out_dir.display()),
    })?;
    if args.json {
        let written: Vec<String> = files
            .iter()
            .map(|f| out_dir.join(&f.path).display().to_string())
            .collect();
        let result = serde_json::json!({"recipe": recipe.id, "choices": crate::commands::failure::choices_json(recipe), "out": out_dir.display().to_string(), "files": written});
        crate::commands::output::print("metadata", 0, &result, &[])?;
        return Ok(0);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for file in &files {
        writeln!(out, "wrote {}", out_dir.join(&file.path).display())?;
    }
    if let Some(package) = &recipe.package {
        // An installed app's settings are the vendor's; the admin should know why they're absent.
        writeln!(
            out,
            "\nOnly the installed app's policies and the permission set: {} ({}) carries the app and its settings, which your org can't deploy.",
            terminal_safe(&package.name),
            terminal_safe(&package.publisher)
        )?;
    }
    writeln!(out, "\nDeploy: see {}", out_dir.join("README.md").display())?;
    Ok(0)
}

/// The app flags as the library's choices (checked by `Choices::options`, the one builder the
/// wizard uses too).
pub fn choices(args: &AppArgs) -> anyhow::Result<Choices> {
    // `-` is the certificate on stdin, read here: the library takes its text.
    let certificate = match &args.certificate {
        Some(path) if path.as_os_str() == "-" => Some(Certificate::Pem(
            crate::commands::read_input(path)
                .map_err(|e| UsageError(format!("can't read the certificate from stdin: {e}")))?,
        )),
        Some(path) => Some(Certificate::File(path.clone())),
        None => None,
    };
    Ok(Choices {
        from: args.from.clone(),
        name: args.name.clone(),
        label: args.label.clone(),
        contact_email: args.contact_email.clone(),
        run_as: args.run_as.clone(),
        callback_urls: args.callback_urls.clone(),
        permission_set: args.permission_set.clone(),
        certificate,
        policy_names: args.policy_names,
        include_optional: args.include_optional,
        without_jwt_certificate: args.no_jwt_certificate,
    })
}

fn check_project(dir: &std::path::Path, recipe_id: Option<&str>, json: bool) -> anyhow::Result<u8> {
    let recipe = match recipe_id {
        Some(id) => Some(crate::commands::failure::recipe_by_id(id)?),
        None => None,
    };
    if !dir.is_dir() {
        return Err(UsageError(format!("{} is not a folder", dir.display())).into());
    }
    let problems = metadata::check(dir, recipe)?;
    let errors = problems.iter().filter(|p| !p.warning).count();
    let code = u8::from(errors > 0);
    if json {
        let list: Vec<_> = problems
            .iter()
            .map(|p| serde_json::json!({"level": if p.warning { "warning" } else { "problem" }, "file": p.file, "element": p.element, "fix": p.fix}))
            .collect();
        let result = serde_json::json!({"dir": dir.display().to_string(), "ok": errors == 0, "problems": list});
        crate::commands::output::print("metadata", code, &result, &[])?;
        return Ok(code);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for p in &problems {
        let level = if p.warning { "warning" } else { "problem" };
        writeln!(out, "{level}: {}: {}: {}", p.file, p.element, p.fix)?;
    }
    if errors == 0 {
        writeln!(
            out,
            "ok: {} deploys as far as can be told without an org",
            dir.display()
        )?;
        Ok(0)
    } else {
        writeln!(out, "{errors} problem(s) in {}", dir.display())?;
        Ok(1)
    }
}
