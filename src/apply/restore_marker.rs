//! The marker that says "the org's secret setting may be on": written (under a lock held for
//! the whole window) before `secret_setting` turns the setting on, removed once it is off
//! again. One left behind by a kill is named by every command and put back by the next
//! `apply`, `rotate` or `status` (`secret_setting::restore_pending`).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::apply::secret_setting::LABEL;
use crate::apply::session::Session;
use crate::terminal_safe::terminal_safe;

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
    pub(crate) fn of(session: &Session) -> anyhow::Result<Marker> {
        Ok(Marker {
            org_id: crate::apply::org_binding::session_org(session)?,
            instance_url: session.instance_url.clone(),
            target: session.target.clone(),
            at_ms: crate::clock::now_ms(),
        })
    }

    /// Writes the marker with its lock held; refused while another run holds it (that run
    /// has the setting on in this org now).
    pub(crate) fn write(&self) -> anyhow::Result<(PathBuf, crate::files::Lock)> {
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

/// Removes a marker (and its lock file) once the setting is back.
pub fn remove(path: &Path) {
    std::fs::remove_file(path).ok();
    crate::files::remove_lock(path);
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
            assert!(made.is_ok_and(|s| s.success()), "mkfifo made the FIFO");
            assert!(matches!(
                pending_in(&dir).as_slice(),
                [Pending::Unreadable(..)]
            ));
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
