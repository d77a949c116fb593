//! Salesforce domain facts, pure and table-driven: login hosts, naming rules, scopes, the ECA
//! settings an admin changes in Setup, and the Setup pages they live on.

pub mod callback;
pub mod catalogue;
pub mod deploy_failures;
pub mod diagnosis;
pub mod edit_paths;
pub mod extract;
pub mod hosts;
pub mod instance;
pub mod licenses;
pub mod loose;
pub mod mcp;
pub mod naming;
pub mod oauth_errors;
pub mod objects;
pub mod org_type;
pub mod packaging;
pub mod permissions;
pub mod scan;
pub mod scopes;
pub mod setting_options;
pub mod settings;
pub mod setup_pages;
pub mod status_line;
pub mod transport_family;

use std::fmt;

use serde::{Deserialize, Serialize};

/// The OAuth flow an integration uses to get its tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flow {
    /// Authorization code (web server flow) with PKCE: a person logs in as the integration user.
    AuthCode,
    /// Client credentials: the app acts as its Run As user; My Domain host only.
    ClientCredentials,
    /// JWT bearer: a signed assertion for a pre-authorized user.
    JwtBearer,
}

impl Flow {
    pub const ALL: [Flow; 3] = [Flow::AuthCode, Flow::ClientCredentials, Flow::JwtBearer];

    /// Only the authorization code flow has a person log in in a browser.
    pub fn uses_browser(self) -> bool {
        self == Flow::AuthCode
    }

    /// The identifier used in recipes, `--json` output and flags.
    pub fn id(self) -> &'static str {
        match self {
            Flow::AuthCode => "auth-code",
            Flow::ClientCredentials => "client-credentials",
            Flow::JwtBearer => "jwt-bearer",
        }
    }
}

impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Flow::AuthCode => "authorization code",
            Flow::ClientCredentials => "client credentials",
            Flow::JwtBearer => "JWT bearer",
        })
    }
}
