//! `eca-wizard rotate PROFILE`: a new consumer key and secret for the profile's app, staged,
//! promoted, kept in the keychain, then proved with a real token request against the session
//! org's My Domain, retried while the new pair propagates; the old pair keeps working for 30
//! days. Exit 0 rotated and proved; 1 when rotation stopped (the old pair still in use) or the
//! new pair isn't accepted yet; 130 when a signal stopped it.

use std::io::Write;
use std::time::Duration;

use crate::apply::event::write_to;
use crate::apply::rotate::{Promoted, rotate};
use crate::apply::secret_setting::{self, LABEL};
use crate::commands::UsageError;
use crate::oauth::OAuthClient;
use crate::profile::{self, SecretKind};
use crate::salesforce::Flow;
use crate::secret::Secret;

/// How far a rotation got: the exit code, and what `--json` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rotation {
    pub code: u8,
    /// The new pair is the app's and the profile's (the old one works 30 more days).
    pub promoted: bool,
    /// Salesforce accepted the new pair in a token request.
    pub proved: bool,
}

impl Rotation {
    /// Stopped before the new pair was promoted: the old pair is still the one in use.
    const UNCHANGED: Rotation = Rotation {
        code: 1,
        promoted: false,
        proved: false,
    };
    /// Promoted, but not (yet) proved, or not kept.
    const UNPROVED: Rotation = Rotation {
        code: 1,
        promoted: true,
        proved: false,
    };
}

pub fn run(
    name: &str,
    target_org: Option<&str>,
    instance_url: Option<&str>,
    allow_secret_access: bool,
    replace_staged: bool,
    wait: Duration,
) -> anyhow::Result<Rotation> {
    let mut work = crate::commands::apply::profile_work(name)?;
    if work.profile.flow == Flow::JwtBearer {
        return Err(UsageError(
            "a JWT bearer profile signs with its private key and uses no secret: rotate the certificate instead".into(),
        )
        .into());
    }
    let session = crate::commands::apply::profile_session(&mut work, target_org, instance_url)?;
    let crate::commands::apply::ProfileWork {
        dir,
        mut profile,
        recipe,
        app,
    } = work;
    let runtime = crate::commands::runtime()?;
    let mut err = std::io::stderr();
    let in_use = profile.client_id.clone();
    let ends = runtime.block_on(stage_and_promote(
        &session,
        &app,
        &in_use,
        replace_staged,
        allow_secret_access,
        &mut err,
    ))?;
    let (Promoted { key, secret }, signal) = match ends {
        Staging::Promoted(promoted, signal) => (promoted, signal),
        Staging::Unchanged => return Ok(Rotation::UNCHANGED),
        Staging::Interrupted(signal) => {
            return Err(crate::commands::Interrupted(signal).into());
        }
    };
    // Promoted: the new pair is the app's now and this was the only time its secret was shown,
    // so it is kept before anything else; the old pair works for 30 more days.
    if !keep(&dir, &mut profile, name, key, &secret, &mut err)? {
        return Ok(Rotation::UNPROVED);
    }
    if let Some(signal) = signal {
        writeln!(
            err,
            "The new pair is promoted and kept in the profile {name}; it wasn't tried yet: eca-wizard status {name} tries it."
        )?;
        return Err(crate::commands::Interrupted(signal).into());
    }
    let refresh = profile
        .secrets
        .get(name, SecretKind::RefreshToken)
        .ok()
        .flatten();
    // Against the session org's My Domain, never the profile's stored login URL alone.
    let client = OAuthClient::new(&session.instance_url, &profile.client_id, Some(secret))?;
    let proved = runtime.block_on(prove_with_retries(
        &client, &profile, recipe, refresh, wait, &mut err,
    ));
    report(proved, &profile, name, &app, &session, wait, &mut err)
}

/// How staging and promotion ended.
enum Staging {
    /// The new pair is the app's; a signal that arrived while the setting was on, if any.
    Promoted(Promoted, Option<&'static str>),
    /// Nothing changed (said on `err`): the old pair is still the one in use.
    Unchanged,
    /// A signal stopped it before the promotion; the setting is back as it was.
    Interrupted(&'static str),
}

/// Stages and promotes a new pair. Staged credentials need the org setting on (§C.4): it is
/// read, turned on only when off and the admin agrees, and ends as it was.
async fn stage_and_promote(
    session: &crate::apply::session::Session,
    app: &str,
    in_use: &str,
    replace_staged: bool,
    allow_secret_access: bool,
    err: &mut std::io::Stderr,
) -> anyhow::Result<Staging> {
    let http = crate::net::client()?;
    let version = crate::metadata::API_VERSION;
    let staging = || rotate(http, session, version, app, in_use, replace_staged);
    let (outcome, signal) = match secret_setting::read(http, session, version).await {
        Ok(false) => {
            writeln!(
                err,
                "Staged credentials need the org setting {LABEL}, which is off."
            )?;
            let question = "Turn it on for the rotation, and off again right after?";
            if !(allow_secret_access || crate::commands::prompt::confirm(question)?) {
                writeln!(
                    err,
                    "Left the setting off; nothing was rotated. The old key and secret are still the ones in use."
                )?;
                return Ok(Staging::Unchanged);
            }
            let window =
                secret_setting::while_on(http, session, version, &mut write_to(err), staging())
                    .await?;
            match (window.result, window.signal) {
                (Some(outcome), signal) => (outcome, signal),
                (None, signal) => {
                    writeln!(
                        err,
                        "Nothing was rotated; the old key and secret are still the ones in use."
                    )?;
                    return Ok(signal.map_or(Staging::Unchanged, Staging::Interrupted));
                }
            }
        }
        // On already, or unreadable (the staged calls then say whether it is off).
        Ok(true) | Err(_) => (staging().await, None),
    };
    match outcome {
        Ok(promoted) => Ok(Staging::Promoted(promoted, signal)),
        Err(stopped) => {
            writeln!(
                err,
                "Rotation stopped at \"{}\": {}\nThe old key and secret are unchanged and still the ones in use.",
                stopped.step, stopped.message
            )?;
            if stopped.secrets_off {
                writeln!(
                    err,
                    "Staged credentials need {LABEL} on; pass --allow-secret-access to turn it on for the rotation."
                )?;
            }
            Ok(Staging::Unchanged)
        }
    }
}

/// Says how the proof of the promoted pair ended, and keeps a refresh token it rotated.
fn report(
    proved: Proof,
    profile: &profile::Profile,
    name: &str,
    app: &str,
    session: &crate::apply::session::Session,
    wait: Duration,
    err: &mut dyn Write,
) -> anyhow::Result<Rotation> {
    match proved {
        Proof::Accepted(rotated_refresh) => {
            if let Some(refresh) = rotated_refresh
                && let Err(e) = profile
                    .secrets
                    .set(name, SecretKind::RefreshToken, &refresh)
            {
                writeln!(
                    err,
                    "warning: the new refresh token couldn't be kept ({e}): log in again with connect --save {name}"
                )?;
            }
            writeln!(
                err,
                "Rotated {app}: the profile {name} uses the new consumer key and secret, proved with a token request at {}. The old pair keeps working for 30 days (or until you delete it in Setup); give the integration the new one: eca-wizard export {name} --format env --reveal",
                crate::terminal_safe::terminal_safe(&session.instance_url)
            )?;
            Ok(Rotation {
                code: 0,
                promoted: true,
                proved: true,
            })
        }
        Proof::Refused(why) => {
            writeln!(
                err,
                "Rotated {app} and kept the new pair in the profile {name}, but Salesforce didn't accept it within {}s: {why}\nThe old pair keeps working for 30 days, so nothing that uses it breaks. Try the new one again with eca-wizard status {name} in a few minutes (a changed app can take 10 minutes or more to work everywhere); until it passes, keep the integration on the old pair.",
                wait.as_secs()
            )?;
            Ok(Rotation::UNPROVED)
        }
        Proof::Interrupted(signal) => {
            writeln!(
                err,
                "Stopped before the new pair was accepted; it is promoted and kept in the profile {name}: eca-wizard status {name} tries it."
            )?;
            Err(crate::commands::Interrupted(signal).into())
        }
    }
}

/// Keeps the promoted pair in the profile; false when it couldn't (said on `err`).
fn keep(
    dir: &std::path::Path,
    profile: &mut profile::Profile,
    name: &str,
    key: String,
    secret: &Secret,
    err: &mut dyn Write,
) -> anyhow::Result<bool> {
    let old_secret = profile
        .secrets
        .get(name, SecretKind::ConsumerSecret)
        .ok()
        .flatten();
    if let Err(e) = profile
        .secrets
        .set(name, SecretKind::ConsumerSecret, secret)
    {
        writeln!(
            err,
            "The new pair is promoted, but the keychain refused the secret ({e}). The profile keeps the old pair, which works for 30 days; fix the keychain, then rotate again with --replace-staged."
        )?;
        return Ok(false);
    }
    let previous_key = std::mem::replace(&mut profile.client_id, key);
    if let Err(e) = profile::save(dir, profile) {
        // The profile keeps a pair that matches: the old secret goes back with the old key.
        if let Some(old) = old_secret {
            let _ = profile.secrets.set(name, SecretKind::ConsumerSecret, &old);
        }
        profile.client_id = previous_key;
        writeln!(
            err,
            "The new pair is promoted, but the profile couldn't be saved ({e}); it keeps the old pair, which works for 30 days. Fix it, then rotate again with --replace-staged."
        )?;
        return Ok(false);
    }
    Ok(true)
}

/// How the proof of the new pair ended.
enum Proof {
    /// A token came; with refresh token rotation, the refresh token that replaces the stored one.
    Accepted(Option<Secret>),
    Refused(String),
    /// A terminating signal (its name) stopped the wait.
    Interrupted(&'static str),
}

/// Token requests with the new pair (`client`), retried while it propagates, for up to `wait`.
/// How soon a promoted pair works everywhere is UNCONFIRMED (no source gives a delay); a
/// changed app takes minutes.
async fn prove_with_retries(
    client: &OAuthClient,
    profile: &profile::Profile,
    recipe: &crate::recipe::Recipe,
    refresh: Option<Secret>,
    wait: Duration,
    err: &mut dyn Write,
) -> Proof {
    let policy = crate::retry::RetryPolicy {
        window: wait,
        ..crate::retry::RetryPolicy::default()
    };
    let started = tokio::time::Instant::now();
    let mut attempt = 1;
    // All three: once rotate listened for them, the OS no longer ends it on any (`signals`).
    let Ok(mut signals) = crate::signals::Terminating::listen() else {
        return Proof::Refused("can't listen for Ctrl-C".into());
    };
    loop {
        let tried = prove(client, profile, recipe, refresh.clone()).await;
        let diagnosis = match tried {
            Ok(rotated) => return Proof::Accepted(rotated),
            Err(diagnosis) => diagnosis,
        };
        let elapsed = started.elapsed();
        let decision = policy.decide(
            &diagnosis,
            crate::retry::Try::Login,
            (attempt, attempt),
            elapsed,
            crate::retry::jitter(),
        );
        let crate::retry::Decision::RetryAfter {
            delay,
            attempt: next,
        } = decision
        else {
            return Proof::Refused(diagnosis.message);
        };
        // `--wait` bounds the proof whatever the refusal (a 5xx or a rate limit too).
        if elapsed + delay > wait {
            return Proof::Refused(diagnosis.message);
        }
        let _ = writeln!(
            err,
            "  the new pair isn't accepted yet ({}); trying again in {}s",
            diagnosis.error,
            delay.as_secs().max(1)
        );
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            signal = signals.next() => return Proof::Interrupted(signal),
        }
        attempt = next;
    }
}

/// One token request with the new pair, the way the profile's integration gets tokens.
async fn prove(
    client: &OAuthClient,
    profile: &profile::Profile,
    recipe: &crate::recipe::Recipe,
    refresh: Option<Secret>,
) -> Result<Option<Secret>, crate::salesforce::diagnosis::Diagnosis> {
    let before = refresh.clone();
    let (tokens, phase) =
        crate::commands::status::fresh_token(client, profile, recipe, refresh).await;
    // Right after the promotion: a refusal that propagation explains is inside its window.
    let tokens =
        tokens.map_err(|f| f.diagnose(phase, crate::salesforce::diagnosis::Window::Inside))?;
    Ok(match (tokens.refresh_token, before) {
        (Some(new), Some(old)) if new.expose() != old.expose() => Some(new),
        _ => None,
    })
}
