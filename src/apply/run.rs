//! apply as a service: the plan, the deploy, the integration user and the credentials, told
//! as events (`event`) as they happen; the CLI prints their words, the wizard shows them. It ends with what to
//! connect with, or why not; connecting is the caller's (connect's own path).

use std::time::Duration;

use crate::apply::event::{ApplyEvent, Plan, Tell};
use crate::apply::request::{ApplyRequest, Connection};
use crate::apply::session::Session;
use crate::apply::{deploy, live, package, plan_security, user};
use crate::commands::UsageError;
use crate::metadata;
use crate::recipe::Recipe;
use crate::salesforce::Flow;
use crate::secret::Secret;
use crate::terminal_safe::terminal_safe;

/// What apply will deploy, worked out from the arguments before any session is needed.
pub struct Prepared {
    pub recipe: &'static Recipe,
    pub options: metadata::Options,
    pub files: Vec<metadata::File>,
}

/// How an apply ended.
pub enum Applied {
    /// The org refused the metadata (exit 3); what and why was written.
    Refused,
    /// A dry run validated (nothing changed).
    Done,
    /// Deployed, but the credentials must be copied from Setup (what to do was written): the
    /// secret couldn't be read, or JWT bearer has no private key to sign in with.
    CopyByHand {
        /// The consumer key, when it was read.
        key: Option<String>,
        changed: bool,
    },
    /// Deployed (or already there) and its credentials read: connect with these.
    Connect {
        connect: Box<Connection>,
        secret: Option<Secret>,
        /// The deploy changed the org (false: the plan was a no-op).
        changed: bool,
    },
}

/// Asks the admin a yes/no question (the CLI's prompt; the TUI answers before it starts).
pub type Ask<'a> = dyn FnMut(&str) -> anyhow::Result<bool> + Send + 'a;

/// Checks the arguments and generates the metadata: usage errors come here, before a session.
pub fn prepare(args: &ApplyRequest) -> anyhow::Result<Prepared> {
    let recipe = args.recipe;
    let mut options = args.choices.options()?;
    if let Some(username) = &args.create_user {
        if recipe.flow == Flow::AuthCode {
            return Err(UsageError(
                "--create-user makes an API-only integration user, which can't sign in in a browser: for this recipe create a user with a license that can, in Setup".into(),
            )
            .into());
        }
        crate::salesforce::naming::check_username(username)
            .map_err(|e| UsageError(format!("--create-user: {e}")))?;
        options.run_as = Some(username.clone());
    }
    let files = metadata::generate(recipe, &options).map_err(|e| UsageError(e.to_string()))?;
    Ok(Prepared {
        recipe,
        options,
        files,
    })
}

/// What apply works with once the plan is made: the package, the app, what the org holds.
pub(super) struct Work {
    pub(super) recipe: &'static Recipe,
    pub(super) options: metadata::Options,
    pub(super) files: Vec<metadata::File>,
    /// The package's component paths, package.xml left out.
    pub(super) components: Vec<String>,
    /// The app's API name.
    pub(super) app: String,
    pub(super) live: Option<live::LiveApp>,
    /// The integration user apply creates, checked creatable.
    pub(super) new_user: Option<(String, user::Ready)>,
    /// The id of the existing Run As user.
    pub(super) existing_user: Option<String>,
    pub(super) permission_set: String,
    /// For a `[package]` recipe: what the org has of the package.
    pub(super) package: Option<crate::apply::installed::Found>,
    /// The package's installation key, from the environment.
    pub(super) install_key: Option<crate::secret::Secret>,
}

/// How the deploy went: its answer, and whether the check found nothing to change.
struct DeployOutcome {
    deployed: deploy::Deployed,
    unchanged: bool,
}

/// The plan, the deploy, the user and the credentials, each told to `tell` as it happens.
pub async fn apply(
    args: &ApplyRequest,
    prepared: Prepared,
    session: &Session,
    ask: &mut Ask<'_>,
    tell: &mut Tell<'_>,
) -> anyhow::Result<Applied> {
    for note in &session.notes {
        tell(ApplyEvent::SessionNote(note.clone()))?;
    }
    let http = crate::net::client()?;
    let work = preflight(http, args, prepared, session, ask, tell).await?;
    // An installed package brings the app the policies name (`[package]` recipes). It comes
    // before the user: an install that fails or stops then leaves no new user behind.
    let mut signals = None;
    if let Some(ended) =
        crate::apply::install::ensure(http, args, session, &work, &mut signals, tell).await?
    {
        return Ok(ended);
    }
    // The user before the deploy: the policies name it as the Run As user (reference §B.6).
    let created = create_user(http, args, session, &work, tell).await?;
    stop_if_signalled(
        &mut signals,
        "before the deploy",
        &work,
        created.is_some(),
        tell,
    )
    .await?;
    let outcome = deploy_package(http, args, session, &work, created.as_deref(), tell).await?;
    if let Some(ended) =
        ended_without_app(args, &work, &outcome.deployed, created.as_deref(), tell)?
    {
        return Ok(ended);
    }
    let DeployOutcome {
        deployed,
        unchanged,
    } = outcome;
    if !unchanged {
        tell(ApplyEvent::Deployed {
            app: work.app.clone(),
            components: deployed.components,
            id: deployed.id,
        })?;
    }
    assign_permission_set(http, args, session, &work, created.as_deref(), tell).await?;
    stop_if_signalled(
        &mut signals,
        "before the credentials are read",
        &work,
        created.is_some(),
        tell,
    )
    .await?;
    crate::apply::handover::read_credentials(http, args, session, &work, !unchanged, ask, tell)
        .await
}

/// Before anything changes: the settings the org forces, what exists already and what the
/// deploy needs to exist; then the plan is told.
async fn preflight(
    http: &reqwest::Client,
    args: &ApplyRequest,
    prepared: Prepared,
    session: &Session,
    ask: &mut Ask<'_>,
    tell: &mut Tell<'_>,
) -> anyhow::Result<Work> {
    let Prepared {
        recipe,
        mut options,
        mut files,
    } = prepared;
    // The admin's own permissions first: a refusal here changes nothing.
    crate::apply::prerequisites::check_admin(http, session, &args.api_version, recipe).await?;
    // Read once, before any change: a protected package without its key stops apply here.
    let install_key = match &recipe.package {
        Some(package) => crate::apply::install::install_key(package)?,
        None => None,
    };
    if let Some(forced) = forced_settings(http, session, args, recipe, tell).await? {
        options.forced_on = forced;
        files = metadata::generate(recipe, &options).map_err(|e| UsageError(e.to_string()))?;
    }
    let components: Vec<String> = package::mdapi_paths(&files)
        .into_iter()
        .map(|(path, _)| path)
        .filter(|p| p != "package.xml")
        .collect();
    let app = match &recipe.package {
        Some(package) => package.app.clone(),
        None => components
            .iter()
            .find_map(|path| path.strip_prefix("externalClientApps/"))
            .map(|p| p.trim_end_matches(".eca").to_string())
            .unwrap_or_default(),
    };
    let live = live::app(http, session, &args.api_version, &app).await?;
    let new_user = match &args.create_user {
        Some(username) => {
            let ready = user::check(http, session, &args.api_version, username).await?;
            Some((username.clone(), ready))
        }
        None => None,
    };
    let existing_user = existing_user(http, args, session, &options, new_user.is_some()).await?;
    tell(ApplyEvent::Plan(plan(recipe, session, &components, args)))?;
    tell(ApplyEvent::Security(metadata::summary::security(&files)))?;
    let package = crate::apply::install::plan(
        http,
        session,
        args,
        (recipe, install_key.as_ref()),
        live.is_some(),
        tell,
    )
    .await?;
    if package.is_none() || live.is_some() {
        tell(live_event(recipe, &app, live.as_ref()))?;
    }
    plan_security::confirm_callbacks(recipe, &files, &options.callback_urls, args, ask, tell)?;
    let permission_set = crate::metadata::permission_set_name(&options, &app);
    if let Some((username, _)) = &new_user {
        tell(ApplyEvent::UserPlanned {
            username: username.clone(),
            permission_set: permission_set.clone(),
            dry_run: args.dry_run,
        })?;
    }
    Ok(Work {
        recipe,
        options,
        files,
        components,
        app,
        live,
        new_user,
        existing_user,
        permission_set,
        package,
        install_key,
    })
}

/// The id of the Run As user named (when apply doesn't create one), which must be active: a
/// client credentials policy names it as the Run As user, which must exist first (reference
/// §B.6), and it gets the app's permission set after the deploy (the plan counts the
/// permissions step as done).
async fn existing_user(
    http: &reqwest::Client,
    args: &ApplyRequest,
    session: &Session,
    options: &metadata::Options,
    creates_user: bool,
) -> anyhow::Result<Option<String>> {
    let Some(run_as) = options.run_as.as_deref().filter(|_| !creates_user) else {
        return Ok(None);
    };
    match live::active_user(http, session, &args.api_version, run_as).await? {
        Some(id) => Ok(Some(id)),
        None => Err(UsageError(format!(
            "The Run As user {run_as} isn't an active user in this org; create the integration user first (the recipe's first step: Setup > Users > New User), then apply again"
        ))
        .into()),
    }
}

/// Creates the integration user (not on a dry run); its id.
async fn create_user(
    http: &reqwest::Client,
    args: &ApplyRequest,
    session: &Session,
    work: &Work,
    tell: &mut Tell<'_>,
) -> anyhow::Result<Option<String>> {
    let Some((username, ready)) = work.new_user.as_ref().filter(|_| !args.dry_run) else {
        return Ok(None);
    };
    let email = work
        .options
        .contact_email
        .clone()
        .or_else(|| session.username.clone())
        .ok_or_else(|| {
            UsageError("--create-user needs --contact-email for the user's email".into())
        })?;
    let id = user::create(http, session, &args.api_version, ready, username, &email).await?;
    tell(ApplyEvent::UserCreated {
        username: username.clone(),
        id: id.clone(),
    })?;
    Ok(Some(id))
}

/// The deploy. An app that exists: a check-only deploy first says whether anything would
/// change (its components' `changed`), since a query can't read every setting. A refusal there
/// is the deploy's answer, with nothing changed.
async fn deploy_package(
    http: &reqwest::Client,
    args: &ApplyRequest,
    session: &Session,
    work: &Work,
    created: Option<&str>,
    tell: &mut Tell<'_>,
) -> anyhow::Result<DeployOutcome> {
    let zip = package::mdapi_zip(&work.files)?;
    let expected: Vec<&str> = work.components.iter().map(String::as_str).collect();
    let mut checked = None;
    if work.live.is_some() && work.new_user.is_none() && !args.dry_run {
        let check = run_deploy(http, session, args, &zip, true, tell).await?;
        tell_check(&check, &expected, tell)?;
        checked = Some(check);
    }
    let unchanged = checked
        .as_ref()
        .is_some_and(|c| c.changes_nothing(&expected));
    let deployed = match checked.filter(|c| !c.success) {
        Some(refused) => Ok(refused),
        None if unchanged => Ok(deploy::Deployed::nothing()),
        None => run_deploy(http, session, args, &zip, args.dry_run, tell).await,
    };
    match (deployed, created, &work.new_user) {
        (Ok(deployed), _, _) => Ok(DeployOutcome {
            deployed,
            unchanged,
        }),
        (Err(e), Some(id), Some((username, _))) => {
            tell(ApplyEvent::UserStays {
                username: username.clone(),
                id: id.to_string(),
                refused: false,
            })?;
            Err(e)
        }
        (Err(e), _, _) => Err(e),
    }
}

/// What the check-only deploy says would change.
fn tell_check(
    check: &deploy::Deployed,
    expected: &[&str],
    tell: &mut Tell<'_>,
) -> std::io::Result<()> {
    if check.changes_nothing(expected) {
        tell(ApplyEvent::Unchanged {
            check: check.id.clone(),
        })
    } else if check.success && check.changed.is_empty() {
        tell(ApplyEvent::ChangesUnknown)
    } else if check.success {
        tell(ApplyEvent::Changes(check.changed.clone()))
    } else {
        Ok(())
    }
}

/// How apply ends when there is no app to read credentials from: a dry run validated, or the
/// org refused the metadata. None: deployed (or already there).
fn ended_without_app(
    args: &ApplyRequest,
    work: &Work,
    deployed: &deploy::Deployed,
    created: Option<&str>,
    tell: &mut Tell<'_>,
) -> anyhow::Result<Option<Applied>> {
    // A dry run can't create the user first, so the policies naming it fail validation: that is
    // the one failure expected (Salesforce's words don't name the user).
    let only_the_new_user = work.new_user.is_some()
        && !deployed.failures.is_empty()
        && deployed.failures.iter().all(|f| f.is_missing_run_as());
    if args.dry_run && only_the_new_user {
        tell(ApplyEvent::ValidatedOnceUserExists {
            app: work.app.clone(),
        })?;
        return Ok(Some(Applied::Done));
    }
    if !deployed.success {
        tell_refusal(work, deployed, created, tell)?;
        return Ok(Some(Applied::Refused));
    }
    if args.dry_run {
        tell(ApplyEvent::Validated {
            app: work.app.clone(),
            components: deployed.components,
            changes: work.live.as_ref().map(|_| deployed.changed.clone()),
        })?;
        return Ok(Some(Applied::Done));
    }
    Ok(None)
}

/// The org refused the metadata: what and why, and what is left as it was.
fn tell_refusal(
    work: &Work,
    deployed: &deploy::Deployed,
    created: Option<&str>,
    tell: &mut Tell<'_>,
) -> std::io::Result<()> {
    tell(ApplyEvent::Refused {
        id: deployed.id.clone(),
        status: deployed.status.clone(),
    })?;
    for failure in &deployed.failures {
        tell(ApplyEvent::Failure(failure.clone()))?;
    }
    tell(ApplyEvent::RolledBack {
        recipe: work.recipe.id.clone(),
    })?;
    if let Some(error) = &deployed.error {
        tell(ApplyEvent::DeployError(error.clone()))?;
    }
    match (created, &work.new_user) {
        (Some(id), Some((username, _))) => tell(ApplyEvent::UserStays {
            username: username.clone(),
            id: id.to_string(),
            refused: true,
        }),
        _ => tell(ApplyEvent::NothingChanged),
    }
}

/// The app's permission set to the integration user (created or named), when the package
/// deploys one.
async fn assign_permission_set(
    http: &reqwest::Client,
    args: &ApplyRequest,
    session: &Session,
    work: &Work,
    created: Option<&str>,
    tell: &mut Tell<'_>,
) -> anyhow::Result<()> {
    let deploys_permission_set = work
        .components
        .iter()
        .any(|path| path.starts_with("permissionsets/"));
    let Some(id) = created.or(work.existing_user.as_deref()) else {
        return Ok(());
    };
    if !deploys_permission_set {
        return Ok(());
    }
    let who = work
        .options
        .run_as
        .clone()
        .unwrap_or_else(|| "the integration user".into());
    let permission_set = work.permission_set.clone();
    if user::assign(http, session, &args.api_version, id, &permission_set).await? {
        tell(ApplyEvent::PermissionSetAssigned {
            permission_set,
            who,
        })?;
    } else {
        tell(ApplyEvent::PermissionSetHeld {
            permission_set,
            who,
        })?;
    }
    Ok(())
}

/// The recipe's settings the org won't keep as the recipe says, read before the deploy so the
/// package matches what the org will hold (else every apply would find a change and deploy
/// again): an org-wide PKCE requirement keeps every app's Require PKCE on. Said once, here.
async fn forced_settings(
    http: &reqwest::Client,
    session: &Session,
    args: &ApplyRequest,
    recipe: &Recipe,
    tell: &mut Tell<'_>,
) -> anyhow::Result<Option<Vec<crate::salesforce::settings::SettingKey>>> {
    use crate::apply::org_settings::{PKCE_FOR_ALL_APPS, read};
    use crate::salesforce::settings::SettingKey;
    if recipe.is_checked(SettingKey::RequirePkce) {
        return Ok(None);
    }
    match read(http, session, &args.api_version, &PKCE_FOR_ALL_APPS).await {
        Ok(true) => {
            tell(ApplyEvent::PkceForced {
                setting: PKCE_FOR_ALL_APPS.label,
            })?;
            Ok(Some(vec![SettingKey::RequirePkce]))
        }
        Ok(false) => Ok(None),
        Err(e) => {
            tell(ApplyEvent::PkceUnread {
                error: format!("{e:#}"),
            })?;
            Ok(None)
        }
    }
}

/// One deploy (check-only or real), its statuses told as they come.
async fn run_deploy(
    http: &reqwest::Client,
    session: &Session,
    args: &ApplyRequest,
    zip: &[u8],
    check_only: bool,
    tell: &mut Tell<'_>,
) -> anyhow::Result<deploy::Deployed> {
    let check = check_only && !args.dry_run;
    deploy::deploy(
        http,
        session,
        &args.api_version,
        zip.to_vec(),
        check_only,
        Duration::from_secs(2),
        &mut |status| {
            let _ = tell(ApplyEvent::DeployStatus {
                check,
                status: status.to_string(),
            });
        },
    )
    .await
}

/// Whether the deploy creates the app or changes one, and what would change.
fn live_event(recipe: &Recipe, app: &str, live: Option<&live::LiveApp>) -> ApplyEvent {
    let Some(live) = live else {
        return ApplyEvent::AppAbsent {
            app: app.to_string(),
        };
    };
    ApplyEvent::AppPresent {
        app: app.to_string(),
        id: live.id.clone(),
        drift: live::drift(recipe, live),
        unread: live::UNCHECKED
            .iter()
            .filter_map(|k| crate::salesforce::settings::lookup(*k).map(|s| s.label))
            .collect(),
    }
}

/// The plan: the org and session, what deploys, and what stays with the checklist.
fn plan(recipe: &Recipe, session: &Session, components: &[String], args: &ApplyRequest) -> Plan {
    // What apply doesn't do yet stays with the checklist, named step by step.
    let manual = recipe
        .steps
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            s.kind != crate::recipe::StepKind::Connect
                && !recipe.done_by_apply(*i, args.user(), args.private_key.is_some())
        })
        .map(|(_, s)| terminal_safe(&s.title))
        .collect();
    Plan {
        instance_url: session.instance_url.clone(),
        username: session.username.clone(),
        session_source: session.source.clone(),
        dry_run: args.dry_run,
        recipe_title: terminal_safe(&recipe.title),
        components: components.to_vec(),
        manual,
    }
}

/// Once the install listened for signals the OS no longer ends apply on them: a signal that came
/// since is obeyed here, between steps, with what was done said.
async fn stop_if_signalled(
    signals: &mut Option<crate::signals::Terminating>,
    before: &'static str,
    work: &Work,
    user_created: bool,
    tell: &mut Tell<'_>,
) -> anyhow::Result<()> {
    let Some(listening) = signals.as_mut() else {
        return Ok(());
    };
    let Some(signal) = listening.pending().await else {
        return Ok(());
    };
    let user = work
        .new_user
        .as_ref()
        .filter(|_| user_created)
        .map(|(username, _)| username.clone());
    tell(ApplyEvent::Package(
        crate::apply::install::PackageEvent::StoppedAfter {
            signal,
            before,
            user,
        },
    ))?;
    Err(crate::commands::Interrupted(signal).into())
}
