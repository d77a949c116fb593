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

/// The runtime a headless command runs its requests on: one per command, on this thread (the
/// one HTTP client's pooled connections belong to it, so a command never starts a second).
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}
