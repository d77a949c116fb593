//! What a deploy's components must hold beyond their shape, as Salesforce refuses them: the
//! system permissions a permission set names and those they depend on, a session timeout and a
//! refresh token period, OAuth custom scopes (their own components, and the names an app's
//! settings list). Each refusal is one component failure, as the deploy reports it.

use crate::emulator::deploy_zip::Component;
use crate::emulator::org::{CustomScopeDef, RefreshTokenPolicy};
use crate::salesforce::permissions::{self, DEPENDS_ON};
use crate::salesforce::settings::SESSION_TIMEOUT_MINUTES;

/// A permission set's user permissions: each one Salesforce has (the table eca-wizard knows;
/// "Unknown user permission" otherwise), with what it depends on.
pub(super) fn user_permissions_problem(c: &Component) -> Option<String> {
    let named: Vec<&str> = c
        .leaves
        .keys()
        .filter_map(|k| k.strip_prefix("userPermission:"))
        .collect();
    for name in &named {
        if permissions::by_api(name).is_none() {
            // The Metadata API's wording for a permission name it doesn't have (UNCONFIRMED
            // exact text, docs/unconfirmed.md).
            return Some(format!("Unknown user permission: {name}"));
        }
    }
    for (name, needs) in DEPENDS_ON {
        if !named.contains(name) {
            continue;
        }
        let missing: Vec<&str> = needs
            .iter()
            .filter(|n| !named.contains(n))
            .filter_map(|n| permissions::by_api(n).map(|p| p.label))
            .collect();
        if !missing.is_empty() {
            let label = permissions::by_api(name).map_or(*name, |p| p.label);
            return Some(format!(
                "Permission {label} depends on permission(s): {}",
                missing.join(", ")
            ));
        }
    }
    None
}

/// `sessionTimeoutInMinutes`: absent, or one of the values Setup offers.
pub(super) fn session_timeout(c: &Component) -> Result<Option<u64>, String> {
    let Some(value) = c.leaves.get("sessionTimeoutInMinutes") else {
        return Ok(None);
    };
    match value.parse::<u32>() {
        Ok(minutes) if SESSION_TIMEOUT_MINUTES.contains(&minutes) => Ok(Some(u64::from(minutes))),
        _ => Err(format!(
            "Invalid value for sessionTimeoutInMinutes: {value}"
        )),
    }
}

/// The refresh token policy with its period, in hours; a period-taking policy needs a period
/// of at least 1 (an unset one is the 365 days Setup gives new apps).
pub(super) fn refresh_policy(c: &Component) -> Result<RefreshTokenPolicy, String> {
    let hours = || -> Result<u64, String> {
        let period =
            match c.leaves.get("refreshTokenValidityPeriod") {
                None => 365,
                Some(text) => text.parse::<u64>().ok().filter(|p| *p > 0).ok_or_else(|| {
                    format!("Invalid value for refreshTokenValidityPeriod: {text}")
                })?,
            };
        match c.leaves.get("refreshTokenValidityUnit").map(String::as_str) {
            Some("Hours") => Ok(period),
            Some("Months") => Ok(period * 30 * 24),
            None | Some("Days") => Ok(period * 24),
            Some(other) => Err(format!(
                "Invalid value for refreshTokenValidityUnit: {other}"
            )),
        }
    };
    Ok(
        match c.leaves.get("refreshTokenPolicyType").map(String::as_str) {
            Some("Zero") => RefreshTokenPolicy::Zero,
            Some("SpecificLifetime") => RefreshTokenPolicy::SpecificLifetime { hours: hours()? },
            Some("SpecificInactivity") => {
                RefreshTokenPolicy::SpecificInactivity { hours: hours()? }
            }
            None | Some("Infinite") => RefreshTokenPolicy::Infinite,
            Some(other) => {
                return Err(format!("Invalid value for refreshTokenPolicyType: {other}"));
            }
        },
    )
}

/// An OauthCustomScope component: the required fields, as the metadata reference words them
/// (description unique, alphanumeric, at most 60; developerName and masterLabel required).
pub(super) fn custom_scope(c: &Component) -> Result<CustomScopeDef, String> {
    let field = |name: &str| c.leaves.get(name).filter(|v| !v.is_empty()).cloned();
    let description =
        field("description").ok_or("Required field is missing: description".to_string())?;
    let name = field("developerName").unwrap_or_else(|| c.name.clone());
    if field("masterLabel").is_none() {
        return Err("Required field is missing: masterLabel".into());
    }
    permissions::check_custom_scope_name(&name)?;
    permissions::check_custom_scope_description(&description)?;
    Ok(CustomScopeDef { name, description })
}

/// The names of `commaSeparatedCustomScopes`, each a custom scope the org has or the deploy
/// makes.
pub(super) fn listed_custom_scopes(
    c: &Component,
    known: &[CustomScopeDef],
) -> Result<Vec<String>, String> {
    let Some(list) = c.leaves.get("commaSeparatedCustomScopes") else {
        return Ok(Vec::new());
    };
    let names: Vec<String> = list
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    match names.iter().find(|n| !known.iter().any(|k| &k.name == *n)) {
        // UNCONFIRMED wording (docs/unconfirmed.md).
        Some(unknown) => Err(format!("Custom scope not found: {unknown}")),
        None => Ok(names),
    }
}
