//! apply as a service: the plan, the deploy, the integration user and the credentials, told
//! line by line to a writer; the CLI prints them, the wizard shows them. It ends with what to
//! connect with, or why not; connecting is the caller's (connect's own path).

use std::io::{self, Write};
use std::time::Duration;

use crate::apply::session::Session;
use crate::apply::{deploy, live, package, user};
use crate::cli::{ApplyArgs, ConnectArgs};
use crate::commands::UsageError;
use crate::metadata;
use crate::recipe::{self, Recipe};
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
        connect: Box<ConnectArgs>,
        secret: Option<Secret>,
        /// The deploy changed the org (false: the plan was a no-op).
        changed: bool,
    },
}

/// Asks the admin a yes/no question (the CLI's prompt; the TUI answers before it starts).
pub type Ask<'a> = dyn FnMut(&str) -> anyhow::Result<bool> + Send + 'a;

/// Checks the arguments and generates the metadata: usage errors come here, before a session.
pub fn prepare(args: &ApplyArgs) -> anyhow::Result<Prepared> {
    let recipe_id = args
        .recipe
        .as_deref()
        .ok_or_else(|| UsageError("--recipe ID (or --recipe-file FILE) is required".into()))?;
    let recipe = recipe::by_id(recipe_id).map_err(|e| UsageError(e.to_string()))?;
    let mut options = crate::commands::metadata::options(&args.app)?;
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

/// The plan, the deploy, the user and the credentials, told line by line to `out`.
pub async fn apply(
    args: &ApplyArgs,
    prepared: Prepared,
    session: &Session,
    ask: &mut Ask<'_>,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<Applied> {
    let Prepared {
        recipe,
        mut options,
        mut files,
    } = prepared;
    for note in &session.notes {
        writeln!(out, "note: {note}")?;
    }
    let http = crate::net::client()?;
    if let Some(forced) = forced_settings(http, session, args, recipe, out).await? {
        options.forced_on = forced;
        files = metadata::generate(recipe, &options).map_err(|e| UsageError(e.to_string()))?;
    }
    let components = package::mdapi_paths(&files);
    let app = components
        .iter()
        .find_map(|(path, _)| path.strip_prefix("externalClientApps/"))
        .map(|p| p.trim_end_matches(".eca").to_string())
        .unwrap_or_default();
    // Preflight: what exists already, and what the deploy needs to exist.
    let live = live::app(http, session, &args.api_version, &app).await?;
    let new_user = match &args.create_user {
        Some(username) => {
            let ready = user::check(http, session, &args.api_version, username).await?;
            Some((username.clone(), ready))
        }
        None => None,
    };
    // An existing integration user must be active: a client credentials policy names it as the
    // Run As user, which must exist first (reference §B.6), and it gets the
    // app's permission set after the deploy (the plan counts the permissions step as done).
    let mut existing_user = None;
    if let Some(run_as) = options.run_as.as_deref().filter(|_| new_user.is_none()) {
        existing_user = live::active_user(http, session, &args.api_version, run_as).await?;
        if existing_user.is_none() {
            return Err(UsageError(format!(
                "The Run As user {run_as} isn't an active user in this org; create the integration user first (the recipe's first step: Setup > Users > New User), then apply again"
            ))
            .into());
        }
    }
    write_plan(out, recipe, session, &components, args)?;
    write_live(out, recipe, &app, live.as_ref())?;
    let permission_set = options
        .permission_set
        .clone()
        .unwrap_or_else(|| format!("{app}_Integration"));
    if let Some((username, _)) = &new_user {
        let verb = if args.dry_run {
            "Would create"
        } else {
            "Creates"
        };
        writeln!(
            out,
            "{verb} the integration user {username} (Salesforce Integration license, {}, the Salesforce API Integration permission set license, then {permission_set}).",
            crate::salesforce::licenses::INTEGRATION_PROFILE
        )?;
    }
    // The user before the deploy: the policies name it as the Run As user (reference §B.6).
    let created = match (&new_user, args.dry_run) {
        (Some((username, ready)), false) => {
            let email = options
                .contact_email
                .clone()
                .or_else(|| session.username.clone())
                .ok_or_else(|| {
                    UsageError("--create-user needs --contact-email for the user's email".into())
                })?;
            let id =
                user::create(http, session, &args.api_version, ready, username, &email).await?;
            writeln!(out, "Created the integration user {username} ({id}).")?;
            Some(id)
        }
        _ => None,
    };
    let zip = package::mdapi_zip(&files)?;
    // An app that exists: a check-only deploy first says whether anything would change (its
    // components' `changed`), since a query can't read every setting. A refusal there is the
    // deploy's answer, with nothing changed.
    let expected: Vec<&str> = components
        .iter()
        .map(|(path, _)| path.as_str())
        .filter(|p| *p != "package.xml")
        .collect();
    let mut checked = None;
    if live.is_some() && new_user.is_none() && !args.dry_run {
        let check = run_deploy(http, session, args, &zip, true, out).await?;
        if check.changes_nothing(&expected) {
            writeln!(
                out,
                "\nNo change: the org holds every component as the recipe deploys it (check-only deploy {}); nothing deployed.",
                check.id
            )?;
        } else if check.success && check.changed.is_empty() {
            writeln!(
                out,
                "  The check didn't say each component is unchanged: deploying them all."
            )?;
        } else if check.success {
            writeln!(out, "  Changes: {}", check.changed.join(", "))?;
        }
        checked = Some(check);
    }
    let unchanged = checked
        .as_ref()
        .is_some_and(|c| c.changes_nothing(&expected));
    let deployed = match checked.filter(|c| !c.success) {
        Some(refused) => Ok(refused),
        None if unchanged => Ok(deploy::Deployed::nothing()),
        None => run_deploy(http, session, args, &zip, args.dry_run, out).await,
    };
    let deployed = match (deployed, &created, &new_user) {
        (Ok(deployed), _, _) => deployed,
        (Err(e), Some(id), Some((username, _))) => {
            writeln!(
                out,
                "The integration user {username} ({id}) was created before the deploy failed and stays: apply again with --run-as {username}, or deactivate it in Setup > Users."
            )?;
            return Err(e);
        }
        (Err(e), _, _) => return Err(e),
    };
    // A dry run can't create the user first, so the policies naming it fail validation: that is
    // the one failure expected (Salesforce's words don't name the user).
    let only_the_new_user = |deployed: &deploy::Deployed| {
        new_user.is_some()
            && !deployed.failures.is_empty()
            && deployed.failures.iter().all(|f| f.is_missing_run_as())
    };
    if args.dry_run && only_the_new_user(&deployed) {
        writeln!(
            out,
            "\nValidated: the deploy of {app} would succeed once the integration user exists (only the policies naming it failed). Nothing in the org changed."
        )?;
        return Ok(Applied::Done);
    }
    if !deployed.success {
        writeln!(
            out,
            "\nThe org refused the metadata (deploy {}, {}):",
            deployed.id, deployed.status
        )?;
        for failure in &deployed.failures {
            writeln!(
                out,
                "  FAIL {} ({}): {}",
                failure.file, failure.kind, failure.problem
            )?;
            if let Some(fix) = failure.fix() {
                writeln!(out, "       fix: {fix}")?;
            }
        }
        writeln!(
            out,
            "The deploy rolled back. `eca-wizard metadata --recipe {} --check DIR` checks a project without an org.",
            recipe.id
        )?;
        if let Some(error) = &deployed.error {
            writeln!(out, "  deploy error: {error}")?;
        }
        match (&created, &new_user) {
            (Some(id), Some((username, _))) => writeln!(
                out,
                "The integration user {username} ({id}) was created before the deploy and stays: apply again with --run-as {username}, or deactivate it in Setup > Users."
            )?,
            _ => writeln!(out, "Nothing in the org changed.")?,
        }
        return Ok(Applied::Refused);
    }
    if args.dry_run {
        let changes = if live.is_none() {
            String::new()
        } else if deployed.changed.is_empty() {
            " and change nothing: the org holds every component as the recipe deploys it".into()
        } else {
            format!(" and change {}", deployed.changed.join(", "))
        };
        writeln!(
            out,
            "\nValidated: the deploy of {app} would succeed ({} components){changes}. Nothing in the org changed.",
            deployed.components
        )?;
        return Ok(Applied::Done);
    }
    if !unchanged {
        writeln!(
            out,
            "\nDeployed {app} ({} components, deploy {}).",
            deployed.components, deployed.id
        )?;
    }
    let deploys_permission_set = components
        .iter()
        .any(|(path, _)| path.starts_with("permissionsets/"));
    if let Some(id) = created.as_ref().or(existing_user.as_ref())
        && deploys_permission_set
    {
        let who = options.run_as.as_deref().unwrap_or("the integration user");
        if user::assign(http, session, &args.api_version, id, &permission_set).await? {
            writeln!(out, "Assigned {permission_set} to {who}.")?;
        } else {
            writeln!(out, "{who} has {permission_set} already.")?;
        }
    }
    if recipe.flow == Flow::JwtBearer {
        // JWT bearer needs only the key (no secret) and the admin's private key.
        let (Some(_), Some(_)) = (&args.private_key, &options.run_as) else {
            write_next(out, recipe, session)?;
            return Ok(Applied::CopyByHand {
                key: None,
                changed: !unchanged,
            });
        };
        let key =
            match crate::apply::credentials::read(http, session, &args.api_version, &app).await? {
                crate::apply::credentials::Read::Both { key, .. }
                | crate::apply::credentials::Read::KeyOnly { key } => key,
            };
        writeln!(
            out,
            "Read the consumer key of {app}; connecting with JWT bearer."
        )?;
        let connect = Box::new(connect_args(args, recipe, &options, session, &app, key));
        return Ok(Applied::Connect {
            connect,
            secret: None,
            changed: !unchanged,
        });
    }
    let (key, secret) = credentials(http, session, args, recipe, &app, ask, out).await?;
    if secret.is_none() && recipe.needs_secret() {
        write_next(out, recipe, session)?;
        return Ok(Applied::CopyByHand {
            key: Some(key),
            changed: !unchanged,
        });
    }
    let what = if secret.is_some() { " and secret" } else { "" };
    writeln!(out, "Read the consumer key{what} of {app}; connecting.")?;
    let connect = Box::new(connect_args(args, recipe, &options, session, &app, key));
    Ok(Applied::Connect {
        connect,
        secret,
        changed: !unchanged,
    })
}

/// The recipe's settings the org won't keep as the recipe says, read before the deploy so the
/// package matches what the org will hold (else every apply would find a change and deploy
/// again): an org-wide PKCE requirement keeps every app's Require PKCE on. Said once, here.
async fn forced_settings(
    http: &reqwest::Client,
    session: &Session,
    args: &ApplyArgs,
    recipe: &Recipe,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<Option<Vec<crate::salesforce::settings::SettingKey>>> {
    use crate::apply::org_settings::{PKCE_FOR_ALL_APPS, read};
    use crate::salesforce::settings::SettingKey;
    if recipe.is_checked(SettingKey::RequirePkce) {
        return Ok(None);
    }
    match read(http, session, &args.api_version, &PKCE_FOR_ALL_APPS).await {
        Ok(true) => {
            writeln!(
                out,
                "The org keeps Require PKCE on for every app ({}), so the app gets it on although the recipe leaves it off; its client must send PKCE.",
                PKCE_FOR_ALL_APPS.label
            )?;
            Ok(Some(vec![SettingKey::RequirePkce]))
        }
        Ok(false) => Ok(None),
        Err(e) => {
            writeln!(
                out,
                "note: couldn't tell whether the org requires PKCE for every app ({e:#}); deploying the recipe's setting."
            )?;
            Ok(None)
        }
    }
}

/// One deploy (check-only or real), its statuses told as they come.
async fn run_deploy(
    http: &reqwest::Client,
    session: &Session,
    args: &ApplyArgs,
    zip: &[u8],
    check_only: bool,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<deploy::Deployed> {
    let label = if check_only && !args.dry_run {
        "check"
    } else {
        "deploy"
    };
    deploy::deploy(
        http,
        session,
        &args.api_version,
        zip.to_vec(),
        check_only,
        Duration::from_secs(2),
        &mut |status| {
            let _ = writeln!(out, "  {label}: {status}");
        },
    )
    .await
}

/// The key and, when it could be read, the secret of the new app. When the org doesn't allow
/// reading secrets, the setting that does is read first and turned on only when it is off and
/// the admin agrees, then put back as it was (`secret_setting`).
async fn credentials(
    http: &reqwest::Client,
    session: &Session,
    args: &ApplyArgs,
    recipe: &Recipe,
    app: &str,
    ask: &mut Ask<'_>,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<(String, Option<Secret>)> {
    use crate::apply::credentials::{Read, read};
    use crate::apply::secret_setting::{self, LABEL};
    let needs_secret = recipe.needs_secret();
    let version = args.api_version.as_str();
    let key = match read(http, session, version, app).await? {
        Read::Both { key, secret } => return Ok((key, Some(secret))),
        Read::KeyOnly { key } if !needs_secret => return Ok((key, None)),
        Read::KeyOnly { key } => key,
    };
    match secret_setting::read(http, session, version).await {
        Ok(false) => {}
        Ok(true) => {
            writeln!(
                out,
                "{LABEL} is on, yet the secret couldn't be read: your user may lack the View Client Secret permission. The key is {key}."
            )?;
            return Ok((key, None));
        }
        Err(e) => {
            writeln!(
                out,
                "The secret couldn't be read, and neither could {LABEL} ({e:#}), so it is left as it is. The key is {key}."
            )?;
            return Ok((key, None));
        }
    }
    writeln!(
        out,
        "The org doesn't allow reading consumer secrets over the REST API ({LABEL}, in External Client App Settings: off)."
    )?;
    let question = "Turn it on to read the new app's secret, and off again right after?";
    if !(args.allow_secret_access || ask(question)?) {
        writeln!(out, "Left that setting off. The key is {key}.")?;
        return Ok((key, None));
    }
    let window = secret_setting::while_on(
        http,
        session,
        version,
        out,
        read(http, session, version, app),
    )
    .await?;
    if let Some(signal) = window.signal {
        return Err(crate::commands::Interrupted(signal).into());
    }
    match window.result.transpose()? {
        Some(Read::Both { key, secret }) => Ok((key, Some(secret))),
        Some(Read::KeyOnly { key }) => {
            writeln!(
                out,
                "The secret still couldn't be read (your user may lack View Client Secret)."
            )?;
            Ok((key, None))
        }
        None => Ok((key, None)),
    }
}

/// `connect`'s arguments for the new app: the headless command's own request builder.
fn connect_args(
    args: &ApplyArgs,
    recipe: &Recipe,
    options: &metadata::Options,
    session: &Session,
    app: &str,
    key: String,
) -> ConnectArgs {
    ConnectArgs {
        login_url: session.instance_url.clone(),
        client_id: key,
        recipe: Some(recipe.id.clone()),
        flow: None,
        client_secret_stdin: false,
        callback_port: None,
        callback_urls: options.callback_urls.clone(),
        no_browser: false,
        timeout: 300,
        propagation_window: 1800,
        username: options.run_as.clone(),
        private_key: args.private_key.clone(),
        mcp_url: None,
        json: false,
        save: args.save.clone(),
        api_name: args.save.as_ref().map(|_| app.to_string()),
        secrets_file: args.secrets_file,
        target_org: session.target.clone(),
    }
}

/// What apply knows of the integration user from its arguments.
fn apply_user(args: &ApplyArgs) -> crate::recipe::ApplyUser {
    match (&args.create_user, &args.app.run_as) {
        (Some(_), _) => crate::recipe::ApplyUser::Creates,
        (None, Some(_)) => crate::recipe::ApplyUser::Existing,
        (None, None) => crate::recipe::ApplyUser::Unknown,
    }
}

/// Whether the deploy creates the app or changes one, and what would change.
fn write_live(
    out: &mut (dyn Write + Send),
    recipe: &Recipe,
    app: &str,
    live: Option<&live::LiveApp>,
) -> io::Result<()> {
    let Some(live) = live else {
        return writeln!(out, "{app} isn't in the org: the deploy creates it.");
    };
    let drifted = live::drift(recipe, live);
    writeln!(
        out,
        "{app} is in the org already ({}): the deploy updates it.",
        live.id
    )?;
    if drifted.is_empty() {
        writeln!(out, "  No change in the settings a query can read.")?;
    }
    for d in &drifted {
        writeln!(out, "  changes {}: {} -> {}", d.label, d.live, d.wanted)?;
    }
    let unread: Vec<&str> = live::UNCHECKED
        .iter()
        .filter_map(|k| crate::salesforce::settings::lookup(*k).map(|s| s.label))
        .collect();
    writeln!(
        out,
        "  A query can't read (a check-only deploy tells whether they change): {}",
        unread.join("; ")
    )
}

fn write_plan(
    out: &mut (dyn Write + Send),
    recipe: &Recipe,
    session: &Session,
    components: &[(String, &str)],
    args: &ApplyArgs,
) -> io::Result<()> {
    let dry_run = args.dry_run;
    let who = session.username.as_deref().unwrap_or("the token's user");
    writeln!(
        out,
        "Org:     {} as {}",
        session.instance_url,
        terminal_safe(who)
    )?;
    writeln!(out, "Session: {}", session.source)?;
    let verb = if dry_run { "Would deploy" } else { "Deploys" };
    writeln!(out, "{verb} for {}:", recipe.title)?;
    for (path, _) in components.iter().filter(|(p, _)| p != "package.xml") {
        writeln!(out, "  {path}")?;
    }
    // What apply doesn't do yet stays with the checklist, named step by step.
    let manual: Vec<&str> = recipe
        .steps
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            s.kind != crate::recipe::StepKind::Connect
                && !recipe.done_by_apply(*i, apply_user(args), args.private_key.is_some())
        })
        .map(|(_, s)| s.title.as_str())
        .collect();
    if !manual.is_empty() {
        writeln!(
            out,
            "Not done by apply (the checklist's steps): {}",
            manual.join("; ")
        )?;
    }
    Ok(())
}

fn write_next(out: &mut (dyn Write + Send), recipe: &Recipe, session: &Session) -> io::Result<()> {
    writeln!(
        out,
        "A new or changed app takes about 10 minutes (users report up to 30) to work everywhere."
    )?;
    writeln!(
        out,
        "Next: copy the Consumer Key (and Secret) from External Client App Manager > the app > Settings > OAuth Settings > Consumer Key and Secret, then:"
    )?;
    writeln!(
        out,
        "  eca-wizard connect --recipe {} --login-url {} --client-id CONSUMER_KEY",
        recipe.id, session.instance_url
    )
}
