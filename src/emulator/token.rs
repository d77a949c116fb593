//! `POST /services/oauth2/token`: the four grants, with Salesforce's checks in Salesforce's
//! order and its error bodies (reference/salesforce-oauth.md §3, §4).

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::{digest, hmac};
use serde::Deserialize;

use crate::emulator::http::{HostRole, Reply, Req, first};
use crate::emulator::org::{App, PermittedUsers, RefreshTokenPolicy, User, constant_eq};
use crate::emulator::store::CODE_TTL_MS;
use crate::emulator::{Ctx, access_jwt};
use crate::jwt;
use crate::salesforce::oauth_errors::{self as err, OAuthError};

pub const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

type Form = [(String, String)];
type Outcome = Result<Reply, OAuthError>;

pub fn handle(ctx: &mut Ctx, req: &Req) -> Reply {
    if req.method != "POST" {
        return Reply::oauth_error(err::UNSUPPORTED_GRANT_TYPE);
    }
    // Salesforce answers a JSON (or any non-form) body as an unknown grant.
    let Some(form) = req.form() else {
        return Reply::oauth_error(err::UNSUPPORTED_GRANT_TYPE);
    };
    let outcome = match first(form, "grant_type").unwrap_or_default() {
        "authorization_code" => authorization_code(ctx, req, form),
        "refresh_token" => refresh_token(ctx, req, form),
        "client_credentials" => client_credentials(ctx, req, form),
        JWT_BEARER => jwt_bearer(ctx, form),
        _ => Err(err::UNSUPPORTED_GRANT_TYPE),
    };
    outcome.unwrap_or_else(Reply::oauth_error)
}

/// Client id and secret, from the body or an HTTP Basic header.
fn client_credentials_of(req: &Req, form: &Form) -> (Option<String>, Option<String>) {
    let body_id = first(form, "client_id")
        .filter(|v| !v.is_empty())
        .map(String::from);
    let body_secret = first(form, "client_secret")
        .filter(|v| !v.is_empty())
        .map(String::from);
    match (body_id, req.basic_auth()) {
        (Some(id), _) => (Some(id), body_secret),
        (None, Some((id, secret))) => (Some(id), Some(secret).filter(|s| !s.is_empty())),
        (None, None) => (None, body_secret),
    }
}

/// Finds the app and checks its secret: a wrong secret always fails, a missing one only when
/// the app requires it for this flow.
fn authenticate(
    ctx: &Ctx,
    req: &Req,
    form: &Form,
    secret_required: impl Fn(&App) -> bool,
) -> Result<App, OAuthError> {
    let (id, secret) = client_credentials_of(req, form);
    let id = id.ok_or(err::INVALID_CLIENT_ID)?;
    let app = ctx
        .store
        .app_for_key(&id, ctx.now)
        .cloned()
        .ok_or(err::INVALID_CLIENT_ID)?;
    match secret {
        Some(secret) if !app.secret_matches(&id, &secret) => Err(err::INVALID_CLIENT),
        None if secret_required(&app) => Err(err::INVALID_CLIENT),
        _ => Ok(app),
    }
}

fn authorization_code(ctx: &mut Ctx, req: &Req, form: &Form) -> Outcome {
    let code_value = first(form, "code")
        .ok_or(err::MISSING_PARAMETER)?
        .to_string();
    let app = authenticate(ctx, req, form, |app| app.require_secret_web_server)?;
    let now = ctx.now;
    let code = ctx
        .store
        .codes
        .get_mut(&code_value)
        .ok_or(err::EXPIRED_CODE)?;
    let fresh = !code.used && now.saturating_sub(code.issued_ms) < CODE_TTL_MS;
    // A code is spent by any attempt to redeem it, as Salesforce's single-use rule demands.
    code.used = true;
    let code = code.clone();
    if !fresh || code.app != app.api_name {
        return Err(err::EXPIRED_CODE);
    }
    if first(form, "redirect_uri") != Some(code.redirect_uri.as_str()) {
        return Err(err::REDIRECT_URI_MISMATCH);
    }
    check_verifier(code.challenge.as_deref(), first(form, "code_verifier"))?;
    let user = active_user(ctx, &code.user_id)?;
    count_login(ctx, &user)?;
    let with_refresh = code.scopes.iter().any(|s| is_refresh_scope(s));
    let (access, refresh) =
        ctx.store
            .issue(&app.api_name, &user.id, &code.scopes, with_refresh, now);
    let access = named_user_token(ctx, &app, access, &code.scopes);
    Ok(token_reply(
        ctx,
        &app,
        &user,
        &access,
        refresh.as_deref(),
        &code.scopes,
        IdToken::IfOpenId(code.nonce),
    ))
}

fn check_verifier(challenge: Option<&str>, verifier: Option<&str>) -> Result<(), OAuthError> {
    match (challenge, verifier) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(err::UNEXPECTED_VERIFIER),
        (Some(_), None) => Err(err::MISSING_VERIFIER),
        // Salesforce refuses a `~` although RFC 7636 allows it (ff: nsflow#249, n8n#32421).
        (Some(_), Some(verifier)) if verifier.contains('~') => Err(err::BAD_VERIFIER),
        (Some(challenge), Some(verifier)) => {
            let hashed =
                URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()));
            if constant_eq(&hashed, challenge) {
                Ok(())
            } else {
                Err(err::BAD_VERIFIER)
            }
        }
    }
}

fn refresh_token(ctx: &mut Ctx, req: &Req, form: &Form) -> Outcome {
    let token = first(form, "refresh_token")
        .ok_or(err::MISSING_PARAMETER)?
        .to_string();
    let app = authenticate(ctx, req, form, |app| app.require_secret_refresh)?;
    let now = ctx.now;
    let stored = ctx
        .store
        .refresh
        .get(&token)
        .cloned()
        .ok_or(err::EXPIRED_TOKEN)?;
    if stored.app != app.api_name {
        return Err(err::EXPIRED_TOKEN);
    }
    let expired = match app.policies.refresh_token_policy {
        RefreshTokenPolicy::Infinite => false,
        RefreshTokenPolicy::Zero => true,
        RefreshTokenPolicy::SpecificLifetime { hours } => {
            now.saturating_sub(stored.issued_ms) >= hours.saturating_mul(3_600_000)
        }
        // "Expire refresh token if not used for n": counted from its last use.
        RefreshTokenPolicy::SpecificInactivity { hours } => {
            now.saturating_sub(stored.last_used_ms) >= hours.saturating_mul(3_600_000)
        }
    };
    if expired {
        ctx.store.revoke(&token);
        return Err(err::EXPIRED_TOKEN);
    }
    let user = active_user(ctx, &stored.user_id)?;
    count_login(ctx, &user)?;
    // Only a refresh that worked counts as a use (a refused one doesn't renew the window).
    if let Some(live) = ctx.store.refresh.get_mut(&token) {
        live.last_used_ms = now;
    }
    let (access, new_refresh) = if app.refresh_token_rotation {
        // Rotation: the old refresh token dies at once and a new one comes back.
        ctx.store.revoke(&token);
        ctx.store
            .issue(&app.api_name, &user.id, &stored.scopes, true, now)
    } else {
        let access =
            ctx.store
                .issue_access(&app.api_name, &user.id, &stored.scopes, Some(token), now);
        (access, None)
    };
    let access = named_user_token(ctx, &app, access, &stored.scopes);
    Ok(token_reply(
        ctx,
        &app,
        &user,
        &access,
        new_refresh.as_deref(),
        &stored.scopes,
        IdToken::IfOpenId(None),
    ))
}

fn client_credentials(ctx: &mut Ctx, req: &Req, form: &Form) -> Outcome {
    if ctx.host != HostRole::MyDomain {
        return Err(err::WRONG_DOMAIN);
    }
    let app = authenticate(ctx, req, form, |_| true)?;
    if !(app.client_credentials && app.policies.client_credentials) {
        return Err(err::CLIENT_CREDENTIALS_DISABLED);
    }
    let run_as = app.policies.run_as.as_deref().ok_or(err::NO_RUN_AS_USER)?;
    let user = ctx
        .store
        .org
        .user(run_as)
        .cloned()
        .ok_or(err::NO_RUN_AS_USER)?;
    if !user.active {
        return Err(err::INACTIVE_USER);
    }
    // Client credentials tokens never carry refresh or browser scopes.
    let scopes: Vec<String> = app
        .scopes
        .iter()
        .filter(|s| {
            !matches!(
                s.as_str(),
                "full" | "web" | "refresh_token" | "offline_access"
            )
        })
        .cloned()
        .collect();
    if scopes.is_empty() {
        return Err(err::NO_VALID_SCOPES);
    }
    app_token(ctx, &app, &user, &scopes, false)
}

#[derive(Deserialize)]
struct Assertion {
    iss: Option<String>,
    sub: Option<String>,
    aud: Option<serde_json::Value>,
    exp: Option<u64>,
}

fn jwt_bearer(ctx: &mut Ctx, form: &Form) -> Outcome {
    let assertion = first(form, "assertion").ok_or(err::INVALID_ASSERTION)?;
    let claims: Assertion = jwt::peek_claims(assertion).map_err(|_| err::INVALID_ASSERTION)?;
    let iss = claims.iss.ok_or(err::INVALID_ASSERTION)?;
    let app = ctx
        .store
        .app_for_key(&iss, ctx.now)
        .cloned()
        .ok_or(err::INVALID_CLIENT_ID)?;
    let certificate = app
        .jwt_certificate
        .as_deref()
        .ok_or(err::INVALID_ASSERTION)?;
    let key = jwt::certificate_public_key(certificate).map_err(|_| err::INVALID_ASSERTION)?;
    jwt::verify::<serde_json::Value>(assertion, &key).map_err(|_| err::INVALID_ASSERTION)?;
    // The documented audiences for the org's type ("OAuth 2.0 JWT Bearer Flow for
    // Server-to-Server Integration": login.salesforce.com, test.salesforce.com for a sandbox,
    // or an Experience Cloud site), and this emulator's login host, which plays that host. A
    // My Domain `aud` is refused as users report (restforce#886; field-facts-2026.md).
    let audiences = [
        ctx.store.org.org_type.jwt_audience(),
        ctx.urls.login.as_str(),
    ];
    let aud_ok = match &claims.aud {
        Some(serde_json::Value::String(aud)) => audiences.contains(&aud.trim_end_matches('/')),
        Some(serde_json::Value::Array(list)) => list
            .iter()
            .filter_map(|a| a.as_str())
            .any(|aud| audiences.contains(&aud.trim_end_matches('/'))),
        _ => false,
    };
    if !aud_ok {
        return Err(err::BAD_AUDIENCE);
    }
    // Salesforce reports an expired assertion with the expired-code text.
    if claims
        .exp
        .ok_or(err::INVALID_ASSERTION)?
        .saturating_mul(1000)
        <= ctx.now
    {
        return Err(err::EXPIRED_CODE);
    }
    let username = claims.sub.ok_or(err::INVALID_ASSERTION)?;
    let user = ctx
        .store
        .org
        .user(&username)
        .cloned()
        .ok_or(err::INVALID_ASSERTION)?;
    if !user.active {
        return Err(err::INACTIVE_USER);
    }
    match app.policies.permitted_users {
        PermittedUsers::AdminApprovedPreAuthorized => {
            if !app.policies.pre_authorizes(&user) {
                return Err(err::NOT_ADMIN_APPROVED);
            }
        }
        PermittedUsers::AllSelfAuthorized => {
            let key = (user.id.clone(), app.api_name.clone());
            if !ctx.store.approvals.contains(&key) {
                return Err(err::NOT_APPROVED);
            }
        }
    }
    let scopes: Vec<String> = app
        .scopes
        .iter()
        .filter(|s| !is_refresh_scope(s))
        .cloned()
        .collect();
    app_token(ctx, &app, &user, &scopes, true)
}

/// A token for the app itself acting as `user` (client credentials, JWT bearer): no refresh
/// token and no id_token.
fn app_token(
    ctx: &mut Ctx,
    app: &App,
    user: &User,
    scopes: &[String],
    named_user: bool,
) -> Outcome {
    count_login(ctx, user)?;
    let (access, _) = ctx
        .store
        .issue(&app.api_name, &user.id, scopes, false, ctx.now);
    let access = if named_user {
        named_user_token(ctx, app, access, scopes)
    } else {
        access
    };
    Ok(token_reply(
        ctx,
        app,
        user,
        &access,
        None,
        scopes,
        IdToken::Never,
    ))
}

/// The opaque token as issued, or the JWT that replaces it when the app issues JWT-based
/// access tokens for named users.
fn named_user_token(ctx: &mut Ctx, app: &App, opaque: String, scopes: &[String]) -> String {
    if access_jwt::wanted(app, scopes) {
        access_jwt::mint(ctx, app, &opaque).unwrap_or(opaque)
    } else {
        opaque
    }
}

fn active_user(ctx: &Ctx, user_id: &str) -> Result<User, OAuthError> {
    let user = ctx
        .store
        .org
        .user_by_id(user_id)
        .cloned()
        .ok_or(err::INACTIVE_USER)?;
    if user.active {
        Ok(user)
    } else {
        Err(err::INACTIVE_USER)
    }
}

fn count_login(ctx: &mut Ctx, user: &User) -> Result<(), OAuthError> {
    if ctx.store.count_login(&user.id, ctx.now) {
        Ok(())
    } else {
        Err(err::LOGIN_RATE_EXCEEDED)
    }
}

pub fn is_refresh_scope(scope: &str) -> bool {
    scope == "refresh_token" || scope == "offline_access"
}

/// Whether a grant's response carries an id_token: only user logins with `openid` do; client
/// credentials and JWT bearer responses have none (reference §3.3).
enum IdToken {
    IfOpenId(Option<String>),
    Never,
}

/// The success body: Salesforce's fields, no `expires_in`, `issued_at` in milliseconds as a
/// string, and `signature` = HMAC-SHA256(secret, id + issued_at).
fn token_reply(
    ctx: &Ctx,
    app: &App,
    user: &User,
    access: &str,
    refresh: Option<&str>,
    scopes: &[String],
    id_token: IdToken,
) -> Reply {
    let issued_at = ctx.now.to_string();
    let id = ctx.urls.identity_url(&ctx.store.org.org_id, &user.id);
    let key = hmac::Key::new(hmac::HMAC_SHA256, app.consumer_secret.as_bytes());
    let signature = STANDARD.encode(hmac::sign(&key, format!("{id}{issued_at}").as_bytes()));
    let mut body = serde_json::json!({
        "access_token": access,
        "signature": signature,
        "scope": scopes.join(" "),
        "instance_url": ctx.urls.my_domain,
        "id": id,
        "token_type": "Bearer",
        "issued_at": issued_at,
    });
    if let Some(refresh) = refresh {
        body["refresh_token"] = refresh.into();
    }
    if let IdToken::IfOpenId(nonce) = id_token
        && scopes.iter().any(|s| s == "openid")
        && let Some(id_token) = ctx.id_token(app, user, &id, nonce)
    {
        body["id_token"] = id_token.into();
    }
    Reply::json(200, &body).with_header("Cache-Control", "no-store".into())
}
