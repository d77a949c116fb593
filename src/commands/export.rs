//! `eca-wizard export PROFILE --format env|json|sfdx-url [--reveal]`.

use std::io::{IsTerminal, Write};

use crate::profile::{self, SecretKind};

const MASK: &str = "********";

pub fn run(name: &str, format: &str, reveal: bool, json: bool) -> anyhow::Result<u8> {
    let dir = profile::profiles_dir()?;
    let profile = crate::commands::failure::load_profile(&dir, name)?;
    let secret = |kind| -> anyhow::Result<String> {
        let value = profile
            .secrets
            .get(name, kind)?
            .map(|s| s.expose().to_string())
            .unwrap_or_default();
        Ok(if reveal || value.is_empty() {
            value
        } else {
            MASK.to_string()
        })
    };
    let client_secret = secret(SecretKind::ConsumerSecret)?;
    let refresh_token = secret(SecretKind::RefreshToken)?;
    let instance = profile
        .instance_url
        .clone()
        .unwrap_or_else(|| profile.login_url.clone());
    let username = profile.username.clone().unwrap_or_default();
    if reveal && std::io::stdout().is_terminal() {
        eprintln!("warning: secrets are printed below; clear your scrollback when done");
    }
    let mut out = Vec::new();
    match format {
        "env" => {
            let lines = [
                ("SF_LOGIN_URL", profile.login_url.as_str()),
                ("SF_INSTANCE_URL", instance.as_str()),
                ("SF_CLIENT_ID", profile.client_id.as_str()),
                ("SF_CLIENT_SECRET", client_secret.as_str()),
                ("SF_REFRESH_TOKEN", refresh_token.as_str()),
                ("SF_USERNAME", username.as_str()),
            ];
            for (key, value) in lines {
                writeln!(out, "{key}={}", shell_quote(value))?;
            }
        }
        "json" => {
            let json = serde_json::json!({
                "login_url": profile.login_url, "instance_url": instance, "client_id": profile.client_id,
                "client_secret": client_secret, "refresh_token": refresh_token, "username": username,
            });
            writeln!(out, "{json}")?;
        }
        _ => {
            let host = instance
                .split_once("://")
                .map_or(instance.as_str(), |(_, rest)| rest)
                .trim_end_matches('/');
            writeln!(
                out,
                "force://{}:{client_secret}:{refresh_token}@{host}",
                profile.client_id
            )?;
            if !reveal {
                eprintln!(
                    "note: the secret and refresh token are masked; add --reveal for a URL `sf org login sfdx-url` accepts"
                );
            }
        }
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    if json {
        let result = serde_json::json!({"profile": name, "format": format, "revealed": reveal, "text": text});
        crate::commands::output::print("export", 0, &result, &[])?;
    } else {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        lock.write_all(text.as_bytes())?;
        lock.flush()?;
    }
    Ok(0)
}

/// Quotes a value for a shell or a .env file when it needs it.
fn shell_quote(value: &str) -> String {
    if value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./:@*".contains(c))
    {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}
