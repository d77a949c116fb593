//! Proving a connection works for the integration at hand: who the token belongs to, which
//! scopes it carries, whether refreshing works the way the integration refreshes, whether the
//! REST API answers, and whether every object the recipe needs can be read. Each check has a
//! typed outcome and, when it fails, a diagnosis naming the setting to change.

mod check_name;
mod mcp;

pub use check_name::{CheckName, ObjectCheck};

use crate::net::SendLogged;
use serde::Serialize;

use crate::oauth::client::{Failure, read_json};
use crate::oauth::{OAuthClient, Tokens};
use crate::recipe::Recipe;
use crate::salesforce::Flow;
use crate::salesforce::diagnosis::{self, Diagnosis, Kind, Phase, Target, Window};
use crate::salesforce::settings::SettingKey;
use crate::secret::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Passed,
    Failed,
    Skipped,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: CheckName,
    pub status: Status,
    pub detail: String,
    #[serde(skip)]
    pub diagnosis: Option<Diagnosis>,
}

impl Check {
    pub fn passed(name: CheckName, detail: impl Into<String>) -> Check {
        Check {
            name,
            status: Status::Passed,
            detail: detail.into(),
            diagnosis: None,
        }
    }
    pub fn skipped(name: CheckName, detail: impl Into<String>) -> Check {
        Check {
            name,
            status: Status::Skipped,
            detail: detail.into(),
            diagnosis: None,
        }
    }
    pub fn failed(name: CheckName, diagnosis: Diagnosis) -> Check {
        Check {
            name,
            status: Status::Failed,
            detail: diagnosis.message.clone(),
            diagnosis: Some(diagnosis),
        }
    }
    pub fn warning(
        name: CheckName,
        detail: impl Into<String>,
        diagnosis: Option<Diagnosis>,
    ) -> Check {
        Check {
            name,
            status: Status::Warning,
            detail: detail.into(),
            diagnosis,
        }
    }
}

/// Who the token turned out to belong to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Identity {
    pub username: String,
    pub user_id: String,
    pub org_id: String,
}

/// What to verify, for which integration.
pub struct Plan<'a> {
    pub recipe: &'a Recipe,
    pub flow: Flow,
    /// The integration user's username, when known: a different user gets a warning.
    pub expected_username: Option<&'a str>,
    /// The hosted MCP server the client will use (MCP recipes).
    pub mcp_url: Option<&'a str>,
}

/// The checks' results and the identity found. A refresh token rotated on the way has already
/// replaced the old one in the caller's `Tokens`.
pub struct Verified {
    pub checks: Vec<Check>,
    pub identity: Option<Identity>,
}

/// Runs every check in order, reporting each as it finishes.
pub async fn verify(
    client: &OAuthClient,
    tokens: &mut Tokens,
    plan: &Plan<'_>,
    report: &mut (dyn FnMut(&Check) + Send),
) -> Verified {
    let mut checks = Vec::new();
    let mut push = |check: Check, checks: &mut Vec<Check>| {
        report(&check);
        checks.push(check);
    };
    let api_base = tokens
        .instance_url
        .clone()
        .unwrap_or_else(|| client.base().to_string());
    let access = tokens.access_token.clone();
    let mcp = plan.recipe.is_mcp();

    // Why the token is opaque, when it is: the MCP server's refusal has the same cause.
    let mut opaque_cause = None;
    if plan.recipe.verifies(crate::recipe::Check::TokenFormat) {
        let format = mcp::token_format(&access, &tokens.scopes());
        opaque_cause.clone_from(&format.diagnosis);
        push(format, &mut checks);
    }
    // An MCP client's token carries no openid scope: who it belongs to comes from the
    // server's getUserInfo below.
    let identity = if mcp {
        None
    } else {
        let (check, found) = identity_check(client, &api_base, &access, plan).await;
        push(check, &mut checks);
        found
    };

    push(scopes_check(tokens, plan), &mut checks);
    let (refresh_token_check, refresh_check) = refresh_checks(client, tokens, plan).await;
    push(refresh_token_check, &mut checks);
    push(refresh_check, &mut checks);

    // The access token of the latest grant (the refresh check may have replaced it).
    let access = tokens.access_token.clone();
    if mcp {
        let found = mcp_checks(client, plan, &access, &mut |check| {
            push(same_cause(check, opaque_cause.as_ref()), &mut checks);
        })
        .await;
        return Verified {
            checks,
            identity: found,
        };
    }
    rest_checks(client, &api_base, &access, plan, &mut |c| {
        push(c, &mut checks)
    })
    .await;
    Verified { checks, identity }
}

/// `identity`: who the token belongs to, warned about when it isn't the integration user.
async fn identity_check(
    client: &OAuthClient,
    api_base: &str,
    access: &Secret,
    plan: &Plan<'_>,
) -> (Check, Option<Identity>) {
    match identity(client, api_base, access).await {
        Ok(found) => {
            let check = match plan.expected_username {
                Some(expected) if !expected.eq_ignore_ascii_case(&found.username) => {
                    Check::warning(
                        CheckName::Identity,
                        format!(
                            "authorized as {}, not the integration user {expected}; the integration will act as {}",
                            found.username, found.username
                        ),
                        None,
                    )
                }
                _ => Check::passed(
                    CheckName::Identity,
                    format!("{} in org {}", found.username, found.org_id),
                ),
            };
            (check, Some(found))
        }
        Err(failure) => (
            Check::failed(
                CheckName::Identity,
                failure.diagnose(Phase::Identity, Window::After),
            ),
            None,
        ),
    }
}

/// `rest_api`, then `object:<Name>` for each object the recipe reads (skipped when the REST
/// API didn't answer).
async fn rest_checks(
    client: &OAuthClient,
    api_base: &str,
    access: &Secret,
    plan: &Plan<'_>,
    push: &mut (dyn FnMut(Check) + Send),
) {
    match rest_api(client, api_base, access).await {
        Ok((version, detail)) => {
            push(Check::passed(CheckName::RestApi, detail));
            for object in plan.recipe.objects() {
                let check = object_check(
                    client,
                    api_base,
                    access,
                    &version,
                    &object.object,
                    object.optional,
                )
                .await;
                push(check);
            }
        }
        Err(failure) => {
            push(Check::failed(
                CheckName::RestApi,
                failure.diagnose(Phase::Rest, Window::After),
            ));
            for object in plan.recipe.objects() {
                push(Check::skipped(
                    CheckName::object(&object.object),
                    "the REST API didn't answer",
                ));
            }
        }
    }
}

/// The MCP server's refusal of an opaque token, told with the cause `token_format` found
/// (the server's own answer names only the usual one, JWT-based tokens left off, which would
/// contradict a diagnosis of `api` beside `mcp_api`).
fn same_cause(check: Check, opaque_cause: Option<&Diagnosis>) -> Check {
    let refused_opaque = check.name == "mcp_server"
        && check.diagnosis.as_ref().is_some_and(|d| {
            matches!(d.error.as_str(), "mcp_invalid_token" | "INVALID_JWT_FORMAT")
        });
    match opaque_cause {
        Some(cause) if refused_opaque => Check {
            detail: format!("The MCP server refused the opaque token. {}", cause.message),
            diagnosis: Some(cause.clone()),
            ..check
        },
        _ => check,
    }
}

/// `mcp_server`, `mcp_call`, then `identity` from the user the server answered for.
async fn mcp_checks(
    client: &OAuthClient,
    plan: &Plan<'_>,
    access: &Secret,
    push: &mut (dyn FnMut(Check) + Send),
) -> Option<Identity> {
    let Some(url) = plan.mcp_url else {
        let diagnosis = Diagnosis::new(
            Kind::Misconfigured,
            "no_mcp_url",
            Some(Target::McpServer),
            "No MCP server URL was given: enter the server's URL (https://api.salesforce.com/platform/mcp/v1/...).",
        );
        push(Check::failed(CheckName::McpServer, diagnosis));
        return None;
    };
    let found = mcp::check(client, url, access, client.base()).await;
    push(found.server);
    push(found.call);
    let identity = found.identity?;
    let check = match plan.expected_username {
        Some(expected) if !expected.eq_ignore_ascii_case(&identity.username) => Check::warning(
            CheckName::Identity,
            format!(
                "authorized as {}, not {expected}; the MCP client will act as {}",
                identity.username, identity.username
            ),
            None,
        ),
        _ => Check::passed(
            CheckName::Identity,
            format!("{} (from the MCP server)", identity.username),
        ),
    };
    push(check);
    Some(identity)
}

async fn get_json(
    client: &OAuthClient,
    url: &str,
    token: &Secret,
) -> Result<serde_json::Value, Failure> {
    let response = client
        .http()
        .get(url)
        .bearer_auth(token.expose())
        .header("Accept", "application/json")
        .send_logged()
        .await;
    let response =
        response.map_err(|e| Failure::Transport(crate::oauth::client::transport_detail(&e)))?;
    read_json(response).await
}

async fn identity(
    client: &OAuthClient,
    api_base: &str,
    token: &Secret,
) -> Result<Identity, Failure> {
    let info = get_json(
        client,
        &format!("{api_base}/services/oauth2/userinfo"),
        token,
    )
    .await?;
    // Identity fields are Salesforce's text: made safe for a terminal here, once.
    let text = |key: &str| {
        crate::terminal_safe::terminal_safe(
            info.get(key).and_then(|v| v.as_str()).unwrap_or_default(),
        )
    };
    Ok(Identity {
        username: text("preferred_username"),
        user_id: text("user_id"),
        org_id: text("organization_id"),
    })
}

fn scopes_check(tokens: &Tokens, plan: &Plan<'_>) -> Check {
    if tokens.scope.is_none() {
        return Check::skipped(
            CheckName::Scopes,
            "the server didn't say which scopes it granted",
        );
    }
    let granted = tokens.scopes();
    let missing: Vec<&str> = plan
        .recipe
        .expected_scopes_in(plan.flow)
        .into_iter()
        .filter(|s| !granted.contains(s))
        .collect();
    if missing.is_empty() {
        return Check::passed(CheckName::Scopes, format!("granted: {}", granted.join(" ")));
    }
    let diagnosis = Diagnosis::new(
        Kind::Misconfigured,
        "missing_scopes",
        Some(Target::Setting(SettingKey::OauthScopes)),
        format!(
            "The token lacks {}: add them to the app's Selected OAuth Scopes.",
            missing.join(", ")
        ),
    );
    Check::failed(CheckName::Scopes, diagnosis)
}

async fn refresh_checks(
    client: &OAuthClient,
    tokens: &mut Tokens,
    plan: &Plan<'_>,
) -> (Check, Check) {
    let expected = plan.recipe.expects_refresh_token_in(plan.flow);
    if !expected {
        let why = format!(
            "the {} flow issues no refresh token for this recipe",
            plan.flow
        );
        return (
            Check::skipped(CheckName::RefreshToken, why.clone()),
            Check::skipped(CheckName::Refresh, why),
        );
    }
    let Some(refresh_token) = tokens.refresh_token.clone() else {
        let diagnosis = Diagnosis::new(
            Kind::Misconfigured,
            "no_refresh_token",
            Some(Target::Setting(SettingKey::OauthScopes)),
            "No refresh token came back: add Perform requests at any time (refresh_token, offline_access) to the app's scopes.",
        );
        let skipped = Check::skipped(CheckName::Refresh, "there is no refresh token to use");
        return (Check::failed(CheckName::RefreshToken, diagnosis), skipped);
    };
    let with_secret = plan.recipe.refresh_needs_secret();
    let how = if with_secret {
        "with the consumer secret"
    } else {
        "without the consumer secret"
    };
    let check = match client.refresh(&refresh_token, with_secret).await {
        Ok(refreshed) => {
            // The latest grant's tokens from here on: with rotation on, the refresh revokes the
            // old refresh token and may end the sessions issued with it.
            tokens.access_token = refreshed.access_token;
            if let Some(rotated) = refreshed.refresh_token {
                tokens.refresh_token = Some(rotated);
            }
            Check::passed(
                CheckName::Refresh,
                format!("refreshed {how}, as this integration does"),
            )
        }
        Err(failure) => Check::failed(
            CheckName::Refresh,
            failure.diagnose(
                Phase::Refresh {
                    secret_sent: with_secret,
                },
                Window::After,
            ),
        ),
    };
    (
        Check::passed(CheckName::RefreshToken, "a refresh token came back"),
        check,
    )
}

/// The newest API version and a line about the daily allowance, with what any API user may
/// read: the versions list, then the version's resource list, whose answer (like every REST
/// answer) carries `Sforce-Limit-Info: api-usage=USED/MAX` (REST API Developer Guide,
/// "Response Headers"). `/limits` is not asked: it needs View Setup and Configuration, which
/// the integration users the guides recommend don't have (field-facts-2026.md).
async fn rest_api(
    client: &OAuthClient,
    api_base: &str,
    token: &Secret,
) -> Result<(String, String), Failure> {
    let versions = get_json(client, &format!("{api_base}/services/data/"), token).await?;
    let version = versions
        .as_array()
        .and_then(|list| list.last())
        .and_then(|v| v.get("version"))
        .and_then(|v| v.as_str())
        .unwrap_or("66.0")
        .to_string();
    let response = client
        .http()
        .get(format!("{api_base}/services/data/v{version}/"))
        .bearer_auth(token.expose())
        .header("Accept", "application/json")
        .send_logged()
        .await
        .map_err(|e| Failure::Transport(crate::oauth::client::transport_detail(&e)))?;
    let usage = response
        .headers()
        .get("Sforce-Limit-Info")
        .and_then(|v| v.to_str().ok())
        .and_then(api_usage);
    read_json::<serde_json::Value>(response).await?;
    let detail = match usage {
        Some((used, max)) => format!(
            "API v{version}; {} of {max} daily requests left",
            max.saturating_sub(used)
        ),
        None => format!("API v{version}"),
    };
    Ok((version, detail))
}

/// `api-usage=USED/MAX` out of a `Sforce-Limit-Info` header (which may list other limits).
fn api_usage(header: &str) -> Option<(u64, u64)> {
    let usage = header
        .split([',', ';'])
        .find_map(|part| part.trim().strip_prefix("api-usage="))?;
    let (used, max) = usage.split_once('/')?;
    Some((used.trim().parse().ok()?, max.trim().parse().ok()?))
}

async fn object_check(
    client: &OAuthClient,
    api_base: &str,
    token: &Secret,
    version: &str,
    object: &str,
    optional: bool,
) -> Check {
    let name = CheckName::object(object);
    let url = format!("{api_base}/services/data/v{version}/sobjects/{object}/describe");
    match get_json(client, &url, token).await {
        Ok(_) => Check::passed(name, format!("{object} can be read")),
        Err(Failure::OAuth { error, .. }) if error == "NOT_FOUND" => {
            let diagnosis = diagnosis::missing_object_access(object);
            if optional {
                Check::warning(
                    name,
                    format!("{object} can't be read (optional for this integration)"),
                    Some(diagnosis),
                )
            } else {
                Check::failed(name, diagnosis)
            }
        }
        Err(failure) => Check::failed(name, failure.diagnose(Phase::Rest, Window::After)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_usage_is_read_from_the_limit_header() {
        assert_eq!(api_usage("api-usage=25/15000"), Some((25, 15000)));
        assert_eq!(
            api_usage("per-app-api-usage=1/100(appName=x), api-usage=7/5000"),
            Some((7, 5000))
        );
        assert_eq!(api_usage("nothing"), None);
    }
}
