//! One module per subcommand: each takes parsed arguments and writes to stdout.

pub mod apply;
pub mod connect;
pub mod diagnosis_view;
pub mod dispatch;
pub mod doctor;
pub mod drift;
pub mod emulator;
pub mod explain;
pub mod export;
pub mod failure;
pub mod keep;
pub mod logout;
pub mod metadata;
pub mod output;
pub mod profiles;
mod prompt;
pub mod recipe_extras;
pub mod recipe_files;
pub mod recipes;
pub mod rotate;
pub mod shell;
pub mod status;
pub mod token;
pub mod wizard;

/// A mistake in how the command was called: exit code 2, like clap's own.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// A terminating signal stopped the command once what it had started in the org was finished
/// or undone: exit code 130, as a shell reports SIGINT.
#[derive(Debug, thiserror::Error)]
#[error("stopped by {0}")]
pub struct Interrupted(pub &'static str);

/// A file's text, or stdin's for `-` (up to 1 MiB): every FILE argument takes `-`.
pub fn read_input(path: &std::path::Path) -> std::io::Result<String> {
    if path.as_os_str() != "-" {
        return std::fs::read_to_string(path);
    }
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut std::io::Read::take(std::io::stdin().lock(), 1 << 20),
        &mut text,
    )?;
    Ok(text)
}

/// The runtime a headless command runs its requests on: one per command, on this thread (the
/// one HTTP client's pooled connections belong to it, so a command never starts a second).
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// Before a command runs: the org secret setting an earlier run was stopped before putting
/// back is put back by `apply`, `rotate` and `status` (with the CLI login that turned it on)
/// and named by every other command.
pub fn settle_secret_setting(restores: bool) {
    let pending = crate::apply::restore_marker::pending();
    if pending.is_empty() {
        return;
    }
    let mut err = std::io::stderr();
    let restored = restores
        .then(|| Some((runtime().ok()?, crate::net::client().ok()?)))
        .flatten();
    match restored {
        Some((runtime, http)) => runtime.block_on(crate::apply::secret_setting::restore_pending(
            http,
            crate::metadata::API_VERSION,
            &mut err,
        )),
        None => {
            for found in pending {
                eprintln!("{}", found.warning());
            }
        }
    }
}
