//! The third host, playing `api.salesforce.com`: the hosted MCP endpoint (Streamable HTTP,
//! JSON-RPC) and its discovery documents, plus the authorization-server metadata the login host
//! serves. Facts: reference/deploy-and-mcp-apis.md §F ("[F.n]"); what no source shows is marked
//! UNCONFIRMED where it is decided.

use serde_json::{Value, json};

use crate::emulator::Ctx;
use crate::emulator::http::{HostRole, Reply, Req};
use crate::emulator::org::McpMetadata;
use crate::emulator::store::McpSession;
use crate::emulator::{access_jwt, ids};
use crate::salesforce::mcp::{self as facts, OrgPath, ServerUrl};

/// MCP protocol revisions the emulator speaks; the newest answers anything else.
const PROTOCOLS: &[&str] = &["2025-11-25", "2025-06-18", "2025-03-26"];
/// The beta's scopes, still listed by Salesforce's protected-resource document [F.3].
const BETA_SCOPES: &[&str] = &["api", "sfap_api", "refresh_token", "einstein_gpt_api"];

/// Requests to the MCP host.
pub fn handle(ctx: &mut Ctx, req: &Req) -> Reply {
    let path = req.path.trim_end_matches('/');
    const PRM: &str = "/.well-known/oauth-protected-resource";
    if path == PRM {
        return protected_resource(ctx, None);
    }
    if let Some(resource) = path.strip_prefix(PRM) {
        return protected_resource(ctx, Some(resource));
    }
    if path.starts_with(facts::PATH_PREFIX) {
        return endpoint(ctx, req, path);
    }
    not_found()
}

/// `{"errors":[{"message": ...}]}`, the endpoint's error shape [F.3].
fn errors(status: u16, message: &str) -> Reply {
    Reply::json(status, &json!({"errors": [{"message": message}]}))
}

/// The body of a 404 is UNCONFIRMED (sources give only the status, [F.2]).
fn not_found() -> Reply {
    errors(404, "Not Found")
}

/// The server a path names, when it reaches this org: the production form, or the My Domain
/// form with this org's name. The emulator's org is a production org, so the sandbox and
/// Developer Edition forms reach nothing here.
fn server_of(ctx: &Ctx, path: &str) -> Option<ServerUrl> {
    let url = facts::parse_server_url(&format!("{}{path}", ctx.urls.mcp)).ok()?;
    let ours = match &url.org {
        OrgPath::Production => true,
        OrgPath::MyDomain { domain, tail: None } => *domain == ctx.store.org.my_domain,
        _ => false,
    };
    ours.then_some(url)
}

fn endpoint(ctx: &mut Ctx, req: &Req, path: &str) -> Reply {
    let Some(server) = server_of(ctx, path) else {
        return not_found();
    };
    let user_id = match bearer_user(ctx, req) {
        Ok(user_id) => user_id,
        Err(reply) => return with_challenge(ctx, reply, path),
    };
    // Authentication is checked before activation: which comes first at Salesforce is
    // UNCONFIRMED; an inactive server answers 404 either way [F.2].
    if !ctx.store.org.mcp_server_active(&server.server) {
        return not_found();
    }
    if req.method != "POST" {
        // Streamable HTTP lets a server refuse the optional GET stream with 405.
        return Reply::empty(405).with_header("Allow", "POST".into());
    }
    let Ok(message) = serde_json::from_slice::<Value>(&req.body) else {
        return rpc_error(400, Value::Null, -32700, "Parse error");
    };
    let id = message.get("id").cloned().unwrap_or(Value::Null);
    let method = message
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if method == "initialize" {
        return initialize(ctx, &message, id, user_id, &server);
    }
    let session = req
        .header("mcp-session-id")
        .and_then(|sid| ctx.store.mcp_sessions.get(sid))
        .filter(|s| s.user_id == user_id && s.server == server.server)
        .cloned();
    let Some(session) = session else {
        return rpc_error(400, id, -32600, facts::NO_SESSION);
    };
    let sse = req
        .header("accept")
        .is_some_and(|a| a.contains("text/event-stream"));
    let result = match method {
        "notifications/initialized" => return Reply::empty(202),
        "ping" => json!({}),
        "tools/list" => tools_list(&server),
        "tools/call" => match tools_call(ctx, &message, &session, &server) {
            Ok(result) => result,
            Err(message) => return rpc_error(200, id, -32602, &message),
        },
        _ => return rpc_error(200, id, -32601, "Method not found"),
    };
    let body = json!({"jsonrpc": "2.0", "id": id, "result": result});
    if sse {
        // Salesforce answers as JSON or as an event stream [F.4]: tool results come as a
        // stream here so clients are tried on both.
        let text = format!("event: message\ndata: {body}\n\n");
        let mut reply = Reply::text(200, &text);
        reply.content_type = "text/event-stream";
        reply
    } else {
        Reply::json(200, &body)
    }
}

/// The user of a live JWT access token, or the endpoint's 401 [F.3].
fn bearer_user(ctx: &Ctx, req: &Req) -> Result<String, Reply> {
    let token = req
        .header("authorization")
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .ok_or_else(|| errors(401, facts::NO_TOKEN))?;
    let invalid = || errors(401, facts::BAD_TOKEN);
    // Opaque session ids are refused outright: the endpoint takes JWTs only [F.3].
    let header = crate::jwt::peek_header(token).map_err(|_| invalid())?;
    if header.get("kid").and_then(Value::as_str) != Some(&access_jwt::kid(&ctx.store.org.org_id)) {
        return Err(invalid());
    }
    crate::jwt::verify::<Value>(token, &ctx.signer.public_key_der()).map_err(|_| invalid())?;
    let stored = ctx.store.access_token(token, ctx.now).ok_or_else(invalid)?;
    // A JWT without mcp_api: the answer is UNCONFIRMED; refused like a bad token here.
    if !stored.scopes.iter().any(|s| s == "mcp_api") {
        return Err(invalid());
    }
    let active = ctx
        .store
        .org
        .user_by_id(&stored.user_id)
        .is_some_and(|u| u.active);
    if active {
        Ok(stored.user_id.clone())
    } else {
        Err(invalid())
    }
}

/// RFC 9728 §5.1 points a client at the protected-resource document from the 401; whether
/// Salesforce sends `WWW-Authenticate` is UNCONFIRMED [F.3], so only the RFC mode does.
fn with_challenge(ctx: &Ctx, reply: Reply, path: &str) -> Reply {
    if ctx.store.org.mcp_metadata != McpMetadata::Rfc {
        return reply;
    }
    let metadata = format!(
        "{}/.well-known/oauth-protected-resource{path}",
        ctx.urls.mcp
    );
    reply.with_header(
        "WWW-Authenticate",
        format!("Bearer resource_metadata=\"{metadata}\""),
    )
}

fn initialize(
    ctx: &mut Ctx,
    message: &Value,
    id: Value,
    user_id: String,
    server: &ServerUrl,
) -> Reply {
    let asked = message
        .pointer("/params/protocolVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let version = PROTOCOLS
        .iter()
        .find(|v| **v == asked)
        .unwrap_or(&PROTOCOLS[0]);
    let session_id = ids::random_base62(32);
    if ctx.store.mcp_sessions.len() >= 10_000 {
        ctx.store.mcp_sessions.clear();
    }
    ctx.store.mcp_sessions.insert(
        session_id.clone(),
        McpSession {
            user_id,
            server: server.server.clone(),
        },
    );
    // Salesforce's exact serverInfo and capabilities are UNCONFIRMED [F.4].
    let result = json!({
        "protocolVersion": version,
        "capabilities": {"tools": {"listChanged": true}},
        "serverInfo": {"name": server.server, "version": "1.0.0-emulator"},
    });
    Reply::json(200, &json!({"jsonrpc": "2.0", "id": id, "result": result}))
        .with_header("Mcp-Session-Id", session_id)
}

fn rpc_error(status: u16, id: Value, code: i64, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}}),
    )
}

fn tool_names(server: &ServerUrl) -> &'static [&'static str] {
    server
        .standard()
        .map_or(&[facts::WHO_AM_I_TOOL], |s| s.tools)
}

/// The tools with empty input schemas: the real schemas are UNCONFIRMED [F.4].
fn tools_list(server: &ServerUrl) -> Value {
    let tools: Vec<Value> = tool_names(server)
        .iter()
        .map(|name| {
            json!({
                "name": name,
                "description": format!("{name} (emulated)"),
                "inputSchema": {"type": "object", "properties": {}},
            })
        })
        .collect();
    json!({"tools": tools})
}

fn tools_call(
    ctx: &Ctx,
    message: &Value,
    session: &McpSession,
    server: &ServerUrl,
) -> Result<Value, String> {
    let name = message
        .pointer("/params/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !tool_names(server).contains(&name) {
        return Err(format!("Unknown tool: {name}"));
    }
    if name != facts::WHO_AM_I_TOOL {
        return Ok(json!({
            "content": [{"type": "text", "text": format!("The emulator does not run {name}.")}],
            "isError": true,
        }));
    }
    let user = ctx
        .store
        .org
        .user_by_id(&session.user_id)
        .ok_or_else(|| "the session's user is gone".to_string())?;
    // The shape of getUserInfo's answer is UNCONFIRMED: a text part holding the user's
    // identity fields as JSON, as MCP tools commonly answer.
    let info = json!({
        "username": user.username,
        "user_id": user.id,
        "organization_id": ctx.store.org.org_id,
        "email": user.email,
        "name": format!("{} {}", user.first_name, user.last_name).trim(),
    });
    Ok(json!({
        "content": [{"type": "text", "text": info.to_string()}],
        "isError": false,
    }))
}

/// RFC 9728 protected-resource metadata, at the root or with the resource's path inserted.
fn protected_resource(ctx: &Ctx, resource_path: Option<&str>) -> Reply {
    let resource = format!("{}{}", ctx.urls.mcp, resource_path.unwrap_or_default());
    match ctx.store.org.mcp_metadata {
        McpMetadata::Absent => not_found(),
        McpMetadata::Rfc => Reply::json(
            200,
            &json!({
                "resource": resource,
                "authorization_servers": [ctx.urls.login],
                "scopes_supported": ["mcp_api", "refresh_token"],
                "bearer_methods_supported": ["header"],
            }),
        ),
        // Later 2026 observations: the login host as the authorization server, the beta's
        // scopes [F.3, file 62074320836].
        McpMetadata::Salesforce => Reply::json(
            200,
            &json!({
                "resource": resource,
                "authorization_servers": [ctx.urls.login],
                "scopes_supported": BETA_SCOPES,
                "bearer_methods_supported": ["header"],
            }),
        ),
    }
}

/// RFC 8414 authorization-server metadata on the login and My Domain hosts.
pub fn authorization_server(ctx: &Ctx) -> Reply {
    let base = match ctx.host {
        HostRole::MyDomain => ctx.urls.my_domain.as_str(),
        _ => ctx.urls.login.as_str(),
    };
    let endpoints = |issuer: &str| {
        json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{base}/services/oauth2/authorize"),
            "token_endpoint": format!("{base}/services/oauth2/token"),
            "revocation_endpoint": format!("{base}/services/oauth2/revoke"),
            "introspection_endpoint": format!("{base}/services/oauth2/introspect"),
            "jwks_uri": format!("{base}/id/keys"),
            "response_types_supported": ["code"],
            "code_challenge_methods_supported": ["S256"],
        })
    };
    match ctx.store.org.mcp_metadata {
        McpMetadata::Absent => not_found(),
        McpMetadata::Rfc => {
            let mut doc = endpoints(base);
            doc["grant_types_supported"] = json!([
                "authorization_code",
                "refresh_token",
                "client_credentials",
                "urn:ietf:params:oauth:grant-type:jwt-bearer",
            ]);
            doc["scopes_supported"] = json!(["mcp_api", "refresh_token", "api", "openid"]);
            Reply::json(200, &doc)
        }
        // The issuer is login.salesforce.com whatever the host (mcp-hosted#44); two grants,
        // S256, and no registration_endpoint: no dynamic client registration [F.3].
        McpMetadata::Salesforce => {
            let mut doc = endpoints("https://login.salesforce.com");
            doc["grant_types_supported"] = json!(["authorization_code", "refresh_token"]);
            Reply::json(200, &doc)
        }
    }
}
