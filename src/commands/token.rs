//! `eca-wizard token PROFILE [--json]`: a working access token for scripts. The stored one when
//! Salesforce still takes it (one userinfo call), else a fresh one the way the profile's
//! integration gets it (refresh, client credentials or JWT bearer), kept for next time.
//! Printing the token is what the command is asked for; it goes to stdout only, never to a
//! log or stderr.

use crate::net::SendLogged;
use std::io::Write;

use serde::Serialize;

use crate::commands::output::{self, Refusal, exit};
use crate::commands::status::fresh_token;
use crate::oauth::OAuthClient;
use crate::profile::{Profile, SecretKind};
use crate::salesforce::diagnosis::Window;
use crate::secret::Secret;

#[derive(Serialize)]
struct Answer<'a> {
    profile: &'a str,
    access_token: &'a str,
    instance_url: Option<&'a str>,
    /// True when a new token was obtained (the stored one was refused or missing).
    refreshed: bool,
}

pub fn run(name: &str, json: bool) -> anyhow::Result<u8> {
    let dir = crate::profile::profiles_dir()?;
    let profile = crate::commands::failure::load_profile(&dir, name)?;
    let recipe = crate::commands::failure::profile_recipe(&dir, &profile)?;
    let secret = |kind| profile.secrets.get(name, kind).ok().flatten();
    let client = OAuthClient::new(
        &profile.login_url,
        &profile.client_id,
        secret(SecretKind::ConsumerSecret),
    )?;
    let runtime = crate::commands::runtime()?;
    let stored = secret(SecretKind::AccessToken);
    let still_good = match (&stored, &profile.instance_url) {
        (Some(token), Some(instance)) => runtime.block_on(accepted(instance, token)),
        _ => false,
    };
    let (token, instance, refreshed) = match stored {
        Some(token) if still_good => (token, profile.instance_url.clone(), false),
        _ => {
            let refresh = secret(SecretKind::RefreshToken);
            let (tokens, phase) = runtime.block_on(fresh_token(&client, &profile, recipe, refresh));
            let tokens = tokens.map_err(|failure| {
                refused(&profile, &failure.diagnose(phase, Window::After).message)
            })?;
            keep(
                &profile,
                &tokens.access_token,
                tokens.refresh_token.as_ref(),
            );
            (
                tokens.access_token,
                tokens.instance_url.or(profile.instance_url.clone()),
                true,
            )
        }
    };
    let answer = Answer {
        profile: name,
        access_token: token.expose(),
        instance_url: instance.as_deref(),
        refreshed,
    };
    if json {
        output::print("token", exit::OK, &answer, &[])?;
    } else {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        writeln!(out, "{}", token.expose())?;
        out.flush()?;
    }
    Ok(exit::OK)
}

/// Whether Salesforce still takes the token: one userinfo call to the profile's instance (a
/// Salesforce host, checked when the profile was saved).
async fn accepted(instance: &str, token: &Secret) -> bool {
    let Ok(http) = crate::net::client() else {
        return false;
    };
    let url = format!(
        "{}/services/oauth2/userinfo",
        instance.trim_end_matches('/')
    );
    http.get(url)
        .bearer_auth(token.expose())
        .send_logged()
        .await
        .is_ok_and(|r| r.status().is_success())
}

/// The new tokens, kept (with rotation the old refresh token no longer works); a failed keep
/// is said, the token still printed.
fn keep(profile: &Profile, access: &Secret, refresh: Option<&Secret>) {
    let name = profile.name.as_str();
    let kept = refresh
        .map_or(Ok(()), |r| {
            profile.secrets.set(name, SecretKind::RefreshToken, r)
        })
        .and_then(|()| profile.secrets.set(name, SecretKind::AccessToken, access));
    if let Err(e) = kept {
        eprintln!(
            "warning: the new token couldn't be kept for {name} ({e}); the next run gets another"
        );
    }
}

fn refused(profile: &Profile, why: &str) -> Refusal {
    Refusal {
        code: exit::FAILED,
        kind: "no_token",
        message: format!(
            "no working token for {}: {}",
            profile.name,
            crate::terminal_safe::terminal_safe(why)
        ),
        fix: Some(format!(
            "`eca-wizard status {}` says what to fix; `eca-wizard connect ... --save {}` logs in again",
            profile.name, profile.name
        )),
    }
}
