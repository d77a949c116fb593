use std::process::ExitCode;

use clap::Parser;
use eca_wizard::cli::{Cli, Command};
use eca_wizard::commands::{self, output};

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let json = output::json_requested(&args);
    let mut cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(error) => return usage_failure(&error, json, &args),
    };
    let name = cli.command.as_ref().map_or("eca-wizard", Command::name);
    let json = cli.command.as_ref().is_some_and(Command::json);
    // The wizard draws on the terminal: its log goes to a file or nowhere.
    let interactive = matches!(cli.command, None | Some(Command::Demo(_)));
    let wanted = cli.debug || eca_wizard::debug_log::asked_by_environment();
    if (cli.log_file.is_some() || (wanted && !interactive))
        && let Err(e) = eca_wizard::debug_log::start(cli.log_file.as_deref())
    {
        let usage = commands::UsageError(format!("--log-file: {e}"));
        return commands::failure::report(&usage.into(), json, name);
    }
    if let Some(path) = cli.recipe_file.take() {
        match eca_wizard::recipe::use_file(&path) {
            Ok(id) => choose_recipe(&mut cli.command, id),
            Err(error) => {
                let usage = commands::UsageError(error.to_string());
                return commands::failure::report(&usage.into(), json, name);
            }
        }
    }
    // A bad file among the admin's own recipes is named, and every other recipe still works.
    for skipped in eca_wizard::recipe::skipped() {
        eprintln!(
            "warning: recipe skipped: {}",
            eca_wizard::terminal_safe::terminal_safe_lines(&skipped.to_string(), "  ")
        );
    }
    commands::settle_secret_setting(matches!(
        cli.command,
        Some(Command::Apply(_) | Command::Rotate { .. } | Command::Status { .. })
    ));
    match commands::dispatch::run(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(error) => commands::failure::report(&error, json, name),
    }
}

/// clap refused the arguments: its own text, or under `--json` the contract's error.
fn usage_failure(error: &clap::Error, json: bool, args: &[std::ffi::OsString]) -> ExitCode {
    use clap::error::ErrorKind;
    let shown = matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if !json || shown {
        error.exit();
    }
    let command = args
        .get(1)
        .and_then(|a| a.to_str())
        .filter(|a| !a.starts_with('-'))
        .unwrap_or("eca-wizard");
    let body = output::usage_body(&error.render().to_string());
    let _ = output::print_error(command, output::exit::USAGE, &body);
    ExitCode::from(output::exit::USAGE)
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
