//! Every control the checklist asks an admin to set, under its exact Setup label, with where it
//! lives and how metadata spells it. Recipes name settings by key; labels live only here, so a
//! renamed label is a one-line change. Facts: reference/eca-setup-and-metadata.md §1 and §7.

use serde::{Deserialize, Serialize};

/// What kind of control a setting is, which decides the values a recipe may give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Checkbox,
    /// One of a fixed set of options (the exact option labels).
    Choice(&'static [&'static str]),
    /// Free text (a name, a URL, a username).
    Text,
    /// Several values (scopes, callback URLs, permission sets).
    List,
    /// A whole number from a fixed set (minutes), written as a TOML integer.
    Minutes(&'static [u32]),
    /// `N UNIT` as text, e.g. `"90 days"`: a count and one of these units.
    Period(&'static [&'static str]),
    /// A list whose items are Setup's labels of system permissions
    /// (`crate::salesforce::permissions::SYSTEM_PERMISSIONS`).
    SystemPermissions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingInfo {
    pub key: SettingKey,
    /// The label as Setup shows it.
    pub label: &'static str,
    /// The section or page that holds it, as Setup names it.
    pub section: &'static str,
    pub control: Control,
    /// `file-suffix.field` in the DX source the metadata command writes, when there is one.
    pub metadata: Option<&'static str>,
    /// Setup's default for a new app or user, when known.
    pub default: Option<&'static str>,
    /// True when the label or its options are not confirmed for ECAs (reference §8).
    pub unconfirmed: bool,
}

macro_rules! settings {
    ($($variant:ident = $id:literal),* $(,)?) => {
        /// A control in Setup that a recipe step tells the admin to set.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum SettingKey {
            $(#[serde(rename = $id)] $variant,)*
        }

        impl SettingKey {
            pub const ALL: &'static [SettingKey] = &[$(SettingKey::$variant,)*];

            pub fn id(self) -> &'static str {
                match self { $(SettingKey::$variant => $id,)* }
            }
        }
    };
}

settings! {
    UserLicense = "user-license",
    UserProfile = "user-profile",
    PermissionSetLicense = "permission-set-license",
    ApiEnabled = "api-enabled",
    KnowledgeUser = "knowledge-user",
    AppName = "app-name",
    ApiName = "api-name",
    ContactEmail = "contact-email",
    DistributionState = "distribution-state",
    LogoUrl = "logo-url",
    IconUrl = "icon-url",
    EnableOauth = "enable-oauth",
    CallbackUrl = "callback-url",
    OauthScopes = "oauth-scopes",
    IntrospectAllTokens = "introspect-all-tokens",
    OrgCodeCredentials = "org-code-credentials",
    EnableClientCredentials = "enable-client-credentials",
    EnableCodeCredentials = "enable-code-credentials",
    CodeCredentialsPostOnly = "code-credentials-post-only",
    EnableJwtBearer = "enable-jwt-bearer",
    RequireSecretWebServer = "require-secret-web-server",
    RequireSecretRefresh = "require-secret-refresh",
    RequirePkce = "require-pkce",
    RefreshTokenRotation = "refresh-token-rotation",
    NamedUserJwt = "named-user-jwt",
    AccessTokenParameter = "access-token-parameter",
    PolicyClientCredentials = "policy-client-credentials",
    RunAsUser = "run-as-user",
    PermittedUsers = "permitted-users",
    SelectedPermissionSets = "selected-permission-sets",
    IpRelaxation = "ip-relaxation",
    RefreshTokenPolicy = "refresh-token-policy",
    TrustedDomain = "trusted-domain",
    IframeType = "iframe-type",
    CorsOrigin = "cors-origin",
    TrustedUrl = "trusted-url",
    EnableTokenExchange = "enable-token-exchange",
    RequireSecretTokenExchange = "require-secret-token-exchange",
    EnableDeviceFlow = "enable-device-flow",
    RefreshTokenValidity = "refresh-token-validity",
    SessionTimeout = "session-timeout",
    SystemPermissions = "system-permissions",
    SelectedProfiles = "selected-profiles",
    CertificateLabel = "certificate-label",
    CertificateExport = "certificate-export",
}

const BASIC: &str = "New External Client App > Basic Information";
const OAUTH: &str = "API (Enable OAuth Settings) > App Settings";
const FLOWS: &str = "API (Enable OAuth Settings) > Flow Enablement";
const SECURITY: &str = "API (Enable OAuth Settings) > Security";
const OAUTH_POLICIES: &str = "Policies tab > OAuth Policies";
const APP_POLICIES: &str = "Policies tab > App Policies";
const USER: &str = "Users > New User";
/// Salesforce Help, "Generate a Self-Signed Certificate" (security_keys_creating.htm).
const SELF_SIGNED: &str = "Certificate and Key Management > Create Self-Signed Certificate";
const INLINE_FRAMES: &str = "Session Settings > Trusted Domains for Inline Frames";

pub use crate::salesforce::setting_options::*;

const fn info(
    key: SettingKey,
    label: &'static str,
    section: &'static str,
    control: Control,
    metadata: Option<&'static str>,
    default: Option<&'static str>,
) -> SettingInfo {
    SettingInfo {
        key,
        label,
        section,
        control,
        metadata,
        default,
        unconfirmed: false,
    }
}

const fn unconfirmed(mut setting: SettingInfo) -> SettingInfo {
    setting.unconfirmed = true;
    setting
}

use Control::{Checkbox, Choice, List, Minutes, Period, SystemPermissions, Text};
use SettingKey as K;

pub const SETTINGS: &[SettingInfo] = &[
    info(K::UserLicense, "User License", USER, Text, None, None),
    info(K::UserProfile, "Profile", USER, Text, None, None),
    info(
        K::PermissionSetLicense,
        "Permission Set License Assignments",
        "Users > the user > Permission Set License Assignments",
        Text,
        None,
        None,
    ),
    info(
        K::ApiEnabled,
        "API Enabled",
        "Permission Sets > System Permissions",
        Checkbox,
        Some("permissionset.userPermissions ApiEnabled"),
        Some("false"),
    ),
    info(
        K::KnowledgeUser,
        "Knowledge User",
        USER,
        Checkbox,
        None,
        Some("false"),
    ),
    info(
        K::AppName,
        "External Client App Name",
        BASIC,
        Text,
        Some("eca.label"),
        None,
    ),
    info(
        K::ApiName,
        "API Name",
        BASIC,
        Text,
        Some("eca.fullName"),
        None,
    ),
    info(
        K::ContactEmail,
        "Contact Email",
        BASIC,
        Text,
        Some("eca.contactEmail"),
        None,
    ),
    info(
        K::DistributionState,
        "Distribution State",
        BASIC,
        Choice(&["Local", "Packaged"]),
        Some("eca.distributionState"),
        Some("Local"),
    ),
    unconfirmed(info(
        K::LogoUrl,
        "Logo Image URL",
        BASIC,
        Text,
        Some("eca.logoUrl"),
        None,
    )),
    unconfirmed(info(
        K::IconUrl,
        "Icon URL",
        BASIC,
        Text,
        Some("eca.iconUrl"),
        None,
    )),
    info(
        K::EnableOauth,
        "Enable OAuth",
        "API (Enable OAuth Settings)",
        Checkbox,
        Some("ecaPlcy.isOauthPluginEnabled"),
        Some("false"),
    ),
    info(
        K::CallbackUrl,
        "Callback URL",
        OAUTH,
        List,
        Some("ecaGlblOauth.callbackUrl"),
        None,
    ),
    info(
        K::OauthScopes,
        "Selected OAuth Scopes",
        OAUTH,
        List,
        Some("ecaOauth.commaSeparatedOauthScopes"),
        None,
    ),
    unconfirmed(info(
        K::IntrospectAllTokens,
        "Introspect All Tokens",
        SECURITY,
        Checkbox,
        Some("ecaGlblOauth.isIntrospectAllTokens"),
        Some("false"),
    )),
    info(
        K::OrgCodeCredentials,
        "Allow Authorization Code and Credentials Flows",
        "OAuth and OpenID Connect Settings",
        Checkbox,
        None,
        Some("false"),
    ),
    info(
        K::EnableClientCredentials,
        "Enable Client Credentials Flow",
        FLOWS,
        Checkbox,
        Some("ecaGlblOauth.isClientCredentialsFlowEnabled"),
        Some("false"),
    ),
    info(
        K::EnableCodeCredentials,
        "Enable Authorization Code and Credentials Flow",
        FLOWS,
        Checkbox,
        Some("ecaGlblOauth.isCodeCredFlowEnabled"),
        Some("false"),
    ),
    info(
        K::CodeCredentialsPostOnly,
        "Require user credentials in the POST body for Authorization Code and Credentials Flow",
        FLOWS,
        Checkbox,
        Some("ecaGlblOauth.isCodeCredPostOnly"),
        Some("false"),
    ),
    info(
        K::EnableJwtBearer,
        "Enable JWT Bearer Flow",
        FLOWS,
        Checkbox,
        Some("ecaGlblOauth.certificate"),
        Some("false"),
    ),
    info(
        K::RequireSecretWebServer,
        "Require secret for Web Server Flow",
        SECURITY,
        Checkbox,
        Some("ecaGlblOauth.isConsumerSecretOptional (inverted)"),
        Some("true"),
    ),
    info(
        K::RequireSecretRefresh,
        "Require secret for Refresh Token Flow",
        SECURITY,
        Checkbox,
        Some("ecaGlblOauth.isSecretRequiredForRefreshToken"),
        Some("true"),
    ),
    info(
        K::RequirePkce,
        "Require Proof Key for Code Exchange (PKCE) extension for Supported Authorization Flows",
        SECURITY,
        Checkbox,
        Some("ecaGlblOauth.isPkceRequired"),
        Some("true"),
    ),
    unconfirmed(info(
        K::RefreshTokenRotation,
        "Enable Refresh Token Rotation",
        SECURITY,
        Checkbox,
        Some("ecaGlblOauth.isRefreshTokenRotationEnabled"),
        Some("false"),
    )),
    info(
        K::NamedUserJwt,
        "Issue JSON Web Token (JWT)-based access tokens for named users",
        SECURITY,
        Checkbox,
        Some("ecaGlblOauth.isNamedUserJwtEnabled"),
        Some("false"),
    ),
    // The hosted MCP guide's Security section says to deselect it (field-facts-2026.md "Hosted
    // MCP, newer wording"). No ExtlClntAppGlobalOauthSettings field for it is known
    // (@salesforce/types 1.7.1 lists none): UNCONFIRMED, so nothing deploys it.
    info(
        K::AccessTokenParameter,
        "Issue access tokens in access_token parameter",
        SECURITY,
        Checkbox,
        None,
        None,
    ),
    info(
        K::PolicyClientCredentials,
        "Enable Client Credentials Flow",
        OAUTH_POLICIES,
        Checkbox,
        Some("ecaOauthPlcy.isClientCredentialsFlowEnabled"),
        Some("false"),
    ),
    info(
        K::RunAsUser,
        "Run As (Username)",
        OAUTH_POLICIES,
        Text,
        Some("ecaOauthPlcy.clientCredentialsFlowUser"),
        None,
    ),
    info(
        K::PermittedUsers,
        "Permitted Users",
        OAUTH_POLICIES,
        Choice(&[PERMITTED_SELF, PERMITTED_ADMIN]),
        Some("ecaOauthPlcy.permittedUsersPolicyType"),
        Some(PERMITTED_SELF),
    ),
    info(
        K::SelectedPermissionSets,
        "Selected Permission Sets",
        APP_POLICIES,
        List,
        Some("ecaOauthPlcy.commaSeparatedPermissionSet"),
        None,
    ),
    unconfirmed(info(
        K::IpRelaxation,
        "IP Relaxation",
        OAUTH_POLICIES,
        Choice(IP_RELAXATION),
        Some("ecaOauthPlcy.ipRelaxationPolicyType"),
        Some("Enforce IP restrictions"),
    )),
    unconfirmed(info(
        K::RefreshTokenPolicy,
        "Refresh Token Policy",
        "Policies tab > App Authorization",
        Choice(REFRESH_POLICY),
        Some("ecaOauthPlcy.refreshTokenPolicyType"),
        None,
    )),
    // Lightning Out 2.0's three pages (Salesforce Help "Set Up Authentication for Lightning Out
    // 2.0"; field-facts-2026.md). The page names are sourced; the form labels are UNCONFIRMED
    // (docs/unconfirmed.md), and none of them is in apply's deploy.
    unconfirmed(info(
        K::TrustedDomain,
        "Domain",
        INLINE_FRAMES,
        Text,
        None,
        None,
    )),
    unconfirmed(info(
        K::IframeType,
        "IFrame Type",
        INLINE_FRAMES,
        Text,
        None,
        None,
    )),
    unconfirmed(info(
        K::CorsOrigin,
        "Origin URL Pattern",
        "CORS > Allowed Origins List",
        Text,
        None,
        None,
    )),
    unconfirmed(info(K::TrustedUrl, "URL", "Trusted URLs", Text, None, None)),
    // Flow Enablement (reference/eca-setup-and-metadata.md §1.4, Metadata API
    // ExtlClntAppGlobalOauthSettings and ExtlClntAppOauthConfigurablePolicies, API 60.0+): the
    // Settings-tab flag and the policy flag are written together.
    info(
        K::EnableTokenExchange,
        "Enable Token Exchange Flow",
        FLOWS,
        Checkbox,
        Some("ecaGlblOauth.isTokenExchangeEnabled + ecaOauthPlcy.isTokenExchangeFlowEnabled"),
        Some("false"),
    ),
    // The field is documented (isSecretRequiredForTokenExchange, API 60.0+); the label is a
    // third party's: UNCONFIRMED (docs/unconfirmed.md).
    unconfirmed(info(
        K::RequireSecretTokenExchange,
        "Require secret for Token Exchange Flow",
        FLOWS,
        Checkbox,
        Some("ecaGlblOauth.isSecretRequiredForTokenExchange"),
        None,
    )),
    // isDeviceFlowEnabled (API 60.0+; Salesforce Help "Configure the Device Flow for External
    // Client Apps"). Connected Apps label it "Enable for Device Flow"; the ECA wording is
    // UNCONFIRMED (reference §8).
    unconfirmed(info(
        K::EnableDeviceFlow,
        "Enable Device Flow",
        FLOWS,
        Checkbox,
        Some("ecaGlblOauth.isDeviceFlowEnabled"),
        Some("false"),
    )),
    // The Salesforce CLI guide's "Refresh Token Validity Period" and "Refresh Token Validity
    // Unit" (reference §1.5 [off S9]); Metadata API refreshTokenValidityPeriod/Unit.
    info(
        K::RefreshTokenValidity,
        "Refresh Token Validity Period",
        "Policies tab > App Authorization",
        Period(PERIOD_UNITS),
        Some("ecaOauthPlcy.refreshTokenValidityPeriod + refreshTokenValidityUnit"),
        None,
    ),
    // reference §1.5: "Session Timeout in Minutes" -> sessionTimeoutInMinutes, opaque tokens only.
    info(
        K::SessionTimeout,
        "Session Timeout in Minutes",
        "Policies tab > App Authorization",
        Minutes(SESSION_TIMEOUT_MINUTES),
        Some("ecaOauthPlcy.sessionTimeoutInMinutes"),
        None,
    ),
    // No "Expires On" setting: no ExtlClntApp* metadata field or ECA Setup page found has one
    // (reference §4 lists every field of the four types); docs/unconfirmed.md.
    // The integration user's permission set: Setup's System Permissions page, metadata
    // PermissionSet.userPermissions (name = the permission's API name).
    info(
        K::SystemPermissions,
        "System Permissions",
        "Permission Sets > System Permissions",
        SystemPermissions,
        Some("permissionset.userPermissions"),
        None,
    ),
    // App Policies > Selected Profiles (reference §1.5 [off S9, S14]): used with
    // "Admin approved users are pre-authorized"; metadata commaSeparatedProfile (profile Names).
    info(
        K::SelectedProfiles,
        "Selected Profiles",
        APP_POLICIES,
        List,
        Some("ecaOauthPlcy.commaSeparatedProfile"),
        None,
    ),
    info(K::CertificateLabel, "Label", SELF_SIGNED, Text, None, None),
    info(
        K::CertificateExport,
        "How the certificate leaves Setup",
        "Certificate and Key Management > the certificate",
        Choice(CERTIFICATE_EXPORTS),
        None,
        None,
    ),
];

/// The catalogue entry for a key. Every key has one (checked by a test).
pub fn lookup(key: SettingKey) -> Option<&'static SettingInfo> {
    SETTINGS.iter().find(|s| s.key == key)
}
