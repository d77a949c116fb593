//! The emulator's hosted MCP side over real HTTP: JWT-based access tokens for named users (their
//! header and claims checked against reference/deploy-and-mcp-apis.md §G and verified with the
//! published keys), the opaque-token quirk, the MCP endpoint's 401/404 answers, the JSON-RPC
//! exchange, server activation, and the discovery documents in their three modes.

use crate::common::{launch, temp};
use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::common::*;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eca_wizard::emulator::Emulator;
use eca_wizard::emulator::org::{DEMO_APP, DEMO_BROWSER_USER, McpMetadata};
use serde_json::{Value, json};

const SERVER: &str = "platform/sobject-all";

/// The demo app set up as Salesforce's hosted MCP guide says.
fn mcp_emulator(named_user_jwt: bool, scopes: &[&str]) -> Emulator {
    let emulator = start();
    emulator
        .edit_app(DEMO_APP, |app| {
            app.named_user_jwt = named_user_jwt;
            app.scopes = scopes.iter().map(|s| s.to_string()).collect();
        })
        .unwrap();
    emulator
}

async fn login(emulator: &Emulator, scope: &str) -> Value {
    code_flow(emulator, Some(scope)).await
}

fn part(token: &str, n: usize) -> Value {
    let bytes = URL_SAFE_NO_PAD
        .decode(token.split('.').nth(n).unwrap())
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test]
async fn a_jwt_access_token_carries_the_reference_header_and_claims_and_verifies_with_the_published_key()
 {
    let emulator = mcp_emulator(true, &["mcp_api", "refresh_token"]);
    let token = login(&emulator, "mcp_api refresh_token").await;
    let access = token["access_token"].as_str().unwrap();
    assert!(
        access.starts_with("eyJ") && access.split('.').count() == 3,
        "{access}"
    );

    let org_id = emulator.org().org_id;
    let header = part(access, 0);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["typ"], "JWT");
    assert_eq!(header["tty"], "sfdc-core-token");
    assert_eq!(header["ver"], "1.0");
    let kid = header["kid"].as_str().unwrap();
    assert!(
        kid.starts_with(&format!("CORE_ATJWT.{}.", &org_id[..15])),
        "{kid}"
    );
    assert!(
        header["tnk"].as_str().unwrap().ends_with(&org_id),
        "{header}"
    );

    let claims = part(access, 1);
    assert_eq!(claims["iss"], emulator.my_domain_url());
    assert_eq!(claims["aud"], json!([emulator.my_domain_url()]));
    let user = emulator
        .org()
        .users
        .into_iter()
        .find(|u| u.username == DEMO_BROWSER_USER)
        .unwrap();
    assert_eq!(claims["sub"], format!("uid:{}", user.id));
    assert_eq!(claims["scp"], "mcp_api refresh_token");
    assert_eq!(claims["client_id"], KEY);
    assert_eq!(claims["mty"], "oauth");
    assert_eq!(claims["roles"], json!([]));
    assert_eq!(claims["hsc"], false);
    assert!(claims["sfi"].is_string());
    let (iat, nbf, exp) = (
        claims["iat"].as_u64().unwrap(),
        claims["nbf"].as_u64().unwrap(),
        claims["exp"].as_u64().unwrap(),
    );
    assert_eq!(nbf + 15, iat);
    assert!(exp > iat);

    // The key published at <My Domain>/id/keys under the token's kid verifies it.
    let keys = get(&format!("{}/id/keys", emulator.my_domain_url()))
        .await
        .json();
    let jwk = keys["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid)
        .expect("the token's kid is published");
    let n = URL_SAFE_NO_PAD.decode(jwk["n"].as_str().unwrap()).unwrap();
    let e = URL_SAFE_NO_PAD.decode(jwk["e"].as_str().unwrap()).unwrap();
    let (signed, signature) = access.rsplit_once('.').unwrap();
    ring::signature::RsaPublicKeyComponents { n, e }
        .verify(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            signed.as_bytes(),
            &URL_SAFE_NO_PAD.decode(signature).unwrap(),
        )
        .expect("signature verifies");

    // A refresh of a named user's token is a JWT too.
    let refreshed = refresh_grant(
        &token_url(emulator.login_url()),
        token["refresh_token"].as_str().unwrap(),
        Some(SECRET),
    )
    .await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.body);
    assert!(
        refreshed.json()["access_token"]
            .as_str()
            .unwrap()
            .starts_with("eyJ")
    );
}

#[tokio::test]
async fn tokens_are_opaque_without_the_setting_and_with_api_beside_mcp_api() {
    let emulator = mcp_emulator(false, &["mcp_api", "refresh_token"]);
    let token = login(&emulator, "mcp_api refresh_token").await;
    assert!(token["access_token"].as_str().unwrap().starts_with("00D"));

    let emulator = mcp_emulator(true, &["api", "mcp_api", "refresh_token"]);
    let token = login(&emulator, "api mcp_api refresh_token").await;
    assert!(
        token["access_token"].as_str().unwrap().starts_with("00D"),
        "api beside mcp_api gives an opaque token (ArcadeAI/docs PR #1136)"
    );
    // The JWT setting with api alone gives a JWT (the quirk needs both).
    let emulator = mcp_emulator(true, &["api", "refresh_token"]);
    let token = login(&emulator, "api refresh_token").await;
    assert!(token["access_token"].as_str().unwrap().starts_with("eyJ"));
}

async fn rpc(url: &str, token: Option<&str>, session: Option<&str>, body: Value) -> Answer {
    let mut request = client()
        .post(url)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(session) = session {
        request = request.header("Mcp-Session-Id", session);
    }
    send(request).await
}

fn initialize() -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"}}})
}

/// The JSON-RPC message of a JSON or event-stream answer.
fn message(answer: &Answer) -> Value {
    let body = answer.body.trim();
    let data = body
        .lines()
        .find_map(|l| l.strip_prefix("data:"))
        .unwrap_or(body);
    serde_json::from_str(data.trim()).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn the_mcp_endpoint_refuses_missing_and_opaque_tokens_with_salesforces_bodies() {
    let emulator = mcp_emulator(false, &["mcp_api", "refresh_token"]);
    let url = emulator.mcp_server_url(SERVER);
    let none = rpc(&url, None, None, initialize()).await;
    assert_eq!(none.status, 401);
    assert_eq!(
        none.json(),
        json!({"errors": [{"message": "JWT Token is required"}]})
    );

    let opaque = login(&emulator, "mcp_api refresh_token").await;
    let answer = rpc(&url, opaque["access_token"].as_str(), None, initialize()).await;
    assert_eq!(answer.status, 401);
    assert_eq!(
        answer.json(),
        json!({"errors": [{"message": "Invalid token"}]})
    );

    let forged = format!("{}.e30.c2ln", URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256"}"#));
    let answer = rpc(&url, Some(&forged), None, initialize()).await;
    assert_eq!(answer.status, 401, "{}", answer.body);
}

#[tokio::test]
async fn a_jwt_opens_a_session_lists_the_tools_and_getuserinfo_names_the_user() {
    let emulator = mcp_emulator(true, &["mcp_api", "refresh_token"]);
    let token = login(&emulator, "mcp_api refresh_token").await;
    let access = token["access_token"].as_str().unwrap();
    let url = emulator.mcp_server_url(SERVER);

    let init = rpc(&url, Some(access), None, initialize()).await;
    assert_eq!(init.status, 200, "{}", init.body);
    let session = init.header("mcp-session-id").expect("Mcp-Session-Id");
    let result = &message(&init)["result"];
    assert_eq!(result["protocolVersion"], "2025-06-18");
    assert!(result["capabilities"]["tools"].is_object());

    let list = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"});
    let without = rpc(&url, Some(access), None, list.clone()).await;
    assert_eq!(without.status, 400);
    assert!(
        without.body.contains("Session Key missing"),
        "{}",
        without.body
    );

    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let ack = rpc(&url, Some(access), Some(&session), initialized).await;
    assert_eq!(ack.status, 202);

    let tools = rpc(&url, Some(access), Some(&session), list).await;
    assert_eq!(tools.status, 200, "{}", tools.body);
    assert!(
        tools
            .header("content-type")
            .unwrap()
            .starts_with("text/event-stream")
    );
    let names: Vec<String> = message(&tools)["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), 10, "{names:?}");
    for tool in ["getUserInfo", "soqlQuery", "deleteSobjectRecord"] {
        assert!(names.iter().any(|n| n == tool), "{tool} in {names:?}");
    }

    let call = json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
        "params": {"name": "getUserInfo", "arguments": {}}});
    let answer = rpc(&url, Some(access), Some(&session), call).await;
    let result = &message(&answer)["result"];
    assert_eq!(result["isError"], false);
    let text = result["content"][0]["text"].as_str().unwrap();
    let info: Value = serde_json::from_str(text).unwrap();
    assert_eq!(info["username"], DEMO_BROWSER_USER);

    // The reads server has no delete tool.
    let reads = emulator.mcp_server_url("platform/sobject-reads");
    let init = rpc(&reads, Some(access), None, initialize()).await;
    let session = init.header("mcp-session-id").unwrap();
    let list = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"});
    let tools = message(&rpc(&reads, Some(access), Some(&session), list).await);
    assert_eq!(tools["result"]["tools"].as_array().unwrap().len(), 6);
}

#[tokio::test]
async fn an_inactive_or_unknown_server_answers_404_until_activated() {
    let emulator = mcp_emulator(true, &["mcp_api", "refresh_token"]);
    emulator.set_mcp_server_active(SERVER, false);
    let token = login(&emulator, "mcp_api refresh_token").await;
    let access = token["access_token"].as_str().unwrap();
    let url = emulator.mcp_server_url(SERVER);
    assert_eq!(
        rpc(&url, Some(access), None, initialize()).await.status,
        404
    );
    emulator.set_mcp_server_active(SERVER, true);
    assert_eq!(
        rpc(&url, Some(access), None, initialize()).await.status,
        200
    );

    let unknown = emulator.mcp_server_url("platform/no-such-server");
    assert_eq!(
        rpc(&unknown, Some(access), None, initialize()).await.status,
        404
    );
    // The My Domain form reaches the same org; a sandbox form doesn't (this org is production).
    let org = emulator.org();
    let my_domain = emulator.mcp_server_url(&format!("d/{}/{SERVER}", org.my_domain));
    assert_eq!(
        rpc(&my_domain, Some(access), None, initialize())
            .await
            .status,
        200
    );
    let sandbox = emulator.mcp_server_url(&format!("sandbox/{SERVER}"));
    assert_eq!(
        rpc(&sandbox, Some(access), None, initialize()).await.status,
        404
    );
}

#[tokio::test]
async fn the_discovery_documents_follow_their_mode() {
    let emulator = mcp_emulator(true, &["mcp_api", "refresh_token"]);
    let prm = format!(
        "{}/.well-known/oauth-protected-resource/platform/mcp/v1/{SERVER}",
        emulator.mcp_url()
    );
    let asm = format!(
        "{}/.well-known/oauth-authorization-server",
        emulator.login_url()
    );
    let url = emulator.mcp_server_url(SERVER);

    emulator.set_mcp_metadata(McpMetadata::Absent);
    assert_eq!(get(&prm).await.status, 404);
    assert_eq!(get(&asm).await.status, 404);

    emulator.set_mcp_metadata(McpMetadata::Rfc);
    let doc = get(&prm).await.json();
    assert_eq!(doc["resource"], url);
    assert_eq!(doc["authorization_servers"], json!([emulator.login_url()]));
    let auth = get(&asm).await.json();
    assert_eq!(
        auth["issuer"],
        emulator.login_url(),
        "RFC 8414: issuer = the host"
    );
    assert_eq!(auth["code_challenge_methods_supported"], json!(["S256"]));
    let challenge = rpc(&url, None, None, initialize()).await;
    let header = challenge
        .header("www-authenticate")
        .expect("RFC 9728 challenge");
    assert!(header.contains("resource_metadata="), "{header}");

    emulator.set_mcp_metadata(McpMetadata::Salesforce);
    let auth = get(&asm).await.json();
    assert_eq!(
        auth["issuer"], "https://login.salesforce.com",
        "the quirk of mcp-hosted#44"
    );
    assert!(
        auth.get("registration_endpoint").is_none(),
        "no dynamic registration"
    );
    assert_eq!(
        auth["grant_types_supported"],
        json!(["authorization_code", "refresh_token"])
    );
    let doc = get(&prm).await.json();
    assert!(
        doc["scopes_supported"]
            .as_array()
            .unwrap()
            .contains(&json!("sfap_api"))
    );
}

#[tokio::test]
async fn the_emulator_command_prints_mcp_url_and_can_start_with_servers_inactive() {
    let dir = temp::created("mcp-org");
    let mut org = eca_wizard::emulator::Org::demo();
    org.apps[0].named_user_jwt = true;
    org.apps[0].scopes = vec!["mcp_api".into(), "refresh_token".into()];
    let file = dir.join("org.toml");
    std::fs::write(&file, toml::to_string(&org).unwrap()).unwrap();
    let mut child = launch::wizard(&dir)
        .args([
            "emulator",
            "--print-json",
            "--auto-approve",
            "--mcp-server-inactive",
            "--org",
        ])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let info: Value = serde_json::from_str(&first).unwrap();
    let mcp = info["mcp_url"].as_str().expect("mcp_url").to_string();
    let login_url = info["login_url"].as_str().unwrap();
    let (verifier, challenge) = pkce();
    let authorize = authorize_url(
        login_url,
        &[
            ("response_type", "code"),
            ("client_id", KEY),
            ("redirect_uri", CALLBACK),
            ("scope", "mcp_api refresh_token"),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ],
    );
    let code = get(&authorize).await.location_param("code").expect("code");
    let token = redeem(
        &token_url(login_url),
        &code,
        Some(&verifier),
        Some(SECRET),
        CALLBACK,
    )
    .await;
    let access = token.json()["access_token"].as_str().unwrap().to_string();
    let url = format!("{mcp}/platform/mcp/v1/{SERVER}");
    let status = rpc(&url, Some(&access), None, initialize()).await.status;
    let _ = child.kill();
    let _ = child.wait();
    assert!(mcp.starts_with("http://127.0.0.1:"), "{mcp}");
    assert!(access.starts_with("eyJ"));
    assert_eq!(status, 404, "the standard servers start inactive");
}
