//! Before apply changes anything: the admin's own system permissions a recipe lists as
//! prerequisites, read with the Salesforce CLI's session from `UserPermissionAccess` (one row:
//! the permissions of the user the session belongs to). A missing one refuses the run, naming
//! it, before the first change (a dry run too: it would fail the same way).

use crate::apply::live;
use crate::apply::session::Session;
use crate::commands::output::Refusal;
use crate::recipe::Recipe;
use crate::recipe::org_needs::PrerequisiteKind;
use crate::salesforce::permissions::{self, SystemPermission};

/// The system permissions the recipe needs its admin to hold: those it lists, and for a
/// packaged app the one that installs packages (apply installs it first).
pub fn admin_permissions(recipe: &Recipe) -> Vec<(&'static SystemPermission, &str)> {
    let mut needed: Vec<(&'static SystemPermission, &str)> = recipe
        .prerequisites
        .iter()
        .filter(|p| p.kind == PrerequisiteKind::AdminPermission)
        .filter_map(|p| permissions::by_label(&p.name).map(|found| (found, p.why.as_str())))
        .collect();
    if recipe.package.is_some()
        && let Some(install) = permissions::by_label(INSTALL_PACKAGES)
        && !needed.iter().any(|(p, _)| p.api == install.api)
    {
        needed.push((install, "apply installs the vendor's package first"));
    }
    needed
}

/// The Setup label of the permission that installs packages (packaging guide).
const INSTALL_PACKAGES: &str = "Download AppExchange Packages";

/// Refuses when the session's user lacks one of the recipe's admin permissions.
pub async fn check_admin(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
    recipe: &Recipe,
) -> anyhow::Result<()> {
    let needed = admin_permissions(recipe);
    if needed.is_empty() {
        return Ok(());
    }
    let fields: Vec<String> = needed
        .iter()
        .map(|(p, _)| format!("Permissions{}", p.api))
        .collect();
    let soql = format!("SELECT {} FROM UserPermissionAccess", fields.join(", "));
    let rows = live::query(http, session, version, &soql).await?;
    let row = rows.first().cloned().unwrap_or_default();
    let missing: Vec<String> = needed
        .iter()
        .zip(&fields)
        .filter(|(_, field)| row[field.as_str()] != serde_json::Value::Bool(true))
        .map(|((p, why), _)| format!("{} ({})", p.label, why.trim()))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Refusal::user_action(
        "admin-permission-missing",
        format!(
            "the user of this Salesforce CLI session lacks what the {} recipe needs before it starts: {}; nothing was changed",
            recipe.id,
            missing.join("; ")
        ),
        "Ask an admin to give you the missing system permissions (a permission set, or your profile), or run apply as an admin who has them, then apply again.",
    )
    .into())
}
