//! The recipe file format, as data: every key of every table with its shape, whether it is
//! required, the values it may take and what it means, drawn from the code's own lists. The
//! checker (`structure.rs`) judges files by these tables, `eca-wizard recipes schema` prints
//! them with every rule, and `docs/recipes.md` is that output (a test keeps it current).

use crate::recipe::Validator;
use crate::recipe::model::{Check, ObjectPermission, Role, StepKind};
pub use crate::recipe::reference::markdown;
use crate::salesforce::Flow;
use crate::salesforce::scopes::SCOPES;
use crate::salesforce::settings::SettingKey;
use crate::salesforce::setup_pages::SetupPage;

/// What a key's value must be.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    Text,
    /// A list of strings.
    TextList,
    Bool,
    Integer,
    /// A setting's value: true/false, text or a list of text, as the setting's control takes.
    SettingValue,
    /// An array of tables (`[[steps]]`) with these keys.
    Tables(&'static str, &'static [Key]),
    /// A list of inline tables (`objects = [{ ... }]`) with these keys.
    InlineTables(&'static str, &'static [Key]),
    /// One table (`[package]`) with these keys.
    Table(&'static str, &'static [Key]),
}

/// One key of a table.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub name: &'static str,
    pub required: bool,
    pub shape: Shape,
    /// The values it may take, when they are a fixed set (each item's, for a list).
    pub values: Option<fn() -> Vec<&'static str>>,
    pub meaning: &'static str,
}

const fn key(name: &'static str, required: bool, shape: Shape, meaning: &'static str) -> Key {
    Key {
        name,
        required,
        shape,
        values: None,
        meaning,
    }
}

const fn one_of(
    name: &'static str,
    required: bool,
    shape: Shape,
    values: fn() -> Vec<&'static str>,
    meaning: &'static str,
) -> Key {
    Key {
        name,
        required,
        shape,
        values: Some(values),
        meaning,
    }
}

pub fn flows() -> Vec<&'static str> {
    Flow::ALL.iter().map(|f| f.id()).collect()
}
pub fn scopes() -> Vec<&'static str> {
    SCOPES.iter().map(|s| s.value).collect()
}
pub fn step_kinds() -> Vec<&'static str> {
    StepKind::ALL.iter().map(|k| k.id()).collect()
}
pub fn pages() -> Vec<&'static str> {
    let mut ids: Vec<&str> = SetupPage::ALL.iter().map(|p| p.id()).collect();
    // The name recipes used for Trusted URLs before Lightning Out's pages were told apart.
    ids.push("trusted-domains");
    ids
}
pub fn checks() -> Vec<&'static str> {
    Check::ALL.iter().map(|c| c.id()).collect()
}
pub fn validators() -> Vec<&'static str> {
    Validator::ALL.iter().map(|v| v.id()).collect()
}
pub fn roles() -> Vec<&'static str> {
    Role::ALL.iter().map(|r| r.id()).collect()
}
pub fn setting_keys() -> Vec<&'static str> {
    SettingKey::ALL.iter().map(|k| k.id()).collect()
}
pub fn written_for() -> Vec<&'static str> {
    vec!["connected-app"]
}
pub fn levels() -> Vec<&'static str> {
    vec!["required", "recommended", "optional"]
}
pub fn vendor_sources() -> Vec<&'static str> {
    let mut sources = roles();
    sources.extend(
        crate::recipe::format2::ORG_SOURCES
            .iter()
            .map(|(id, _)| *id),
    );
    sources
}
pub fn prerequisite_kinds() -> Vec<&'static str> {
    crate::recipe::org_needs::PrerequisiteKind::ALL
        .iter()
        .map(|k| k.id())
        .collect()
}
pub fn permissions() -> Vec<&'static str> {
    ObjectPermission::ALL.iter().map(|p| p.id()).collect()
}

use Shape::{Bool, InlineTables, Integer, Tables, Text, TextList};

pub const TOP: &[Key] = &[
    key(
        "format",
        false,
        Integer,
        "the file format: 1 (the default) or 2, which the keys marked format 2 need; files for a newer eca-wizard are refused",
    ),
    key(
        "id",
        true,
        Text,
        "lowercase letters, digits and '-'; `--recipe ID`; may not be another recipe's",
    ),
    key(
        "title",
        true,
        Text,
        "what the start screen lists; may not be another recipe's",
    ),
    key(
        "vendor",
        true,
        Text,
        "who publishes the guide the recipe mirrors",
    ),
    key(
        "source",
        true,
        Text,
        "the guide's public URL (or, for a guide not on the web, its name)",
    ),
    key("guide", true, Text, "the guide's title"),
    one_of("flow", true, Text, flows, "the OAuth flow (flows below)"),
    key(
        "summary",
        true,
        Text,
        "one paragraph: what the integration does and how it signs in",
    ),
    one_of(
        "scopes",
        true,
        TextList,
        scopes,
        "OAuth scope values the app must have (scopes below), e.g. [\"api\", \"refresh_token\"]",
    ),
    key(
        "callback_urls",
        true,
        TextList,
        "the vendor's callback URLs ([] when there are none); https, http on localhost, or an app's own scheme; <placeholders> allowed",
    ),
    key("app_name", true, Text, "the app name the guide suggests"),
    key(
        "handoff",
        true,
        Text,
        "what the admin does in the vendor's product once the app works",
    ),
    key(
        "steps",
        true,
        Tables("[[steps]]", STEP),
        "the checklist, one `[[steps]]` table per step",
    ),
    key(
        "choices",
        false,
        Tables("[[choices]]", CHOICE),
        "format 2: questions the admin answers on the first step (`when` picks by them)",
    ),
    key(
        "vendor_steps",
        false,
        Tables("[[vendor_steps]]", VENDOR_STEP),
        "format 2: steps in the vendor's product, with their fields",
    ),
    one_of(
        "written_for",
        false,
        Text,
        written_for,
        "format 2: `connected-app` when the guide was written for a Connected App",
    ),
    key(
        "connected_app",
        false,
        Tables("[[connected_app]]", CONNECTED_APP),
        "format 2: what the Connected App guide asks for, each with the ECA equivalent",
    ),
    key(
        "prerequisites",
        false,
        Tables("[[prerequisites]]", PREREQUISITE),
        "format 2: what the admin or the org needs before the first step, each with how it is checked",
    ),
    key(
        "profiles",
        false,
        Tables("[[profiles]]", PROFILE),
        "format 2: profiles to clone in Setup, with the system permissions to turn on (checklist only)",
    ),
    key(
        "custom_scopes",
        false,
        Tables("[[custom_scopes]]", CUSTOM_SCOPE),
        "format 2: OAuth custom scopes the app is given and requests at connect",
    ),
    key(
        "package",
        false,
        Shape::Table("[package]", PACKAGE),
        "format 2: the package that carries the vendor's app, installed instead of created (an install-package step, then the installed app's policies)",
    ),
    key(
        "propagation_minutes",
        false,
        Integer,
        "format 2: how long the vendor says a new app takes to work (1 to 1440); connect waits at least that long",
    ),
];

pub const CHOICE: &[Key] = &[
    key(
        "id",
        true,
        Text,
        "lowercase letters, digits and '-'; `flow` makes the answer the recipe's flow",
    ),
    key("question", true, Text, "what the admin is asked"),
    key(
        "options",
        true,
        TextList,
        "the answers (flow ids for `flow`)",
    ),
    key(
        "default",
        true,
        Text,
        "the answer used until the admin picks (for `flow`, the top-level `flow`)",
    ),
];

pub const VENDOR_STEP: &[Key] = &[
    key("title", true, Text, "what the step is called"),
    key(
        "where",
        true,
        TextList,
        "where in the vendor's product, e.g. [\"Tools\", \"Custom OAuth profiles\"]",
    ),
    key("what", true, Text, "what to do there"),
    key(
        "fields",
        false,
        InlineTables("fields", VENDOR_FIELD),
        "[{ label = \"Client ID\", from = \"consumer-key\" }]",
    ),
    key("when", false, Text, "`CHOICE=OPTION`: only for that answer"),
    key(
        "finish",
        false,
        Text,
        "the button that ends the step in the vendor's product (\"Save Connection\")",
    ),
];

pub const VENDOR_FIELD: &[Key] = &[
    key(
        "label",
        true,
        Text,
        "the field's label in the vendor's product",
    ),
    one_of(
        "from",
        false,
        Text,
        vendor_sources,
        "where the value comes from: a field's role, or the org (sources below)",
    ),
    key("value", false, Text, "or a fixed value"),
];

pub const CONNECTED_APP: &[Key] = &[
    key(
        "label",
        true,
        Text,
        "the Connected App label the guide uses",
    ),
    key("value", true, Text, "what the guide sets it to"),
    key(
        "eca",
        true,
        Text,
        "what to do in the External Client App instead (or why nothing)",
    ),
];

pub const PREREQUISITE: &[Key] = &[
    one_of(
        "kind",
        true,
        Text,
        prerequisite_kinds,
        "what is needed: a permission the admin holds, an org setting, an edition or a license (prerequisite kinds below)",
    ),
    key(
        "name",
        true,
        Text,
        "a system permission's Setup label (admin-permission), an edition, or the setting's or license's name",
    ),
    key("why", true, Text, "why the setup needs it"),
    key(
        "how",
        false,
        Text,
        "where the admin checks it by hand; required for org-setting and license",
    ),
];

pub const PROFILE: &[Key] = &[
    key(
        "clone",
        true,
        Text,
        "the existing profile to clone, as Setup names it",
    ),
    key("name", true, Text, "the new profile's name"),
    key(
        "permissions",
        false,
        TextList,
        "system permissions (Setup labels, below) to turn on in the new profile",
    ),
    key("why", false, Text, "why the guide wants a profile"),
];

pub const CUSTOM_SCOPE: &[Key] = &[
    key(
        "name",
        true,
        Text,
        "the scope's name: a letter, then letters, digits and '_'; requested at connect",
    ),
    key(
        "description",
        true,
        Text,
        "what it lets the app reach: letters, digits and spaces, at most 60",
    ),
    key(
        "public",
        false,
        Bool,
        "listed on the org's OpenID Connect discovery endpoint (default false)",
    ),
];

pub const PACKAGE: &[Key] = &[
    key(
        "version_id",
        true,
        Text,
        "the package version id: 04t then letters and digits, 15 or 18 in all (the install link's p0=)",
    ),
    key(
        "name",
        true,
        Text,
        "the package's name as the installer shows it",
    ),
    key("publisher", true, Text, "who publishes the package"),
    key(
        "app",
        true,
        Text,
        "the installed app's API name in the subscriber org (with the namespace prefix, ns__App, when the package has one)",
    ),
    key(
        "install_key",
        false,
        Bool,
        "true when the vendor gives an installation key with the link (apply reads it from ECA_WIZARD_INSTALL_KEY; never in the file)",
    ),
];

pub const STEP: &[Key] = &[
    key("id", true, Text, "unique in the recipe"),
    key("title", true, Text, "what the step is called"),
    one_of(
        "kind",
        true,
        Text,
        step_kinds,
        "one of the step kinds below, in Setup's order",
    ),
    key(
        "setup_path",
        true,
        TextList,
        "the Setup breadcrumb, e.g. [\"Setup\", \"Users\", \"New User\"]",
    ),
    one_of(
        "page",
        false,
        Text,
        pages,
        "the Setup page ctrl-o opens (pages below)",
    ),
    key("what", true, Text, "what to do, in a few sentences"),
    key("why", true, Text, "why this integration needs it"),
    key(
        "guide_note",
        false,
        Text,
        "where this guide differs from Salesforce's defaults",
    ),
    key(
        "finish",
        false,
        Text,
        "format 2: the button that ends the step in Setup, as the guide says (\"Save\", \"Create\")",
    ),
    one_of(
        "verifies",
        false,
        TextList,
        checks,
        "the checks that prove this step (verifications below)",
    ),
    key(
        "objects",
        false,
        InlineTables("objects", OBJECT),
        "[{ object = \"Account\", access = [\"read\"], optional = false, note = \"...\" }]",
    ),
    key(
        "fields",
        false,
        Tables("[[steps.fields]]", FIELD),
        "what the admin types in this step",
    ),
    key(
        "settings",
        false,
        Tables("[[steps.settings]]", SETTING),
        "what the admin sets in Setup in this step",
    ),
    key(
        "when",
        false,
        Text,
        "format 2: `CHOICE=OPTION` (or `CHOICE=A|B`): the step is only for that answer",
    ),
];

pub const FIELD: &[Key] = &[
    key(
        "id",
        true,
        Text,
        "unique in the recipe; answers are saved under it",
    ),
    key("label", true, Text, "the label the wizard shows"),
    one_of(
        "validator",
        true,
        Text,
        validators,
        "one of the validators below",
    ),
    one_of(
        "role",
        false,
        Text,
        roles,
        "what the field is for (roles below); the code finds fields only by role",
    ),
    key("required", false, Bool, "default true"),
    key(
        "secret",
        false,
        Bool,
        "masked and never saved; default false, always true for role consumer-secret",
    ),
    key("default", false, Text, "the starting value"),
    key("help", true, Text, "one line under the field"),
    key(
        "when",
        false,
        Text,
        "format 2: `CHOICE=OPTION`: only for that answer",
    ),
];

pub const SETTING: &[Key] = &[
    one_of(
        "key",
        true,
        Text,
        setting_keys,
        "one of the setting keys below",
    ),
    key(
        "value",
        false,
        Shape::SettingValue,
        "a fixed value: true/false for a checkbox, an option's label for a choice, text, or a list",
    ),
    key(
        "from_field",
        false,
        Text,
        "or the id of the field whose answer is the value",
    ),
    key("why", false, Text, "why this value"),
    one_of(
        "level",
        false,
        Text,
        levels,
        "format 2: required (default), recommended, or optional (shown, never applied)",
    ),
    key(
        "when",
        false,
        Text,
        "format 2: `CHOICE=OPTION`: only for that answer",
    ),
];

pub const OBJECT: &[Key] = &[
    key(
        "object",
        true,
        Text,
        "the object's API name, e.g. Account or Knowledge__kav",
    ),
    one_of(
        "access",
        true,
        TextList,
        permissions,
        "the access the integration user needs (object permissions below)",
    ),
    key("optional", false, Bool, "default false"),
    key("note", false, Text, "why, or when it is needed"),
];

/// `(header, keys)` of every table a recipe file has.
pub const TABLES: &[(&str, &[Key])] = &[
    ("top level", TOP),
    ("[[steps]]", STEP),
    ("[[steps.fields]]", FIELD),
    ("[[steps.settings]]", SETTING),
    ("objects = [{ ... }]", OBJECT),
    ("[[choices]] (format 2)", CHOICE),
    ("[[vendor_steps]] (format 2)", VENDOR_STEP),
    ("vendor_steps fields = [{ ... }] (format 2)", VENDOR_FIELD),
    ("[[connected_app]] (format 2)", CONNECTED_APP),
    ("[[prerequisites]] (format 2)", PREREQUISITE),
    ("[[profiles]] (format 2)", PROFILE),
    ("[[custom_scopes]] (format 2)", CUSTOM_SCOPE),
    ("[package] (format 2)", PACKAGE),
];
