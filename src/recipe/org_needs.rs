//! What format 2 adds about the org and its people: prerequisites the admin (or the org) needs
//! before the first step, profiles to clone beside the permission set, and OAuth custom scopes
//! the app is given. Their types, and the loader's rules about them.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::recipe::check::{Findings, at};
use crate::recipe::model::{Recipe, SettingValue};
use crate::salesforce::permissions::{self, EDITIONS};
use crate::salesforce::settings::{self, SettingKey};

/// What kind of thing a prerequisite is, which decides how it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrerequisiteKind {
    /// A system permission the admin running the setup holds: `apply` checks it with the
    /// admin's own session (UserPermissionAccess) before any change.
    AdminPermission,
    /// An org-wide setting (API Access Control, "Allow creation of connected apps", ...):
    /// checked by hand, as `how` says.
    OrgSetting,
    /// The org's edition: Setup > Company Information.
    Edition,
    /// A license the org has: Setup > Company Information, or as `how` says.
    License,
    /// Something on the vendor's side (a subscription feature, a client's version): checked
    /// by hand, as `how` says.
    Vendor,
}

impl PrerequisiteKind {
    pub const ALL: [PrerequisiteKind; 5] = [
        PrerequisiteKind::AdminPermission,
        PrerequisiteKind::OrgSetting,
        PrerequisiteKind::Edition,
        PrerequisiteKind::License,
        PrerequisiteKind::Vendor,
    ];

    pub fn id(self) -> &'static str {
        match self {
            PrerequisiteKind::AdminPermission => "admin-permission",
            PrerequisiteKind::OrgSetting => "org-setting",
            PrerequisiteKind::Edition => "edition",
            PrerequisiteKind::License => "license",
            PrerequisiteKind::Vendor => "vendor",
        }
    }
}

/// Something needed before the first step, and how to tell it is there.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Prerequisite {
    pub kind: PrerequisiteKind,
    /// A system permission's Setup label, an edition, a setting's or a license's name.
    pub name: String,
    pub why: String,
    /// How the admin checks it by hand; required except for an admin permission, whose way is
    /// known (`how_to_check`).
    #[serde(default)]
    pub how: Option<String>,
}

impl Prerequisite {
    /// An edition prerequisite's editions: its name lists one, or several the guide accepts
    /// ("Enterprise, Unlimited, Performance, Developer").
    pub fn editions(&self) -> Vec<&str> {
        self.name.split(',').map(str::trim).collect()
    }

    /// The name as shown: an edition list tidied to "A, B, C".
    pub fn shown_name(&self) -> String {
        match self.kind {
            PrerequisiteKind::Edition => self.editions().join(", "),
            _ => self.name.trim().to_string(),
        }
    }

    /// How the admin checks it, in words.
    pub fn how_to_check(&self) -> String {
        match (&self.how, self.kind) {
            (Some(how), _) => how.trim().to_string(),
            (None, PrerequisiteKind::AdminPermission) => format!(
                "Setup > Users > your user > Permission Set Assignments and Profile: {} is checked under System Permissions ('Set it up for me' checks it for you)",
                self.name
            ),
            (None, PrerequisiteKind::Edition) => match self.editions().as_slice() {
                [_] => "Setup > Company Information: Organization Edition".to_string(),
                several => format!(
                    "Setup > Company Information: Organization Edition is one of {}",
                    several.join(", ")
                ),
            },
            (None, _) => String::new(),
        }
    }
}

/// A profile to make by cloning another, with the system permissions to turn on in it.
/// Checklist only: `metadata` and `apply` don't write profiles (see `docs/recipes.md`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileClone {
    /// The profile to clone, as Setup names it (e.g. "Minimum Access - Salesforce").
    pub clone: String,
    /// The new profile's name.
    pub name: String,
    /// System permissions (Setup labels) to turn on in the new profile.
    #[serde(default)]
    pub permissions: Vec<String>,
    #[serde(default)]
    pub why: Option<String>,
}

/// An OAuth custom scope the app is given and requests at connect.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CustomScope {
    /// The scope's name (OauthCustomScope developerName and label): what the token request
    /// asks for.
    pub name: String,
    /// What it lets the app reach (OauthCustomScope description).
    pub description: String,
    /// Listed on the org's OpenID Connect discovery endpoint (isPublic; default false).
    #[serde(default)]
    pub public: bool,
}

/// Where Setup has them: the OAuth Custom Scopes page (Salesforce Help "OAuth Custom Scopes",
/// xcloud.remoteaccess_oauth_customscopes.htm, written for External Client Apps). The button's
/// label and where the app's own list of custom scopes sits are UNCONFIRMED
/// (docs/unconfirmed.md).
pub const CUSTOM_SCOPES_PATH: &[&str] = &["Setup", "OAuth Custom Scopes", "New"];
/// Where the app is given them: its OAuth settings (`commaSeparatedCustomScopes` on the OAuth
/// settings and the OAuth policies, Metadata API).
pub const CUSTOM_SCOPES_ASSIGN_PATH: &[&str] = &[
    "External Client App Manager",
    "the app",
    "Settings",
    "OAuth Settings",
    "Custom Scopes",
];
/// Setup > Users > Profiles, then Clone on the profile to start from (Salesforce Help
/// "Clone Profiles").
pub const PROFILES_PATH: &[&str] = &["Setup", "Users", "Profiles", "the profile", "Clone"];

impl Recipe {
    /// The system permissions (their API names) the integration user's permission set turns
    /// on beyond API Enabled, from the `system-permissions` setting.
    pub fn system_permissions(&self) -> Vec<&'static str> {
        match self.setting_value(SettingKey::SystemPermissions) {
            Some(SettingValue::List(labels)) => labels
                .iter()
                .filter_map(|l| permissions::by_label(l))
                .map(|p| p.api)
                .filter(|api| *api != "ApiEnabled")
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The scopes the token request asks for: the standard ones, then the custom ones.
    pub fn requested_scopes(&self) -> Vec<String> {
        let mut scopes = self.scopes.clone();
        scopes.extend(self.custom_scopes.iter().map(|c| c.name.clone()));
        scopes
    }
}

fn nearest(value: &str, options: &[&str]) -> String {
    crate::recipe::structure::nearest(value, options)
        .map_or(String::new(), |n| format!("; did you mean '{n}'?"))
}

/// Prerequisites: an admin permission or an edition Salesforce has; `how` for the rest; none twice.
pub(crate) fn check_prerequisites(recipe: &Recipe, findings: &mut Findings) {
    let mut seen = HashSet::new();
    for (i, needed) in recipe.prerequisites.iter().enumerate() {
        let loc = format!("prerequisites.{i}");
        if !seen.insert((needed.kind, needed.name.to_ascii_lowercase())) {
            at(
                findings,
                format!("{loc}.name"),
                format!("prerequisite '{}' is listed twice", needed.name),
            );
        }
        match needed.kind {
            PrerequisiteKind::AdminPermission if permissions::by_label(&needed.name).is_none() => {
                at(
                    findings,
                    format!("{loc}.name"),
                    format!(
                        "'{}' is not a system permission eca-wizard knows{}",
                        needed.name,
                        nearest(&needed.name, &permissions::labels())
                    ),
                );
            }
            PrerequisiteKind::Edition => {
                for edition in needed.editions() {
                    if !EDITIONS.contains(&edition) {
                        at(
                            findings,
                            format!("{loc}.name"),
                            format!(
                                "'{edition}' is not an edition ({}){}",
                                EDITIONS.join(", "),
                                nearest(edition, EDITIONS)
                            ),
                        );
                    }
                }
            }
            PrerequisiteKind::OrgSetting | PrerequisiteKind::License | PrerequisiteKind::Vendor
                if needed.how.is_none() =>
            {
                at(
                    findings,
                    format!("{loc}.how"),
                    format!(
                        "prerequisite '{}' needs `how`: where the admin checks it",
                        needed.name
                    ),
                )
            }
            _ => {}
        }
    }
}

/// Profiles: a name and a profile to clone that differ, each name once, known permissions.
pub(crate) fn check_profiles(recipe: &Recipe, findings: &mut Findings) {
    let mut names = HashSet::new();
    for (i, profile) in recipe.profiles.iter().enumerate() {
        let loc = format!("profiles.{i}");
        if profile.name.trim().is_empty() || !names.insert(profile.name.to_ascii_lowercase()) {
            at(
                findings,
                format!("{loc}.name"),
                format!("profile name '{}' must be given, each once", profile.name),
            );
        }
        if profile.clone.trim().is_empty() || profile.clone.eq_ignore_ascii_case(&profile.name) {
            at(
                findings,
                format!("{loc}.clone"),
                "clone names the existing profile to start from, not the new one",
            );
        }
        check_permission_labels(
            &profile.permissions,
            &format!("{loc}.permissions"),
            findings,
        );
    }
}

/// Custom scopes: names and descriptions as the metadata takes them, each once, and no name a
/// standard scope has.
pub(crate) fn check_custom_scopes(recipe: &Recipe, findings: &mut Findings) {
    let mut names = HashSet::new();
    let mut descriptions = HashSet::new();
    for (i, scope) in recipe.custom_scopes.iter().enumerate() {
        let loc = format!("custom_scopes.{i}");
        if let Err(problem) = permissions::check_custom_scope_name(&scope.name) {
            at(findings, format!("{loc}.name"), problem);
        } else if crate::salesforce::scopes::SCOPES
            .iter()
            .any(|s| s.value == scope.name)
        {
            at(
                findings,
                format!("{loc}.name"),
                format!("'{}' is a standard scope: list it in `scopes`", scope.name),
            );
        } else if !names.insert(scope.name.to_ascii_lowercase()) {
            at(
                findings,
                format!("{loc}.name"),
                format!("custom scope '{}' is listed twice", scope.name),
            );
        }
        if let Err(problem) = permissions::check_custom_scope_description(&scope.description) {
            at(findings, format!("{loc}.description"), problem);
        } else if !descriptions.insert(scope.description.to_ascii_lowercase()) {
            // "The custom scope's description must be unique" (Metadata API OauthCustomScope).
            at(
                findings,
                format!("{loc}.description"),
                "custom scope descriptions must differ",
            );
        }
    }
}

/// Every item a known system permission's label.
pub(crate) fn check_permission_labels(labels: &[String], loc: &str, findings: &mut Findings) {
    for label in labels {
        if permissions::by_label(label).is_none() {
            at(
                findings,
                loc,
                format!(
                    "'{label}' is not a system permission eca-wizard knows{}",
                    nearest(label, &permissions::labels())
                ),
            );
        }
    }
}

/// Settings that only mean something together: a validity period needs a refresh policy that
/// takes one; Selected Profiles need admin-approved users.
pub(crate) fn check_setting_pairs(recipe: &Recipe, findings: &mut Findings) {
    for (loc, setting) in crate::recipe::check::settings(recipe) {
        match setting.key {
            SettingKey::RefreshTokenValidity => {
                let policy = match recipe.setting_value(SettingKey::RefreshTokenPolicy) {
                    Some(SettingValue::Text(policy)) => policy.as_str(),
                    _ => "",
                };
                if !settings::REFRESH_POLICY_WITH_PERIOD.contains(&policy) {
                    at(
                        findings,
                        format!("{loc}.key"),
                        format!(
                            "refresh-token-validity needs refresh-token-policy set to \"{}\" or \"{}\"",
                            settings::REFRESH_POLICY_WITH_PERIOD[0],
                            settings::REFRESH_POLICY_WITH_PERIOD[1]
                        ),
                    );
                }
            }
            SettingKey::SelectedProfiles => {
                // The metadata joins them with commas (commaSeparatedProfile).
                if let Some(SettingValue::List(names)) = &setting.value
                    && names.iter().any(|n| n.contains(',') || n.trim().is_empty())
                {
                    at(
                        findings,
                        format!("{loc}.value"),
                        "a selected profile's name is not empty and has no comma",
                    );
                }
                let admin = matches!(
                    recipe.setting_value(SettingKey::PermittedUsers),
                    Some(SettingValue::Text(v)) if v == settings::PERMITTED_ADMIN
                );
                if !admin {
                    at(
                        findings,
                        format!("{loc}.key"),
                        format!(
                            "selected-profiles needs permitted-users set to \"{}\"",
                            settings::PERMITTED_ADMIN
                        ),
                    );
                }
            }
            _ => {}
        }
    }
}
