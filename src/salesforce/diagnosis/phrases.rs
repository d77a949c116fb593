//! Text the rule table recognises in a paste besides its codes: Salesforce's sentences that
//! stand for an error without naming its code.

use crate::salesforce::catalogue;
use crate::salesforce::extract::{self, Known};

use super::rules;

/// Codes, and descriptions long enough to recognise on their own.
pub(super) fn known() -> Vec<Known> {
    let mut known: Vec<Known> = rules::all()
        .map(|r| Known {
            error: r.error,
            description: r.description.unwrap_or_default(),
            exact: false,
            generic: false,
        })
        .collect();
    known.extend(PHRASES.iter().map(|(phrase, error)| Known {
        error,
        description: phrase,
        exact: false,
        generic: false,
    }));
    // Salesforce's documented codes and the sentences that stand for them; a code known only
    // from its list is read as Salesforce writes it.
    for entry in catalogue::all() {
        let exact = entry.family.is_some();
        known.push(Known {
            error: &entry.code,
            description: "",
            exact,
            generic: listed(&entry.list) && extract::is_generic_code(&entry.code),
        });
        known.extend(entry.phrases.iter().map(|phrase| Known {
            error: &entry.code,
            description: phrase,
            exact,
            generic: entry.shared,
        }));
    }
    known
}

/// Whether a catalogue row's lists are Salesforce's code lists (not a client's or OAuth's).
fn listed(lists: &str) -> bool {
    lists
        .split(", ")
        .any(|l| ["ExceptionCode", "StatusCode", "REST"].contains(&l))
}

/// Sentences of Salesforce's pages, of Login History and of common clients that stand for an
/// error without naming its code. ff: KB 000003819; forcedotcom/cli#3482; mcp-hosted#7. The
/// lower-case names without a Salesforce code (`api_only_user`, `cross_org_oauth`,
/// `token_request_in_progress`, `client_credentials_params_missing`, `tls_untrusted`,
/// `mcp_invalid_token`, `mcp_no_token`) are ours: Salesforce shows these as text only.
const PHRASES: &[(&str, &str)] = &[
    (
        "External client app is not installed in this org",
        "OAUTH_EC_APP_NOT_FOUND",
    ),
    ("Access Restricted for API Only Users", "api_only_user"),
    ("Cross-org OAuth flows are not supported", "cross_org_oauth"),
    ("Missing Consumer Key Parameter", "invalid_client"),
    ("client identifier invalid", "invalid_client_id"),
    (
        "redirect_uri must match configuration",
        "redirect_uri_mismatch",
    ),
    ("end-user denied authorization", "access_denied"),
    (
        "user is not admin approved to access this app",
        "invalid_app_access",
    ),
    ("Session expired or invalid", "INVALID_SESSION_ID"),
    (
        "The REST API is not enabled for this Organization",
        "API_DISABLED_FOR_ORG",
    ),
    ("TotalRequests Limit exceeded", "REQUEST_LIMIT_EXCEEDED"),
    ("ApiBatchItems Limit exceeded", "REQUEST_LIMIT_EXCEEDED"),
    ("this app is blocked by admin", "OAUTH_APP_BLOCKED"),
    ("invalid client credentials", "invalid_client"),
    ("grant type not supported", "unsupported_grant_type"),
    ("Failed: Restricted IP", "invalid_grant"),
    ("API security token required", "invalid_grant"),
    ("Failed: Invalid Password", "invalid_grant"),
    ("Please check your username and password", "invalid_grant"),
    (
        "This session is not valid for use with the REST API",
        "INVALID_SESSION_ID",
    ),
    ("invalid session id", "INVALID_SESSION_ID"),
    // Salesforce's SOAP and page texts for a dead session.
    ("Illegal Session", "INVALID_SESSION_ID"),
    (
        "Session not found, missing session hash",
        "INVALID_SESSION_ID",
    ),
    (
        "session is not valid for use with the API",
        "INVALID_SESSION_ID",
    ),
    ("Your session has expired", "INVALID_SESSION_ID"),
    (
        "API is not enabled for this Organization",
        "API_DISABLED_FOR_ORG",
    ),
    // The authorize page's sentence for OAUTH_APPROVAL_ERROR_GENERIC.
    (
        "unexpected error has occurred during authentication",
        "OAUTH_APPROVAL_ERROR_GENERIC",
    ),
    // The Salesforce CLI's sentence for invalid_client.
    ("Verify the OAuth client secret and ID", "invalid_client"),
    // Workbench's page for the same refusal (forceworkbench#744).
    ("session is invalid or has expired", "INVALID_SESSION_ID"),
    // The description of unknown_error, quoted without its code (forceworkbench#820).
    ("unknown error: retry your request", "unknown_error"),
    // Salesforce's sentence for a redirect_uri it doesn't list (forcedotcom/sfdx-travisci#12).
    (
        "The callback URL provided is not valid",
        "redirect_uri_mismatch",
    ),
    ("The provided authorization grant", "invalid_grant"),
    // RFC 6749 §4.1.2.1 and §5.2's sentences for unauthorized_client, as OAuth libraries print them.
    (
        "not authorized to request a token using this method",
        "unauthorized_client",
    ),
    (
        "not authorized to request an authorization code using this method",
        "unauthorized_client",
    ),
    (
        "Token request is already being processed",
        "token_request_in_progress",
    ),
    (
        "You must submit either a security token or organizationId",
        "client_credentials_params_missing",
    ),
    ("unable to get local issuer certificate", "tls_untrusted"),
    (
        "self signed certificate in certificate chain",
        "tls_untrusted",
    ),
    (
        "Service was temporarily interrupted or is unavailable",
        "service_unavailable",
    ),
    ("Invalid unsecured/JWS/JWE header", "mcp_invalid_token"),
    ("Authorization with the MCP server failed", "McpServerError"),
    ("Invalid token", "mcp_invalid_token"),
    ("JWT Token is required", "mcp_no_token"),
];
