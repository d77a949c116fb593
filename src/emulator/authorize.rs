//! `/services/oauth2/authorize`: validates the client and redirect URI first (failures there get
//! Salesforce's error page, never a redirect), then everything else (failures are redirected
//! with `error`, `error_description` and `state`), then signs the user in and asks for consent,
//! or, in auto-approve mode, redirects straight back with a code.

use crate::emulator::Ctx;
use crate::emulator::http::{Reply, Req, encode_form, first, parse_form};
use crate::emulator::ids;
use crate::emulator::org::{App, PermittedUsers, User, constant_eq};
use crate::emulator::pages;
use crate::emulator::store::Code;
use crate::salesforce::oauth_errors::{self as err, OAuthError};

/// An authorize request whose client and redirect URI are known to be good.
pub struct Valid {
    pub app: App,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub scopes: Vec<String>,
    pub challenge: Option<String>,
    pub nonce: Option<String>,
    pub prompt: String,
    pub login_hint: Option<String>,
    /// The original query string, carried through the login and consent pages.
    pub query: String,
}

const SESSION_COOKIE: &str = "eca_emulator_sid";

pub fn handle(ctx: &mut Ctx, req: &Req) -> Reply {
    match req.method.as_str() {
        "GET" => {
            let query = req.path_query();
            match validate(ctx, &req.query, query) {
                Ok(valid) => begin(ctx, req, valid),
                Err(reply) => reply,
            }
        }
        "POST" => match req.form() {
            Some(form) => page_action(ctx, req, form),
            None => error_page(err::MUST_USE_GET),
        },
        _ => error_page(err::MUST_USE_GET),
    }
}

fn validate(ctx: &Ctx, params: &[(String, String)], query: &str) -> Result<Valid, Reply> {
    let param = |name: &str| first(params, name).filter(|v| !v.is_empty());
    let client_id = param("client_id").ok_or_else(|| error_page(err::INVALID_CLIENT_ID))?;
    let app = ctx
        .store
        .app_for_key(client_id, ctx.now)
        .ok_or_else(|| error_page(err::INVALID_CLIENT_ID))?;
    let redirect_uri =
        param("redirect_uri").ok_or_else(|| error_page(err::REDIRECT_URI_MISSING))?;
    if !app.callback_urls.iter().any(|u| u == redirect_uri) {
        return Err(error_page(err::REDIRECT_URI_MISMATCH));
    }
    let state = param("state").map(String::from);
    let fail = |error| Err(redirect_error(redirect_uri, error, state.as_deref()));
    if param("response_type") != Some("code") {
        return fail(err::UNSUPPORTED_RESPONSE_TYPE);
    }
    let challenge = param("code_challenge").map(String::from);
    // Salesforce reads a challenge without a method as S256 (jsforce and the CLI send none).
    if param("code_challenge_method").is_some_and(|m| m != "S256") {
        return fail(err::BAD_CHALLENGE_METHOD);
    }
    let pkce_required = app.require_pkce || ctx.store.org.pkce_required_org_wide;
    if pkce_required && challenge.is_none() {
        return fail(err::MISSING_CODE_CHALLENGE);
    }
    let scopes: Vec<String> = match param("scope") {
        Some(scope) => scope.split_whitespace().map(String::from).collect(),
        None => app.scopes.clone(),
    };
    if scopes.iter().any(|s| !app.scopes.contains(s)) {
        return fail(err::INVALID_SCOPE);
    }
    Ok(Valid {
        app: app.clone(),
        redirect_uri: redirect_uri.to_string(),
        state,
        scopes,
        challenge,
        nonce: param("nonce").map(String::from),
        prompt: param("prompt").unwrap_or_default().to_string(),
        login_hint: param("login_hint").map(String::from),
        query: query.to_string(),
    })
}

fn begin(ctx: &mut Ctx, req: &Req, valid: Valid) -> Reply {
    if ctx.store.auto_approve {
        let user = auto_approve_user(ctx);
        return match user {
            Some(user) => after_login(ctx, valid, &user, true),
            None => redirect_error(
                &valid.redirect_uri,
                err::INACTIVE_USER_AUTHORIZE,
                valid.state.as_deref(),
            ),
        };
    }
    let session_user = req
        .cookie(SESSION_COOKIE)
        .and_then(|sid| ctx.store.sessions.get(sid))
        .and_then(|id| ctx.store.org.user_by_id(id))
        .cloned();
    match session_user {
        Some(user) if !valid.prompt.contains("login") => after_login(ctx, valid, &user, false),
        _ => pages::login(&ctx.store.org, &valid, None),
    }
}

const API_ONLY: &str =
    "Access Restricted for API Only Users: this user can use the API only and can't sign in here.";

fn auto_approve_user(ctx: &Ctx) -> Option<User> {
    let org = &ctx.store.org;
    let configured = org
        .auto_approve_user
        .as_deref()
        .and_then(|name| org.user(name));
    configured
        .or_else(|| org.users.iter().find(|u| u.integration_user))
        .or(org.users.first())
        .cloned()
}

/// The user is known: check the app's policy, then consent (or skip it), then the code.
fn after_login(ctx: &mut Ctx, valid: Valid, user: &User, auto: bool) -> Reply {
    let state = valid.state.as_deref();
    if !user.active {
        return redirect_error(&valid.redirect_uri, err::INACTIVE_USER_AUTHORIZE, state);
    }
    // A Salesforce Integration license user is API only: the login page refuses it, with no
    // redirect ("Access Restricted for API Only Users", Salesforce KB 000003819;
    // field-facts-2026.md).
    if user.integration_user {
        return pages::login(&ctx.store.org, &valid, Some(API_ONLY));
    }
    let pre_authorized = valid.app.policies.pre_authorizes(user);
    let approved = ctx
        .store
        .approvals
        .contains(&(user.id.clone(), valid.app.api_name.clone()));
    match valid.app.policies.permitted_users {
        PermittedUsers::AdminApprovedPreAuthorized if !pre_authorized => {
            redirect_error(&valid.redirect_uri, err::APP_ACCESS_DENIED, state)
        }
        PermittedUsers::AdminApprovedPreAuthorized => issue_code(ctx, &valid, user),
        PermittedUsers::AllSelfAuthorized if auto => issue_code(ctx, &valid, user),
        PermittedUsers::AllSelfAuthorized if approved && !valid.prompt.contains("consent") => {
            issue_code(ctx, &valid, user)
        }
        PermittedUsers::AllSelfAuthorized => pages::consent(&valid, user),
    }
}

fn issue_code(ctx: &mut Ctx, valid: &Valid, user: &User) -> Reply {
    let code = ids::authorization_code();
    ctx.store.codes.insert(
        code.clone(),
        Code {
            app: valid.app.api_name.clone(),
            user_id: user.id.clone(),
            redirect_uri: valid.redirect_uri.clone(),
            scopes: valid.scopes.clone(),
            challenge: valid.challenge.clone(),
            nonce: valid.nonce.clone(),
            issued_ms: ctx.now,
            used: false,
        },
    );
    ctx.store
        .approvals
        .insert((user.id.clone(), valid.app.api_name.clone()));
    let mut pairs = vec![("code", code.as_str())];
    if let Some(state) = valid.state.as_deref() {
        pairs.push(("state", state));
    }
    Reply::redirect(append_query(&valid.redirect_uri, &encode_form(&pairs)))
}

/// The login and consent pages post back here with `action` and the original query `q`.
fn page_action(ctx: &mut Ctx, req: &Req, form: &[(String, String)]) -> Reply {
    let query = first(form, "q").unwrap_or_default();
    let valid = match validate(ctx, &parse_form(query.as_bytes()), query) {
        Ok(valid) => valid,
        Err(reply) => return reply,
    };
    match first(form, "action").unwrap_or_default() {
        "login" => {
            let username = first(form, "username").unwrap_or_default();
            let password = first(form, "password").unwrap_or_default();
            let user = ctx.store.org.user(username).cloned();
            match user.filter(|u| constant_eq(&u.password, password)) {
                Some(user) => {
                    let sid = ids::random_base62(40);
                    ctx.store.sessions.insert(sid.clone(), user.id.clone());
                    let cookie = format!("{SESSION_COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax");
                    after_login(ctx, valid, &user, false).with_header("Set-Cookie", cookie)
                }
                None => pages::login(
                    &ctx.store.org,
                    &valid,
                    Some("Please check your username and password."),
                ),
            }
        }
        "allow" => match session_user(ctx, req) {
            Some(user) => issue_code(ctx, &valid, &user),
            None => pages::login(&ctx.store.org, &valid, None),
        },
        "deny" => redirect_error(
            &valid.redirect_uri,
            err::ACCESS_DENIED,
            valid.state.as_deref(),
        ),
        _ => pages::login(&ctx.store.org, &valid, None),
    }
}

fn session_user(ctx: &Ctx, req: &Req) -> Option<User> {
    let sid = req.cookie(SESSION_COOKIE)?;
    let id = ctx.store.sessions.get(sid)?;
    ctx.store.org.user_by_id(id).cloned()
}

/// Salesforce's error page for a bad client or redirect URI: the error as form-encoded text.
pub fn error_page(error: OAuthError) -> Reply {
    Reply::text(
        400,
        &encode_form(&[
            ("error", error.error),
            ("error_description", error.description),
        ]),
    )
}

fn redirect_error(redirect_uri: &str, error: OAuthError, state: Option<&str>) -> Reply {
    let mut pairs = vec![
        ("error", error.error),
        ("error_description", error.description),
    ];
    if let Some(state) = state {
        pairs.push(("state", state));
    }
    Reply::redirect(append_query(redirect_uri, &encode_form(&pairs)))
}

fn append_query(uri: &str, query: &str) -> String {
    let separator = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{separator}{query}")
}
