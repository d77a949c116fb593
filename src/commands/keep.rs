//! `connect --save`: the secret store is chosen and probed before any login (a login that
//! can't be kept is wasted, and with refresh token rotation costly), and after it the profile
//! is written; a save that fails still leaves the report, with the reason.

use std::path::PathBuf;

use crate::cli::ConnectArgs;
use crate::commands::output::{Refusal, exit};
use crate::connect::{Report, Request};
use crate::profile::SecretStore;

/// Where a connection will be kept, ready before the login.
pub struct Ready {
    pub dir: PathBuf,
    pub store: SecretStore,
}

/// With `--save`: the store that will hold the secrets, probed (the keychain stores and returns
/// a value; the file's folder can be made owner-only).
pub fn prepare(args: &ConnectArgs) -> anyhow::Result<Option<Ready>> {
    if args.save.is_none() {
        return Ok(None);
    }
    let dir = crate::profile::profiles_dir()?;
    let store = SecretStore::choose(&dir, args.secrets_file).map_err(|e| Refusal {
        code: exit::USAGE,
        kind: "no_secret_store",
        message: format!("nothing was sent: {e}"),
        fix: Some(
            "pass --secrets-file (or set ECA_WIZARD_SECRETS=file) to keep the secrets in an owner-only file"
                .into(),
        ),
    })?;
    let folders = match &store {
        SecretStore::File(path) => vec![path.parent().map(PathBuf::from), Some(dir.clone())],
        SecretStore::Keychain => vec![Some(dir.clone())],
    };
    for folder in folders.into_iter().flatten() {
        crate::files::ensure_private_dir(&folder).map_err(|e| Refusal {
            code: exit::FAILED,
            kind: "secret_store_unusable",
            message: format!(
                "nothing was sent: the profile couldn't be kept in {}: {e}",
                folder.display()
            ),
            fix: Some("point ECA_WIZARD_HOME at a folder you own".into()),
        })?;
    }
    Ok(Some(Ready { dir, store }))
}

/// Writes the profile and its secrets; where the secrets went, or why nothing was kept.
pub fn keep(
    ready: Ready,
    name: &str,
    args: &ConnectArgs,
    request: &Request,
    report: &Report,
) -> Result<String, String> {
    let app = crate::profile::AppDetails {
        callback_urls: args.callback_urls.clone(),
        api_name: args.api_name.clone(),
        app_name: None,
        private_key_path: args.private_key.as_ref().map(|p| p.display().to_string()),
        target_org: args.target_org.clone(),
    };
    let place = crate::profile::keep(&ready.dir, name, request, report, ready.store, app)
        .map_err(|e| format!("{e:#}"))?;
    eprintln!(
        "saved profile {name} in {}; secrets in {place}",
        ready.dir.display()
    );
    Ok(place)
}
