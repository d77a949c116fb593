//! Unfinished setups on disk: one JSON file per recipe and org (`setups/<key>.json`), written
//! atomically and readable only by their owner. Never a secret: `SavedSetup` has none.

use std::path::{Path, PathBuf};

use crate::wizard::{NO_ORG, SavedSetup};

/// What earlier versions kept: one setup for everything. Read once, then moved.
const LEGACY_FILE: &str = "progress.json";
const FOLDER: &str = "setups";

/// Where eca-wizard keeps its files: `ECA_WIZARD_HOME`, or the platform's data folder.
pub fn home() -> anyhow::Result<PathBuf> {
    crate::files::data_home()
}

fn file(dir: &Path, key: &str) -> PathBuf {
    dir.join(FOLDER).join(format!("{key}.json"))
}

/// Every saved setup, most recently changed first; unreadable files are left alone.
pub fn load_all(dir: &Path) -> Vec<SavedSetup> {
    if let Ok(text) = std::fs::read_to_string(dir.join(LEGACY_FILE))
        && let Ok(saved) = serde_json::from_str::<SavedSetup>(&text)
        && save(dir, &saved).is_ok()
    {
        let _ = std::fs::remove_file(dir.join(LEGACY_FILE));
    }
    let Ok(entries) = std::fs::read_dir(dir.join(FOLDER)) else {
        return Vec::new();
    };
    let mut found: Vec<(std::time::SystemTime, SavedSetup)> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
        .filter_map(|e| {
            let changed = e.metadata().and_then(|m| m.modified()).ok()?;
            let saved = serde_json::from_str(&std::fs::read_to_string(e.path()).ok()?).ok()?;
            Some((changed, saved))
        })
        .collect();
    found.sort_by_key(|(changed, _)| std::cmp::Reverse(*changed));
    found.into_iter().map(|(_, saved)| saved).collect()
}

/// Saves one setup under its key. Once its org is known, the copy saved before (under "no
/// org") goes: it is the same setup.
pub fn save(dir: &Path, saved: &SavedSetup) -> anyhow::Result<()> {
    crate::files::ensure_private_dir(dir)?;
    crate::files::ensure_private_dir(&dir.join(FOLDER))?;
    let json = serde_json::to_vec_pretty(saved)?;
    let key = saved.key();
    crate::files::write_atomically(&file(dir, &key), &json)?;
    let unset = format!("{}--{NO_ORG}", saved.recipe);
    if key != unset {
        let _ = std::fs::remove_file(file(dir, &unset));
    }
    Ok(())
}

pub fn clear(dir: &Path, key: &str) -> anyhow::Result<()> {
    match std::fs::remove_file(file(dir, key)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}
