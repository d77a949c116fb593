//! What apply is asked to do, in the library's own types: the `apply` command builds it from
//! its flags, the wizard from the setup's answers. And what apply hands back to connect with.

use std::path::PathBuf;

use crate::metadata::Choices;
use crate::recipe::{ApplyUser, Recipe};

/// One apply: the recipe's app with the admin's choices, through a session given beside it.
#[derive(Debug, Clone)]
pub struct ApplyRequest {
    pub recipe: &'static Recipe,
    /// The app's choices, checked by `prepare`.
    pub choices: Choices,
    /// Create this integration user (API only) and make it the Run As user.
    pub create_user: Option<String>,
    /// The Metadata API version to deploy with.
    pub api_version: String,
    /// Validate the deploy (check only): nothing in the org changes.
    pub dry_run: bool,
    /// Turn on reading secrets over REST (and off again) without asking.
    pub allow_secret_access: bool,
    /// A local recipe's callbacks outside this machine and its guide's domain are deployed
    /// without asking (`--allow-callbacks`).
    pub allow_callbacks: bool,
    /// JWT bearer: the private key to connect with once deployed.
    pub private_key: Option<PathBuf>,
    /// Keep the verified connection as this profile.
    pub save: Option<String>,
    /// Keep the profile's secrets in an owner-only file instead of the keychain.
    pub secrets_file: bool,
}

impl ApplyRequest {
    /// What apply knows of the integration user from the request.
    pub fn user(&self) -> ApplyUser {
        match (&self.create_user, &self.choices.run_as) {
            (Some(_), _) => ApplyUser::Creates,
            (None, Some(_)) => ApplyUser::Existing,
            (None, None) => ApplyUser::Unknown,
        }
    }
}

/// The new app as connect takes it: apply read its key (and maybe its secret, handed beside).
#[derive(Debug, Clone)]
pub struct Connection {
    /// The org's My Domain URL (the session's instance).
    pub login_url: String,
    pub client_id: String,
    pub recipe: &'static Recipe,
    pub callback_urls: Vec<String>,
    /// The Run As user (JWT bearer signs in as it).
    pub username: Option<String>,
    pub private_key: Option<PathBuf>,
    pub save: Option<String>,
    /// The app's API name, kept with a saved profile.
    pub api_name: String,
    pub secrets_file: bool,
    /// The Salesforce CLI login apply ran with.
    pub target_org: Option<String>,
}
