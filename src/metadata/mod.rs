//! A deployable Salesforce DX source project for the same External Client App a recipe sets up:
//! the app, its OAuth settings, its global OAuth settings (never the key or secret), its OAuth and
//! app policies written explicitly, and a least-privilege permission set for the integration
//! user. Facts: reference/eca-setup-and-metadata.md §4 and §5. Pure: files are returned as data.

mod check;
mod choices;
mod extras;
mod installed;
mod readme;
pub mod summary;
mod write;
mod xml;

pub use check::{Problem, check};
pub use choices::{Certificate, Choices};
use readme::readme;
pub use write::write_project;

use crate::recipe::{ObjectPermission, Recipe, SettingValue};
use crate::salesforce::Flow;
use crate::salesforce::naming::{check_api_name, suggest_api_name};
use crate::salesforce::settings::{self, SettingKey};
use crate::salesforce::{objects, scopes};
use xml::{Node, document, flag, text};

/// The API version written into the project and manifest (Spring '26).
pub const API_VERSION: &str = "66.0";
/// Source folders of the DX project.
const SOURCE: &str = "force-app/main/default";
/// The folder that holds org-bound settings, kept out of version control.
pub const GLOBAL_SETTINGS_FOLDER: &str = "extlClntAppGlobalOauthSets";

/// What the admin chose beyond the recipe.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The app's API name (default: derived from the recipe's app name).
    pub name: Option<String>,
    pub label: Option<String>,
    pub contact_email: Option<String>,
    pub callback_urls: Vec<String>,
    pub run_as: Option<String>,
    pub permission_set: Option<String>,
    /// PEM certificate for JWT bearer.
    pub certificate: Option<String>,
    pub policy_names: PolicyNames,
    /// Also grant the objects the recipe marks optional (Knowledge, ...).
    pub include_optional: bool,
    /// JWT bearer recipes: write the app without its certificate, so with JWT bearer off.
    pub without_jwt_certificate: bool,
    /// Settings the org keeps on whatever the recipe says (Require PKCE under an org-wide PKCE
    /// requirement): written on, so a deploy matches what the org will hold.
    pub forced_on: Vec<SettingKey>,
}

/// How the policy members are named. Setup names them `<App>_oauthPlcy` and `<App>_plcy`; a
/// package installs `<App>_oauth_defaultPolicy` and `<App>_defaultPolicy`. Deploying policies
/// under other names than the app already has fails with "duplicate value found" (ff: Setup
/// Audit Trail rows; Infisical PR #6326; sfdx-hardis).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum PolicyNames {
    #[default]
    Setup,
    Packaged,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    #[error(
        "the {0} recipe uses client credentials, which needs a Run As user: pass --run-as USERNAME (an API-only integration user)"
    )]
    NoRunAs(String),
    #[error(
        "the {0} recipe uses JWT bearer, which needs the app's certificate: pass --certificate FILE (the public certificate of the key that signs the JWT), or --no-jwt-certificate to write the app with JWT bearer off"
    )]
    NoCertificate(String),
    #[error("{0}")]
    BadName(String),
    #[error(
        "no callback URL: pass --callback-url URL (Setup requires one even when no redirect happens)"
    )]
    NoCallback,
    #[error("callback URL refused: {0}")]
    BadCallback(String),
}

/// One generated file: a path relative to the output folder, and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub contents: String,
}

/// Every file of the project.
pub fn generate(recipe: &Recipe, options: &Options) -> Result<Vec<File>, MetadataError> {
    // An installed app is the vendor's: only its policies and the user's access are ours.
    if let Some(package) = &recipe.package {
        return installed::generate(recipe, options, package);
    }
    let app = match &options.name {
        Some(name) => name.clone(),
        None => suggest_api_name(&recipe.app_name),
    };
    let label = options
        .label
        .clone()
        .unwrap_or_else(|| recipe.app_name.clone());
    check_api_name(&app, &label).map_err(|e| MetadataError::BadName(e.to_string()))?;
    let permission_set = permission_set_name(options, &app);
    check_api_name(&permission_set, &permission_set).map_err(|e| {
        MetadataError::BadName(e.to_string().replace("API Name", "Permission set name"))
    })?;
    // The Settings-tab flag and the policy-side flag with its Run As user are separate: a guide
    // may tick only the first (AptEdge), and only the second needs a user.
    let settings_client_credentials = recipe.flow == Flow::ClientCredentials
        || recipe.is_checked(SettingKey::EnableClientCredentials);
    let client_credentials = recipe.flow == Flow::ClientCredentials
        || recipe.is_checked(SettingKey::PolicyClientCredentials);
    if client_credentials && options.run_as.is_none() {
        return Err(MetadataError::NoRunAs(recipe.id.clone()));
    }
    if recipe.flow == Flow::JwtBearer
        && options.certificate.is_none()
        && !options.without_jwt_certificate
    {
        return Err(MetadataError::NoCertificate(recipe.id.clone()));
    }
    let callbacks: Vec<String> = if options.callback_urls.is_empty() {
        recipe
            .default_callback_urls()
            .into_iter()
            .filter(|u| !u.contains('<'))
            .collect()
    } else {
        options.callback_urls.clone()
    };
    if callbacks.is_empty() {
        return Err(MetadataError::NoCallback);
    }
    // Whether they come from the recipe, a saved profile or the command line, the callbacks
    // written into the app pass the check a typed one does (no http on a public host, no
    // javascript: or file:).
    crate::salesforce::callback::check_callback_urls(&callbacks.join("\n"))
        .map_err(MetadataError::BadCallback)?;
    let names = Names::new(&app, options.policy_names);
    let p = Project {
        recipe,
        options,
        app: &app,
        label: &label,
        permission_set: &permission_set,
        settings_client_credentials,
        client_credentials,
        callbacks: &callbacks,
    };
    let scope_files = extras::custom_scope_files(recipe);
    let scope_names: Vec<&str> = recipe
        .custom_scopes
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let mut files = vec![
        File {
            path: "sfdx-project.json".into(),
            contents: project_json(&app),
        },
        File {
            path: "manifest/package.xml".into(),
            contents: package_xml(&names, &permission_set, &scope_names),
        },
        File {
            path: format!("{SOURCE}/externalClientApps/{app}.eca-meta.xml"),
            contents: p.header(),
        },
        File {
            path: format!(
                "{SOURCE}/{GLOBAL_SETTINGS_FOLDER}/{}.ecaGlblOauth-meta.xml",
                names.global
            ),
            contents: p.global_settings(),
        },
        File {
            path: format!(
                "{SOURCE}/extlClntAppOauthSettings/{}.ecaOauth-meta.xml",
                names.oauth
            ),
            contents: p.oauth_settings(),
        },
        File {
            path: format!(
                "{SOURCE}/extlClntAppOauthPolicies/{}.ecaOauthPlcy-meta.xml",
                names.oauth_policy
            ),
            contents: p.oauth_policies(),
        },
        File {
            path: format!(
                "{SOURCE}/extlClntAppPolicies/{}.ecaPlcy-meta.xml",
                names.app_policy
            ),
            contents: p.app_policies(),
        },
        File {
            path: format!("{SOURCE}/permissionsets/{permission_set}.permissionset-meta.xml"),
            contents: p.permission_set(),
        },
        File {
            path: ".forceignore".into(),
            contents: FORCE_IGNORE.into(),
        },
        File {
            path: ".gitignore".into(),
            contents: git_ignore(),
        },
        File {
            path: "README.md".into(),
            contents: readme(&names, &permission_set, recipe, options, client_credentials),
        },
    ];
    files.extend(scope_files);
    Ok(files)
}

/// Member names of the satellite files, as Setup names them: `<App>_glbloauth`, `<App>_oauth`,
/// `<App>_oauthPlcy`, `<App>_plcy` (ff: "Global OAuth settings member name", "Metadata that
/// deploys"; retrieved projects in public repos carry the same, e.g. Box_Automate_CLM_glbloauth,
/// and tools that build ECA packages write `{name}_glbloauth`). An app has one component of
/// each type: deploying another name to an app that has one risks "duplicate value found".
struct Names {
    app: String,
    global: String,
    oauth: String,
    oauth_policy: String,
    app_policy: String,
}

impl Names {
    fn new(app: &str, policies: PolicyNames) -> Names {
        let (oauth_policy, app_policy) = match policies {
            PolicyNames::Setup => (format!("{app}_oauthPlcy"), format!("{app}_plcy")),
            PolicyNames::Packaged => (
                format!("{app}_oauth_defaultPolicy"),
                format!("{app}_defaultPolicy"),
            ),
        };
        Names {
            app: app.to_string(),
            global: format!("{app}_glbloauth"),
            oauth: format!("{app}_oauth"),
            oauth_policy,
            app_policy,
        }
    }
}

struct Project<'a> {
    recipe: &'a Recipe,
    options: &'a Options,
    app: &'a str,
    label: &'a str,
    permission_set: &'a str,
    /// Enable Client Credentials Flow on the Settings tab.
    settings_client_credentials: bool,
    /// Client credentials on the Policies tab, with its Run As user.
    client_credentials: bool,
    callbacks: &'a [String],
}

impl Project<'_> {
    fn checked(&self, key: SettingKey) -> bool {
        self.recipe.is_checked(key) || self.options.forced_on.contains(&key)
    }

    fn header(&self) -> String {
        let mut children = Vec::new();
        if let Some(email) = &self.options.contact_email {
            children.push(text("contactEmail", email.clone()));
        }
        children.push(text(
            "description",
            format!(
                "{} (generated by eca-wizard from the {} recipe)",
                self.recipe.title, self.recipe.id
            ),
        ));
        children.push(text("distributionState", "Local"));
        children.push(flag("isProtected", false));
        children.push(text("label", self.label));
        document("ExternalClientApplication", &children)
    }

    fn global_settings(&self) -> String {
        let mut children = vec![text("callbackUrl", self.callbacks.join("\n"))];
        if let Some(certificate) = &self.options.certificate {
            children.push(text("certificate", certificate.trim()));
        }
        children.extend([
            text("externalClientApplication", self.app),
            flag(
                "isClientCredentialsFlowEnabled",
                self.settings_client_credentials,
            ),
            flag(
                "isCodeCredFlowEnabled",
                self.checked(SettingKey::EnableCodeCredentials),
            ),
            flag(
                "isCodeCredPostOnly",
                self.checked(SettingKey::CodeCredentialsPostOnly),
            ),
            // The UI's "Require secret for Web Server Flow" is this flag inverted.
            flag(
                "isConsumerSecretOptional",
                !self.checked(SettingKey::RequireSecretWebServer),
            ),
            flag(
                "isDeviceFlowEnabled",
                self.checked(SettingKey::EnableDeviceFlow),
            ),
            flag(
                "isIntrospectAllTokens",
                self.checked(SettingKey::IntrospectAllTokens),
            ),
            flag(
                "isNamedUserJwtEnabled",
                self.checked(SettingKey::NamedUserJwt),
            ),
            flag("isPkceRequired", self.checked(SettingKey::RequirePkce)),
            flag(
                "isRefreshTokenRotationEnabled",
                self.checked(SettingKey::RefreshTokenRotation),
            ),
            flag(
                "isSecretRequiredForRefreshToken",
                self.checked(SettingKey::RequireSecretRefresh),
            ),
        ]);
        if self
            .recipe
            .setting_value(SettingKey::RequireSecretTokenExchange)
            .is_some()
        {
            children.push(flag(
                "isSecretRequiredForTokenExchange",
                self.checked(SettingKey::RequireSecretTokenExchange),
            ));
        }
        children.extend([
            flag(
                "isTokenExchangeEnabled",
                self.checked(SettingKey::EnableTokenExchange),
            ),
            text("label", format!("{} Global OAuth", self.label)),
            flag("shouldRotateConsumerKey", false),
            flag("shouldRotateConsumerSecret", false),
        ]);
        document("ExtlClntAppGlobalOauthSettings", &children)
    }

    fn oauth_settings(&self) -> String {
        let tokens = scopes::tokens_for(self.recipe.scopes.iter().map(String::as_str));
        let mut children: Vec<Node> = extras::custom_scopes(self.recipe).into_iter().collect();
        children.extend([
            text("commaSeparatedOauthScopes", tokens.join(", ")),
            text("externalClientApplication", self.app),
            text("label", format!("{} OAuth", self.label)),
        ]);
        document("ExtlClntAppOauthSettings", &children)
    }

    fn oauth_policies(&self) -> String {
        let mut children = Vec::new();
        if let (true, Some(run_as)) = (self.client_credentials, &self.options.run_as) {
            children.push(text("clientCredentialsFlowUser", run_as.clone()));
        }
        children.extend(extras::custom_scopes(self.recipe));
        if permitted_users(self.recipe) == "AdminApprovedPreAuthorized" {
            children.push(text("commaSeparatedPermissionSet", self.permission_set));
            children.extend(extras::selected_profiles(self.recipe));
        }
        children.extend([
            text("externalClientApplication", self.app),
            text("ipRelaxationPolicyType", ip_relaxation(self.recipe)),
            flag("isClientCredentialsFlowEnabled", self.client_credentials),
            flag("isGuestCodeCredFlowEnabled", false),
            flag(
                "isTokenExchangeFlowEnabled",
                self.checked(SettingKey::EnableTokenExchange),
            ),
            text("label", format!("{} OAuth Policies", self.label)),
            text("permittedUsersPolicyType", permitted_users(self.recipe)),
        ]);
        // Explicit rather than the permissive defaults: refresh tokens expire as the recipe
        // says (365 days, what new apps get, when it says nothing), standard sessions.
        children.extend(extras::refresh_policy(self.recipe));
        children.push(text("requiredSessionLevel", "STANDARD"));
        children.extend(extras::session_timeout(self.recipe));
        document("ExtlClntAppOauthConfigurablePolicies", &children)
    }

    fn app_policies(&self) -> String {
        let children = vec![
            text("externalClientApplication", self.app),
            flag("isEnabled", true),
            flag("isOauthPluginEnabled", true),
            text("label", format!("{} App Policies", self.label)),
        ];
        document("ExtlClntAppConfigurablePolicies", &children)
    }

    fn permission_set(&self) -> String {
        let mut children = vec![
            text(
                "description",
                if self.recipe.is_mcp() {
                    // MCP clients sign people in as themselves: no integration user.
                    format!(
                        "API access for the people who use {} (hosted MCP)",
                        self.label
                    )
                } else {
                    format!(
                        "Least-privilege access for the {} integration user",
                        self.label
                    )
                },
            ),
            flag("hasActivationRequired", false),
            text("label", format!("{} Integration", self.label)),
        ];
        let mut objects: Vec<_> = granted_objects(self.recipe, self.options).collect();
        objects.sort_by(|a, b| a.object.cmp(&b.object));
        for object in objects {
            let has = |p: ObjectPermission| object.access.contains(&p);
            children.push(Node::Nested(
                "objectPermissions",
                vec![
                    flag("allowCreate", has(ObjectPermission::Create)),
                    flag("allowDelete", has(ObjectPermission::Delete)),
                    flag("allowEdit", has(ObjectPermission::Edit)),
                    flag("allowRead", has(ObjectPermission::Read)),
                    flag("modifyAllRecords", has(ObjectPermission::ModifyAll)),
                    text("object", object.object.clone()),
                    flag("viewAllRecords", has(ObjectPermission::ViewAll)),
                ],
            ));
        }
        children.extend(extras::user_permissions(self.recipe));
        document("PermissionSet", &children)
    }
}

/// The recipe's objects a permission set can name: with object permissions, and optional ones
/// only when asked for.
fn granted_objects<'a>(
    recipe: &'a Recipe,
    options: &'a Options,
) -> impl Iterator<Item = &'a crate::recipe::ObjectAccess> {
    recipe.objects().filter(|o| {
        (!o.optional || options.include_optional)
            && !matches!(objects::access_for(&o.object), objects::Access::Other(_))
    })
}

/// The metadata value for the recipe's Permitted Users choice.
pub fn permitted_users(recipe: &Recipe) -> &'static str {
    choice_value(recipe, SettingKey::PermittedUsers, "AllSelfAuthorized")
}

/// The metadata value for the recipe's IP Relaxation choice.
pub fn ip_relaxation(recipe: &Recipe) -> &'static str {
    choice_value(recipe, SettingKey::IpRelaxation, "Enforce")
}

/// The metadata value of the option the recipe chooses for `key`, or Setup's default.
fn choice_value(recipe: &Recipe, key: SettingKey, default: &'static str) -> &'static str {
    match recipe.setting_value(key) {
        Some(SettingValue::Text(label)) => settings::option_value(key, label).unwrap_or(default),
        _ => default,
    }
}

fn project_json(app: &str) -> String {
    let project = serde_json::json!({
        "packageDirectories": [{"path": "force-app", "default": true}],
        "name": app,
        "namespace": "",
        "sourceApiVersion": API_VERSION,
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&project).unwrap_or_default()
    )
}

fn package_xml(names: &Names, permission_set: &str, custom_scopes: &[&str]) -> String {
    let types = [
        (names.app.as_str(), "ExternalClientApplication"),
        (names.global.as_str(), "ExtlClntAppGlobalOauthSettings"),
        (names.oauth.as_str(), "ExtlClntAppOauthSettings"),
        (
            names.oauth_policy.as_str(),
            "ExtlClntAppOauthConfigurablePolicies",
        ),
        (names.app_policy.as_str(), "ExtlClntAppConfigurablePolicies"),
        (permission_set, "PermissionSet"),
    ];
    let mut children: Vec<Node> = types
        .iter()
        .map(|(member, name)| {
            Node::Nested("types", vec![text("members", *member), text("name", *name)])
        })
        .collect();
    if !custom_scopes.is_empty() {
        let mut scopes: Vec<Node> = custom_scopes.iter().map(|s| text("members", *s)).collect();
        scopes.push(text("name", "OauthCustomScope"));
        children.push(Node::Nested("types", scopes));
    }
    children.push(text("version", API_VERSION));
    document("Package", &children)
}

/// The global OAuth settings must deploy with the rest: force-ignored, a manifest deploy fails
/// ("named in package.xml, but was not found", forcedotcom/cli#1672) and a source deploy makes an
/// app without callbacks, flows or security toggles (ff: "Metadata that deploys").
const FORCE_IGNORE: &str = "# The global OAuth settings are deployed: never list them here (see README.md).\n.sfdx/\n.sf/\n";

/// Salesforce: the global OAuth settings "must not be added to source control".
fn git_ignore() -> String {
    format!(
        "# Org-bound OAuth settings (a retrieve adds the consumer key): deploy them, never commit them.\n**/{GLOBAL_SETTINGS_FOLDER}/\n.sfdx/\n.sf/\n"
    )
}

/// The integration user's permission set: the one given, else `<App>_Integration` after the
/// app's name without a package namespace (`acme__Sync` gives `Sync_Integration`: a namespaced
/// name isn't one a subscriber org may give its own permission set). One place, so `metadata`
/// writes and `apply` assigns the same set.
pub fn permission_set_name(options: &Options, app: &str) -> String {
    let bare = app.rsplit("__").next().unwrap_or(app);
    options
        .permission_set
        .clone()
        .unwrap_or_else(|| format!("{bare}_Integration"))
}
