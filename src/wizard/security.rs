//! The review's list of security-relevant settings: the same lines `apply --dry-run` prints,
//! read back from the metadata the setup's answers make (`metadata::summary::security`, one
//! source for both), and for a local recipe, which of them differ from what Setup gives a new
//! app, since a shared recipe file can carry a public client, no PKCE or relaxed IPs unseen.

use crate::metadata::{self, summary};
use crate::recipe::Role;
use crate::salesforce::settings::{self, Control};
use crate::wizard::model::{Model, Setup};

/// Stands in for the certificate the checklist uploads: only its presence matters here (JWT
/// bearer is on when the app holds one), and the review reads no file.
const CERTIFICATE_STAND_IN: &str = "(the certificate file)";

/// One line of the list, and whether the setting differs from Setup's default for a new app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityLine {
    pub line: summary::Line,
    pub not_default: bool,
}

impl Model {
    /// The security settings the setup's app gets, or why they can't be worked out yet.
    pub fn security(&self) -> Option<Result<Vec<SecurityLine>, String>> {
        let setup = self.setup.as_ref()?;
        Some(
            metadata::generate(setup.recipe, &options(setup))
                .map(|files| {
                    summary::security(&files)
                        .into_iter()
                        .map(|line| SecurityLine {
                            not_default: differs(&line),
                            line,
                        })
                        .collect()
                })
                .map_err(|e| e.to_string()),
        )
    }
}

/// The metadata options the answers give, as "Set it up for me" builds them, without reading
/// the certificate.
fn options(setup: &Setup) -> metadata::Options {
    let answer = |role: Role| setup.answer_for(role).map(String::from);
    metadata::Options {
        name: answer(Role::ApiName),
        label: answer(Role::AppName),
        contact_email: answer(Role::ContactEmail),
        callback_urls: answer(Role::CallbackUrls)
            .map(|u| u.split_whitespace().map(String::from).collect())
            .unwrap_or_default(),
        // Before the user step is answered: client credentials still shows its settings.
        run_as: answer(Role::IntegrationUsername).or_else(|| Some("(the integration user)".into())),
        permission_set: answer(Role::PermissionSet),
        certificate: setup
            .recipe
            .field_for(Role::Certificate)
            .map(|_| CERTIFICATE_STAND_IN.to_string()),
        ..metadata::Options::default()
    }
}

/// Whether the value differs from the default Setup gives a new app (settings without a
/// default, such as callbacks and scopes, are the recipe's own and never marked).
fn differs(line: &summary::Line) -> bool {
    let Some(info) = settings::lookup(line.key) else {
        return false;
    };
    let Some(default) = info.default else {
        return false;
    };
    if line.value.ends_with("(Setup's default)") {
        return false;
    }
    match info.control {
        Control::Checkbox => {
            let on = if default == "true" { "on" } else { "off" };
            line.value != on
        }
        Control::Choice(_) => line.value != default,
        _ => false,
    }
}
