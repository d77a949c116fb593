use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use eca_wizard::cli::{Cli, Command};
use eca_wizard::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Recipes { id, json }) => commands::recipes::run(id.as_deref(), json),
        Some(Command::Emulator(args)) => commands::emulator::run(&args),
        None => Cli::command().print_help().map_err(Into::into),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `eca-wizard recipes | head`: a closed pipe is the reader's choice, not a failure.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
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
