//! `eca-wizard export PROFILE --format env|json|sfdx-url|postman|sf-jwt|mcp [--reveal]`: a
//! saved connection in the form another tool takes. A masked value is never written as an
//! assignment (`SF_CLIENT_SECRET=********` would be read as the secret): it is left out with a
//! comment, or as null, and a format whose every use needs the secrets is refused without
//! `--reveal` when stdout isn't a terminal. A format the profile can't serve is refused with the
//! one that works.

use std::io::{IsTerminal, Write};

use crate::commands::output::{self, Refusal, exit};
use crate::profile::{Profile, SecretKind};
use crate::salesforce::Flow;

mod formats;

/// What the formats are given: the profile and its secrets, each `None` when masked or absent.
pub struct Values<'a> {
    pub profile: &'a Profile,
    /// The profile's recipe as its answers made it; None when this eca-wizard lacks the recipe
    /// (only a format that needs it is refused then).
    pub recipe: Option<&'static crate::recipe::Recipe>,
    pub instance: String,
    pub client_secret: Option<String>,
    pub refresh_token: Option<String>,
    /// Secrets there are but were left out (no --reveal).
    pub masked: Vec<&'static str>,
}

pub fn run(name: &str, format: &str, reveal: bool, json: bool) -> anyhow::Result<u8> {
    let dir = crate::profile::profiles_dir()?;
    let profile = crate::commands::failure::load_profile(&dir, name)?;
    let recipe = match crate::recipe::by_id(&profile.recipe) {
        // An answer the recipe doesn't offer is refused here too, never taken as a default.
        Ok(loaded) => Some(
            crate::profile::variant(&dir, &profile, loaded)
                .map_err(|e| crate::commands::UsageError(e.to_string()))?,
        ),
        Err(_) => None,
    };
    check_format(&profile, format)?;
    let to_terminal = std::io::stdout().is_terminal();
    if format == "sfdx-url" && !reveal && (!to_terminal || json) {
        return Err(Refusal::usage(
            "masked_export",
            "an sfdx-url without its secret and refresh token can't be used, and would be written to a file or pipe",
            format!("add --reveal: eca-wizard export {name} --format sfdx-url --reveal > auth.txt"),
        )
        .into());
    }
    let mut masked = Vec::new();
    // sf-jwt and mcp carry no secret: the store isn't even opened.
    let needs_secrets = !matches!(format, "sf-jwt" | "mcp");
    let mut secret = |kind, label| -> anyhow::Result<Option<String>> {
        if !needs_secrets {
            return Ok(None);
        }
        let value = profile.secrets.get(name, kind)?;
        Ok(match value {
            Some(v) if reveal => Some(v.expose().to_string()),
            Some(_) => {
                masked.push(label);
                None
            }
            None => None,
        })
    };
    let client_secret = secret(SecretKind::ConsumerSecret, "client_secret")?;
    let refresh_token = secret(SecretKind::RefreshToken, "refresh_token")?;
    let values = Values {
        instance: profile
            .instance_url
            .clone()
            .unwrap_or_else(|| profile.login_url.clone()),
        profile: &profile,
        recipe,
        client_secret,
        refresh_token,
        masked,
    };
    // A refresh token that was never stored isn't masked: stars there would be a fake value.
    if format == "sfdx-url"
        && values.refresh_token.is_none()
        && !values.masked.contains(&"refresh_token")
    {
        return Err(Refusal::usage(
            "no_refresh_token",
            "this profile has no refresh token stored, and `sf org login sfdx-url` needs one",
            format!(
                "connect again with --save {name} (a login that grants refresh_token), then export"
            ),
        )
        .into());
    }
    let text = formats::render(format, &values)?;
    if reveal && to_terminal && !values.profile_has_no_secret() {
        eprintln!("warning: secrets are printed below; clear your scrollback when done");
    }
    if !values.masked.is_empty() && !json {
        eprintln!(
            "note: {} left out; add --reveal to include them",
            values.masked.join(" and ")
        );
    }
    if json {
        let warnings: Vec<_> = values
            .masked
            .iter()
            .map(|m| output::Warning::new("masked", format!("{m} left out; --reveal includes it")))
            .collect();
        let result = serde_json::json!({"profile": name, "format": format, "revealed": reveal, "text": text});
        output::print("export", exit::OK, &result, &warnings)?;
    } else {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        out.write_all(text.as_bytes())?;
        out.flush()?;
    }
    Ok(exit::OK)
}

impl Values<'_> {
    fn profile_has_no_secret(&self) -> bool {
        self.client_secret.is_none() && self.refresh_token.is_none()
    }
}

/// Refuses a format the profile's flow or recipe can't serve, naming what works instead.
fn check_format(profile: &Profile, format: &str) -> Result<(), Refusal> {
    let name = &profile.name;
    let refuse = |why: String, instead: &str| {
        Refusal::usage(
            "unsupported_format",
            why,
            format!("eca-wizard export {name} --format {instead}"),
        )
    };
    match (format, profile.flow) {
        ("sfdx-url", Flow::ClientCredentials) => Err(refuse(
            "an sfdx-url carries a refresh token, and the client credentials flow issues none: `sf org login sfdx-url` couldn't use it".into(),
            "env (or json)",
        )),
        ("sfdx-url", Flow::JwtBearer) => Err(refuse(
            "a JWT bearer profile signs in with its private key, not a refresh token".into(),
            "sf-jwt",
        )),
        ("sf-jwt", flow) if flow != Flow::JwtBearer => Err(refuse(
            format!("`sf org login jwt` needs a JWT bearer app; this profile uses {flow}"),
            if flow == Flow::AuthCode { "sfdx-url" } else { "env" },
        )),
        ("mcp", _) if profile.mcp_url.is_none() => Err(refuse(
            format!(
                "the profile's recipe {} is no hosted MCP recipe",
                profile.recipe
            ),
            "env (or json)",
        )),
        _ => Ok(()),
    }
}
