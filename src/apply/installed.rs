//! What an org has of a vendor's package, read through the Tooling API before apply installs
//! it: the version the recipe names, another version of the same package (which apply won't
//! upgrade or downgrade), and an install still running (one an earlier apply requested and
//! stopped following, or anyone else's). Sources: Tooling API InstalledSubscriberPackage
//! (`SubscriberPackageId`, `SubscriberPackageVersion.Id`; the Salesforce CLI's `package
//! installed list` query), SubscriberPackageVersion (queried by its 04t `Id`, with
//! `InstallationKey` for a protected package, as forcedotcom/packaging `getInstallationStatus`
//! does) and PackageInstallRequest (supports Query; `Status` ERROR/IN_PROGRESS/SUCCESS/UNKNOWN).

use serde_json::Value;

use crate::apply::live::{Api, query_in, soql_text};
use crate::apply::session::Session;
use crate::commands::output::Refusal;
use crate::salesforce::packaging::PackageVersionId;
use crate::secret::Secret;
use crate::terminal_safe::terminal_safe;

/// What the org has of the recipe's package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Missing,
    This,
    /// Another version of the same package (its id and name), with the recipe's app in it.
    Other(String),
    /// An install of this version the org is running: its request, to wait for.
    Running(String),
}

/// What the org has of package version `id`, or a refusal when installing it now would
/// upgrade, downgrade, or run beside another install. An app already there came with some
/// version.
pub(crate) async fn found(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
    (id, key): (&PackageVersionId, Option<&Secret>),
    (name, app_present): (&str, bool),
) -> anyhow::Result<Found> {
    let all = all(http, session, version).await?;
    if all.iter().any(|i| id.same(&i.version)) {
        return Ok(Found::This);
    }
    // Any other install running stops apply; one of this version is waited for (the newest).
    let running = running(http, session, version).await?;
    if let Some(other) = running.iter().find(|r| !id.same(&r.version)) {
        return Err(Refusal::user_action(
            "package-install-running",
            format!(
                "an install is running in the org (request {}, version {}); apply requests none while another runs; nothing was changed",
                other.request, other.version
            ),
            "Wait for it to end (Setup > Installed Packages shows it), then apply again.",
        )
        .into());
    }
    if let Some(this) = running.into_iter().next() {
        return Ok(Found::Running(this.request));
    }
    Ok(
        match other_version(http, session, version, all, (id, key)).await? {
            Some(other) if app_present => Found::Other(other.described()),
            Some(other) => {
                return Err(Refusal::user_action(
                    "package-other-version",
                    format!(
                        "the org has {name} at another version ({}) without the app the recipe names; apply doesn't upgrade or downgrade an installed package (an upgrade can't be undone); nothing was changed",
                        other.described()
                    ),
                    format!(
                        "Upgrade {name} to the recipe's version yourself (Setup > Installed Packages, or the vendor's install link), then apply again."
                    ),
                )
                .into());
            }
            None if app_present => Found::This,
            None => Found::Missing,
        },
    )
}

/// A package version installed in the org.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    /// The package (033), which all its versions share.
    pub package: String,
    /// The version (04t).
    pub version: String,
    /// The version's name, as the org gives it.
    pub name: String,
}

impl Installed {
    /// The version's id and, when the org gives one, its name.
    pub fn described(&self) -> String {
        format!("{} {}", self.version, self.name).trim().to_string()
    }
}

/// An install the org is running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Running {
    /// The install request (0Hf), checked to be a record id.
    pub request: String,
    /// The version it installs (04t), as the org gives it.
    pub version: String,
}

/// Every package version the org has installed.
pub async fn all(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
) -> anyhow::Result<Vec<Installed>> {
    let rows = query_in(
        http,
        session,
        version,
        Api::Tooling,
        "SELECT SubscriberPackageId, SubscriberPackageVersion.Id, SubscriberPackageVersion.Name FROM InstalledSubscriberPackage",
    )
    .await
    .map_err(|e| e.context("the installed packages couldn't be read"))?;
    Ok(rows
        .iter()
        .map(|r| Installed {
            package: text(&r["SubscriberPackageId"]),
            version: text(&r["SubscriberPackageVersion"]["Id"]),
            name: text(&r["SubscriberPackageVersion"]["Name"]),
        })
        .collect())
}

fn text(value: &Value) -> String {
    terminal_safe(value.as_str().unwrap_or_default())
}

/// Another version of the same package, installed in the org: Some when the recipe's version
/// would be an upgrade or a downgrade of what is there.
pub async fn other_version(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
    installed: Vec<Installed>,
    (id, key): (&PackageVersionId, Option<&Secret>),
) -> anyhow::Result<Option<Installed>> {
    if installed.is_empty() || installed.iter().any(|i| id.same(&i.version)) {
        return Ok(None);
    }
    let mut soql = format!(
        "SELECT SubscriberPackageId FROM SubscriberPackageVersion WHERE Id = '{}'",
        id.as_str()
    );
    // The key goes in the query as the CLI sends it (so it reaches the org's API logs as the
    // CLI's does); the debug log writes paths, never queries, and an error the org words may
    // quote the query, so its words aren't passed on.
    if let Some(key) = key {
        soql.push_str(&format!(
            " AND InstallationKey = {}",
            soql_text(key.expose())
        ));
    }
    let rows = query_in(http, session, version, Api::Tooling, &soql)
        .await
        .map_err(|e| match key {
            Some(_) => anyhow::anyhow!(
                "the package version couldn't be looked up with the installation key (the org's words aren't shown: they may quote the key); check {} and the version id",
                crate::apply::install::INSTALL_KEY_VAR
            ),
            None => e.context("the package version couldn't be looked up"),
        })?;
    let Some(package) = rows.first().and_then(|r| r["SubscriberPackageId"].as_str()) else {
        return Ok(None);
    };
    Ok(installed.into_iter().find(|i| i.package == package))
}

/// The installs the org is running, newest first: the newest requests are read (sorted by the
/// audit field every record has) and filtered here, since which of the request's own fields a
/// WHERE may use is not documented for every one of them.
pub async fn running(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
) -> anyhow::Result<Vec<Running>> {
    let rows = query_in(
        http,
        session,
        version,
        Api::Tooling,
        "SELECT Id, Status, SubscriberPackageVersionKey FROM PackageInstallRequest ORDER BY CreatedDate DESC LIMIT 200",
    )
    .await
    .map_err(|e| e.context("the org's install requests couldn't be read"))?;
    Ok(rows
        .iter()
        .filter(|r| r["Status"].as_str() == Some("IN_PROGRESS"))
        .filter_map(|r| {
            Some(Running {
                request: record_id(r["Id"].as_str()?)?,
                version: text(&r["SubscriberPackageVersionKey"]),
            })
        })
        .collect())
}

/// A record id (15 or 18 letters and digits), nothing else: it goes into a URL's path.
pub(crate) fn record_id(text: &str) -> Option<String> {
    (matches!(text.len(), 15 | 18) && text.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| text.to_string())
}
