//! `eca-wizard apply`: deploys the recipe's External Client App through the admin's own session
//! and says what it changed; `--dry-run` validates the same deploy (checkOnly) and changes
//! nothing. Exit codes as `connect`: 0 done, 1 failed, 2 usage, 3 the org refused the metadata.

use std::io::{self, BufRead, IsTerminal};

use crate::apply::event::write_to;
use crate::apply::request::{ApplyRequest, Connection};
use crate::apply::run::{Applied, apply, prepare};
use crate::apply::session;
use crate::cli::{ApplyArgs, ConnectArgs};
use crate::commands::UsageError;
use crate::recipe::Recipe;

pub fn run(args: &ApplyArgs) -> anyhow::Result<u8> {
    // A second apply to a saved profile goes to the profile's org, and only there, and makes
    // the app its answers made unless `--choice` says otherwise.
    let existing = match &args.save {
        Some(name) => existing_profile(name)?,
        None => None,
    };
    let request = request(args, existing.as_ref())?;
    let prepared = prepare(&request)?;
    let session = match existing {
        Some(mut work) => profile_session(
            &mut work,
            args.target_org.as_deref(),
            args.instance_url.as_deref(),
        )?,
        None => admin_session(args.target_org.as_deref(), args.instance_url.as_deref())?,
    };
    let runtime = crate::commands::runtime()?;
    let mut ask = |question: &str| crate::commands::prompt::confirm(question);
    let mut err = io::stderr();
    let applied = runtime.block_on(apply(
        &request,
        prepared,
        &session,
        &mut ask,
        &mut write_to(&mut err),
    ))?;
    let (code, result) = match applied {
        Applied::Refused => (3, serde_json::json!({"applied": "refused"})),
        Applied::Done => (
            0,
            serde_json::json!({"applied": "validated", "dry_run": args.dry_run}),
        ),
        Applied::CopyByHand { key, changed } => (
            0,
            serde_json::json!({"applied": "copy_credentials_by_hand", "consumer_key": key, "changed": changed}),
        ),
        // One runtime for the whole command: connect reuses the deploy's pooled connections;
        // with --json it prints connect's envelope.
        Applied::Connect {
            connect, secret, ..
        } => {
            let mut connect = connect_args(&connect);
            connect.json = args.json;
            return crate::commands::connect::run_with(&connect, secret, &runtime);
        }
    };
    if args.json {
        crate::commands::output::print("apply", code, &result, &[])?;
    }
    Ok(code)
}

/// The flags as the library's request; usage errors first, before any session.
fn request(args: &ApplyArgs, existing: Option<&ProfileWork>) -> anyhow::Result<ApplyRequest> {
    let recipe_id = args
        .recipe
        .as_deref()
        .ok_or_else(|| UsageError("--recipe ID (or --recipe-file FILE) is required".into()))?;
    // The saved profile's answers first: a later `--choice` for the same question wins.
    let mut choices: Vec<String> = existing
        .filter(|work| work.profile.recipe == recipe_id)
        .map(|work| {
            work.recipe
                .selection
                .iter()
                .map(|(id, option)| format!("{id}={option}"))
                .collect()
        })
        .unwrap_or_default();
    choices.extend(args.app.choices.iter().cloned());
    Ok(ApplyRequest {
        recipe: crate::commands::failure::recipe_with_choices(recipe_id, &choices)?,
        choices: crate::commands::metadata::choices(&args.app)?,
        create_user: args.create_user.clone(),
        api_version: args.api_version.clone(),
        dry_run: args.dry_run,
        allow_secret_access: args.allow_secret_access,
        allow_callbacks: args.allow_callbacks,
        private_key: args.private_key.clone(),
        save: args.save.clone(),
        secrets_file: args.secrets_file,
    })
}

/// `connect`'s arguments for the new app: the headless command's own request builder.
fn connect_args(connection: &Connection) -> ConnectArgs {
    ConnectArgs {
        login_url: Some(connection.login_url.clone()),
        client_id: connection.client_id.clone(),
        recipe: Some(connection.recipe.id.clone()),
        flow: None,
        // The recipe apply deployed, as its answers made it.
        choices: connection
            .recipe
            .selection
            .iter()
            .map(|(id, option)| format!("{id}={option}"))
            .collect(),
        client_secret_stdin: false,
        callback_port: None,
        callback_urls: connection.callback_urls.clone(),
        no_browser: false,
        timeout: 300,
        propagation_window: 1800,
        max_wait: None,
        username: connection.username.clone(),
        private_key: connection.private_key.clone(),
        mcp_url: None,
        json: false,
        save: connection.save.clone(),
        api_name: connection
            .save
            .as_ref()
            .map(|_| connection.api_name.clone()),
        secrets_file: connection.secrets_file,
        target_org: connection.target_org.clone(),
    }
}

/// A saved profile, its recipe and its app's API name (`status --drift`, `rotate`).
pub struct ProfileWork {
    pub dir: std::path::PathBuf,
    pub profile: crate::profile::Profile,
    pub recipe: &'static Recipe,
    pub app: String,
}

/// The profile `name` when it is saved already (apply --save of an existing profile).
fn existing_profile(name: &str) -> anyhow::Result<Option<ProfileWork>> {
    let dir = crate::profile::profiles_dir()?;
    match crate::profile::load(&dir, name) {
        Ok(_) => profile_work(name).map(Some),
        Err(crate::profile::ProfileError::Missing(_)) => Ok(None),
        Err(e) => Err(UsageError(e.to_string()).into()),
    }
}

/// The admin's session for a saved profile's org: `--target-org` (or `--instance-url`), else
/// the CLI login the profile remembers, else the CLI's default. A session for another org is
/// refused before anything is read from it or sent to it; a profile with no login yet
/// remembers this one.
pub fn profile_session(
    work: &mut ProfileWork,
    target_org: Option<&str>,
    instance_url: Option<&str>,
) -> anyhow::Result<session::Session> {
    let remembered = work
        .profile
        .target_org
        .clone()
        .filter(|_| instance_url.is_none());
    let session = admin_session(target_org.or(remembered.as_deref()), instance_url)?;
    crate::apply::org_binding::check(&work.profile, &session)?;
    if work.profile.target_org.is_none()
        && let Some(target) = &session.target
    {
        work.profile.target_org = Some(target.clone());
        if let Err(e) = crate::profile::save(&work.dir, &work.profile) {
            eprintln!(
                "warning: the profile {} couldn't remember the login {target} ({e})",
                work.profile.name
            );
        }
    }
    Ok(session)
}

pub fn profile_work(name: &str) -> anyhow::Result<ProfileWork> {
    let dir = crate::profile::profiles_dir()?;
    let profile = crate::commands::failure::load_profile(&dir, name)?;
    let recipe = crate::commands::failure::profile_recipe(&dir, &profile)?;
    let app = profile
        .api_name
        .clone()
        .unwrap_or_else(|| crate::salesforce::naming::suggest_api_name(&recipe.app_name));
    Ok(ProfileWork {
        dir,
        profile,
        recipe,
        app,
    })
}

/// The admin's session from `--target-org` or `--instance-url` (token on stdin), for `apply`,
/// `status --drift` and `rotate`; its token goes only to Salesforce (or loopback, the emulator).
pub fn admin_session(
    target_org: Option<&str>,
    instance_url: Option<&str>,
) -> anyhow::Result<session::Session> {
    let session = find_session(target_org, instance_url)?;
    crate::salesforce::hosts::check_api_host(&session.instance_url, &session.instance_url)
        .map_err(|e| UsageError(format!("the session's instance URL: {e}")))?;
    Ok(session)
}

fn find_session(
    target_org: Option<&str>,
    instance_url: Option<&str>,
) -> anyhow::Result<session::Session> {
    let found = match (target_org, instance_url) {
        (Some(alias), _) => session::from_cli(alias),
        (None, Some(url)) => {
            let token = if io::stdin().is_terminal() {
                crate::commands::prompt::read_masked("Access token: ")?
            } else {
                io::stdin()
                    .lock()
                    .lines()
                    .next()
                    .transpose()?
                    .unwrap_or_default()
            };
            session::from_token(url, &token)
        }
        // As `sf` itself: the CLI's default org (its target-org setting) when none is named.
        (None, None) => match session::default_target() {
            Some(username) => session::from_cli(&username),
            None => {
                return Err(UsageError(
                    "pass --target-org ALIAS (a Salesforce CLI login; or set a default with sf config set target-org ALIAS) or --instance-url URL with the access token on stdin".into(),
                )
                .into());
            }
        },
    };
    found.map_err(|e| match e {
        session::SessionError::Input(message) => UsageError(message).into(),
        other => anyhow::anyhow!(other),
    })
}
