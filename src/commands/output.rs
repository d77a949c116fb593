//! The one JSON contract of every command (`--json`): a single object on stdout,
//! `{"schema", "command", "status", "result", "warnings"}`, or on failure the same envelope with
//! `"error": {"kind", "message", "fix"}` and no result. `status` is the exit code. docs/json.md
//! describes it for scripts.

use std::io::Write;

use serde::Serialize;

/// The envelope's version: raised when a field changes meaning or goes away (new fields don't).
pub const SCHEMA: &str = "eca-wizard/1";

/// The exit codes, one table for every command: README, `--help` and the man page show it.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FAILED: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const MISCONFIGURED: u8 = 3;
    pub const USER_ACTION: u8 = 4;
    pub const TIMED_OUT: u8 = 5;
    pub const CANCELLED: u8 = 130;

    /// (code, meaning), as printed under EXIT STATUS.
    pub const TABLE: [(u8, &str); 7] = [
        (
            OK,
            "done: connected and verified (warnings may be present), found, written",
        ),
        (
            FAILED,
            "failed: a check failed, a profile is broken, Salesforce couldn't be reached, explain found no Salesforce error, a file has problems",
        ),
        (
            USAGE,
            "usage: a wrong flag or value, an unknown profile or recipe, input refused before anything is sent",
        ),
        (
            MISCONFIGURED,
            "misconfigured: a setting of the app or org must change (the diagnosis names it); apply: the org refused the metadata; status --drift: drift found",
        ),
        (
            USER_ACTION,
            "user action needed: log in or approve again, or free the callback ports",
        ),
        (
            TIMED_OUT,
            "timed out: propagation, the browser login or --max-wait ran out",
        ),
        (CANCELLED, "cancelled: Ctrl-C, SIGTERM or SIGHUP stopped it"),
    ];

    /// The table as `--help` and the man page print it.
    pub fn help_text() -> String {
        let mut text = String::from("Exit status:\n");
        for (code, meaning) in TABLE {
            text.push_str(&format!("  {code:<4} {meaning}\n"));
        }
        text.push_str("\nWith --json, every command prints one object on stdout: {\"schema\", \"command\", \"status\", \"result\" or \"error\", \"warnings\"}.");
        text
    }
}

/// Something worth knowing that didn't change the outcome.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Warning {
    pub kind: String,
    pub message: String,
}

impl Warning {
    pub fn new(kind: &str, message: impl Into<String>) -> Self {
        Warning {
            kind: kind.to_string(),
            message: message.into(),
        }
    }
}

/// What went wrong, for a script: a stable `kind`, words for a person, and what to do.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorBody {
    pub kind: String,
    pub message: String,
    pub fix: Option<String>,
}

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    schema: &'static str,
    command: &'a str,
    status: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a ErrorBody>,
    warnings: &'a [Warning],
}

/// Prints a command's result; `status` is the exit code the command is about to return.
pub fn print<T: Serialize>(
    command: &str,
    status: u8,
    result: &T,
    warnings: &[Warning],
) -> anyhow::Result<()> {
    write(&Envelope {
        schema: SCHEMA,
        command,
        status,
        result: Some(result),
        error: None,
        warnings,
    })
}

/// Prints a failure in place of a result.
pub fn print_error(command: &str, status: u8, error: &ErrorBody) -> anyhow::Result<()> {
    write(&Envelope::<()> {
        schema: SCHEMA,
        command,
        status,
        result: None,
        error: Some(error),
        warnings: &[],
    })
}

fn write<T: Serialize>(envelope: &Envelope<'_, T>) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer(&mut out, envelope)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// A command refused with its own kind, words and fix (an unknown profile, a format a profile
/// can't serve), and the exit code that goes with it.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    pub code: u8,
    pub kind: &'static str,
    pub message: String,
    pub fix: Option<String>,
}

impl Refusal {
    pub fn usage(kind: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Refusal {
            code: exit::USAGE,
            kind,
            message: message.into(),
            fix: Some(fix.into()),
        }
    }

    /// Something the user (or an admin) must do first: exit code 4, with the fix.
    pub fn user_action(
        kind: &'static str,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Refusal {
            code: exit::USER_ACTION,
            kind,
            message: message.into(),
            fix: Some(fix.into()),
        }
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            kind: self.kind.to_string(),
            message: self.message.clone(),
            fix: self.fix.clone(),
        }
    }
}

/// Whether `--json` is among the arguments (before a `--`): clap's own usage errors are then
/// printed in the contract too.
pub fn json_requested(args: &[std::ffi::OsString]) -> bool {
    args.iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .any(|a| a == "--json")
}

/// A clap error as the contract's error: its first line is the message, its tips the fix.
pub fn usage_body(rendered: &str) -> ErrorBody {
    let mut lines = rendered.lines().map(str::trim).filter(|l| !l.is_empty());
    let message = lines
        .next()
        .unwrap_or("usage error")
        .trim_start_matches("error: ")
        .to_string();
    let fix: Vec<&str> = lines.filter(|l| !l.starts_with("Usage:")).collect();
    ErrorBody {
        kind: "usage".into(),
        message,
        fix: Some(if fix.is_empty() {
            "see --help".to_string()
        } else {
            fix.join(" ")
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_seen_before_the_terminator_only() {
        let args = |list: &[&str]| list.iter().map(Into::into).collect::<Vec<_>>();
        assert!(json_requested(&args(&["w", "status", "--json"])));
        assert!(!json_requested(&args(&["w", "explain", "--", "--json"])));
        assert!(!json_requested(&args(&["--json"])));
    }

    #[test]
    fn a_clap_error_splits_into_message_and_fix() {
        let body = usage_body(
            "error: unexpected argument '--nope' found\n\n  tip: to pass '--nope' as a value, use '-- --nope'\n\nUsage: eca-wizard status\n\nFor more information, try '--help'.\n",
        );
        assert_eq!(body.message, "unexpected argument '--nope' found");
        let fix = body.fix.unwrap_or_default();
        assert!(fix.contains("tip:") && fix.contains("--help") && !fix.contains("Usage:"));
    }

    #[test]
    fn the_table_has_every_code_once() {
        let mut codes: Vec<u8> = exit::TABLE.iter().map(|(c, _)| *c).collect();
        codes.dedup();
        assert_eq!(codes, [0, 1, 2, 3, 4, 5, 130]);
    }
}

#[cfg(test)]
mod readme {
    /// README's table is the one `--help` prints: a row per code, word for word.
    #[test]
    fn readme_has_the_exit_code_table() {
        let readme = include_str!("../../README.md");
        for (code, meaning) in super::exit::TABLE {
            let row = format!("| {code} | {meaning} |");
            assert!(readme.contains(&row), "README lacks: {row}");
        }
    }
}
