//! `/services/data/vNN.0/metadata/deployRequest`: the Metadata API's REST deploy
//! (reference/deploy-and-mcp-apis.md §B). A multipart POST with the options (part `json`, or
//! `entity_content` as jsforce names it) and the zip (part `file`, raw or base64) starts a job;
//! each poll moves it on (Pending, InProgress, then Succeeded or Failed). A deploy of an
//! External Client App's types creates or updates the app, whose settings then propagate.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use crate::emulator::Ctx;
use crate::emulator::deploy_rules;
use crate::emulator::deploy_zip::{Component, multipart, read_zip};
use crate::emulator::http::{Reply, Req};
use crate::emulator::ids;
use crate::emulator::org::{App, CustomScopeDef, IpRelaxation, PermittedUsers};
use crate::salesforce::oauth_errors::rest as code;

/// A deploy the org holds, with the polls it has answered.
#[derive(Debug, Clone)]
pub struct DeployJob {
    pub id: String,
    pub check_only: bool,
    pub polls: u32,
    pub successes: Vec<Value>,
    pub failures: Vec<Value>,
    /// The apps to put once the job succeeds (none for a check-only deploy).
    pub apps: Vec<App>,
    /// ExternalClientAppSettings.enableClientSecretInRestApiAccess, when the deploy sets it.
    pub secret_access: Option<bool>,
    /// The permission sets the deploy defines.
    pub permission_sets: Vec<crate::emulator::org::PermissionSetDef>,
    /// The OAuth custom scopes the deploy makes or changes.
    pub custom_scopes: Vec<CustomScopeDef>,
    pub applied: bool,
    pub canceled: bool,
    /// The deploy's own error (`errorStatusCode`, `errorMessage`), when it fails as a whole.
    pub error: Option<(&'static str, &'static str)>,
}

impl DeployJob {
    /// A job with nothing in it yet.
    fn empty(id: &str, check_only: bool) -> Self {
        DeployJob {
            id: id.to_string(),
            check_only,
            polls: 0,
            successes: Vec::new(),
            failures: Vec::new(),
            apps: Vec::new(),
            secret_access: None,
            permission_sets: Vec::new(),
            custom_scopes: Vec::new(),
            applied: false,
            canceled: false,
            error: None,
        }
    }
}

pub fn handle(ctx: &mut Ctx, req: &Req, rest: &[&str]) -> Reply {
    match (req.method.as_str(), rest) {
        ("POST", []) => start(ctx, req),
        ("GET", [id]) => poll(ctx, id, req.query_param("includeDetails") == Some("true")),
        ("PATCH", [id]) => cancel(ctx, id),
        _ => Reply::rest_error(405, code::METHOD_NOT_ALLOWED),
    }
}

fn bad_request(message: &str) -> Reply {
    Reply::rest_error(400, ("INVALID_INPUT", message))
}

fn start(ctx: &mut Ctx, req: &Req) -> Reply {
    let Some(boundary) = req
        .header("content-type")
        .filter(|t| t.starts_with("multipart/form-data"))
        .and_then(|t| t.split("boundary=").nth(1))
        .map(|b| b.trim_matches('"').to_string())
    else {
        return bad_request("Content-Type must be multipart/form-data");
    };
    let parts = multipart(&req.body, &boundary);
    let options = parts
        .iter()
        .find(|p| p.name == "json" || p.name == "entity_content")
        .and_then(|p| serde_json::from_slice::<Value>(&p.body).ok());
    let Some(options) = options else {
        return bad_request("missing the deployOptions part (json or entity_content)");
    };
    let Some(file) = parts.iter().find(|p| p.name == "file") else {
        return bad_request("missing the zip part (file)");
    };
    let zip = if file.base64 {
        let text: String = String::from_utf8_lossy(&file.body)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        match STANDARD.decode(text) {
            Ok(bytes) => bytes,
            Err(_) => return bad_request("the base64 zip doesn't decode"),
        }
    } else {
        file.body.clone()
    };
    let deploy_options = options.get("deployOptions").cloned().unwrap_or(json!({}));
    let check_only = deploy_options["checkOnly"].as_bool().unwrap_or(false);
    let id = ids::to_18(&format!("0Af5g{:010}", ctx.store.deploys.len() + 1));
    let test_level = deploy_options["testLevel"].as_str();
    let refused = ctx.store.org.org_type.refuses_test_level(test_level);
    let job = match read_zip(&zip) {
        // The whole deploy fails, no component deployed. Whether Salesforce refuses it at the
        // POST or in the job's result is UNCONFIRMED; reports quote the result's message.
        Ok(_) if refused.is_some() => DeployJob {
            error: refused.map(|message| ("INVALID_OPERATION", message)),
            ..DeployJob::empty(&id, check_only)
        },
        Ok(components) => plan(ctx, &id, check_only, &components),
        Err(problem) => DeployJob {
            failures: vec![failure("package.xml", "Package", "package.xml", &problem)],
            ..DeployJob::empty(&id, check_only)
        },
    };
    ctx.store.deploys.insert(id.clone(), job);
    let body = json!({
        "id": id,
        "validatedDeployRequestId": null,
        "deployOptions": deploy_options,
        "deployResult": {"id": id, "status": "Pending", "done": false, "success": false},
    });
    Reply::json(201, &body)
}

fn failure(file: &str, kind: &str, name: &str, problem: &str) -> Value {
    json!({"componentType": kind, "fullName": name, "fileName": file, "problem": problem,
        "problemType": "Error", "success": false, "created": false, "changed": false,
        "deleted": false})
}

/// A component that deployed: `created` when the org had none, `changed` when it had one that
/// differs. Salesforce's DeployMessage: "If false, the deployed component was the same as the
/// corresponding component already in the org" (Apex DeployMessage class reference); whether
/// a check-only deploy reports it for the ECA types is UNCONFIRMED, and apply only trusts an
/// all-unchanged answer to skip a deploy.
fn success(c: &Component, created: bool, changed: bool) -> Value {
    json!({"componentType": c.kind, "fullName": c.name, "fileName": c.file,
        "success": true, "created": created, "changed": changed, "deleted": false})
}

/// Checks every component and works out the apps the deploy leaves in the org.
fn plan(ctx: &Ctx, id: &str, check_only: bool, components: &[Component]) -> DeployJob {
    let mut successes = Vec::new();
    let mut failures = Vec::new();
    let mut apps: BTreeMap<String, App> = BTreeMap::new();
    let stored = |name: &str| {
        ctx.store
            .apps
            .iter()
            .find(|v| v.current.api_name == name)
            .map(|v| &v.current)
    };
    // The custom scopes an app's settings may list: the org's, and those this deploy makes.
    let made_scopes: Vec<CustomScopeDef> = components
        .iter()
        .filter(|c| c.kind == "OauthCustomScope")
        .filter_map(|c| deploy_rules::custom_scope(c).ok())
        .collect();
    let mut known_scopes = ctx.store.org.custom_scopes.clone();
    known_scopes.retain(|k| !made_scopes.iter().any(|m| m.name == k.name));
    known_scopes.extend(made_scopes.iter().cloned());
    let mut headers = Vec::new();
    for c in components
        .iter()
        .filter(|c| c.kind == "ExternalClientApplication")
    {
        let existing = stored(&c.name);
        if existing.is_some_and(|e| e.installed_from.is_some()) {
            let problem = crate::salesforce::deploy_failures::installed(&c.name);
            failures.push(failure(&c.file, c.kind, &c.name, &problem));
            continue;
        }
        let mut app = existing.cloned().unwrap_or_else(|| new_app(&c.name));
        app.label = c
            .leaves
            .get("label")
            .cloned()
            .unwrap_or_else(|| c.name.clone());
        headers.push(success(
            c,
            existing.is_none(),
            existing.is_some_and(|e| e.label != app.label),
        ));
        apps.insert(c.name.clone(), app);
    }
    for c in components
        .iter()
        .filter(|c| c.kind != "ExternalClientApplication")
    {
        let outcome = match c.kind {
            "PermissionSet" => match permission_set_problem(c) {
                Some(problem) => Err(problem),
                None => {
                    let existing = ctx
                        .store
                        .org
                        .permission_sets
                        .iter()
                        .find(|p| p.name == c.name);
                    Ok((
                        existing.is_none(),
                        existing.is_some_and(|p| *p != permission_set(c)),
                    ))
                }
            },
            "Settings" if c.name == "ExternalClientApp" => {
                let on = c
                    .leaves
                    .get("enableClientSecretInRestApiAccess")
                    .map(|v| v == "true");
                Ok((
                    false,
                    on.is_some_and(|on| on != ctx.store.org.client_secret_in_rest_api),
                ))
            }
            "Settings" => Err(format!("the emulator knows no {} settings", c.name)),
            "OauthCustomScope" => deploy_rules::custom_scope(c).map(|scope| {
                let existing = ctx
                    .store
                    .org
                    .custom_scopes
                    .iter()
                    .find(|s| s.name == scope.name);
                (existing.is_none(), existing.is_some_and(|e| *e != scope))
            }),
            _ => satellite(ctx, c, &mut apps, &known_scopes).map(|(parent, before)| {
                let after = apps.get(&parent);
                // An org-wide PKCE requirement turns the app's PKCE back on after the deploy:
                // a package saying off differs from the org each time (UNCONFIRMED that
                // Salesforce reports it so; docs/unconfirmed.md).
                let forced_back = c.kind == "ExtlClntAppGlobalOauthSettings"
                    && ctx.store.org.pkce_required_org_wide
                    && c.leaves.get("isPkceRequired").is_some_and(|v| v == "false");
                (
                    stored(&parent).is_none(),
                    before.as_ref() != after || forced_back,
                )
            }),
        };
        match outcome {
            Err(problem) => failures.push(failure(&c.file, c.kind, &c.name, &problem)),
            Ok((created, changed)) => successes.push(success(c, created, changed)),
        }
    }
    successes.extend(headers);
    let secret_access = components
        .iter()
        .find(|c| c.kind == "Settings" && c.name == "ExternalClientApp")
        .and_then(|c| c.leaves.get("enableClientSecretInRestApiAccess"))
        .map(|v| v == "true");
    let permission_sets = components
        .iter()
        .filter(|c| c.kind == "PermissionSet")
        .map(permission_set)
        .collect();
    DeployJob {
        successes,
        failures,
        apps: apps.into_values().collect(),
        secret_access,
        permission_sets,
        custom_scopes: made_scopes,
        ..DeployJob::empty(id, check_only)
    }
}

/// A new app as a deploy creates it: OAuth off until its settings say otherwise, and a
/// consumer key and secret Salesforce generates (§B.5: supplied ones are not used).
fn new_app(name: &str) -> App {
    let mut app = App::demo();
    app.api_name = name.to_string();
    app.consumer_key = format!("3MVG9{}", ids::random_base62(80));
    app.consumer_secret = ids::random_base62(64);
    app.callback_urls = Vec::new();
    app.scopes = Vec::new();
    app.client_credentials = false;
    app.jwt_certificate = None;
    app.named_user_jwt = false;
    app.policies = Default::default();
    // No settings or policies yet: the deploys that carry them name them.
    app.members = Some(BTreeMap::new());
    app
}

fn permission_set(c: &Component) -> crate::emulator::org::PermissionSetDef {
    crate::emulator::org::PermissionSetDef {
        name: c.name.clone(),
        api_enabled: c.leaves.contains_key("userPermission:ApiEnabled"),
        objects: c.objects.clone(),
        system_permissions: c
            .leaves
            .keys()
            .filter_map(|k| k.strip_prefix("userPermission:"))
            .filter(|p| *p != "ApiEnabled")
            .map(String::from)
            .collect(),
    }
}

/// The app a satellite names, with its settings applied: that app's name and how it was before.
fn satellite(
    ctx: &Ctx,
    c: &Component,
    apps: &mut BTreeMap<String, App>,
    known_scopes: &[CustomScopeDef],
) -> Result<(String, Option<App>), String> {
    let parent = c
        .leaves
        .get("externalClientApplication")
        .cloned()
        .unwrap_or_default();
    if !apps.contains_key(&parent) {
        let Some(existing) = ctx.store.apps.iter().find(|v| v.current.api_name == parent) else {
            return Err(crate::salesforce::deploy_failures::unknown_app(&parent));
        };
        apps.insert(parent.clone(), existing.current.clone());
    }
    let before = apps.get(&parent).cloned();
    let app = apps.get_mut(&parent).ok_or("no app")?;
    // An installed app's settings are the vendor's package's; only its policies are the org's.
    if app.installed_from.is_some() && c.kind.ends_with("Settings") {
        return Err(crate::salesforce::deploy_failures::installed(&parent));
    }
    // One component of each type per app: another name is a second record for the same app.
    if let Some(existing) = app.member(c.kind)
        && existing != c.name
    {
        return Err(crate::salesforce::deploy_failures::duplicate_member(
            &existing,
        ));
    }
    app.set_member(c.kind, &c.name);
    let flag = |key: &str| c.leaves.get(key).map(|v| v == "true");
    match c.kind {
        "ExtlClntAppGlobalOauthSettings" => {
            if let Some(urls) = c.leaves.get("callbackUrl") {
                app.callback_urls = urls
                    .lines()
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(String::from)
                    .collect();
            }
            app.client_credentials = flag("isClientCredentialsFlowEnabled").unwrap_or(false);
            app.require_secret_web_server = !flag("isConsumerSecretOptional").unwrap_or(false);
            app.require_pkce =
                flag("isPkceRequired").unwrap_or(false) || ctx.store.org.pkce_required_org_wide;
            app.require_secret_refresh = flag("isSecretRequiredForRefreshToken").unwrap_or(true);
            app.refresh_token_rotation = flag("isRefreshTokenRotationEnabled").unwrap_or(false);
            app.introspect_all_tokens = flag("isIntrospectAllTokens").unwrap_or(false);
            app.named_user_jwt = flag("isNamedUserJwtEnabled").unwrap_or(false);
            app.token_exchange = flag("isTokenExchangeEnabled").unwrap_or(false);
            app.device_flow = flag("isDeviceFlowEnabled").unwrap_or(false);
            app.jwt_certificate = c
                .leaves
                .get("certificate")
                .cloned()
                .filter(|c| !c.is_empty());
        }
        "ExtlClntAppOauthSettings" => {
            // A retrieved file's link to its org's app; no emulated app is packaged.
            if c.leaves.contains_key("oauthLink") {
                return Err(crate::salesforce::deploy_failures::oauth_link(&parent));
            }
            let tokens = c
                .leaves
                .get("commaSeparatedOauthScopes")
                .cloned()
                .unwrap_or_default();
            let custom = deploy_rules::listed_custom_scopes(c, known_scopes)?;
            app.scopes = tokens
                .split(',')
                .map(str::trim)
                .flat_map(|token| {
                    crate::salesforce::scopes::SCOPES
                        .iter()
                        .filter(move |s| s.token == token)
                })
                .map(|s| s.value.to_string())
                .chain(custom)
                .collect();
        }
        "ExtlClntAppOauthConfigurablePolicies" => {
            let policies = &mut app.policies;
            policies.permitted_users =
                match c.leaves.get("permittedUsersPolicyType").map(String::as_str) {
                    Some("AdminApprovedPreAuthorized") => {
                        PermittedUsers::AdminApprovedPreAuthorized
                    }
                    _ => PermittedUsers::AllSelfAuthorized,
                };
            policies.client_credentials = flag("isClientCredentialsFlowEnabled").unwrap_or(false);
            policies.run_as = c.leaves.get("clientCredentialsFlowUser").cloned();
            if let Some(user) = &policies.run_as
                && ctx.store.org.user(user).is_none()
            {
                return Err(crate::salesforce::deploy_failures::RUN_AS_USER.to_string());
            }
            policies.permission_sets = c.comma_list("commaSeparatedPermissionSet");
            policies.ip_relaxation =
                match c.leaves.get("ipRelaxationPolicyType").map(String::as_str) {
                    Some("Bypass") => IpRelaxation::Bypass,
                    Some("Bypass_2factor") => IpRelaxation::Bypass2Factor,
                    Some("Enforce_RelaxRefresh") => IpRelaxation::EnforceRelaxRefresh,
                    _ => IpRelaxation::Enforce,
                };
            policies.refresh_token_policy = deploy_rules::refresh_policy(c)?;
            policies.session_timeout_minutes = deploy_rules::session_timeout(c)?;
            policies.token_exchange = flag("isTokenExchangeFlowEnabled").unwrap_or(false);
            policies.profiles = c.comma_list("commaSeparatedProfile");
            // The policies' own list must name custom scopes the org has, too.
            deploy_rules::listed_custom_scopes(c, known_scopes)?;
        }
        "ExtlClntAppConfigurablePolicies" => {
            app.oauth_enabled =
                flag("isOauthPluginEnabled").unwrap_or(true) && flag("isEnabled").unwrap_or(true);
        }
        _ => {}
    }
    Ok((parent, before))
}

/// Objects without object permissions fail a permission set's deploy (ff: jetstream#1715).
fn permission_set_problem(c: &Component) -> Option<String> {
    if let Some(problem) = deploy_rules::user_permissions_problem(c) {
        return Some(problem);
    }
    c.objects.iter().find_map(
        |object| match crate::salesforce::objects::access_for(object) {
            crate::salesforce::objects::Access::Other(_) => {
                Some(crate::salesforce::deploy_failures::object_without_permissions(object))
            }
            _ => None,
        },
    )
}

fn poll(ctx: &mut Ctx, id: &str, details: bool) -> Reply {
    let now = ctx.now;
    let Some(job) = ctx.store.deploys.get_mut(id) else {
        return Reply::rest_error(404, code::NOT_FOUND);
    };
    job.polls += 1;
    let done = job.polls >= 2;
    let failed = !job.failures.is_empty() || job.error.is_some();
    let status = match (done, failed) {
        (false, _) => "InProgress",
        _ if job.canceled => "Canceled",
        (true, true) => "Failed",
        (true, false) => "Succeeded",
    };
    // rollbackOnError: a failed deploy changes nothing; a check-only one never does.
    let apply = done && !failed && !job.check_only && !job.applied;
    if apply {
        job.applied = true;
    }
    let job = job.clone();
    if apply {
        for app in &job.apps {
            ctx.store.put_app(app.clone(), now);
        }
        if let Some(on) = job.secret_access {
            ctx.store.org.client_secret_in_rest_api = on;
        }
        for set in &job.permission_sets {
            crate::emulator::people::define(&mut ctx.store.org, set.clone());
        }
        for scope in &job.custom_scopes {
            let scopes = &mut ctx.store.org.custom_scopes;
            scopes.retain(|s| s.name != scope.name);
            scopes.push(scope.clone());
        }
    }
    let mut result = json!({
        "id": job.id, "status": status, "done": done, "success": done && !failed,
        "checkOnly": job.check_only, "rollbackOnError": true,
        "numberComponentsTotal": job.successes.len() + job.failures.len(),
        "numberComponentsDeployed": if done { job.successes.len() } else { 0 },
        "numberComponentErrors": if done { job.failures.len() } else { 0 },
        "errorMessage": null, "errorStatusCode": null,
    });
    if let (true, Some((status_code, message))) = (done, job.error) {
        result["errorStatusCode"] = status_code.into();
        result["errorMessage"] = format!("{status_code}: {message}").into();
    }
    if details && done {
        result["details"] = json!({"componentSuccesses": job.successes,
            "componentFailures": job.failures});
    }
    Reply::json(200, &json!({"id": job.id, "deployResult": result}))
}

fn cancel(ctx: &mut Ctx, id: &str) -> Reply {
    match ctx.store.deploys.get_mut(id) {
        Some(job) if !job.applied => {
            job.canceled = true;
            job.failures.push(failure("", "Deploy", id, "Canceled"));
            Reply::empty(202)
        }
        Some(_) => bad_request("the deploy is done"),
        None => Reply::rest_error(404, code::NOT_FOUND),
    }
}
