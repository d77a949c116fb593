//! `eca-wizard rotate PROFILE`: a new consumer key and secret for the profile's app, staged,
//! proved with a real token request, promoted, and kept in the keychain; the old pair keeps
//! working for 30 days. A failure at any step leaves the old pair in use (exit 1).

use std::io::Write;

use crate::apply::credentials::set_secret_access;
use crate::apply::rotate::{Promoted, Stopped, rotate};
use crate::commands::UsageError;
use crate::oauth::OAuthClient;
use crate::profile::{self, SecretKind};
use crate::salesforce::Flow;
use crate::secret::Secret;

pub fn run(
    name: &str,
    target_org: Option<&str>,
    instance_url: Option<&str>,
    allow_secret_access: bool,
    replace_staged: bool,
) -> anyhow::Result<u8> {
    let crate::commands::apply::ProfileWork {
        dir,
        mut profile,
        recipe,
        app,
    } = crate::commands::apply::profile_work(name)?;
    if profile.flow == Flow::JwtBearer {
        return Err(UsageError(
            "a JWT bearer profile signs with its private key and uses no secret: rotate the certificate instead".into(),
        )
        .into());
    }
    let session = crate::commands::apply::admin_session(target_org, instance_url)?;
    let runtime = crate::commands::runtime()?;
    let http = crate::net::client()?;
    let version = crate::metadata::API_VERSION;
    // With refresh token rotation the proof's refresh replaces the stored token: kept here.
    let rotated_refresh = std::sync::Mutex::new(None::<Secret>);
    let refresh = profile
        .secrets
        .get(name, SecretKind::RefreshToken)
        .ok()
        .flatten();
    let mut err = std::io::stderr().lock();
    let in_use = profile.client_id.clone();
    // One attempt: stage, prove the way this profile gets tokens, promote.
    let attempt = || {
        let prover = |key, secret| {
            prove(
                &profile,
                recipe,
                refresh.clone(),
                key,
                secret,
                &rotated_refresh,
            )
        };
        runtime.block_on(rotate(
            http,
            &session,
            version,
            &app,
            &in_use,
            replace_staged,
            prover,
        ))
    };
    let mut outcome = attempt();
    if let Err(Stopped {
        secrets_off: true, ..
    }) = &outcome
    {
        writeln!(
            err,
            "Staged credentials need the org setting Allow access to External Client App consumer secrets via REST API, which is off."
        )?;
        let question = "Turn it on for the rotation, and off again right after?";
        if allow_secret_access || crate::commands::prompt::confirm(question)? {
            if runtime.block_on(set_secret_access(http, &session, version, true))? {
                writeln!(err, "Turned the setting on.")?;
                outcome = attempt();
                let off = runtime.block_on(set_secret_access(http, &session, version, false));
                match off {
                    Ok(true) => writeln!(err, "Turned it off again.")?,
                    _ => writeln!(
                        err,
                        "Couldn't turn the setting off again: turn it off in External Client App Settings."
                    )?,
                }
            }
        } else {
            writeln!(err, "Left the setting as it is.")?;
        }
    }
    let Promoted { key, secret } = match outcome {
        Ok(promoted) => promoted,
        Err(stopped) => {
            writeln!(
                err,
                "Rotation stopped at \"{}\": {}\nThe old key and secret are unchanged and still the ones in use.",
                stopped.step, stopped.message
            )?;
            return Ok(1);
        }
    };
    // Promoted: the old pair works for 30 more days, so a failed save breaks nothing today,
    // as long as the profile keeps a pair that matches: the old secret goes back if the
    // profile can't be saved with the new key.
    let old_secret = profile
        .secrets
        .get(name, SecretKind::ConsumerSecret)
        .ok()
        .flatten();
    if let Err(e) = profile
        .secrets
        .set(name, SecretKind::ConsumerSecret, &secret)
    {
        writeln!(
            err,
            "The new pair is promoted, but the keychain refused the secret ({e}). The profile keeps the old pair, which works for 30 days; fix the keychain, then rotate again with --replace-staged."
        )?;
        return Ok(1);
    }
    let refreshed = rotated_refresh.lock().ok().and_then(|mut r| r.take());
    if let Some(refresh) = refreshed
        && let Err(e) = profile
            .secrets
            .set(name, SecretKind::RefreshToken, &refresh)
    {
        writeln!(
            err,
            "warning: the new refresh token couldn't be kept ({e}): log in again with connect --save {name}"
        )?;
    }
    let previous_key = std::mem::replace(&mut profile.client_id, key);
    if let Err(e) = profile::save(&dir, &profile) {
        if let Some(old) = old_secret {
            let _ = profile.secrets.set(name, SecretKind::ConsumerSecret, &old);
        }
        profile.client_id = previous_key;
        writeln!(
            err,
            "The new pair is promoted, but the profile couldn't be saved ({e}); it keeps the old pair, which works for 30 days. Fix it, then rotate again with --replace-staged."
        )?;
        return Ok(1);
    }
    writeln!(
        err,
        "Rotated {app}: the profile {name} uses the new consumer key and secret, proved with a token request. The old pair keeps working for 30 days (or until you delete it in Setup); give the integration the new one: eca-wizard export {name} --format env --reveal"
    )?;
    Ok(0)
}

/// A real token request with the new pair, the way the profile's integration gets tokens.
async fn prove(
    profile: &profile::Profile,
    recipe: &crate::recipe::Recipe,
    refresh: Option<Secret>,
    key: String,
    secret: Secret,
    rotated_refresh: &std::sync::Mutex<Option<Secret>>,
) -> Result<(), String> {
    let before = refresh.clone();
    let client =
        OAuthClient::new(&profile.login_url, &key, Some(secret)).map_err(|e| e.to_string())?;
    let (tokens, phase) =
        crate::commands::status::fresh_token(&client, profile, recipe, refresh).await;
    let tokens = tokens.map_err(|f| {
        f.diagnose(phase, crate::salesforce::diagnosis::Window::After)
            .message
    })?;
    if let (Some(new), Some(old)) = (&tokens.refresh_token, &before)
        && new.expose() != old.expose()
        && let Ok(mut slot) = rotated_refresh.lock()
    {
        *slot = Some(new.clone());
    }
    Ok(())
}
