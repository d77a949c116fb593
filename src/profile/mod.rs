//! Connections kept for later: a profile file per connection (no secret in it, ever) and its
//! secrets in the OS keychain, or in an owner-only file when the user consents to that.

mod answers;
mod secrets;
mod store;

pub use answers::variant;
pub use secrets::{Keychain, SecretKind, SecretStore, SecretsError, StoreView, keychain};
pub use store::{Profile, ProfileError, Verification, check_name, delete, list, load, save};

use std::path::{Path, PathBuf};

/// Removes what a killed write left behind in the profiles folder and beside it (temporary
/// files may hold tokens).
pub fn sweep(dir: &Path) {
    crate::files::sweep_temporaries(dir);
    if let Some(parent) = dir.parent() {
        crate::files::sweep_temporaries(parent);
    }
}

/// Where profiles live: `ECA_WIZARD_HOME/profiles`, or the platform's config folder.
pub fn profiles_dir() -> anyhow::Result<PathBuf> {
    if let Some(home) = std::env::var_os("ECA_WIZARD_HOME").filter(|h| !h.is_empty()) {
        return Ok(PathBuf::from(home).join("profiles"));
    }
    directories::ProjectDirs::from("", "", "eca-wizard")
        .map(|dirs| dirs.config_dir().join("profiles"))
        .ok_or_else(|| anyhow::anyhow!("no home folder found; set ECA_WIZARD_HOME"))
}

use crate::clock::now_ms;
use crate::connect::{Report, Request};

/// Keeps a verified connection: the profile file and its secrets (consumer secret, refresh and
/// access tokens) in `store`. Returns where the secrets went.
/// What the admin typed about the app that a connect doesn't use, kept with the profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppDetails {
    /// Every callback URL on the app (the vendor's too), not only the loopback ones.
    pub callback_urls: Vec<String>,
    pub api_name: Option<String>,
    pub app_name: Option<String>,
    /// JWT bearer: the private key's path.
    pub private_key_path: Option<String>,
    /// The Salesforce CLI login `apply` used (see `Profile::target_org`).
    pub target_org: Option<String>,
}

pub fn keep(
    dir: &std::path::Path,
    name: &str,
    request: &Request,
    report: &Report,
    store: SecretStore,
    app: AppDetails,
) -> anyhow::Result<String> {
    check_name(name)?;
    sweep(dir);
    let tokens = report
        .tokens
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("there is no token to keep"))?;
    let identity = report.identity.as_ref();
    let profile = Profile {
        format: store::FORMAT_VERSION,
        name: name.to_string(),
        recipe: request.recipe.id.clone(),
        flow: request.flow,
        login_url: request.login.url().to_string(),
        instance_url: report.instance_url.clone(),
        client_id: request.client_id.clone(),
        callback_urls: merged(&app.callback_urls, &request.callback_urls),
        api_name: app.api_name,
        app_name: app.app_name,
        username: identity.map(|i| i.username.clone()),
        org_id: identity.map(|i| i.org_id.clone()),
        target_org: app.target_org,
        private_key_path: app.private_key_path,
        mcp_url: request.mcp_url.clone(),
        choices: request.recipe.selection.iter().cloned().collect(),
        last_verified: Some(Verification {
            at_ms: now_ms(),
            ok: report.diagnosis.is_none(),
        }),
        secrets: store.clone(),
        keychain: match store {
            SecretStore::Keychain => secrets::keychain().map(|k| k.id().to_string()),
            SecretStore::File(_) => None,
        },
    };
    // Secrets first: a profile without its secrets would be useless, the reverse harmless.
    if let Some(secret) = &request.client_secret {
        store.set(name, SecretKind::ConsumerSecret, secret)?;
    }
    if let Some(refresh) = &tokens.refresh_token {
        store.set(name, SecretKind::RefreshToken, refresh)?;
    }
    store.set(name, SecretKind::AccessToken, &tokens.access_token)?;
    save(dir, &profile)?;
    Ok(store.describe())
}

/// The typed callback URLs first, then the loopback ones the connect used, each once.
fn merged(typed: &[String], used: &[String]) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for url in typed.iter().chain(used) {
        if !all.contains(url) {
            all.push(url.clone());
        }
    }
    all
}

#[cfg(test)]
mod tests {
    #[test]
    fn typed_callbacks_come_first_and_each_once() {
        let typed = [
            "https://vendor.example.com/cb".to_string(),
            "http://localhost:7717/callback".to_string(),
        ];
        let used = [
            "http://localhost:7717/callback".to_string(),
            "http://localhost:7718/callback".to_string(),
        ];
        assert_eq!(
            super::merged(&typed, &used),
            [
                "https://vendor.example.com/cb",
                "http://localhost:7717/callback",
                "http://localhost:7718/callback"
            ]
        );
    }
}
