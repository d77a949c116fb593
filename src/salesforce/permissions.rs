//! System permissions, editions and custom-scope names: what a recipe may name for the
//! integration user's permission set, the admin's prerequisites and the profiles it clones.
//!
//! Each permission is Setup's label beside its API name. The API name is the
//! `PermissionSet.userPermissions` `<name>` the Metadata API takes and, prefixed with
//! `Permissions`, the boolean field of `PermissionSet`, `Profile` and `UserPermissionAccess`
//! ("the user permissions for the current user", Object Reference; queried as
//! `SELECT PermissionsModifyAllData, PermissionsModifyMetadata FROM UserPermissionAccess` by
//! Jetstream and as `SELECT Permissions<name> FROM UserPermissionAccess` by Salesforce's
//! OrgCheck). Labels are Setup's System Permissions page.

/// One system permission: Setup's label and the API name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SystemPermission {
    pub label: &'static str,
    pub api: &'static str,
}

const fn p(label: &'static str, api: &'static str) -> SystemPermission {
    SystemPermission { label, api }
}

/// The system permissions recipes may name. `ViewSetup` is View Setup and Configuration
/// (REST API guide, Limits); `ModifyMetadata` is the label Setup shows for Modify Metadata
/// Through Metadata API Functions.
pub const SYSTEM_PERMISSIONS: &[SystemPermission] = &[
    p("API Enabled", "ApiEnabled"),
    p("View Setup and Configuration", "ViewSetup"),
    p("Customize Application", "CustomizeApplication"),
    p("Manage Users", "ManageUsers"),
    p("View All Users", "ViewAllUsers"),
    p("Assign Permission Sets", "AssignPermissionSets"),
    p(
        "Manage Profiles and Permission Sets",
        "ManageProfilesPermissionsets",
    ),
    p("Modify All Data", "ModifyAllData"),
    p("View All Data", "ViewAllData"),
    p(
        "Modify Metadata Through Metadata API Functions",
        "ModifyMetadata",
    ),
    p("Author Apex", "AuthorApex"),
    p("Run Reports", "RunReports"),
    p("Export Reports", "ExportReport"),
    p("View Roles and Role Hierarchy", "ViewRoles"),
    // API-only users (the Salesforce API Integration license grants it; see licenses.rs).
    p("API Only User", "ApiUserOnly"),
    // API Access Control (field-facts-2026.md): a user with it may use any connected app.
    p("Use Any API Client", "UseAnyApiClient"),
    // External Client Apps (reference/deploy-and-mcp-apis.md §A, eca-setup-and-metadata.md).
    p(
        "Create, edit, and delete External Client Apps",
        "ExternalClientAppDeveloper",
    ),
    p(
        "View all External Client Apps, view their settings, and edit their policies",
        "ExternalClientAppAdmin",
    ),
    p("View Client Secret", "ViewClientSecret"),
    // Packaging guide: installing (and uninstalling) a package; the API name as permission set
    // files carry it.
    p("Download AppExchange Packages", "InstallPackaging"),
];

/// Permissions Salesforce turns on with another ("Permission X depends on permission(s): Y"
/// when a deploy leaves them out): Customize Application needs View Setup and Configuration,
/// Modify All Data needs View All Data, Manage Users needs View Setup and Configuration and
/// View All Users. Setup ticks them itself; a permission set file must carry them. The list is
/// what Setup's permission dependencies show for these; UNCONFIRMED as complete
/// (docs/unconfirmed.md).
pub const DEPENDS_ON: &[(&str, &[&str])] = &[
    ("CustomizeApplication", &["ViewSetup"]),
    ("ModifyAllData", &["ViewAllData"]),
    ("ManageUsers", &["ViewSetup", "ViewAllUsers"]),
    ("ManageProfilesPermissionsets", &["ViewSetup"]),
    ("ModifyMetadata", &["ViewSetup"]),
];

/// `apis` with every permission they depend on, each once, in a stable order.
pub fn with_dependencies(apis: &[&'static str]) -> Vec<&'static str> {
    let mut all: Vec<&'static str> = Vec::new();
    let mut queue: Vec<&'static str> = apis.to_vec();
    while let Some(api) = queue.pop() {
        if all.contains(&api) {
            continue;
        }
        all.push(api);
        if let Some((_, needs)) = DEPENDS_ON.iter().find(|(a, _)| *a == api) {
            queue.extend(needs.iter().copied());
        }
    }
    all.sort_unstable();
    all
}

/// The permission with Setup's label `label` (case-insensitive).
pub fn by_label(label: &str) -> Option<&'static SystemPermission> {
    SYSTEM_PERMISSIONS
        .iter()
        .find(|p| p.label.eq_ignore_ascii_case(label.trim()))
}

/// The permission with API name `api`.
pub fn by_api(api: &str) -> Option<&'static SystemPermission> {
    SYSTEM_PERMISSIONS.iter().find(|p| p.api == api)
}

/// Every label, for "did you mean" and the reference.
pub fn labels() -> Vec<&'static str> {
    SYSTEM_PERMISSIONS.iter().map(|p| p.label).collect()
}

/// Salesforce editions a prerequisite may name, as Setup > Company Information shows the
/// "Organization Edition": those External Client Apps can be created in (Salesforce Help
/// "OAuth Custom Scopes", xcloud.remoteaccess_oauth_customscopes.htm, Required Editions:
/// Group, Essentials, Professional, Enterprise, Performance, Unlimited and Developer).
pub const EDITIONS: &[&str] = &[
    "Group",
    "Essentials",
    "Professional",
    "Enterprise",
    "Performance",
    "Unlimited",
    "Developer",
];

/// A custom scope's name: an OauthCustomScope `developerName` and `masterLabel` ("must be
/// unique and begin with a letter ... alphanumeric characters and underscores only ... no
/// spaces", Metadata API OauthCustomScope), at most 80 characters (field reference: Name 80).
pub fn check_custom_scope_name(name: &str) -> Result<(), String> {
    let starts = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    let chars = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !starts || !chars || name.len() > 80 {
        return Err(format!(
            "custom scope name '{name}' must begin with a letter and hold only letters, digits and '_' (at most 80)"
        ));
    }
    Ok(())
}

/// A custom scope's description: "must be unique, can only include alphanumeric characters,
/// and can be up to 60 characters long" (Metadata API OauthCustomScope). Spaces are taken as
/// allowed (the docs' own example has them).
pub fn check_custom_scope_description(description: &str) -> Result<(), String> {
    let chars = description
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ');
    if description.trim().is_empty() || !chars || description.chars().count() > 60 {
        return Err(format!(
            "custom scope description '{description}' must be letters, digits and spaces, 1 to 60 characters"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_api_names_are_each_unique() {
        for (i, a) in SYSTEM_PERMISSIONS.iter().enumerate() {
            for b in &SYSTEM_PERMISSIONS[i + 1..] {
                assert_ne!(a.label, b.label);
                assert_ne!(a.api, b.api);
            }
        }
        assert_eq!(
            by_label("customize application").map(|p| p.api),
            Some("CustomizeApplication")
        );
    }

    #[test]
    fn dependencies_come_along() {
        assert_eq!(
            with_dependencies(&["ManageUsers"]),
            ["ManageUsers", "ViewAllUsers", "ViewSetup"]
        );
        for (api, needs) in DEPENDS_ON {
            assert!(by_api(api).is_some());
            assert!(needs.iter().all(|n| by_api(n).is_some()));
        }
    }

    #[test]
    fn custom_scope_names_follow_the_metadata_rules() {
        assert!(check_custom_scope_name("order_status").is_ok());
        assert!(check_custom_scope_name("1order").is_err());
        assert!(check_custom_scope_name("order status").is_err());
        assert!(check_custom_scope_description("Read order status").is_ok());
        assert!(check_custom_scope_description("Read: orders").is_err());
    }
}
