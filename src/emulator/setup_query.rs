//! SOQL over the Setup objects of External Client Apps, and users by username
//! (reference/deploy-and-mcp-apis.md §C.5, §E): `SELECT fields FROM Object [WHERE F = 'v'
//! [AND ...]]` for `ExternalClientApplication`, `ExtlClntAppOauthSettings`,
//! `ExtlClntAppOauthPlcyCnfg` and `User`. Rows come from the apps in force now.

use serde_json::{Map, Value, json};

use crate::emulator::Ctx;
use crate::emulator::credentials::ids_of;
use crate::emulator::http::Reply;
use crate::emulator::org::{App, PermittedUsers, RefreshTokenPolicy, User};
use crate::salesforce::scopes::{SCOPE_COLUMNS, SCOPES};

const OBJECTS: &[&str] = &[
    "ExternalClientApplication",
    "ExtlClntAppOauthSettings",
    "ExtlClntAppOauthPlcyCnfg",
    "User",
    "Profile",
    "PermissionSetLicense",
    "PermissionSet",
    "PermissionSetAssignment",
];

/// The answer to `soql` when it reads one of these objects (User only with a WHERE).
pub fn answer(ctx: &Ctx, soql: &str) -> Option<Reply> {
    let words: Vec<&str> = soql.split_whitespace().collect();
    let upper: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
    let from = upper.iter().position(|w| w == "FROM")?;
    let object = *OBJECTS.iter().find(|o| words.get(from + 1) == Some(*o))?;
    let where_at = upper.iter().position(|w| w == "WHERE");
    if object == "User" && where_at.is_none() {
        return None;
    }
    let field_list = words[1..from].join(" ");
    let fields: Vec<&str> = field_list
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .collect();
    let conditions = match where_at {
        Some(at) => conditions(&words[at + 1..])?,
        None => Vec::new(),
    };
    let rows = rows(ctx, object);
    let mut records = Vec::new();
    for row in rows {
        let matches = conditions.iter().all(|(field, value)| {
            row.get(field).map(|v| match v {
                Value::String(s) => s == value,
                Value::Bool(b) => value == if *b { "true" } else { "false" },
                Value::Number(n) => n.as_u64().is_some_and(|n| value.parse() == Ok(n)),
                _ => false,
            }) == Some(true)
        });
        if !matches {
            continue;
        }
        let mut picked = Map::new();
        for field in &fields {
            let Some(value) = row.get(*field) else {
                let message = format!("No such column '{field}' on entity '{object}'.");
                return Some(Reply::rest_error(400, ("INVALID_FIELD", &message)));
            };
            picked.insert((*field).to_string(), value.clone());
        }
        picked.insert("attributes".into(), json!({"type": object}));
        records.push(Value::Object(picked));
    }
    Some(Reply::json(
        200,
        &json!({"totalSize": records.len(), "done": true, "records": records}),
    ))
}

/// `SELECT Permissions<Name>, ... FROM UserPermissionAccess`: the system permissions of the
/// user the session belongs to, one row ("the user permissions for the current user", Object
/// Reference UserPermissionAccess; queried so by Jetstream and Salesforce's OrgCheck). A field
/// for a permission the emulator doesn't know is refused as Salesforce refuses a column an
/// object lacks.
pub fn permissions_of(ctx: &Ctx, user: &User, soql: &str) -> Option<Reply> {
    let words: Vec<&str> = soql.split_whitespace().collect();
    let from = words.iter().position(|w| w.eq_ignore_ascii_case("FROM"))?;
    if words.get(from + 1) != Some(&"UserPermissionAccess") {
        return None;
    }
    let field_list = words[1..from].join(" ");
    let mut row = Map::new();
    for field in field_list
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        let known = field
            .strip_prefix("Permissions")
            .and_then(crate::salesforce::permissions::by_api);
        let value = match (field, known) {
            ("Id", _) => json!("000000000000000AAA"),
            (_, Some(permission)) => json!(ctx.store.org.has_permission(user, permission.api)),
            _ => {
                let message = format!("No such column '{field}' on entity 'UserPermissionAccess'.");
                return Some(Reply::rest_error(400, ("INVALID_FIELD", &message)));
            }
        };
        row.insert(field.to_string(), value);
    }
    row.insert("attributes".into(), json!({"type": "UserPermissionAccess"}));
    Some(Reply::json(
        200,
        &json!({"totalSize": 1, "done": true, "records": [Value::Object(row)]}),
    ))
}

/// `A = 'x' AND B = true`: equality only, which is all the checks ask.
fn conditions(words: &[&str]) -> Option<Vec<(String, String)>> {
    let text = words.join(" ");
    text.split(" AND ")
        .map(|part| {
            let (field, value) = part.split_once('=')?;
            let value = value.trim();
            let value = value
                .strip_prefix('\'')
                .and_then(|v| v.strip_suffix('\''))
                .unwrap_or(value);
            Some((field.trim().to_string(), value.to_string()))
        })
        .collect()
}

fn rows(ctx: &Ctx, object: &str) -> Vec<Map<String, Value>> {
    if let Some(rows) = crate::emulator::people::rows(&ctx.store.org, object) {
        return rows;
    }
    let apps: Vec<(String, App)> = ctx
        .store
        .apps
        .iter()
        .enumerate()
        // Setup shows what was saved at once; only sign-ins wait for propagation.
        .map(|(i, v)| (ids_of(i).0, v.current.clone()))
        .collect();
    let to_map = |value: Value| match value {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    match object {
        "ExternalClientApplication" => apps
            .iter()
            .map(|(id, app)| {
                to_map(json!({"Id": id, "DeveloperName": app.api_name, "MasterLabel": app.label,
                    "DistributionState": "Local",
                    "OptionsAllowAdminApprovedUsersOnly":
                        app.policies.permitted_users == PermittedUsers::AdminApprovedPreAuthorized}))
            })
            .collect(),
        "ExtlClntAppOauthSettings" => apps
            .iter()
            .map(|(id, app)| {
                let mut row = to_map(json!({"ExternalClientApplicationId": id}));
                row.extend(to_map(scope_columns(app)));
                row
            })
            .collect(),
        "ExtlClntAppOauthPlcyCnfg" => apps
            .iter()
            .map(|(id, app)| {
                let mut row = to_map(json!({"ExternalClientApplicationId": id}));
                row.extend(to_map(policy_columns(app)));
                row
            })
            .collect(),
        _ => ctx
            .store
            .org
            .users
            .iter()
            .map(|u| to_map(json!({"Id": u.id, "Username": u.username, "IsActive": u.active})))
            .collect(),
    }
}

/// The app's `ExtlClntAppOauthSettings` scope columns, as a query reads them.
pub fn scope_columns(app: &App) -> Value {
    let mut row = Map::new();
    for (token, column) in SCOPE_COLUMNS {
        let on = SCOPES
            .iter()
            .filter(|s| s.token == *token)
            .any(|s| app.scopes.iter().any(|v| v == s.value));
        row.insert((*column).to_string(), on.into());
    }
    Value::Object(row)
}

/// The app's `ExtlClntAppOauthPlcyCnfg` columns, as a query reads them.
pub fn policy_columns(app: &App) -> Value {
    let p = &app.policies;
    let (refresh, period, unit) = match p.refresh_token_policy {
        RefreshTokenPolicy::Infinite => ("Infinite", Value::Null, Value::Null),
        RefreshTokenPolicy::Zero => ("Zero", Value::Null, Value::Null),
        RefreshTokenPolicy::SpecificLifetime { hours } => {
            ("SpecificLifetime", json!(hours), json!("Hours"))
        }
        RefreshTokenPolicy::SpecificInactivity { hours } => {
            ("SpecificInactivity", json!(hours), json!("Hours"))
        }
    };
    json!({
        "PermittedUsersPolicyType": match p.permitted_users {
            PermittedUsers::AllSelfAuthorized => "AllSelfAuthorized",
            PermittedUsers::AdminApprovedPreAuthorized => "AdminApprovedPreAuthorized",
        },
        "IpRelaxationPolicyType": p.ip_relaxation.metadata(),
        "RefreshTokenPolicyType": refresh,
        "RefreshTokenValidityPeriod": period,
        "RefreshTokenValidityUnit": unit,
    })
}
