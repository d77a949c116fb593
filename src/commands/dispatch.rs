//! From parsed arguments to the command that does the work; the exit code comes back.

use crate::cli::Command;
use crate::commands;

pub fn run(command: Option<Command>) -> anyhow::Result<u8> {
    let Some(command) = command else {
        return commands::wizard::run().map(|()| 0);
    };
    match command {
        Command::Recipes {
            action: Some(action),
            ..
        } => commands::recipe_files::run(action),
        Command::Recipes {
            id, choices, json, ..
        } => commands::recipes::run(id.as_deref(), &choices, json).map(|()| 0),
        Command::Connect(args) => commands::connect::run(&args),
        Command::Explain {
            text,
            recipe,
            saved_minutes_ago,
            json,
        } => commands::explain::run(text.as_deref(), recipe.as_deref(), saved_minutes_ago, json),
        Command::Status {
            profile: Some(profile),
            json,
            drift: true,
            target_org,
            instance_url,
            ..
        } => commands::drift::run(
            &profile,
            target_org.as_deref(),
            instance_url.as_deref(),
            json,
        ),
        Command::Status {
            profile, all, json, ..
        } => commands::status::run(profile.as_deref(), all, json),
        Command::Export {
            profile,
            format,
            reveal,
            json,
        } => commands::export::run(&profile, &format, reveal, json),
        Command::Profiles { json } => commands::profiles::run(json),
        Command::Doctor { login_url, json } => commands::doctor::run(&login_url, json),
        Command::Token { profile, json } => commands::token::run(&profile, json),
        Command::Logout {
            profile,
            local,
            yes,
            json,
        } => commands::logout::run(&profile, local, yes, json),
        Command::Metadata(args) => commands::metadata::run(&args),
        Command::Apply(args) => commands::apply::run(&args),
        Command::Rotate {
            profile,
            target_org,
            instance_url,
            allow_secret_access,
            replace_staged,
            wait,
            json,
        } => {
            let rotation = commands::rotate::run(
                &profile,
                target_org.as_deref(),
                instance_url.as_deref(),
                allow_secret_access,
                replace_staged,
                std::time::Duration::from_secs(wait),
            )?;
            if json {
                // `rotated`: the app and the profile have the new pair; `proved`: Salesforce
                // accepted it. Promoted but unproved is rotated (the old pair works 30 days).
                let result = serde_json::json!({
                    "profile": profile,
                    "rotated": rotation.promoted,
                    "proved": rotation.proved,
                });
                commands::output::print("rotate", rotation.code, &result, &[])?;
            }
            Ok(rotation.code)
        }
        Command::Emulator(args) => commands::emulator::run(&args).map(|()| 0),
        Command::Demo(args) => commands::wizard::demo(&args).map(|()| 0),
        Command::Completions { shell } => commands::shell::completions(shell).map(|()| 0),
        Command::CompleteNames { kind } => commands::shell::names(&kind).map(|()| 0),
        Command::Manpage { command } => commands::shell::manpage(command.as_deref()).map(|()| 0),
        // Under --json, the build facts in the one envelope (docs/json.md).
        Command::Version { json: true } => {
            commands::output::print("version", 0, &crate::version::build_info(), &[])?;
            Ok(0)
        }
        Command::Version { json: false } => crate::version::run(false).map(|()| 0),
    }
}
