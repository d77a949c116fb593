//! Field roles: what a field is for, so code finds fields by role, never by id.

use serde::{Deserialize, Serialize};

use crate::recipe::Validator;
use crate::salesforce::Flow;

/// What a field is for. A recipe names its fields as it likes; the wizard, connect and the
/// runtime look them up by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    ConsumerKey,
    ConsumerSecret,
    /// The user the integration runs as (and the Run As user for client credentials).
    IntegrationUsername,
    /// The JWT bearer private key file.
    PrivateKey,
    /// The certificate uploaded to the app.
    Certificate,
    LoginUrl,
    CallbackUrls,
    AppName,
    ApiName,
    ContactEmail,
    PermissionSet,
    /// The host application's URL (trusted domains).
    HostUrl,
    /// The hosted MCP server's URL the client connects to.
    McpServerUrl,
}

impl Role {
    pub const ALL: [Role; 13] = [
        Role::ConsumerKey,
        Role::ConsumerSecret,
        Role::IntegrationUsername,
        Role::PrivateKey,
        Role::Certificate,
        Role::LoginUrl,
        Role::CallbackUrls,
        Role::AppName,
        Role::ApiName,
        Role::ContactEmail,
        Role::PermissionSet,
        Role::HostUrl,
        Role::McpServerUrl,
    ];

    /// The name recipes use.
    pub fn id(self) -> &'static str {
        match self {
            Role::ConsumerKey => "consumer-key",
            Role::ConsumerSecret => "consumer-secret",
            Role::IntegrationUsername => "integration-username",
            Role::PrivateKey => "private-key",
            Role::Certificate => "certificate",
            Role::LoginUrl => "login-url",
            Role::CallbackUrls => "callback-urls",
            Role::AppName => "app-name",
            Role::ApiName => "api-name",
            Role::ContactEmail => "contact-email",
            Role::PermissionSet => "permission-set",
            Role::HostUrl => "host-url",
            Role::McpServerUrl => "mcp-server-url",
        }
    }

    /// The validators a field of this role may use (its values must pass the role's checks).
    pub fn validators(self) -> &'static [Validator] {
        match self {
            Role::ConsumerKey => &[Validator::ConsumerKey],
            Role::ConsumerSecret => &[Validator::ConsumerSecret],
            Role::IntegrationUsername => &[Validator::Username],
            Role::PrivateKey => &[Validator::PrivateKeyFile],
            Role::Certificate => &[Validator::CertificateFile],
            Role::LoginUrl => &[Validator::LoginUrl],
            Role::CallbackUrls => &[Validator::CallbackUrls],
            Role::AppName => &[Validator::AppName],
            Role::ApiName => &[Validator::ApiName],
            Role::ContactEmail => &[Validator::Email],
            Role::PermissionSet => &[Validator::PermissionSetName],
            Role::HostUrl => &[Validator::HttpsUrl],
            Role::McpServerUrl => &[Validator::McpServerUrl],
        }
    }

    /// The roles a recipe of this flow must have fields for, or connect can't run.
    pub fn required_by(flow: Flow) -> &'static [Role] {
        match flow {
            Flow::AuthCode => &[Role::ConsumerKey, Role::CallbackUrls],
            Flow::ClientCredentials => &[Role::ConsumerKey, Role::ConsumerSecret],
            Flow::JwtBearer => &[
                Role::ConsumerKey,
                Role::PrivateKey,
                Role::IntegrationUsername,
            ],
        }
    }
}
