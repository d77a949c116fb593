//! The unfinished setup on disk: one JSON file, written atomically (a temporary file renamed
//! over the old one), readable only by its owner. Never holds a secret: `SavedSetup` has none.

use std::path::{Path, PathBuf};

use crate::wizard::SavedSetup;

const FILE: &str = "progress.json";

/// Where eca-wizard keeps its files: `ECA_WIZARD_HOME`, or the platform's data folder.
pub fn home() -> anyhow::Result<PathBuf> {
    if let Some(home) = std::env::var_os("ECA_WIZARD_HOME").filter(|h| !h.is_empty()) {
        return Ok(PathBuf::from(home));
    }
    directories::ProjectDirs::from("", "", "eca-wizard")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or_else(|| anyhow::anyhow!("no home folder found; set ECA_WIZARD_HOME"))
}

pub fn load(dir: &Path) -> Option<SavedSetup> {
    let text = std::fs::read_to_string(dir.join(FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

pub fn save(dir: &Path, saved: &SavedSetup) -> anyhow::Result<()> {
    crate::files::ensure_private_dir(dir)?;
    let json = serde_json::to_vec_pretty(saved)?;
    crate::files::write_atomically(&dir.join(FILE), &json)?;
    Ok(())
}

pub fn clear(dir: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(dir.join(FILE)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}
