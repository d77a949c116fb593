//! `eca-wizard logout PROFILE`: revoke at Salesforce, then forget locally. When Salesforce can't
//! be reached nothing is deleted, so the command can simply be run again.

use crate::commands::UsageError;
use crate::oauth::{Failure, OAuthClient};
use crate::profile::{self, SecretKind};

pub fn run(name: &str) -> anyhow::Result<u8> {
    let dir = profile::profiles_dir()?;
    profile::sweep(&dir);
    let profile = profile::load(&dir, name).map_err(|e| UsageError(e.to_string()))?;
    let store = &profile.secrets;
    let token = match store.get(name, SecretKind::RefreshToken)? {
        Some(token) => Some((token, "refresh token")),
        None => store
            .get(name, SecretKind::AccessToken)?
            .map(|t| (t, "access token")),
    };
    if let Some((token, what)) = token {
        let base = profile
            .instance_url
            .as_deref()
            .unwrap_or(&profile.login_url);
        let client = OAuthClient::new(base, &profile.client_id, None)?;
        let runtime = crate::commands::runtime()?;
        match runtime.block_on(client.revoke(&token)) {
            Ok(()) => println!("revoked the {what} at Salesforce"),
            Err(Failure::OAuth { error, .. }) if error == "invalid_token" => {
                println!("the {what} was already revoked or expired at Salesforce");
            }
            Err(failure) => {
                eprintln!(
                    "couldn't revoke the {what} ({}); nothing was deleted: run `eca-wizard logout {name}` again when Salesforce can be reached",
                    crate::terminal_safe::terminal_safe(
                        &failure
                            .diagnose(
                                crate::salesforce::diagnosis::Phase::Identity,
                                crate::salesforce::diagnosis::Window::After
                            )
                            .message
                    )
                );
                return Ok(1);
            }
        }
    } else {
        println!("no token was stored for {name}; nothing to revoke");
    }
    store.delete_all(name)?;
    println!("deleted the secrets from {}", store.describe());
    profile::delete(&dir, name)?;
    println!("deleted profile {name}");
    Ok(0)
}
