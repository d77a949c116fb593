//! One module per subcommand: each takes parsed arguments and writes to stdout.

pub mod apply;
pub mod connect;
pub mod diagnosis_view;
pub mod drift;
pub mod emulator;
pub mod explain;
pub mod export;
pub mod logout;
pub mod metadata;
mod prompt;
pub mod recipe_files;
pub mod recipes;
pub mod rotate;
pub mod shell;
pub mod status;
pub mod wizard;

/// A mistake in how the command was called: exit code 2, like clap's own.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);
