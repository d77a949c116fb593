//! Where a profile's secrets go: the OS keychain, or, only with the user's explicit consent, an
//! owner-only file (`secrets.toml` beside the profiles). Never the profile file itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::secret::Secret;

const SERVICE: &str = "eca-wizard";
const FILE: &str = "secrets.toml";
/// `ECA_WIZARD_SECRETS=file` is consent to the file, like `--secrets-file`.
pub const CONSENT_ENV: &str = "ECA_WIZARD_SECRETS";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecretKind {
    ConsumerSecret,
    RefreshToken,
    AccessToken,
}

impl SecretKind {
    pub const ALL: [SecretKind; 3] = [
        SecretKind::ConsumerSecret,
        SecretKind::RefreshToken,
        SecretKind::AccessToken,
    ];

    fn id(self) -> &'static str {
        match self {
            SecretKind::ConsumerSecret => "consumer-secret",
            SecretKind::RefreshToken => "refresh-token",
            SecretKind::AccessToken => "access-token",
        }
    }
}

/// Which store a profile's secrets are in (recorded in the profile).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecretStore {
    Keychain,
    File(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error(
        "no OS keychain is available here; to keep the secrets in an owner-only file instead, pass --secrets-file or set ECA_WIZARD_SECRETS=file"
    )]
    NoKeychain,
    #[error("the keychain refused: {0}")]
    Keychain(String),
    #[error("the secrets file {path} can't be used: {why}")]
    File { path: PathBuf, why: String },
}

/// `SecretStore::view`: where a profile's secrets are, for `status --json`, `profiles` and
/// `doctor`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StoreView {
    /// `keychain` or `file`.
    pub kind: &'static str,
    /// The keychain this session reaches: `native`, `secret-service` or `kernel-keyring`.
    pub keychain: Option<&'static str>,
    /// The owner-only secrets file.
    pub path: Option<String>,
    /// False for the kernel keyring, which forgets at restart.
    pub survives_restart: bool,
    /// False when this session can't reach the store the secrets were saved to.
    pub reachable: bool,
    /// The keychain the profile was saved to, when it isn't the one this session reaches.
    pub saved_to: Option<String>,
    /// The same in words.
    pub description: String,
}

type FileContents = BTreeMap<String, BTreeMap<String, String>>;

/// The only secrets file a profile in `dir` may use: beside the profiles folder, in its home,
/// never in it (every file there is a profile).
pub(super) fn home_file(dir: &Path) -> PathBuf {
    dir.parent().unwrap_or(dir).join(FILE)
}

impl SecretStore {
    /// The keychain when it works; the file only with consent (flag or environment).
    pub fn choose(dir: &Path, file_flag: bool) -> Result<SecretStore, SecretsError> {
        let consent = file_flag || std::env::var(CONSENT_ENV).is_ok_and(|v| v == "file");
        if consent {
            return Ok(SecretStore::File(home_file(dir)));
        }
        if keychain_works() {
            Ok(SecretStore::Keychain)
        } else {
            Err(SecretsError::NoKeychain)
        }
    }

    pub fn describe(&self) -> String {
        match self {
            SecretStore::Keychain => match keychain() {
                Some(Keychain::SecretService) => {
                    "the Secret Service (GNOME Keyring, KWallet)".into()
                }
                Some(Keychain::KernelKeyring) => {
                    "the kernel keyring (it forgets them when the machine restarts; --secrets-file keeps them)".into()
                }
                Some(Keychain::Native) | None => "the OS keychain".into(),
            },
            SecretStore::File(path) => {
                format!("{} (owner-only file, as you asked)", path.display())
            }
        }
    }

    /// Where the secrets are, as data: the kind of store, which keychain (or the file), whether
    /// they outlive a restart, and (`saved_to`) the keychain the profile was saved to when this
    /// session reaches another one.
    pub fn view(&self, saved_to: Option<&str>) -> StoreView {
        match self {
            SecretStore::Keychain => {
                let here = keychain();
                let reached = here.map(Keychain::id);
                StoreView {
                    kind: "keychain",
                    keychain: reached,
                    path: None,
                    survives_restart: here.is_some_and(|k| k != Keychain::KernelKeyring),
                    reachable: here.is_some() && (saved_to.is_none() || saved_to == reached),
                    saved_to: saved_to.filter(|s| Some(*s) != reached).map(str::to_string),
                    description: self.describe(),
                }
            }
            SecretStore::File(path) => StoreView {
                kind: "file",
                keychain: None,
                path: Some(path.display().to_string()),
                survives_restart: true,
                reachable: true,
                saved_to: None,
                description: self.describe(),
            },
        }
    }

    pub fn set(&self, profile: &str, kind: SecretKind, value: &Secret) -> Result<(), SecretsError> {
        match self {
            SecretStore::Keychain => entry(profile, kind)?
                .set_password(value.expose())
                .map_err(|e| SecretsError::Keychain(e.to_string())),
            SecretStore::File(path) => {
                // One read-modify-write at a time: `status --all` and a cron job refresh
                // profiles at once, and a lost write loses a rotated refresh token.
                let _lock = lock_file(path)?;
                let mut all = read_file(path)?;
                all.entry(profile.to_string())
                    .or_default()
                    .insert(kind.id().into(), value.expose().into());
                write_file(path, &all)
            }
        }
    }

    pub fn get(&self, profile: &str, kind: SecretKind) -> Result<Option<Secret>, SecretsError> {
        match self {
            SecretStore::Keychain => match entry(profile, kind)?.get_password() {
                Ok(value) => Ok(Some(Secret::new(value))),
                Err(keyring::Error::NoEntry) => Ok(None),
                Err(e) => Err(SecretsError::Keychain(e.to_string())),
            },
            SecretStore::File(path) => Ok(read_file(path)?
                .get(profile)
                .and_then(|s| s.get(kind.id()))
                .map(Secret::new)),
        }
    }

    /// Removes every secret of the profile; missing ones are fine.
    pub fn delete_all(&self, profile: &str) -> Result<(), SecretsError> {
        match self {
            SecretStore::Keychain => {
                for kind in SecretKind::ALL {
                    match entry(profile, kind)?.delete_credential() {
                        Ok(()) | Err(keyring::Error::NoEntry) => {}
                        Err(e) => return Err(SecretsError::Keychain(e.to_string())),
                    }
                }
                Ok(())
            }
            SecretStore::File(path) => {
                let _lock = lock_file(path)?;
                let mut all = read_file(path)?;
                if all.remove(profile).is_none() {
                    return Ok(());
                }
                if all.is_empty() {
                    // The last profile's secrets leave no file behind, not even the lock.
                    crate::files::remove_lock(path);
                    return std::fs::remove_file(path).map_err(|e| SecretsError::File {
                        path: path.to_path_buf(),
                        why: e.to_string(),
                    });
                }
                write_file(path, &all)
            }
        }
    }
}

fn entry(profile: &str, kind: SecretKind) -> Result<keyring::Entry, SecretsError> {
    if keychain().is_none() {
        return Err(SecretsError::NoKeychain);
    }
    keyring::Entry::new(SERVICE, &format!("{profile}/{}", kind.id()))
        .map_err(|e| SecretsError::Keychain(e.to_string()))
}

/// Which keychain holds the secrets on this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keychain {
    /// macOS Keychain, Windows Credential Manager.
    #[cfg_attr(target_os = "linux", allow(dead_code))]
    Native,
    /// Linux desktops: the Secret Service (GNOME Keyring, KWallet) on the session bus; lasts.
    SecretService,
    /// Linux without a session bus: the kernel keyring, which forgets everything at restart.
    KernelKeyring,
}

impl Keychain {
    pub fn id(self) -> &'static str {
        match self {
            Keychain::Native => "native",
            Keychain::SecretService => "secret-service",
            Keychain::KernelKeyring => "kernel-keyring",
        }
    }
}

/// The keychain that works here, chosen once per process: on Linux the Secret Service where a
/// session bus offers one, else the kernel keyring; None when none stores and returns a value.
pub fn keychain() -> Option<Keychain> {
    static CHOSEN: std::sync::OnceLock<Option<Keychain>> = std::sync::OnceLock::new();
    *CHOSEN.get_or_init(|| {
        #[cfg(target_os = "linux")]
        {
            if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty()) {
                keyring::set_default_credential_builder(
                    keyring::secret_service::default_credential_builder(),
                );
                if probe() {
                    return Some(Keychain::SecretService);
                }
            }
            keyring::set_default_credential_builder(
                keyring::keyutils::default_credential_builder(),
            );
            probe().then_some(Keychain::KernelKeyring)
        }
        #[cfg(not(target_os = "linux"))]
        {
            probe().then_some(Keychain::Native)
        }
    })
}

/// Whether the current store can store and return a value (a probe entry, removed at once).
fn probe() -> bool {
    let Ok(probe) = keyring::Entry::new(SERVICE, "probe") else {
        return false;
    };
    let works =
        probe.set_password("probe").is_ok() && probe.get_password().is_ok_and(|v| v == "probe");
    let _ = probe.delete_credential();
    works
}

fn keychain_works() -> bool {
    keychain().is_some()
}

fn lock_file(path: &Path) -> Result<crate::files::Lock, SecretsError> {
    if let Some(dir) = path.parent() {
        crate::files::ensure_private_dir(dir).map_err(|e| SecretsError::File {
            path: path.to_path_buf(),
            why: e.to_string(),
        })?;
    }
    crate::files::lock(path).map_err(|e| SecretsError::File {
        path: path.to_path_buf(),
        why: format!("can't lock it: {e}"),
    })
}

fn read_file(path: &Path) -> Result<FileContents, SecretsError> {
    let fail = |why: String| SecretsError::File {
        path: path.to_path_buf(),
        why,
    };
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileContents::new()),
        Err(e) => return Err(fail(e.to_string())),
    };
    // Tokens are only read from a file no one else can write or read.
    let meta = file.metadata().map_err(|e| fail(e.to_string()))?;
    crate::files::check_private_file(path, &meta, true).map_err(|e| fail(e.to_string()))?;
    let mut text = String::new();
    std::io::Read::read_to_string(&mut file, &mut text).map_err(|e| fail(e.to_string()))?;
    toml::from_str(&text).map_err(|e| fail(e.message().to_string()))
}

fn write_file(path: &Path, all: &FileContents) -> Result<(), SecretsError> {
    let fail = |why: String| SecretsError::File {
        path: path.to_path_buf(),
        why,
    };
    let text = toml::to_string(all).map_err(|e| fail(e.to_string()))?;
    crate::files::write_atomically(path, text.as_bytes()).map_err(|e| fail(e.to_string()))
}
