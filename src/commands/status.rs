//! `eca-wizard status [PROFILE | --all] [--json]`: checks saved connections live: a fresh token
//! (refresh, client credentials or JWT bearer, as the profile's flow does it), then every check
//! of its recipe. Exits 1 when any connection is broken.

use crate::terminal_safe::terminal_safe;
use std::io::Write;

use serde::Serialize;

use crate::clock::now_ms;
use crate::commands::UsageError;
use crate::commands::diagnosis_view::DiagnosisView;
use crate::jwt::Signer;
use crate::oauth::{Failure, OAuthClient, Tokens};
use crate::profile::{self, Profile, SecretKind, SecretStore, Verification};
use crate::recipe;
use crate::salesforce::Flow;
use crate::salesforce::diagnosis::{Diagnosis, Phase, Window};
use crate::verify::{self, Check, CheckName, Plan, Status};

#[derive(Serialize)]
pub struct ProfileStatus {
    pub profile: String,
    pub ok: bool,
    /// The answers to the recipe's choices the connection was checked with (choice id ->
    /// option; empty without choices or when the profile couldn't be read).
    pub choices: std::collections::BTreeMap<String, String>,
    /// Where the profile's secrets are kept (and, for the kernel keyring, that it forgets).
    pub secrets_store: Option<profile::StoreView>,
    pub checks: Vec<Check>,
    pub diagnosis: Option<DiagnosisView>,
}

pub fn run(name: Option<&str>, all: bool, json: bool) -> anyhow::Result<u8> {
    let dir = profile::profiles_dir()?;
    profile::sweep(&dir);
    let names = match (name, all) {
        (Some(name), _) => {
            // A name that isn't saved is a usage error, not a broken connection.
            crate::commands::failure::load_profile(&dir, name)?;
            vec![name.to_string()]
        }
        (None, true) => profile::list(&dir)?,
        (None, false) => return Err(UsageError("name a profile, or pass --all".into()).into()),
    };
    if names.is_empty() {
        eprintln!(
            "no profiles yet in {}; `eca-wizard connect ... --save NAME` keeps one",
            dir.display()
        );
        if json {
            crate::commands::output::print("status", 0, &Vec::<ProfileStatus>::new(), &[])?;
        }
        return Ok(0);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let statuses = runtime.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for (index, name) in names.iter().enumerate() {
            let (dir, name) = (dir.clone(), name.clone());
            tasks.spawn(async move { (index, check(&dir, &name).await) });
        }
        let mut results = Vec::new();
        while let Some(Ok(result)) = tasks.join_next().await {
            results.push(result);
        }
        results.sort_by_key(|(index, _)| *index);
        results
            .into_iter()
            .map(|(_, status)| status)
            .collect::<Vec<_>>()
    });
    let code = if statuses.iter().all(|s| s.ok) { 0 } else { 1 };
    if json {
        let warnings: Vec<_> = statuses
            .iter()
            .filter(|s| {
                s.secrets_store
                    .as_ref()
                    .is_some_and(|v| !v.survives_restart)
            })
            .map(|s| {
                crate::commands::output::Warning::new(
                    "secrets_forgotten_at_restart",
                    format!(
                        "{}: the kernel keyring forgets its secrets when the machine restarts",
                        s.profile
                    ),
                )
            })
            .collect();
        crate::commands::output::print("status", code, &statuses, &warnings)?;
        return Ok(code);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for status in &statuses {
        write_block(&mut out, status)?;
    }
    Ok(code)
}

/// One profile's block of `status`: every untrusted text on its label's line.
pub fn write_block(out: &mut dyn Write, status: &ProfileStatus) -> std::io::Result<()> {
    let verdict = if status.ok { "ok" } else { "BROKEN" };
    writeln!(out, "{}: {verdict}", terminal_safe(&status.profile))?;
    if let Some(store) = &status.secrets_store {
        writeln!(out, "  secrets in {}", store.description)?;
    }
    for check in status.checks.iter().filter(|c| c.status != Status::Skipped) {
        writeln!(
            out,
            "  {:<8} {:<18} {}",
            format!("{:?}", check.status).to_lowercase(),
            terminal_safe(check.name.as_str()),
            terminal_safe(&check.detail)
        )?;
    }
    if let Some(view) = &status.diagnosis {
        write!(out, "  fix: ")?;
        view.write_text(out)?;
        if view.kind == "user-action" {
            writeln!(
                out,
                "  then: eca-wizard connect ... --save {} to authorize again",
                terminal_safe(&status.profile)
            )?;
        }
    }
    writeln!(out)
}

async fn check(dir: &std::path::Path, name: &str) -> ProfileStatus {
    let broken = |message: String| ProfileStatus {
        profile: name.to_string(),
        ok: false,
        choices: Default::default(),
        secrets_store: None,
        checks: Vec::new(),
        diagnosis: Some(DiagnosisView::plain("profile", message)),
    };
    let mut profile = match profile::load(dir, name) {
        Ok(profile) => profile,
        Err(e) => return broken(e.to_string()),
    };
    let Ok(loaded) = recipe::by_id(&profile.recipe) else {
        return broken(format!(
            "the profile names recipe '{}', which this eca-wizard doesn't have",
            profile.recipe
        ));
    };
    // Checked as the app that was made: the answers it was connected with, never the defaults.
    let recipe = match profile::variant(dir, &profile, loaded) {
        Ok(recipe) => recipe,
        Err(e) => return broken(e.to_string()),
    };
    let secret = |kind| profile.secrets.get(name, kind).ok().flatten();
    let Ok(client) = OAuthClient::new(
        &profile.login_url,
        &profile.client_id,
        secret(SecretKind::ConsumerSecret),
    ) else {
        return broken("couldn't set up HTTPS".into());
    };
    let (tokens, phase) =
        fresh_token(&client, &profile, recipe, secret(SecretKind::RefreshToken)).await;
    let mut checks = Vec::new();
    let mut tokens = match tokens {
        Ok(tokens) => tokens,
        Err(failure) => {
            let diagnosis = failure.diagnose(phase, Window::After);
            checks.push(Check::failed(CheckName::Token, diagnosis.clone()));
            return finish(dir, &mut profile, checks, Some(diagnosis), recipe);
        }
    };
    checks.push(Check::passed(
        CheckName::Token,
        format!("{} token obtained", profile.flow),
    ));
    let plan = Plan {
        recipe,
        flow: profile.flow,
        expected_username: profile.username.as_deref(),
        mcp_url: profile.mcp_url.as_deref(),
    };
    let verified = verify::verify(&client, &mut tokens, &plan, &mut |_: &Check| {}).await;
    checks.extend(verified.checks);
    // With rotation the new refresh token is the only one that works: a failed save is loud.
    let saved = match &tokens.refresh_token {
        Some(refresh) => profile.secrets.set(name, SecretKind::RefreshToken, refresh),
        None => Ok(()),
    }
    .and_then(|()| {
        profile
            .secrets
            .set(name, SecretKind::AccessToken, &tokens.access_token)
    });
    if let Err(e) = saved {
        let diagnosis = Diagnosis::new(
            crate::salesforce::diagnosis::Kind::Misconfigured,
            "keep_failed",
            None,
            format!(
                "The new tokens couldn't be saved ({e}); with refresh token rotation the old refresh token no longer works: fix the store, then run `eca-wizard connect ... --save {name}`."
            ),
        );
        checks.push(Check::failed(CheckName::Keep, diagnosis));
    }
    let diagnosis = checks
        .iter()
        .find(|c| c.status == Status::Failed)
        .and_then(|c| c.diagnosis.clone());
    finish(dir, &mut profile, checks, diagnosis, recipe)
}

/// A token the way the profile's integration gets one.
pub(crate) async fn fresh_token(
    client: &OAuthClient,
    profile: &Profile,
    recipe: &recipe::Recipe,
    refresh: Option<crate::secret::Secret>,
) -> (Result<Tokens, Failure>, Phase) {
    match profile.flow {
        Flow::AuthCode => {
            let with_secret = recipe.refresh_needs_secret();
            let phase = Phase::Refresh {
                secret_sent: with_secret,
            };
            match refresh {
                // Without rotation the response carries no refresh token: the stored one lives on.
                Some(refresh) => {
                    let refreshed =
                        client
                            .refresh(&refresh, with_secret)
                            .await
                            .map(|mut tokens| {
                                tokens.refresh_token.get_or_insert(refresh);
                                tokens
                            });
                    (refreshed, phase)
                }
                None => (
                    Err(Failure::OAuth {
                        status: 400,
                        error: "invalid_grant".into(),
                        description: "expired access/refresh token".into(),
                    }),
                    phase,
                ),
            }
        }
        Flow::ClientCredentials => (client.client_credentials().await, Phase::ClientCredentials),
        Flow::JwtBearer => {
            let signer = profile
                .private_key_path
                .as_deref()
                .and_then(|path| std::fs::read_to_string(path).ok())
                .and_then(|pem| Signer::from_pem(&pem).ok());
            let Some(signer) = signer else {
                return (
                    Err(Failure::Transport(
                        "the profile's private key can't be read".into(),
                    )),
                    Phase::JwtBearer,
                );
            };
            let now = now_ms() / 1000;
            let username = profile.username.clone().unwrap_or_default();
            let audiences = crate::salesforce::hosts::normalize_login_url(&profile.login_url)
                .map(|n| n.host.jwt_audiences())
                .unwrap_or_else(|_| vec![profile.login_url.clone()]);
            (
                client
                    .jwt_bearer_any(&signer, &username, &audiences, now)
                    .await,
                Phase::JwtBearer,
            )
        }
    }
}

/// Where the secrets are, and when the profile was saved to another keychain than this run
/// uses (a desktop session then, a server now), that they are there and not here.
fn store_said(profile: &Profile) -> String {
    let now = profile.secrets.describe();
    let current = profile::keychain().map(|k| k.id());
    match (&profile.keychain, &profile.secrets) {
        (Some(saved), SecretStore::Keychain) if Some(saved.as_str()) != current => {
            format!("{now}; they were saved to the {saved} store, which this session doesn't reach")
        }
        _ => now,
    }
}

fn finish(
    dir: &std::path::Path,
    profile: &mut Profile,
    checks: Vec<Check>,
    diagnosis: Option<Diagnosis>,
    recipe: &recipe::Recipe,
) -> ProfileStatus {
    let ok = diagnosis.is_none();
    profile.last_verified = Some(Verification {
        at_ms: now_ms(),
        ok,
    });
    let _ = profile::save(dir, profile);
    ProfileStatus {
        profile: profile.name.clone(),
        ok,
        choices: recipe.selection.iter().cloned().collect(),
        secrets_store: Some(profile::StoreView {
            description: store_said(profile),
            ..profile.secrets.view(profile.keychain.as_deref())
        }),
        checks,
        diagnosis: diagnosis.map(|d| DiagnosisView::new(&d, Some(recipe))),
    }
}
