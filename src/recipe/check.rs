//! What makes a recipe sound: ids unique, steps in Setup order, every scope, setting, field
//! reference and object permission one Salesforce would accept, and the settings its flow needs.
//! Unknown validators and step kinds are refused by the parser itself.

use std::collections::HashSet;

use crate::recipe::model::{Check, Recipe, SettingValue, StepKind};
use crate::salesforce::Flow;
use crate::salesforce::scopes;
use crate::salesforce::settings::{self, Control, SettingKey};

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

/// Step kinds every recipe has: without them there is no app to connect to.
const REQUIRED_KINDS: &[StepKind] = &[
    StepKind::BasicInfo,
    StepKind::OauthSettings,
    StepKind::Credentials,
    StepKind::Connect,
];

pub(crate) fn check_recipe(recipe: &Recipe) -> Result<(), String> {
    if recipe.format != crate::recipe::model::FORMAT {
        return Err(format!(
            "format = {} is not one this eca-wizard reads (format = {}); update eca-wizard or write the file for format {}",
            recipe.format,
            crate::recipe::model::FORMAT,
            crate::recipe::model::FORMAT
        ));
    }
    if !is_identifier(&recipe.id) {
        return Err(format!(
            "id '{}' must be lowercase letters, digits and '-'",
            recipe.id
        ));
    }
    check_steps(recipe)?;
    check_callbacks(recipe)?;
    check_scopes(recipe)?;
    check_fields(recipe)?;
    check_settings(recipe)?;
    check_objects(recipe)?;
    check_flow(recipe)?;
    check_mcp(recipe)
}

/// Checks across the whole set: recipe ids are unique.
pub(crate) fn check_set(recipes: &[Recipe]) -> Result<(), RecipeError> {
    let mut seen = HashSet::new();
    for recipe in recipes {
        if !seen.insert(recipe.id.as_str()) {
            return Err(RecipeError::new(
                &recipe.id,
                format!("duplicate recipe id '{}'", recipe.id),
            ));
        }
    }
    Ok(())
}

fn check_steps(recipe: &Recipe) -> Result<(), String> {
    let mut ids = HashSet::new();
    let mut previous = None;
    for step in &recipe.steps {
        if !is_identifier(&step.id) {
            return Err(format!(
                "step id '{}' must be lowercase letters, digits and '-'",
                step.id
            ));
        }
        if !ids.insert(step.id.as_str()) {
            return Err(format!("duplicate step id '{}'", step.id));
        }
        if let Some(before) = previous
            && step.kind < before
        {
            return Err(format!(
                "step '{}' ({}) comes after a {} step; steps follow Setup's order",
                step.id,
                step.kind.id(),
                before.id()
            ));
        }
        previous = Some(step.kind);
        for (what, text) in [
            ("title", &step.title),
            ("what", &step.what),
            ("why", &step.why),
        ] {
            if text.trim().is_empty() {
                return Err(format!("step '{}' has an empty {what}", step.id));
            }
        }
        if step.setup_path.is_empty() {
            return Err(format!("step '{}' has no setup_path", step.id));
        }
    }
    for kind in REQUIRED_KINDS {
        if !recipe.steps.iter().any(|s| s.kind == *kind) {
            return Err(format!("no {} step; every recipe needs one", kind.id()));
        }
    }
    if recipe.steps.last().map(|s| s.kind) != Some(StepKind::Connect) {
        return Err("the last step must be the connect step".into());
    }
    Ok(())
}

/// Every callback URL a recipe can put in the Callback URL box (its `callback_urls`, a
/// callback field's default, a fixed `callback-url` setting) passes the same check as one the
/// admin types: https, http on loopback only, or a desktop app's own scheme. A `<placeholder>`
/// the admin completes is checked as if filled in, so it can't hide a scheme or a host.
fn check_callbacks(recipe: &Recipe) -> Result<(), String> {
    let mut urls: Vec<(String, &str)> = recipe
        .callback_urls
        .iter()
        .map(|u| (u.clone(), "callback_urls"))
        .collect();
    for field in recipe.fields() {
        if field.validator == crate::recipe::Validator::CallbackUrls
            && let Some(default) = &field.default
        {
            urls.extend(
                default
                    .lines()
                    .map(|u| (u.to_string(), "a callback field's default")),
            );
        }
    }
    for setting in recipe.steps.iter().flat_map(|s| s.settings.iter()) {
        if setting.key != SettingKey::CallbackUrl {
            continue;
        }
        match &setting.value {
            Some(SettingValue::Text(text)) => {
                urls.extend(
                    text.lines()
                        .map(|u| (u.to_string(), "the callback-url setting")),
                );
            }
            Some(SettingValue::List(list)) => {
                urls.extend(list.iter().map(|u| (u.clone(), "the callback-url setting")));
            }
            _ => {}
        }
    }
    for (url, from) in urls.iter().filter(|(u, _)| !u.trim().is_empty()) {
        check_recipe_callback(url).map_err(|e| format!("{from}: {e}"))?;
    }
    Ok(())
}

/// One callback URL of a recipe, its `<placeholders>` (letters, digits, '_', '-') filled in.
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

fn check_scopes(recipe: &Recipe) -> Result<(), String> {
    if recipe.scopes.is_empty() {
        return Err("no scopes; list the OAuth scope values the app needs".into());
    }
    let mut seen = HashSet::new();
    for scope in &recipe.scopes {
        if scopes::find(scope).is_none() {
            return Err(format!(
                "unknown scope '{scope}'; use the value in parentheses, e.g. api"
            ));
        }
        if !seen.insert(scope) {
            return Err(format!("scope '{scope}' is listed twice"));
        }
    }
    if !recipe
        .scopes
        .iter()
        .any(|s| scopes::granted_in(s, recipe.flow))
    {
        return Err(format!(
            "none of the scopes is granted in the {} flow",
            recipe.flow
        ));
    }
    Ok(())
}

fn check_fields(recipe: &Recipe) -> Result<(), String> {
    let mut ids = HashSet::new();
    for field in recipe.fields() {
        if !ids.insert(field.id.as_str()) {
            return Err(format!("duplicate field id '{}'", field.id));
        }
        if let Some(default) = recipe.field_default(field)
            && let Err(problem) = field.validator.check(&default, &recipe.app_name)
            && !default.contains('<')
            // Callback defaults are checked, placeholders and all, by check_callbacks.
            && field.validator != crate::recipe::Validator::CallbackUrls
        {
            // Defaults with <placeholders> are for the admin to complete; others must pass.
            return Err(format!(
                "field '{}' default is invalid: {problem}",
                field.id
            ));
        }
    }
    check_roles(recipe)
}

/// Each role at most once, on a field whose validator fits it; the flow's roles present.
fn check_roles(recipe: &Recipe) -> Result<(), String> {
    let mut seen = HashSet::new();
    for field in recipe.fields() {
        let Some(role) = field.role else { continue };
        if !seen.insert(role) {
            return Err(format!(
                "two fields have role '{}'; give it to one (field '{}')",
                role.id(),
                field.id
            ));
        }
        if !role.validators().contains(&field.validator) {
            let wanted: Vec<&str> = role.validators().iter().map(|v| v.id()).collect();
            return Err(format!(
                "field '{}' has role '{}' but validator '{}'; use validator = \"{}\"",
                field.id,
                role.id(),
                field.validator.id(),
                wanted.join("\" or \"")
            ));
        }
    }
    for role in crate::recipe::Role::required_by(recipe.flow) {
        if !seen.contains(role) {
            return Err(format!(
                "the {} flow needs a field with role = \"{}\"; no field has it",
                recipe.flow,
                role.id()
            ));
        }
    }
    Ok(())
}

fn check_settings(recipe: &Recipe) -> Result<(), String> {
    for step in &recipe.steps {
        for setting in &step.settings {
            let key = setting.key.id();
            let info = settings::lookup(setting.key)
                .ok_or_else(|| format!("setting '{key}' has no catalogue entry"))?;
            match (&setting.value, &setting.from_field) {
                (Some(_), Some(_)) => {
                    return Err(format!("setting '{key}' has both a value and a from_field"));
                }
                (None, None) => {
                    return Err(format!("setting '{key}' needs a value or a from_field"));
                }
                (None, Some(field)) => {
                    if recipe.field(field).is_none() {
                        return Err(format!(
                            "setting '{key}' reads field '{field}', which no step has"
                        ));
                    }
                }
                (Some(value), None) => check_value(key, info.control, value)?,
            }
            if let (SettingKey::OauthScopes, Some(SettingValue::List(listed))) =
                (setting.key, &setting.value)
            {
                let same = listed.len() == recipe.scopes.len()
                    && listed.iter().all(|s| recipe.scopes.contains(s));
                if !same {
                    return Err("the oauth-scopes setting must list the recipe's scopes".into());
                }
            }
        }
    }
    Ok(())
}

fn check_value(key: &str, control: Control, value: &SettingValue) -> Result<(), String> {
    match (control, value) {
        (Control::Checkbox, SettingValue::Checked(_)) => Ok(()),
        (Control::Checkbox, _) => Err(format!("setting '{key}' is a checkbox: use true or false")),
        (Control::Choice(options), SettingValue::Text(choice)) => {
            if options.contains(&choice.as_str()) {
                Ok(())
            } else {
                Err(format!(
                    "setting '{key}' has no option '{choice}'; options: {options:?}"
                ))
            }
        }
        (Control::Choice(_), _) => Err(format!("setting '{key}' is a choice: use an option label")),
        (Control::Text, SettingValue::Text(_)) | (Control::List, SettingValue::List(_)) => Ok(()),
        (Control::Text, _) => Err(format!("setting '{key}' takes text")),
        (Control::List, _) => Err(format!("setting '{key}' takes a list")),
    }
}

fn check_objects(recipe: &Recipe) -> Result<(), String> {
    let mut seen = HashSet::new();
    for object in recipe.objects() {
        if !is_object_name(&object.object) {
            return Err(format!("'{}' is not an object API name", object.object));
        }
        if !seen.insert(object.object.as_str()) {
            return Err(format!("object '{}' is listed twice", object.object));
        }
        if object.access.is_empty() {
            return Err(format!("object '{}' has no access level", object.object));
        }
        for permission in &object.access {
            for needed in permission.requires() {
                if !object.access.contains(needed) {
                    return Err(format!(
                        "object '{}': {permission:?} needs {needed:?} too (Salesforce rule)",
                        object.object
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The settings a flow can't work without, and the checks that prove it.
fn check_flow(recipe: &Recipe) -> Result<(), String> {
    let has_setting = |key: SettingKey| recipe.step_for_setting(key).is_some();
    let needs: &[SettingKey] = match recipe.flow {
        Flow::AuthCode => &[SettingKey::EnableOauth, SettingKey::CallbackUrl],
        Flow::ClientCredentials => &[
            SettingKey::EnableOauth,
            SettingKey::EnableClientCredentials,
            SettingKey::PolicyClientCredentials,
            SettingKey::RunAsUser,
        ],
        Flow::JwtBearer => &[
            SettingKey::EnableOauth,
            SettingKey::EnableJwtBearer,
            SettingKey::PermittedUsers,
            SettingKey::SelectedPermissionSets,
        ],
    };
    if let Some(missing) = needs.iter().find(|key| !has_setting(**key)) {
        return Err(format!(
            "the {} flow needs a step that sets '{}'",
            recipe.flow,
            missing.id()
        ));
    }
    let checks: HashSet<Check> = recipe
        .steps
        .iter()
        .flat_map(|s| s.verifies.iter().copied())
        .collect();
    // An MCP client never calls the REST API (its token has no api scope).
    let rest = (!recipe.is_mcp()).then_some(Check::RestApi);
    for check in [Some(Check::Identity), Some(Check::Scopes), rest]
        .into_iter()
        .flatten()
    {
        if !checks.contains(&check) {
            return Err(format!("no step verifies {check:?}"));
        }
    }
    if recipe.expects_refresh_token() && !checks.contains(&Check::Refresh) {
        return Err("the recipe asks for refresh_token but no step verifies Refresh".into());
    }
    if recipe.objects().next().is_some() && !checks.contains(&Check::ObjectAccess) {
        return Err("the recipe lists objects but no step verifies ObjectAccess".into());
    }
    Ok(())
}

const MCP_CHECKS: [Check; 3] = [Check::TokenFormat, Check::McpServer, Check::McpCall];

/// A hosted MCP recipe (one with `mcp_api`) sets what Salesforce's hosted MCP guide asks for
/// (ff: "Hosted MCP"; ref §F.3) and verifies what the client will do; no other recipe
/// verifies MCP.
fn check_mcp(recipe: &Recipe) -> Result<(), String> {
    let has_kind = recipe.steps.iter().any(|s| s.kind == StepKind::McpServers);
    if !recipe.is_mcp() {
        if let Some(check) = MCP_CHECKS.iter().find(|c| recipe.verifies(**c)) {
            return Err(format!(
                "a step verifies {check:?} but the recipe's scopes have no mcp_api"
            ));
        }
        if has_kind {
            return Err("an mcp-servers step needs the mcp_api scope".into());
        }
        return Ok(());
    }
    if recipe.flow != Flow::AuthCode {
        return Err("hosted MCP clients sign their users in with flow = \"auth-code\"".into());
    }
    for scope in ["api", "sfap_api", "einstein_gpt_api"] {
        if recipe.scopes.iter().any(|s| s == scope) {
            return Err(format!(
                "scope '{scope}' beside mcp_api: api can make Salesforce issue an opaque token the MCP server refuses, and the beta's sfap_api and einstein_gpt_api are rejected; keep mcp_api and refresh_token"
            ));
        }
    }
    if !recipe.scopes.iter().any(|s| s == "refresh_token") {
        return Err("hosted MCP needs refresh_token beside mcp_api".into());
    }
    for key in [SettingKey::NamedUserJwt, SettingKey::RequirePkce] {
        if recipe.setting_value(key) != Some(&SettingValue::Checked(true)) {
            return Err(format!(
                "hosted MCP needs a step that sets '{}' to true",
                key.id()
            ));
        }
    }
    if !has_kind {
        return Err("hosted MCP needs an mcp-servers step (activating the server)".into());
    }
    if recipe
        .field_for(crate::recipe::Role::McpServerUrl)
        .is_none()
    {
        return Err("hosted MCP needs a field with role = \"mcp-server-url\"".into());
    }
    if let Some(check) = MCP_CHECKS.iter().find(|c| !recipe.verifies(**c)) {
        return Err(format!("no step verifies {check:?}"));
    }
    Ok(())
}

fn is_identifier(id: &str) -> bool {
    !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn is_object_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
