//! `/services/data/vNN.0/apps/oauth/...`: the OAuth usage and credentials resources of Connect
//! REST (reference/deploy-and-mcp-apis.md §C.1-C.2, C.4): the org's apps with their `0xI` ids,
//! each app's consumer (`888` id), and its key, or secret too when the org allows consumer
//! secrets over the REST API ("Allow access to External Client App consumer secrets via REST
//! API", `enableClientSecretInRestApiAccess`).

use serde_json::json;

use crate::emulator::Ctx;
use crate::emulator::http::{Reply, Req};
use crate::emulator::ids;
use crate::emulator::org::Credentials;

/// The error when the org setting is off: shape by Connect REST convention, wording from the
/// messages hardis matches ("not currently enabled"); both UNCONFIRMED (§C.4).
const NOT_ENABLED: (&str, &str) = (
    "FUNCTIONALITY_NOT_ENABLED",
    "Access to External Client App consumer secrets via the REST API is not currently enabled for this org.",
);

/// The ids of the org's `index`th app: `0xI…` for the app, `888…` for its consumer.
pub fn ids_of(index: usize) -> (String, String) {
    let n = index as u64 + 1;
    (
        ids::to_18(&format!("0xI5g{n:010}")),
        ids::to_18(&format!("8885g{n:010}")),
    )
}

pub fn handle(ctx: &mut Ctx, req: &Req, version: &str, rest: &[&str]) -> Reply {
    if rest.len() >= 4 && rest[3] == "staged" {
        return staged(ctx, req, version, rest);
    }
    if req.method != "GET" {
        return Reply::rest_error(
            405,
            crate::salesforce::oauth_errors::rest::METHOD_NOT_ALLOWED,
        );
    }
    let base = format!("/services/data/v{version}/apps/oauth/credentials");
    let apps: Vec<(String, String, String, String, String)> = ctx
        .store
        .apps
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let (app_id, consumer_id) = ids_of(i);
            (
                v.current.api_name.clone(),
                v.current.label.clone(),
                app_id,
                consumer_id,
                v.current.consumer_key.clone(),
            )
        })
        .collect();
    let same = |a: &str, b: &str| a.get(..15) == b.get(..15);
    match rest {
        ["usage"] => {
            let list: Vec<_> = apps
                .iter()
                .map(|(name, label, id, _, _)| {
                    json!({"developerName": name, "identifier": id, "label": label})
                })
                .collect();
            Reply::json(200, &json!({"apps": list, "nextPageUrl": null}))
        }
        ["credentials", app_id] => match apps.iter().find(|a| same(&a.2, app_id)) {
            Some((_, label, id, consumer, key)) => Reply::json(
                200,
                &json!({"consumers": [{
                    "id": consumer, "key": key, "name": label,
                    "url": format!("{base}/{id}/{consumer}"),
                    "stagedCredentialsUrl": format!("{base}/{id}/{consumer}/staged"),
                }], "currentPageUrl": format!("{base}/{id}"), "nextPageUrl": null}),
            ),
            None => Reply::rest_error(404, crate::salesforce::oauth_errors::rest::NOT_FOUND),
        },
        ["credentials", app_id, consumer_id] => {
            let Some((name, label, id, consumer, key)) = apps
                .iter()
                .find(|a| same(&a.2, app_id) && same(&a.3, consumer_id))
            else {
                return Reply::rest_error(404, crate::salesforce::oauth_errors::rest::NOT_FOUND);
            };
            // `part` omitted: the key only (§C.1).
            let part = req.query_param("part").unwrap_or("key");
            let mut body = json!({"id": consumer, "name": label,
                "url": format!("{base}/{id}/{consumer}"),
                "stagedCredentialsUrl": format!("{base}/{id}/{consumer}/staged")});
            if part == "key" || part == "keyandsecret" {
                body["key"] = key.clone().into();
            }
            if part == "secret" || part == "keyandsecret" {
                if !ctx.store.org.client_secret_in_rest_api {
                    return Reply::rest_error(403, NOT_ENABLED);
                }
                let secret = ctx
                    .store
                    .apps
                    .iter()
                    .find(|v| v.current.api_name == *name)
                    .map(|v| v.current.consumer_secret.clone())
                    .unwrap_or_default();
                body["secret"] = secret.into();
            }
            Reply::json(200, &body)
        }
        _ => Reply::rest_error(404, crate::salesforce::oauth_errors::rest::NOT_FOUND),
    }
}

/// `.../credentials/{app}/{consumer}/staged[/{id}]` (§C.1-C.3): one staged slot per consumer;
/// POST makes a new pair, PATCH `{"command":"rotate"}` swaps it with the primary (which stays
/// valid as `Rotated`), DELETE drops the slot. Reading secrets needs the org setting.
pub fn staged(ctx: &mut Ctx, req: &Req, version: &str, rest: &[&str]) -> Reply {
    let not_found = || Reply::rest_error(404, crate::salesforce::oauth_errors::rest::NOT_FOUND);
    let (app_id, consumer_id, staged_id) = match rest {
        ["credentials", a, c, "staged"] => (*a, *c, None),
        ["credentials", a, c, "staged", s] => (*a, *c, Some(*s)),
        _ => return not_found(),
    };
    let same = |a: &str, b: &str| a.get(..15) == b.get(..15);
    let Some(index) = (0..ctx.store.apps.len()).find(|i| {
        let (a, c) = ids_of(*i);
        same(&a, app_id) && same(&c, consumer_id)
    }) else {
        return not_found();
    };
    if !ctx.store.org.client_secret_in_rest_api {
        return Reply::rest_error(403, NOT_ENABLED);
    }
    let base = format!("/services/data/v{version}/apps/oauth/credentials/{app_id}/{consumer_id}");
    let mut app = ctx.store.apps[index].current.clone();
    let describe = |s: &Credentials| {
        json!({"id": s.id, "key": s.consumer_key, "secret": s.consumer_secret,
            "state": if s.rotated { "Rotated" } else { "Active" },
            "url": base, "stagedCredentialsUrl": format!("{base}/staged/{}", s.id)})
    };
    let collection = |app: &crate::emulator::org::App| {
        let list: Vec<_> = app.staged.iter().map(describe).collect();
        json!({"stagedCredentials": list, "url": format!("{base}/staged")})
    };
    match (req.method.as_str(), staged_id) {
        ("GET", None) => Reply::json(200, &collection(&app)),
        ("POST", None) => {
            if app.staged.is_some() {
                // Wording UNCONFIRMED: one staged credential per consumer (§C.3).
                return Reply::rest_error(
                    400,
                    (
                        "INVALID_INPUT",
                        "A staged credential already exists; delete it first.",
                    ),
                );
            }
            app.staged = Some(Credentials {
                consumer_key: format!("3MVG9{}", ids::random_base62(80)),
                consumer_secret: ids::random_base62(64),
                id: ids::random_base62(18),
                rotated: false,
            });
            let body = collection(&app);
            // Credentials change at once: no propagation for a staged pair.
            ctx.store.apps[index].current = app;
            Reply::json(201, &body)
        }
        ("PATCH", Some(id)) => {
            let rotate = serde_json::from_slice::<serde_json::Value>(&req.body)
                .is_ok_and(|v| v["command"] == "rotate");
            let Some(staged) = app
                .staged
                .take()
                .filter(|s| s.id == id && !s.rotated && rotate)
            else {
                return Reply::rest_error(
                    400,
                    ("INVALID_INPUT", "No such staged credential to rotate."),
                );
            };
            // The staged pair becomes the primary; the old one stays valid, as Rotated.
            let old = Credentials {
                consumer_key: std::mem::replace(&mut app.consumer_key, staged.consumer_key),
                consumer_secret: std::mem::replace(
                    &mut app.consumer_secret,
                    staged.consumer_secret,
                ),
                id: staged.id,
                rotated: true,
            };
            let body = describe(&old);
            app.staged = Some(old);
            ctx.store.apps[index].current = app;
            Reply::json(200, &body)
        }
        ("DELETE", Some(id)) => match &app.staged {
            Some(staged) if staged.id == id => {
                app.staged = None;
                ctx.store.apps[index].current = app;
                Reply::empty(204)
            }
            _ => not_found(),
        },
        _ => Reply::rest_error(
            405,
            crate::salesforce::oauth_errors::rest::METHOD_NOT_ALLOWED,
        ),
    }
}
