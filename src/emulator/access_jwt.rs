//! JWT-based access tokens for named users (reference/deploy-and-mcp-apis.md §G): when an app
//! has "Issue JSON Web Token (JWT)-based access tokens for named users" on, a user's login gets
//! an RS256 JWT instead of an opaque `00D…!…` session id, signed with a key the org publishes.

use serde_json::{Value, json};

use crate::emulator::Ctx;
use crate::emulator::ids;
use crate::emulator::org::App;
use crate::emulator::store::AccessToken;

/// The key id of access tokens: Salesforce's are `CORE_ATJWT.<org id>.<key creation ms>`
/// (Mobile SDK JwtAccessTokenTests); ours uses a fixed creation time.
pub fn kid(org_id: &str) -> String {
    format!(
        "CORE_ATJWT.{}.1767225600000",
        &org_id[..15.min(org_id.len())]
    )
}

/// Whether this grant gets a JWT: the app's setting is on, unless `api` was granted beside
/// `mcp_api`, which users saw come back opaque (ff: ArcadeAI/docs PR #1136). Which grants count
/// as "named users" is read as every grant but client credentials (UNCONFIRMED for JWT bearer).
pub fn wanted(app: &App, scopes: &[String]) -> bool {
    let has = |s: &str| scopes.iter().any(|v| v == s);
    app.named_user_jwt && !(has("api") && has("mcp_api"))
}

/// Re-issues a just-stored opaque token as a JWT with the same lifetime and scopes.
pub fn mint(ctx: &mut Ctx, app: &App, opaque: &str) -> Option<String> {
    let stored = ctx.store.access.get(opaque)?.clone();
    let token = sign(ctx, app, &stored)?;
    ctx.store.access.remove(opaque);
    ctx.store.access.insert(token.clone(), stored);
    Some(token)
}

fn sign(ctx: &Ctx, app: &App, stored: &AccessToken) -> Option<String> {
    let org_id = &ctx.store.org.org_id;
    let header = json!({
        "alg": "RS256",
        "typ": "JWT",
        "kid": kid(org_id),
        "tty": "sfdc-core-token",
        "tnk": format!("core/eca-wizard-emulator/{org_id}"),
        "ver": "1.0",
    });
    let iat = stored.issued_ms / 1000;
    let claims = json!({
        "iss": ctx.urls.my_domain,
        // What `aud` holds for tokens used at the MCP host is UNCONFIRMED (§G); the SDK's
        // tokens carry the My Domain.
        "aud": [ctx.urls.my_domain],
        "sub": format!("uid:{}", stored.user_id),
        "scp": stored.scopes.join(" "),
        "client_id": app.consumer_key,
        "mty": "oauth",
        "sfi": ids::random_base62(43),
        "roles": Value::Array(Vec::new()),
        "hsc": false,
        "nbf": iat.saturating_sub(15),
        "iat": iat,
        "exp": stored.expires_ms / 1000,
    });
    ctx.signer.sign_with_header(&header, &claims).ok()
}
