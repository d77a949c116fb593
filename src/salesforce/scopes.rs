//! OAuth scopes: the label an admin sees in "Selected OAuth Scopes", the value a client sends in
//! `scope`, the token metadata uses in `commaSeparatedOauthScopes`, and which flows get it.
//! Facts: reference/eca-setup-and-metadata.md §2. Match on the value, never on the label:
//! Salesforce has renamed labels over time.

use crate::salesforce::Flow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    /// The OAuth `scope` value, e.g. `refresh_token`.
    pub value: &'static str,
    /// The Setup label of the entry that grants it.
    pub label: &'static str,
    /// The metadata token (`Api`, `RefreshToken`, ...).
    pub token: &'static str,
    /// Flows whose tokens carry this scope. Client credentials and JWT bearer issue no refresh
    /// token; third parties report `web`/`full` dropped from client-credentials tokens too.
    pub flows: &'static [Flow],
}

const ALL: &[Flow] = &Flow::ALL;
const CODE_ONLY: &[Flow] = &[Flow::AuthCode];
const USER_FLOWS: &[Flow] = &[Flow::AuthCode, Flow::JwtBearer];

const IDENTITY: &str = "Access the identity URL service (id, profile, email, address, phone)";
const REFRESH: &str = "Perform requests at any time (refresh_token, offline_access)";

macro_rules! scope {
    ($value:literal, $label:expr, $token:literal, $flows:expr) => {
        Scope {
            value: $value,
            label: $label,
            token: $token,
            flows: $flows,
        }
    };
}

pub const SCOPES: &[Scope] = &[
    scope!("api", "Manage user data via APIs (api)", "Api", ALL),
    scope!(
        "web",
        "Manage user data via Web browsers (web)",
        "Web",
        USER_FLOWS
    ),
    scope!("full", "Full access (full)", "Full", USER_FLOWS),
    scope!("refresh_token", REFRESH, "RefreshToken", CODE_ONLY),
    scope!("offline_access", REFRESH, "RefreshToken", CODE_ONLY),
    scope!("id", IDENTITY, "Basic", ALL),
    scope!("profile", IDENTITY, "Basic", ALL),
    scope!("email", IDENTITY, "Basic", ALL),
    scope!("address", IDENTITY, "Basic", ALL),
    scope!("phone", IDENTITY, "Basic", ALL),
    scope!(
        "openid",
        "Access unique user identifiers (openid)",
        "OpenID",
        ALL
    ),
    scope!(
        "custom_permissions",
        "Access custom permissions (custom_permissions)",
        "CustomPermissions",
        ALL
    ),
    scope!(
        "chatter_api",
        "Access Connect REST API resources (chatter_api)",
        "Chatter",
        ALL
    ),
    scope!(
        "content",
        "Access content resources (content)",
        "Content",
        ALL
    ),
    scope!(
        "lightning",
        "Access Lightning applications (lightning)",
        "Lightning",
        ALL
    ),
    scope!(
        "visualforce",
        "Access Visualforce applications (visualforce)",
        "CustomApplications",
        ALL
    ),
    scope!(
        "wave_api",
        "Access Analytics REST API resources (wave_api)",
        "Wave",
        ALL
    ),
    scope!(
        "eclair_api",
        "Access Analytics REST API Charts Geodata resources (eclair_api)",
        "Eclair",
        ALL
    ),
    scope!(
        "pardot_api",
        "Manage Pardot services (pardot_api)",
        "Pardot",
        ALL
    ),
    scope!(
        "cdp_ingest_api",
        "Manage Data Cloud Ingestion API data (cdp_ingest_api)",
        "CDPIngest",
        ALL
    ),
    scope!(
        "cdp_profile_api",
        "Manage Data Cloud profile data (cdp_profile_api)",
        "CDPProfile",
        ALL
    ),
    scope!(
        "cdp_query_api",
        "Perform ANSI SQL queries on Data Cloud data (cdp_query_api)",
        "CDPQuery",
        ALL
    ),
    scope!(
        "cdp_segment_api",
        "Perform segmentation on Data Cloud data (cdp_segment_api)",
        "CDPSegment",
        ALL
    ),
    scope!(
        "cdp_identityresolution_api",
        "Manage Data Cloud Identity Resolution (cdp_identityresolution_api)",
        "CDPIdentityResolution",
        ALL
    ),
    scope!(
        "cdp_calculated_insight_api",
        "Manage Data Cloud Calculated Insight data (cdp_calculated_insight_api)",
        "CDPCalculatedInsight",
        ALL
    ),
    // The token `CDP` is UNCONFIRMED (seen only in a deploy error's list of valid tokens).
    scope!(
        "cdp_api",
        "Access all Data Cloud API resources (cdp_api)",
        "CDP",
        ALL
    ),
    scope!(
        "chatbot_api",
        "Access chatbot services (chatbot_api)",
        "Chatbot",
        ALL
    ),
    scope!(
        "sfap_api",
        "Access the Salesforce API Platform (sfap_api)",
        "SFApiPlatform",
        ALL
    ),
    scope!(
        "interaction_api",
        "Access Interaction API resources (interaction_api)",
        "Interaction",
        ALL
    ),
    scope!(
        "einstein_gpt_api",
        "Access Einstein GPT services (einstein_gpt_api)",
        "EinsteinGPT",
        ALL
    ),
    scope!(
        "user_registration_api",
        "Access Headless Registration API (user_registration_api)",
        "UserRegistration",
        ALL
    ),
    scope!(
        "forgot_password",
        "Access Headless Forgot Password API (forgot_password)",
        "ForgotPassword",
        ALL
    ),
    scope!(
        "mcp_api",
        // The label Setup shows now (field-facts-2026.md "Hosted MCP, newer wording").
        "Access MCP servers (mcp_api)",
        "MCP",
        ALL
    ),
];

/// The table row for an OAuth scope value.
/// Metadata scope tokens and the `ExtlClntAppOauthSettings` boolean column SOQL reads each
/// from (reference/deploy-and-mcp-apis.md §E, from sp-rust scope.rs). Scopes of other tokens
/// can't be checked by a query here.
pub const SCOPE_COLUMNS: &[(&str, &str)] = &[
    ("Api", "OauthScopesAPI"),
    ("RefreshToken", "OauthScopesREFRESH_TOKEN"),
    ("MCP", "OauthScopesMCP_API"),
    ("Basic", "OauthScopesSSO"),
    ("Web", "OauthScopesWEB"),
    ("Full", "OauthScopesFULL"),
    ("OpenID", "OauthScopesOPENID"),
    ("SFApiPlatform", "OauthScopesSFAP_API"),
    ("EinsteinGPT", "OauthScopesEINSTEIN_GPT_API"),
];

pub fn find(value: &str) -> Option<&'static Scope> {
    SCOPES.iter().find(|s| s.value == value)
}

/// Whether a token obtained with `flow` carries `value`.
pub fn granted_in(value: &str, flow: Flow) -> bool {
    find(value).is_some_and(|s| s.flows.contains(&flow))
}

/// The distinct Setup labels to select for a list of scope values, in first-seen order.
pub fn labels_for<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let mut labels: Vec<&'static str> = Vec::new();
    for scope in values.into_iter().filter_map(find) {
        if !labels.contains(&scope.label) {
            labels.push(scope.label);
        }
    }
    labels
}

/// The metadata tokens for `commaSeparatedOauthScopes`, deduplicated, in first-seen order.
pub fn tokens_for<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let mut tokens: Vec<&'static str> = Vec::new();
    for scope in values.into_iter().filter_map(find) {
        if !tokens.contains(&scope.token) {
            tokens.push(scope.token);
        }
    }
    tokens
}
