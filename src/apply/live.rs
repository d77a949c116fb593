//! The app as the org holds it, read with SOQL (reference/deploy-and-mcp-apis.md §C.5, §E), and
//! how it differs from what the recipe deploys: each drifted setting with its Setup label, the
//! live and the wanted value, and the fix. What SOQL can't read (the global OAuth settings:
//! callback URLs, PKCE, the secret toggles, JWT-based tokens) is named as unchecked.

use crate::net::SendLogged;
use serde_json::Value;

use crate::apply::session::Session;
use crate::oauth::client::{parse_error, read_body, transport_detail, unread};
use crate::recipe::Recipe;
use crate::salesforce::scopes::{SCOPE_COLUMNS, SCOPES};
use crate::salesforce::settings::{self, SettingKey};
use crate::terminal_safe::terminal_safe;

/// Settings a query can't read, by their Setup labels (§E: not queryable).
pub const UNCHECKED: &[SettingKey] = &[
    SettingKey::CallbackUrl,
    SettingKey::RequirePkce,
    SettingKey::RequireSecretWebServer,
    SettingKey::RequireSecretRefresh,
    SettingKey::NamedUserJwt,
    SettingKey::EnableClientCredentials,
];

/// The queryable parts of a live app.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveApp {
    pub id: String,
    pub label: String,
    pub scopes: Value,
    pub policy: Value,
}

/// One setting that isn't what the recipe deploys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    pub label: &'static str,
    pub live: String,
    pub wanted: String,
    pub fix: String,
}

/// Which API a query goes to: the data API, or the Tooling API (packages, install requests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    Data,
    Tooling,
}

pub(crate) async fn query(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
    soql: &str,
) -> anyhow::Result<Vec<Value>> {
    query_in(http, session, version, Api::Data, soql).await
}

/// The rows of one page of `soql` (a query here asks for fewer rows than a page holds).
pub(crate) async fn query_in(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
    api: Api,
    soql: &str,
) -> anyhow::Result<Vec<Value>> {
    let path = match api {
        Api::Data => "query",
        Api::Tooling => "tooling/query",
    };
    let url = format!("{}/services/data/v{version}/{path}", session.instance_url);
    let response = http
        .get(&url)
        .query(&[("q", soql)])
        .bearer_auth(session.token.expose())
        .send_logged()
        .await
        .map_err(|e| anyhow::anyhow!("the query didn't reach the org: {}", transport_detail(&e)))?;
    let status = response.status().as_u16();
    let text = read_body(response)
        .await
        .map_err(|f| anyhow::anyhow!("the query's answer couldn't be read: {}", unread(f)))?;
    if !(200..300).contains(&status) {
        let d = parse_error(status, &text).diagnose(
            crate::salesforce::diagnosis::Phase::Rest,
            crate::salesforce::diagnosis::Window::After,
        );
        anyhow::bail!("the org refused the query: {}", d.message);
    }
    let body: Value = serde_json::from_str(&text)?;
    Ok(body["records"].as_array().cloned().unwrap_or_default())
}

/// Any text as a SOQL string literal: backslashes and quotes escaped (SOQL's escape sequences),
/// for values that aren't API names (a label with spaces, an installation key).
pub(crate) fn soql_text(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// API names are letters, digits and underscores: nothing to escape, but refuse anything else.
pub(crate) fn quoted(value: &str) -> anyhow::Result<String> {
    if value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_@.+-".contains(c))
    {
        Ok(format!("'{value}'"))
    } else {
        anyhow::bail!("'{}' can't be looked up", terminal_safe(value))
    }
}

/// The app named `api_name`, or None when the org has none.
pub async fn app(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
    api_name: &str,
) -> anyhow::Result<Option<LiveApp>> {
    let name = quoted(api_name)?;
    let apps = query(
        http,
        session,
        version,
        &format!("SELECT Id, DeveloperName, MasterLabel FROM ExternalClientApplication WHERE DeveloperName = {name}"),
    )
    .await?;
    let Some(found) = apps.first() else {
        return Ok(None);
    };
    let id = terminal_safe(found["Id"].as_str().unwrap_or_default());
    let columns: Vec<&str> = SCOPE_COLUMNS.iter().map(|(_, c)| *c).collect();
    let scopes = query(
        http,
        session,
        version,
        &format!(
            "SELECT {} FROM ExtlClntAppOauthSettings WHERE ExternalClientApplicationId = {}",
            columns.join(", "),
            quoted(&id)?
        ),
    )
    .await?;
    let policy = query(
        http,
        session,
        version,
        &format!(
            "SELECT PermittedUsersPolicyType, IpRelaxationPolicyType, RefreshTokenPolicyType FROM ExtlClntAppOauthPlcyCnfg WHERE ExternalClientApplicationId = {}",
            quoted(&id)?
        ),
    )
    .await?;
    Ok(Some(LiveApp {
        id,
        label: terminal_safe(found["MasterLabel"].as_str().unwrap_or_default()),
        scopes: scopes.first().cloned().unwrap_or(Value::Null),
        policy: policy.first().cloned().unwrap_or(Value::Null),
    }))
}

/// The id of the org's active user `username`, None when there is none.
pub async fn active_user(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
    username: &str,
) -> anyhow::Result<Option<String>> {
    let users = query(
        http,
        session,
        version,
        &format!(
            "SELECT Id, IsActive FROM User WHERE Username = {}",
            quoted(username)?
        ),
    )
    .await?;
    Ok(users
        .first()
        .filter(|u| u["IsActive"] == true)
        .and_then(|u| u["Id"].as_str())
        .map(terminal_safe))
}

fn label(key: SettingKey) -> &'static str {
    settings::lookup(key).map_or("?", |s| s.label)
}

/// How the live app differs from what the recipe deploys, setting by setting.
pub fn drift(recipe: &Recipe, live: &LiveApp) -> Vec<Drift> {
    let mut found = Vec::new();
    // An installed package's OAuth settings are its vendor's: only the policies are the org's
    // to compare (the `package` rule keeps them out of such a recipe's deploy).
    let scopes_are_ours = recipe.package.is_none();
    let rows = [
        (&live.scopes, SettingKey::OauthScopes),
        (&live.policy, SettingKey::PermittedUsers),
    ];
    // A missing row can't be read as "no drift".
    for (row, what) in rows.into_iter().skip(usize::from(!scopes_are_ours)) {
        if row.is_null() {
            found.push(Drift {
                label: label(what),
                live: "no row to read".into(),
                wanted: "as the recipe says".into(),
                fix: "the app's OAuth settings or policies are missing: run apply again".into(),
            });
        }
    }
    for (token, column) in SCOPE_COLUMNS.iter().filter(|_| scopes_are_ours) {
        let Some(on) = live.scopes[*column].as_bool() else {
            continue;
        };
        let scope = SCOPES.iter().find(|s| s.token == *token);
        let wanted = SCOPES
            .iter()
            .filter(|s| s.token == *token)
            .any(|s| recipe.scopes.iter().any(|v| v == s.value));
        if on != wanted
            && let Some(scope) = scope
        {
            let (live_word, wanted_word, verb) = if on {
                ("selected", "not selected", "remove")
            } else {
                ("not selected", "selected", "add")
            };
            found.push(Drift {
                label: label(SettingKey::OauthScopes),
                live: format!("{} {live_word}", scope.label),
                wanted: format!("{} {wanted_word}", scope.label),
                fix: format!("{verb} {} in Selected OAuth Scopes", scope.label),
            });
        }
    }
    let policies = [
        (
            SettingKey::PermittedUsers,
            "PermittedUsersPolicyType",
            crate::metadata::permitted_users(recipe),
        ),
        (
            SettingKey::IpRelaxation,
            "IpRelaxationPolicyType",
            crate::metadata::ip_relaxation(recipe),
        ),
    ];
    for (key, column, wanted) in policies {
        let live_value = live.policy[column].as_str().unwrap_or_default();
        if !live_value.is_empty() && live_value != wanted {
            // Setup's option labels ("Relax IP restrictions"), not the API values ("Bypass").
            let live_label = settings::option_label(key, live_value)
                .map_or_else(|| terminal_safe(live_value), String::from);
            let wanted_label = settings::option_label(key, wanted).unwrap_or(wanted);
            found.push(Drift {
                label: label(key),
                live: live_label,
                wanted: wanted_label.to_string(),
                fix: format!(
                    "set {} to {wanted_label} on the Policies tab (or run apply again)",
                    label(key)
                ),
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_scope_and_a_policy_that_changed_are_named_with_their_fix() {
        let recipe = crate::recipe::builtin_by_id("mcp-claude").unwrap();
        let live = LiveApp {
            id: "0xI".into(),
            label: "Claude MCP".into(),
            scopes: json!({"OauthScopesAPI": true, "OauthScopesMCP_API": true, "OauthScopesREFRESH_TOKEN": true}),
            policy: json!({"PermittedUsersPolicyType": "AllSelfAuthorized", "IpRelaxationPolicyType": "Enforce"}),
        };
        let found = drift(recipe, &live);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].fix.starts_with("remove Manage user data via APIs"),
            "{found:?}"
        );
        assert_eq!(found[1].label, "IP Relaxation");
        assert_eq!(
            (found[1].live.as_str(), found[1].wanted.as_str()),
            ("Enforce IP restrictions", "Relax IP restrictions")
        );
        assert_eq!(
            found[1].fix,
            "set IP Relaxation to Relax IP restrictions on the Policies tab (or run apply again)"
        );
        assert!(quoted("x' OR '1'='1").is_err());
    }

    #[test]
    fn any_text_becomes_one_soql_literal() {
        assert_eq!(
            soql_text("Minimum Access - API Only Integrations"),
            "'Minimum Access - API Only Integrations'"
        );
        // A quote can't end the literal early, nor a backslash escape the closing quote.
        assert_eq!(soql_text(r"k'ey\"), r"'k\'ey\\'");
    }
}
