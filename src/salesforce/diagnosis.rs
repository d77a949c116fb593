//! What a Salesforce error means and what to do about it: one table from every error the
//! reference lists (authorize page, authorize redirect, token endpoint, REST) to a diagnosis
//! (`propagating`, `misconfigured`, `user-action`, `transient`) naming the setting to change.

use serde::Serialize;

use crate::salesforce::oauth_errors::BAD_OAUTH_TOKEN;
use crate::salesforce::settings::{self, SettingKey};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
    Unknown,
}

impl Kind {
    pub fn id(self) -> &'static str {
        match self {
            Kind::Propagating => "propagating",
            Kind::Misconfigured => "misconfigured",
            Kind::UserAction => "user-action",
            Kind::Transient => "transient",
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
    /// The consumer key or secret as copied from the Settings tab.
    Credentials,
    /// The login URL given to the client.
    LoginUrl,
    /// The integration user itself (active, license).
    IntegrationUser,
    /// Object access for the integration user.
    ObjectAccess(String),
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    pub kind: Kind,
    /// Salesforce's error code (`invalid_client_id`, `API_DISABLED_FOR_ORG`...).
    pub error: String,
    pub target: Option<Target>,
    /// Plain language: what happened and what to do.
    pub message: String,
}

impl Diagnosis {
    /// The Setup label of the setting to change, when the fix is one setting.
    pub fn setting_label(&self) -> Option<&'static str> {
        match &self.target {
            Some(Target::Setting(key)) => settings::lookup(*key).map(|s| s.label),
            _ => None,
        }
    }

    pub fn transient(error: &str, message: impl Into<String>) -> Diagnosis {
        Diagnosis {
            kind: Kind::Transient,
            error: error.into(),
            target: None,
            message: message.into(),
        }
    }
}

type When = fn(Phase) -> bool;

struct Rule {
    error: &'static str,
    /// A substring of the description, when the code alone is ambiguous (`invalid_grant`).
    description: Option<&'static str>,
    when: When,
    kind: Kind,
    target: Option<Target>,
    message: &'static str,
}

fn any(_: Phase) -> bool {
    true
}
fn refresh_without_secret(p: Phase) -> bool {
    p == Phase::Refresh { secret_sent: false }
}
fn code_without_secret(p: Phase) -> bool {
    p == Phase::CodeExchange { secret_sent: false }
}
fn jwt(p: Phase) -> bool {
    p == Phase::JwtBearer
}
fn not_jwt(p: Phase) -> bool {
    p != Phase::JwtBearer
}

use Kind::{Misconfigured, Propagating, Transient, UserAction};
use SettingKey as S;

const fn rule(
    error: &'static str,
    description: Option<&'static str>,
    when: When,
    kind: Kind,
    target: Option<Target>,
    message: &'static str,
) -> Rule {
    Rule {
        error,
        description,
        when,
        kind,
        target,
        message,
    }
}

/// First match wins; more specific rows come first.
#[rustfmt::skip]
const RULES: &[Rule] = &[
    rule("invalid_client_id", None, any, Propagating, Some(Target::Credentials),
        "Salesforce doesn't recognise this consumer key. A new or edited app takes minutes to work everywhere; if the app is older than that, copy the Consumer Key again from the app's Settings tab."),
    rule("redirect_uri_mismatch", None, any, Propagating, Some(Target::Setting(S::CallbackUrl)),
        "The callback URL isn't registered on the app (Salesforce compares it exactly). Right after an edit this is propagation; otherwise add it to Callback URL."),
    rule("redirect_uri_missing", None, any, Misconfigured, Some(Target::Client),
        "The client sent no redirect_uri; this is a client bug."),
    rule("invalid_client", Some("client credentials flow not enabled"), any, Misconfigured, Some(Target::Setting(S::EnableClientCredentials)),
        "Client credentials is off: check Enable Client Credentials Flow on the Settings tab and on the Policies tab."),
    rule("invalid_client", None, refresh_without_secret, Misconfigured, Some(Target::Setting(S::RequireSecretRefresh)),
        "The app requires the consumer secret to refresh, but this integration refreshes without it: uncheck Require secret for Refresh Token Flow."),
    rule("invalid_client", None, code_without_secret, Misconfigured, Some(Target::Setting(S::RequireSecretWebServer)),
        "The app requires the consumer secret for the web server flow, but this client sends none: uncheck Require secret for Web Server Flow, or give the client the secret."),
    rule("invalid_client", None, any, Misconfigured, Some(Target::Credentials),
        "The consumer secret is wrong. Copy it again from Settings > OAuth Settings > Consumer Key and Secret (right after rotating it, wait a few minutes)."),
    rule("unauthorized_client", None, any, Misconfigured, Some(Target::Setting(S::EnableClientCredentials)),
        "The app doesn't allow this flow; enable it under Flow Enablement and on the Policies tab."),
    rule("invalid_grant", Some("request not supported on this domain"), any, Misconfigured, Some(Target::LoginUrl),
        "Client credentials only works on your My Domain (https://YOURDOMAIN.my.salesforce.com), not login.salesforce.com or test.salesforce.com."),
    rule("invalid_grant", Some("no client credentials user enabled"), any, Misconfigured, Some(Target::Setting(S::RunAsUser)),
        "Client credentials needs a Run As user: Policies tab > OAuth Policies > Run As (Username)."),
    rule("invalid_grant", Some("no valid scopes defined"), any, Misconfigured, Some(Target::Setting(S::OauthScopes)),
        "None of the app's scopes works with client credentials (refresh_token, web and full don't): add api."),
    rule("invalid_app_access", None, any, Misconfigured, Some(Target::Setting(S::SelectedPermissionSets)),
        "The app only admits pre-authorized users and this user isn't one: add the user's permission set under App Policies > Selected Permission Sets."),
    rule("OAUTH_APP_ACCESS_DENIED", None, any, Misconfigured, Some(Target::Setting(S::SelectedPermissionSets)),
        "The app only admits pre-authorized users and this user isn't one: add the user's permission set under App Policies > Selected Permission Sets."),
    rule("invalid_grant", Some("user hasn't approved this consumer"), any, Misconfigured, Some(Target::Setting(S::PermittedUsers)),
        "Nobody approved this app for the user. For JWT bearer set Permitted Users to Admin approved users are pre-authorized and add the user's permission set."),
    rule("invalid_grant", Some("inactive user"), any, Misconfigured, Some(Target::IntegrationUser),
        "The user is inactive: reactivate the integration user (Setup > Users)."),
    rule("inactive_user", None, any, Misconfigured, Some(Target::IntegrationUser),
        "The user is inactive: reactivate the integration user (Setup > Users)."),
    rule("invalid_grant", Some("expired authorization code"), jwt, Misconfigured, Some(Target::Client),
        "The JWT's exp is in the past: check the clock of the machine that signs it."),
    rule("invalid_grant", Some("expired authorization code"), not_jwt, UserAction, None,
        "The authorization code expired or was already used: authorize again."),
    rule("invalid_grant", Some("expired access/refresh token"), any, UserAction, None,
        "The refresh token was revoked, expired, or replaced by rotation: authorize again."),
    rule("invalid_grant", Some("invalid assertion"), any, Misconfigured, Some(Target::Setting(S::EnableJwtBearer)),
        "Salesforce can't verify the JWT: upload the certificate that matches the signing key under Enable JWT Bearer Flow, and check iss (the consumer key) and sub (the username)."),
    rule("invalid_grant", Some("Audience validation failed"), any, Misconfigured, Some(Target::LoginUrl),
        "The JWT's aud must be https://login.salesforce.com, https://test.salesforce.com, or your My Domain URL."),
    rule("invalid_grant", Some("login rate exceeded"), any, Transient, None,
        "Too many logins for this user in the last hour (Salesforce allows 3,600): wait, and reuse tokens instead of logging in again."),
    rule("invalid_grant", Some("ip restricted"), any, Misconfigured, Some(Target::Setting(S::IpRelaxation)),
        "The login came from an address outside the allowed ranges or hours: relax IP restrictions on the Policies tab, or allow this address."),
    rule("invalid_grant", Some("authentication failure"), any, Misconfigured, Some(Target::IntegrationUser),
        "Salesforce refused the user's credentials."),
    rule("invalid_request", Some("missing required code challenge"), any, Misconfigured, Some(Target::Setting(S::RequirePkce)),
        "The app requires PKCE and the client sent no code challenge: use a client that sends PKCE, or uncheck the PKCE requirement if the integration's guide says so."),
    rule("invalid_grant", Some("code verifier"), any, Misconfigured, Some(Target::Client),
        "The PKCE verifier was missing or didn't match: the client must send the verifier of the same login."),
    rule("invalid_request", Some("code verifier"), any, Misconfigured, Some(Target::Client),
        "The PKCE verifier didn't match the challenge: the client must send the verifier of the same login."),
    rule("invalid_request", Some("refresh_token scope is required"), any, Misconfigured, Some(Target::Setting(S::OauthScopes)),
        "Add Perform requests at any time (refresh_token, offline_access) to the app's scopes and pre-authorize the user."),
    rule("invalid_request", None, any, Misconfigured, Some(Target::Client),
        "The client sent a request Salesforce couldn't read (a missing or malformed parameter): a client bug."),
    rule("invalid_token", None, any, UserAction, None,
        "The token was already invalid (revoked, expired or never issued); there is nothing left to revoke."),
    rule("unsupported_token_type", None, any, Misconfigured, Some(Target::Client),
        "Salesforce can't revoke that kind of token: revoke the refresh or access token itself."),
    rule("invalid_scope", None, any, Misconfigured, Some(Target::Setting(S::OauthScopes)),
        "A requested scope isn't selected on the app: add it to Selected OAuth Scopes."),
    rule("access_denied", None, any, UserAction, None,
        "Access was denied on the consent page: authorize again and click Allow."),
    rule("access-denied", None, any, UserAction, None,
        "Access was denied on the consent page: authorize again and click Allow."),
    rule("unsupported_response_type", None, any, Misconfigured, Some(Target::Client),
        "The client asked for a response type Salesforce doesn't support here."),
    rule("unsupported_grant_type", None, any, Misconfigured, Some(Target::LoginUrl),
        "Salesforce didn't accept the grant: the request went to the wrong host (use https and your My Domain or login URL) or isn't a form post."),
    rule("app_not_found", None, any, Misconfigured, Some(Target::LoginUrl),
        "The app isn't in the org this login URL points to: use the org where you created the app."),
    rule("OAUTH_EC_APP_NOT_FOUND", None, any, Misconfigured, Some(Target::LoginUrl),
        "The app isn't in the org this login URL points to: use the org where you created the app."),
    rule("OAUTH_APP_BLOCKED", None, any, Misconfigured, None,
        "An admin blocked this app in the org; unblock it in Connected Apps OAuth Usage."),
    rule("inactive_org", None, any, Misconfigured, None,
        "The org is locked, closed or suspended."),
    rule("immediate_unsuccessful", None, any, UserAction, None,
        "The user isn't logged in or hasn't approved the app yet: authorize without immediate=true."),
    rule("rate_limit_exceeded", None, any, Transient, None,
        "Too many logins: wait before trying again."),
    rule("server_error", None, any, Transient, None,
        "Salesforce had a server error; try again."),
    rule("service_unavailable", None, any, Transient, None,
        "Salesforce is unavailable; try again."),
    rule("API_DISABLED_FOR_ORG", None, any, Misconfigured, Some(Target::Setting(S::ApiEnabled)),
        "The user can't use the API: grant API Enabled in the user's profile or permission set."),
    rule("INVALID_SESSION_ID", Some("not valid for use with the REST API"), any, Misconfigured, Some(Target::Setting(S::OauthScopes)),
        "The token can't call the REST API: add Manage user data via APIs (api) to the app's scopes."),
    rule("INVALID_SESSION_ID", None, any, UserAction, None,
        "The session expired or was revoked: get a new token."),
    rule("INVALID_AUTH_HEADER", None, any, Misconfigured, Some(Target::Client),
        "The request had no valid Authorization header: a client bug."),
    rule("REQUEST_LIMIT_EXCEEDED", None, any, Transient, None,
        "The org used up its daily API requests; wait for the rolling 24 hours to free some."),
    rule(BAD_OAUTH_TOKEN, None, any, UserAction, None,
        "The access token is invalid or was revoked: get a new token."),
];

/// Diagnoses an OAuth or REST error. `window` decides whether `propagating` errors are still
/// worth waiting for.
pub fn diagnose(phase: Phase, error: &str, description: &str, window: Window) -> Diagnosis {
    let found = RULES.iter().find(|r| {
        r.error.eq_ignore_ascii_case(error)
            && r.description
                .is_none_or(|d| contains_ignore_case(description, d))
            && (r.when)(phase)
    });
    let Some(rule) = found else {
        let message = if description.is_empty() {
            format!("Salesforce answered {error}.")
        } else {
            format!("Salesforce answered {error}: {description}.")
        };
        return Diagnosis {
            kind: Kind::Unknown,
            error: error.into(),
            target: None,
            message,
        };
    };
    let (kind, message) = match (rule.kind, window) {
        (Propagating, Window::After) => (
            Misconfigured,
            format!(
                "{} The app is older than the propagation window, so this is a setting, not a delay.",
                rule.message
            ),
        ),
        (Propagating, Window::Unknown) => (
            Propagating,
            format!(
                "{} If the app was saved more than 15 minutes ago, treat this as misconfiguration.",
                rule.message
            ),
        ),
        (kind, _) => (kind, rule.message.to_string()),
    };
    Diagnosis {
        kind,
        error: error.into(),
        target: rule.target.clone(),
        message,
    }
}

/// A failure below HTTP (connection refused, timeout, TLS) or a 5xx without a known body.
pub fn diagnose_transport(detail: &str) -> Diagnosis {
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
        Diagnosis {
            kind: Kind::Unknown,
            error: format!("http_{status}"),
            target: None,
            message: format!("Salesforce answered HTTP {status} with a body we couldn't read."),
        }
    }
}

/// Object access missing for the integration user (a REST 404 on describe).
pub fn missing_object_access(object: &str) -> Diagnosis {
    Diagnosis {
        kind: Kind::Misconfigured,
        error: "NOT_FOUND".into(),
        target: Some(Target::ObjectAccess(object.to_string())),
        message: format!(
            "The integration user can't read {object}: grant Read on {object} in its permission set."
        ),
    }
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::salesforce::oauth_errors::ALL;

    #[test]
    fn every_known_error_has_a_diagnosis() {
        for error in ALL {
            let diagnosis = diagnose(
                Phase::Unknown,
                error.error,
                error.description,
                Window::Inside,
            );
            assert_ne!(diagnosis.kind, Kind::Unknown, "{error:?} has no rule");
            assert!(!diagnosis.message.is_empty());
        }
    }

    #[test]
    fn the_phase_decides_which_secret_is_meant() {
        let refresh = diagnose(
            Phase::Refresh { secret_sent: false },
            "invalid_client",
            "invalid client credentials",
            Window::Inside,
        );
        assert_eq!(
            refresh.target,
            Some(Target::Setting(SettingKey::RequireSecretRefresh))
        );
        let code = diagnose(
            Phase::CodeExchange { secret_sent: false },
            "invalid_client",
            "invalid client credentials",
            Window::Inside,
        );
        assert_eq!(
            code.target,
            Some(Target::Setting(SettingKey::RequireSecretWebServer))
        );
        let wrong = diagnose(
            Phase::Refresh { secret_sent: true },
            "invalid_client",
            "invalid client credentials",
            Window::Inside,
        );
        assert_eq!(wrong.target, Some(Target::Credentials));
    }

    #[test]
    fn propagation_depends_on_the_window() {
        let kind = |window| diagnose(Phase::AuthorizePage, "invalid_client_id", "", window).kind;
        assert_eq!(kind(Window::Inside), Kind::Propagating);
        assert_eq!(kind(Window::After), Kind::Misconfigured);
        assert_eq!(kind(Window::Unknown), Kind::Propagating);
        let unknown = diagnose(Phase::Rest, "SOMETHING_NEW", "odd", Window::Inside);
        assert_eq!(unknown.kind, Kind::Unknown);
        assert!(unknown.message.contains("SOMETHING_NEW"));
    }
}
