//! Shell integration, generated from the clap definitions so it can't drift from them:
//! completion scripts and the manual page.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::Cli;

pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<()> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "eca-wizard", &mut out);
    std::io::stdout().lock().write_all(&out)?;
    Ok(())
}

pub fn manpage() -> anyhow::Result<()> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    std::io::stdout().lock().write_all(&out)?;
    Ok(())
}

/// A value as a POSIX shell (or a .env file) reads it back: bare when it is plain, else in
/// single quotes (a macOS path with a space pastes as one word).
pub fn quote(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@".contains(c));
    if plain {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoting_keeps_plain_values_and_wraps_the_rest() {
        assert_eq!(super::quote("/tmp/a.toml"), "/tmp/a.toml");
        assert_eq!(
            super::quote("/Users/Ann Lee/x.toml"),
            "'/Users/Ann Lee/x.toml'"
        );
        assert_eq!(super::quote("it's"), "'it'\\''s'");
        assert_eq!(super::quote(""), "''");
    }
}
