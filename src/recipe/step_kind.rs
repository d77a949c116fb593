//! The kinds of step a recipe has, in Setup's order: the loader checks the order against it.

use serde::{Deserialize, Serialize};

/// The kinds of steps, in the order Setup takes an admin through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    IntegrationUser,
    Permissions,
    OrgSettings,
    /// Format 2: installing the vendor's package, which brings the app (`[package]`).
    InstallPackage,
    /// Format 2: a self-signed certificate made in Setup (Certificate and Key Management), for
    /// guides whose JWT certificate comes from the org rather than from OpenSSL.
    Certificate,
    BasicInfo,
    OauthSettings,
    Flows,
    Security,
    Policies,
    TrustedDomains,
    Credentials,
    /// Setup > MCP Servers: activating the hosted MCP server the client will use.
    McpServers,
    Connect,
}

impl StepKind {
    pub const ALL: [StepKind; 14] = [
        StepKind::IntegrationUser,
        StepKind::Permissions,
        StepKind::OrgSettings,
        StepKind::InstallPackage,
        StepKind::Certificate,
        StepKind::BasicInfo,
        StepKind::OauthSettings,
        StepKind::Flows,
        StepKind::Security,
        StepKind::Policies,
        StepKind::TrustedDomains,
        StepKind::Credentials,
        StepKind::McpServers,
        StepKind::Connect,
    ];

    pub fn id(self) -> &'static str {
        match self {
            StepKind::IntegrationUser => "integration-user",
            StepKind::Permissions => "permissions",
            StepKind::OrgSettings => "org-settings",
            StepKind::InstallPackage => "install-package",
            StepKind::Certificate => "certificate",
            StepKind::BasicInfo => "basic-info",
            StepKind::OauthSettings => "oauth-settings",
            StepKind::Flows => "flows",
            StepKind::Security => "security",
            StepKind::Policies => "policies",
            StepKind::TrustedDomains => "trusted-domains",
            StepKind::Credentials => "credentials",
            StepKind::McpServers => "mcp-servers",
            StepKind::Connect => "connect",
        }
    }
}
