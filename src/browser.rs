//! The one browser launcher, for the wizard and `connect`. It starts the browser without our
//! secrets in its environment: a browser lives long and starts helpers of its own, and it must
//! not keep `ECA_WIZARD_CLIENT_SECRET`. `$BROWSER` is honoured (a `:`-separated list of
//! commands, `%s` standing for the address), then the desktop's opener.

use std::process::{Command, Stdio};

/// Variables that may hold a secret and never reach a child process.
pub const SECRET_VARIABLES: &[&str] = &[crate::secret::CLIENT_SECRET_ENV];

/// Opens `url` in the user's browser.
pub fn open(url: &str) -> std::io::Result<()> {
    if let Some(list) = std::env::var_os("BROWSER").filter(|b| !b.is_empty()) {
        let list = list.to_string_lossy().into_owned();
        let mut last = std::io::Error::other("$BROWSER names no command");
        for entry in list.split(':').filter(|e| !e.trim().is_empty()) {
            match spawn_browser(entry, url) {
                Ok(()) => return Ok(()),
                Err(e) => last = e,
            }
        }
        return Err(last);
    }
    desktop_opener(url)
}

/// One `$BROWSER` entry: words split on spaces, `%s` replaced by the address (or the address
/// appended when there is none).
fn spawn_browser(entry: &str, url: &str) -> std::io::Result<()> {
    let mut words = entry.split_whitespace();
    let Some(program) = words.next() else {
        return Err(std::io::Error::other("empty $BROWSER entry"));
    };
    let mut args: Vec<String> = words.map(|w| w.replace("%s", url)).collect();
    if !entry.contains("%s") {
        args.push(url.to_string());
    }
    let mut command = Command::new(program);
    command.args(args);
    spawn_clean(&mut command)
}

/// Starts the command detached from our terminal, without the secret variables.
fn spawn_clean(command: &mut Command) -> std::io::Result<()> {
    for name in SECRET_VARIABLES {
        command.env_remove(name);
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(|_| ())
}

#[cfg(target_os = "macos")]
fn desktop_opener(url: &str) -> std::io::Result<()> {
    spawn_clean(Command::new("open").arg(url))
}

#[cfg(all(unix, not(target_os = "macos")))]
fn desktop_opener(url: &str) -> std::io::Result<()> {
    spawn_clean(Command::new("xdg-open").arg(url))
}

/// Windows: the webbrowser crate (ShellExecute); the environment is inherited there.
#[cfg(windows)]
fn desktop_opener(url: &str) -> std::io::Result<()> {
    webbrowser::open(url)
}

#[cfg(not(any(unix, windows)))]
fn desktop_opener(_url: &str) -> std::io::Result<()> {
    Err(std::io::Error::other(
        "no browser launcher on this platform; set $BROWSER",
    ))
}
