//! The built-in demo org the emulator plays when no org file is given: its users, its one
//! app and the public values `eca-wizard emulator` prints (never a real org's).

use std::collections::BTreeMap;

use crate::emulator::ids;
use crate::emulator::org::{
    App, IpRelaxation, McpMetadata, McpServer, ObjectAccess, Org, OrgType, PermissionSetDef,
    PermittedUsers, Policies, RefreshTokenPolicy, User, default_api_version,
    default_integration_licenses, default_login_limit, default_session_minutes,
};
use crate::salesforce::callback::wizard_callback_urls;

/// Public demo values: printed by `eca-wizard emulator`, never a real org's.
pub const DEMO_CONSUMER_KEY: &str =
    "3MVG9EcaWizardDemo.App0Key4Emulator.Only_NotASalesforceKey.xYz0123456789AbCdEfGhIjKlMnOpQr";
pub const DEMO_CONSUMER_SECRET: &str =
    "E4C5A0D3M0S3CR3T0F0R0TH30EMUL4T0R0NLY000000000000000000000000000001";
pub const DEMO_PASSWORD: &str = "demo";
/// The API-only integration user (Salesforce Integration license) of client credentials and
/// JWT bearer, as the guides recommend: it can't sign in in a browser.
pub const DEMO_INTEGRATION_USER: &str = "integration@eca-wizard.demo";
/// The integration user of authorization-code recipes: a full license that can sign in in a
/// browser, with API Enabled and read access, and no View Setup.
pub const DEMO_BROWSER_USER: &str = "connector@eca-wizard.demo";
pub const DEMO_ADMIN_USER: &str = "admin@eca-wizard.demo";
pub const DEMO_APP: &str = "ECA_Wizard_Demo";
pub const DEMO_JWT_CERTIFICATE: &str = include_str!("../../assets/emulator/demo-jwt-cert.pem");
/// The private key matching the demo certificate, for JWT bearer tests and demos.
pub const DEMO_JWT_KEY: &str = include_str!("../../assets/emulator/demo-jwt-key.pem");

/// Every object any built-in recipe names, readable by the demo integration user.
const DEMO_OBJECTS: &[&str] = &[
    "Account",
    "Contact",
    "Lead",
    "Opportunity",
    "Case",
    "CaseComment",
    "FeedItem",
    "CaseHistory",
    "CaseTeamMember",
    "EmailMessage",
    "Attachment",
    "ContentDocument",
    "ContentVersion",
    "User",
    "Knowledge__kav",
];

impl Org {
    /// The built-in demo org: an integration user with API access and read access to the
    /// recipes' objects, an admin, and one app with code + PKCE, client credentials and refresh.
    pub fn demo() -> Org {
        let read_all: BTreeMap<String, ObjectAccess> = DEMO_OBJECTS
            .iter()
            .map(|o| (o.to_string(), ObjectAccess::READ))
            .collect();
        let integration = User {
            id: ids::user_id(1),
            username: DEMO_INTEGRATION_USER.into(),
            password: DEMO_PASSWORD.into(),
            email: "integration@eca-wizard.demo".into(),
            first_name: "Integration".into(),
            last_name: "User".into(),
            active: true,
            api_enabled: true,
            knowledge_user: true,
            integration_user: true,
            objects: read_all.clone(),
            permission_sets: vec!["ECA_Wizard_Integration".into()],
            integration_psl: true,
            admin: false,
            view_setup: false,
            profile: Some("Minimum Access - API Only Integrations".into()),
            without_permissions: Vec::new(),
        };
        let admin = User {
            id: ids::user_id(2),
            username: DEMO_ADMIN_USER.into(),
            first_name: "Demo".into(),
            last_name: "Admin".into(),
            email: "admin@eca-wizard.demo".into(),
            integration_user: false,
            knowledge_user: false,
            permission_sets: Vec::new(),
            integration_psl: false,
            admin: true,
            view_setup: true,
            profile: Some("System Administrator".into()),
            ..integration.clone()
        };
        let browser = User {
            id: ids::user_id(3),
            username: DEMO_BROWSER_USER.into(),
            email: "connector@eca-wizard.demo".into(),
            first_name: "Connector".into(),
            integration_user: false,
            integration_psl: false,
            profile: Some("Standard User".into()),
            ..integration.clone()
        };
        Org {
            org_id: ids::org_id(1),
            my_domain: "eca-wizard-demo".into(),
            latest_api_version: default_api_version(),
            logins_per_hour: default_login_limit(),
            session_timeout_minutes: default_session_minutes(),
            propagation_delay_secs: 0,
            auto_approve_user: Some(DEMO_BROWSER_USER.into()),
            users: vec![integration, admin, browser],
            apps: vec![App::demo()],
            mcp_servers: McpServer::standard(),
            mcp_metadata: McpMetadata::default(),
            client_secret_in_rest_api: false,
            pkce_required_org_wide: false,
            org_type: OrgType::default(),
            integration_licenses: default_integration_licenses(),
            permission_sets: vec![PermissionSetDef {
                name: "ECA_Wizard_Integration".into(),
                api_enabled: true,
                objects: DEMO_OBJECTS.iter().map(|o| o.to_string()).collect(),
                system_permissions: Vec::new(),
            }],
            custom_scopes: Vec::new(),
            packages: crate::emulator::packages::known(),
        }
    }
}

impl App {
    /// The demo app: authorization code with PKCE, client credentials (Run As the integration
    /// user), refresh, JWT bearer with the demo certificate, on the wizard's callback URLs.
    pub fn demo() -> App {
        App {
            api_name: DEMO_APP.into(),
            label: "ECA Wizard Demo".into(),
            consumer_key: DEMO_CONSUMER_KEY.into(),
            consumer_secret: DEMO_CONSUMER_SECRET.into(),
            staged: None,
            callback_urls: wizard_callback_urls(),
            scopes: [
                "api",
                "refresh_token",
                "offline_access",
                "openid",
                "id",
                "profile",
                "email",
            ]
            .map(String::from)
            .to_vec(),
            oauth_enabled: true,
            client_credentials: true,
            jwt_certificate: Some(DEMO_JWT_CERTIFICATE.into()),
            require_secret_web_server: true,
            require_secret_refresh: true,
            require_pkce: true,
            refresh_token_rotation: false,
            introspect_all_tokens: false,
            named_user_jwt: false,
            token_exchange: false,
            device_flow: false,
            policies: Policies {
                permitted_users: PermittedUsers::AllSelfAuthorized,
                permission_sets: vec!["ECA_Wizard_Integration".into()],
                client_credentials: true,
                run_as: Some(DEMO_INTEGRATION_USER.into()),
                ip_relaxation: IpRelaxation::Enforce,
                refresh_token_policy: RefreshTokenPolicy::Infinite,
                ..Policies::default()
            },
            members: None,
            installed_from: None,
        }
    }
}
