//! The org the emulator plays: its users with their permissions, and its External Client Apps
//! with every setting the checklist covers. Loadable from TOML and buildable in code.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::emulator::demo_org::*;
use crate::emulator::ids;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Org {
    /// 15 or 18 characters starting with `00D`; stored as 18.
    pub org_id: String,
    /// The My Domain name: `acme` for `acme.my.salesforce.com`; a sandbox's has its
    /// `--` form, `acme--uat` for `acme--uat.sandbox.my.salesforce.com`.
    pub my_domain: String,
    /// What it refuses depends on it (a production org refuses deploys that skip tests).
    #[serde(default)]
    pub org_type: OrgType,
    #[serde(default = "default_api_version")]
    pub latest_api_version: String,
    /// Logins per user per rolling hour (Salesforce: 3,600).
    #[serde(default = "default_login_limit")]
    pub logins_per_hour: u32,
    /// How long an access token lives (the session timeout; commonly two hours, UNCONFIRMED).
    #[serde(default = "default_session_minutes")]
    pub session_timeout_minutes: u64,
    /// Seconds a new or edited app takes to work.
    #[serde(default)]
    pub propagation_delay_secs: u64,
    /// The user an auto-approving authorize page signs in as (a username).
    #[serde(default)]
    pub auto_approve_user: Option<String>,
    #[serde(default)]
    pub users: Vec<User>,
    #[serde(default)]
    pub apps: Vec<App>,
    /// The hosted MCP servers of Setup > MCP Servers, with whether each is active.
    #[serde(default = "McpServer::standard")]
    pub mcp_servers: Vec<McpServer>,
    /// How the MCP host and the login host serve their discovery documents.
    #[serde(default)]
    pub mcp_metadata: McpMetadata,
    /// Salesforce Integration user licenses (third parties say five come free; UNCONFIRMED).
    #[serde(default = "default_integration_licenses")]
    pub integration_licenses: u32,
    /// Permission sets the org has (deployed or given), with what they grant.
    #[serde(default)]
    pub permission_sets: Vec<PermissionSetDef>,
    /// "Allow access to External Client App consumer secrets via REST API"
    /// (ExternalClientAppSettings.enableClientSecretInRestApiAccess); off unless turned on.
    #[serde(default)]
    pub client_secret_in_rest_api: bool,
    /// "Require PKCE for all apps" (`OauthOidcSettings.isPkceRequired`, API 59+): every app
    /// asks for PKCE whatever its own checkbox, and a deploy that turns an app's off reads back
    /// on (field-facts-2026.md, "Org-wide PKCE" and "Forced settings").
    #[serde(default)]
    pub pkce_required_org_wide: bool,
    /// OAuth custom scopes the org has (Setup > OAuth Custom Scopes; OauthCustomScope).
    #[serde(default)]
    pub custom_scopes: Vec<CustomScopeDef>,
    /// Packages the org can install (Tooling API PackageInstallRequest); an org file adds its
    /// own beside the emulator's known ones.
    #[serde(default = "crate::emulator::packages::known")]
    pub packages: Vec<crate::emulator::packages::PublishedPackage>,
}

/// An OAuth custom scope as the org holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomScopeDef {
    pub name: String,
    pub description: String,
}

pub use crate::salesforce::org_type::OrgType;

/// A permission set and the part of it the emulator enforces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionSetDef {
    pub name: String,
    #[serde(default)]
    pub api_enabled: bool,
    /// Objects it grants Read on.
    #[serde(default)]
    pub objects: Vec<String>,
    /// System permissions it turns on besides API Enabled (API names, e.g. `ViewSetup`).
    #[serde(default)]
    pub system_permissions: Vec<String>,
}

/// A hosted MCP server as Setup > MCP Servers lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct McpServer {
    /// With its prefix: `platform/sobject-all`.
    pub name: String,
    #[serde(default = "yes")]
    pub active: bool,
}

impl McpServer {
    /// The standard servers, active (Salesforce ships them inactive; an org file or
    /// `--mcp-server-inactive` plays that).
    pub fn standard() -> Vec<McpServer> {
        crate::salesforce::mcp::STANDARD_SERVERS
            .iter()
            .map(|s| McpServer {
                name: s.name.to_string(),
                active: true,
            })
            .collect()
    }
}

/// The protected-resource (RFC 9728) and authorization-server (RFC 8414) metadata.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum McpMetadata {
    /// None served (what users saw in March 2026, mcp-hosted#24).
    Absent,
    /// As the RFCs say: the issuer is the host that serves the document.
    Rfc,
    /// As Salesforce served them in 2026: issuer `https://login.salesforce.com` whatever the
    /// host (mcp-hosted#44), beta scopes listed, no `registration_endpoint` (file 62074320836).
    #[default]
    Salesforce,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    #[serde(default)]
    pub id: String,
    pub username: String,
    /// For the emulator's login page only.
    #[serde(default = "default_password")]
    pub password: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default = "yes")]
    pub api_enabled: bool,
    #[serde(default)]
    pub knowledge_user: bool,
    #[serde(default)]
    pub integration_user: bool,
    /// Object API name -> access.
    #[serde(default)]
    pub objects: BTreeMap<String, ObjectAccess>,
    /// Permission set API names assigned to the user.
    #[serde(default)]
    pub permission_sets: Vec<String>,
    /// Whether the Salesforce API Integration permission set license is assigned (an
    /// integration user needs it before any permission set, reference §D).
    #[serde(default)]
    pub integration_psl: bool,
    /// An admin: may deploy metadata, create users and read app credentials (System
    /// Administrator, or Customize Application, Modify Metadata, the External Client App
    /// permissions and View Client Secret; reference §B.6, §C.4).
    #[serde(default)]
    pub admin: bool,
    /// The View Setup and Configuration permission (an admin has it too): `/limits` needs it,
    /// "available ... for API users with the View Setup and Configuration permission" (REST API
    /// Developer Guide, Limits; field-facts-2026.md). The guides' integration users lack it.
    #[serde(default)]
    pub view_setup: bool,
    /// The user's profile, by Name (an app's Selected Profiles pre-authorize its holders).
    #[serde(default)]
    pub profile: Option<String>,
    /// System permissions (API names) an admin lacks: a delegated admin without Manage Users,
    /// say. What `UserPermissionAccess` answers and what the resources that need them check.
    #[serde(default)]
    pub without_permissions: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectAccess {
    #[serde(default)]
    pub read: bool,
    #[serde(default)]
    pub create: bool,
    #[serde(default)]
    pub edit: bool,
    #[serde(default)]
    pub delete: bool,
}

impl ObjectAccess {
    pub const READ: ObjectAccess = ObjectAccess {
        read: true,
        create: false,
        edit: false,
        delete: false,
    };
}

/// An External Client App as Setup holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct App {
    pub api_name: String,
    #[serde(default)]
    pub label: String,
    pub consumer_key: String,
    pub consumer_secret: String,
    /// The staged slot: a new pair waiting for its promotion, or the old pair a rotation
    /// replaced, which still works (rotation without downtime).
    #[serde(default)]
    pub staged: Option<Credentials>,
    pub callback_urls: Vec<String>,
    /// OAuth scope values (`api`, `refresh_token`, ...).
    pub scopes: Vec<String>,
    #[serde(default = "yes")]
    pub oauth_enabled: bool,
    #[serde(default)]
    pub client_credentials: bool,
    /// PEM certificate for JWT bearer; uploading one turns the flow on.
    #[serde(default)]
    pub jwt_certificate: Option<String>,
    #[serde(default = "yes")]
    pub require_secret_web_server: bool,
    #[serde(default = "yes")]
    pub require_secret_refresh: bool,
    #[serde(default = "yes")]
    pub require_pkce: bool,
    #[serde(default)]
    pub refresh_token_rotation: bool,
    #[serde(default)]
    pub introspect_all_tokens: bool,
    /// "Issue JSON Web Token (JWT)-based access tokens for named users" (isNamedUserJwtEnabled).
    #[serde(default)]
    pub named_user_jwt: bool,
    /// "Enable Token Exchange Flow" (isTokenExchangeEnabled).
    #[serde(default)]
    pub token_exchange: bool,
    /// "Enable Device Flow" (isDeviceFlowEnabled).
    #[serde(default)]
    pub device_flow: bool,
    #[serde(default)]
    pub policies: Policies,
    /// The member names of the app's settings and policies components, by metadata type. None
    /// for an app made in Setup, which has them all under Setup's names ([`SETUP_MEMBERS`]);
    /// an app a deploy created has those the deploys carried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<BTreeMap<String, String>>,
    /// The package version (04t) the app came in; None for an app made in this org. Its
    /// settings are the vendor's: a deploy may change only its policies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed_from: Option<String>,
}

/// The member-name suffixes Setup gives an app's satellite components: `<App>_glbloauth`,
/// `<App>_oauth`, `<App>_oauthPlcy`, `<App>_plcy` (field-facts "Global OAuth settings member
/// name" and "Metadata that deploys"; retrieved projects in public repos, e.g.
/// `extlClntAppGlobalOauthSets/Box_Automate_CLM_glbloauth.ecaGlblOauth-meta.xml` beside
/// `Box_Automate_CLM_oauth`, `_oauthPlcy`).
pub const SETUP_MEMBERS: &[(&str, &str)] = &[
    ("ExtlClntAppGlobalOauthSettings", "_glbloauth"),
    ("ExtlClntAppOauthSettings", "_oauth"),
    ("ExtlClntAppOauthConfigurablePolicies", "_oauthPlcy"),
    ("ExtlClntAppConfigurablePolicies", "_plcy"),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub consumer_key: String,
    pub consumer_secret: String,
    /// The staged credential's id (its prefix is UNCONFIRMED).
    #[serde(default)]
    pub id: String,
    /// The pair a rotation replaced (state `Rotated`: still valid for 30 days), not a new one
    /// waiting (`Active`).
    #[serde(default)]
    pub rotated: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policies {
    #[serde(default)]
    pub permitted_users: PermittedUsers,
    /// Permission sets whose holders are pre-authorized.
    #[serde(default)]
    pub permission_sets: Vec<String>,
    /// The policy side of client credentials (both switches must be on).
    #[serde(default)]
    pub client_credentials: bool,
    /// Run As username for client credentials.
    #[serde(default)]
    pub run_as: Option<String>,
    #[serde(default)]
    pub ip_relaxation: IpRelaxation,
    #[serde(default)]
    pub refresh_token_policy: RefreshTokenPolicy,
    /// Profiles (by Name) whose users are pre-authorized (commaSeparatedProfile).
    #[serde(default)]
    pub profiles: Vec<String>,
    /// Session Timeout in Minutes: how long the app's opaque access tokens live; the org's
    /// session timeout when None (reference §1.5).
    #[serde(default)]
    pub session_timeout_minutes: Option<u64>,
    /// The policy side of token exchange (isTokenExchangeFlowEnabled).
    #[serde(default)]
    pub token_exchange: bool,
}

impl Policies {
    /// Whether an admin-approved app lets `user` in: a Selected Permission Set or Selected
    /// Profile of the app is theirs.
    pub fn pre_authorizes(&self, user: &User) -> bool {
        user.permission_sets
            .iter()
            .any(|p| self.permission_sets.contains(p))
            || user
                .profile
                .as_ref()
                .is_some_and(|p| self.profiles.iter().any(|q| q.eq_ignore_ascii_case(p)))
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PermittedUsers {
    #[default]
    AllSelfAuthorized,
    AdminApprovedPreAuthorized,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum IpRelaxation {
    #[default]
    Enforce,
    #[serde(rename = "Enforce_RelaxRefresh")]
    EnforceRelaxRefresh,
    #[serde(rename = "Bypass_2factor")]
    Bypass2Factor,
    Bypass,
}

impl IpRelaxation {
    /// The `ipRelaxationPolicyType` value (what a deploy carries and SOQL reads).
    pub fn metadata(self) -> &'static str {
        match self {
            IpRelaxation::Enforce => "Enforce",
            IpRelaxation::EnforceRelaxRefresh => "Enforce_RelaxRefresh",
            IpRelaxation::Bypass2Factor => "Bypass_2factor",
            IpRelaxation::Bypass => "Bypass",
        }
    }

    /// The policy a metadata value names; Setup's default (Enforce) for anything else.
    pub fn from_metadata(value: &str) -> IpRelaxation {
        [
            IpRelaxation::EnforceRelaxRefresh,
            IpRelaxation::Bypass2Factor,
            IpRelaxation::Bypass,
        ]
        .into_iter()
        .find(|p| p.metadata() == value)
        .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
pub enum RefreshTokenPolicy {
    #[default]
    Infinite,
    Zero,
    SpecificLifetime {
        hours: u64,
    },
    /// Expires when not used for this long (`SpecificInactivity`).
    SpecificInactivity {
        hours: u64,
    },
}

fn yes() -> bool {
    true
}
fn default_password() -> String {
    DEMO_PASSWORD.to_string()
}
pub(super) fn default_api_version() -> String {
    "66.0".to_string()
}
pub(super) fn default_login_limit() -> u32 {
    3600
}
pub(super) fn default_integration_licenses() -> u32 {
    5
}
pub(super) fn default_session_minutes() -> u64 {
    120
}

impl Org {
    /// Parses an org file; ids are completed and checked.
    pub fn from_toml(text: &str) -> anyhow::Result<Org> {
        let mut org: Org = toml::from_str(text)?;
        org.complete()?;
        Ok(org)
    }

    /// Fills in missing user ids, widens 15-character ids to 18, and checks references.
    pub fn complete(&mut self) -> anyhow::Result<()> {
        self.org_id = ids::widen(&self.org_id, "00D").ok_or_else(|| {
            anyhow::anyhow!("org_id must be a 15 or 18 character id starting 00D")
        })?;
        for (n, user) in self.users.iter_mut().enumerate() {
            user.id = if user.id.is_empty() {
                ids::user_id(n as u64 + 1)
            } else {
                ids::widen(&user.id, "005").ok_or_else(|| {
                    anyhow::anyhow!(
                        "user {}: id must be 15 or 18 characters starting 005",
                        user.username
                    )
                })?
            };
        }
        for app in &self.apps {
            if let Some(run_as) = &app.policies.run_as
                && self.user(run_as).is_none()
            {
                anyhow::bail!(
                    "app {}: Run As user {run_as} is not in the org",
                    app.api_name
                );
            }
        }
        Ok(())
    }

    /// Whether `user` holds the system permission `api` (an API name such as `ViewSetup`):
    /// an admin holds them all but those the org file takes away; anyone else API Enabled and
    /// View Setup as set, and what their permission sets turn on.
    pub fn has_permission(&self, user: &User, api: &str) -> bool {
        if user.without_permissions.iter().any(|p| p == api) {
            return false;
        }
        let from_sets = user.permission_sets.iter().any(|name| {
            self.permission_sets
                .iter()
                .any(|s| &s.name == name && s.system_permissions.iter().any(|p| p == api))
        });
        user.admin
            || from_sets
            || match api {
                "ApiEnabled" => user.api_enabled,
                "ViewSetup" => user.view_setup,
                _ => false,
            }
    }

    pub fn user(&self, username: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.username.eq_ignore_ascii_case(username))
    }

    /// Whether the server exists and is active.
    pub fn mcp_server_active(&self, name: &str) -> bool {
        self.mcp_servers.iter().any(|s| s.name == name && s.active)
    }

    pub fn user_by_id(&self, id: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.id == id || u.id.get(..15) == Some(id))
    }
}

impl App {
    /// The member name the app's component of this metadata type has, if it has one.
    pub fn member(&self, kind: &str) -> Option<String> {
        match &self.members {
            Some(members) => members.get(kind).cloned(),
            None => SETUP_MEMBERS
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, suffix)| format!("{}{suffix}", self.api_name)),
        }
    }

    /// Records the component of this type under `name` (unchanged when it has that name).
    pub fn set_member(&mut self, kind: &str, name: &str) {
        if self.member(kind).as_deref() == Some(name) {
            return;
        }
        let mut members = self.members.take().unwrap_or_else(|| {
            SETUP_MEMBERS
                .iter()
                .map(|(k, suffix)| (k.to_string(), format!("{}{suffix}", self.api_name)))
                .collect()
        });
        members.insert(kind.to_string(), name.to_string());
        self.members = Some(members);
    }

    /// Whether this key and secret pair signs in to the app: the primary pair, or the pair a
    /// rotation replaced (`Rotated`, valid 30 more days). A staged pair waiting for its
    /// promotion (`Active`) is refused: no public source shows one accepted at the token
    /// endpoint, and the tools that rotate in production promote before using it
    /// (field-facts-2026.md; UNCONFIRMED either way, and the stricter reading is the one played).
    pub fn secret_matches(&self, key: &str, secret: &str) -> bool {
        let main =
            constant_eq(&self.consumer_key, key) && constant_eq(&self.consumer_secret, secret);
        let rotated = self.usable_staged().is_some_and(|s| {
            constant_eq(&s.consumer_key, key) && constant_eq(&s.consumer_secret, secret)
        });
        main || rotated
    }

    /// The staged slot's pair when it signs in (see `secret_matches`).
    fn usable_staged(&self) -> Option<&Credentials> {
        self.staged.as_ref().filter(|s| s.rotated)
    }

    pub fn has_key(&self, key: &str) -> bool {
        self.consumer_key == key || self.usable_staged().is_some_and(|s| s.consumer_key == key)
    }
}

pub use crate::secret::constant_eq;
