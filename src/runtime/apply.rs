//! "Set it up for me" in the wizard: the admin's Salesforce CLI login (the demo admin's session
//! in the demo), apply's service run with the setup's answers, its lines sent to the core as
//! they come, and what it read back. The CLI login is looked up once at start.

use std::path::PathBuf;

use tokio::sync::mpsc::UnboundedSender;

use crate::apply::event::{ApplyEvent, Tell};
use crate::apply::request::ApplyRequest;
use crate::apply::run::{Applied, apply, prepare};
use crate::apply::session::{self, Session};
use crate::metadata::{Certificate, Choices};
use crate::recipe::{self, Recipe, Role};
use crate::secret::Secret;
use crate::terminal_safe::terminal_safe;
use crate::wizard::{AppliedApp, ApplySpec, CliLogin, DEMO_CERTIFICATE_MARKER, Msg, SavedSetup};

/// The Salesforce CLI's default login, if any (no token is fetched to find it).
pub async fn find_cli_login() -> Option<CliLogin> {
    tokio::task::spawn_blocking(session::default_login)
        .await
        .ok()
        .flatten()
        .map(|(target, instance_url)| CliLogin {
            target,
            instance_url,
        })
}

/// Where the session comes from: the CLI login, or the demo org's admin.
pub enum Source {
    Cli(String),
    Demo {
        my_domain_url: String,
        client_id: String,
        client_secret: Secret,
    },
}

/// Runs apply for the spec, telling the core each event's words a line at a time, and ends
/// with `Msg::Applied`.
pub async fn run(spec: ApplySpec, source: Source, tx: UnboundedSender<Msg>) {
    let run = spec.run;
    let lines = tx.clone();
    let mut tell = move |event: ApplyEvent| {
        for line in event.to_string().lines().map(str::trim_end) {
            if !line.trim().is_empty() {
                let line = terminal_safe(line);
                let _ = lines.send(Msg::ApplyLine { run, line });
            }
        }
        Ok(())
    };
    let result = applied(&spec, source, &mut tell).await;
    let result = result.map_err(|e| terminal_safe(&format!("{e:#}")));
    let _ = tx.send(Msg::Applied { run, result });
}

async fn applied(
    spec: &ApplySpec,
    source: Source,
    tell: &mut Tell<'_>,
) -> anyhow::Result<AppliedApp> {
    let request = apply_request(spec)?;
    let prepared = prepare(&request)?;
    let session = session_of(source).await?;
    let allow = spec.allow_secret_access;
    let mut ask = |_: &str| Ok(allow);
    match apply(&request, prepared, &session, &mut ask, tell).await? {
        Applied::Refused => anyhow::bail!(
            "The org refused the metadata (the lines above say what); fix the answer it names and try again."
        ),
        // The wizard doesn't dry-run; a validation is nothing to connect with.
        Applied::Done => anyhow::bail!("apply validated the app and changed nothing"),
        Applied::CopyByHand { key, changed } => Ok(AppliedApp {
            consumer_key: key,
            consumer_secret: None,
            changed,
        }),
        Applied::Connect {
            connect,
            secret,
            changed,
        } => Ok(AppliedApp {
            consumer_key: Some(connect.client_id),
            consumer_secret: secret,
            changed,
        }),
    }
}

/// The live app `api_name` against its recipe, as lines for the status screen: each drifted
/// setting with its live and wanted value and the fix.
pub async fn drift(
    recipe_id: &str,
    choices: &[(String, String)],
    api_name: &str,
    source: Source,
) -> Result<Vec<String>, String> {
    let read = async {
        let recipe = recipe::answers::variant(recipe::by_id(recipe_id)?, choices);
        let session = session_of(source).await?;
        let http = crate::net::client()?;
        let version = crate::metadata::API_VERSION;
        let live = crate::apply::live::app(http, &session, version, api_name)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the org has no app named {api_name}"))?;
        let lines = crate::apply::live::drift(recipe, &live)
            .into_iter()
            .map(|d| {
                format!(
                    "{}: live {}, wanted {}: {}",
                    d.label, d.live, d.wanted, d.fix
                )
            })
            .collect();
        anyhow::Ok(lines)
    };
    read.await.map_err(|e| terminal_safe(&format!("{e:#}")))
}

/// The admin's session: the CLI login (the command's own lookup, its host check included),
/// or the demo admin's.
async fn session_of(source: Source) -> anyhow::Result<Session> {
    match source {
        Source::Cli(target) => Ok(tokio::task::spawn_blocking(move || {
            crate::commands::apply::admin_session(Some(&target), None)
        })
        .await??),
        Source::Demo {
            my_domain_url,
            client_id,
            client_secret,
        } => demo_session(&my_domain_url, &client_id, &client_secret).await,
    }
}

/// apply's request from the setup's answers: the same the `apply` command makes of its flags.
fn apply_request(spec: &ApplySpec) -> anyhow::Result<ApplyRequest> {
    let saved: &SavedSetup = &spec.saved;
    let recipe = saved.variant(recipe::by_id(&saved.recipe)?);
    let answer = |role: Role| saved.answer_for(recipe, role);
    Ok(ApplyRequest {
        recipe,
        choices: setup_choices(saved, recipe),
        create_user: None,
        api_version: crate::metadata::API_VERSION.to_string(),
        dry_run: false,
        allow_secret_access: spec.allow_secret_access,
        // The wizard's review is where its admin sees the callbacks (issue 29: the review is to
        // list the recipe's security settings and ask about a local recipe's callbacks).
        allow_callbacks: true,
        // The wizard signs in itself; apply only needs to know a JWT sign-in follows.
        private_key: answer(Role::PrivateKey).map(PathBuf::from),
        save: None,
        secrets_file: false,
    })
}

/// The app's choices from the setup's answers, for apply and for the metadata project alike
/// (checked by the same builder as the `apply` and `metadata` flags).
pub fn setup_choices(saved: &SavedSetup, recipe: &Recipe) -> Choices {
    let answer = |role: Role| saved.answer_for(recipe, role);
    Choices {
        from: None,
        name: answer(Role::ApiName),
        label: answer(Role::AppName),
        contact_email: answer(Role::ContactEmail),
        run_as: answer(Role::IntegrationUsername),
        callback_urls: answer(Role::CallbackUrls)
            .map(|u| u.lines().map(String::from).collect())
            .unwrap_or_default(),
        permission_set: answer(Role::PermissionSet),
        certificate: answer(Role::Certificate).map(|path| {
            if path == DEMO_CERTIFICATE_MARKER {
                // The demo answers with the demo org's own certificate.
                Certificate::Pem(crate::emulator::org::DEMO_JWT_CERTIFICATE.to_string())
            } else {
                Certificate::File(crate::files::expand_home(&path))
            }
        }),
        // The checklist creates the app in Setup, which names its policies this way.
        policy_names: crate::metadata::PolicyNames::Setup,
        include_optional: false,
        without_jwt_certificate: false,
    }
}

/// The demo admin's session, signed in as the CLI would be (client credentials of an app the
/// demo admin runs as).
async fn demo_session(
    my_domain_url: &str,
    client_id: &str,
    client_secret: &Secret,
) -> anyhow::Result<Session> {
    let answer = crate::net::client()?
        .post(format!("{my_domain_url}/services/oauth2/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", client_secret.expose()),
        ])
        .send()
        .await?;
    let body: serde_json::Value = crate::oauth::client::read_json(answer).await.map_err(|f| {
        anyhow::anyhow!(
            "the demo org didn't sign its admin in: {}",
            crate::oauth::client::unread(f)
        )
    })?;
    let token = body["access_token"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("the demo org didn't sign its admin in"))?;
    let mut session = session::from_token(my_domain_url, token)?;
    session.username = Some(crate::emulator::org::DEMO_ADMIN_USER.to_string());
    session.source = "the demo org's admin (in place of your Salesforce CLI login)".into();
    Ok(session)
}
