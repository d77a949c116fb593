//! What an MCP client will do with the token: open a session on the hosted MCP server
//! (`initialize`, `notifications/initialized`), list its tools, and call `getUserInfo`
//! (reference/deploy-and-mcp-apis.md §F.4). Answers may come as JSON or as an event stream.

use crate::net::SendLogged;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

use crate::oauth::OAuthClient;
use crate::oauth::client::Failure;
use crate::salesforce::diagnosis::{self, Context, Diagnosis, Kind, Phase, Window};
use crate::salesforce::{hosts, mcp as facts};
use crate::secret::Secret;
use crate::terminal_safe::terminal_safe;
use crate::verify::{Check, CheckName, Identity};

/// The protocol revision eca-wizard speaks (reference §F.4).
const PROTOCOL: &str = "2025-06-18";
/// Answers above this are not read (a tool list is a few kilobytes).
const MAX_ANSWER: usize = 1 << 20;

/// An open session with one server.
struct Session<'a> {
    client: &'a OAuthClient,
    url: &'a str,
    token: &'a Secret,
    id: Option<String>,
    next_id: u64,
}

/// Why a request to the server failed.
enum McpFailure {
    /// An HTTP error (the endpoint's 401 and 404 bodies, [F.3]).
    Http(Failure),
    /// A JSON-RPC error.
    Rpc(String),
    /// An answer that isn't JSON-RPC.
    Unreadable,
}

/// What an MCP check's failure is read in: the hosted server, after the app's propagation.
fn mcp_context() -> Context {
    let mut context = Context::new(Phase::Mcp, Window::After);
    context.seen.mcp = true;
    context
}

impl McpFailure {
    fn diagnose(&self) -> Diagnosis {
        let context = mcp_context();
        match self {
            McpFailure::Http(Failure::OAuth {
                error, description, ..
            }) => diagnosis::diagnose_in(&context, error, description),
            McpFailure::Http(other) => other.diagnose(Phase::Mcp, Window::After),
            McpFailure::Rpc(message) => Diagnosis::new(
                Kind::Unknown,
                "mcp_error",
                None,
                format!("The MCP server answered with an error: {message}"),
            ),
            McpFailure::Unreadable => Diagnosis::new(
                Kind::Unknown,
                "mcp_unreadable",
                None,
                "The MCP server's answer wasn't JSON-RPC: check the server URL.",
            ),
        }
    }
}

/// The endpoint's error bodies as codes the rule table knows: `{"errors":[{"message"}]}` with
/// 401 or 404 [F.2, F.3]. The codes are ours; Salesforce shows these as text only.
fn http_failure(status: u16, body: &str) -> McpFailure {
    let message = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| {
            v.pointer("/errors/0/message")
                .and_then(Value::as_str)
                .map(String::from)
        })
        .map(|m| terminal_safe(&m))
        .unwrap_or_default();
    let error = match (status, message.as_str()) {
        (401, facts::NO_TOKEN) => "mcp_no_token",
        (401, _) => "mcp_invalid_token",
        (404, _) => "mcp_server_not_found",
        _ => return McpFailure::Http(Failure::Status(status)),
    };
    McpFailure::Http(Failure::OAuth {
        status,
        error: error.into(),
        description: message,
    })
}

impl<'a> Session<'a> {
    async fn open(
        client: &'a OAuthClient,
        url: &'a str,
        token: &'a Secret,
    ) -> Result<Session<'a>, McpFailure> {
        let mut session = Session {
            client,
            url,
            token,
            id: None,
            next_id: 1,
        };
        let params = json!({
            "protocolVersion": PROTOCOL,
            "capabilities": {},
            "clientInfo": {"name": "eca-wizard", "version": env!("CARGO_PKG_VERSION")},
        });
        session.request("initialize", params).await?;
        session
            .send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await?;
        Ok(session)
    }

    async fn request(&mut self, method: &str, params: Value) -> Result<Value, McpFailure> {
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        let answer = self.send(message).await?;
        if let Some(error) = answer.get("error") {
            let text = error.get("message").and_then(Value::as_str).unwrap_or("?");
            return Err(McpFailure::Rpc(terminal_safe(text)));
        }
        answer.get("result").cloned().ok_or(McpFailure::Unreadable)
    }

    /// Posts one message; a notification's answer (202, no body) is `Null`.
    async fn send(&mut self, message: Value) -> Result<Value, McpFailure> {
        let mut request = self
            .client
            .http()
            .post(self.url)
            .bearer_auth(self.token.expose())
            .header("Accept", "application/json, text/event-stream")
            .json(&message);
        if let Some(id) = &self.id {
            request = request
                .header("Mcp-Session-Id", id)
                .header("MCP-Protocol-Version", PROTOCOL);
        }
        let response = request.send_logged().await.map_err(|e| {
            McpFailure::Http(Failure::Transport(crate::oauth::client::transport_detail(
                &e,
            )))
        })?;
        let status = response.status().as_u16();
        if let Some(id) = response.headers().get("mcp-session-id")
            && let Ok(id) = id.to_str()
        {
            self.id = Some(id.to_string());
        }
        let stream = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"));
        let body = read_capped(response).await?;
        if !(200..300).contains(&status) {
            return Err(http_failure(status, &body));
        }
        if body.trim().is_empty() {
            return Ok(Value::Null);
        }
        parse_answer(&body, stream, message.get("id")).ok_or(McpFailure::Unreadable)
    }
}

async fn read_capped(mut response: reqwest::Response) -> Result<String, McpFailure> {
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| McpFailure::Http(Failure::Transport(e.to_string())))?
    {
        if bytes.len() + chunk.len() > MAX_ANSWER {
            return Err(McpFailure::Unreadable);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The JSON-RPC answer to `id`: the body itself, or the matching `data:` event of a stream.
fn parse_answer(body: &str, stream: bool, id: Option<&Value>) -> Option<Value> {
    if !stream {
        return serde_json::from_str(body).ok();
    }
    body.split("\n\n")
        .filter_map(|event| {
            let data: Vec<&str> = event
                .lines()
                .filter_map(|l| l.strip_prefix("data:"))
                .map(str::trim_start)
                .collect();
            serde_json::from_str::<Value>(&data.join("\n")).ok()
        })
        .find(|message| id.is_none_or(|id| message.get("id") == Some(id)))
}

/// The results of the MCP checks and, from `getUserInfo`, who the token belongs to.
pub struct McpChecks {
    pub server: Check,
    pub call: Check,
    pub identity: Option<Identity>,
}

/// `mcp_server` then `mcp_call`, against the server at `url`.
pub async fn check(client: &OAuthClient, url: &str, token: &Secret, login_base: &str) -> McpChecks {
    if let Err(why) = hosts::check_api_host(url, login_base) {
        let diagnosis = Diagnosis::new(
            Kind::Misconfigured,
            "untrusted_mcp_url",
            Some(diagnosis::Target::McpServer),
            format!(
                "Nothing was sent to the MCP server URL: {why}. Use the api.salesforce.com URL of the server."
            ),
        );
        return skipped_call(Check::failed(CheckName::McpServer, diagnosis));
    }
    // The JWT goes only to a URL of the hosted MCP forms (api.salesforce.com, a custom
    // server's My Domain, or loopback for the emulator).
    let name = match facts::parse_server_url(url) {
        Ok(parsed) => parsed.server,
        Err(why) => {
            let diagnosis = Diagnosis::new(
                Kind::Misconfigured,
                "untrusted_mcp_url",
                Some(diagnosis::Target::McpServer),
                format!("Nothing was sent to the MCP server URL: {why}"),
            );
            return skipped_call(Check::failed(CheckName::McpServer, diagnosis));
        }
    };
    let mut session = match Session::open(client, url, token).await {
        Ok(session) => session,
        Err(failure) => {
            return skipped_call(Check::failed(CheckName::McpServer, failure.diagnose()));
        }
    };
    let tools = match session.request("tools/list", json!({})).await {
        Ok(result) => tool_names(&result),
        Err(failure) => {
            return skipped_call(Check::failed(CheckName::McpServer, failure.diagnose()));
        }
    };
    let server = Check::passed(
        CheckName::McpServer,
        format!(
            "{name} is active: {} tools ({})",
            tools.len(),
            preview(&tools)
        ),
    );
    if !tools.iter().any(|t| t == facts::WHO_AM_I_TOOL) {
        let call = Check::skipped(
            CheckName::McpCall,
            format!("{name} has no {} tool to call", facts::WHO_AM_I_TOOL),
        );
        return McpChecks {
            server,
            call,
            identity: None,
        };
    }
    let params = json!({"name": facts::WHO_AM_I_TOOL, "arguments": {}});
    let (call, identity) = match session.request("tools/call", params).await {
        Ok(result) => who_am_i(&result),
        Err(failure) => (Check::failed(CheckName::McpCall, failure.diagnose()), None),
    };
    McpChecks {
        server,
        call,
        identity,
    }
}

fn skipped_call(server: Check) -> McpChecks {
    McpChecks {
        server,
        call: Check::skipped(CheckName::McpCall, "the MCP server didn't open a session"),
        identity: None,
    }
}

fn tool_names(result: &Value) -> Vec<String> {
    result
        .get("tools")
        .and_then(Value::as_array)
        .map(|tools| {
            tools
                .iter()
                .filter_map(|t| t.get("name").and_then(Value::as_str))
                .map(terminal_safe)
                .collect()
        })
        .unwrap_or_default()
}

fn preview(tools: &[String]) -> String {
    let mut shown: Vec<&str> = tools.iter().take(4).map(String::as_str).collect();
    if tools.len() > 4 {
        shown.push("…");
    }
    shown.join(", ")
}

/// The user `getUserInfo` answered for. Its answer's shape is UNCONFIRMED: the text parts are
/// read as JSON with the identity fields Salesforce uses elsewhere (`username`,
/// `preferred_username`, `user_id`, `organization_id`).
fn who_am_i(result: &Value) -> (Check, Option<Identity>) {
    let text: String = result
        .get("content")
        .and_then(Value::as_array)
        .map(|parts| {
            parts
                .iter()
                .filter_map(|p| p.get("text").and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    if result.get("isError").and_then(Value::as_bool) == Some(true) {
        let diagnosis = Diagnosis::new(
            Kind::Unknown,
            "mcp_tool_error",
            None,
            format!(
                "{} answered with an error: {}",
                facts::WHO_AM_I_TOOL,
                terminal_safe(&text)
            ),
        );
        return (Check::failed(CheckName::McpCall, diagnosis), None);
    }
    let fields = result
        .get("structuredContent")
        .cloned()
        .or_else(|| serde_json::from_str::<Value>(&text).ok())
        .unwrap_or(Value::Null);
    let field = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| fields.get(*k).and_then(Value::as_str))
            .map(terminal_safe)
            .unwrap_or_default()
    };
    let identity = Identity {
        username: field(&["username", "preferred_username", "userName", "Username"]),
        user_id: field(&["user_id", "userId", "Id", "id"]),
        org_id: field(&["organization_id", "organizationId", "orgId"]),
    };
    if identity.username.is_empty() {
        let check = Check::warning(
            CheckName::McpCall,
            format!(
                "{} answered, but its answer names no username",
                facts::WHO_AM_I_TOOL
            ),
            None,
        );
        return (check, None);
    }
    let check = Check::passed(
        CheckName::McpCall,
        format!(
            "{} answered for {}",
            facts::WHO_AM_I_TOOL,
            identity.username
        ),
    );
    (check, Some(identity))
}

/// `token_format`: the access token is a JWT, which hosted MCP servers require [F.3, G].
pub fn token_format(token: &Secret, granted: &[&str]) -> Check {
    let value = token.expose();
    if facts::is_jwt(value) {
        let kid = crate::jwt::peek_header(value)
            .ok()
            .and_then(|h| h.get("tty").and_then(Value::as_str).map(terminal_safe));
        let detail = match kid {
            Some(tty) => format!("a JWT-based access token ({tty})"),
            None => "a JWT-based access token".to_string(),
        };
        return Check::passed(CheckName::TokenFormat, detail);
    }
    let beside = if granted.contains(&"api") && granted.contains(&"mcp_api") {
        "api granted beside mcp_api"
    } else {
        ""
    };
    let context = mcp_context();
    let diagnosis = diagnosis::diagnose_in(&context, "mcp_opaque_token", beside);
    Check::failed(CheckName::TokenFormat, diagnosis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_answer_is_read_by_its_id() {
        let body = "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\n\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"tools\":[]}}\n\n";
        let answer = parse_answer(body, true, Some(&json!(2))).unwrap();
        assert_eq!(answer["result"]["tools"], json!([]));
        assert!(parse_answer("{\"id\":1}", false, Some(&json!(1))).is_some());
    }

    #[test]
    fn the_endpoint_bodies_become_codes_the_table_knows() {
        let body = r#"{"errors":[{"message":"JWT Token is required"}]}"#;
        assert!(
            matches!(http_failure(401, body), McpFailure::Http(Failure::OAuth { error, .. }) if error == "mcp_no_token")
        );
        let body = r#"{"errors":[{"message":"Invalid token"}]}"#;
        assert!(
            matches!(http_failure(401, body), McpFailure::Http(Failure::OAuth { error, .. }) if error == "mcp_invalid_token")
        );
        assert!(
            matches!(http_failure(404, ""), McpFailure::Http(Failure::OAuth { error, .. }) if error == "mcp_server_not_found")
        );
    }

    #[test]
    fn an_opaque_token_is_diagnosed_by_what_was_granted() {
        let opaque = Secret::new("00D000000000001!AQ0AQabc".to_string());
        let check = token_format(&opaque, &["api", "mcp_api", "refresh_token"]);
        assert_eq!(check.status, crate::verify::Status::Failed);
        let target = check.diagnosis.as_ref().and_then(|d| d.target.clone());
        assert_eq!(
            target,
            Some(diagnosis::Target::Setting(
                crate::salesforce::settings::SettingKey::OauthScopes
            ))
        );
        let check = token_format(&opaque, &["mcp_api", "refresh_token"]);
        let target = check.diagnosis.as_ref().and_then(|d| d.target.clone());
        assert_eq!(
            target,
            Some(diagnosis::Target::Setting(
                crate::salesforce::settings::SettingKey::NamedUserJwt
            ))
        );
    }
}
