//! The Setup pages a checklist step sends the admin to: the Quick Find text that always works,
//! and the Lightning path the wizard opens in the browser. Lightning paths marked UNCONFIRMED
//! were not found in Salesforce's docs; the Quick Find text is the fallback shown with them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SetupPage {
    Users,
    PermissionSets,
    ExternalClientAppManager,
    ExternalClientAppSettings,
    OauthOpenIdSettings,
    /// Session Settings, where Trusted Domains for Inline Frames lives (Lightning Out 2.0).
    SessionSettings,
    /// CORS: the Allowed Origins List.
    Cors,
    /// Trusted URLs (formerly CSP Trusted Sites). `trusted-domains` is the name recipes used
    /// for this page before Lightning Out's own pages were told apart.
    #[serde(alias = "trusted-domains")]
    TrustedUrls,
    MyDomain,
    /// Certificate and Key Management, where Setup makes a self-signed certificate.
    CertificateKeyManagement,
}

impl SetupPage {
    pub const ALL: [SetupPage; 10] = [
        SetupPage::Users,
        SetupPage::PermissionSets,
        SetupPage::ExternalClientAppManager,
        SetupPage::ExternalClientAppSettings,
        SetupPage::OauthOpenIdSettings,
        SetupPage::SessionSettings,
        SetupPage::Cors,
        SetupPage::TrustedUrls,
        SetupPage::MyDomain,
        SetupPage::CertificateKeyManagement,
    ];

    /// The name recipes use (`page = "users"`).
    pub fn id(self) -> &'static str {
        match self {
            SetupPage::Users => "users",
            SetupPage::PermissionSets => "permission-sets",
            SetupPage::ExternalClientAppManager => "external-client-app-manager",
            SetupPage::ExternalClientAppSettings => "external-client-app-settings",
            SetupPage::OauthOpenIdSettings => "oauth-open-id-settings",
            SetupPage::SessionSettings => "session-settings",
            SetupPage::Cors => "cors",
            SetupPage::TrustedUrls => "trusted-urls",
            SetupPage::MyDomain => "my-domain",
            SetupPage::CertificateKeyManagement => "certificate-key-management",
        }
    }

    /// What to type in Setup's Quick Find box.
    pub fn quick_find(self) -> &'static str {
        match self {
            SetupPage::Users => "Users",
            SetupPage::PermissionSets => "Permission Sets",
            SetupPage::ExternalClientAppManager => "External Client App Manager",
            SetupPage::ExternalClientAppSettings => "External Client App Settings",
            SetupPage::OauthOpenIdSettings => "OAuth and OpenID Connect Settings",
            SetupPage::SessionSettings => "Session Settings",
            SetupPage::Cors => "CORS",
            SetupPage::TrustedUrls => "Trusted URLs",
            SetupPage::MyDomain => "My Domain",
            SetupPage::CertificateKeyManagement => "Certificate and Key Management",
        }
    }

    /// The path under the org's Lightning host.
    pub fn lightning_path(self) -> &'static str {
        match self {
            SetupPage::Users => "/lightning/setup/ManageUsers/home",
            SetupPage::PermissionSets => "/lightning/setup/PermSets/home",
            SetupPage::MyDomain => "/lightning/setup/OrgDomain/home",
            // UNCONFIRMED: the node names below follow Setup's naming pattern.
            SetupPage::ExternalClientAppManager => {
                "/lightning/setup/ManageExternalClientApplication/home"
            }
            // field-facts-2026.md "Setup pages and labels"; public scripts open the same node.
            SetupPage::ExternalClientAppSettings => {
                "/lightning/setup/ExternalClientApplicationSettings/home"
            }
            SetupPage::OauthOpenIdSettings => "/lightning/setup/OauthOidcSettings/home",
            // Setup's node names, as several public Setup-link tables give them (Salesforce
            // Inspector-style navigators); CorsWhitelistEntries is also field-facts-2026.md's.
            SetupPage::SessionSettings => "/lightning/setup/SecuritySession/home",
            SetupPage::Cors => "/lightning/setup/CorsWhitelistEntries/home",
            SetupPage::TrustedUrls => "/lightning/setup/SecurityCspTrustedSite/home",
            // The same navigators' node name for Certificate and Key Management.
            SetupPage::CertificateKeyManagement => {
                "/lightning/setup/CertificatesAndKeysManagement/home"
            }
        }
    }

    /// The page's full URL for an org with this Lightning origin.
    pub fn url(self, lightning_origin: &str) -> String {
        format!(
            "{}{}",
            lightning_origin.trim_end_matches('/'),
            self.lightning_path()
        )
    }
}
