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
}

const BASIC: &str = "New External Client App > Basic Information";
const OAUTH: &str = "API (Enable OAuth Settings) > App Settings";
const FLOWS: &str = "API (Enable OAuth Settings) > Flow Enablement";
const SECURITY: &str = "API (Enable OAuth Settings) > Security";
const OAUTH_POLICIES: &str = "Policies tab > OAuth Policies";
const APP_POLICIES: &str = "Policies tab > App Policies";
const USER: &str = "Users > New User";
const INLINE_FRAMES: &str = "Session Settings > Trusted Domains for Inline Frames";

pub const PERMITTED_SELF: &str = "All users can self-authorize";
pub const PERMITTED_ADMIN: &str = "Admin approved users are pre-authorized";

/// IP Relaxation option labels as Setup words them: Salesforce Help "Connected App IP Relaxation
/// and Continuous IP Enforcement" (connected_app_continuous_ip, current version; its API 198
/// edition called the third "Relax IP restrictions with second factor"). That the ECA Policies
/// tab shows these same labels is UNCONFIRMED (docs/unconfirmed.md); "Relax IP restrictions" is
/// the label users quote for ECAs (field-facts-2026.md: claude-ai-mcp#171, #626).
pub const IP_RELAXATION: &[&str] = &[
    "Enforce IP restrictions",
    "Enforce IP restrictions, but relax for refresh tokens",
    "Relax IP restrictions for activated devices",
    "Relax IP restrictions",
];

/// Each IP Relaxation label with its `ecaOauthPlcy.ipRelaxationPolicyType` value, which is
/// also what SOQL reads from `ExtlClntAppOauthPlcyCnfg.IpRelaxationPolicyType` (Metadata API
/// ExtlClntAppOauthConfigurablePolicies; reference/eca-setup-and-metadata.md §IP Relaxation).
pub const IP_RELAXATION_VALUES: &[(&str, &str)] = &[
    (IP_RELAXATION[0], "Enforce"),
    (IP_RELAXATION[1], "Enforce_RelaxRefresh"),
    (IP_RELAXATION[2], "Bypass_2factor"),
    (IP_RELAXATION[3], "Bypass"),
];

/// Each Permitted Users label with its `ecaOauthPlcy.permittedUsersPolicyType` value (Metadata
/// API ExtlClntAppOauthConfigurablePolicies).
pub const PERMITTED_USERS_VALUES: &[(&str, &str)] = &[
    (PERMITTED_SELF, "AllSelfAuthorized"),
    (PERMITTED_ADMIN, "AdminApprovedPreAuthorized"),
];

fn option_values(key: SettingKey) -> &'static [(&'static str, &'static str)] {
    match key {
        SettingKey::IpRelaxation => IP_RELAXATION_VALUES,
        SettingKey::PermittedUsers => PERMITTED_USERS_VALUES,
        SettingKey::RefreshTokenPolicy => REFRESH_POLICY_VALUES,
        _ => &[],
    }
}

/// Setup's label for the metadata (or SOQL) value of a choice setting: `Bypass` is
/// "Relax IP restrictions". None for a value the table doesn't know.
pub fn option_label(key: SettingKey, value: &str) -> Option<&'static str> {
    option_values(key)
        .iter()
        .find(|(_, v)| v.eq_ignore_ascii_case(value))
        .map(|(label, _)| *label)
}

/// The metadata value of Setup's option `label` of a choice setting.
pub fn option_value(key: SettingKey, label: &str) -> Option<&'static str> {
    option_values(key)
        .iter()
        .find(|(l, _)| l.eq_ignore_ascii_case(label))
        .map(|(_, value)| *value)
}

/// Refresh token policy labels; only the "specific time" wording is confirmed for ECAs.
pub const REFRESH_POLICY: &[&str] = &[
    "Refresh token is valid until revoked",
    "Immediately expire refresh token",
    "Expire refresh token if not used for n",
    "Expire refresh token after a specific time",
];

/// Each Refresh Token Policy label with its `ecaOauthPlcy.refreshTokenPolicyType` value
/// (Metadata API ExtlClntAppOauthConfigurablePolicies: `Infinite`, `Zero`,
/// `SpecificInactivity`, `SpecificLifetime`; reference/eca-setup-and-metadata.md §1.5).
pub const REFRESH_POLICY_VALUES: &[(&str, &str)] = &[
    (REFRESH_POLICY[0], "Infinite"),
    (REFRESH_POLICY[1], "Zero"),
    (REFRESH_POLICY[2], "SpecificInactivity"),
    (REFRESH_POLICY[3], "SpecificLifetime"),
];

/// The policies that take a period (`refresh-token-validity`).
pub const REFRESH_POLICY_WITH_PERIOD: &[&str] = &[REFRESH_POLICY[2], REFRESH_POLICY[3]];

/// `refreshTokenValidityUnit`'s values (`Hours`, `Days`, `Months`; Metadata API
/// ExtlClntAppOauthConfigurablePolicies), as a recipe spells them.
pub const PERIOD_UNITS: &[&str] = &["hours", "days", "months"];

/// Session Timeout in Minutes (`ecaOauthPlcy.sessionTimeoutInMinutes`, an integer). The
/// metadata reference gives no allowed values; these are the Connected App "Timeout Value"
/// choices (15 minutes to 24 hours), taken as the ECA's too: UNCONFIRMED (docs/unconfirmed.md).
pub const SESSION_TIMEOUT_MINUTES: &[u32] = &[15, 30, 60, 120, 240, 480, 720, 1440];

/// A `"N unit"` period as (N, the metadata unit `Hours`/`Days`/`Months`); None when malformed.
pub fn parse_period(text: &str) -> Option<(u32, &'static str)> {
    let (count, unit) = text.trim().split_once(' ')?;
    let count: u32 = count.parse().ok().filter(|n| *n > 0)?;
    let unit = unit.trim().to_ascii_lowercase();
    let unit = unit.strip_suffix('s').unwrap_or(&unit);
    let metadata = match unit {
        "hour" => "Hours",
        "day" => "Days",
        "month" => "Months",
        _ => return None,
    };
    Some((count, metadata))
}

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
];

/// The catalogue entry for a key. Every key has one (checked by a test).
pub fn lookup(key: SettingKey) -> Option<&'static SettingInfo> {
    SETTINGS.iter().find(|s| s.key == key)
}
