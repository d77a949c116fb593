//! `eca-wizard profiles [--json]`: the saved connections, offline: name, recipe, flow, host, org,
//! when each was last verified and where its secrets are. Nothing is sent anywhere (`status`
//! checks them live).

use std::io::Write;

use serde::Serialize;

use crate::commands::output;
use crate::profile::{self, Profile, StoreView};
use crate::terminal_safe::terminal_safe;

#[derive(Debug, Serialize)]
struct Row {
    name: String,
    recipe: String,
    flow: &'static str,
    /// The answers to the recipe's choices it was connected with (empty without).
    choices: std::collections::BTreeMap<String, String>,
    login_url: String,
    host: String,
    org_id: Option<String>,
    username: Option<String>,
    last_verified: Option<Verified>,
    secrets_store: StoreView,
}

#[derive(Debug, Serialize)]
struct Verified {
    at: String,
    ok: bool,
}

/// A profile file that can't be read is listed as a warning, not a failure of the list.
pub fn run(json: bool) -> anyhow::Result<u8> {
    let dir = profile::profiles_dir()?;
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    for name in profile::list(&dir)? {
        match profile::load(&dir, &name) {
            Ok(profile) => rows.push(row(&profile)),
            Err(e) => warnings.push(output::Warning::new("unreadable_profile", e.to_string())),
        }
    }
    if json {
        output::print("profiles", 0, &rows, &warnings)?;
        return Ok(0);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if rows.is_empty() {
        writeln!(
            out,
            "no profiles in {}; `eca-wizard connect ... --save NAME` keeps one",
            dir.display()
        )?;
    }
    for row in &rows {
        let verified = row
            .last_verified
            .as_ref()
            .map_or("never verified".to_string(), |v| {
                format!("{} {}", if v.ok { "ok" } else { "BROKEN" }, v.at)
            });
        writeln!(
            out,
            "{:<20} {:<26} {:<18} {:<36} {:<18} {verified}",
            terminal_safe(&row.name),
            terminal_safe(&row.recipe),
            row.flow,
            terminal_safe(&row.host),
            row.org_id.as_deref().map_or("-".into(), terminal_safe),
        )?;
        writeln!(
            out,
            "{:<20} secrets in {}",
            "", row.secrets_store.description
        )?;
    }
    for warning in &warnings {
        eprintln!("warning: {}", terminal_safe(&warning.message));
    }
    Ok(0)
}

fn row(profile: &Profile) -> Row {
    let host = url::Url::parse(&profile.login_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| profile.login_url.clone());
    Row {
        name: profile.name.clone(),
        recipe: profile.recipe.clone(),
        flow: profile.flow.id(),
        choices: profile.choices.clone(),
        login_url: profile.login_url.clone(),
        host,
        org_id: profile.org_id.clone(),
        username: profile.username.clone(),
        last_verified: profile.last_verified.as_ref().map(|v| Verified {
            at: crate::clock::rfc3339(v.at_ms),
            ok: v.ok,
        }),
        secrets_store: profile.secrets.view(profile.keychain.as_deref()),
    }
}
