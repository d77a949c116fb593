//! Users, licenses and permission sets as `apply` creates them over REST
//! (reference/deploy-and-mcp-apis.md §D): `POST /sobjects/User`, `PermissionSetLicenseAssign`
//! and `PermissionSetAssignment`, answered `{"id","success":true,"errors":[]}` (201) or
//! `[{"message","errorCode","fields"}]` (400); and the Profile, PermissionSetLicense and
//! PermissionSet rows the lookups read.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::emulator::Ctx;
use crate::emulator::http::{Reply, Req};
use crate::emulator::ids;
use crate::emulator::org::{ObjectAccess, Org, PermissionSetDef, User};

use crate::salesforce::licenses::{INTEGRATION_PROFILE, INTEGRATION_PSL};

const PROFILES: &[&str] = &[INTEGRATION_PROFILE, "System Administrator", "Standard User"];

fn profile_id(i: usize) -> String {
    ids::to_18(&format!("00e5g{:010}", i + 1))
}
fn psl_id() -> String {
    ids::to_18("0PL5g0000000001")
}
fn permission_set_id(i: usize) -> String {
    ids::to_18(&format!("0PS5g{:010}", i + 1))
}

/// Adds or replaces a permission set definition; users holding it get what it grants.
pub fn define(org: &mut Org, set: PermissionSetDef) {
    match org.permission_sets.iter_mut().find(|s| s.name == set.name) {
        Some(existing) => *existing = set,
        None => org.permission_sets.push(set),
    }
}

fn used_licenses(org: &Org) -> usize {
    org.users.iter().filter(|u| u.integration_user).count()
}

fn to_map(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Rows for the lookups (`Profile`, `PermissionSetLicense`, `PermissionSet`, and
/// `PermissionSetAssignment`, which apply reads first to assign only once: §D).
pub fn rows(org: &Org, object: &str) -> Option<Vec<Map<String, Value>>> {
    Some(match object {
        "Profile" => PROFILES
            .iter()
            .enumerate()
            .map(|(i, name)| to_map(json!({"Id": profile_id(i), "Name": name})))
            .collect(),
        "PermissionSetLicense" => vec![to_map(json!({
            "Id": psl_id(), "DeveloperName": INTEGRATION_PSL,
            "MasterLabel": "Salesforce API Integration", "Status": "Active",
            "TotalLicenses": org.integration_licenses, "UsedLicenses": used_licenses(org),
        }))],
        "PermissionSet" => org
            .permission_sets
            .iter()
            .enumerate()
            .map(|(i, s)| to_map(json!({"Id": permission_set_id(i), "Name": s.name})))
            .collect(),
        "PermissionSetAssignment" => org
            .users
            .iter()
            .flat_map(|u| {
                u.permission_sets.iter().filter_map(move |name| {
                    let i = org.permission_sets.iter().position(|s| &s.name == name)?;
                    Some((u, i))
                })
            })
            .enumerate()
            .map(|(n, (u, i))| {
                to_map(json!({"Id": ids::to_18(&format!("0Pa5g{:010}", n + 1)),
                    "AssigneeId": u.id, "PermissionSetId": permission_set_id(i)}))
            })
            .collect(),
        _ => return None,
    })
}

fn error(code: &str, message: &str, fields: &[&str]) -> Reply {
    Reply::json(
        400,
        &json!([{"message": message, "errorCode": code, "fields": fields}]),
    )
}

/// An id that names nothing in the org, in the field that held it.
fn bad_reference(field: &str) -> Reply {
    error(
        "INVALID_CROSS_REFERENCE_KEY",
        "invalid cross reference id",
        &[field],
    )
}

fn created(id: &str) -> Reply {
    Reply::json(201, &json!({"id": id, "success": true, "errors": []}))
}

/// `POST /sobjects/{object}` for the three objects `apply` writes.
pub fn create(ctx: &mut Ctx, req: &Req, object: &str) -> Option<Reply> {
    let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
    let text = |key: &str| body[key].as_str().unwrap_or_default().to_string();
    Some(match object {
        "User" => {
            const REQUIRED: &[&str] = &[
                "Username",
                "LastName",
                "Alias",
                "Email",
                "ProfileId",
                "TimeZoneSidKey",
                "LocaleSidKey",
                "EmailEncodingKey",
                "LanguageLocaleKey",
            ];
            let missing: Vec<&str> = REQUIRED
                .iter()
                .copied()
                .filter(|k| text(k).is_empty())
                .collect();
            if !missing.is_empty() {
                return Some(error(
                    "REQUIRED_FIELD_MISSING",
                    &format!("Required fields are missing: [{}]", missing.join(", ")),
                    &missing,
                ));
            }
            let org = &ctx.store.org;
            if org.user(&text("Username")).is_some() {
                // Usernames are unique across all orgs; the text is UNCONFIRMED.
                return Some(error(
                    "DUPLICATE_USERNAME",
                    "Duplicate Username.",
                    &["Username"],
                ));
            }
            let Some(profile) = (0..PROFILES.len()).find(|i| profile_id(*i) == text("ProfileId"))
            else {
                return Some(bad_reference("ProfileId"));
            };
            let integration = PROFILES[profile] == INTEGRATION_PROFILE;
            if integration && used_licenses(org) >= org.integration_licenses as usize {
                return Some(error(
                    "LICENSE_LIMIT_EXCEEDED",
                    "License Limit Exceeded",
                    &[],
                ));
            }
            let id = ids::user_id(org.users.len() as u64 + 100);
            ctx.store.org.users.push(User {
                id: id.clone(),
                username: text("Username"),
                password: crate::emulator::org::DEMO_PASSWORD.into(),
                email: text("Email"),
                first_name: text("FirstName"),
                last_name: text("LastName"),
                active: true,
                // The Minimum Access profile grants nothing: API Enabled comes from a set.
                api_enabled: !integration,
                knowledge_user: false,
                integration_user: integration,
                objects: BTreeMap::new(),
                permission_sets: Vec::new(),
                integration_psl: false,
                admin: false,
                view_setup: false,
                profile: Some(PROFILES[profile].to_string()),
                without_permissions: Vec::new(),
            });
            created(&id)
        }
        "PermissionSetLicenseAssign" => {
            let assignee = text("AssigneeId");
            let Some(user) = ctx.store.org.users.iter_mut().find(|u| u.id == assignee) else {
                return Some(bad_reference("AssigneeId"));
            };
            if text("PermissionSetLicenseId") != psl_id() {
                return Some(bad_reference("PermissionSetLicenseId"));
            }
            user.integration_psl = true;
            created(&ids::to_18(&format!(
                "2LA5g{:010}",
                ctx.store.org.users.len()
            )))
        }
        "PermissionSetAssignment" => {
            let sets = &ctx.store.org.permission_sets;
            let Some(set) = (0..sets.len())
                .find(|i| permission_set_id(*i) == text("PermissionSetId"))
                .map(|i| sets[i].clone())
            else {
                return Some(bad_reference("PermissionSetId"));
            };
            let assignee = text("AssigneeId");
            let Some(user) = ctx.store.org.users.iter_mut().find(|u| u.id == assignee) else {
                return Some(bad_reference("AssigneeId"));
            };
            if user.integration_user && !user.integration_psl {
                // The license first (§D: "The user license doesn't allow the permission").
                return Some(error(
                    "FIELD_INTEGRITY_EXCEPTION",
                    "The user license doesn't allow the permission: API Enabled",
                    &["PermissionSetId"],
                ));
            }
            if user.permission_sets.contains(&set.name) {
                return Some(error(
                    "DUPLICATE_VALUE",
                    "Duplicate PermissionSetAssignment",
                    &["PermissionSetId"],
                ));
            }
            user.permission_sets.push(set.name.clone());
            user.api_enabled |= set.api_enabled;
            for object in &set.objects {
                user.objects.insert(object.clone(), ObjectAccess::READ);
            }
            created(&ids::to_18(&format!(
                "0Pa5g{:010}",
                user.permission_sets.len()
            )))
        }
        _ => return None,
    })
}
