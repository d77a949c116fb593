//! Rotating an app's consumer key and secret with staged credentials (reference/
//! deploy-and-mcp-apis.md §C.3): stage a new pair and promote it at once, the order the tools
//! that rotate in production use (sfdx-hardis `rotate-credentials`, Infisical's Salesforce
//! rotation: stage, `{"command":"rotate"}`, then use the new pair; no public source shows a
//! staged pair accepted at the token endpoint before its promotion). The old pair stays valid
//! (as `Rotated`) for 30 days, so the caller proves the new one afterwards, with time to
//! propagate. A failure before the promotion deletes the staged pair again, so the old one
//! stays the only one in use.

use serde_json::{Value, json};

use crate::apply::credentials::{call, consumer_url};
use crate::apply::session::Session;
use crate::oauth::client::Failure;
use crate::secret::Secret;

/// A promoted pair.
pub struct Promoted {
    pub key: String,
    pub secret: Secret,
}

/// Where a rotation stopped, and why; the old pair is still the one in use.
#[derive(Debug, thiserror::Error)]
#[error("{step}: {message}")]
pub struct Stopped {
    pub step: &'static str,
    pub message: String,
    /// The org's secret setting is off (the caller may ask to turn it on).
    pub secrets_off: bool,
}

fn stopped(step: &'static str, failure: &Failure) -> Stopped {
    let diagnosis = failure.diagnose(
        crate::salesforce::diagnosis::Phase::Rest,
        crate::salesforce::diagnosis::Window::After,
    );
    Stopped {
        step,
        message: diagnosis.message,
        secrets_off: crate::apply::credentials::secrets_off(failure),
    }
}

/// Stages and promotes. `in_use` is the key the integration uses now: a staged slot holding
/// it is never deleted.
pub async fn rotate(
    http: &reqwest::Client,
    session: &Session,
    api_version: &str,
    api_name: &str,
    in_use: &str,
    replace_staged: bool,
) -> Result<Promoted, Stopped> {
    let url = consumer_url(http, session, api_version, api_name)
        .await
        .map_err(|e| Stopped {
            step: "find the app",
            message: e.to_string(),
            secrets_off: false,
        })?;
    let staged_url = format!("{url}/staged");
    clear_staged_slot(http, session, &staged_url, in_use, replace_staged).await?;
    let (id, key, secret) = stage(http, session, &staged_url).await?;
    promote(http, session, &staged_url, &id, &key).await?;
    Ok(Promoted {
        key,
        secret: Secret::new(secret),
    })
}

/// Empties the staged slot for the new pair. One staged pair per consumer. An earlier
/// rotation's old pair may still be in use somewhere (it stays valid 30 days): deleted only
/// when the admin said so.
async fn clear_staged_slot(
    http: &reqwest::Client,
    session: &Session,
    staged_url: &str,
    in_use: &str,
    replace_staged: bool,
) -> Result<(), Stopped> {
    let slot = call(http, session, reqwest::Method::GET, staged_url, None)
        .await
        .map_err(|f| stopped("read the staged slot", &f))?;
    if let Some(old) = slot["stagedCredentials"].as_array().and_then(|l| l.first()) {
        if old["key"] == in_use {
            return Err(Stopped {
                step: "read the staged slot",
                message: "the staged pair is the one this profile uses: promote or keep it in Setup first".into(),
                secrets_off: false,
            });
        }
        if !replace_staged {
            let state = crate::terminal_safe::terminal_safe(old["state"].as_str().unwrap_or("?"));
            return Err(Stopped {
                step: "read the staged slot",
                message: format!(
                    "the app already has a staged pair ({state}; an earlier rotation's old pair stays valid 30 days and may still be in use): pass --replace-staged to delete it, or delete it in Setup"
                ),
                secrets_off: false,
            });
        }
        let Some(id) = record_id(&old["id"]) else {
            return Err(Stopped {
                step: "read the staged slot",
                message: "the staged pair's id isn't a record id; delete it in Setup".into(),
                secrets_off: false,
            });
        };
        call(
            http,
            session,
            reqwest::Method::DELETE,
            &format!("{staged_url}/{id}"),
            None,
        )
        .await
        .map_err(|f| stopped("delete the earlier staged pair", &f))?;
    }
    Ok(())
}

/// Stages a new pair: its id, key and secret.
async fn stage(
    http: &reqwest::Client,
    session: &Session,
    staged_url: &str,
) -> Result<(String, String, String), Stopped> {
    // hardis saw connection resets without a body: send `{}` (§C.3).
    let created = call(
        http,
        session,
        reqwest::Method::POST,
        staged_url,
        Some(json!({})),
    )
    .await
    .map_err(|f| stopped("stage a new pair", &f))?;
    let staged = created["stagedCredentials"]
        .as_array()
        .and_then(|l| l.first())
        .cloned()
        .unwrap_or(Value::Null);
    // The key becomes the profile's client id and is printed: made terminal-safe like every
    // answer; the id goes into request paths: a record id or nothing.
    let (Some(id), Some(key), Some(secret)) = (
        record_id(&staged["id"]),
        staged["key"]
            .as_str()
            .map(crate::terminal_safe::terminal_safe),
        staged["secret"].as_str().map(String::from),
    ) else {
        // A pair staged without its secret in the answer is not left behind.
        if let Some(id) = record_id(&staged["id"]) {
            let url = format!("{staged_url}/{id}");
            let _ = call(http, session, reqwest::Method::DELETE, &url, None).await;
        }
        return Err(Stopped {
            step: "stage a new pair",
            message: "the answer has no key and secret".into(),
            secrets_off: true,
        });
    };
    Ok((id, key, secret))
}

/// Promotes the staged pair `id` (holding `key`); on failure it is deleted again while it is
/// still the one staged, so the old pair stays the only one in use.
async fn promote(
    http: &reqwest::Client,
    session: &Session,
    staged_url: &str,
    id: &str,
    key: &str,
) -> Result<(), Stopped> {
    let undo = |step: &'static str, message: String| {
        let url = format!("{staged_url}/{id}");
        async move {
            let _ = call(http, session, reqwest::Method::DELETE, &url, None).await;
            Stopped {
                step,
                message,
                secrets_off: false,
            }
        }
    };
    let promote = json!({"command": "rotate"});
    if let Err(f) = call(
        http,
        session,
        reqwest::Method::PATCH,
        &format!("{staged_url}/{id}"),
        Some(promote),
    )
    .await
    {
        let message = stopped("promote the new pair", &f).message;
        // The answer may be lost after the promotion went through: undo only while the slot
        // still holds the new pair, waiting (Active).
        let slot = call(http, session, reqwest::Method::GET, staged_url, None).await;
        let still_staged = slot.as_ref().is_ok_and(|slot| {
            slot["stagedCredentials"]
                .as_array()
                .and_then(|l| l.first())
                .is_some_and(|s| s["key"] == key && s["state"] == "Active")
        });
        if still_staged {
            return Err(undo("promote the new pair", message).await);
        }
        return Err(Stopped {
            step: "promote the new pair",
            message: format!(
                "{message} The outcome is unknown: check the app's Consumer Key and Secret in Setup before rotating again."
            ),
            secrets_off: false,
        });
    }
    Ok(())
}

/// A staged credential's id as it may go into a request path: letters and digits only (its
/// prefix is UNCONFIRMED; no id seen has anything else).
fn record_id(value: &Value) -> Option<String> {
    value
        .as_str()
        .filter(|id| {
            !id.is_empty() && id.len() <= 40 && id.chars().all(|c| c.is_ascii_alphanumeric())
        })
        .map(String::from)
}
