//! Format 2's package install path: the vendor ships the External Client App in a package, the
//! admin installs it (an `install-package` step) instead of creating the app, then edits the
//! installed app's policies. The `[package]` table, and the loader's rule about it: the id's
//! form, and no step or setting that would change what the vendor's package carries.

use serde::{Deserialize, Serialize};

use crate::recipe::check::{Findings, at, settings};
use crate::recipe::model::{Recipe, StepKind};
use crate::salesforce::packaging::{self, PackageVersionId};

/// The package that carries the vendor's app.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// The package version id (`04t`, 15 or 18 characters): the install link's `p0`.
    pub version_id: String,
    /// The package's name as the installer shows it.
    pub name: String,
    /// Who publishes it.
    pub publisher: String,
    /// The installed app's API name in the subscriber org (with the package's namespace
    /// prefix, `acme__Acme_Connector`, when it has one).
    pub app: String,
    /// The vendor gives an installation key (a password) with the link.
    #[serde(default)]
    pub install_key: bool,
}

impl Package {
    /// The id, checked (the loader refuses a recipe whose id is malformed, so this holds).
    pub fn id(&self) -> Option<PackageVersionId> {
        PackageVersionId::parse(&self.version_id).ok()
    }
}

/// Steps that make or change what the package carries; none belongs in a package recipe.
const VENDOR_KINDS: &[StepKind] = &[
    StepKind::BasicInfo,
    StepKind::OauthSettings,
    StepKind::Flows,
    StepKind::Security,
];

/// The rule `package`: see `RULES`.
pub(crate) fn check_package(recipe: &Recipe, findings: &mut Findings) {
    let install_step = recipe
        .steps
        .iter()
        .position(|s| s.kind == StepKind::InstallPackage);
    let Some(package) = &recipe.package else {
        if let Some(i) = install_step {
            at(
                findings,
                format!("steps.{i}.kind"),
                "an install-package step needs a [package] table naming the package",
            );
        }
        return;
    };
    if let Err(problem) = PackageVersionId::parse(&package.version_id) {
        at(findings, "package.version_id", problem);
    }
    if let Err(problem) = crate::salesforce::naming::check_api_name(
        package.app.rsplit("__").next().unwrap_or(&package.app),
        &package.name,
    ) {
        at(findings, "package.app", problem.to_string());
    }
    if install_step.is_none() {
        at(
            findings,
            "steps",
            "a recipe with [package] has an install-package step (where the admin installs it)",
        );
    }
    for (i, step) in recipe.steps.iter().enumerate() {
        if VENDOR_KINDS.contains(&step.kind) {
            at(
                findings,
                format!("steps.{i}.kind"),
                format!(
                    "step '{}' ({}) changes the app, which {} ships in its package: a subscriber org edits only the installed app's policies; did you mean a policies step?",
                    step.id,
                    step.kind.id(),
                    package.publisher
                ),
            );
        }
    }
    for (loc, setting) in settings(recipe) {
        if packaging::subscriber_may_set(setting.key) {
            continue;
        }
        let hint = packaging::subscriber_equivalent(setting.key)
            .map_or(String::new(), |k| format!("; did you mean '{}'?", k.id()));
        at(
            findings,
            format!("{loc}.key"),
            format!(
                "'{}' is set by {} in the packaged app; a subscriber org can't change it on the installed app{hint}",
                setting.key.id(),
                package.publisher
            ),
        );
    }
}

/// Whether the recipe installs a package instead of creating the app.
pub fn installs(recipe: &Recipe) -> bool {
    recipe.package.is_some()
}

/// The install link in the admin's org, from the login URL they gave (My Domain, or
/// login/test.salesforce.com as vendors publish it); None until the org is known.
pub fn install_link(package: &Package, login_url: Option<&str>) -> Option<String> {
    let id = package.id()?;
    let host = crate::salesforce::hosts::normalize_login_url(login_url?).ok()?;
    Some(packaging::install_url(&host.host.to_string(), &id))
}
