//! The loader's rules about settings, objects and flows (see `check.rs` for the rest).

use std::collections::HashSet;

use crate::recipe::check::{Findings, at, fields, settings};
use crate::recipe::model::{Check, Recipe, SettingValue, StepKind};
use crate::salesforce::Flow;
use crate::salesforce::settings::{self as catalogue, Control, SettingKey};

pub(crate) fn check_settings(recipe: &Recipe, findings: &mut Findings) {
    let field_ids: HashSet<&str> = fields(recipe).map(|(_, f)| f.id.as_str()).collect();
    for (loc, setting) in settings(recipe) {
        let key = setting.key.id();
        let Some(info) = catalogue::lookup(setting.key) else {
            at(
                findings,
                format!("{loc}.key"),
                format!("setting '{key}' has no catalogue entry"),
            );
            continue;
        };
        match (&setting.value, &setting.from_field) {
            (Some(_), Some(_)) => at(
                findings,
                format!("{loc}.from_field"),
                format!("setting '{key}' has both a value and a from_field; keep one"),
            ),
            (None, None) => at(
                findings,
                format!("{loc}.key"),
                format!("setting '{key}' needs a value or a from_field"),
            ),
            (None, Some(field)) if !field_ids.contains(field.as_str()) => {
                let ids: Vec<&str> = field_ids.iter().copied().collect();
                let hint = crate::recipe::structure::nearest(field, &ids)
                    .map_or(String::new(), |n| format!("; did you mean '{n}'?"));
                at(
                    findings,
                    format!("{loc}.from_field"),
                    format!("setting '{key}' reads field '{field}', which no step has{hint}"),
                );
            }
            (None, Some(_)) => {}
            (Some(value), None) => {
                if let Err(problem) = check_value(key, info.control, value) {
                    at(findings, format!("{loc}.value"), problem);
                }
            }
        }
        if let (SettingKey::OauthScopes, Some(SettingValue::List(listed))) =
            (setting.key, &setting.value)
        {
            let same = listed.len() == recipe.scopes.len()
                && listed.iter().all(|s| recipe.scopes.contains(s));
            if !same {
                at(
                    findings,
                    format!("{loc}.value"),
                    "the oauth-scopes setting must list the recipe's scopes",
                );
            }
        }
    }
}

fn check_value(key: &str, control: Control, value: &SettingValue) -> Result<(), String> {
    match (control, value) {
        (Control::Checkbox, SettingValue::Checked(_)) => Ok(()),
        (Control::Checkbox, _) => Err(format!("setting '{key}' is a checkbox: use true or false")),
        (Control::Choice(options), SettingValue::Text(choice)) => {
            if options.contains(&choice.as_str()) {
                return Ok(());
            }
            let hint = crate::recipe::structure::nearest(choice, options)
                .map_or(String::new(), |n| format!("did you mean '{n}'? "));
            Err(format!(
                "setting '{key}' has no option '{choice}'; {hint}options: {}",
                options.join(" | ")
            ))
        }
        (Control::Choice(options), _) => Err(format!(
            "setting '{key}' is a choice: use one option's label ({})",
            options.join(" | ")
        )),
        (Control::Text, SettingValue::Text(_)) | (Control::List, SettingValue::List(_)) => Ok(()),
        (Control::Text, _) => Err(format!("setting '{key}' takes text")),
        (Control::List, _) => Err(format!("setting '{key}' takes a list")),
        (Control::Minutes(allowed), SettingValue::Number(n)) if allowed.contains(n) => Ok(()),
        (Control::Minutes(allowed), _) => Err(format!(
            "setting '{key}' takes minutes as a number, one of {}",
            allowed
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )),
        (Control::Period(_), SettingValue::Text(text))
            if catalogue::parse_period(text).is_some() =>
        {
            Ok(())
        }
        (Control::Period(units), _) => Err(format!(
            "setting '{key}' takes \"N UNIT\" with N from 1 and UNIT one of {}, e.g. \"90 days\"",
            units.join(", ")
        )),
        (Control::SystemPermissions, SettingValue::List(labels)) => {
            let mut problems = Vec::new();
            crate::recipe::org_needs::check_permission_labels(labels, "", &mut problems);
            if problems.is_empty() {
                return Ok(());
            }
            let messages: Vec<String> = problems.into_iter().map(|p| p.message).collect();
            Err(messages.join("; "))
        }
        (Control::SystemPermissions, _) => Err(format!(
            "setting '{key}' takes a list of system permissions' Setup labels"
        )),
    }
}

pub(crate) fn check_objects(recipe: &Recipe, findings: &mut Findings) {
    let mut seen = HashSet::new();
    for (i, step) in recipe.steps.iter().enumerate() {
        for (j, object) in step.objects.iter().enumerate() {
            let loc = format!("steps.{i}.objects.{j}");
            let name = &object.object;
            if !is_object_name(name) {
                at(
                    findings,
                    format!("{loc}.object"),
                    format!("'{name}' is not an object API name"),
                );
            } else if !seen.insert(name.as_str()) {
                at(
                    findings,
                    format!("{loc}.object"),
                    format!("object '{name}' is listed twice"),
                );
            }
            if object.access.is_empty() {
                at(
                    findings,
                    format!("{loc}.access"),
                    format!("object '{name}' has no access level"),
                );
            }
            for permission in &object.access {
                for needed in permission.requires() {
                    if !object.access.contains(needed) {
                        at(
                            findings,
                            format!("{loc}.access"),
                            format!(
                                "object '{name}': {} needs {} too (Salesforce rule)",
                                permission.id(),
                                needed.id()
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// The settings each flow can't work without.
pub fn settings_for(flow: Flow) -> &'static [SettingKey] {
    match flow {
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
    }
}

/// The settings a flow can't work without, and the checks that prove it.
pub(crate) fn check_flow(recipe: &Recipe, findings: &mut Findings) {
    // An installed app's flows are the vendor's: only the subscriber's side is the recipe's.
    let ours = |key: &SettingKey| {
        recipe.package.is_none() || crate::salesforce::packaging::subscriber_may_set(*key)
    };
    for missing in settings_for(recipe.flow)
        .iter()
        .filter(|key| ours(key) && recipe.step_for_setting(**key).is_none())
    {
        at(
            findings,
            "flow",
            format!(
                "the {} flow needs a step that sets '{}'",
                recipe.flow.id(),
                missing.id()
            ),
        );
    }
    let checks: HashSet<Check> = recipe
        .steps
        .iter()
        .flat_map(|s| s.verifies.iter().copied())
        .collect();
    // An MCP client never calls the REST API (its token has no api scope).
    let rest = (!recipe.is_mcp()).then_some(Check::RestApi);
    let refresh = recipe.expects_refresh_token().then_some(Check::Refresh);
    let objects = recipe
        .objects()
        .next()
        .is_some()
        .then_some(Check::ObjectAccess);
    for check in [
        Some(Check::Identity),
        Some(Check::Scopes),
        rest,
        refresh,
        objects,
    ]
    .into_iter()
    .flatten()
    .filter(|c| !checks.contains(c))
    {
        at(
            findings,
            connect_loc(recipe),
            format!(
                "no step verifies {}; add it to the connect step's verifies",
                check.id()
            ),
        );
    }
}

fn connect_loc(recipe: &Recipe) -> String {
    recipe
        .steps
        .iter()
        .position(|s| s.kind == StepKind::Connect)
        .map_or("steps".into(), |i| format!("steps.{i}.verifies"))
}

const MCP_CHECKS: [Check; 3] = [Check::TokenFormat, Check::McpServer, Check::McpCall];

/// A hosted MCP recipe (one with `mcp_api`) sets what Salesforce's hosted MCP guide asks for
/// (ff: "Hosted MCP"; ref §F.3) and verifies what the client will do; no other recipe
/// verifies MCP.
pub(crate) fn check_mcp(recipe: &Recipe, findings: &mut Findings) {
    let kind_at = recipe
        .steps
        .iter()
        .position(|s| s.kind == StepKind::McpServers);
    if !recipe.is_mcp() {
        for (i, step) in recipe.steps.iter().enumerate() {
            if let Some(check) = step.verifies.iter().find(|c| MCP_CHECKS.contains(c)) {
                at(
                    findings,
                    format!("steps.{i}.verifies"),
                    format!(
                        "step '{}' verifies {} but the recipe's scopes have no mcp_api",
                        step.id,
                        check.id()
                    ),
                );
            }
        }
        if let Some(i) = kind_at {
            at(
                findings,
                format!("steps.{i}.kind"),
                "an mcp-servers step needs the mcp_api scope",
            );
        }
        return;
    }
    if recipe.flow != Flow::AuthCode {
        at(
            findings,
            "flow",
            "hosted MCP clients sign their users in with flow = \"auth-code\"",
        );
    }
    for (i, scope) in recipe.scopes.iter().enumerate() {
        if ["api", "sfap_api", "einstein_gpt_api"].contains(&scope.as_str()) {
            at(
                findings,
                format!("scopes.{i}"),
                format!(
                    "scope '{scope}' beside mcp_api: api can make Salesforce issue an opaque token the MCP server refuses, and the beta's sfap_api and einstein_gpt_api are rejected; keep mcp_api and refresh_token"
                ),
            );
        }
    }
    if !recipe.scopes.iter().any(|s| s == "refresh_token") {
        at(
            findings,
            "scopes",
            "hosted MCP needs refresh_token beside mcp_api",
        );
    }
    for key in [SettingKey::NamedUserJwt, SettingKey::RequirePkce] {
        if recipe.setting_value(key) != Some(&SettingValue::Checked(true)) {
            at(
                findings,
                "scopes",
                format!("hosted MCP needs a step that sets '{}' to true", key.id()),
            );
        }
    }
    if kind_at.is_none() {
        at(
            findings,
            "steps",
            "hosted MCP needs an mcp-servers step (activating the server)",
        );
    }
    if recipe
        .field_for(crate::recipe::Role::McpServerUrl)
        .is_none()
    {
        at(
            findings,
            "steps",
            "hosted MCP needs a field with role = \"mcp-server-url\"",
        );
    }
    for check in MCP_CHECKS.iter().filter(|c| !recipe.verifies(**c)) {
        at(
            findings,
            connect_loc(recipe),
            format!("no step verifies {}", check.id()),
        );
    }
}

fn is_object_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
