//! The Metadata API's REST deploy (reference/deploy-and-mcp-apis.md §B.1-B.2): POST the options
//! and the zip as multipart, then poll until the job is done, reporting each status.

use crate::net::SendLogged;
use std::time::Duration;

use serde_json::{Value, json};

use crate::apply::session::Session;
use crate::oauth::client::{parse_error, read_body, transport_detail, unread};
use crate::terminal_safe::terminal_safe;

/// One component the deploy refused, in Salesforce's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentFailure {
    pub file: String,
    pub kind: String,
    pub name: String,
    pub problem: String,
}

impl ComponentFailure {
    /// What to do about it, for the failures Salesforce is known to report in these words
    /// (the table of texts and their sources: `salesforce::deploy_failures::HINTS`); None when
    /// only Salesforce's words can say.
    pub fn fix(&self) -> Option<&'static str> {
        crate::salesforce::deploy_failures::hint(&self.kind, &self.problem).map(|h| h.fix)
    }

    /// Whether Salesforce refused it for a Run As user the org doesn't have (its words don't
    /// name the user).
    pub fn is_missing_run_as(&self) -> bool {
        use crate::salesforce::deploy_failures::{RUN_AS_HINT, hint};
        hint(&self.kind, &self.problem) == Some(&RUN_AS_HINT)
    }
}

/// How a deploy ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployed {
    pub id: String,
    /// `Succeeded`, `Failed`, `Canceled`, ...
    pub status: String,
    pub success: bool,
    pub components: usize,
    pub failures: Vec<ComponentFailure>,
    /// The deploy's own error, when it failed as a whole.
    pub error: Option<String>,
    /// The components it created or changed (DeployMessage `created`/`changed`; package.xml
    /// left out).
    pub changed: Vec<String>,
    /// The components it said, in so many words, it neither created nor changed.
    pub unchanged: Vec<String>,
}

impl Deployed {
    /// The deploy that wasn't needed: the org holds it all already.
    pub fn nothing() -> Self {
        Deployed {
            id: String::new(),
            status: "Unchanged".into(),
            success: true,
            components: 0,
            failures: Vec::new(),
            error: None,
            changed: Vec::new(),
            unchanged: Vec::new(),
        }
    }

    /// Whether the org already held each of `files` as deployed: a check-only deploy that
    /// says so of every one (a component it leaves out, or a flag it omits, is not proof)
    /// shows a real deploy would change nothing.
    pub fn changes_nothing(&self, files: &[&str]) -> bool {
        self.success
            && self.failures.is_empty()
            && self.changed.is_empty()
            && files.iter().all(|f| self.unchanged.iter().any(|u| u == f))
    }
}

/// Polls end after this many (a real deploy of an app takes seconds).
const MAX_POLLS: u32 = 120;

/// Starts the deploy and waits for it; `progress` hears each status.
pub async fn deploy(
    http: &reqwest::Client,
    session: &Session,
    api_version: &str,
    zip: Vec<u8>,
    check_only: bool,
    poll_every: Duration,
    progress: &mut (dyn FnMut(&str) + Send),
) -> anyhow::Result<Deployed> {
    let base = format!(
        "{}/services/data/v{api_version}/metadata/deployRequest",
        session.instance_url
    );
    let boundary = format!("eca-wizard-{}", crate::emulator::ids::random_base62(24));
    // No `testLevel`: production orgs refuse `NoTestRun` (field-facts-2026.md, "Test level in
    // production"), and with no test level and no Apex in the package (apply deploys none) no
    // tests run in any org (Metadata API Developer Guide, "Running Tests in a Deployment").
    let options = json!({"deployOptions": {
        "checkOnly": check_only, "singlePackage": true, "rollbackOnError": true,
        "ignoreWarnings": false,
    }});
    let body = multipart(&boundary, &options, &zip);
    let response = http
        .post(&base)
        .bearer_auth(session.token.expose())
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send_logged()
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "the deploy request didn't reach {}: {}",
                session.instance_url,
                transport_detail(&e)
            )
        })?;
    let started = read(response).await?;
    let id = terminal_safe(
        started["id"]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("the deploy answer has no id"))?,
    );
    progress("Pending");
    for _ in 0..MAX_POLLS {
        tokio::time::sleep(poll_every).await;
        let response = http
            .get(format!("{base}/{id}?includeDetails=true"))
            .bearer_auth(session.token.expose())
            .send_logged()
            .await
            .map_err(|e| anyhow::anyhow!("polling the deploy failed: {}", transport_detail(&e)))?;
        let answer = read(response).await?;
        let result = &answer["deployResult"];
        let status = terminal_safe(result["status"].as_str().unwrap_or("Unknown"));
        progress(&status);
        if result["done"].as_bool() == Some(true) {
            return Ok(Deployed {
                id,
                success: result["success"].as_bool() == Some(true),
                components: result["numberComponentsTotal"].as_u64().unwrap_or(0) as usize,
                failures: failures(&result["details"]["componentFailures"]),
                changed: states(&result["details"]["componentSuccesses"], true),
                unchanged: states(&result["details"]["componentSuccesses"], false),
                error: result["errorMessage"].as_str().map(terminal_safe),
                status,
            });
        }
    }
    anyhow::bail!(
        "the deploy {id} wasn't done after {MAX_POLLS} polls; see Setup > Deployment Status"
    )
}

fn multipart(boundary: &str, options: &Value, zip: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"json\"\r\nContent-Type: application/json\r\n\r\n{options}\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"deploy.zip\"\r\nContent-Type: application/zip\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(zip);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

async fn read(response: reqwest::Response) -> anyhow::Result<Value> {
    let status = response.status().as_u16();
    let text = read_body(response)
        .await
        .map_err(|f| anyhow::anyhow!("the deploy answer couldn't be read: {}", unread(f)))?;
    if !(200..300).contains(&status) {
        let failure = parse_error(status, &text);
        let diagnosis = failure.diagnose(
            crate::salesforce::diagnosis::Phase::Rest,
            crate::salesforce::diagnosis::Window::After,
        );
        anyhow::bail!("Salesforce refused the deploy: {}", diagnosis.message);
    }
    serde_json::from_str(&text).map_err(|_| anyhow::anyhow!("the deploy answer isn't JSON"))
}

/// `componentFailures` and `componentSuccesses` are an object or an array (§B.2).
fn messages(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items.clone(),
        Value::Object(_) => vec![value.clone()],
        _ => Vec::new(),
    }
}

/// The files a deploy created or changed (`changed`), or said it did neither (`!changed`, both
/// flags present and false); booleans may come as strings (SOAP heritage, SDR's
/// `BooleanString`).
fn states(value: &Value, changed: bool) -> Vec<String> {
    let is = |v: &Value, b: bool| v == &Value::Bool(b) || v == if b { "true" } else { "false" };
    messages(value)
        .iter()
        .filter(|m| m["fileName"] != "package.xml")
        .filter(|m| {
            let (created, edited) = (&m["created"], &m["changed"]);
            if changed {
                is(created, true) || is(edited, true)
            } else {
                is(created, false) && is(edited, false)
            }
        })
        .map(|m| terminal_safe(m["fileName"].as_str().unwrap_or_default()))
        .collect()
}

fn failures(value: &Value) -> Vec<ComponentFailure> {
    let list = messages(value);
    let text = |v: &Value, key: &str| terminal_safe(v[key].as_str().unwrap_or_default());
    list.iter()
        .map(|f| ComponentFailure {
            file: text(f, "fileName"),
            kind: text(f, "componentType"),
            name: text(f, "fullName"),
            problem: text(f, "problem"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_or_changed_components_are_counted_in_either_shape() {
        let array = json!([
            {"fileName": "package.xml", "changed": true, "created": false},
            {"fileName": "externalClientApps/A.eca", "changed": "false", "created": "false"},
            {"fileName": "extlClntAppOauthSettings/A_oauth.ecaOauth", "changed": "true", "created": "false"},
        ]);
        assert_eq!(
            states(&array, true),
            ["extlClntAppOauthSettings/A_oauth.ecaOauth"]
        );
        assert_eq!(states(&array, false), ["externalClientApps/A.eca"]);
        let one = json!({"fileName": "permissionsets/P.permissionset", "changed": false, "created": true});
        assert_eq!(states(&one, true), ["permissionsets/P.permissionset"]);
        // A flag left out proves nothing either way.
        let silent = json!({"fileName": "x", "created": false});
        assert!(states(&silent, true).is_empty() && states(&silent, false).is_empty());
        let mut check = Deployed::nothing();
        check.unchanged = vec!["a".into()];
        assert!(check.changes_nothing(&["a"]));
        assert!(!check.changes_nothing(&["a", "b"]), "b wasn't mentioned");
    }
}
