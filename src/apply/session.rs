//! The admin's own Salesforce session, for `apply`: from the Salesforce CLI (`sf org display`
//! for the instance URL and user, `sf org auth show-access-token` for the token) or given by
//! hand (an instance URL and the token on stdin). Facts: reference/deploy-and-mcp-apis.md §A.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::salesforce::instance::instance_origin;
use crate::secret::Secret;
use crate::terminal_safe::terminal_safe;

/// The CLI release that hid tokens from `org display` and ships `org auth show-access-token`
/// (release notes 2.136.8, 27 May 2026).
pub const MIN_CLI: &str = "2.136.8";
/// What `org display` prints in place of the token since then (plugin-org secrets-redacted).
const REDACTED: &str = "[REDACTED]";

/// A session with the org, as the admin's own user.
#[derive(Debug, Clone)]
pub struct Session {
    pub instance_url: String,
    pub username: Option<String>,
    pub org_id: Option<String>,
    pub api_version: Option<String>,
    /// The Salesforce CLI login it came from (an alias or username), kept with a profile so
    /// later commands find the same org; None for a token given by hand.
    pub target: Option<String>,
    pub token: Secret,
    /// Where the token came from, for messages (never the token).
    pub source: String,
    /// Said once to the admin (an old CLI, a stale token).
    pub notes: Vec<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SessionError {
    #[error(
        "the Salesforce CLI (sf) isn't on PATH (only its absolute folders are searched): install it (npm install --global @salesforce/cli) or pass --instance-url with the access token on stdin"
    )]
    NoCli,
    #[error("sf {command} failed: {message}")]
    Cli { command: String, message: String },
    #[error(
        "sf {MIN_CLI} or later is needed: this CLI has no `sf org auth show-access-token` and its `org display` hides the token. Update it (sf update, or npm install --global @salesforce/cli)"
    )]
    OldCli,
    #[error("sf {0} printed something that isn't its JSON envelope")]
    Unreadable(String),
    #[error("{0}")]
    Input(String),
    #[error(
        "the Salesforce CLI's instance URL for {alias} {why}, so your token isn't sent there: log the CLI in again at your org's My Domain (sf org login web --instance-url https://YOURDOMAIN.my.salesforce.com --alias {alias})"
    )]
    Instance { alias: String, why: String },
}

/// `{"status":0,"result":{...},"warnings":[...]}`, or `status` != 0 with `name` and `message`.
#[derive(Deserialize)]
struct Envelope<T> {
    status: i64,
    result: Option<T>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Display {
    instance_url: String,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    api_version: Option<String>,
    #[serde(default)]
    access_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ShownToken {
    access_token: String,
}

/// `sf` on PATH as an absolute path, looked up once per process (see `program`).
fn sf_program() -> Option<&'static Path> {
    static SF: OnceLock<Option<PathBuf>> = OnceLock::new();
    SF.get_or_init(|| super::program::on_path("sf")).as_deref()
}

/// `program <args> --json`, with an environment fit for the CLI.
fn sf_command(program: &Path, args: &[&str]) -> Command {
    let mut child = Command::new(program);
    child
        .args(args)
        .arg("--json")
        // Keep the CLI's own log file out of it: it may record the token.
        .env("SF_DISABLE_LOG_FILE", "true")
        .env_remove("SF_TEMP_SHOW_SECRETS");
    // The CLI has no use for our secrets, and its plugins and hooks would inherit them.
    for name in crate::browser::SECRET_VARIABLES {
        child.env_remove(name);
    }
    child
}

/// Runs `sf <args> --json` and reads its envelope.
fn sf<T: serde::de::DeserializeOwned>(args: &[&str]) -> Result<T, SessionError> {
    let command = args.join(" ");
    let program = sf_program().ok_or(SessionError::NoCli)?;
    let output = sf_command(program, args)
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => SessionError::NoCli,
            _ => SessionError::Cli {
                command: command.clone(),
                message: e.to_string(),
            },
        })?;
    let text = String::from_utf8_lossy(&output.stdout);
    let Ok(envelope) = serde_json::from_str::<Envelope<T>>(text.trim()) else {
        // oclif may answer an unknown command on stderr alone (UNCONFIRMED with --json).
        let stderr = String::from_utf8_lossy(&output.stderr);
        if is_unknown_command("", &stderr) || is_unknown_command("", &text) {
            return Err(SessionError::OldCli);
        }
        return Err(SessionError::Unreadable(command));
    };
    match (envelope.status, envelope.result) {
        (0, Some(result)) => Ok(result),
        _ => {
            let name = envelope.name.unwrap_or_default();
            let message = envelope.message.unwrap_or_else(|| "no message".into());
            if is_unknown_command(&name, &message) {
                return Err(SessionError::OldCli);
            }
            Err(SessionError::Cli {
                command,
                message: terminal_safe(&message),
            })
        }
    }
}

/// How oclif reports a command the installed CLI doesn't have.
fn is_unknown_command(name: &str, message: &str) -> bool {
    name == "CommandNotFound" || message.contains("is not a sf command")
}

/// The Salesforce CLI's default org (its `target-org` setting), as its username and instance
/// URL, without the token; None when there is no CLI, no default org or an instance URL that
/// isn't the org's own (see `from_cli`).
pub fn default_login() -> Option<(String, String)> {
    let display: Display = sf(&["org", "display"]).ok()?;
    let username = terminal_safe(&display.username?);
    let instance = instance_origin(&display.instance_url).ok()?;
    Some((username, instance.url))
}

/// The Salesforce CLI's default org as a login to pass to `from_cli` (which then says what is
/// wrong with it, if anything); None when there is no CLI or no default org.
pub fn default_target() -> Option<String> {
    let display: Display = sf(&["org", "display"]).ok()?;
    display.username.map(|u| terminal_safe(&u))
}

/// The My Domain of `sf`'s org `alias`, for `connect --target-org`; no token is read.
pub fn instance_of(alias: &str) -> Result<String, SessionError> {
    let display: Display = sf(&["org", "display", "--target-org", alias])?;
    instance_origin(&display.instance_url)
        .map(|instance| instance.url)
        .map_err(|e| SessionError::Instance {
            alias: terminal_safe(alias),
            why: terminal_safe(&e.to_string()),
        })
}

/// The session of `sf`'s org `alias` (an alias or a username).
pub fn from_cli(alias: &str) -> Result<Session, SessionError> {
    if alias.trim().is_empty() || alias.starts_with('-') {
        return Err(SessionError::Input(
            "--target-org: give the alias or username of an org the Salesforce CLI is logged in to (sf org list)".into(),
        ));
    }
    let display: Display = sf(&["org", "display", "--target-org", alias])?;
    // The CLI's answer is untrusted input: only the org's own origin gets the token.
    let instance = instance_origin(&display.instance_url).map_err(|e| SessionError::Instance {
        alias: terminal_safe(alias),
        why: terminal_safe(&e.to_string()),
    })?;
    let mut notes: Vec<String> = instance
        .changes
        .iter()
        .map(|change| {
            format!(
                "The Salesforce CLI's instance URL: {}",
                terminal_safe(change)
            )
        })
        .collect();
    let token = match sf::<ShownToken>(&["org", "auth", "show-access-token", "--target-org", alias])
    {
        Ok(shown) => shown.access_token,
        Err(SessionError::OldCli) => {
            // An older CLI still prints the token in `org display`.
            match display
                .access_token
                .filter(|t| !t.contains(REDACTED) && !t.is_empty())
            {
                Some(token) => {
                    notes.push(format!(
                        "Your Salesforce CLI predates {MIN_CLI}; the token came from `sf org display`, which newer CLIs hide. Update it with sf update."
                    ));
                    token
                }
                None => return Err(SessionError::OldCli),
            }
        }
        Err(other) => return Err(other),
    };
    Ok(Session {
        instance_url: instance.url,
        username: display.username,
        org_id: display.id,
        api_version: display.api_version,
        target: Some(alias.to_string()),
        token: Secret::new(token),
        source: format!("the Salesforce CLI's login {}", terminal_safe(alias)),
        notes,
    })
}

/// A session given by hand: the instance URL and a token read from stdin (never a flag, which
/// would land in the shell history).
pub fn from_token(instance_url: &str, token: &str) -> Result<Session, SessionError> {
    let token = token.trim();
    if token.is_empty() {
        return Err(SessionError::Input(
            "no access token on stdin: pipe it in, e.g. sf org auth show-access-token --json | jq -r .result.accessToken | eca-wizard apply ...".into(),
        ));
    }
    let host = crate::salesforce::hosts::normalize_login_url(instance_url)
        .map_err(|e| SessionError::Input(format!("--instance-url: {e}")))?;
    Ok(Session {
        instance_url: host.host.url().to_string(),
        username: None,
        org_id: None,
        api_version: None,
        target: None,
        token: Secret::new(token.to_string()),
        source: "the token from stdin".into(),
        notes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_command_means_an_old_cli() {
        assert!(is_unknown_command("CommandNotFound", ""));
        assert!(is_unknown_command(
            "",
            "org auth show-access-token is not a sf command."
        ));
        assert!(!is_unknown_command(
            "NoAuthInfoFound",
            "No authorization information found"
        ));
    }

    #[test]
    fn the_cli_starts_without_our_secrets_in_its_environment() {
        let command = sf_command(Path::new("/opt/sf/bin/sf"), &["org", "display"]);
        let removed: Vec<_> = command
            .get_envs()
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| name.to_string_lossy().into_owned())
            .collect();
        assert!(
            removed
                .iter()
                .any(|n| n == crate::secret::CLIENT_SECRET_ENV),
            "{removed:?}"
        );
        for name in crate::browser::SECRET_VARIABLES {
            assert!(removed.iter().any(|n| n == name), "{name}: {removed:?}");
        }
        assert_eq!(command.get_program(), "/opt/sf/bin/sf");
    }

    #[test]
    fn a_token_from_stdin_needs_one_and_a_salesforce_url() {
        assert!(from_token("https://acme.my.salesforce.com", "  ").is_err());
        let session = from_token("acme.lightning.force.com", "00Dx!tok\n").unwrap();
        assert_eq!(session.instance_url, "https://acme.my.salesforce.com");
        assert_eq!(session.token.expose(), "00Dx!tok");
    }
}
