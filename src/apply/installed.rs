//! What an org has of a vendor's package, read through the Tooling API before apply installs
//! it: the version the recipe names, another version of the same package (which apply won't
//! upgrade or downgrade), and an install an earlier apply requested and stopped following.
//! Sources: Tooling API InstalledSubscriberPackage (`SubscriberPackageId`,
//! `SubscriberPackageVersion.Id`; the Salesforce CLI's `package installed list` query),
//! SubscriberPackageVersion (queried by its 04t `Id`, with `InstallationKey` for a protected
//! package, as forcedotcom/packaging `getInstallationStatus` does) and PackageInstallRequest
//! (supports Query; `Status` ERROR/IN_PROGRESS/SUCCESS/UNKNOWN).

use serde_json::Value;

use crate::apply::install::answer;
use crate::apply::session::Session;
use crate::net::SendLogged;
use crate::oauth::client::transport_detail;
use crate::salesforce::packaging::PackageVersionId;
use crate::secret::Secret;

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

/// Rows of a Tooling API query; `what` names the read in an error.
async fn tooling_query(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
    soql: &str,
    what: &str,
) -> anyhow::Result<Vec<Value>> {
    let url = format!(
        "{}/services/data/v{version}/tooling/query",
        session.instance_url
    );
    let response = http
        .get(&url)
        .query(&[("q", soql)])
        .bearer_auth(session.token.expose())
        .send_logged()
        .await
        .map_err(|e| anyhow::anyhow!("{what}: {}", transport_detail(&e)))?;
    let body = answer(response, what).await?;
    Ok(body["records"].as_array().cloned().unwrap_or_default())
}

/// Every package version the org has installed.
pub async fn all(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
) -> anyhow::Result<Vec<Installed>> {
    let rows = tooling_query(
        http,
        session,
        version,
        "SELECT SubscriberPackageId, SubscriberPackageVersion.Id, SubscriberPackageVersion.Name FROM InstalledSubscriberPackage",
        "the installed packages couldn't be read",
    )
    .await?;
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
    crate::terminal_safe::terminal_safe(value.as_str().unwrap_or_default())
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
    // The key goes in the query as the CLI sends it; the debug log writes paths, not queries.
    let mut soql = format!(
        "SELECT SubscriberPackageId FROM SubscriberPackageVersion WHERE Id = '{}'",
        id.as_str()
    );
    if let Some(key) = key {
        soql.push_str(&format!(
            " AND InstallationKey = '{}'",
            soql_quoted(key.expose())
        ));
    }
    let rows = tooling_query(
        http,
        session,
        version,
        &soql,
        "the package version couldn't be looked up",
    )
    .await?;
    let Some(package) = rows.first().and_then(|r| r["SubscriberPackageId"].as_str()) else {
        return Ok(None);
    };
    Ok(installed.into_iter().find(|i| i.package == package))
}

/// A SOQL string literal's content: backslashes and quotes escaped.
fn soql_quoted(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\'', "\\'")
}

/// An install of this version the org is still running (a request apply made before and
/// stopped following), so a second one isn't requested: its id, if any.
pub async fn running(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
    id: &PackageVersionId,
) -> anyhow::Result<Option<String>> {
    // Filtered here, not in SOQL: which of the request's fields a WHERE may use is not
    // documented for every one of them.
    let rows = tooling_query(
        http,
        session,
        version,
        "SELECT Id, Status, SubscriberPackageVersionKey FROM PackageInstallRequest",
        "the org's install requests couldn't be read",
    )
    .await?;
    Ok(rows
        .iter()
        .filter(|r| r["Status"].as_str() == Some("IN_PROGRESS"))
        .filter(|r| {
            r["SubscriberPackageVersionKey"]
                .as_str()
                .is_some_and(|key| id.same(key))
        })
        .find_map(|r| r["Id"].as_str().and_then(record_id)))
}

/// A record id (15 or 18 letters and digits), nothing else: it goes into a URL's path.
pub(crate) fn record_id(text: &str) -> Option<String> {
    (matches!(text.len(), 15 | 18) && text.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| text.to_string())
}
