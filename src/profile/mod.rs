//! Connections kept for later: a profile file per connection (no secret in it, ever) and its
//! secrets in the OS keychain, or in an owner-only file when the user consents to that.

mod secrets;
mod store;

pub use secrets::{SecretKind, SecretStore, SecretsError};
pub use store::{Profile, ProfileError, Verification, check_name, delete, list, load, save};

use std::path::PathBuf;

/// Where profiles live: `ECA_WIZARD_HOME/profiles`, or the platform's config folder.
pub fn profiles_dir() -> anyhow::Result<PathBuf> {
    if let Some(home) = std::env::var_os("ECA_WIZARD_HOME").filter(|h| !h.is_empty()) {
        return Ok(PathBuf::from(home).join("profiles"));
    }
    directories::ProjectDirs::from("", "", "eca-wizard")
        .map(|dirs| dirs.config_dir().join("profiles"))
        .ok_or_else(|| anyhow::anyhow!("no home folder found; set ECA_WIZARD_HOME"))
}
