//! The org-wide setting "Allow access to External Client App consumer secrets via REST API"
//! (`ExternalClientAppSettings.enableClientSecretInRestApiAccess`, reference/deploy-and-mcp-apis.md
//! §B.4, §C.4). While it is on, every app's secret is readable over REST, so it always ends as
//! it was: read first (SOAP `readMetadata`; the one public tool that toggles it, ohm, restores
//! the original value), turned on only when off and the admin agreed, put back after the work,
//! also when SIGINT, SIGTERM or SIGHUP arrives meanwhile. A marker written before turning it on
//! survives a kill; the next `apply`, `rotate` or `status` puts the setting back with it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::apply::session::Session;
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

/// A deploy of ExternalClientAppSettings with the setting `on` (§B.4).
pub fn zip(on: bool, api_version: &str) -> anyhow::Result<Vec<u8>> {
    let package = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Package xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <types>\n        <members>ExternalClientApp</members>\n        <name>Settings</name>\n    </types>\n    <version>{api_version}</version>\n</Package>\n"
    );
    let settings = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ExternalClientAppSettings xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <enableClientSecretInRestApiAccess>{on}</enableClientSecretInRestApiAccess>\n</ExternalClientAppSettings>\n"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("package.xml", options)?;
    zip.write_all(package.as_bytes())?;
    zip.start_file("settings/ExternalClientApp.settings", options)?;
    zip.write_all(settings.as_bytes())?;
    Ok(zip.finish()?.into_inner())
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
    /// The setting is off again.
    pub restored: bool,
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
    out: &mut (dyn Write + Send),
    work: impl std::future::Future<Output = T>,
) -> anyhow::Result<WhileOn<T>> {
    // Listening first: once the marker is there, a signal no longer ends the process.
    let mut signals = Signals::listen()?;
    // The marker's lock is held until the setting is back, so no other eca-wizard run takes
    // this run's marker for one left behind (and turns the setting off under it).
    let (place, _lock) = Marker::of(session)?.write()?;
    let mut signal = None;
    let turned_on = signals
        .shield(set(http, session, version, true), &mut signal, out)
        .await;
    let result = match turned_on {
        Ok(true) if signal.is_none() => {
            writeln!(out, "Turned on {LABEL}.")?;
            Some(signals.shield(work, &mut signal, out).await)
        }
        Ok(true) => None,
        Ok(false) => {
            writeln!(out, "Salesforce refused to turn on {LABEL}.")?;
            None
        }
        Err(e) => {
            writeln!(out, "Turning on {LABEL} failed: {e:#}")?;
            None
        }
    };
    // Off again whatever happened: the "on" deploy may have gone through unanswered.
    let off = signals
        .shield(set(http, session, version, false), &mut signal, out)
        .await;
    let restored = matches!(off, Ok(true));
    if restored {
        std::fs::remove_file(&place).ok();
        crate::files::remove_lock(&place);
        writeln!(out, "Turned {LABEL} off again, as it was.")?;
    } else {
        writeln!(
            out,
            "Couldn't turn {LABEL} off again{}: it may still be on, letting every app's secret be read over REST. Turn it off in Setup > External Client App Settings; the next eca-wizard apply, rotate or status tries again.",
            off.err().map(|e| format!(" ({e:#})")).unwrap_or_default()
        )?;
    }
    Ok(WhileOn {
        result,
        restored,
        signal,
    })
}

/// The terminating signals, caught while the setting is on.
struct Signals(crate::signals::Terminating);

impl Signals {
    fn listen() -> std::io::Result<Signals> {
        crate::signals::Terminating::listen().map(Signals)
    }

    async fn next(&mut self) -> &'static str {
        self.0.next().await
    }

    /// Runs `work` to its end; a signal meanwhile is noted (and said once), not obeyed.
    async fn shield<T>(
        &mut self,
        work: impl std::future::Future<Output = T>,
        signal: &mut Option<&'static str>,
        out: &mut (dyn Write + Send),
    ) -> T {
        let mut work = std::pin::pin!(work);
        loop {
            tokio::select! {
                done = &mut work => return done,
                name = self.next() => {
                    if signal.is_none() {
                        let _ = writeln!(out, "{name}: stopping once {LABEL} is back as it was (a moment).");
                    }
                    *signal = Some(name);
                }
            }
        }
    }
}

/// "The setting may be on": written before turning it on, removed once it is off again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Marker {
    pub org_id: String,
    pub instance_url: String,
    /// The Salesforce CLI login that turned it on (None: a token given by hand).
    pub target: Option<String>,
    /// Milliseconds since the epoch.
    pub at_ms: u64,
}

impl Marker {
    fn of(session: &Session) -> anyhow::Result<Marker> {
        Ok(Marker {
            org_id: crate::apply::org_binding::session_org(session)?,
            instance_url: session.instance_url.clone(),
            target: session.target.clone(),
            at_ms: crate::clock::now_ms(),
        })
    }

    /// Writes the marker with its lock held; refused while another run holds it (that run
    /// has the setting on in this org now).
    fn write(&self) -> anyhow::Result<(PathBuf, crate::files::Lock)> {
        let dir = markers_dir()?;
        crate::files::ensure_private_dir(&dir)?;
        let org: String = self
            .org_id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(15)
            .collect();
        let path = dir.join(format!("restore-secret-setting-{org}.toml"));
        let Some(lock) = crate::files::try_lock(&path)? else {
            anyhow::bail!(
                "another eca-wizard has {LABEL} on in this org right now; let it finish, then try again"
            );
        };
        crate::files::write_atomically(&path, toml::to_string(self)?.as_bytes())?;
        Ok((path, lock))
    }

    /// What every command says while the marker is there.
    pub fn warning(&self) -> String {
        let how = match &self.target {
            Some(target) => format!(
                "eca-wizard status, apply or rotate puts it back with the Salesforce CLI login {}",
                terminal_safe(target)
            ),
            None => "turn it off in Setup > External Client App Settings, then delete the marker"
                .to_string(),
        };
        format!(
            "warning: {LABEL} may still be on in org {} ({}): eca-wizard turned it on and was stopped before turning it off. {how}.",
            terminal_safe(&self.org_id),
            terminal_safe(&self.instance_url),
        )
    }
}

/// Where markers live: beside the profiles folder, in eca-wizard's own home (made when a
/// marker is written, never by looking).
fn markers_dir() -> anyhow::Result<PathBuf> {
    let profiles = crate::profile::profiles_dir()?;
    Ok(profiles.parent().unwrap_or(&profiles).to_path_buf())
}

/// A marker file found in the home: readable, or not (then named, never skipped silently:
/// the setting it stands for may still be on).
pub enum Pending {
    Marker(PathBuf, Marker),
    Unreadable(PathBuf, String),
}

impl Pending {
    /// What every command says while it is there.
    pub fn warning(&self) -> String {
        match self {
            Pending::Marker(_, marker) => marker.warning(),
            Pending::Unreadable(path, why) => format!(
                "warning: {} is a marker eca-wizard wrote when it turned on {LABEL}, but it can't be read ({why}): the setting may still be on in an org. Check External Client App Settings, then delete the file.",
                terminal_safe(&path.display().to_string())
            ),
        }
    }
}

/// The markers left behind, with their files.
pub fn pending() -> Vec<Pending> {
    let Ok(dir) = markers_dir() else {
        return Vec::new();
    };
    pending_in(&dir)
}

fn pending_in(dir: &Path) -> Vec<Pending> {
    // A marker drives an org change: one in a folder others could write is not ours.
    if crate::files::check_private_dir(dir).is_err() {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("restore-secret-setting-") && n.ends_with(".toml"))
        })
        .map(|p| match read_marker(&p) {
            Ok(marker) => Pending::Marker(p, marker),
            Err(why) => Pending::Unreadable(p, why),
        })
        .collect()
}

fn read_marker(path: &Path) -> Result<Marker, String> {
    // Looked at before opening: opening a FIFO would block every command.
    let meta = std::fs::symlink_metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    crate::files::check_private_file(path, &meta, false).map_err(|e| e.to_string())?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut file, &mut text).map_err(|e| e.to_string())?;
    toml::from_str(&text).map_err(|e| terminal_safe(e.message()))
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
                std::fs::remove_file(&path).ok();
                crate::files::remove_lock(&path);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_found_and_others_files_ignored() {
        let dir = std::env::temp_dir().join(format!("eca-marker-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let marker = Marker {
            org_id: "00D5g0000000001EAA".into(),
            instance_url: "https://acme.my.salesforce.com".into(),
            target: Some("acme".into()),
            at_ms: 1,
        };
        let path = dir.join("restore-secret-setting-00D5g0000000001.toml");
        std::fs::write(&path, toml::to_string(&marker).unwrap()).unwrap();
        std::fs::write(dir.join("secrets.toml"), "x = 1").unwrap();
        let found = pending_in(&dir);
        assert!(
            matches!(found.as_slice(), [Pending::Marker(p, m)] if *p == path && *m == marker),
            "one marker"
        );
        let warning = found[0].warning();
        assert!(warning.contains("00D5g0000000001EAA") && warning.contains("acme"));
        // One that can't be read is named, not acted on and not skipped without a word.
        std::fs::write(&path, "org_id = 1\nextra = true").unwrap();
        let found = pending_in(&dir);
        assert!(matches!(found.as_slice(), [Pending::Unreadable(p, _)] if *p == path));
        assert!(found[0].warning().contains("can't be read"));
        std::fs::write(&path, toml::to_string(&marker).unwrap()).unwrap();
        #[cfg(unix)]
        {
            // A marker others could have written is named, never acted on; an open folder's
            // files aren't looked at.
            use std::os::unix::fs::PermissionsExt;
            let open = std::fs::Permissions::from_mode(0o666);
            std::fs::set_permissions(&path, open).unwrap();
            assert!(matches!(
                pending_in(&dir).as_slice(),
                [Pending::Unreadable(..)]
            ));
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
            assert!(pending_in(&dir).is_empty());
            // A FIFO is never opened (that would block every command).
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
            std::fs::remove_file(&path).unwrap();
            let made = std::process::Command::new("mkfifo").arg(&path).status();
            if made.is_ok_and(|s| s.success()) {
                assert!(matches!(
                    pending_in(&dir).as_slice(),
                    [Pending::Unreadable(..)]
                ));
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
