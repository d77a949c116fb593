//! What a deploy decides about who can get a token and how, read back from the files it
//! deploys (not from the recipe), so the plan `apply` prints is what reaches the org: the
//! callbacks, scopes, flows (token exchange and device flow among them), PKCE, the secret
//! requirements, permitted users with their permission sets and profiles, and IP relaxation.

use crate::metadata::File;
use crate::salesforce::settings::{self, Control, SettingKey};

/// The settings shown, in Setup's order.
const SECURITY: &[SettingKey] = &[
    SettingKey::CallbackUrl,
    SettingKey::OauthScopes,
    SettingKey::EnableCodeCredentials,
    SettingKey::EnableClientCredentials,
    SettingKey::PolicyClientCredentials,
    SettingKey::RunAsUser,
    SettingKey::EnableJwtBearer,
    SettingKey::EnableTokenExchange,
    SettingKey::EnableDeviceFlow,
    SettingKey::RequirePkce,
    SettingKey::RequireSecretWebServer,
    SettingKey::RequireSecretRefresh,
    SettingKey::RefreshTokenRotation,
    SettingKey::NamedUserJwt,
    SettingKey::IntrospectAllTokens,
    SettingKey::PermittedUsers,
    SettingKey::SelectedPermissionSets,
    SettingKey::SelectedProfiles,
    SettingKey::IpRelaxation,
    SettingKey::RefreshTokenPolicy,
];

/// One line of the plan: the Setup label and what the deploy sets it to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub key: SettingKey,
    pub label: &'static str,
    pub value: String,
}

/// The security-relevant settings the files set; a setting they leave out is shown with the
/// default Setup gives a new app, or as not set. A setting of a file type the deploy doesn't
/// carry (an installed app's settings, which are the vendor's) isn't the deploy's to show.
pub fn security(files: &[File]) -> Vec<Line> {
    SECURITY
        .iter()
        .filter_map(|key| settings::lookup(*key))
        .filter_map(|info| {
            let (file, element) = info.metadata?.split_once('.')?;
            let suffix = format!(".{file}-meta.xml");
            if !files.iter().any(|f| f.path.ends_with(&suffix)) {
                return None;
            }
            let (element, inverted) = match element.split_once(' ') {
                Some((element, note)) => (element, note == "(inverted)"),
                None => (element, false),
            };
            let found = leaf(files, file, element);
            let value = match (found, info.control) {
                // JWT bearer is on when the app holds a certificate.
                (Some(_), _) if info.key == SettingKey::EnableJwtBearer => "on".to_string(),
                (None, _) if info.key == SettingKey::EnableJwtBearer => "off".to_string(),
                (Some(text), Control::Checkbox) => on_off((text == "true") != inverted),
                (Some(text), Control::Choice(_)) => option_label(info.key, &text),
                (Some(text), _) => text.lines().map(str::trim).collect::<Vec<_>>().join(", "),
                (None, _) => match info.default {
                    Some(default) if info.control == Control::Checkbox => {
                        format!("{} (Setup's default)", on_off(default == "true"))
                    }
                    _ => "not set".to_string(),
                },
            };
            // The Settings tab and the Policies tab both say "Enable Client Credentials Flow".
            let label = match info.key {
                SettingKey::PolicyClientCredentials => "Enable Client Credentials Flow (Policies)",
                _ => info.label,
            };
            Some(Line {
                key: info.key,
                label,
                value,
            })
        })
        .collect()
}

/// The callback URLs the files put in the app, one per line in Setup's box.
pub fn callbacks(files: &[File]) -> Vec<String> {
    leaf(files, "ecaGlblOauth", "callbackUrl")
        .map(|text| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

fn on_off(on: bool) -> String {
    if on { "on" } else { "off" }.to_string()
}

/// A choice's Setup label for the metadata value the file holds.
fn option_label(key: SettingKey, value: &str) -> String {
    settings::option_label(key, value)
        .map_or_else(|| format!("{value} (metadata value)"), str::to_string)
}

/// The text of `element` in the file of type `file` (`ecaGlblOauth`), if it is there.
fn leaf(files: &[File], file: &str, element: &str) -> Option<String> {
    let suffix = format!(".{file}-meta.xml");
    let file = files.iter().find(|f| f.path.ends_with(&suffix))?;
    let doc = roxmltree::Document::parse(&file.contents).ok()?;
    let node = doc
        .root_element()
        .children()
        .find(|n| n.is_element() && n.tag_name().name() == element)?;
    Some(node.text().unwrap_or_default().trim().to_string())
}
