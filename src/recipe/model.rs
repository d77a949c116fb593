//! The shape of a recipe, exactly as the TOML files spell it.

use serde::{Deserialize, Serialize};

use crate::recipe::Validator;
pub use crate::recipe::format2::{Choice, ConnectedAppNote, Level, Selection, VendorStep};
pub use crate::recipe::org_needs::{CustomScope, Prerequisite, ProfileClone};
pub use crate::recipe::role::Role;
pub use crate::recipe::step_kind::StepKind;
use crate::salesforce::diagnosis::Target;
use crate::salesforce::settings::SettingKey;
use crate::salesforce::setup_pages::SetupPage;
use crate::salesforce::{Flow, callback, scopes};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipe {
    /// The recipe file format; files written for a newer eca-wizard are refused.
    #[serde(default = "format_one")]
    pub format: u32,
    /// Short identifier used on the command line (`--recipe apideck`).
    pub id: String,
    pub title: String,
    /// Who publishes the guide this recipe mirrors.
    pub vendor: String,
    /// Where the guide is published (its public URL; a file comment names the project's copy).
    pub source: String,
    /// What the guide is called where its publisher hosts it.
    pub guide: String,
    pub flow: Flow,
    /// One paragraph: what the integration does with Salesforce and how it logs in.
    pub summary: String,
    /// OAuth scope values the app must have selected.
    pub scopes: Vec<String>,
    /// The vendor's callback URLs, as its guide gives them.
    pub callback_urls: Vec<String>,
    /// The app name the guide suggests.
    pub app_name: String,
    /// What the admin does in the vendor's product once the app works, as its guide says.
    pub handoff: String,
    /// Where a local recipe was read from; None for a built-in one.
    #[serde(skip)]
    pub origin: Option<String>,
    pub steps: Vec<Step>,
    /// Format 2: the questions the admin answers on the first step.
    #[serde(default)]
    pub choices: Vec<Choice>,
    /// Format 2: the steps in the vendor's product, with their fields.
    #[serde(default)]
    pub vendor_steps: Vec<VendorStep>,
    /// Format 2: `connected-app` when the guide was written for a Connected App.
    #[serde(default)]
    pub written_for: Option<String>,
    /// Format 2: what the Connected App guide asks for, with the ECA equivalent.
    #[serde(default)]
    pub connected_app: Vec<ConnectedAppNote>,
    /// Format 2: how long the vendor says a new app takes to work everywhere, in minutes.
    #[serde(default)]
    pub propagation_minutes: Option<u32>,
    /// Format 2: what the admin or the org needs before the first step.
    #[serde(default)]
    pub prerequisites: Vec<Prerequisite>,
    /// Format 2: profiles to clone, with the permissions to turn on in them (checklist only).
    #[serde(default)]
    pub profiles: Vec<ProfileClone>,
    /// Format 2: OAuth custom scopes the app is given and requests.
    #[serde(default)]
    pub custom_scopes: Vec<CustomScope>,
    /// Format 2: the package that carries the vendor's app, installed instead of created.
    pub package: Option<crate::recipe::package::Package>,
    /// The answers this recipe was resolved with (empty without choices).
    #[serde(skip)]
    pub selection: Selection,
    /// The recipe as every other combination of answers makes it (`format2::variant` picks
    /// one); empty for a recipe without choices and in the variants themselves.
    #[serde(skip)]
    pub variants: Vec<Recipe>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub title: String,
    pub kind: StepKind,
    /// Where in Setup, as a breadcrumb: `["Setup", "Users", "Users", "New User"]`.
    pub setup_path: Vec<String>,
    /// The Setup page the wizard can open for this step.
    #[serde(default)]
    pub page: Option<SetupPage>,
    /// What to do, in a few sentences.
    pub what: String,
    /// Why this integration needs it.
    pub why: String,
    /// Where this recipe's guide differs from the others or from Salesforce's defaults.
    #[serde(default)]
    pub guide_note: Option<String>,
    #[serde(default)]
    pub settings: Vec<Setting>,
    #[serde(default)]
    pub fields: Vec<Field>,
    #[serde(default)]
    pub objects: Vec<ObjectAccess>,
    /// What the connection check will later verify about this step.
    #[serde(default)]
    pub verifies: Vec<Check>,
    /// Format 2: the step applies only when a choice has this answer (`flow=jwt-bearer`).
    #[serde(default)]
    pub when: Option<String>,
    /// Format 2: the button that ends the step in Setup ("Save", "Create"), as the guide says.
    #[serde(default)]
    pub finish: Option<String>,
}

/// The integration user as apply knows it: it makes the user, is told an existing one (and
/// assigns the app's permission set to it), or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyUser {
    Unknown,
    Existing,
    Creates,
}

/// A control to set in Setup, to a fixed value or to what the admin typed in a field.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setting {
    pub key: SettingKey,
    #[serde(default)]
    pub value: Option<SettingValue>,
    /// The id of the field whose answer is the value.
    #[serde(default)]
    pub from_field: Option<String>,
    /// Why this value, when it is not self-evident.
    #[serde(default)]
    pub why: Option<String>,
    /// Format 2: required (default), recommended, or optional (shown, never applied).
    #[serde(default)]
    pub level: Level,
    /// Format 2: the setting applies only when a choice has this answer.
    #[serde(default)]
    pub when: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SettingValue {
    Checked(bool),
    Text(String),
    List(Vec<String>),
    /// A whole number (minutes), written as a TOML integer.
    Number(u32),
}

impl SettingValue {
    /// A checkbox's state as Setup's words put it.
    pub fn checkbox_words(on: bool) -> &'static str {
        if on { "checked" } else { "unchecked" }
    }
}

/// The value in words, the one way every screen and command says it: a checkbox as
/// `checked`/`unchecked`, a list comma-separated.
impl std::fmt::Display for SettingValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SettingValue::Checked(on) => f.write_str(Self::checkbox_words(*on)),
            SettingValue::Text(text) => f.write_str(text),
            SettingValue::List(items) => f.write_str(&items.join(", ")),
            SettingValue::Number(n) => write!(f, "{n}"),
        }
    }
}

/// A value the admin types (and the wizard validates) in this step.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Unique within the recipe; answers are stored under it.
    pub id: String,
    pub label: String,
    pub validator: Validator,
    #[serde(default = "yes")]
    pub required: bool,
    /// Masked on screen and never saved with the setup's progress: what the file says, and
    /// always for the consumer secret (set by the loader).
    #[serde(skip)]
    pub secret: bool,
    /// `secret` as the file spells it, if it does.
    #[serde(default, rename = "secret")]
    pub(crate) secret_given: Option<bool>,
    #[serde(default)]
    pub default: Option<String>,
    pub help: String,
    /// What the field is for; the code finds fields by role, never by id.
    #[serde(default)]
    pub role: Option<Role>,
    /// Format 2: the field applies only when a choice has this answer.
    #[serde(default)]
    pub when: Option<String>,
}

fn yes() -> bool {
    true
}

/// The newest recipe file format this version reads; format 1 files load unchanged.
pub const FORMAT: u32 = 2;

/// A file that doesn't say is format 1, the format before `format` existed.
fn format_one() -> u32 {
    1
}

/// An object the integration user needs, and how much access.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectAccess {
    /// API name, e.g. `Case` or `Knowledge__kav`.
    pub object: String,
    pub access: Vec<ObjectPermission>,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObjectPermission {
    Read,
    Create,
    Edit,
    Delete,
    ViewAll,
    ModifyAll,
}

impl ObjectPermission {
    pub const ALL: [ObjectPermission; 6] = [
        ObjectPermission::Read,
        ObjectPermission::Create,
        ObjectPermission::Edit,
        ObjectPermission::Delete,
        ObjectPermission::ViewAll,
        ObjectPermission::ModifyAll,
    ];

    /// The name recipes use.
    pub fn id(self) -> &'static str {
        match self {
            ObjectPermission::Read => "read",
            ObjectPermission::Create => "create",
            ObjectPermission::Edit => "edit",
            ObjectPermission::Delete => "delete",
            ObjectPermission::ViewAll => "view-all",
            ObjectPermission::ModifyAll => "modify-all",
        }
    }

    /// What Salesforce requires alongside this permission (ObjectPermissions rules).
    pub fn requires(self) -> &'static [ObjectPermission] {
        use ObjectPermission::*;
        match self {
            Read => &[],
            Create | Edit | ViewAll => &[Read],
            Delete => &[Read, Edit],
            ModifyAll => &[Read, Edit, Delete, ViewAll],
        }
    }
}

/// A connection check that proves a step was done right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// The token belongs to the integration user of this org.
    Identity,
    /// The token carries the scopes the recipe needs.
    Scopes,
    /// A refresh token came back.
    RefreshToken,
    /// Refreshing works with (or without) the secret, as the recipe's settings say.
    Refresh,
    /// The REST API answers (versions, limits).
    RestApi,
    /// Every listed object can be read.
    ObjectAccess,
    /// The access token is a JWT, as hosted MCP servers require.
    TokenFormat,
    /// The MCP server answers: active, `initialize` and `tools/list` succeed.
    McpServer,
    /// A tool call (`getUserInfo`) answers for the authorized user.
    McpCall,
}

impl Check {
    pub const ALL: [Check; 9] = [
        Check::Identity,
        Check::Scopes,
        Check::RefreshToken,
        Check::Refresh,
        Check::RestApi,
        Check::ObjectAccess,
        Check::TokenFormat,
        Check::McpServer,
        Check::McpCall,
    ];

    /// The name recipes use (`verifies = ["rest-api"]`).
    pub fn id(self) -> &'static str {
        match self {
            Check::Identity => "identity",
            Check::Scopes => "scopes",
            Check::RefreshToken => "refresh-token",
            Check::Refresh => "refresh",
            Check::RestApi => "rest-api",
            Check::ObjectAccess => "object-access",
            Check::TokenFormat => "token-format",
            Check::McpServer => "mcp-server",
            Check::McpCall => "mcp-call",
        }
    }

    /// What passing it proves.
    pub fn proves(self) -> &'static str {
        match self {
            Check::Identity => "the token belongs to the integration user",
            Check::Scopes => "the token carries the recipe's scopes",
            Check::RefreshToken => "a refresh token came back",
            Check::Refresh => "refreshing works with or without the secret, as the settings say",
            Check::RestApi => "the REST API answers",
            Check::ObjectAccess => "every listed object can be read",
            Check::TokenFormat => "the access token is a JWT (hosted MCP refuses opaque tokens)",
            Check::McpServer => "the MCP server is active: initialize and tools/list succeed",
            Check::McpCall => "getUserInfo answers for the user who signed in",
        }
    }
}

impl Recipe {
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.steps.iter().flat_map(|s| s.fields.iter())
    }

    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields().find(|f| f.id == id)
    }

    /// The field that plays `role`, if the recipe has one.
    pub fn field_for(&self, role: Role) -> Option<&Field> {
        self.fields().find(|f| f.role == Some(role))
    }

    /// The id answers to the field of `role` are stored under.
    pub fn field_id(&self, role: Role) -> Option<&str> {
        self.field_for(role).map(|f| f.id.as_str())
    }

    /// The first step that sets `key`: where a diagnosis sends the admin to fix it.
    pub fn step_for_setting(&self, key: SettingKey) -> Option<&Step> {
        self.steps.iter().find(|s| {
            s.settings
                .iter()
                .any(|set| set.key == key && set.level != Level::Optional)
        })
    }

    /// The step where a diagnosis's fix is made: the step that sets the setting, or the step of
    /// the kind where such a setting lives.
    pub fn step_for_target(&self, target: &Target) -> Option<&Step> {
        let kind = match target {
            Target::Setting(key) => {
                if let Some(step) = self.step_for_setting(*key) {
                    return Some(step);
                }
                natural_step_kind(*key)
            }
            Target::Credentials | Target::ConsumerSecret => StepKind::Credentials,
            Target::McpServer => StepKind::McpServers,
            Target::LoginUrl => StepKind::Connect,
            Target::IntegrationUser => StepKind::IntegrationUser,
            Target::ObjectAccess(_) => StepKind::Permissions,
            Target::Client => return None,
        };
        self.steps.iter().find(|s| s.kind == kind)
    }

    /// The fixed value a recipe gives a setting, if any.
    pub fn setting_value(&self, key: SettingKey) -> Option<&SettingValue> {
        self.steps
            .iter()
            .flat_map(|s| s.settings.iter())
            .find(|s| s.key == key && s.level != Level::Optional)
            .and_then(|s| s.value.as_ref())
    }

    /// Whether a checkbox ends up checked: the recipe's value, else Setup's default.
    pub fn is_checked(&self, key: SettingKey) -> bool {
        match self.setting_value(key) {
            Some(SettingValue::Checked(on)) => *on,
            _ => crate::salesforce::settings::lookup(key).and_then(|s| s.default) == Some("true"),
        }
    }

    /// Every object the integration user needs, in recipe order.
    pub fn objects(&self) -> impl Iterator<Item = &ObjectAccess> {
        self.steps.iter().flat_map(|s| s.objects.iter())
    }

    /// Whether connecting needs the consumer secret: client credentials, or a code flow that
    /// requires it for the exchange or the refresh. JWT bearer signs with a key instead.
    pub fn needs_secret(&self) -> bool {
        use crate::salesforce::Flow;
        match self.flow {
            Flow::ClientCredentials => true,
            Flow::JwtBearer => false,
            Flow::AuthCode => {
                self.is_checked(crate::salesforce::settings::SettingKey::RequireSecretWebServer)
                    || self.refresh_needs_secret()
            }
        }
    }

    /// Whether `eca-wizard apply` carries out step `index` (the deploy, the user it creates, the
    /// key and secret it reads back) rather than leaving it to the admin. Org-wide settings,
    /// trusted domains and MCP server activation aren't in its deploy; an existing Run As user
    /// get the permission set only when apply knows the user; JWT bearer's key is read only
    /// when apply has the private key to sign in with.
    pub fn done_by_apply(&self, index: usize, user: ApplyUser, has_private_key: bool) -> bool {
        match self.steps.get(index).map(|s| s.kind) {
            Some(StepKind::IntegrationUser) => user == ApplyUser::Creates,
            Some(StepKind::Permissions) => user != ApplyUser::Unknown,
            Some(
                StepKind::BasicInfo
                | StepKind::OauthSettings
                | StepKind::Flows
                | StepKind::Security
                | StepKind::Policies
                | StepKind::InstallPackage,
            ) => true,
            Some(StepKind::Credentials) => {
                self.flow != crate::salesforce::Flow::JwtBearer || has_private_key
            }
            Some(
                StepKind::OrgSettings
                | StepKind::Certificate
                | StepKind::TrustedDomains
                | StepKind::McpServers
                | StepKind::Connect,
            )
            | None => false,
        }
    }

    /// A recipe for a hosted MCP client: its app asks for the `mcp_api` scope.
    pub fn is_mcp(&self) -> bool {
        self.scopes.iter().any(|s| s == "mcp_api")
    }

    /// Whether a step verifies `check`.
    pub fn verifies(&self, check: Check) -> bool {
        self.steps.iter().any(|s| s.verifies.contains(&check))
    }

    /// A refresh token is part of the connection when the flow issues one and the recipe asks
    /// for the scope.
    pub fn expects_refresh_token(&self) -> bool {
        self.expects_refresh_token_in(self.flow)
    }

    /// The same, when connecting with another flow than the recipe's own.
    pub fn expects_refresh_token_in(&self, flow: Flow) -> bool {
        self.scopes.iter().any(|s| {
            scopes::granted_in(s, flow) && matches!(s.as_str(), "refresh_token" | "offline_access")
        })
    }

    /// Whether refreshing must send the consumer secret ("Require secret for Refresh Token Flow").
    pub fn refresh_needs_secret(&self) -> bool {
        self.is_checked(SettingKey::RequireSecretRefresh)
    }

    /// The scopes a token from this recipe's flow should carry.
    pub fn expected_scopes(&self) -> Vec<&str> {
        self.expected_scopes_in(self.flow)
    }

    /// The scopes a token from `flow` should carry.
    pub fn expected_scopes_in(&self, flow: Flow) -> Vec<&str> {
        self.scopes
            .iter()
            .map(String::as_str)
            .filter(|s| scopes::granted_in(s, flow))
            .chain(self.custom_scopes.iter().map(|c| c.name.as_str()))
            .collect()
    }

    /// What the Callback URL box should hold: the vendor's URLs, then (for flows where a person
    /// logs in) the wizard's loopback URLs so it can prove the connection itself.
    pub fn default_callback_urls(&self) -> Vec<String> {
        let mut urls = self.callback_urls.clone();
        if self.flow == Flow::AuthCode {
            urls.extend(callback::wizard_callback_urls());
        }
        urls
    }

    /// The value a field starts with: its own default, or one derived from the recipe.
    pub fn field_default(&self, field: &Field) -> Option<String> {
        if let Some(default) = &field.default {
            return Some(default.clone());
        }
        match field.validator {
            Validator::CallbackUrls => Some(self.default_callback_urls().join("\n")),
            Validator::AppName => Some(self.app_name.clone()),
            _ => None,
        }
    }
}

/// The kind of step whose Setup page holds a setting, read from the catalogue's section.
fn natural_step_kind(key: SettingKey) -> StepKind {
    let section = crate::salesforce::settings::lookup(key).map_or("", |s| s.section);
    let kind_for = [
        ("Users", StepKind::IntegrationUser),
        ("Permission Sets", StepKind::Permissions),
        ("OAuth and OpenID", StepKind::OrgSettings),
        ("Certificate and Key Management", StepKind::Certificate),
        ("New External Client App", StepKind::BasicInfo),
        ("API (Enable OAuth Settings) > Flow", StepKind::Flows),
        ("API (Enable OAuth Settings) > Security", StepKind::Security),
        ("API (Enable OAuth Settings)", StepKind::OauthSettings),
        ("Policies tab", StepKind::Policies),
        ("Session Settings", StepKind::TrustedDomains),
        ("CORS", StepKind::TrustedDomains),
        ("Trusted URLs", StepKind::TrustedDomains),
        ("MCP Servers", StepKind::McpServers),
    ];
    kind_for
        .iter()
        .find(|(prefix, _)| section.starts_with(prefix))
        .map_or(StepKind::OauthSettings, |(_, kind)| *kind)
}
