//! The instance URL the Salesforce CLI reports (`sf org display`'s `instanceUrl`), reduced to a
//! My Domain origin that may receive the admin's token, or refused with the reason.

use crate::salesforce::hosts::{
    HostError, HostKind, classify, is_host_syntax, is_instanced, is_loopback, short,
};

/// Why an org's instance URL (the Salesforce CLI's `instanceUrl`) may not receive a token. The
/// messages say what is wrong and never repeat the URL, which might carry anything.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstanceError {
    #[error("is not a URL")]
    Unparseable,
    #[error("has a user name or password in it")]
    Credentials,
    #[error("has a path, query or fragment after {0}; an instance URL is the host alone")]
    NotOrigin(String),
    #[error("uses {0}; Salesforce serves its API over https only")]
    Scheme(String),
    #[error("names port {0}; Salesforce serves its API on the standard https port")]
    Port(u16),
    #[error("{0} is a shared login host, not the org's own My Domain")]
    LoginHost(String),
    #[error(
        "{0} is a Site, Experience Cloud or Visualforce host, which serves customer code, not the org's API"
    )]
    Site(String),
    #[error("{0} is not a Salesforce My Domain host (NAME.my.salesforce.com)")]
    NotSalesforce(String),
}

/// An org's instance URL as an origin (`https://HOST`, or `http(s)://HOST:PORT` on loopback),
/// with what was changed to get there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceOrigin {
    pub url: String,
    pub changes: Vec<String>,
}

/// An org's instance URL reduced to its origin: https on a My Domain host of one of the clouds
/// `hosts` knows or an instanced host (`na1.salesforce.com`), or loopback (the emulator). A path or
/// query would move every REST call (and the bearer token) elsewhere; Sites, Experience Cloud
/// and Visualforce hosts run customer code. UI hosts (Lightning, Setup, Visualforce) map to
/// the My Domain as for a pasted login URL, and `changes` says so.
pub fn instance_origin(input: &str) -> Result<InstanceOrigin, InstanceError> {
    let parsed = url::Url::parse(input.trim()).map_err(|_| InstanceError::Unparseable)?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(InstanceError::Credentials);
    }
    let host = parsed
        .host_str()
        .ok_or(InstanceError::Unparseable)?
        .to_ascii_lowercase();
    if parsed.path() != "/" || parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(InstanceError::NotOrigin(short(&host)));
    }
    let scheme = parsed.scheme();
    if is_loopback(&host) {
        if scheme != "http" && scheme != "https" {
            return Err(InstanceError::Scheme(short(scheme)));
        }
        let url = match parsed.port() {
            Some(port) => format!("{scheme}://{host}:{port}"),
            None => format!("{scheme}://{host}"),
        };
        return Ok(InstanceOrigin {
            url,
            changes: Vec::new(),
        });
    }
    if scheme != "https" {
        return Err(InstanceError::Scheme(short(scheme)));
    }
    if let Some(port) = parsed.port() {
        return Err(InstanceError::Port(port));
    }
    if !is_host_syntax(&host) {
        return Err(InstanceError::NotSalesforce(short(&host)));
    }
    if is_instanced(&host) {
        // Pre-My-Domain pods still answer for orgs the CLI logged in to long ago.
        return Ok(InstanceOrigin {
            url: format!("https://{host}"),
            changes: Vec::new(),
        });
    }
    match classify(&host, Vec::new()) {
        Ok(found) if matches!(found.host.kind(), HostKind::MyDomain { .. }) => Ok(InstanceOrigin {
            url: found.host.url().to_string(),
            changes: found.changes,
        }),
        Ok(_) => Err(InstanceError::LoginHost(host)),
        Err(HostError::ExperienceSite(_)) => Err(InstanceError::Site(host)),
        Err(_) if is_site(&host) => Err(InstanceError::Site(host)),
        Err(_) => Err(InstanceError::NotSalesforce(host)),
    }
}

/// Salesforce Sites (`NAME.my.salesforce-sites.com`, `NAME.force.com`), Visualforce
/// (`NAME--PKG.visualforce.com`) and Experience Cloud hosts that `classify` doesn't map.
fn is_site(host: &str) -> bool {
    [
        ".force.com",
        ".site.com",
        ".salesforce-sites.com",
        ".visualforce.com",
    ]
    .iter()
    .any(|suffix| host.ends_with(suffix))
}
