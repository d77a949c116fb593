//! Salesforce's OAuth error codes and descriptions, exactly as its endpoints send them. The
//! emulator answers with these and the diagnosis catalogue reads them, so both agree by
//! construction. Facts: reference/salesforce-oauth.md §2.3, §4, §5.4. Entries marked UNCONFIRMED
//! are our best reading where sources disagree or are silent; change them here only.

/// An `error` / `error_description` pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OAuthError {
    pub error: &'static str,
    pub description: &'static str,
}

const fn e(error: &'static str, description: &'static str) -> OAuthError {
    OAuthError { error, description }
}

// Authorize page and redirects.
pub const INVALID_CLIENT_ID: OAuthError = e("invalid_client_id", "client identifier invalid");
pub const REDIRECT_URI_MISSING: OAuthError = e("redirect_uri_missing", "redirect_uri not provided");
pub const REDIRECT_URI_MISMATCH: OAuthError = e(
    "redirect_uri_mismatch",
    "redirect_uri must match configuration",
);
pub const UNSUPPORTED_RESPONSE_TYPE: OAuthError =
    e("unsupported_response_type", "response type not supported");
pub const MISSING_CODE_CHALLENGE: OAuthError =
    e("invalid_request", "missing required code challenge");
/// UNCONFIRMED description: Salesforce documents only S256.
pub const BAD_CHALLENGE_METHOD: OAuthError =
    e("invalid_request", "code challenge method not supported");
/// UNCONFIRMED description.
pub const INVALID_SCOPE: OAuthError = e(
    "invalid_scope",
    "requested scope is invalid, unknown, or malformed",
);
pub const ACCESS_DENIED: OAuthError = e("access_denied", "end-user denied authorization");
pub const INACTIVE_USER_AUTHORIZE: OAuthError = e("inactive_user", "user is inactive");
pub const APP_ACCESS_DENIED: OAuthError = e(
    "OAUTH_APP_ACCESS_DENIED",
    "user is not admin approved to access this app",
);
pub const MUST_USE_GET: OAuthError = e("invalid_request", "must use HTTP GET");

// Token endpoint.
pub const UNSUPPORTED_GRANT_TYPE: OAuthError =
    e("unsupported_grant_type", "grant type not supported");
pub const INVALID_CLIENT: OAuthError = e("invalid_client", "invalid client credentials");
pub const EXPIRED_CODE: OAuthError = e("invalid_grant", "expired authorization code");
pub const EXPIRED_TOKEN: OAuthError = e("invalid_grant", "expired access/refresh token");
pub const INACTIVE_USER: OAuthError = e("invalid_grant", "inactive user");
pub const WRONG_DOMAIN: OAuthError = e("invalid_grant", "request not supported on this domain");
pub const NO_RUN_AS_USER: OAuthError = e("invalid_grant", "no client credentials user enabled");
pub const NO_VALID_SCOPES: OAuthError = e("invalid_grant", "no valid scopes defined");
pub const NOT_ADMIN_APPROVED: OAuthError = e(
    "invalid_app_access",
    "user is not admin approved to access this app",
);
pub const NOT_APPROVED: OAuthError = e("invalid_grant", "user hasn't approved this consumer");
pub const INVALID_ASSERTION: OAuthError = e("invalid_grant", "invalid assertion");
/// The text users quote from 2025-2026 (ff: forcedotcom/cli#3325, #3482); older docs show
/// "Audience validation failed".
pub const BAD_AUDIENCE: OAuthError = e("invalid_grant", "audience is invalid");
pub const LOGIN_RATE_EXCEEDED: OAuthError = e("invalid_grant", "login rate exceeded");
/// UNCONFIRMED: reports disagree on the code for a disabled client credentials flow.
pub const CLIENT_CREDENTIALS_DISABLED: OAuthError =
    e("invalid_client", "client credentials flow not enabled");
/// UNCONFIRMED description: the docs say `invalid_grant` without quoting the text.
pub const MISSING_VERIFIER: OAuthError = e("invalid_grant", "code verifier missing");
/// A verifier that doesn't match, or one containing `~` (ff: nsflow#249, mcp-hosted#23).
pub const BAD_VERIFIER: OAuthError = e("invalid_grant", "invalid code verifier");
/// Seen in 2019 when a verifier came without a challenge; current behaviour UNCONFIRMED.
pub const UNEXPECTED_VERIFIER: OAuthError = e("invalid_request", "unexpected code verifier");
/// UNCONFIRMED description for a request missing a required parameter.
pub const MISSING_PARAMETER: OAuthError = e("invalid_request", "missing required parameter");

// Revoke (sent form-encoded, not JSON).
/// UNCONFIRMED description wording.
pub const INVALID_TOKEN: OAuthError = e("invalid_token", "invalid token");
pub const UNSUPPORTED_TOKEN_TYPE: OAuthError =
    e("unsupported_token_type", "this token type is not supported");

/// The plain-text body userinfo and the identity URL answer with for a bad token (HTTP 403).
pub const BAD_OAUTH_TOKEN: &str = "Bad_OAuth_Token";

/// Every pair above, for tables and tests.
pub const ALL: &[OAuthError] = &[
    INVALID_CLIENT_ID,
    REDIRECT_URI_MISSING,
    REDIRECT_URI_MISMATCH,
    UNSUPPORTED_RESPONSE_TYPE,
    MISSING_CODE_CHALLENGE,
    BAD_CHALLENGE_METHOD,
    INVALID_SCOPE,
    ACCESS_DENIED,
    INACTIVE_USER_AUTHORIZE,
    APP_ACCESS_DENIED,
    MUST_USE_GET,
    UNSUPPORTED_GRANT_TYPE,
    INVALID_CLIENT,
    EXPIRED_CODE,
    EXPIRED_TOKEN,
    INACTIVE_USER,
    WRONG_DOMAIN,
    NO_RUN_AS_USER,
    NO_VALID_SCOPES,
    NOT_ADMIN_APPROVED,
    NOT_APPROVED,
    INVALID_ASSERTION,
    BAD_AUDIENCE,
    LOGIN_RATE_EXCEEDED,
    CLIENT_CREDENTIALS_DISABLED,
    MISSING_VERIFIER,
    BAD_VERIFIER,
    UNEXPECTED_VERIFIER,
    MISSING_PARAMETER,
    INVALID_TOKEN,
    UNSUPPORTED_TOKEN_TYPE,
];

/// REST API error codes and messages (reference §6.5), sent as a JSON array.
pub mod rest {
    pub const INVALID_SESSION: (&str, &str) = ("INVALID_SESSION_ID", "Session expired or invalid");
    pub const SESSION_NOT_FOR_REST: (&str, &str) = (
        "INVALID_SESSION_ID",
        "This session is not valid for use with the REST API",
    );
    pub const INVALID_AUTH_HEADER: (&str, &str) = ("INVALID_AUTH_HEADER", "INVALID_HEADER_TYPE");
    pub const NOT_FOUND: (&str, &str) = ("NOT_FOUND", "The requested resource does not exist");
    pub const API_DISABLED: (&str, &str) = (
        "API_DISABLED_FOR_ORG",
        "The REST API is not enabled for this Organization.",
    );
    pub const INSUFFICIENT_ACCESS: (&str, &str) = (
        "INSUFFICIENT_ACCESS",
        "insufficient access rights on object id",
    );
    pub const METHOD_NOT_ALLOWED: (&str, &str) = (
        "METHOD_NOT_ALLOWED",
        "HTTP Method not allowed for this resource",
    );
}
