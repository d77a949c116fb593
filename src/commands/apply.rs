//! `eca-wizard apply`: deploys the recipe's External Client App through the admin's own session
//! and says what it changed; `--dry-run` validates the same deploy (checkOnly) and changes
//! nothing. Exit codes as `connect`: 0 done, 1 failed, 2 usage, 3 the org refused the metadata.

use std::io::{self, BufRead, IsTerminal, Write};
use std::time::Duration;

use crate::apply::{deploy, package, session};
use crate::cli::ApplyArgs;
use crate::commands::UsageError;
use crate::metadata;
use crate::recipe::{self, Recipe, StepKind};
use crate::terminal_safe::terminal_safe;

pub fn run(args: &ApplyArgs) -> anyhow::Result<u8> {
    let recipe_id = args
        .recipe
        .as_deref()
        .ok_or_else(|| UsageError("--recipe ID (or --recipe-file FILE) is required".into()))?;
    let recipe = recipe::by_id(recipe_id).map_err(|e| UsageError(e.to_string()))?;
    let options = crate::commands::metadata::options(&args.app)?;
    let files = metadata::generate(recipe, &options).map_err(|e| UsageError(e.to_string()))?;
    let session = admin_session(args)?;
    // The token goes only to Salesforce (or to loopback, the emulator).
    crate::salesforce::hosts::check_api_host(&session.instance_url, &session.instance_url)
        .map_err(|e| UsageError(format!("the session's instance URL: {e}")))?;
    let mut err = io::stderr().lock();
    for note in &session.notes {
        writeln!(err, "note: {note}")?;
    }
    let components = package::mdapi_paths(&files);
    write_plan(&mut err, recipe, &session, &components, args.dry_run)?;
    let zip = package::mdapi_zip(&files)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let http = crate::net::client()?;
    let deployed = runtime.block_on(deploy::deploy(
        http,
        &session,
        &args.api_version,
        zip,
        args.dry_run,
        Duration::from_secs(2),
        &mut |status| eprintln!("  deploy: {status}"),
    ))?;
    if !deployed.success {
        writeln!(
            err,
            "\nThe org refused the metadata (deploy {}, {}):",
            deployed.id, deployed.status
        )?;
        for failure in &deployed.failures {
            writeln!(
                err,
                "  FAIL {} ({}): {}",
                failure.file, failure.kind, failure.problem
            )?;
        }
        writeln!(
            err,
            "Nothing was changed (the deploy rolls back). `eca-wizard metadata --recipe {} --check DIR` checks a project without an org.",
            recipe.id
        )?;
        return Ok(3);
    }
    let app = components
        .iter()
        .find_map(|(path, _)| path.strip_prefix("externalClientApps/"))
        .map(|p| p.trim_end_matches(".eca").to_string())
        .unwrap_or_default();
    if args.dry_run {
        writeln!(
            err,
            "\nValidated: the deploy of {app} would succeed ({} components). Nothing in the org changed.",
            deployed.components
        )?;
        return Ok(0);
    }
    writeln!(
        err,
        "\nDeployed {app} ({} components, deploy {}).",
        deployed.components, deployed.id
    )?;
    write_next(&mut err, recipe, &session)?;
    Ok(0)
}

fn admin_session(args: &ApplyArgs) -> anyhow::Result<session::Session> {
    let found = match (&args.target_org, &args.instance_url) {
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
        (None, None) => {
            return Err(UsageError(
                "pass --target-org ALIAS (a Salesforce CLI login) or --instance-url URL with the access token on stdin".into(),
            )
            .into());
        }
    };
    found.map_err(|e| match e {
        session::SessionError::Input(message) => UsageError(message).into(),
        other => anyhow::anyhow!(other),
    })
}

fn write_plan(
    out: &mut impl Write,
    recipe: &Recipe,
    session: &session::Session,
    components: &[(String, &str)],
    dry_run: bool,
) -> io::Result<()> {
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
        .filter(|s| {
            matches!(
                s.kind,
                StepKind::IntegrationUser | StepKind::Credentials | StepKind::McpServers
            )
        })
        .map(|s| s.title.as_str())
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

fn write_next(out: &mut impl Write, recipe: &Recipe, session: &session::Session) -> io::Result<()> {
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
