//! What a Salesforce error means and what to do about it. One table (`rules.rs`) maps every
//! error we know from the reference and from the field (authorize page, callback, token endpoint,
//! REST, hosted MCP) to its causes, most likely first given what is known, each naming the
//! setting to change and to what.

mod clues;
mod fits;
mod from_catalogue;
mod phrases;
mod rules;

use serde::{Deserialize, Serialize};

pub use clues::Clues;

use crate::salesforce::Flow;
use crate::salesforce::extract::{Hints, Known};
use crate::salesforce::settings::{self, SettingKey};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A new or edited app Salesforce hasn't spread everywhere yet: wait and retry.
    Propagating,
    /// A setting is wrong: change it (the diagnosis says which).
    Misconfigured,
    /// Someone must act: log in again, approve, use the right user.
    UserAction,
    /// The network, a 5xx or a rate limit: retry later.
    Transient,
    /// The calling software sends a wrong request; no setting in the org fixes it.
    ClientBug,
    Unknown,
}

impl Kind {
    pub fn id(self) -> &'static str {
        match self {
            Kind::Propagating => "propagating",
            Kind::Misconfigured => "misconfigured",
            Kind::UserAction => "user-action",
            Kind::Transient => "transient",
            Kind::ClientBug => "client-bug",
            Kind::Unknown => "unknown",
        }
    }

    /// Only these are worth another attempt.
    pub fn is_retryable(self) -> bool {
        matches!(self, Kind::Propagating | Kind::Transient)
    }
}

/// Where the fix is: an ECA setting, or a part of the setup that is not one checkbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "type", content = "name")]
pub enum Target {
    Setting(SettingKey),
    /// The consumer key as copied from the Settings tab (or both key and secret).
    Credentials,
    /// The consumer secret alone: the key is right.
    ConsumerSecret,
    /// The login URL given to the client.
    LoginUrl,
    /// The integration user itself (active, license, profile).
    IntegrationUser,
    /// Object access for the integration user.
    ObjectAccess(String),
    /// The hosted MCP server: active in Setup > MCP Servers, and the URL the client uses.
    McpServer,
    /// Nothing in Salesforce: the client sent something wrong.
    Client,
}

/// Which request failed, with what the client sent that matters for the diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Salesforce's error page (no redirect): bad client or redirect URI.
    AuthorizePage,
    /// An `?error=` redirect to the callback.
    AuthorizeRedirect,
    CodeExchange {
        secret_sent: bool,
    },
    Refresh {
        secret_sent: bool,
    },
    ClientCredentials,
    JwtBearer,
    /// userinfo or the identity URL.
    Identity,
    Rest,
    /// A hosted MCP server's endpoint (api.salesforce.com).
    Mcp,
    /// Pasted text whose origin is unknown (`eca-wizard explain`).
    Unknown,
}

/// Where we stand in the propagation window of the app, if known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    Inside,
    After,
    Unknown,
}

/// What is known besides the error: it decides which cause comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    pub phase: Phase,
    /// The flow of the recipe or of the pasted request.
    pub flow: Option<Flow>,
    pub window: Window,
    /// What the paste shows besides the error (its host, the tool, a proxy, ...); nothing for
    /// the wizard's own requests, whose phase says what it knows.
    pub seen: Hints,
    /// Words of the paste that point at one cause among several (ties are broken by them).
    pub clues: Clues,
}

impl Context {
    pub fn new(phase: Phase, window: Window) -> Context {
        Context {
            phase,
            flow: None,
            window,
            seen: Hints::default(),
            clues: Clues::default(),
        }
    }

    /// The flow, from the phase when nothing else says.
    pub fn flow(&self) -> Option<Flow> {
        match self.phase {
            Phase::ClientCredentials => Some(Flow::ClientCredentials),
            Phase::JwtBearer => Some(Flow::JwtBearer),
            Phase::AuthorizePage | Phase::AuthorizeRedirect | Phase::CodeExchange { .. } => {
                Some(Flow::AuthCode)
            }
            _ => self.flow,
        }
    }
}

/// One possible cause of an error and its fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    pub kind: Kind,
    pub target: Option<Target>,
    /// The value the fix gives the setting, when the fix names one.
    pub value: Option<String>,
    /// Plain language: what happened and what to do.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    pub kind: Kind,
    /// Salesforce's error code (`invalid_client_id`, `API_DISABLED_FOR_ORG`...).
    pub error: String,
    pub target: Option<Target>,
    /// The value the fix gives the setting, when the fix names one.
    pub value: Option<String>,
    /// Plain language: what happened and what to do.
    pub message: String,
    /// Other possible causes, most likely first (the fields above are the first cause).
    pub others: Vec<Cause>,
    /// The one check that tells the causes apart, when there are several.
    pub tell_apart: Option<String>,
}

impl Diagnosis {
    pub fn new(
        kind: Kind,
        error: &str,
        target: Option<Target>,
        message: impl Into<String>,
    ) -> Diagnosis {
        Diagnosis {
            kind,
            error: error.into(),
            target,
            value: None,
            message: message.into(),
            others: Vec::new(),
            tell_apart: None,
        }
    }

    /// The Setup label of the setting to change, when the fix is one setting.
    pub fn setting_label(&self) -> Option<&'static str> {
        label_of(self.target.as_ref())
    }

    pub fn transient(error: &str, message: impl Into<String>) -> Diagnosis {
        Diagnosis::new(Kind::Transient, error, None, message)
    }

    /// Every cause, the first one included.
    pub fn causes(&self) -> Vec<Cause> {
        let first = Cause {
            kind: self.kind,
            target: self.target.clone(),
            value: self.value.clone(),
            message: self.message.clone(),
        };
        std::iter::once(first)
            .chain(self.others.iter().cloned())
            .collect()
    }
}

/// The Setup label of a setting target.
pub fn label_of(target: Option<&Target>) -> Option<&'static str> {
    match target {
        Some(Target::Setting(key)) => settings::lookup(*key).map(|s| s.label),
        _ => None,
    }
}

/// Diagnoses an OAuth or REST error. `window` decides whether `propagating` errors are still
/// worth waiting for.
pub fn diagnose(phase: Phase, error: &str, description: &str, window: Window) -> Diagnosis {
    diagnose_in(&Context::new(phase, window), error, description)
}

/// Diagnoses an error with everything known about where it came from.
pub fn diagnose_in(context: &Context, error: &str, description: &str) -> Diagnosis {
    let Some(rule) = rules::find(context, error, description) else {
        if let Some(entry) = crate::salesforce::catalogue::find(error) {
            return from_catalogue::diagnose(entry, context, error, description);
        }
        let message = if description.is_empty() {
            format!("Salesforce answered {error}, an error this tool doesn't know yet.")
        } else {
            format!(
                "Salesforce answered {error}: {}. This tool doesn't know that error yet.",
                description.trim_end().trim_end_matches('.')
            )
        };
        return Diagnosis::new(Kind::Unknown, error, None, message);
    };
    let mut causes = rules::ranked(rule, context);
    let first = causes.remove(0);
    Diagnosis {
        kind: first.kind,
        error: error.into(),
        target: first.target,
        value: first.value,
        message: first.message,
        others: causes,
        tell_apart: rule.tell.map(str::to_string),
    }
}

/// Whether `diagnose_in` can only read this error through its listed code's family (our guess):
/// no rule of the table and no written catalogue row covers it.
pub fn through_family(context: &Context, error: &str, description: &str) -> bool {
    rules::find(context, error, description).is_none()
        && crate::salesforce::catalogue::is_family(error)
}

/// The codes and descriptions the table knows, for reading them in free text.
pub fn known() -> Vec<Known> {
    phrases::known()
}

/// `Failure::Transport`'s detail when the server's TLS certificate isn't trusted.
pub const TLS_UNTRUSTED: &str = "tls_untrusted";

/// A failure below HTTP (connection refused, timeout) or a 5xx without a known body. An
/// untrusted certificate is no passing fault: it is diagnosed with its fix, not retried.
pub fn diagnose_transport(detail: &str) -> Diagnosis {
    if detail == TLS_UNTRUSTED {
        return diagnose(Phase::Unknown, TLS_UNTRUSTED, "", Window::After);
    }
    Diagnosis::transient(
        "network",
        format!("Couldn't reach Salesforce ({detail}); retrying may help."),
    )
}

pub fn diagnose_status(status: u16) -> Diagnosis {
    if status >= 500 {
        Diagnosis::transient(
            "server_error",
            format!("Salesforce answered HTTP {status}; try again."),
        )
    } else {
        Diagnosis::new(
            Kind::Unknown,
            &format!("http_{status}"),
            None,
            format!("Salesforce answered HTTP {status} with a body we couldn't read."),
        )
    }
}

/// Object access missing for the integration user (a REST 404 on describe).
pub fn missing_object_access(object: &str) -> Diagnosis {
    Diagnosis::new(
        Kind::Misconfigured,
        "NOT_FOUND",
        Some(Target::ObjectAccess(object.to_string())),
        format!(
            "The integration user can't read {object}: grant Read on {object} in its permission set."
        ),
    )
}

#[cfg(test)]
mod tests;
