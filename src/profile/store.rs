//! Profile files: TOML, one per connection, written atomically and readable by the owner only,
//! with a format version so a file from a newer eca-wizard is refused clearly.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::salesforce::Flow;

/// 2 added the app's API name and label, 3 the answers to the recipe's choices; format 1 and 2
/// files still read (without answers: the recipe's own flow answers its `flow` choice).
pub const FORMAT_VERSION: u32 = 3;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub format: u32,
    pub name: String,
    pub recipe: String,
    pub flow: Flow,
    pub login_url: String,
    pub instance_url: Option<String>,
    pub client_id: String,
    /// Every callback URL registered on the app: the vendor's and the loopback ones.
    #[serde(default)]
    pub callback_urls: Vec<String>,
    /// The app's API name and label as the admin typed them (for `metadata --from`).
    #[serde(default)]
    pub api_name: Option<String>,
    #[serde(default)]
    pub app_name: Option<String>,
    pub username: Option<String>,
    pub org_id: Option<String>,
    /// The Salesforce CLI login (alias or username) the profile was made or first used with:
    /// `rotate`, `status --drift` and `apply` use it when no `--target-org` is given.
    #[serde(default)]
    pub target_org: Option<String>,
    /// JWT bearer: the private key's path (the key stays where the user keeps it).
    #[serde(default)]
    pub private_key_path: Option<String>,
    /// MCP recipes: the hosted MCP server the connection was verified against.
    #[serde(default)]
    pub mcp_url: Option<String>,
    /// The answers to a format-2 recipe's choices it was connected with (choice id -> option),
    /// so later commands check the app that was made, not the recipe's defaults.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub choices: BTreeMap<String, String>,
    pub last_verified: Option<Verification>,
    /// Where this profile's secrets are.
    pub secrets: crate::profile::SecretStore,
    /// Which keychain held them when saved (`secret-service`, `kernel-keyring`, `native`), so a
    /// later run on another store can say why they are missing.
    #[serde(default)]
    pub keychain: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verification {
    /// Milliseconds since the epoch.
    pub at_ms: u64,
    pub ok: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("no profile named '{0}'; `eca-wizard profiles` lists them")]
    Missing(String),
    #[error(
        "profile '{name}' was written by a newer eca-wizard (format {found}, this one reads {FORMAT_VERSION}); upgrade eca-wizard"
    )]
    Newer { name: String, found: u32 },
    #[error("profile file {path} can't be read: {why}. Fix or delete the file")]
    Corrupt { path: PathBuf, why: String },
    #[error(
        "a profile name uses letters, digits, '-', '_' and '.', up to 64 characters; '{0}' doesn't"
    )]
    BadName(String),
    #[error("profile '{name}' is refused: {why}")]
    Refused { name: String, why: String },
    #[error(
        "profile '{name}' can't be checked as it was connected: {why}. Fix `choices` in {path}, or connect again with `--choice ID=OPTION --save {name}`"
    )]
    Answers {
        name: String,
        path: PathBuf,
        why: String,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

pub fn check_name(name: &str) -> Result<(), ProfileError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if ok {
        Ok(())
    } else {
        Err(ProfileError::BadName(name.chars().take(80).collect()))
    }
}

pub(super) fn path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.toml"))
}

pub fn save(dir: &Path, profile: &Profile) -> Result<(), ProfileError> {
    check_name(&profile.name)?;
    crate::files::ensure_private_dir(dir)?;
    let text = toml::to_string(profile).map_err(|e| std::io::Error::other(e.to_string()))?;
    crate::files::write_atomically(&path(dir, &profile.name), text.as_bytes())?;
    Ok(())
}

pub fn load(dir: &Path, name: &str) -> Result<Profile, ProfileError> {
    check_name(name)?;
    let file = path(dir, name);
    let mut opened = match std::fs::File::open(&file) {
        Ok(opened) => opened,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ProfileError::Missing(name.into()));
        }
        Err(e) => return Err(e.into()),
    };
    // What is written owner-only is read only from where no one else could have planted it:
    // the home, the profiles folder and the file itself, as ssh checks its files.
    if let Some(home) = dir.parent().filter(|h| !h.as_os_str().is_empty()) {
        crate::files::check_private_dir(home)?;
    }
    crate::files::check_private_dir(dir)?;
    crate::files::check_private_file(&file, &opened.metadata()?, false)?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut opened, &mut text)?;
    // Read the version first, so a newer file gets "upgrade", not a parse error.
    #[derive(Deserialize)]
    struct Version {
        format: Option<u32>,
    }
    let corrupt = |why: String| ProfileError::Corrupt {
        path: file.clone(),
        why,
    };
    let version: Version = toml::from_str(&text).map_err(|e| corrupt(e.message().to_string()))?;
    match version.format {
        Some(found) if found > FORMAT_VERSION => {
            return Err(ProfileError::Newer {
                name: name.into(),
                found,
            });
        }
        Some(_) => {}
        None => return Err(corrupt("it has no format version".into())),
    }
    let profile: Profile = toml::from_str(&text).map_err(|e| corrupt(e.message().to_string()))?;
    check_secrets_place(dir, name, &profile).map_err(|why| ProfileError::Refused {
        name: name.into(),
        why,
    })?;
    // A profile is a file anyone with access to the folder could edit: its addresses are
    // checked again before a token or secret goes to them.
    let login = crate::salesforce::hosts::normalize_login_url(&profile.login_url)
        .map_err(|e| corrupt(format!("login_url: {e}")))?;
    if let Some(instance) = &profile.instance_url {
        crate::salesforce::hosts::check_api_host(instance, login.host.url())
            .map_err(|why| corrupt(format!("instance_url: {why}")))?;
    }
    Ok(profile)
}

/// A profile's secrets are its own: the keychain entries of its own name, or its home's
/// secrets file (checked like the profile). A copied profile naming another name or another
/// home's file would send that profile's tokens wherever its `login_url` points.
fn check_secrets_place(dir: &Path, name: &str, profile: &Profile) -> Result<(), String> {
    if profile.name != name {
        return Err(format!(
            "it names profile '{}' but is {name}.toml; a profile only uses its own secrets",
            profile.name
        ));
    }
    let crate::profile::SecretStore::File(named) = &profile.secrets else {
        return Ok(());
    };
    let own = super::secrets::home_file(dir);
    let same = *named == own
        || std::fs::canonicalize(named)
            .ok()
            .zip(std::fs::canonicalize(&own).ok())
            .is_some_and(|(a, b)| a == b);
    if !same {
        return Err(format!(
            "its secrets file is {}, not {}: a profile's secrets are only in its own home's \
             secrets file or the keychain, so a copied profile can't use another's tokens",
            named.display(),
            own.display()
        ));
    }
    match std::fs::metadata(&own) {
        Ok(meta) => crate::files::check_private_file(&own, &meta, true).map_err(|e| e.to_string()),
        Err(_) => Ok(()),
    }
}

/// Every profile's name, sorted.
pub fn list(dir: &Path) -> Result<Vec<String>, ProfileError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".toml"))
                .map(String::from)
        })
        .filter(|n| check_name(n).is_ok())
        // Earlier versions kept the secrets file here: it is not a profile.
        .filter(|n| n != "secrets" || load(dir, n).is_ok())
        .collect();
    names.sort();
    Ok(names)
}

pub fn delete(dir: &Path, name: &str) -> Result<(), ProfileError> {
    check_name(name)?;
    match std::fs::remove_file(path(dir, name)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(ProfileError::Missing(name.into()))
        }
        other => Ok(other?),
    }
}
