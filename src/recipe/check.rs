//! The loader's rules: what makes a recipe sound once its keys and values are well formed
//! (`structure.rs`). Ids unique, steps in Setup's order, every scope, callback, setting, field
//! reference and object permission one Salesforce would accept, and the settings and checks
//! its flow needs. Each rule reports every breach it finds, at the key it is about, so
//! `recipes check` can list them all at once; `RULES` is also what `docs/recipes.md` lists.

use std::collections::HashSet;

use crate::recipe::model::{Field, Recipe, Setting, StepKind};
use crate::salesforce::scopes;

/// A recipe that can't be used, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("recipe {file}: {message}")]
pub struct RecipeError {
    pub file: String,
    pub message: String,
}

impl RecipeError {
    pub fn new(file: &str, message: impl Into<String>) -> Self {
        RecipeError {
            file: file.to_string(),
            message: message.into(),
        }
    }
}

/// One breach of a rule: the dotted path of the key it is about (`steps.3.fields.0.default`)
/// and what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub loc: String,
    pub message: String,
}

pub(crate) type Findings = Vec<Finding>;

pub(crate) fn at(findings: &mut Findings, loc: impl Into<String>, message: impl Into<String>) {
    findings.push(Finding {
        loc: loc.into(),
        message: message.into(),
    });
}

/// A rule of the format: its name, what it says, and the check.
pub struct Rule {
    pub name: &'static str,
    pub says: &'static str,
    pub(crate) run: fn(&Recipe, &mut Findings),
}

/// Every rule, in the order they are reported.
pub const RULES: &[Rule] = &[
    Rule {
        name: "format",
        says: "`format` is one this eca-wizard reads",
        run: check_format,
    },
    Rule {
        name: "ids",
        says: "the recipe's and steps' ids are lowercase letters, digits and '-'; step ids and field ids are each unique",
        run: check_ids,
    },
    Rule {
        name: "step-text",
        says: "every step has a title, what, why and setup_path; a step's or vendor step's finish (format 2) is a button's label, 1 to 40 characters on one line",
        run: check_step_text,
    },
    Rule {
        name: "setup-order",
        says: "steps follow Setup's order (step kinds below); basic-info, oauth-settings (not with [package]), credentials and connect are there, connect last",
        run: check_order,
    },
    Rule {
        name: "callbacks",
        says: "every callback URL (callback_urls, a callback field's default, a callback-url setting) is https, http on localhost, or an app's own scheme; <placeholders> are checked as if filled in",
        run: check_callbacks,
    },
    Rule {
        name: "scopes",
        says: "at least one scope, none twice, one the flow grants",
        run: check_scopes,
    },
    Rule {
        name: "defaults",
        says: "a field's default passes its validator (text with a <placeholder> is for the admin to complete)",
        run: check_defaults,
    },
    Rule {
        name: "roles",
        says: "each role on one field at most, with a validator that fits it; the flow's roles (flows below) present",
        run: check_roles,
    },
    Rule {
        name: "secrets",
        says: "the consumer-secret field is secret; `secret = false` on it is refused",
        run: check_secrets,
    },
    Rule {
        name: "settings",
        says: "a setting has a value or a from_field naming a field, not both; the value fits the setting's control (setting keys below); oauth-scopes lists the recipe's scopes",
        run: crate::recipe::check_flow::check_settings,
    },
    Rule {
        name: "objects",
        says: "objects are API names, each once, with the access Salesforce requires alongside (edit needs read, ...)",
        run: crate::recipe::check_flow::check_objects,
    },
    Rule {
        name: "flow",
        says: "the flow's settings are set (flows below) and steps verify identity, scopes, rest-api (not for MCP), refresh (with refresh_token) and object-access (with objects)",
        run: crate::recipe::check_flow::check_flow,
    },
    Rule {
        name: "format-2",
        says: "keys only format 2 has (choices, vendor_steps, written_for, connected_app, propagation_minutes, prerequisites, profiles, custom_scopes, package, when, level, finish, the install-package and certificate steps) need format = 2",
        run: crate::recipe::check_format2::check_format2_keys,
    },
    Rule {
        name: "choices",
        says: "choice ids unique, two or more options, the default among them; `flow`'s options are flows and its default the recipe's flow; every `when` names a choice and its options; at most 16 combinations, each checked by every rule",
        run: crate::recipe::check_format2::check_choices,
    },
    Rule {
        name: "vendor-steps",
        says: "a vendor field has a fixed value or a source, and a role source is a field the recipe has; connected_app notes need written_for = \"connected-app\"; propagation_minutes is 1 to 1440",
        run: crate::recipe::check_format2::check_vendor_steps,
    },
    Rule {
        name: "prerequisites",
        says: "an admin-permission prerequisite names a system permission (system permissions below), an edition one an edition; org-setting and license ones say `how` they are checked; none twice",
        run: crate::recipe::org_needs::check_prerequisites,
    },
    Rule {
        name: "profiles",
        says: "a [[profiles]] entry names the profile to clone and a different new name, each new name once, and only known system permissions",
        run: crate::recipe::org_needs::check_profiles,
    },
    Rule {
        name: "custom-scopes",
        says: "a custom scope's name begins with a letter and holds letters, digits and '_' (at most 80), is no standard scope and is listed once; its description is letters, digits and spaces (1 to 60), each different",
        run: crate::recipe::org_needs::check_custom_scopes,
    },
    Rule {
        name: "setting-pairs",
        says: "refresh-token-validity needs a refresh-token-policy that takes a period; selected-profiles needs permitted-users \"Admin approved users are pre-authorized\"",
        run: crate::recipe::org_needs::check_setting_pairs,
    },
    Rule {
        name: "package",
        says: "a [package] names a version id (04t, 15 or 18 characters) and the installed app's API name, and goes with an install-package step (and that step with it); the recipe then has no basic-info, oauth-settings, flows or security step and no setting the vendor's package carries (only policies, the integration user, its permissions and org settings), since a subscriber org can't change the rest",
        run: crate::recipe::package::check_package,
    },
    Rule {
        name: "setup-certificate",
        says: "a certificate step (a self-signed certificate made in Setup > Certificate and Key Management) is for the JWT bearer flow and has a certificate-label setting; certificate-label and certificate-export sit on that step",
        run: crate::recipe::certificate::check_setup_certificate,
    },
    Rule {
        name: "hosted-mcp",
        says: "a recipe with mcp_api is auth-code with refresh_token and neither api, sfap_api nor einstein_gpt_api, sets require-pkce and named-user-jwt, has an mcp-servers step and an mcp-server-url field, and verifies token-format, mcp-server and mcp-call; no other recipe does those",
        run: crate::recipe::check_flow::check_mcp,
    },
];

/// Every breach of every rule.
pub(crate) fn check_recipe(recipe: &Recipe) -> Findings {
    let mut findings = Vec::new();
    for rule in RULES {
        (rule.run)(recipe, &mut findings);
    }
    findings
}

/// Every field with the path of its table.
pub(crate) fn fields(recipe: &Recipe) -> impl Iterator<Item = (String, &Field)> {
    recipe.steps.iter().enumerate().flat_map(|(i, step)| {
        step.fields
            .iter()
            .enumerate()
            .map(move |(j, f)| (format!("steps.{i}.fields.{j}"), f))
    })
}

/// Every setting with the path of its table.
pub(crate) fn settings(recipe: &Recipe) -> impl Iterator<Item = (String, &Setting)> {
    recipe.steps.iter().enumerate().flat_map(|(i, step)| {
        step.settings
            .iter()
            .enumerate()
            .map(move |(j, s)| (format!("steps.{i}.settings.{j}"), s))
    })
}

fn check_format(recipe: &Recipe, findings: &mut Findings) {
    let reads = crate::recipe::model::FORMAT;
    if !(1..=reads).contains(&recipe.format) {
        at(
            findings,
            "format",
            format!(
                "format = {} is not one this eca-wizard reads (1 to {reads}); update eca-wizard or write the file for format {reads}",
                recipe.format
            ),
        );
    }
}

fn check_ids(recipe: &Recipe, findings: &mut Findings) {
    if !is_identifier(&recipe.id) {
        at(
            findings,
            "id",
            format!(
                "id '{}' must be lowercase letters, digits and '-'",
                recipe.id
            ),
        );
    }
    let mut steps = HashSet::new();
    for (i, step) in recipe.steps.iter().enumerate() {
        let loc = format!("steps.{i}.id");
        if !is_identifier(&step.id) {
            at(
                findings,
                &loc,
                format!(
                    "step id '{}' must be lowercase letters, digits and '-'",
                    step.id
                ),
            );
        } else if !steps.insert(step.id.as_str()) {
            at(
                findings,
                &loc,
                format!("step id '{}' is used twice", step.id),
            );
        }
    }
    let mut seen = HashSet::new();
    for (loc, field) in fields(recipe) {
        if !seen.insert(field.id.as_str()) {
            at(
                findings,
                format!("{loc}.id"),
                format!("field id '{}' is used twice", field.id),
            );
        }
    }
}

fn check_step_text(recipe: &Recipe, findings: &mut Findings) {
    for (i, step) in recipe.steps.iter().enumerate() {
        for (key, text) in [
            ("title", &step.title),
            ("what", &step.what),
            ("why", &step.why),
        ] {
            if text.trim().is_empty() {
                at(
                    findings,
                    format!("steps.{i}.{key}"),
                    format!("step '{}' has an empty {key}", step.id),
                );
            }
        }
        if step.setup_path.is_empty() {
            at(
                findings,
                format!("steps.{i}.setup_path"),
                format!("step '{}' has an empty setup_path", step.id),
            );
        }
        if let Some(finish) = &step.finish {
            check_finish(&format!("steps.{i}.finish"), &step.id, finish, findings);
        }
    }
}

/// A `finish` names a button: short, on one line.
pub(crate) fn check_finish(loc: &str, owner: &str, finish: &str, findings: &mut Findings) {
    let label = finish.trim();
    if label.is_empty() || label.chars().count() > MAX_FINISH || label.contains('\n') {
        at(
            findings,
            loc,
            format!(
                "'{owner}': finish names the button that ends the step (\"Save\"), 1 to {MAX_FINISH} characters on one line"
            ),
        );
    }
}

const MAX_FINISH: usize = 40;

/// Step kinds every recipe has: without them there is no app to connect to.
const REQUIRED_KINDS: &[StepKind] = &[
    StepKind::BasicInfo,
    StepKind::OauthSettings,
    StepKind::Credentials,
    StepKind::Connect,
];

fn check_order(recipe: &Recipe, findings: &mut Findings) {
    let mut previous: Option<StepKind> = None;
    for (i, step) in recipe.steps.iter().enumerate() {
        if let Some(before) = previous.filter(|before| step.kind < *before) {
            at(
                findings,
                format!("steps.{i}.kind"),
                format!(
                    "step '{}' ({}) comes after a {} step; steps follow Setup's order",
                    step.id,
                    step.kind.id(),
                    before.id()
                ),
            );
        }
        previous = Some(previous.map_or(step.kind, |p| p.max(step.kind)));
    }
    // An installed package brings the app: its basic information and OAuth settings are the
    // vendor's (the `package` rule).
    let installed = recipe.package.is_some();
    for kind in REQUIRED_KINDS {
        let vendors = installed && matches!(kind, StepKind::BasicInfo | StepKind::OauthSettings);
        if !vendors && !recipe.steps.iter().any(|s| s.kind == *kind) {
            at(
                findings,
                "steps",
                format!("no {} step; every recipe needs one", kind.id()),
            );
        }
    }
    let last = recipe.steps.len().saturating_sub(1);
    if recipe
        .steps
        .last()
        .is_some_and(|s| s.kind != StepKind::Connect)
    {
        at(
            findings,
            format!("steps.{last}.kind"),
            "the last step must be the connect step",
        );
    }
}

/// Every callback URL a recipe can put in the Callback URL box passes the same check as one
/// the admin types.
fn check_callbacks(recipe: &Recipe, findings: &mut Findings) {
    use crate::recipe::model::SettingValue;
    let mut urls: Vec<(String, &str)> = recipe
        .callback_urls
        .iter()
        .enumerate()
        .map(|(i, u)| (format!("callback_urls.{i}"), u.as_str()))
        .collect();
    for (loc, field) in fields(recipe) {
        if field.validator == crate::recipe::Validator::CallbackUrls
            && let Some(default) = &field.default
        {
            urls.extend(default.lines().map(|u| (format!("{loc}.default"), u)));
        }
    }
    for (loc, setting) in settings(recipe) {
        if setting.key != crate::salesforce::settings::SettingKey::CallbackUrl {
            continue;
        }
        let loc = format!("{loc}.value");
        match &setting.value {
            Some(SettingValue::Text(text)) => urls.extend(text.lines().map(|u| (loc.clone(), u))),
            Some(SettingValue::List(list)) => {
                urls.extend(list.iter().map(|u| (loc.clone(), u.as_str())));
            }
            _ => {}
        }
    }
    for (loc, url) in urls.iter().filter(|(_, u)| !u.trim().is_empty()) {
        if let Err(problem) = check_recipe_callback(url) {
            at(findings, loc, format!("callback URL refused: {problem}"));
        }
    }
}

/// One callback URL of a recipe, its `<placeholders>` (letters, digits, '_', '-') filled in,
/// so a placeholder can't hide a scheme or a host.
pub(crate) fn check_recipe_callback(url: &str) -> Result<(), String> {
    let mut filled = String::new();
    let mut rest = url;
    while let Some(open) = rest.find('<') {
        let close = rest[open..]
            .find('>')
            .map(|c| open + c)
            .ok_or_else(|| format!("'{url}' has a '<' without its '>'"))?;
        let name = &rest[open + 1..close];
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(format!(
                "'{url}': a placeholder is <letters-digits_or-dashes>"
            ));
        }
        filled.push_str(&rest[..open]);
        filled.push_str("placeholder");
        rest = &rest[close + 1..];
    }
    filled.push_str(rest);
    crate::salesforce::callback::check_callback_url(&filled)
}

fn check_scopes(recipe: &Recipe, findings: &mut Findings) {
    if recipe.scopes.is_empty() {
        at(
            findings,
            "scopes",
            "no scopes; list the OAuth scope values the app needs",
        );
        return;
    }
    let mut seen = HashSet::new();
    for (i, scope) in recipe.scopes.iter().enumerate() {
        if !seen.insert(scope) {
            at(
                findings,
                format!("scopes.{i}"),
                format!("scope '{scope}' is listed twice"),
            );
        }
    }
    if !recipe
        .scopes
        .iter()
        .any(|s| scopes::granted_in(s, recipe.flow))
    {
        at(
            findings,
            "scopes",
            format!(
                "none of the scopes is granted in the {} flow",
                recipe.flow.id()
            ),
        );
    }
}

fn check_defaults(recipe: &Recipe, findings: &mut Findings) {
    for (loc, field) in fields(recipe) {
        // Callback defaults are checked, placeholders and all, by the callbacks rule.
        if field.validator == crate::recipe::Validator::CallbackUrls {
            continue;
        }
        if let Some(default) = recipe.field_default(field)
            && !default.contains('<')
            && let Err(problem) = field.validator.check(&default, &recipe.app_name)
        {
            let loc = if field.default.is_some() {
                format!("{loc}.default")
            } else {
                "app_name".to_string()
            };
            at(
                findings,
                loc,
                format!("field '{}' default is invalid: {problem}", field.id),
            );
        }
    }
}

/// Each role at most once, on a field whose validator fits it; the flow's roles present.
fn check_roles(recipe: &Recipe, findings: &mut Findings) {
    let mut seen = HashSet::new();
    for (loc, field) in fields(recipe) {
        let Some(role) = field.role else { continue };
        if !seen.insert(role) {
            at(
                findings,
                format!("{loc}.role"),
                format!(
                    "two fields have role '{}'; give it to one (field '{}')",
                    role.id(),
                    field.id
                ),
            );
        }
        if !role.validators().contains(&field.validator) {
            let wanted: Vec<&str> = role.validators().iter().map(|v| v.id()).collect();
            at(
                findings,
                format!("{loc}.validator"),
                format!(
                    "field '{}' has role '{}' but validator '{}'; use validator = \"{}\"",
                    field.id,
                    role.id(),
                    field.validator.id(),
                    wanted.join("\" or \"")
                ),
            );
        }
    }
    for role in crate::recipe::Role::required_by(recipe.flow) {
        if !seen.contains(role) {
            at(
                findings,
                "flow",
                format!(
                    "the {} flow needs a field with role = \"{}\"; no field has it",
                    recipe.flow.id(),
                    role.id()
                ),
            );
        }
    }
}

/// A consumer secret marked not secret would be saved in plain text with the setup.
fn check_secrets(recipe: &Recipe, findings: &mut Findings) {
    for (loc, field) in fields(recipe) {
        if field.role == Some(crate::recipe::Role::ConsumerSecret)
            && field.secret_given == Some(false)
        {
            at(
                findings,
                format!("{loc}.secret"),
                format!(
                    "field '{}' has role consumer-secret, which is always secret; remove secret = false",
                    field.id
                ),
            );
        }
    }
}

pub(crate) fn is_identifier(id: &str) -> bool {
    !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
