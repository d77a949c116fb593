//! `eca-wizard logout PROFILE [--local] [--yes] [--json]`: revoke at Salesforce, then forget
//! locally. When Salesforce can't be reached nothing is deleted, so the command can simply be
//! run again; `--local` forgets without revoking (an org that is gone: a refreshed sandbox, an
//! expired scratch org). On a terminal it asks first; `--yes` is the answer for scripts.

use std::io::{IsTerminal, Write};

use serde::Serialize;

use crate::commands::output::{self, Refusal, exit};
use crate::oauth::{Failure, OAuthClient};
use crate::profile::{self, Profile, SecretKind};

/// What `logout` did, for the JSON contract.
#[derive(Debug, Default, Serialize)]
struct Done {
    profile: String,
    /// `revoked`, `already_revoked`, `no_token` or `skipped` (--local).
    revocation: &'static str,
    /// Which token was revoked (`refresh token` or `access token`).
    token: Option<&'static str>,
    secrets_deleted_from: String,
    profile_deleted: bool,
}

pub fn run(name: &str, local: bool, yes: bool, json: bool) -> anyhow::Result<u8> {
    let dir = profile::profiles_dir()?;
    profile::sweep(&dir);
    let profile = crate::commands::failure::load_profile(&dir, name)?;
    let what = if local {
        format!(
            "Forget the profile {name} and its secrets on this machine, without revoking at Salesforce?"
        )
    } else {
        format!("Revoke {name}'s token at Salesforce, then delete the profile and its secrets?")
    };
    if !yes && std::io::stdin().is_terminal() && !crate::commands::prompt::confirm(&what)? {
        return Err(Refusal {
            code: exit::CANCELLED,
            kind: "cancelled",
            message: format!("nothing was changed; {name} is still saved"),
            fix: None,
        }
        .into());
    }
    let mut done = Done {
        profile: name.to_string(),
        revocation: "skipped",
        ..Done::default()
    };
    if !local {
        match revoke(name, &profile)? {
            Ok((revocation, token)) => (done.revocation, done.token) = (revocation, token),
            Err(why) => return Err(why.into()),
        }
    }
    let store = &profile.secrets;
    store.delete_all(name)?;
    done.secrets_deleted_from = store.describe();
    profile::delete(&dir, name)?;
    done.profile_deleted = true;
    if json {
        output::print("logout", exit::OK, &done, &[])?;
    } else {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        writeln!(out, "{}", said(&done))?;
    }
    Ok(exit::OK)
}

/// The revocation's outcome, or why nothing may be deleted yet.
type Revoked = Result<(&'static str, Option<&'static str>), Refusal>;

fn revoke(name: &str, profile: &Profile) -> anyhow::Result<Revoked> {
    let store = &profile.secrets;
    let token = match store.get(name, SecretKind::RefreshToken)? {
        Some(token) => Some((token, "refresh token")),
        None => store
            .get(name, SecretKind::AccessToken)?
            .map(|t| (t, "access token")),
    };
    let Some((token, what)) = token else {
        return Ok(Ok(("no_token", None)));
    };
    let base = profile
        .instance_url
        .as_deref()
        .unwrap_or(&profile.login_url);
    let client = OAuthClient::new(base, &profile.client_id, None)?;
    let runtime = crate::commands::runtime()?;
    Ok(match runtime.block_on(client.revoke(&token)) {
        Ok(()) => Ok(("revoked", Some(what))),
        Err(Failure::OAuth { error, .. }) if error == "invalid_token" => {
            Ok(("already_revoked", Some(what)))
        }
        Err(failure) => {
            // Salesforce's words, on one line: a description can't forge lines below it.
            let why = crate::terminal_safe::terminal_safe(
                &failure
                    .diagnose(
                        crate::salesforce::diagnosis::Phase::Identity,
                        crate::salesforce::diagnosis::Window::After,
                    )
                    .message,
            );
            Err(Refusal {
                code: exit::FAILED,
                kind: "revoke_failed",
                message: format!("couldn't revoke the {what} ({why}); nothing was deleted"),
                fix: Some(format!(
                    "run `eca-wizard logout {name}` again when Salesforce can be reached, or `eca-wizard logout {name} --local` to forget it without revoking"
                )),
            })
        }
    })
}

fn said(done: &Done) -> String {
    let token = done.token.unwrap_or("token");
    let first = match done.revocation {
        "revoked" => format!("revoked the {token} at Salesforce"),
        "already_revoked" => format!("the {token} was already revoked or expired at Salesforce"),
        "no_token" => format!(
            "no token was stored for {}; nothing to revoke",
            done.profile
        ),
        _ => "not revoked at Salesforce (--local)".to_string(),
    };
    format!(
        "{first}\ndeleted the secrets from {}\ndeleted profile {}",
        done.secrets_deleted_from, done.profile
    )
}
