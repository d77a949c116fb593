//! The one browser launcher, for the wizard and `connect`. It starts the browser without our
//! secrets in its environment: a browser lives long and starts helpers of its own, and it must
//! not keep `ECA_WIZARD_CLIENT_SECRET`. `$BROWSER` is honoured (a `:`-separated list of
//! commands, `%s` standing for the address), then the desktop's opener.

use std::process::{Command, Stdio};

/// Variables that may hold a secret and never reach a child process.
pub const SECRET_VARIABLES: &[&str] = &[crate::secret::CLIENT_SECRET_ENV];

/// Opens `url` in the user's browser.
pub fn open(url: &str) -> std::io::Result<()> {
    open_with(std::env::var_os("BROWSER"), url)
}

/// Opens `url` with the commands of a `$BROWSER` value, or the desktop's opener without one.
pub fn open_with(browser: Option<std::ffi::OsString>, url: &str) -> std::io::Result<()> {
    if let Some(list) = browser.filter(|b| !b.is_empty()) {
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
    spawn_clean(&mut command).map_err(|e| named(e, program, "$BROWSER names it"))
}

/// A launch error that says which program and what to do, not only "entity not found".
fn named(error: std::io::Error, program: &str, from: &str) -> std::io::Error {
    let safe = crate::terminal_safe::terminal_safe(program);
    let why = match error.kind() {
        std::io::ErrorKind::NotFound => format!(
            "No program {safe} was found ({from}); install it or set $BROWSER to your browser's command"
        ),
        std::io::ErrorKind::PermissionDenied => {
            format!("{safe} can't be run ({from}): it isn't executable")
        }
        _ => format!("{safe} didn't start ({from}): {error}"),
    };
    std::io::Error::new(error.kind(), why)
}

/// Starts the command detached from our terminal, without the secret variables. A thread
/// waits for it, so a launcher that exits (xdg-open, open) is reaped at once instead of
/// staying defunct until the wizard quits.
fn spawn_clean(command: &mut Command) -> std::io::Result<()> {
    for name in SECRET_VARIABLES {
        command.env_remove(name);
    }
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    std::thread::Builder::new()
        .name("browser-reaper".into())
        .spawn(move || {
            let _ = child.wait();
        })
        .map(|_| ())
}

#[cfg(target_os = "macos")]
fn desktop_opener(url: &str) -> std::io::Result<()> {
    spawn_clean(Command::new("open").arg(url)).map_err(|e| named(e, "open", "macOS's opener"))
}

#[cfg(all(unix, not(target_os = "macos")))]
fn desktop_opener(url: &str) -> std::io::Result<()> {
    spawn_clean(Command::new("xdg-open").arg(url))
        .map_err(|e| named(e, "xdg-open", "the desktop's opener"))
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
