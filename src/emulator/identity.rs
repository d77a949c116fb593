//! Who a token belongs to and what it may do: userinfo, the identity URL, introspection,
//! revocation and OpenID discovery (reference/salesforce-oauth.md §1.2, §5).

use serde_json::{Value, json};

use crate::emulator::Ctx;
use crate::emulator::http::{HostRole, Reply, Req, encode_form, first};
use crate::emulator::org::{RefreshTokenPolicy, User};
use crate::emulator::store::AccessToken;
use crate::salesforce::oauth_errors::{self as err, BAD_OAUTH_TOKEN, OAuthError};

/// The live access token a request carries, and its user.
fn bearer_user(ctx: &Ctx, req: &Req) -> Option<(AccessToken, User)> {
    let token = ctx.store.access_token(req.bearer()?, ctx.now)?.clone();
    let user = ctx.store.org.user_by_id(&token.user_id)?.clone();
    Some((token, user))
}

fn bad_token() -> Reply {
    Reply::text(403, BAD_OAUTH_TOKEN)
}

pub fn userinfo(ctx: &mut Ctx, req: &Req) -> Reply {
    let Some((_, user)) = bearer_user(ctx, req) else {
        return bad_token();
    };
    let org_id = &ctx.store.org.org_id;
    let mut body = shared_fields(ctx, &user);
    body["sub"] = ctx.urls.identity_url(org_id, &user.id).into();
    body["preferred_username"] = user.username.clone().into();
    body["nickname"] = nickname(&user).into();
    body["name"] = full_name(&user).into();
    body["given_name"] = user.first_name.clone().into();
    body["family_name"] = user.last_name.clone().into();
    body["zoneinfo"] = "Europe/London".into();
    body["profile"] = format!("{}/{}", ctx.urls.my_domain, user.id).into();
    body["picture"] = "".into();
    body["address"] = json!({});
    body["is_salesforce_integration_user"] = user.integration_user.into();
    body["updated_at"] = "2026-01-01T00:00:00Z".into();
    Reply::json(200, &body)
}

pub fn identity(ctx: &mut Ctx, req: &Req) -> Reply {
    let Some((_, user)) = bearer_user(ctx, req) else {
        return bad_token();
    };
    let mut parts = req.path.trim_start_matches("/id/").split('/');
    let (org, user_id) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let org_id = ctx.store.org.org_id.clone();
    let same = |id: &str, full: &str| id == full || full.get(..15) == Some(id);
    if !same(org, &org_id) || !same(user_id, &user.id) {
        return bad_token();
    }
    let mut body = shared_fields(ctx, &user);
    body["id"] = ctx.urls.identity_url(&org_id, &user.id).into();
    body["asserted_user"] = true.into();
    body["username"] = user.username.clone().into();
    body["nick_name"] = nickname(&user).into();
    body["display_name"] = full_name(&user).into();
    body["first_name"] = user.first_name.clone().into();
    body["last_name"] = user.last_name.clone().into();
    body["timezone"] = "Europe/London".into();
    body["last_modified_date"] = "2026-01-01T00:00:00.000+0000".into();
    Reply::json(200, &body)
}

/// The fields userinfo and the identity URL both return, under the same names.
fn shared_fields(ctx: &Ctx, user: &User) -> Value {
    json!({
        "user_id": user.id,
        "organization_id": ctx.store.org.org_id,
        "email": user.email,
        "email_verified": true,
        "photos": {"picture": "", "thumbnail": ""},
        "urls": urls(ctx, user),
        "active": user.active,
        "user_type": "STANDARD",
        "language": "en_US",
        "locale": "en_GB",
        "utcOffset": 0,
        "is_app_installed": true,
    })
}

fn nickname(user: &User) -> &str {
    user.username.split('@').next().unwrap_or_default()
}

fn full_name(user: &User) -> String {
    format!("{} {}", user.first_name, user.last_name)
        .trim()
        .to_string()
}

/// The identity service's URL map, with Salesforce's literal `{version}` placeholder.
fn urls(ctx: &Ctx, user: &User) -> Value {
    let base = &ctx.urls.my_domain;
    let org = &ctx.store.org.org_id;
    json!({
        "enterprise": format!("{base}/services/Soap/c/{{version}}/{org}"),
        "metadata": format!("{base}/services/Soap/m/{{version}}/{org}"),
        "partner": format!("{base}/services/Soap/u/{{version}}/{org}"),
        "rest": format!("{base}/services/data/v{{version}}/"),
        "sobjects": format!("{base}/services/data/v{{version}}/sobjects/"),
        "search": format!("{base}/services/data/v{{version}}/search/"),
        "query": format!("{base}/services/data/v{{version}}/query/"),
        "recent": format!("{base}/services/data/v{{version}}/recent/"),
        "tooling_rest": format!("{base}/services/data/v{{version}}/tooling/"),
        "profile": format!("{base}/{}", user.id),
        "users": format!("{base}/services/data/v{{version}}/chatter/users"),
        "custom_domain": base,
    })
}

pub fn introspect(ctx: &mut Ctx, req: &Req) -> Reply {
    if req.method != "POST" {
        return Reply::oauth_error(err::MUST_USE_GET);
    }
    let Some(form) = req.form() else {
        return Reply::oauth_error(err::UNSUPPORTED_TOKEN_TYPE);
    };
    let (id, secret) = match (first(form, "client_id"), req.basic_auth()) {
        (Some(id), _) => (
            id.to_string(),
            first(form, "client_secret").unwrap_or_default().to_string(),
        ),
        (None, Some(pair)) => pair,
        (None, None) => return Reply::oauth_error(err::INVALID_CLIENT_ID),
    };
    let Some(app) = ctx.store.app_for_key(&id, ctx.now).cloned() else {
        return Reply::oauth_error(err::INVALID_CLIENT_ID);
    };
    if !app.secret_matches(&id, &secret) {
        return Reply::oauth_error(err::INVALID_CLIENT);
    }
    let token = first(form, "token").unwrap_or_default();
    let inactive = || Reply::json(200, &json!({"active": false}));
    let visible = |owner: &str| owner == app.api_name || app.introspect_all_tokens;
    let (owner_app, user_id, scopes, iat, exp, kind) =
        if let Some(access) = ctx.store.access_token(token, ctx.now) {
            (
                &access.app,
                &access.user_id,
                &access.scopes,
                access.issued_ms,
                Some(access.expires_ms),
                "access_token",
            )
        } else if let Some(refresh) = ctx.store.refresh.get(token) {
            let exp = match ctx
                .store
                .app_named(&refresh.app, ctx.now)
                .map(|a| a.policies.refresh_token_policy)
            {
                Some(RefreshTokenPolicy::SpecificLifetime { hours }) => Some(
                    refresh
                        .issued_ms
                        .saturating_add(hours.saturating_mul(3_600_000)),
                ),
                _ => None,
            };
            (
                &refresh.app,
                &refresh.user_id,
                &refresh.scopes,
                refresh.issued_ms,
                exp,
                "refresh_token",
            )
        } else {
            return inactive();
        };
    if !visible(owner_app) {
        return inactive();
    }
    let Some(user) = ctx.store.org.user_by_id(user_id) else {
        return inactive();
    };
    let owner_key = ctx
        .store
        .app_named(owner_app, ctx.now)
        .map(|a| a.consumer_key.clone());
    let mut body = json!({
        "active": true,
        "scope": scopes.join(" "),
        "client_id": owner_key.unwrap_or_default(),
        "username": user.username,
        "sub": ctx.urls.identity_url(&ctx.store.org.org_id, &user.id),
        "token_type": kind,
        "iat": iat / 1000,
        "nbf": iat / 1000,
    });
    if let Some(exp) = exp {
        body["exp"] = (exp / 1000).into();
    }
    Reply::json(200, &body)
}

/// Revoke answers 200 with an empty body, or 400 with a form-encoded (not JSON) error.
pub fn revoke(ctx: &mut Ctx, req: &Req) -> Reply {
    let token = match req.method.as_str() {
        "POST" => req.form().and_then(|f| first(f, "token").map(String::from)),
        "GET" => req.query_param("token").map(String::from),
        _ => None,
    };
    let revoked = token
        .filter(|t| !t.is_empty())
        .is_some_and(|t| ctx.store.revoke(&t));
    if revoked {
        Reply::empty(200)
    } else {
        form_error(err::INVALID_TOKEN)
    }
}

fn form_error(error: OAuthError) -> Reply {
    Reply {
        status: 400,
        content_type: "application/x-www-form-urlencoded",
        headers: vec![],
        body: encode_form(&[
            ("error", error.error),
            ("error_description", error.description),
        ])
        .into(),
    }
}

/// OpenID discovery, on whichever host is asked, with that host's endpoints.
pub fn discovery(ctx: &Ctx) -> Reply {
    let base = match ctx.host {
        HostRole::Login | HostRole::Mcp => &ctx.urls.login,
        HostRole::MyDomain => &ctx.urls.my_domain,
    };
    Reply::json(
        200,
        &json!({
            "issuer": base,
            "authorization_endpoint": format!("{base}/services/oauth2/authorize"),
            "token_endpoint": format!("{base}/services/oauth2/token"),
            "revocation_endpoint": format!("{base}/services/oauth2/revoke"),
            "userinfo_endpoint": format!("{base}/services/oauth2/userinfo"),
            "introspection_endpoint": format!("{base}/services/oauth2/introspect"),
            "jwks_uri": format!("{base}/id/keys"),
            "response_types_supported": ["code", "token", "token id_token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "display_values_supported": ["page", "popup", "touch"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic", "private_key_jwt"],
            "scopes_supported": crate::salesforce::scopes::SCOPES.iter().map(|s| s.value).collect::<Vec<_>>(),
            "claims_supported": ["active", "address", "email", "email_verified", "family_name",
                "given_name", "is_app_installed", "language", "locale", "name", "nickname",
                "organization_id", "phone_number", "phone_number_verified", "photos", "picture",
                "preferred_username", "profile", "sub", "updated_at", "urls", "user_id",
                "user_type", "zoneinfo"],
        }),
    )
}
