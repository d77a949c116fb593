//! The one way the tests start `eca-wizard`: a cleared environment, then an explicit list, so a
//! developer's `BROWSER`, `DISPLAY`, `SSH_*` or `ECA_WIZARD_*` never changes a result and nothing
//! lands in their home folder.

use std::ffi::OsString;
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use super::temp::{self, Folder};

pub const BINARY: &str = env!("CARGO_BIN_EXE_eca-wizard");

/// A `$BROWSER` that follows the login like a person with a browser (`tests/fixtures`).
pub const BROWSER_STUB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/browser.py");

/// What the binary inherits from the test's own environment: where programs are (the stand-in
/// `sf`, python for the fixtures, `kill`), and the locale. Everything else is set below or by
/// the test.
const INHERITED: [&str; 3] = ["PATH", "LANG", "LC_ALL"];

/// The environment of every run: the inherited names, then `HOME` and `ECA_WIZARD_HOME` in
/// `home` (a test's temporary folder) and `TMPDIR` at the system's temporary folder.
pub fn environment(home: &Path) -> Vec<(&'static str, OsString)> {
    let mut vars: Vec<(&'static str, OsString)> = INHERITED
        .iter()
        .filter_map(|name| Some((*name, std::env::var_os(name)?)))
        .collect();
    vars.push(("HOME", home.into()));
    vars.push(("ECA_WIZARD_HOME", home.into()));
    vars.push(("TMPDIR", std::env::temp_dir().into()));
    vars
}

/// `eca-wizard` with only `environment(home)` and no stdin; the test adds arguments and any
/// variable its case needs.
pub fn wizard(home: &Path) -> Command {
    let mut command = Command::new(BINARY);
    command
        .env_clear()
        .envs(environment(home))
        .stdin(Stdio::null());
    command
}

/// `wizard(home)` as `connect` runs in the commands' tests: the demo app's secret in the
/// environment, secrets kept in the profile file, and the stub browser.
pub fn connecting(home: &Path) -> Command {
    let mut command = wizard(home);
    command
        .env("ECA_WIZARD_SECRETS", "file")
        .env("ECA_WIZARD_CLIENT_SECRET", super::SECRET)
        .env("BROWSER", BROWSER_STUB);
    command
}

/// `wizard` in a home of its own that lives as long as this value: for runs whose home the test
/// never looks at. Keep the value while a spawned child runs.
pub struct Fresh {
    command: Command,
    _home: Folder,
}

pub fn fresh() -> Fresh {
    let home = temp::folder("home");
    Fresh {
        command: wizard(&home),
        _home: home,
    }
}

impl Fresh {
    /// Runs it off the async runtime's threads and waits for its output.
    pub async fn output_async(mut self) -> Output {
        tokio::task::spawn_blocking(move || self.command.output().unwrap())
            .await
            .unwrap()
    }
}

impl Deref for Fresh {
    type Target = Command;
    fn deref(&self) -> &Command {
        &self.command
    }
}

impl DerefMut for Fresh {
    fn deref_mut(&mut self) -> &mut Command {
        &mut self.command
    }
}

/// Runs a command off the async runtime's threads and waits for its output.
pub async fn output(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}
