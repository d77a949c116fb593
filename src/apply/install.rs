//! Installing the vendor's package for a recipe with `[package]`, through the admin's session:
//! the Tooling API's `PackageInstallRequest`, created, then read by id until it leaves
//! `IN_PROGRESS` (bounded), as the Salesforce CLI's `sf package install` does
//! (forcedotcom/packaging `src/package/packageInstall.ts`: `tooling.create`, then
//! `tooling.retrieve` until SUCCESS or ERROR). What the org has already (`installed`) decides
//! whether it installs at all, so apply installs once. An install can't be cancelled once
//! requested: a terminating signal meanwhile is noted, the install is waited for, and apply
//! stops before the policies deploy.

use std::fmt;
use std::time::Duration;

use serde_json::{Value, json};

use crate::apply::installed::Found;
use crate::apply::session::Session;
use crate::net::SendLogged;
use crate::oauth::client::{read_body, transport_detail, unread};
use crate::recipe::package::Package;
use crate::salesforce::packaging::PackageVersionId;
use crate::secret::Secret;
use crate::terminal_safe::terminal_safe;

/// The environment variable apply reads an installation key from (never a flag: a command
/// line is visible to other users and kept in shell history).
pub const INSTALL_KEY_VAR: &str = "ECA_WIZARD_INSTALL_KEY";

/// How often the install is read (the CLI reads every 5 s; apply's deploy polls every 2 s).
const POLL_EVERY: Duration = Duration::from_secs(2);
/// How many reads an install gets before apply gives up waiting: ten minutes, twice the
/// CLI's default `--wait`.
const MAX_READS: u32 = 300;

/// What the install step did or found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageEvent {
    /// In the plan: what is installed, and what the org has of it.
    Planned {
        name: String,
        publisher: String,
        version: String,
        installed: Found,
        dry_run: bool,
    },
    Status(String),
    Installed {
        name: String,
        request: String,
    },
    /// A dry run can't validate the policies of an app that isn't installed yet.
    ValidatedOnceInstalled {
        name: String,
    },
    /// A signal arrived while the install ran: it was waited for, and apply stops here.
    Stopped {
        signal: &'static str,
    },
    /// A signal after the install, seen between apply's next steps.
    StoppedAfter {
        signal: &'static str,
        before: &'static str,
        /// The integration user apply created meanwhile, which stays.
        user: Option<String>,
    },
}

impl fmt::Display for PackageEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackageEvent::Planned {
                name,
                publisher,
                version,
                installed: Found::Other(other),
                ..
            } => write!(
                f,
                "Package: {name} by {publisher} is installed at another version ({other}); the recipe names {version}. apply doesn't upgrade or downgrade an installed package (an upgrade can't be undone), so it deploys only the installed app's policies; to move to the recipe's version, upgrade in Setup > Installed Packages or with {publisher}'s install link."
            ),
            PackageEvent::Planned {
                name,
                publisher,
                version,
                installed: Found::This,
                ..
            } => write!(
                f,
                "Package: {name} by {publisher} ({version}) is installed already; apply deploys only the installed app's policies."
            ),
            PackageEvent::Planned {
                name,
                publisher,
                version,
                installed: Found::Running(request),
                ..
            } => write!(
                f,
                "Package: an install of {name} by {publisher} ({version}) is running in the org already (request {request}), perhaps one an earlier apply stopped following: apply waits for it instead of requesting another, then deploys the installed app's policies."
            ),
            PackageEvent::Planned {
                name,
                publisher,
                version,
                installed: Found::Missing,
                dry_run,
            } => write!(
                f,
                "Package: {} {name} by {publisher} ({version}) first (Tooling API PackageInstallRequest, for admins only), which brings the app; then deploys the installed app's policies.\n  \
                 To undo: Setup > Installed Packages > {name} > Uninstall (or `sf package uninstall --package {version}`); uninstalling deletes the package's components and data, and the policies go with the app.",
                if *dry_run {
                    "would install"
                } else {
                    "installs"
                }
            ),
            PackageEvent::Status(status) => write!(f, "  install: {status}"),
            PackageEvent::Installed { name, request } => {
                write!(f, "Installed {name} (install request {request}).")
            }
            PackageEvent::ValidatedOnceInstalled { name } => write!(
                f,
                "\nDry run: the policies can be validated only once {name} is installed (the app comes with it). Nothing in the org changed."
            ),
            PackageEvent::StoppedAfter {
                signal,
                before,
                user,
            } => {
                write!(
                    f,
                    "{signal}: the package is installed; stopping {before}: apply again to finish."
                )?;
                match user {
                    Some(user) => write!(
                        f,
                        " The integration user {user} was created and stays: apply again with --run-as {user}."
                    ),
                    None => Ok(()),
                }
            }
            PackageEvent::Stopped { signal } => write!(
                f,
                "{signal}: the install had been requested and can't be cancelled; it was waited for. Stopping before the policies deploy: apply again to deploy them."
            ),
        }
    }
}

/// The installation key, from the environment: required when the recipe says the package
/// needs one, and sent whenever it is set (a recipe may not know the package is protected).
pub fn install_key(package: &Package) -> anyhow::Result<Option<Secret>> {
    match std::env::var(INSTALL_KEY_VAR) {
        Ok(key) if !key.is_empty() => Ok(Some(Secret::new(key))),
        _ if !package.install_key => Ok(None),
        _ => Err(crate::commands::UsageError(format!(
            "{} needs the installation key {} gave you: set {INSTALL_KEY_VAR} to it, then apply again (nothing in the org changed)",
            terminal_safe(&package.name),
            terminal_safe(&package.publisher)
        ))
        .into()),
    }
}

/// How the install is waited for: how often it is read, and the signals noted meanwhile.
pub struct Waiting<'a> {
    pub every: Duration,
    pub signals: &'a mut crate::signals::Terminating,
}

/// Requests the install: the request's id.
pub(crate) async fn request(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
    (id, key): (&PackageVersionId, Option<&Secret>),
) -> anyhow::Result<String> {
    // The CLI's defaults for a managed package: no name conflicts renamed, admins only.
    let mut body = json!({
        "SubscriberPackageVersionKey": id.as_str(),
        "NameConflictResolution": "Block",
        "SecurityType": "None",
    });
    if let Some(key) = key {
        body["Password"] = Value::String(key.expose().to_string());
    }
    let response = http
        .post(requests_url(session, version))
        .bearer_auth(session.token.expose())
        .json(&body)
        .send_logged()
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "the install request didn't reach the org: {}",
                transport_detail(&e)
            )
        })?;
    let created = answer(response, "the org refused the install").await?;
    created["id"]
        .as_str()
        .and_then(crate::apply::installed::record_id)
        .ok_or_else(|| anyhow::anyhow!("the install request's answer has no record id"))
}

fn requests_url(session: &Session, version: &str) -> String {
    format!(
        "{}/services/data/v{version}/tooling/sobjects/PackageInstallRequest",
        session.instance_url
    )
}

/// Waits for install `request` to end. A signal meanwhile is returned, not obeyed. When apply
/// can't follow the install any more, the error names the request, which may still be running.
pub(crate) async fn wait(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
    (id, request): (&PackageVersionId, &str),
    waiting: Waiting<'_>,
    progress: &mut (dyn FnMut(&str) + Send),
) -> anyhow::Result<Option<&'static str>> {
    let Waiting {
        every: poll_every,
        signals,
    } = waiting;
    let still_running = |what: String| {
        anyhow::anyhow!(
            "{what}; install request {request} may still be running in the org: apply again waits for it instead of installing twice (or see Setup > Installed Packages)"
        )
    };
    let url = format!("{}/{request}", requests_url(session, version));
    let mut signal = None;
    for _ in 0..MAX_READS {
        tokio::select! {
            _ = tokio::time::sleep(poll_every) => {}
            name = signals.next(), if signal.is_none() => {
                signal = Some(name);
                progress(&format!("{name} noted; waiting for the install to end"));
            }
        }
        let response = http
            .get(&url)
            .bearer_auth(session.token.expose())
            .send_logged()
            .await
            .map_err(|e| {
                still_running(format!(
                    "reading the install failed: {}",
                    transport_detail(&e)
                ))
            })?;
        let read = answer(response, "reading the install failed")
            .await
            .map_err(|e| still_running(e.to_string()))?;
        let status = terminal_safe(read["Status"].as_str().unwrap_or("UNKNOWN"));
        progress(&status);
        match status.as_str() {
            "SUCCESS" => return Ok(signal),
            "ERROR" => anyhow::bail!(
                "the install of {} failed: {}",
                id.as_str(),
                errors(&read["Errors"])
            ),
            _ => {}
        }
    }
    Err(still_running(format!(
        "the install hadn't ended after {MAX_READS} reads"
    )))
}

/// `Errors.errors[].message`, joined.
fn errors(value: &Value) -> String {
    let messages: Vec<String> = value["errors"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|e| e["message"].as_str())
                .map(terminal_safe)
                .collect()
        })
        .unwrap_or_default();
    if messages.is_empty() {
        "no reason given".into()
    } else {
        messages.join("; ")
    }
}

/// A 2xx answer's JSON, or the org's error (Salesforce's `[{"message","errorCode"}]`).
pub(crate) async fn answer(response: reqwest::Response, what: &str) -> anyhow::Result<Value> {
    let status = response.status().as_u16();
    let text = read_body(response)
        .await
        .map_err(|f| anyhow::anyhow!("{what}: {}", unread(f)))?;
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    if !(200..300).contains(&status) {
        let first = &body[0];
        let code = first["errorCode"].as_str().unwrap_or("HTTP error");
        let message = first["message"].as_str().unwrap_or("no message");
        anyhow::bail!(
            "{what}: {} ({}, HTTP {status})",
            terminal_safe(message),
            terminal_safe(code)
        );
    }
    Ok(body)
}

/// In the plan: what the org has of the package (None without `[package]`), told.
pub(super) async fn plan(
    http: &reqwest::Client,
    session: &Session,
    args: &crate::apply::request::ApplyRequest,
    (recipe, key): (&crate::recipe::Recipe, Option<&Secret>),
    app_present: bool,
    tell: &mut crate::apply::event::Tell<'_>,
) -> anyhow::Result<Option<Found>> {
    let (Some(package), Some(id)) = (
        &recipe.package,
        recipe.package.as_ref().and_then(Package::id),
    ) else {
        return Ok(None);
    };
    let found = crate::apply::installed::found(
        http,
        session,
        &args.api_version,
        (&id, key),
        (&terminal_safe(&package.name), app_present),
    )
    .await?;
    tell(crate::apply::event::ApplyEvent::Package(
        PackageEvent::Planned {
            name: terminal_safe(&package.name),
            publisher: terminal_safe(&package.publisher),
            version: id.as_str().to_string(),
            installed: found.clone(),
            dry_run: args.dry_run,
        },
    ))?;
    Ok(Some(found))
}

/// Installs the package when the plan found it missing. Some: apply ends here (a dry run, or
/// a signal during the install). Listening for the install's signals stops the OS from ending
/// the process on them for good, so the listener is left in `signals` for the rest of apply to
/// look at between its steps.
pub(super) async fn ensure(
    http: &reqwest::Client,
    args: &crate::apply::request::ApplyRequest,
    session: &Session,
    work: &crate::apply::run::Work,
    signals: &mut Option<crate::signals::Terminating>,
    tell: &mut crate::apply::event::Tell<'_>,
) -> anyhow::Result<Option<crate::apply::run::Applied>> {
    use crate::apply::event::ApplyEvent;
    let (Some(package), Some(found @ (Found::Missing | Found::Running(_)))) =
        (&work.recipe.package, &work.package)
    else {
        return Ok(None);
    };
    let name = terminal_safe(&package.name);
    if args.dry_run {
        tell(ApplyEvent::Package(PackageEvent::ValidatedOnceInstalled {
            name,
        }))?;
        return Ok(Some(crate::apply::run::Applied::Done));
    }
    let id = package
        .id()
        .ok_or_else(|| anyhow::anyhow!("the recipe's package version id is malformed"))?;
    let key = work.install_key.as_ref();
    let listening = match signals {
        Some(listening) => listening,
        None => signals.insert(crate::signals::Terminating::listen()?),
    };
    // An install already running (one an earlier apply stopped following) is waited for.
    let request = match found {
        Found::Running(request) => request.clone(),
        _ => {
            let request = request(http, session, &args.api_version, (&id, key)).await?;
            tell(ApplyEvent::Package(PackageEvent::Status(format!(
                "requested ({request})"
            ))))?;
            request
        }
    };
    // Each status told as it comes: the admin sees the install start before it ends.
    let signal = wait(
        http,
        session,
        &args.api_version,
        (&id, &request),
        Waiting {
            every: POLL_EVERY,
            signals: listening,
        },
        &mut |status| {
            let _ = tell(ApplyEvent::Package(PackageEvent::Status(
                status.to_string(),
            )));
        },
    )
    .await?;
    tell(ApplyEvent::Package(PackageEvent::Installed {
        name,
        request,
    }))?;
    match signal {
        Some(signal) => {
            tell(ApplyEvent::Package(PackageEvent::Stopped { signal }))?;
            Err(crate::commands::Interrupted(signal).into())
        }
        None => Ok(None),
    }
}
