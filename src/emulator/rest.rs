//! `/services/data/...`: the REST subset a connection check needs (versions, resources,
//! limits, describe, one record, a simple SOQL query), with Salesforce's array error bodies and
//! object access decided by the user's permissions (reference/salesforce-oauth.md §6).

use serde_json::{Map, Value, json};

use crate::emulator::Ctx;
use crate::emulator::http::{HostRole, Reply, Req};
use crate::emulator::objects::{self, SObject};
use crate::emulator::org::User;
use crate::salesforce::oauth_errors::rest as code;

const FIRST_VERSION: u32 = 31;
/// The org's daily API allowance reported in limits and `Sforce-Limit-Info`.
const DAILY_API_REQUESTS: u64 = 15_000;

pub fn handle(ctx: &mut Ctx, req: &Req) -> Reply {
    let rest = req
        .path
        .trim_start_matches("/services/data")
        .trim_matches('/');
    if rest.is_empty() {
        return versions(ctx);
    }
    let (version, resource) = rest.split_once('/').unwrap_or((rest, ""));
    let Some(version) = known_version(ctx, version) else {
        return Reply::rest_error(404, code::NOT_FOUND);
    };
    let user = match authenticate(ctx, req) {
        Ok(user) => user,
        Err(reply) => return reply,
    };
    let path: Vec<&str> = resource.trim_end_matches('/').split('/').collect();
    // Deploys, users and app credentials are an admin's (the error body is UNCONFIRMED).
    let admin_only = matches!(
        path.as_slice(),
        ["metadata", ..] | ["apps", "oauth", ..] | ["tooling", ..]
    ) || (matches!(
        path.as_slice(),
        [
            "sobjects",
            "User" | "PermissionSetLicenseAssign" | "PermissionSetAssignment"
        ]
    ) && req.method == "POST");
    if admin_only && !user.admin {
        return Reply::rest_error(403, code::INSUFFICIENT_ACCESS);
    }
    if let ["metadata", "deployRequest", rest @ ..] = path.as_slice() {
        ctx.store.api_requests += 1;
        return crate::emulator::deploy::handle(ctx, req, rest);
    }
    if let (["sobjects", object], "POST") = (path.as_slice(), req.method.as_str())
        && let Some(reply) = crate::emulator::people::create(ctx, req, object)
    {
        ctx.store.api_requests += 1;
        return reply;
    }
    if let ["tooling", rest @ ..] = path.as_slice() {
        ctx.store.api_requests += 1;
        // Installing needs Download AppExchange Packages (packaging guide, "Install a Connected
        // App": the permission installs and uninstalls packages); the refusal's body is
        // UNCONFIRMED (docs/unconfirmed.md).
        if matches!(rest, ["sobjects", "PackageInstallRequest"])
            && req.method == "POST"
            && !ctx.store.org.has_permission(&user, "InstallPackaging")
        {
            return Reply::rest_error(403, code::INSUFFICIENT_ACCESS);
        }
        return crate::emulator::packages::handle(ctx, req, rest);
    }
    if let ["apps", "oauth", rest @ ..] = path.as_slice() {
        ctx.store.api_requests += 1;
        return crate::emulator::credentials::handle(ctx, req, &version, rest);
    }
    if req.method != "GET" {
        return Reply::rest_error(405, code::METHOD_NOT_ALLOWED);
    }
    ctx.store.api_requests += 1;
    let used = ctx.store.api_requests;
    let reply = resource_reply(ctx, req, &user, &version, resource.trim_end_matches('/'));
    reply.with_header(
        "Sforce-Limit-Info",
        format!("api-usage={used}/{DAILY_API_REQUESTS}"),
    )
}

/// `31.0` up to the org's latest, oldest first.
fn version_numbers(ctx: &Ctx) -> Vec<u32> {
    let latest = ctx
        .store
        .org
        .latest_api_version
        .split('.')
        .next()
        .and_then(|major| major.parse().ok())
        .unwrap_or(66);
    (FIRST_VERSION..=latest).collect()
}

fn known_version(ctx: &Ctx, segment: &str) -> Option<String> {
    let numbers = version_numbers(ctx);
    if segment == "latest" {
        return numbers.last().map(|n| format!("{n}.0"));
    }
    let major: u32 = segment
        .strip_prefix('v')?
        .strip_suffix(".0")?
        .parse()
        .ok()?;
    numbers.contains(&major).then(|| format!("{major}.0"))
}

/// The release name of an API version: 31.0 was Summer '14, three releases a year since.
fn release_label(major: u32) -> String {
    let offset = major - FIRST_VERSION;
    let season = ["Summer", "Winter", "Spring"][(offset % 3) as usize];
    format!("{season} '{:02}", 14 + offset.div_ceil(3))
}

fn versions(ctx: &Ctx) -> Reply {
    let list: Vec<Value> = version_numbers(ctx)
        .into_iter()
        .map(|n| json!({"label": release_label(n), "url": format!("/services/data/v{n}.0"), "version": format!("{n}.0")}))
        .collect();
    Reply::json(200, &list)
}

fn authenticate(ctx: &Ctx, req: &Req) -> Result<User, Reply> {
    let header = req.header("authorization").unwrap_or_default();
    let token = header
        .split_once(' ')
        .filter(|(scheme, _)| {
            scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("oauth")
        })
        .map(|(_, token)| token.trim())
        .ok_or_else(|| Reply::rest_error(401, code::INVALID_AUTH_HEADER))?;
    let access = ctx
        .store
        .access_token(token, ctx.now)
        .filter(|_| req.host == HostRole::MyDomain)
        .ok_or_else(|| Reply::rest_error(401, code::INVALID_SESSION))?;
    if !access.scopes.iter().any(|s| s == "api" || s == "full") {
        return Err(Reply::rest_error(401, code::SESSION_NOT_FOR_REST));
    }
    let user = ctx
        .store
        .org
        .user_by_id(&access.user_id)
        .filter(|u| u.active)
        .cloned()
        .ok_or_else(|| Reply::rest_error(401, code::INVALID_SESSION))?;
    if !user.api_enabled {
        return Err(Reply::rest_error(403, code::API_DISABLED));
    }
    Ok(user)
}

fn resource_reply(ctx: &Ctx, req: &Req, user: &User, version: &str, resource: &str) -> Reply {
    let base = format!("/services/data/v{version}");
    let parts: Vec<&str> = resource.split('/').collect();
    match parts.as_slice() {
        [""] => Reply::json(
            200,
            &json!({
                "sobjects": format!("{base}/sobjects"), "query": format!("{base}/query"),
                "search": format!("{base}/search"), "limits": format!("{base}/limits"),
                "recent": format!("{base}/recent"), "tooling": format!("{base}/tooling"),
                "connect": format!("{base}/connect"), "chatter": format!("{base}/chatter"),
            }),
        ),
        // The body for a user without View Setup is UNCONFIRMED (docs/unconfirmed.md).
        ["limits"] if !ctx.store.org.has_permission(user, "ViewSetup") => {
            Reply::rest_error(403, code::INSUFFICIENT_ACCESS)
        }
        ["limits"] => limits(ctx),
        ["sobjects"] => {
            let list: Vec<Value> = objects::SOBJECTS
                .iter()
                .filter(|o| objects::can_read(user, o))
                .map(|o| json!({"name": o.name, "label": o.label, "keyPrefix": o.prefix, "queryable": true}))
                .collect();
            Reply::json(
                200,
                &json!({"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": list}),
            )
        }
        ["sobjects", name] => match readable(user, name) {
            Some(object) => Reply::json(
                200,
                &json!({"objectDescribe": object.describe(user, version), "recentItems": []}),
            ),
            None => Reply::rest_error(404, code::NOT_FOUND),
        },
        ["sobjects", name, "describe"] => match readable(user, name) {
            Some(object) => Reply::json(200, &object.describe(user, version)),
            None => Reply::rest_error(404, code::NOT_FOUND),
        },
        ["sobjects", name, id] => match readable(user, name) {
            Some(object) => record(ctx, object, id, &base),
            None => Reply::rest_error(404, code::NOT_FOUND),
        },
        ["query"] => match req.query_param("q") {
            Some(soql) => query(ctx, user, soql, &base),
            None => Reply::rest_error(400, ("MALFORMED_QUERY", "A query string is required")),
        },
        _ => Reply::rest_error(404, code::NOT_FOUND),
    }
}

fn readable(user: &User, name: &str) -> Option<&'static SObject> {
    objects::find(name).filter(|o| objects::can_read(user, o))
}

fn limits(ctx: &Ctx) -> Reply {
    let used = ctx.store.api_requests;
    let entry = |max: u64, remaining: u64| json!({"Max": max, "Remaining": remaining});
    Reply::json(
        200,
        &json!({
            "DailyApiRequests": entry(DAILY_API_REQUESTS, DAILY_API_REQUESTS.saturating_sub(used)),
            "ConcurrentAsyncGetReportInstances": entry(200, 200),
            "DailyAsyncApexExecutions": entry(250_000, 250_000),
            "DailyBulkApiBatches": entry(15_000, 15_000),
            "DataStorageMB": entry(5, 5),
            "FileStorageMB": entry(20, 20),
        }),
    )
}

fn with_attributes(object: &SObject, mut row: Map<String, Value>, base: &str) -> Value {
    let id = row
        .get("Id")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    let attributes =
        json!({"type": object.name, "url": format!("{base}/sobjects/{}/{id}", object.name)});
    let mut out = Map::new();
    out.insert("attributes".into(), attributes);
    out.append(&mut row);
    Value::Object(out)
}

fn record(ctx: &Ctx, object: &SObject, id: &str, base: &str) -> Reply {
    let row = object.rows(&ctx.store.org).into_iter().find(|row| {
        row.get("Id")
            .and_then(|v| v.as_str())
            .is_some_and(|full| full == id || full.get(..15) == Some(id))
    });
    match row {
        Some(row) => Reply::json(200, &with_attributes(object, row, base)),
        None => Reply::rest_error(404, code::NOT_FOUND),
    }
}

/// `SELECT f, g FROM Object [WHERE ...] [ORDER BY ...] [LIMIT n]`: enough to read a row.
fn query(ctx: &Ctx, user: &User, soql: &str, base: &str) -> Reply {
    if let Some(reply) = crate::emulator::setup_query::permissions_of(ctx, user, soql) {
        return reply;
    }
    if let Some(reply) = crate::emulator::setup_query::answer(ctx, soql) {
        return reply;
    }
    let malformed = || {
        Reply::rest_error(
            400,
            (
                "MALFORMED_QUERY",
                "unexpected token: the query could not be parsed",
            ),
        )
    };
    let words: Vec<&str> = soql.split_whitespace().collect();
    let upper: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
    let (Some(select), Some(from)) = (
        upper.iter().position(|w| w == "SELECT"),
        upper.iter().position(|w| w == "FROM"),
    ) else {
        return malformed();
    };
    if select != 0 || from <= select + 1 || from + 1 >= words.len() {
        return malformed();
    }
    let field_list = words[select + 1..from].join(" ");
    let object_name = words[from + 1];
    let Some(object) = readable(user, object_name) else {
        let message = format!("sObject type '{object_name}' is not supported.");
        return Reply::rest_error(400, ("INVALID_TYPE", &message));
    };
    let mut fields = Vec::new();
    for requested in field_list
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        match object.field(requested) {
            Some(field) => fields.push(field),
            None => {
                let message = format!("No such column '{requested}' on entity '{}'.", object.name);
                return Reply::rest_error(400, ("INVALID_FIELD", &message));
            }
        }
    }
    if fields.is_empty() {
        return malformed();
    }
    let limit = upper
        .iter()
        .position(|w| w == "LIMIT")
        .and_then(|i| words.get(i + 1))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(usize::MAX);
    let records: Vec<Value> = object
        .rows(&ctx.store.org)
        .into_iter()
        .take(limit)
        .map(|row| {
            let picked: Map<String, Value> = fields
                .iter()
                .map(|f| {
                    (
                        (*f).to_string(),
                        row.get(*f).cloned().unwrap_or(Value::Null),
                    )
                })
                .collect();
            with_attributes(object, picked, base)
        })
        .collect();
    Reply::json(
        200,
        &json!({"totalSize": records.len(), "done": true, "records": records}),
    )
}
