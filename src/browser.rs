//! The one browser launcher, for the wizard and `connect`. It starts the browser without our
//! secrets in its environment: a browser lives long and starts helpers of its own, and it must
//! not keep `ECA_WIZARD_CLIENT_SECRET`. `$BROWSER` is honoured (a list of commands separated as
//! PATH is, `;` on Windows and `:` elsewhere, `%s` standing for the address), then the desktop's
//! opener: `open` on macOS, `xdg-open` on other Unix systems, the shell's `start` on Windows.

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
        for entry in browser_entries(&list, cfg!(windows)) {
            match spawn_browser(entry, url) {
                Ok(()) => return Ok(()),
                Err(e) => last = e,
            }
        }
        return Err(last);
    }
    desktop_opener(url)
}

/// The commands a `$BROWSER` list names: separated by `;` on Windows (where `C:\` holds a
/// colon) and by `:` elsewhere, as PATH is; empty entries skipped.
fn browser_entries(list: &str, windows: bool) -> impl Iterator<Item = &str> {
    list.split(if windows { ';' } else { ':' })
        .filter(|entry| !entry.trim().is_empty())
}

/// One entry as program and arguments: words split on spaces, a word in double quotes kept whole
/// (`"C:\Program Files\Firefox\firefox.exe" %s`), `%s` replaced by the address (or the address
/// appended when there is none).
fn browser_command(entry: &str, url: &str) -> Option<(String, Vec<String>)> {
    let mut words = Vec::new();
    let mut rest = entry.trim_start();
    while !rest.is_empty() {
        let (word, after) = match rest.strip_prefix('"') {
            Some(quoted) => quoted.split_once('"').unwrap_or((quoted, "")),
            None => rest.split_once(char::is_whitespace).unwrap_or((rest, "")),
        };
        words.push(word.replace("%s", url));
        rest = after.trim_start();
    }
    if words.first().is_none_or(String::is_empty) {
        return None;
    }
    if !entry.contains("%s") {
        words.push(url.to_string());
    }
    let program = words.remove(0);
    Some((program, words))
}

/// Whether a browser can be opened here: `$BROWSER` names one, or this isn't an SSH session
/// and (on Linux) there is a display. The wizard and `connect` decide the same way.
pub fn can_open() -> bool {
    let named = std::env::var_os("BROWSER").is_some_and(|b| !b.is_empty());
    let ssh = std::env::var_os("SSH_CONNECTION").is_some() || std::env::var_os("SSH_TTY").is_some();
    let display =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    named || !(ssh || (cfg!(target_os = "linux") && !display))
}

fn spawn_browser(entry: &str, url: &str) -> std::io::Result<()> {
    let Some((program, args)) = browser_command(entry, url) else {
        return Err(std::io::Error::other("empty $BROWSER entry"));
    };
    // `start` is a command of cmd.exe, not a program, and cmd would split the address at its
    // `&`s: the desktop opener does what `start` does.
    if cfg!(windows) && program.eq_ignore_ascii_case("start") {
        return desktop_opener(url);
    }
    let mut command = Command::new(&program);
    command.args(args);
    spawn_clean(&mut command).map_err(|e| named(e, &program, "$BROWSER names it"))
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

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://login.example/authorize?a=1&b=2";

    #[test]
    fn the_list_separator_is_the_platforms() {
        let unix: Vec<&str> = browser_entries("firefox %s::w3m", false).collect();
        assert_eq!(unix, ["firefox %s", "w3m"]);
        let list = r"C:\Program Files\Mozilla Firefox\firefox.exe;;start";
        let windows: Vec<&str> = browser_entries(list, true).collect();
        assert_eq!(
            windows,
            [r"C:\Program Files\Mozilla Firefox\firefox.exe", "start"]
        );
    }

    #[test]
    fn words_quotes_and_the_address() {
        let (program, args) = browser_command("firefox --new-window %s", URL).unwrap();
        assert_eq!(program, "firefox");
        assert_eq!(args, ["--new-window", URL]);

        let (program, args) = browser_command("w3m", URL).unwrap();
        assert_eq!((program.as_str(), args), ("w3m", vec![URL.to_string()]));

        let quoted = r#""C:\Program Files\Mozilla Firefox\firefox.exe" -new-tab %s"#;
        let (program, args) = browser_command(quoted, URL).unwrap();
        assert_eq!(program, r"C:\Program Files\Mozilla Firefox\firefox.exe");
        assert_eq!(args, ["-new-tab", URL]);

        assert_eq!(browser_command("   ", URL), None);
        assert_eq!(browser_command("\"\" %s", URL), None);
    }
}
