//! The hosted MCP server's errors (api.salesforce.com): a family of the rule table kept apart.
//! Its codes are its own, so it is tried after the main table.

use crate::salesforce::settings::SettingKey as S;

use super::super::fits::new_app;
use super::{Kind, Rule, To, c, fit, r, tell};
use Kind::{ClientBug, Misconfigured, Propagating};

#[rustfmt::skip]
pub(super) const RULES: &[Rule] = &[
    // Hosted MCP. ff: claude-ai-mcp#171, #184; ArcadeAI/docs PR#1136; reshapr.
    tell(r("mcp_invalid_token", None, &[
        c(Misconfigured, To::Setting(S::NamedUserJwt), Some("checked"), "The MCP server refused an opaque token: check Issue JSON Web Token (JWT)-based access tokens for named users (JWT-based access tokens), then connect again."),
        c(Misconfigured, To::Setting(S::OauthScopes), None, "With the api scope next to mcp_api Salesforce can issue an opaque token the MCP server rejects: keep only mcp_api and refresh_token in Selected OAuth Scopes."),
    ]), "Does the access token start with 00D (opaque) or eyJ (a JWT)?"),
    // Ours, from the token itself: Salesforce issued an opaque 00D… token for an MCP app.
    // ff: ArcadeAI/docs PR#1136 (api beside mcp_api); ref §G (the setting).
    r("mcp_opaque_token", Some("api granted beside mcp_api"), &[
        c(Misconfigured, To::Setting(S::OauthScopes), None, "Salesforce issued an opaque token because the app grants api beside mcp_api, and the MCP server accepts only JWTs: remove Manage user data via APIs (api) from Selected OAuth Scopes, keep mcp_api and refresh_token, then connect again."),
    ]),
    tell(r("mcp_opaque_token", None, &[
        c(Misconfigured, To::Setting(S::NamedUserJwt), Some("checked"), "Salesforce issued an opaque token (00D…), which the MCP server refuses: check Issue JSON Web Token (JWT)-based access tokens for named users in the app's Security section, then connect again (a token issued before the change stays opaque)."),
        fit(new_app, c(Propagating, To::Setting(S::NamedUserJwt), None, "The JWT setting was changed minutes ago and Salesforce still issues opaque tokens while the change spreads (about 10 minutes): wait and connect again.")),
    ]), "Was Issue JSON Web Token (JWT)-based access tokens for named users checked and saved more than 10 minutes ago?"),
    // ref §F.3: a 401 "JWT Token is required" answers a request without a bearer token.
    r("mcp_no_token", None, &[
        c(ClientBug, To::Client, None, "The request reached the MCP server without a token: the client must send Authorization: Bearer with the JWT access token of its login."),
    ]),
    // ref §F.2: an inactive server answers 404; ff: claude-ai-mcp#184; research-14
    // (activate-mcp-servers: "toggle them on"; workshops: the server > Activate).
    tell(r("mcp_server_not_found", None, &[
        c(Misconfigured, To::Mcp, None, "The MCP server isn't active: in Setup, Quick Find MCP Servers (under API Catalog), open the server and click Activate (or toggle it on), then allow up to 2 minutes."),
        c(Misconfigured, To::Mcp, None, "The server URL names no server of this org: check the server name (platform/sobject-all, platform/sobject-reads, ...) and the org form (/v1/sandbox/ for a sandbox, /v1/d/YOURDOMAIN/ for a My Domain)."),
    ]), "Is the server listed as Active in Setup > MCP Servers?"),
    tell(r("McpServerError", None, &[
        c(Misconfigured, To::Mcp, None, "The login worked but the MCP server isn't available: activate the server (Setup > MCP Servers > the server > Activate); an inactive server answers 404."),
        c(Misconfigured, To::Setting(S::NamedUserJwt), Some("checked"), "The server refused the token: check Issue JSON Web Token (JWT)-based access tokens for named users (JWT-based access tokens), then connect again."),
        // UNCONFIRMED (claude-ai-mcp#184, a user's report): an org-wide switch besides each server's.
        c(Misconfigured, To::Mcp, None, "In an org where MCP was never set up (often production after a sandbox trial): turn on Enable MCP Service (Beta) under Setup > User Interface, then activate each server under Setup > MCP Servers."),
    ]), "Does Login History show the OAuth login as successful? Then the problem is the server, not the app."),
];
