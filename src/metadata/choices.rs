//! What the admin chose for the app beyond the recipe (the `metadata` and `apply` flags, the
//! wizard's answers), checked into `Options`: the one builder every path goes through, so each
//! refuses the same input. Unlike the rest of `metadata`, it reads files: the certificate and a
//! saved profile.

use std::path::PathBuf;

use super::{Options, PolicyNames};
use crate::commands::UsageError;
use crate::salesforce::callback::check_callback_url;
use crate::salesforce::naming::{check_email, check_username};

/// Where the JWT bearer certificate comes from.
#[derive(Debug, Clone)]
pub enum Certificate {
    /// A PEM file the admin named.
    File(PathBuf),
    /// A PEM in hand (the demo org's own certificate).
    Pem(String),
}

/// The admin's choices, as given: `options` checks them.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// A saved profile to take the callback URLs, Run As user, API name and label from.
    pub from: Option<String>,
    pub name: Option<String>,
    pub label: Option<String>,
    pub contact_email: Option<String>,
    pub run_as: Option<String>,
    pub callback_urls: Vec<String>,
    pub permission_set: Option<String>,
    pub certificate: Option<Certificate>,
    pub policy_names: PolicyNames,
    pub include_optional: bool,
    pub without_jwt_certificate: bool,
}

impl Choices {
    /// The checked options; a choice that can't work is a usage error naming its flag.
    pub fn options(&self) -> anyhow::Result<Options> {
        for url in &self.callback_urls {
            check_callback_url(url).map_err(|e| UsageError(format!("--callback-url: {e}")))?;
        }
        if let Some(email) = &self.contact_email {
            check_email(email).map_err(|e| UsageError(format!("--contact-email: {e}")))?;
        }
        if let Some(user) = &self.run_as {
            check_username(user).map_err(|e| UsageError(format!("--run-as: {e}")))?;
        }
        let certificate = self
            .certificate
            .as_ref()
            .map(read_certificate)
            .transpose()?;
        let profile = match &self.from {
            Some(name) => {
                let dir = crate::profile::profiles_dir()?;
                Some(
                    crate::profile::load(&dir, name)
                        .map_err(|e| UsageError(format!("--from: {e}")))?,
                )
            }
            None => None,
        };
        let callback_urls = match (&profile, self.callback_urls.is_empty()) {
            (Some(profile), true) => profile.callback_urls.clone(),
            _ => self.callback_urls.clone(),
        };
        let run_as = self
            .run_as
            .clone()
            .or_else(|| profile.as_ref().and_then(|p| p.username.clone()));
        Ok(Options {
            // The profile keeps the API name and label the admin typed in the wizard.
            name: self
                .name
                .clone()
                .or_else(|| profile.as_ref().and_then(|p| p.api_name.clone())),
            label: self
                .label
                .clone()
                .or_else(|| profile.as_ref().and_then(|p| p.app_name.clone())),
            contact_email: self.contact_email.clone(),
            callback_urls,
            run_as,
            permission_set: self.permission_set.clone(),
            certificate,
            policy_names: self.policy_names,
            include_optional: self.include_optional,
            without_jwt_certificate: self.without_jwt_certificate,
            forced_on: Vec::new(),
        })
    }
}

/// The certificate's PEM, refused unless it holds a public key JWT bearer can check with.
fn read_certificate(certificate: &Certificate) -> anyhow::Result<String> {
    let (pem, source) = match certificate {
        Certificate::File(path) => {
            let pem = std::fs::read_to_string(path).map_err(|e| {
                UsageError(format!(
                    "can't read the certificate {}: {e}",
                    path.display()
                ))
            })?;
            (pem, path.display().to_string())
        }
        Certificate::Pem(pem) => (pem.clone(), "the certificate".to_string()),
    };
    crate::jwt::certificate_public_key(&pem).map_err(|e| UsageError(format!("{source}: {e}")))?;
    Ok(pem)
}
