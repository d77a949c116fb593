//! Installing a vendor's package, as the Tooling API does it: `PackageInstallRequest` created
//! with a `SubscriberPackageVersionKey` (04t) and, for a protected package, its `Password`
//! (the installation key); then read by id until its `Status` leaves `IN_PROGRESS` for
//! `SUCCESS` or `ERROR` (with `Errors.errors[].message`); `InstalledSubscriberPackage` lists what
//! the org has. A successful install brings the package's External Client App, with the
//! vendor's consumer key, its policies named as a package installs them.
//!
//! Sources: Tooling API PackageInstallRequest (API 41.0+: fields, Status values
//! ERROR/IN_PROGRESS/SUCCESS/UNKNOWN; @salesforce/packaging `PackagingSObjects`);
//! forcedotcom/packaging `packageInstall.ts` (create, then retrieve by id until SUCCESS or
//! ERROR); the key errors' words from forcedotcom/packaging PR #580 ("Please provide
//! installationkey ...", "Invalid InstallationKey ...") and their `INSTALL_KEY` error names.
//! The error codes chosen, the unknown-version and already-installed wording are UNCONFIRMED
//! (docs/unconfirmed.md).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::emulator::Ctx;
use crate::emulator::http::{Reply, Req};
use crate::emulator::ids;
use crate::emulator::org::App;

/// A package version the emulator's "AppExchange" can install.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedPackage {
    /// The subscriber package version id (04t, 18 characters).
    pub version_id: String,
    /// The package (033) its versions share; without it, a package of its own.
    #[serde(default)]
    pub package_id: Option<String>,
    pub name: String,
    /// The installation key, for a protected package.
    #[serde(default)]
    pub install_key: Option<String>,
    /// The External Client App it carries, with the vendor's consumer key and secret.
    pub app: App,
}

/// An install request and where it is.
#[derive(Debug, Clone)]
pub struct InstallRequest {
    pub version_id: String,
    pub status: &'static str,
    pub error: Option<String>,
    /// Reads left before it ends (an install takes a while).
    pub reads_left: u32,
    /// The order it was made in, for `ORDER BY CreatedDate`.
    pub created: usize,
}

/// The public packages the emulator knows: one open, one protected by a key (`open-sesame`).
pub fn known() -> Vec<PublishedPackage> {
    let ledger = Some(ids::to_18("0335g000000Ldg0"));
    vec![
        PublishedPackage {
            package_id: ledger.clone(),
            ..published("04t5g000000LdgSAAS", "Ledger Sync", None, "Ledger_Sync")
        },
        // An older version of the same package, which an org may have installed already.
        PublishedPackage {
            package_id: ledger,
            ..published(
                &ids::to_18("04t5g000000Ldg1"),
                "Ledger Sync",
                None,
                "Ledger_Sync",
            )
        },
        published(
            "04t5g000000KeyPAAS",
            "Keyed Connector",
            Some("open-sesame"),
            "Keyed_Connector",
        ),
    ]
}

fn published(id: &str, name: &str, key: Option<&str>, app: &str) -> PublishedPackage {
    let mut eca = App::demo();
    eca.api_name = app.to_string();
    eca.label = name.to_string();
    // The vendor's key: the global settings travel with the package (Help "OAuth Plugin
    // Enablement with Metadata API").
    eca.consumer_key = format!(
        "3MVG9Pkg{}VendorKey{}",
        app.replace('_', ""),
        "x".repeat(40)
    );
    eca.consumer_secret = format!("{}VendorSecret", app.replace('_', ""));
    eca.callback_urls = vec!["https://vendor.example/oauth/callback".into()];
    eca.scopes = vec!["api".into(), "id".into(), "refresh_token".into()];
    eca.client_credentials = true;
    eca.jwt_certificate = None;
    eca.named_user_jwt = false;
    eca.policies = Default::default();
    eca.installed_from = Some(id.to_string());
    PublishedPackage {
        version_id: id.to_string(),
        package_id: None,
        name: name.to_string(),
        install_key: key.map(String::from),
        app: eca,
    }
}

/// `tooling/sobjects/PackageInstallRequest[/{id}]` and `tooling/query`.
pub(crate) fn handle(ctx: &mut Ctx, req: &Req, path: &[&str]) -> Reply {
    match (path, req.method.as_str()) {
        (["sobjects", "PackageInstallRequest"], "POST") => create(ctx, req),
        (["sobjects", "PackageInstallRequest", id], "GET") => read(ctx, id),
        (["query"], "GET") => query(ctx, req.query_param("q").unwrap_or_default()),
        _ => Reply::rest_error(404, crate::salesforce::oauth_errors::rest::NOT_FOUND),
    }
}

fn error(status: u16, code: &str, message: &str) -> Reply {
    Reply::json(
        status,
        &json!([{"message": message, "errorCode": code, "fields": []}]),
    )
}

fn create(ctx: &mut Ctx, req: &Req) -> Reply {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return error(400, "JSON_PARSER_ERROR", "The request body isn't JSON.");
    };
    let key = body["SubscriberPackageVersionKey"]
        .as_str()
        .unwrap_or_default();
    let Some(id) = ids::widen(key, "04t") else {
        return error(
            400,
            "MALFORMED_ID",
            &format!("Subscriber Package Version ID: id value of incorrect type: {key}"),
        );
    };
    let Some(package) = ctx.store.org.packages.iter().find(|p| p.version_id == id) else {
        return error(
            400,
            "INVALID_CROSS_REFERENCE_KEY",
            &format!(
                "The subscriber package version {key} is invalid, no subscriber package version record found."
            ),
        );
    };
    let password = body["Password"].as_str().filter(|p| !p.is_empty());
    if let Some(refused) = refuse_key(package, password) {
        return refused;
    }
    let request_id = ids::to_18(&format!("0Hf{}", &ids::random_base62(12)));
    let created = ctx.store.install_requests.len();
    ctx.store.install_requests.insert(
        request_id.clone(),
        InstallRequest {
            version_id: id,
            status: "IN_PROGRESS",
            error: None,
            reads_left: 0,
            created,
        },
    );
    Reply::json(
        201,
        &json!({"id": request_id, "success": true, "errors": []}),
    )
}

/// Reading a request moves it on: after a read in progress it ends, installing the app.
fn read(ctx: &mut Ctx, id: &str) -> Reply {
    let Some(request) = ctx.store.install_requests.get(id).cloned() else {
        return error(404, "NOT_FOUND", "The requested resource does not exist");
    };
    let request = if request.status == "IN_PROGRESS" && request.reads_left == 0 {
        finish(ctx, id, request)
    } else {
        let mut request = request;
        request.reads_left = request.reads_left.saturating_sub(1);
        ctx.store
            .install_requests
            .insert(id.to_string(), request.clone());
        request
    };
    let errors = request
        .error
        .as_ref()
        .map(|m| json!({"errors": [{"message": m}]}));
    Reply::json(
        200,
        &json!({
            "attributes": {"type": "PackageInstallRequest"},
            "Id": id,
            "SubscriberPackageVersionKey": request.version_id,
            "Status": request.status,
            "Errors": errors,
            "NameConflictResolution": "Block",
            "SecurityType": "None",
        }),
    )
}

/// The install itself: a version already there is refused; otherwise the app arrives (then
/// propagates, as any new app).
fn finish(ctx: &mut Ctx, id: &str, mut request: InstallRequest) -> InstallRequest {
    let installed = ctx
        .store
        .apps
        .iter()
        .any(|v| v.current.installed_from.as_deref() == Some(&request.version_id));
    let package = ctx
        .store
        .org
        .packages
        .iter()
        .find(|p| p.version_id == request.version_id)
        .cloned();
    match package {
        _ if installed => {
            request.status = "ERROR";
            request.error = Some("This package version is already installed.".into());
        }
        Some(package) => {
            let mut app = package.app;
            app.installed_from = Some(package.version_id);
            app.members = Some(packaged_members(&app.api_name));
            ctx.store.put_app(app, ctx.now);
            request.status = "SUCCESS";
        }
        None => {
            request.status = "ERROR";
            request.error = Some("The package version is no longer available.".into());
        }
    }
    ctx.store
        .install_requests
        .insert(id.to_string(), request.clone());
    request
}

/// A package installs the policies as `<App>_oauth_defaultPolicy` and `<App>_defaultPolicy`
/// (field-facts-2026.md "Metadata that deploys"); the settings keep the developer's names.
fn packaged_members(app: &str) -> std::collections::BTreeMap<String, String> {
    [
        ("ExtlClntAppGlobalOauthSettings", "_glbloauth"),
        ("ExtlClntAppOauthSettings", "_oauth"),
        (
            "ExtlClntAppOauthConfigurablePolicies",
            "_oauth_defaultPolicy",
        ),
        ("ExtlClntAppConfigurablePolicies", "_defaultPolicy"),
    ]
    .iter()
    .map(|(kind, suffix)| (kind.to_string(), format!("{app}{suffix}")))
    .collect()
}

/// `SELECT SubscriberPackageVersion.Id ... FROM InstalledSubscriberPackage`: the packages the
/// org has (the Salesforce CLI's `package installed list` query); and the install requests.
fn query(ctx: &Ctx, soql: &str) -> Reply {
    if soql.contains("FROM PackageInstallRequest") {
        return install_requests(ctx, soql);
    }
    if soql.contains("FROM SubscriberPackageVersion") {
        return package_version(ctx, soql);
    }
    if !soql.contains("FROM InstalledSubscriberPackage") {
        return error(
            400,
            "INVALID_TYPE",
            "sObject type is not supported by the emulator's Tooling API",
        );
    }
    let records: Vec<Value> = ctx
        .store
        .apps
        .iter()
        .filter_map(|v| v.current.installed_from.clone())
        .map(|id| {
            let package = ctx.store.org.packages.iter().find(|p| p.version_id == id);
            json!({
                "attributes": {"type": "InstalledSubscriberPackage"},
                "SubscriberPackageId": package.map(package_of),
                "SubscriberPackageVersion": {"Id": id, "Name": package.map(|p| p.name.clone())},
            })
        })
        .collect();
    Reply::json(
        200,
        &json!({"size": records.len(), "totalSize": records.len(), "done": true, "records": records}),
    )
}

/// `SELECT Id, Status, SubscriberPackageVersionKey FROM PackageInstallRequest [ORDER BY
/// CreatedDate DESC] [LIMIT n]`: the install requests the org keeps (Tooling API
/// PackageInstallRequest supports Query), newest first when asked, as many as the limit.
/// Reading them this way doesn't move an install on.
fn install_requests(ctx: &Ctx, soql: &str) -> Reply {
    let mut requests: Vec<(&String, &InstallRequest)> = ctx.store.install_requests.iter().collect();
    requests.sort_by_key(|(_, r)| r.created);
    if soql.contains("ORDER BY CreatedDate DESC") {
        requests.reverse();
    }
    let limit = soql
        .split_once("LIMIT ")
        .and_then(|(_, n)| n.trim().parse::<usize>().ok())
        .unwrap_or(usize::MAX);
    let records: Vec<Value> = requests
        .into_iter()
        .take(limit)
        .map(|(id, request)| {
            json!({
                "attributes": {"type": "PackageInstallRequest"},
                "Id": id,
                "Status": request.status,
                "SubscriberPackageVersionKey": request.version_id,
            })
        })
        .collect();
    Reply::json(
        200,
        &json!({"size": records.len(), "totalSize": records.len(), "done": true, "records": records}),
    )
}

/// The package a version belongs to (033).
fn package_of(package: &PublishedPackage) -> String {
    package.package_id.clone().unwrap_or_else(|| {
        let body = package.version_id.get(3..15).unwrap_or("000000000000");
        ids::to_18(&format!("033{body}"))
    })
}

/// `SELECT ... FROM SubscriberPackageVersion WHERE Id = '04t...' [AND InstallationKey = '...']`:
/// a version is read only by its id, and a protected one only with its key (forcedotcom/packaging
/// PR #580's words). The refusal of a query without an id is UNCONFIRMED (docs/unconfirmed.md).
fn package_version(ctx: &Ctx, soql: &str) -> Reply {
    let Some(id) = quoted_after(soql, "Id = '").and_then(|id| ids::widen(&id, "04t")) else {
        return error(
            400,
            "MALFORMED_QUERY",
            "SubscriberPackageVersion can be queried only by its Id",
        );
    };
    let Some(package) = ctx.store.org.packages.iter().find(|p| p.version_id == id) else {
        return Reply::json(
            200,
            &json!({"size": 0, "totalSize": 0, "done": true, "records": []}),
        );
    };
    let key = quoted_after(soql, "InstallationKey = '");
    if let Some(refused) = refuse_key(package, key.as_deref()) {
        return refused;
    }
    let record = json!({
        "attributes": {"type": "SubscriberPackageVersion"},
        "Id": id,
        "SubscriberPackageId": package_of(package),
        "Name": package.name,
    });
    Reply::json(
        200,
        &json!({"size": 1, "totalSize": 1, "done": true, "records": [record]}),
    )
}

/// The SOQL string literal that follows `marker`, its escapes undone.
fn quoted_after(soql: &str, marker: &str) -> Option<String> {
    let rest = &soql[soql.find(marker)? + marker.len()..];
    let mut value = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => value.push(chars.next()?),
            '\'' => return Some(value),
            c => value.push(c),
        }
    }
    None
}

/// A protected version without its key, or with another: refused in the words Salesforce uses
/// for both the install and the version query (forcedotcom/packaging PR #580).
fn refuse_key(package: &PublishedPackage, given: Option<&str>) -> Option<Reply> {
    match (&package.install_key, given) {
        (Some(_), None) => Some(error(
            400,
            "INSTALL_KEY_REQUIRED",
            "Please provide installationkey when querying against SubscriberPackageVersion that is protected by installationkey",
        )),
        (Some(expected), Some(given)) if expected != given => Some(error(
            400,
            "INSTALL_KEY_INVALID",
            "Invalid InstallationKey for SubscriberPackageVersion",
        )),
        _ => None,
    }
}
