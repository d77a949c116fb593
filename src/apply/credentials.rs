//! The consumer key and secret of a deployed app, read through Connect REST's OAuth
//! credentials resources (reference/deploy-and-mcp-apis.md §C): the app's id from the usage
//! list, its consumer, then `part=keyandsecret`. The secret needs the org setting "Allow access
//! to External Client App consumer secrets via REST API"; `secret_access_zip` turns it on or off.

use crate::net::SendLogged;
use serde_json::Value;

use crate::apply::session::Session;
use crate::oauth::client::{Failure, parse_error, read_body, transport_detail};
use crate::secret::Secret;
use crate::terminal_safe::terminal_safe;

/// What the org gave.
pub enum Read {
    Both {
        key: String,
        secret: Secret,
    },
    /// The org doesn't allow reading secrets over REST; the key came alone.
    KeyOnly {
        key: String,
    },
}

async fn get(http: &reqwest::Client, session: &Session, url: &str) -> Result<Value, Failure> {
    call(http, session, reqwest::Method::GET, url, None).await
}

/// One Connect REST call with the admin's token; a 204 is `Null`.
pub(crate) async fn call(
    http: &reqwest::Client,
    session: &Session,
    method: reqwest::Method,
    url: &str,
    body: Option<Value>,
) -> Result<Value, Failure> {
    let mut request = http
        .request(method, url)
        .bearer_auth(session.token.expose());
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request
        .send_logged()
        .await
        .map_err(|e| Failure::Transport(transport_detail(&e)))?;
    if response.status().as_u16() == 204 {
        return Ok(Value::Null);
    }
    let status = response.status().as_u16();
    let text = read_body(response).await?;
    if (200..300).contains(&status) {
        serde_json::from_str(&text).map_err(|_| Failure::Status(status))
    } else {
        Err(parse_error(status, &text))
    }
}

/// The hardis test for "the setting is off" (§C.4): the code or the words.
pub(crate) fn secrets_off(failure: &Failure) -> bool {
    match failure {
        Failure::OAuth {
            error, description, ..
        } => {
            error == "FUNCTIONALITY_NOT_ENABLED"
                || ["not currently enabled", "feature is not enabled"]
                    .iter()
                    .any(|m| description.contains(m))
        }
        _ => false,
    }
}

/// The app's id and its consumer's credentials URL (`.../credentials/{app}/{consumer}`).
pub async fn consumer_url(
    http: &reqwest::Client,
    session: &Session,
    api_version: &str,
    api_name: &str,
) -> anyhow::Result<String> {
    let base = format!(
        "{}/services/data/v{api_version}/apps/oauth",
        session.instance_url
    );
    let refused = |what: &str, f: Failure| {
        let d = f.diagnose(
            crate::salesforce::diagnosis::Phase::Rest,
            crate::salesforce::diagnosis::Window::After,
        );
        anyhow::anyhow!("reading {what} failed: {}", d.message)
    };
    let usage = get(http, session, &format!("{base}/usage"))
        .await
        .map_err(|f| refused("the apps", f))?;
    let app_id = usage["apps"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["developerName"] == api_name)
        .and_then(|a| a["identifier"].as_str())
        .ok_or_else(|| anyhow::anyhow!("{api_name} isn't in the org's OAuth usage list"))?
        .to_string();
    let consumers = get(http, session, &format!("{base}/credentials/{app_id}"))
        .await
        .map_err(|f| refused("the app's consumer", f))?;
    let consumer = consumers["consumers"][0]["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("{api_name} has no OAuth consumer"))?;
    Ok(format!("{base}/credentials/{app_id}/{consumer}"))
}

/// The key and (when allowed) the secret of the app `api_name`.
pub async fn read(
    http: &reqwest::Client,
    session: &Session,
    api_version: &str,
    api_name: &str,
) -> anyhow::Result<Read> {
    let refused = |what: &str, f: Failure| {
        let d = f.diagnose(
            crate::salesforce::diagnosis::Phase::Rest,
            crate::salesforce::diagnosis::Window::After,
        );
        anyhow::anyhow!("reading {what} failed: {}", d.message)
    };
    let url = consumer_url(http, session, api_version, api_name).await?;
    match get(http, session, &format!("{url}?part=keyandsecret")).await {
        Ok(both) => {
            let key = terminal_safe(both["key"].as_str().unwrap_or_default());
            match both["secret"].as_str().filter(|s| !s.is_empty()) {
                Some(secret) if !key.is_empty() => Ok(Read::Both {
                    key,
                    secret: Secret::new(secret.to_string()),
                }),
                // "200 but no key/secret" counts as the setting being off (§C.4).
                _ => key_only(http, session, &url).await,
            }
        }
        Err(failure) if secrets_off(&failure) => key_only(http, session, &url).await,
        Err(failure) => Err(refused("the consumer key and secret", failure)),
    }
}

async fn key_only(http: &reqwest::Client, session: &Session, url: &str) -> anyhow::Result<Read> {
    let answer = get(http, session, &format!("{url}?part=key"))
        .await
        .map_err(|f| {
            anyhow::anyhow!(
                "reading the consumer key failed: {}",
                f.diagnose(
                    crate::salesforce::diagnosis::Phase::Rest,
                    crate::salesforce::diagnosis::Window::After,
                )
                .message
            )
        })?;
    let key = answer["key"]
        .as_str()
        .filter(|k| !k.is_empty())
        .ok_or_else(|| anyhow::anyhow!("the org didn't give the consumer key"))?;
    Ok(Read::KeyOnly {
        key: terminal_safe(key),
    })
}
