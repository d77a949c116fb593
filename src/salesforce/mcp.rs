//! Salesforce's hosted MCP servers: the standard servers and what each allows, the server URL
//! forms, and the bodies its endpoint answers with. Facts: reference/deploy-and-mcp-apis.md §F
//! ("[F.n]" below) and field-facts-2026.md "Hosted MCP" ("ff:").

use crate::salesforce::hosts::{self, HostKind};

/// The host every hosted MCP server URL is on [F.1].
pub const MCP_HOST: &str = "https://api.salesforce.com";
/// The path prefix of GA server URLs; the beta's `v1-beta.2` is gone [F.1].
pub const PATH_PREFIX: &str = "/platform/mcp/v1/";

/// A standard server as Setup > MCP Servers lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandardServer {
    /// With its prefix, as the URL spells it [F.1].
    pub name: &'static str,
    /// What a client connected to it may do.
    pub allows: &'static str,
    /// Its tools [F.4]: the developersdigest listing, the bridge README, the SObject All
    /// reference. The mutations server's list is UNCONFIRMED (the reads plus the writes).
    pub tools: &'static [&'static str],
}

const READ_TOOLS: &[&str] = &[
    "getObjectSchema",
    "soqlQuery",
    "find",
    "getUserInfo",
    "listRecentSobjectRecords",
    "getRelatedRecords",
];

/// The standard servers ([F.1]; servers-reference via research-14); all ship inactive [F.2].
/// Product servers (data/data360, analytics/tableau-next, platform/headless-360) need their own
/// licences and are not modelled here.
pub const STANDARD_SERVERS: &[StandardServer] = &[
    StandardServer {
        name: "platform/sobject-reads",
        allows: "read only: schema, SOQL, search and records the user can see (Salesforce's safest)",
        tools: READ_TOOLS,
    },
    StandardServer {
        name: "platform/sobject-all",
        allows: "read, create, update and delete records the user can reach, and run SOQL and search",
        tools: &[
            "getObjectSchema",
            "soqlQuery",
            "find",
            "getUserInfo",
            "listRecentSobjectRecords",
            "getRelatedRecords",
            "createSobjectRecord",
            "updateSobjectRecord",
            "updateRelatedRecord",
            "deleteSobjectRecord",
        ],
    },
    // The two below: what they allow is documented, their tool lists are UNCONFIRMED.
    StandardServer {
        name: "platform/sobject-mutations",
        allows: "create and update records, with SOQL and search to find them; no delete",
        tools: &[
            "getObjectSchema",
            "soqlQuery",
            "find",
            "getUserInfo",
            "createSobjectRecord",
            "updateSobjectRecord",
            "updateRelatedRecord",
        ],
    },
    StandardServer {
        name: "platform/sobject-deletes",
        allows: "delete records, with SOQL and search to find them",
        tools: &["soqlQuery", "find", "getUserInfo", "deleteSobjectRecord"],
    },
    // Standard servers beyond the sObject ones (field-facts-2026.md "Hosted MCP, newer
    // wording"). Neither has getUserInfo, so verify lists their tools and skips the call.
    StandardServer {
        // Metadata API Developer Guide, "Metadata API Context MCP Tools" (beta); the three tools
        // it lists first, UNCONFIRMED whether there are more.
        name: "platform/salesforce-api-context",
        allows: "read context about metadata types (sections, fields) to write metadata files; no records",
        tools: &[
            "get_metadata_type_sections",
            "get_metadata_type_context",
            "get_metadata_type_fields",
        ],
    },
    StandardServer {
        // Agentforce Vibes guide, "Metadata Experts MCP Server": activated in Setup > MCP Servers.
        name: "platform/metadata-experts",
        allows: "generate metadata for registered metadata types (execute_metadata_action); no records",
        tools: &["execute_metadata_action"],
    },
];

pub fn standard_server(name: &str) -> Option<&'static StandardServer> {
    STANDARD_SERVERS.iter().find(|s| s.name == name)
}

/// The tool whose answer proves whose token it is; others verify with it too [F.4].
pub const WHO_AM_I_TOOL: &str = "getUserInfo";

/// The endpoint's 401 bodies [F.3]: `{"errors":[{"message": ...}]}`.
pub const NO_TOKEN: &str = "JWT Token is required";
pub const BAD_TOKEN: &str = "Invalid token";
/// A request after `initialize` without its `Mcp-Session-Id` [F.4, salesforce-mcp-bridge].
pub const NO_SESSION: &str = "Session Key missing, but it's not an initialize request";

/// Which org a server URL reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgPath {
    /// `v1/<server>`: a production org, known from the token.
    Production,
    /// `v1/sandbox/<server>`: a sandbox or scratch org.
    Sandbox,
    /// `v1/d/<domain>/<server>`, `.../d/<domain>/develop/<server>` (Developer Edition),
    /// `.../d/<domain>--<sandbox>/sandbox/<server>`.
    MyDomain {
        domain: String,
        tail: Option<String>,
    },
    /// A custom server's `https://<domain>.my.salesforce.com/services/mcp/<Name>` as API Catalog
    /// reports it; how it relates to the api.salesforce.com form is UNCONFIRMED [F.1].
    Custom,
}

/// A hosted MCP server URL, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUrl {
    /// Scheme and host (and port for loopback).
    pub base: String,
    pub org: OrgPath,
    /// `platform/sobject-all`, `custom/<name>`, or the custom server's name.
    pub server: String,
}

impl ServerUrl {
    pub fn url(&self) -> String {
        match &self.org {
            OrgPath::Custom => format!("{}/services/mcp/{}", self.base, self.server),
            org => format!(
                "{}{PATH_PREFIX}{}{}",
                self.base,
                org_segment(org),
                self.server
            ),
        }
    }

    /// The standard server it names, when it is one.
    pub fn standard(&self) -> Option<&'static StandardServer> {
        standard_server(&self.server)
    }
}

fn org_segment(org: &OrgPath) -> String {
    match org {
        OrgPath::Production | OrgPath::Custom => String::new(),
        OrgPath::Sandbox => "sandbox/".into(),
        OrgPath::MyDomain { domain, tail } => match tail {
            Some(tail) => format!("d/{domain}/{tail}/"),
            None => format!("d/{domain}/"),
        },
    }
}

/// The URL of a standard server for the org a login URL reaches [F.1]: a My Domain gives the
/// `d/<domain>` forms (`develop` for Developer Edition, `<domain>--<sandbox>/sandbox` for a
/// sandbox), test.salesforce.com and scratch orgs the sandbox form, anything else production.
pub fn default_url(login_url: &str, server: &str) -> String {
    let org = match hosts::normalize_login_url(login_url).map(|n| n.host.kind().clone()) {
        Ok(HostKind::Sandbox) => OrgPath::Sandbox,
        Ok(HostKind::MyDomain { name, partition }) => match partition.as_deref() {
            None => OrgPath::MyDomain {
                domain: name,
                tail: None,
            },
            Some(p @ ("develop" | "sandbox")) => OrgPath::MyDomain {
                domain: name,
                tail: Some(p.to_string()),
            },
            Some("scratch") => OrgPath::Sandbox,
            Some(_) => OrgPath::Production,
        },
        _ => OrgPath::Production,
    };
    ServerUrl {
        base: MCP_HOST.into(),
        org,
        server: server.into(),
    }
    .url()
}

/// Reads a server URL as an admin pastes it from Setup > MCP Servers (or a client's guide).
pub fn parse_server_url(input: &str) -> Result<ServerUrl, String> {
    let text = input.trim().trim_end_matches('/');
    if text.len() > 2000 || text.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("Enter one URL, without spaces".into());
    }
    let example = format!("{MCP_HOST}{PATH_PREFIX}platform/sobject-all");
    let (scheme, rest) = text
        .split_once("://")
        .ok_or_else(|| format!("Enter the server's URL, e.g. {example}"))?;
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let path = format!("/{path}");
    let host = authority.to_ascii_lowercase();
    let host_name = host.split(':').next().unwrap_or_default();
    let loopback = matches!(host_name, "127.0.0.1" | "localhost");
    match (scheme.to_ascii_lowercase().as_str(), host.as_str()) {
        ("https", "api.salesforce.com") => {}
        ("http", _) if loopback => {}
        ("https", h) if h.ends_with(".my.salesforce.com") => {
            let name = path
                .strip_prefix("/services/mcp/")
                .filter(|n| is_name(n))
                .ok_or_else(|| {
                    format!(
                        "That is your org's My Domain, not an MCP server. Copy the server URL from Setup > MCP Servers, e.g. {example}"
                    )
                })?;
            return Ok(ServerUrl {
                base: format!("https://{host}"),
                org: OrgPath::Custom,
                server: name.to_string(),
            });
        }
        ("http", _) => {
            return Err("Use https:// (only the emulator on localhost is plain http)".into());
        }
        _ => {
            return Err(format!(
                "Hosted MCP servers are on api.salesforce.com, e.g. {example}"
            ));
        }
    }
    let base = format!("{}://{host}", scheme.to_ascii_lowercase());
    if path.starts_with("/platform/mcp/v1-beta") {
        return Err(format!(
            "That is the beta's URL; the GA servers are under {PATH_PREFIX} (and want the mcp_api scope): {example}"
        ));
    }
    let tail = path
        .strip_prefix(PATH_PREFIX)
        .ok_or_else(|| format!("The path must start with {PATH_PREFIX}, e.g. {example}"))?;
    let segments: Vec<&str> = tail.split('/').collect();
    let (org, server) = match segments.as_slice() {
        ["sandbox", server @ ..] => (OrgPath::Sandbox, server),
        // Data 360 puts `sandbox` after its prefix (research-14: data360-mcp).
        ["data", "sandbox", name] => (OrgPath::Sandbox, &["data", *name][..]),
        ["d", domain, "develop", server @ ..] | ["d", domain, "sandbox", server @ ..] => {
            let sandbox = segments.get(2) == Some(&"sandbox");
            let tail = if sandbox { "sandbox" } else { "develop" };
            (
                OrgPath::MyDomain {
                    domain: domain.to_string(),
                    tail: Some(tail.into()),
                },
                server,
            )
        }
        ["d", domain, server @ ..] => (
            OrgPath::MyDomain {
                domain: domain.to_string(),
                tail: None,
            },
            server,
        ),
        server => (OrgPath::Production, server),
    };
    let server = match server {
        [
            prefix @ ("platform" | "custom" | "data" | "analytics"),
            name,
        ] if is_name(name) => format!("{prefix}/{name}"),
        [name] if is_name(name) => {
            return Err(format!(
                "Server names keep their prefix: .../platform/{name} for a standard server, .../custom/{name} for one of yours"
            ));
        }
        _ => {
            return Err(format!(
                "After {PATH_PREFIX} comes the server (platform/sobject-all, custom/NAME), e.g. {example}"
            ));
        }
    };
    if let OrgPath::MyDomain { domain, .. } = &org
        && !is_name(domain)
    {
        return Err("After /v1/d/ comes your My Domain name (letters, digits, '-')".into());
    }
    Ok(ServerUrl { base, org, server })
}

fn is_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Whether an access token is a JWT (three base64url parts, starting `eyJ`) rather than an
/// opaque `00D…!…` session id [G].
pub fn is_jwt(token: &str) -> bool {
    token.starts_with("eyJ") && token.split('.').count() == 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_url_form_reads_back_to_itself() {
        for url in [
            "https://api.salesforce.com/platform/mcp/v1/platform/sobject-all",
            "https://api.salesforce.com/platform/mcp/v1/sandbox/platform/sobject-reads",
            "https://api.salesforce.com/platform/mcp/v1/d/acme/platform/sobject-all",
            "https://api.salesforce.com/platform/mcp/v1/d/acme/develop/platform/sobject-all",
            "https://api.salesforce.com/platform/mcp/v1/d/acme--uat/sandbox/custom/Orders",
            "https://acme.my.salesforce.com/services/mcp/Orders",
            "http://127.0.0.1:4000/platform/mcp/v1/platform/sobject-all",
        ] {
            let parsed = parse_server_url(url).unwrap();
            assert_eq!(parsed.url(), url);
        }
    }

    #[test]
    fn wrong_urls_say_what_to_paste() {
        for (url, says) in [
            (
                "https://api.salesforce.com/platform/mcp/v1-beta.2/platform/sobject-all",
                "beta",
            ),
            (
                "https://api.salesforce.com/platform/mcp/v1/sobject-all",
                "prefix",
            ),
            ("https://acme.my.salesforce.com/", "My Domain"),
            (
                "https://acme.lightning.force.com/platform/mcp/v1/platform/sobject-all",
                "api.salesforce.com",
            ),
            (
                "http://api.salesforce.com/platform/mcp/v1/platform/sobject-all",
                "https",
            ),
            ("api.salesforce.com", "Enter"),
        ] {
            let error = parse_server_url(url).unwrap_err();
            assert!(error.contains(says), "{url}: {error}");
        }
    }

    #[test]
    fn the_default_url_follows_the_login_url() {
        assert_eq!(
            default_url("https://login.salesforce.com", "platform/sobject-all"),
            "https://api.salesforce.com/platform/mcp/v1/platform/sobject-all"
        );
        assert!(
            default_url("https://test.salesforce.com", "platform/sobject-all")
                .contains("/v1/sandbox/")
        );
        assert_eq!(
            default_url(
                "https://acme--uat.sandbox.my.salesforce.com",
                "platform/sobject-reads"
            ),
            "https://api.salesforce.com/platform/mcp/v1/d/acme--uat/sandbox/platform/sobject-reads"
        );
        assert!(
            default_url(
                "https://acme.develop.my.salesforce.com",
                "platform/sobject-all"
            )
            .contains("/v1/d/acme/develop/")
        );
        assert!(
            default_url("https://acme.my.salesforce.com", "platform/sobject-all")
                .contains("/v1/d/acme/platform/")
        );
    }
}
