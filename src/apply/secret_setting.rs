//! The org-wide setting "Allow access to External Client App consumer secrets via REST API"
//! (`ExternalClientAppSettings.enableClientSecretInRestApiAccess`, reference/deploy-and-mcp-apis.md
//! §B.4, §C.4). While it is on, every app's secret is readable over REST, so it always ends as
//! it was: read first (SOAP `readMetadata`; the one public tool that toggles it, ohm, restores
//! the original value), turned on only when off and the admin agreed, put back after the work,
//! also when SIGINT, SIGTERM or SIGHUP arrives meanwhile. A marker written before turning it on
//! survives a kill; the next `apply`, `rotate` or `status` puts the setting back with it.

use std::io::Write;
use std::time::Duration;

use crate::apply::event::{SecretEvent, TellSecret};

use crate::apply::restore_marker::{Marker, Pending, pending};
use crate::apply::session::Session;
use crate::signals::Terminating;
use crate::terminal_safe::terminal_safe;

/// The setting's label in Setup > External Client App Settings.
pub const LABEL: &str = "Allow access to External Client App consumer secrets via REST API";

/// Whether the setting is on now.
pub async fn read(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
) -> anyhow::Result<bool> {
    crate::apply::org_settings::read(http, session, version, &SECRETS_OVER_REST).await
}

/// Where the setting lives in metadata.
pub const SECRETS_OVER_REST: crate::apply::org_settings::OrgFlag =
    crate::apply::org_settings::OrgFlag {
        kind: "ExternalClientAppSettings",
        member: "ExternalClientApp",
        field: "enableClientSecretInRestApiAccess",
        label: LABEL,
    };

/// A deploy of ExternalClientAppSettings with the setting `on` (§B.4), as an mdapi zip.
pub fn zip(on: bool, api_version: &str) -> anyhow::Result<Vec<u8>> {
    let file = |path: &str, contents: String| crate::metadata::File {
        path: path.to_string(),
        contents,
    };
    crate::apply::package::mdapi_zip(&[
        file(
            "manifest/package.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Package xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <types>\n        <members>ExternalClientApp</members>\n        <name>Settings</name>\n    </types>\n    <version>{api_version}</version>\n</Package>\n"
            ),
        ),
        file(
            "force-app/main/default/settings/ExternalClientApp.settings-meta.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ExternalClientAppSettings xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <enableClientSecretInRestApiAccess>{on}</enableClientSecretInRestApiAccess>\n</ExternalClientAppSettings>\n"
            ),
        ),
    ])
}

/// Sets the setting with a Settings deploy; false when Salesforce refused it.
pub async fn set(
    http: &reqwest::Client,
    session: &Session,
    api_version: &str,
    on: bool,
) -> anyhow::Result<bool> {
    let every = Duration::from_secs(2);
    let deployed = crate::apply::deploy::deploy(
        http,
        session,
        api_version,
        zip(on, api_version)?,
        false,
        every,
        &mut |_| {},
    )
    .await?;
    Ok(deployed.success)
}

/// How a stretch of work with the setting turned on ended.
pub struct WhileOn<T> {
    /// The work's result; None when the setting couldn't be turned on (or a signal came first).
    pub result: Option<T>,
    /// The signal that arrived meanwhile: the caller stops once the setting is back.
    pub signal: Option<&'static str>,
}

/// Runs `work` with the setting on; the caller has read that it is off and the admin agreed.
/// The marker goes down before the setting changes and goes away once it is off again.
/// Signals that arrive meanwhile neither stop the work nor the restore: both finish (so no
/// change to the org is left half done), then the caller stops.
pub async fn while_on<T>(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
    tell: &mut TellSecret<'_>,
    work: impl std::future::Future<Output = T>,
) -> anyhow::Result<WhileOn<T>> {
    // Listening first: once the marker is there, a signal no longer ends the process.
    let mut signals = Terminating::listen()?;
    // The marker's lock is held until the setting is back, so no other eca-wizard run takes
    // this run's marker for one left behind (and turns the setting off under it).
    let (place, _lock) = Marker::of(session)?.write()?;
    let mut signal = None;
    let turned_on = shield(
        &mut signals,
        set(http, session, version, true),
        &mut signal,
        tell,
    )
    .await;
    let result = match turned_on {
        Ok(true) if signal.is_none() => {
            tell(SecretEvent::TurnedOn)?;
            Some(shield(&mut signals, work, &mut signal, tell).await)
        }
        Ok(true) => None,
        Ok(false) => {
            tell(SecretEvent::TurnOnRefused)?;
            None
        }
        Err(e) => {
            tell(SecretEvent::TurnOnFailed {
                error: format!("{e:#}"),
            })?;
            None
        }
    };
    // Off again whatever happened: the "on" deploy may have gone through unanswered.
    let off = shield(
        &mut signals,
        set(http, session, version, false),
        &mut signal,
        tell,
    )
    .await;
    if matches!(off, Ok(true)) {
        crate::apply::restore_marker::remove(&place);
        tell(SecretEvent::Restored)?;
    } else {
        tell(SecretEvent::NotRestored {
            error: off.err().map(|e| format!("{e:#}")),
        })?;
    }
    Ok(WhileOn { result, signal })
}

/// Runs `work` to its end; a terminating signal meanwhile is noted (and said once), not obeyed.
async fn shield<T>(
    signals: &mut Terminating,
    work: impl std::future::Future<Output = T>,
    signal: &mut Option<&'static str>,
    tell: &mut TellSecret<'_>,
) -> T {
    let mut work = std::pin::pin!(work);
    loop {
        tokio::select! {
            done = &mut work => return done,
            name = signals.next() => {
                if signal.is_none() {
                    let _ = tell(SecretEvent::Stopping { signal: name });
                }
                *signal = Some(name);
            }
        }
    }
}

/// Puts the setting back off for every marker left by a command that was killed while it was
/// on, with the same Salesforce CLI login; says what happened.
pub async fn restore_pending(http: &reqwest::Client, version: &str, out: &mut (dyn Write + Send)) {
    for found in pending() {
        let Pending::Marker(path, marker) = found else {
            let _ = writeln!(out, "{}", found.warning());
            continue;
        };
        // Held by a run that has the setting on right now: not left behind.
        let Ok(Some(_lock)) = crate::files::try_lock(&path) else {
            continue;
        };
        let Some(target) = marker.target.clone() else {
            let _ = writeln!(out, "{}", marker.warning());
            continue;
        };
        let session =
            tokio::task::spawn_blocking(move || crate::apply::session::from_cli(&target)).await;
        let session = match session {
            Ok(Ok(session)) => session,
            Ok(Err(e)) => {
                let _ = writeln!(out, "{} ({e})", marker.warning());
                continue;
            }
            Err(_) => continue,
        };
        let same = crate::apply::org_binding::session_org(&session)
            .is_ok_and(|org| crate::apply::org_binding::same_org(&org, &marker.org_id));
        if !same {
            let _ = writeln!(
                out,
                "{} (the login now points at another org)",
                marker.warning()
            );
            continue;
        }
        match set(http, &session, version, false).await {
            Ok(true) => {
                crate::apply::restore_marker::remove(&path);
                let _ = writeln!(
                    out,
                    "Turned {LABEL} off again in org {}: an earlier eca-wizard was stopped before it could.",
                    terminal_safe(&marker.org_id)
                );
            }
            outcome => {
                let why = outcome
                    .err()
                    .map(|e| format!("{e:#}"))
                    .unwrap_or_else(|| "Salesforce refused the deploy".into());
                let _ = writeln!(out, "{} (putting it back failed: {why})", marker.warning());
            }
        }
    }
}
