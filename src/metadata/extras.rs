//! What format 2's settings add to the generated project: the token exchange and device flow
//! flags, the refresh token policy with its period, the session timeout, Selected Profiles,
//! the permission set's system permissions, and OAuth custom scopes (their own files, and the
//! app's lists of them). Fields and values: Metadata API ExtlClntAppGlobalOauthSettings,
//! ExtlClntAppOauthConfigurablePolicies, ExtlClntAppOauthSettings, PermissionSet and
//! OauthCustomScope (reference/eca-setup-and-metadata.md §4).

use super::xml::{Node, document, flag, text};
use super::{File, SOURCE};
use crate::recipe::{Recipe, SettingValue};
use crate::salesforce::permissions::with_dependencies;
use crate::salesforce::settings::{self, SettingKey};

/// The refresh token policy's three fields: the recipe's choice with its period (90 days when
/// a period-taking policy has none), or the 365 days new apps get when it says nothing.
pub(super) fn refresh_policy(recipe: &Recipe) -> Vec<Node> {
    let chosen = match recipe.setting_value(SettingKey::RefreshTokenPolicy) {
        Some(SettingValue::Text(label)) => {
            settings::option_value(SettingKey::RefreshTokenPolicy, label)
        }
        _ => None,
    };
    let (kind, default_days) = match chosen {
        Some(kind @ ("Infinite" | "Zero")) => return vec![text("refreshTokenPolicyType", kind)],
        Some(kind) => (kind, 90),
        None => ("SpecificLifetime", 365),
    };
    let (period, unit) = match recipe.setting_value(SettingKey::RefreshTokenValidity) {
        Some(SettingValue::Text(period)) => {
            settings::parse_period(period).unwrap_or((default_days, "Days"))
        }
        _ => (default_days, "Days"),
    };
    vec![
        text("refreshTokenPolicyType", kind),
        text("refreshTokenValidityPeriod", period.to_string()),
        text("refreshTokenValidityUnit", unit),
    ]
}

/// `sessionTimeoutInMinutes`, when the recipe sets one.
pub(super) fn session_timeout(recipe: &Recipe) -> Option<Node> {
    match recipe.setting_value(SettingKey::SessionTimeout) {
        Some(SettingValue::Number(minutes)) => {
            Some(text("sessionTimeoutInMinutes", minutes.to_string()))
        }
        _ => None,
    }
}

/// `commaSeparatedProfile`: the Selected Profiles (profile Names, as tools pass them;
/// reference §4.5).
pub(super) fn selected_profiles(recipe: &Recipe) -> Option<Node> {
    match recipe.setting_value(SettingKey::SelectedProfiles) {
        Some(SettingValue::List(profiles)) if !profiles.is_empty() => {
            Some(text("commaSeparatedProfile", profiles.join(",")))
        }
        _ => None,
    }
}

/// `commaSeparatedCustomScopes`, on the OAuth settings and the OAuth policies alike.
pub(super) fn custom_scopes(recipe: &Recipe) -> Option<Node> {
    (!recipe.custom_scopes.is_empty()).then(|| {
        let names: Vec<&str> = recipe
            .custom_scopes
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        text("commaSeparatedCustomScopes", names.join(","))
    })
}

/// The permission set's `userPermissions`: API Enabled, the recipe's system permissions and
/// what they depend on, in name order as a retrieve lists them.
pub(super) fn user_permissions(recipe: &Recipe) -> Vec<Node> {
    let mut wanted = vec!["ApiEnabled"];
    wanted.extend(recipe.system_permissions());
    with_dependencies(&wanted)
        .into_iter()
        .map(|name| {
            Node::Nested(
                "userPermissions",
                vec![flag("enabled", true), text("name", name)],
            )
        })
        .collect()
}

/// One `.oauthcustomscope` file per custom scope (folder `oauthcustomscopes`).
pub(super) fn custom_scope_files(recipe: &Recipe) -> Vec<File> {
    recipe
        .custom_scopes
        .iter()
        .map(|scope| File {
            path: format!(
                "{SOURCE}/oauthcustomscopes/{}.oauthcustomscope-meta.xml",
                scope.name
            ),
            contents: document(
                "OauthCustomScope",
                &[
                    text("description", scope.description.clone()),
                    text("developerName", scope.name.clone()),
                    flag("isProtected", false),
                    flag("isPublic", scope.public),
                    text("masterLabel", scope.name.clone()),
                ],
            ),
        })
        .collect()
}
