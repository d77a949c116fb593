//! The integration user made over REST (reference/deploy-and-mcp-apis.md §D): the Salesforce
//! Integration license's profile, a free permission set license checked first, the user, the
//! license assigned, and after the deploy the app's permission set.

use serde_json::json;

use crate::apply::credentials::call;
use crate::apply::live::{query, quoted, soql_text};
use crate::apply::session::Session;
use crate::oauth::client::Failure;
use crate::salesforce::licenses::{INTEGRATION_PROFILE, INTEGRATION_PSL};

/// What creating the user needs, read before anything changes.
pub struct Ready {
    profile_id: String,
    license_id: String,
}

/// Checks the profile exists, a license is free and the username is not taken here.
pub async fn check(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
    username: &str,
) -> anyhow::Result<Ready> {
    let profiles = query(
        http,
        session,
        version,
        &format!(
            "SELECT Id FROM Profile WHERE Name = {}",
            soql_text(INTEGRATION_PROFILE)
        ),
    )
    .await?;
    let profile_id = profiles
        .first()
        .and_then(|p| p["Id"].as_str())
        .ok_or_else(|| anyhow::anyhow!("the org has no profile {INTEGRATION_PROFILE}: its edition lacks the Salesforce Integration user license; create the user yourself and pass --run-as"))?
        .to_string();
    let licenses = query(http, session, version, &format!("SELECT Id, TotalLicenses, UsedLicenses FROM PermissionSetLicense WHERE DeveloperName = {}", quoted(INTEGRATION_PSL)?)).await?;
    let license = licenses.first().ok_or_else(|| {
        anyhow::anyhow!("the org has no Salesforce API Integration permission set license")
    })?;
    let (total, used) = (
        license["TotalLicenses"].as_u64().unwrap_or(0),
        license["UsedLicenses"].as_u64().unwrap_or(0),
    );
    if used >= total {
        anyhow::bail!(
            "no free Salesforce Integration user license ({used} of {total} used): deactivate an integration user you no longer need, or add licenses, then apply again"
        );
    }
    if crate::apply::live::active_user(http, session, version, username)
        .await?
        .is_some()
    {
        anyhow::bail!("{username} already exists in this org: pass --run-as {username} instead");
    }
    Ok(Ready {
        profile_id,
        license_id: license["Id"].as_str().unwrap_or_default().to_string(),
    })
}

fn refused(what: &str, failure: Failure) -> anyhow::Error {
    match &failure {
        Failure::OAuth { error, .. } if error == "DUPLICATE_USERNAME" => anyhow::anyhow!(
            "{what}: that username is taken (usernames are unique across every Salesforce org); choose another"
        ),
        Failure::OAuth { error, .. } if error == "LICENSE_LIMIT_EXCEEDED" => {
            anyhow::anyhow!("{what}: no free Salesforce Integration user license")
        }
        _ => {
            let d = failure.diagnose(
                crate::salesforce::diagnosis::Phase::Rest,
                crate::salesforce::diagnosis::Window::After,
            );
            anyhow::anyhow!("{what}: {}", d.message)
        }
    }
}

/// Creates the user and assigns the license; returns the user's id.
pub async fn create(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
    ready: &Ready,
    username: &str,
    email: &str,
) -> anyhow::Result<String> {
    let base = format!("{}/services/data/v{version}/sobjects", session.instance_url);
    let alias: String = username
        .split('@')
        .next()
        .unwrap_or("integ")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    let user = json!({
        "Username": username, "LastName": "Integration", "FirstName": "API",
        "Alias": if alias.is_empty() { "integ".to_string() } else { alias },
        "Email": email, "ProfileId": ready.profile_id,
        "TimeZoneSidKey": "GMT", "LocaleSidKey": "en_US",
        "EmailEncodingKey": "UTF-8", "LanguageLocaleKey": "en_US",
    });
    let created = call(
        http,
        session,
        reqwest::Method::POST,
        &format!("{base}/User"),
        Some(user),
    )
    .await
    .map_err(|f| refused("creating the user", f))?;
    let id = crate::terminal_safe::terminal_safe(
        created["id"]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("creating the user: the answer has no id"))?,
    );
    // The license first: without it the permission set can't be assigned (§D).
    let assign = json!({"AssigneeId": id, "PermissionSetLicenseId": ready.license_id});
    call(
        http,
        session,
        reqwest::Method::POST,
        &format!("{base}/PermissionSetLicenseAssign"),
        Some(assign),
    )
    .await
    .map_err(|f| refused("assigning the Salesforce API Integration license", f))?;
    Ok(id)
}

/// Assigns the permission set `name` (deployed with the app) to the user: true when assigned
/// now, false when the user had it.
pub async fn assign(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
    user_id: &str,
    name: &str,
) -> anyhow::Result<bool> {
    let sets = query(
        http,
        session,
        version,
        &format!(
            "SELECT Id FROM PermissionSet WHERE Name = {}",
            quoted(name)?
        ),
    )
    .await?;
    let set_id = sets
        .first()
        .and_then(|s| s["Id"].as_str())
        .ok_or_else(|| anyhow::anyhow!("the permission set {name} isn't in the org"))?;
    // Assigned once: a second assignment is refused (DUPLICATE_VALUE), so read first (§D).
    let held = query(
        http,
        session,
        version,
        &format!(
            "SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = {} AND PermissionSetId = {}",
            quoted(user_id)?,
            quoted(set_id)?
        ),
    )
    .await?;
    if !held.is_empty() {
        return Ok(false);
    }
    let base = format!("{}/services/data/v{version}/sobjects", session.instance_url);
    let assign = json!({"AssigneeId": user_id, "PermissionSetId": set_id});
    call(
        http,
        session,
        reqwest::Method::POST,
        &format!("{base}/PermissionSetAssignment"),
        Some(assign),
    )
    .await
    .map_err(|f| refused("assigning the permission set", f))?;
    Ok(true)
}
