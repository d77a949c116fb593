//! How a command that failed ends: its exit code from the one table, and its words on stderr,
//! or under `--json` the contract's error object on stdout.

use std::process::ExitCode;

use crate::commands::output::{self, ErrorBody, Refusal, exit};
use crate::commands::{Interrupted, UsageError};
use crate::terminal_safe::{terminal_safe, terminal_safe_lines};

/// Prints the failure and returns its exit code.
pub fn report(error: &anyhow::Error, json: bool, command: &str) -> ExitCode {
    // `eca-wizard recipes | head`: a closed pipe is the reader's choice, not a failure.
    if is_broken_pipe(error) {
        return ExitCode::SUCCESS;
    }
    let (code, body) = classify(error, command);
    if json {
        if output::print_error(command, code, &body).is_err() {
            return ExitCode::from(code);
        }
    } else if code == exit::CANCELLED {
        eprintln!("{}", body.message);
    } else if error.is::<Refusal>() {
        // A refusal may quote Salesforce: its message stays one line.
        eprintln!("error: {}", terminal_safe(&body.message));
        if let Some(fix) = &body.fix {
            eprintln!("  fix: {}", terminal_safe(fix));
        }
    } else {
        eprintln!("error: {}", terminal_safe_lines(&body.message, "  "));
        if let Some(fix) = body.fix.as_deref().filter(|_| code != exit::USAGE) {
            eprintln!("  fix: {}", terminal_safe_lines(fix, "  "));
        }
    }
    ExitCode::from(code)
}

/// The exit code and the contract's error for a failure.
pub fn classify(error: &anyhow::Error, command: &str) -> (u8, ErrorBody) {
    if let Some(refusal) = error.downcast_ref::<Refusal>() {
        return (refusal.code, refusal.body());
    }
    if let Some(crate::profile::ProfileError::Missing(name)) =
        error.downcast_ref::<crate::profile::ProfileError>()
    {
        return (exit::USAGE, unknown_profile(name).body());
    }
    if let Some(usage) = error.downcast_ref::<UsageError>() {
        let body = ErrorBody {
            kind: "usage".into(),
            message: usage.0.clone(),
            fix: Some(format!("see `eca-wizard {command} --help`")),
        };
        return (exit::USAGE, body);
    }
    if let Some(stopped) = error.downcast_ref::<Interrupted>() {
        let body = ErrorBody {
            kind: "cancelled".into(),
            message: stopped.to_string(),
            fix: None,
        };
        return (exit::CANCELLED, body);
    }
    let body = ErrorBody {
        kind: "failed".into(),
        message: format!("{error:#}"),
        fix: None,
    };
    (exit::FAILED, body)
}

/// A profile name that isn't saved: a usage error with the way to see the saved ones.
pub fn unknown_profile(name: &str) -> Refusal {
    Refusal::usage(
        "unknown_profile",
        format!("no profile named '{name}'"),
        "`eca-wizard profiles` lists the saved profiles",
    )
}

/// Loads a profile; a missing one is the contract's `unknown_profile`, any other problem a
/// usage error with its own words.
pub fn load_profile(dir: &std::path::Path, name: &str) -> anyhow::Result<crate::profile::Profile> {
    crate::profile::load(dir, name).map_err(|e| match e {
        crate::profile::ProfileError::Missing(name) => unknown_profile(&name).into(),
        other => UsageError(other.to_string()).into(),
    })
}

/// A saved profile's recipe as the answers it was connected with make it; an unknown recipe is
/// `unknown_recipe`, an answer the recipe doesn't offer a usage error saying what to fix.
pub fn profile_recipe(
    dir: &std::path::Path,
    profile: &crate::profile::Profile,
) -> anyhow::Result<&'static crate::recipe::Recipe> {
    let loaded = recipe_by_id(&profile.recipe)?;
    crate::profile::variant(dir, profile, loaded).map_err(|e| UsageError(e.to_string()).into())
}

/// The answers profile `name` was connected with, as `--choice` arguments, when it was made
/// from recipe `recipe_id` (`metadata --from`): given before the command's own `--choice`s, so
/// those win.
pub fn profile_choices(name: &str, recipe_id: &str) -> anyhow::Result<Vec<String>> {
    let dir = crate::profile::profiles_dir()?;
    let profile =
        crate::profile::load(&dir, name).map_err(|e| UsageError(format!("--from: {e}")))?;
    if profile.recipe != recipe_id {
        return Ok(Vec::new());
    }
    Ok(profile_recipe(&dir, &profile)?
        .selection
        .iter()
        .map(|(id, option)| format!("{id}={option}"))
        .collect())
}

/// A recipe by id as `--choice ID=OPTION` answers make it; an unknown choice or option is a
/// usage error naming the nearest one and those there are.
pub fn recipe_with_choices(
    id: &str,
    choices: &[String],
) -> anyhow::Result<&'static crate::recipe::Recipe> {
    let recipe = recipe_by_id(id)?;
    let answers = crate::recipe::answers::parse(recipe, choices).map_err(|e| {
        Refusal::usage(
            "usage",
            e,
            format!("`eca-wizard recipes {}` lists its choices", recipe.id),
        )
    })?;
    Ok(crate::recipe::answers::variant(recipe, &answers))
}

/// The answers a recipe was made with, for `--json`: choice id -> option (empty without
/// choices).
pub fn choices_json(recipe: &crate::recipe::Recipe) -> serde_json::Value {
    recipe
        .selection
        .iter()
        .map(|(id, option)| (id.clone(), serde_json::Value::from(option.as_str())))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// A recipe by id; an unknown one is the contract's `unknown_recipe` (a usage error).
pub fn recipe_by_id(id: &str) -> Result<&'static crate::recipe::Recipe, Refusal> {
    crate::recipe::by_id(id).map_err(|e| {
        Refusal::usage(
            "unknown_recipe",
            e.to_string(),
            "`eca-wizard recipes` lists the recipes",
        )
    })
}

pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(|e| e.io_error_kind())
                .is_some_and(|kind| kind == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_quoting_salesforce_stays_on_one_line() {
        let error: anyhow::Error = Refusal {
            code: exit::FAILED,
            kind: "revoke_failed",
            message: "refused\n  ok   token".into(),
            fix: None,
        }
        .into();
        assert!(error.is::<Refusal>());
        let (code, body) = classify(&error, "logout");
        assert_eq!((code, body.kind.as_str()), (1, "revoke_failed"));
        assert!(!terminal_safe(&body.message).contains('\n'));
    }
}
