//! Paths printed for the user to paste into a shell (`eca-wizard recipes check PATH`, `chmod 600
//! PATH`) are quoted for the platform's shell: POSIX sh rules on Unix, PowerShell's on Windows
//! (its default shell; cmd.exe reads the double-quoted form the same way).

use std::path::Path;

/// `path` as this platform's shell reads it back.
pub fn path_for_shell(path: &Path) -> String {
    quote(&path.to_string_lossy(), cfg!(windows))
}

/// `text` quoted for PowerShell (`windows`) or a POSIX shell, left bare when nothing in it is
/// special.
pub fn quote(text: &str, windows: bool) -> String {
    if windows {
        powershell(text)
    } else {
        posix(text)
    }
}

/// POSIX sh: bare when only safe characters, else in single quotes (nothing is special inside
/// them; a single quote itself closes, is escaped, and reopens).
pub fn posix(text: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c);
    if !text.is_empty() && text.chars().all(safe) {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// PowerShell: bare when only safe characters; in double quotes when nothing in the text
/// expands there (`$`, backtick); else in single quotes, where a single quote is doubled.
fn powershell(text: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || r"-_.\/:".contains(c);
    if !text.is_empty() && text.chars().all(safe) {
        text.to_owned()
    } else if !text.contains(['$', '`', '"']) {
        format!("\"{text}\"")
    } else {
        format!("'{}'", text.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posix_quoting() {
        assert_eq!(posix("recipes/mine.toml"), "recipes/mine.toml");
        assert_eq!(
            posix("/home/jane/My Recipes/a.toml"),
            "'/home/jane/My Recipes/a.toml'"
        );
        assert_eq!(posix("it's.toml"), r"'it'\''s.toml'");
        assert_eq!(posix("$HOME/a;b"), "'$HOME/a;b'");
        assert_eq!(posix(""), "''");
    }

    #[test]
    fn powershell_quoting() {
        assert_eq!(
            quote(r"C:\Users\jane\a.toml", true),
            r"C:\Users\jane\a.toml"
        );
        assert_eq!(
            quote(r"C:\Users\Jane Doe\My Recipes\a.toml", true),
            r#""C:\Users\Jane Doe\My Recipes\a.toml""#
        );
        assert_eq!(quote(r"C:\it's (1).toml", true), r#""C:\it's (1).toml""#);
        assert_eq!(quote(r"C:\$cash\it's.toml", true), r"'C:\$cash\it''s.toml'");
        assert_eq!(quote("", true), "\"\"");
    }
}
