use std::process::ExitCode;

use clap::Parser;
use eca_wizard::cli::{Cli, Command};
use eca_wizard::commands;

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    if let Some(path) = cli.recipe_file.take() {
        match eca_wizard::recipe::use_file(&path) {
            Ok(id) => choose_recipe(&mut cli.command, id),
            Err(error) => {
                eprintln!(
                    "error: {}",
                    eca_wizard::terminal_safe::terminal_safe_lines(&error.to_string(), "  ")
                );
                return ExitCode::from(2);
            }
        }
    }
    commands::settle_secret_setting(matches!(
        cli.command,
        Some(Command::Apply(_) | Command::Rotate { .. } | Command::Status { .. })
    ));
    let result = match cli.command {
        Some(Command::Recipes {
            action: Some(action),
            ..
        }) => commands::recipe_files::run(action),
        Some(Command::Recipes { id, json, .. }) => {
            commands::recipes::run(id.as_deref(), json).map(|()| 0)
        }
        Some(Command::Connect(args)) => commands::connect::run(&args),
        Some(Command::Explain {
            text,
            recipe,
            saved_minutes_ago,
            json,
        }) => commands::explain::run(text.as_deref(), recipe.as_deref(), saved_minutes_ago, json)
            .map(|()| 0),
        Some(Command::Status {
            profile: Some(profile),
            json,
            drift: true,
            target_org,
            instance_url,
            ..
        }) => commands::drift::run(
            &profile,
            target_org.as_deref(),
            instance_url.as_deref(),
            json,
        ),
        Some(Command::Status {
            profile, all, json, ..
        }) => commands::status::run(profile.as_deref(), all, json),
        Some(Command::Export {
            profile,
            format,
            reveal,
        }) => commands::export::run(&profile, &format, reveal).map(|()| 0),
        Some(Command::Logout { profile }) => commands::logout::run(&profile),
        Some(Command::Metadata(args)) => commands::metadata::run(&args),
        Some(Command::Apply(args)) => commands::apply::run(&args),
        Some(Command::Rotate {
            profile,
            target_org,
            instance_url,
            allow_secret_access,
            replace_staged,
            wait,
        }) => commands::rotate::run(
            &profile,
            target_org.as_deref(),
            instance_url.as_deref(),
            allow_secret_access,
            replace_staged,
            std::time::Duration::from_secs(wait),
        ),
        Some(Command::Emulator(args)) => commands::emulator::run(&args).map(|()| 0),
        Some(Command::Demo(args)) => commands::wizard::demo(&args).map(|()| 0),
        Some(Command::Completions { shell }) => commands::shell::completions(shell).map(|()| 0),
        Some(Command::Manpage) => commands::shell::manpage().map(|()| 0),
        Some(Command::Version { json }) => eca_wizard::version::run(json).map(|()| 0),
        None => commands::wizard::run().map(|()| 0),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) if error.downcast_ref::<commands::UsageError>().is_some() => {
            eprintln!(
                "error: {}",
                eca_wizard::terminal_safe::terminal_safe_lines(&error.to_string(), "  ")
            );
            ExitCode::from(2)
        }
        Err(error) if error.downcast_ref::<commands::Interrupted>().is_some() => {
            eprintln!("{error}");
            ExitCode::from(130)
        }
        // `eca-wizard recipes | head`: a closed pipe is the reader's choice, not a failure.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "error: {}",
                eca_wizard::terminal_safe::terminal_safe_lines(&format!("{error:#}"), "  ")
            );
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
        || error
            .downcast_ref::<serde_json::Error>()
            .and_then(|e| e.io_error_kind())
            .is_some_and(|kind| kind == std::io::ErrorKind::BrokenPipe)
}

/// `--recipe-file` stands for `--recipe` where that wasn't given.
fn choose_recipe(command: &mut Option<Command>, id: String) {
    match command {
        Some(Command::Connect(args)) => {
            args.recipe.get_or_insert(id);
        }
        Some(Command::Metadata(args)) => {
            args.recipe.get_or_insert(id);
        }
        Some(Command::Apply(args)) => {
            args.recipe.get_or_insert(id);
        }
        Some(Command::Explain { recipe, .. }) => {
            recipe.get_or_insert(id);
        }
        _ => {}
    }
}
