//! Where an admin's org answers OAuth: the generic login hosts, a My Domain, or (for the
//! emulator and tests) a loopback address. Anything an admin pastes (a Setup page, a Lightning
//! URL, a Visualforce URL, a bare name) is turned into the My Domain login URL, and every change
//! made on the way is reported so the user can see what happened to their input.

use std::fmt;

use crate::salesforce::Flow;

/// Longest input we try to read as a URL; anything longer is a paste gone wrong.
const MAX_INPUT_LEN: usize = 2048;

/// One family of Salesforce domains: the My Domain login suffix and the UI suffixes that map
/// back to it (facts: reference/salesforce-oauth.md §1.3).
struct DomainFamily {
    my_domain: &'static str,
    lightning: &'static str,
    /// The Setup host of enhanced domains; only known for the commercial cloud.
    setup: Option<&'static str>,
    /// The Visualforce host; only known for the commercial cloud.
    visualforce: Option<&'static str>,
    cloud: &'static str,
}

const FAMILIES: &[DomainFamily] = &[
    DomainFamily {
        my_domain: "my.salesforce.com",
        lightning: "lightning.force.com",
        setup: Some("my.salesforce-setup.com"),
        visualforce: Some("vf.force.com"),
        cloud: "commercial",
    },
    DomainFamily {
        my_domain: "my.salesforce.mil",
        lightning: "lightning.crmforce.mil",
        setup: None,
        visualforce: None,
        cloud: "government",
    },
    DomainFamily {
        my_domain: "my-salesforce.com",
        lightning: "my-lightning.com",
        setup: None,
        visualforce: None,
        cloud: "alternative domain",
    },
    DomainFamily {
        my_domain: "my.sfcrmproducts.cn",
        lightning: "lightning.sfcrmapps.cn",
        setup: None,
        visualforce: None,
        cloud: "China (Alibaba)",
    },
];

/// Partition labels that sit between the org name and the domain suffix.
const PARTITIONS: &[&str] = &[
    "sandbox",
    "develop",
    "patch",
    "scratch",
    "trailblaze",
    "demo",
];

pub const PRODUCTION_LOGIN: &str = "https://login.salesforce.com";
pub const SANDBOX_LOGIN: &str = "https://test.salesforce.com";

/// What kind of host a login URL points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostKind {
    /// `login.salesforce.com`: any production or Developer Edition org.
    Production,
    /// `test.salesforce.com`: any sandbox.
    Sandbox,
    /// The org's own My Domain host; `partition` is `sandbox`, `develop`... when present.
    MyDomain {
        name: String,
        partition: Option<String>,
    },
    /// A loopback address (the embedded emulator, tests).
    Loopback,
}

/// A normalised login URL: scheme and host (and port for loopback), never a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginHost {
    url: String,
    kind: HostKind,
}

/// The result of reading what the user typed: the host and what was changed to get there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub host: LoginHost,
    /// Plain sentences, one per change, for the user ("Lightning UI host replaced by ...").
    pub changes: Vec<String>,
}

/// Why the input is not a usable login URL. Messages say what to enter instead; they never
/// repeat the whole input, which might be a pasted URL with a token or password in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostError {
    #[error(
        "Enter your org's login URL: https://YOURDOMAIN.my.salesforce.com, or 'production' / 'sandbox'"
    )]
    Empty,
    #[error("That is {0} characters long; paste only the address of your org (Setup > My Domain)")]
    TooLong(usize),
    #[error("The address contains spaces or control characters; paste the URL alone")]
    Whitespace,
    #[error(
        "The address contains non-ASCII characters; copy the URL from the browser's address bar"
    )]
    NotAscii,
    #[error("There is no host in that URL; enter e.g. https://YOURDOMAIN.my.salesforce.com")]
    NoHost,
    #[error("Remove the user name and password from the URL; enter only the host")]
    Credentials,
    #[error("'{0}' is not a URL; enter e.g. https://YOURDOMAIN.my.salesforce.com")]
    Unparseable(String),
    #[error("Only https is used by Salesforce; '{0}' is not supported")]
    Scheme(String),
    #[error(
        "'{0}' is not a Salesforce login host; use your My Domain URL (Setup > My Domain > Current My Domain URL)"
    )]
    NotSalesforce(String),
    #[error(
        "'{0}' is an instanced URL, which Salesforce no longer serves for API logins; use your My Domain URL (Setup > My Domain)"
    )]
    Instanced(String),
    #[error(
        "'{0}' is an Experience Cloud site, not the org's login host; use your My Domain URL (Setup > My Domain)"
    )]
    ExperienceSite(String),
}

/// A flow that a host cannot serve, with the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "The {flow} flow does not work on {host}; Salesforce only accepts it on your My Domain (https://YOURDOMAIN.my.salesforce.com, Setup > My Domain)"
)]
pub struct FlowNotOnHost {
    pub flow: Flow,
    pub host: String,
}

impl LoginHost {
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn kind(&self) -> &HostKind {
        &self.kind
    }

    /// The host name alone (no scheme, no port).
    pub fn host_name(&self) -> &str {
        let rest = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, r)| r);
        match rest.rfind(':') {
            Some(i) if !rest.ends_with(']') => &rest[..i],
            _ => rest,
        }
    }

    /// Salesforce refuses client credentials on `login.salesforce.com` / `test.salesforce.com`
    /// (`invalid_grant: request not supported on this domain`): catch that before sending.
    pub fn check_flow(&self, flow: Flow) -> Result<(), FlowNotOnHost> {
        match (&self.kind, flow) {
            (HostKind::Production | HostKind::Sandbox, Flow::ClientCredentials) => {
                Err(FlowNotOnHost {
                    flow,
                    host: self.host_name().to_string(),
                })
            }
            _ => Ok(()),
        }
    }

    /// The Lightning UI origin for a My Domain host, used to open Setup pages.
    /// The JWT bearer audiences to try, in order, for assertions posted to this host's token
    /// endpoint: the documented ones first (`https://login.salesforce.com`, or
    /// `https://test.salesforce.com` for a sandbox), the other next, the host itself last, the
    /// fallback sequence of the Salesforce CLI's library (sfdx-core `getLoginAudienceCombos`:
    /// "we can no longer depend on instance names or URLs to determine audience, let's try them
    /// all"), which also never pairs the production host with the sandbox audience or back.
    pub fn jwt_audiences(&self) -> Vec<String> {
        use crate::salesforce::org_type::OrgType;
        let named = match &self.kind {
            HostKind::Production => return vec![PRODUCTION_LOGIN.to_string()],
            HostKind::Sandbox => return vec![SANDBOX_LOGIN.to_string()],
            HostKind::MyDomain {
                partition: Some(partition),
                ..
            } => OrgType::of_partition(partition),
            _ => None,
        };
        let first = named.map_or(PRODUCTION_LOGIN, OrgType::jwt_audience);
        let second = if first == PRODUCTION_LOGIN {
            SANDBOX_LOGIN
        } else {
            PRODUCTION_LOGIN
        };
        vec![first.to_string(), second.to_string(), self.url.clone()]
    }

    pub fn lightning_origin(&self) -> Option<String> {
        let HostKind::MyDomain { .. } = &self.kind else {
            return None;
        };
        let host = self.host_name();
        FAMILIES.iter().find_map(|family| {
            let stem = host.strip_suffix(family.my_domain)?;
            Some(format!("https://{stem}{}", family.lightning))
        })
    }
}

impl fmt::Display for LoginHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

/// Reads a login URL as an admin would type or paste it.
pub fn normalize_login_url(input: &str) -> Result<Normalized, HostError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(HostError::Empty);
    }
    if trimmed.len() > MAX_INPUT_LEN {
        return Err(HostError::TooLong(trimmed.chars().count()));
    }
    if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(HostError::Whitespace);
    }
    if !trimmed.is_ascii() {
        return Err(HostError::NotAscii);
    }
    let mut changes = Vec::new();
    if trimmed != input {
        changes.push("Removed surrounding spaces.".to_string());
    }
    match trimmed.to_ascii_lowercase().as_str() {
        "production" | "prod" | "login" => return Ok(generic(HostKind::Production, changes)),
        "sandbox" | "test" => return Ok(generic(HostKind::Sandbox, changes)),
        _ => {}
    }

    let (scheme, rest) = match trimmed.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => (String::new(), trimmed),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    if authority.contains('@') {
        return Err(HostError::Credentials);
    }
    let (host, port) = split_port(authority)?;
    let host = host.to_ascii_lowercase();
    if host.is_empty() {
        return Err(HostError::NoHost);
    }

    if is_loopback(&host) {
        return loopback(&scheme, &host, port, tail, changes);
    }
    match scheme.as_str() {
        "" => changes.push("Added https://.".to_string()),
        "https" => {}
        "http" => {
            changes.push("Changed http:// to https:// (Salesforce only serves https).".into())
        }
        other => return Err(HostError::Scheme(other.to_string())),
    }
    if port.is_some() {
        changes.push("Removed the port number.".to_string());
    }
    if !tail.is_empty() && tail != "/" {
        changes.push("Dropped the page path; only the host is needed to log in.".to_string());
    }
    if !is_host_syntax(&host) {
        return Err(HostError::Unparseable(short(&host)));
    }
    classify(&host, changes)
}

fn generic(kind: HostKind, changes: Vec<String>) -> Normalized {
    let url = match kind {
        HostKind::Sandbox => SANDBOX_LOGIN,
        _ => PRODUCTION_LOGIN,
    };
    Normalized {
        host: LoginHost {
            url: url.to_string(),
            kind,
        },
        changes,
    }
}

pub(super) fn classify(host: &str, mut changes: Vec<String>) -> Result<Normalized, HostError> {
    match host {
        "login.salesforce.com" => return Ok(generic(HostKind::Production, changes)),
        "test.salesforce.com" => return Ok(generic(HostKind::Sandbox, changes)),
        _ => {}
    }
    if host.ends_with(".my.site.com") || host.ends_with(".secure.force.com") {
        return Err(HostError::ExperienceSite(host.to_string()));
    }
    for family in FAMILIES {
        if let Some(stem) = strip_domain(host, family.my_domain) {
            return my_domain(stem, family, changes);
        }
        if let Some(stem) = strip_domain(host, family.lightning) {
            changes.push(format!(
                "Replaced the Lightning UI host {host} with the My Domain login host ({} cloud).",
                family.cloud
            ));
            return my_domain(stem, family, changes);
        }
        if let Some(stem) = family.setup.and_then(|setup| strip_domain(host, setup)) {
            changes.push(format!(
                "Replaced the Setup host {host} with the My Domain login host."
            ));
            return my_domain(stem, family, changes);
        }
        if let Some(stem) = family.visualforce.and_then(|vf| strip_domain(host, vf)) {
            // NAME--c.vf.force.com / NAME--SBX--c.sandbox.vf.force.com: the last `--` part
            // names the package namespace, not the org.
            let stem = strip_namespace(stem);
            changes.push(format!(
                "Replaced the Visualforce host {host} with the My Domain login host."
            ));
            return my_domain(&stem, family, changes);
        }
    }
    if is_instanced(host) {
        return Err(HostError::Instanced(host.to_string()));
    }
    Err(HostError::NotSalesforce(host.to_string()))
}

/// Builds the My Domain result from `NAME` or `NAME.partition`.
fn my_domain(
    stem: &str,
    family: &DomainFamily,
    changes: Vec<String>,
) -> Result<Normalized, HostError> {
    let (name, partition) = match stem.rsplit_once('.') {
        Some((name, label)) if PARTITIONS.contains(&label) => (name, Some(label.to_string())),
        Some(_) => {
            return Err(HostError::NotSalesforce(format!(
                "{stem}.{}",
                family.my_domain
            )));
        }
        None => (stem, None),
    };
    if name.is_empty() || name.contains('.') {
        return Err(HostError::NotSalesforce(format!(
            "{stem}.{}",
            family.my_domain
        )));
    }
    let host = match &partition {
        Some(label) => format!("{name}.{label}.{}", family.my_domain),
        None => format!("{name}.{}", family.my_domain),
    };
    Ok(Normalized {
        host: LoginHost {
            url: format!("https://{host}"),
            kind: HostKind::MyDomain {
                name: name.to_string(),
                partition,
            },
        },
        changes,
    })
}

fn loopback(
    scheme: &str,
    host: &str,
    port: Option<u16>,
    tail: &str,
    mut changes: Vec<String>,
) -> Result<Normalized, HostError> {
    let scheme = match scheme {
        "" => {
            changes.push("Added http:// (a loopback address).".to_string());
            "http"
        }
        "http" | "https" => scheme,
        other => return Err(HostError::Scheme(other.to_string())),
    };
    if !tail.is_empty() && tail != "/" {
        changes.push("Dropped the page path; only the host is needed to log in.".to_string());
    }
    let url = match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    };
    Ok(Normalized {
        host: LoginHost {
            url,
            kind: HostKind::Loopback,
        },
        changes,
    })
}

fn split_port(authority: &str) -> Result<(&str, Option<u16>), HostError> {
    let bad = || HostError::Unparseable(short(authority));
    if let Some(rest) = authority.strip_prefix('[') {
        let (inside, after) = rest.split_once(']').ok_or_else(bad)?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p.parse().map_err(|_| bad())?),
            None if after.is_empty() => None,
            None => return Err(bad()),
        };
        // Keep the brackets: they are part of how an IPv6 host is written in a URL.
        let host = &authority[..inside.len() + 2];
        return Ok((host, port));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Ok((host, Some(port.parse().map_err(|_| bad())?))),
        None => Ok((authority, None)),
    }
}

pub(super) fn is_loopback(host: &str) -> bool {
    host == "localhost" || host == "[::1]" || host.starts_with("127.") && is_ipv4(host)
}

fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| p.parse::<u8>().is_ok())
}

pub(super) fn is_host_syntax(host: &str) -> bool {
    host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// `na123.salesforce.com`, `cs42.salesforce.com`, `eu5.salesforce.com`: pre-My-Domain pods.
pub(super) fn is_instanced(host: &str) -> bool {
    host.strip_suffix(".salesforce.com").is_some_and(|pod| {
        !pod.contains('.')
            && pod.chars().any(|c| c.is_ascii_digit())
            && pod.chars().all(|c| c.is_ascii_alphanumeric())
    })
}

/// `stem` if `host` is `stem.suffix` with a non-empty stem.
fn strip_domain<'a>(host: &'a str, suffix: &str) -> Option<&'a str> {
    let stem = host.strip_suffix(suffix)?.strip_suffix('.')?;
    (!stem.is_empty()).then_some(stem)
}

fn strip_namespace(stem: &str) -> String {
    let (name, partition) = match stem.rsplit_once('.') {
        Some((name, label)) => (name, Some(label)),
        None => (stem, None),
    };
    let name = name.rsplit_once("--").map_or(name, |(org, _namespace)| org);
    match partition {
        Some(label) => format!("{name}.{label}"),
        None => name.to_string(),
    }
}

/// A bounded excerpt of user input for an error message.
pub(super) fn short(text: &str) -> String {
    const KEEP: usize = 60;
    if text.chars().count() <= KEEP {
        text.to_string()
    } else {
        let head: String = text.chars().take(KEEP).collect();
        format!("{head}...")
    }
}

/// Domains whose hosts may receive a token: Salesforce's commercial, government, alternative and
/// China clouds (the families above).
const API_DOMAINS: &[&str] = &[
    "salesforce.com",
    "force.com",
    "salesforce.mil",
    "crmforce.mil",
    "my-salesforce.com",
    "sfcrmproducts.cn",
];

/// Whether `url` (an `instance_url` from a token response or a profile) may receive the tokens
/// of a login that went to `login_base`: https on a Salesforce domain, or loopback when the login
/// itself went to loopback (the emulator). Anything else would hand the bearer token, the
/// refresh token or the consumer secret to whoever the answer names.
pub fn check_api_host(url: &str, login_base: &str) -> Result<(), String> {
    let parsed = url::Url::parse(url).map_err(|_| format!("{} is not an address", short(url)))?;
    let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
    let login_host = url::Url::parse(login_base)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default();
    if is_loopback(&host) || host == "::1" {
        return if is_loopback(&login_host) || login_host == "[::1]" {
            Ok(())
        } else {
            Err(format!(
                "{} is a loopback address, but the login went to {login_host}",
                short(url)
            ))
        };
    }
    if parsed.scheme() != "https" {
        return Err(format!("{} is not https", short(url)));
    }
    let on_salesforce = API_DOMAINS
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")));
    if !on_salesforce {
        return Err(format!("{host} is not a Salesforce host"));
    }
    Ok(())
}
