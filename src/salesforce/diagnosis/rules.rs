//! The one rule table: Salesforce error -> possible causes, each with its fix. Sources are given
//! per row (`ref:` the shared reference files, `ff:` field-facts-2026.md, threads by repo#number);
//! rows marked UNCONFIRMED are our best reading where no source quotes the text. How each cause
//! fits what is known lives in `fits.rs`; the hosted MCP server's family in `rules/mcp.rs`.

use crate::salesforce::oauth_errors::BAD_OAUTH_TOKEN;
use crate::salesforce::settings::{PERMITTED_ADMIN, SettingKey as S};

mod mcp;

use super::fits::*;
use super::{Cause, Context, Kind, Target, Window};
use Kind::{ClientBug, Misconfigured, Propagating, Transient, UserAction};

/// Where a cause's fix is made (a copyable subset of `Target`).
#[derive(Clone, Copy)]
pub(super) enum To {
    Setting(S),
    Credentials,
    Secret,
    LoginUrl,
    User,
    Mcp,
    Client,
    Nothing,
}

impl To {
    fn target(self) -> Option<Target> {
        match self {
            To::Setting(key) => Some(Target::Setting(key)),
            To::Credentials => Some(Target::Credentials),
            To::Secret => Some(Target::ConsumerSecret),
            To::LoginUrl => Some(Target::LoginUrl),
            To::User => Some(Target::IntegrationUser),
            To::Mcp => Some(Target::McpServer),
            To::Client => Some(Target::Client),
            To::Nothing => None,
        }
    }
}

/// How well a cause fits what is known: 0 impossible here, 1 possible, 2 likely, 3 near certain.
type Fit = fn(&Context) -> u8;

pub(super) struct CauseRule {
    pub kind: Kind,
    pub to: To,
    /// The value the fix gives the setting; the message says the same.
    pub value: Option<&'static str>,
    pub message: &'static str,
    pub fit: Fit,
    /// The cause needs evidence (`fit`); at a tie it ranks below one that needs none.
    pub needs: bool,
}

pub(super) struct Rule {
    pub error: &'static str,
    /// A substring of the description, when the code alone is ambiguous (`invalid_grant`).
    pub description: Option<&'static str>,
    pub when: fn(&Context) -> bool,
    pub causes: &'static [CauseRule],
    /// The one question or check that tells the causes apart.
    pub tell: Option<&'static str>,
}

const fn c(kind: Kind, to: To, value: Option<&'static str>, message: &'static str) -> CauseRule {
    CauseRule {
        kind,
        to,
        value,
        message,
        fit: possible,
        needs: false,
    }
}

const fn fit(f: Fit, cause: CauseRule) -> CauseRule {
    CauseRule {
        fit: f,
        needs: false,
        ..cause
    }
}

/// A cause the paste's evidence shows (a host, a proxy, a tool): without that evidence it fits
/// no better than "possible", and ranks below the causes that need none.
const fn shown(f: Fit, cause: CauseRule) -> CauseRule {
    CauseRule {
        fit: f,
        needs: true,
        ..cause
    }
}

const fn r(
    error: &'static str,
    description: Option<&'static str>,
    causes: &'static [CauseRule],
) -> Rule {
    Rule {
        error,
        description,
        when: always,
        causes,
        tell: None,
    }
}

const fn tell(rule: Rule, question: &'static str) -> Rule {
    Rule {
        tell: Some(question),
        ..rule
    }
}

const fn when(w: fn(&Context) -> bool, rule: Rule) -> Rule {
    Rule { when: w, ..rule }
}

const EXPIRED_CODE: &str = "The authorization code expired (after 15 minutes) or was already used: authorize again; a code works once.";
const CODE_TWICE: &str = "The client exchanged the same authorization code twice, or too late: it must exchange each code once, right after the redirect.";
const KEY_AGAIN: &str = "Copy the Consumer Key again from External Client App Manager > the app > Settings > OAuth Settings > Consumer Key and Secret; a key from another org or an old app doesn't work.";
const PERM_SETS: &str = "The app admits only pre-authorized users and this user isn't one: under Policies > App Policies add the user's permission set to Selected Permission Sets (and assign that permission set to the user).";
const NOT_IN_ORG: &str = "The app isn't in the org this login went to (a sandbox app tried on login.salesforce.com, or the wrong org): change the login URL to the My Domain of the org where the app was created (for a sandbox app, the sandbox's My Domain).";
const DENIED: &str = "Access was denied on the consent page: authorize again and click Allow.";
const REAUTHORIZE: &str = "The refresh token is no longer valid (revoked, expired by the refresh token policy, or the user's password was reset): authorize again (reconnect the org, or log in again) to get a new one.";
const IP_LOCK: &str = "The session is checked against the address it came from: Session Settings \"Lock sessions to the IP address from which they originated\" or \"Enforce login IP ranges on every request\" rejects calls made from another machine than the login. Turn them off for this integration, or call from the address that logged in.";
const API_ENABLED: &str = "The user can't use the API: grant API Enabled in the integration user's profile or permission set (the org's edition must include API access).";

// ff: forcedotcom/cli#3325, #3482; Talend/components#1423.
const AUDIENCE: &[CauseRule] = &[
    c(
        Misconfigured,
        To::LoginUrl,
        None,
        "The JWT's aud doesn't match the host it was sent to. Log in through the org's My Domain (with the Salesforce CLI: --instance-url https://YOUR-DOMAIN.my.salesforce.com, or the sandbox's My Domain), with aud https://test.salesforce.com for a sandbox and https://login.salesforce.com for production.",
    ),
    c(
        ClientBug,
        To::Client,
        None,
        "The client hardcodes the aud (https://login.salesforce.com) so a sandbox, which needs aud https://test.salesforce.com, always fails: the vendor must let the audience follow the login URL.",
    ),
];

const GRANT: &[CauseRule] = &[
    fit(
        password,
        c(
            UserAction,
            To::User,
            None,
            "For a password login: the password or security token is wrong or was changed: use the current password followed by the security token.",
        ),
    ),
    c(
        ClientBug,
        To::Client,
        None,
        "For a code exchange: the PKCE code verifier didn't match the code challenge of that login, or the code was used twice: the client must send the verifier of the same login, once.",
    ),
    c(UserAction, To::Nothing, None, REAUTHORIZE),
    // ref INVALID_LOGIN's row: sandbox users log in at test.salesforce.com or the sandbox's My Domain.
    shown(
        sandbox_on_login,
        c(
            Misconfigured,
            To::LoginUrl,
            None,
            "A sandbox user's login or code exchange went to login.salesforce.com: sandbox logins use https://test.salesforce.com or the sandbox's My Domain; a client whose sandbox setting still sends them to login.salesforce.com has a defect of its own.",
        ),
    ),
    // Striim's Salesforce troubleshooting: a bare invalid_grant in JWT bearer is the certificate.
    fit(
        jwt,
        c(
            Misconfigured,
            To::Setting(S::EnableJwtBearer),
            None,
            "For a JWT bearer login: Salesforce couldn't verify the assertion: upload the certificate of the private key the client signs with under Enable JWT Bearer Flow, and pre-authorize the user (Admin approved users are pre-authorized and a permission set).",
        ),
    ),
    // jsforce#1506: orgs created since Summer '23 block the username-password flow.
    fit(
        password,
        c(
            Misconfigured,
            To::Nothing,
            None,
            "The org blocks the username-password flow (off by default in orgs created since Summer '23): turn on Allow OAuth Username-Password Flows in OAuth and OpenID Connect Settings, or better, switch to client credentials.",
        ),
    ),
];

// ff: connected_app_continuous_ip (JWT always enforces IP ranges); forceworkbench#772.
const IP_RESTRICTED: &[CauseRule] = &[
    // Without a known flow the profile's ranges and the app's relaxation come first; JWT bearer
    // (fit 3 when known) ignores the relaxation.
    fit(
        not_jwt,
        c(
            Misconfigured,
            To::Setting(S::IpRelaxation),
            Some("Relax IP restrictions"),
            "The login came from an address outside the user's allowed ranges or hours: on the Policies tab set IP Relaxation to Relax IP restrictions, or add the address to the profile's Login IP Ranges.",
        ),
    ),
    fit(
        jwt,
        c(
            Misconfigured,
            To::User,
            None,
            "JWT bearer always enforces the user's login IP ranges, whatever the app's IP relaxation: add the server's address to the integration user's profile Login IP Ranges.",
        ),
    ),
    // forcedotcom/cli#1798: Salesforce sees the proxy's address, not the machine's.
    shown(
        proxied,
        c(
            ClientBug,
            To::Client,
            None,
            "The request went out through a proxy, so Salesforce saw the proxy's address, which the org doesn't allow (a client that ignores NO_PROXY sends Salesforce's traffic through the proxy anyway): have Salesforce's hosts bypass the proxy with a client that honours NO_PROXY, or add the proxy's address to the allowed ranges.",
        ),
    ),
];
const IP_QUESTION: &str = "Which address does the request come from, and is it inside the user's profile Login IP Ranges and login hours?";

/// First match wins; more specific rows come first.
#[rustfmt::skip]
pub(super) const RULES: &[Rule] = &[
    // Authorize page and callback. ref: salesforce-oauth.md §2.3, §4; ff: OAuth error bodies.
    tell(r("invalid_client_id", None, &[
        fit(new_app, c(Propagating, To::Credentials, None, "Salesforce doesn't know this consumer key yet: a new or edited app takes about 10 minutes (users report up to 30) to work everywhere. Wait and try again.")),
        fit(old_app, c(Misconfigured, To::Credentials, None, KEY_AGAIN)),
        shown(wrong_host, c(Misconfigured, To::LoginUrl, None, NOT_IN_ORG)),
        c(ClientBug, To::Client, None, "The client sends an empty or different client id (a configuration variable lost or shadowed): make the client id it sends equal the app's Consumer Key."),
        shown(fixed_host_client, c(ClientBug, To::Client, None, "The client sends the login to login.salesforce.com or test.salesforce.com, where an External Client App of a sandbox or of an org with enhanced domains isn't found: the client must use the org's My Domain (ask the vendor for a login URL setting).")),
    ]), "How long ago was the app saved? Within about 15 minutes this is propagation; after that compare the key with the Settings tab and check the login URL is the app's org."),
    tell(r("redirect_uri_mismatch", None, &[
        fit(new_app, c(Propagating, To::Setting(S::CallbackUrl), None, "A callback URL added or edited in the last minutes isn't active yet (about 10 minutes): wait and try again.")),
        fit(old_app, c(Misconfigured, To::Setting(S::CallbackUrl), None, "The redirect_uri the client sent isn't in the app's Callback URL list exactly (scheme, host, port, path and trailing slash all count): add it there, one URL per line.")),
        c(ClientBug, To::Client, None, "The client builds its callback differently from the registered one (127.0.0.1 where localhost is registered or the other way round, another port or path), or sends another redirect_uri to the token endpoint: register exactly what it sends, or configure the client's callback."),
        c(Misconfigured, To::LoginUrl, None, "The callback is built on login.salesforce.com while the org uses its My Domain (a Named Credential or Auth Provider callback): deploy My Domain and register the My Domain callback."),
        // Salesforce DX guide, "Create a Connected App"; forcedotcom/sfdx-travisci#12.
        shown(salesforce_cli, c(Misconfigured, To::Setting(S::CallbackUrl), None, "The Salesforce CLI's web login sends http://localhost:1717/OauthRedirect: an app used with the CLI must list that callback URL exactly.")),
    ]), "Compare the redirect_uri in the authorize address with the Callback URL box character by character; if they match, it was saved less than 15 minutes ago."),
    r("redirect_uri_missing", None, &[
        c(ClientBug, To::Client, None, "The client sent no redirect_uri: the vendor must send one of the app's callback URLs; nothing in the org fixes this."),
    ]),
    tell(r("OAUTH_APPROVAL_ERROR_GENERIC", None, &[
        c(Misconfigured, To::User, None, "Salesforce refused the app at the approval step. Since September 2025 API Access Control blocks apps that aren't installed: in Setup > Connected Apps OAuth Usage install the app, or give the user the Use Any API Client permission."),
        c(ClientBug, To::Client, None, "The org requires PKCE for every app (OAuth and OpenID Connect Settings) and the client sent no code_challenge: the client must send PKCE (S256)."),
        c(Misconfigured, To::Setting(S::PermittedUsers), None, "The user isn't allowed to use the app: check Permitted Users and the Selected Permission Sets or profiles on the Policies tab."),
        // bubblelabai/BubbleLab#354: a scope the app lacks, with prompt=login, on an External Client App.
        c(ClientBug, To::Client, None, "The authorize request asks for more than the app allows: a scope missing from Selected OAuth Scopes, or a prompt value such as prompt=login. Ask only for the app's scopes and drop the prompt parameter."),
    ]), "Read the error= part of the error page's address first; then: is API Access Control on in the org? If so, the app must be installed or the user needs Use Any API Client."),
    r("OAUTH_APP_ACCESS_DENIED", None, &[c(Misconfigured, To::Setting(S::SelectedPermissionSets), None, PERM_SETS)]),
    tell(r("invalid_app_access", None, &[
        c(Misconfigured, To::Setting(S::SelectedPermissionSets), None, PERM_SETS),
        // The Salesforce CLI logs in with its own app, whose users self-authorize unless an admin
        // installed it and changed that: its refusal is the org's API Access Control.
        shown(salesforce_cli, c(Misconfigured, To::Nothing, None, "API Access Control is on (\"For admin-approved users, limit API access to only allowlisted connected apps\"): allowlist this app for the user's profile or permission set, or turn that setting off (scratch orgs inherit it from their shape).")),
    ]), "Is the user's permission set listed on the app's Policies tab? If it is, look at Setup > API Access Control."),
    // ff: forcedotcom/cli#3482 (a login host shown: the wrong org); pipedream#21557 (none: install;
    // UNCONFIRMED which is the more common, listed).
    tell(r("OAUTH_EC_APP_NOT_FOUND", None, &[
        shown(login_host, c(Misconfigured, To::LoginUrl, None, NOT_IN_ORG)),
        c(Misconfigured, To::Setting(S::DistributionState), None, "A local app works only in the org that owns it: to use it in another org, make it packageable and install it there."),
    ]), "Which org did the login go to? Compare the My Domain in the browser with the org where the app lives."),
    r("app_not_found", None, &[
        shown(login_host, c(Misconfigured, To::LoginUrl, None, NOT_IN_ORG)),
        shown(fixed_host_client, c(ClientBug, To::Client, None, "The client hardcodes login.salesforce.com or test.salesforce.com as token host: it must let you give the org's My Domain; ask the vendor.")),
    ]),
    r("OAUTH_APP_BLOCKED", None, &[c(Misconfigured, To::Nothing, None, "An admin blocked this app, or the org blocks apps that aren't installed: install or unblock it in Setup > Connected Apps OAuth Usage.")]),
    // ff: Salesforce KB 000003819.
    r("api_only_user", None, &[
        c(UserAction, To::User, None, "This is an API only user (the API Only User permission, or the Salesforce Integration license with Minimum Access - API Only Integrations): it can't sign in in a browser. Authorize as another user who can log in, or use client credentials with this user as Run As."),
    ]),
    r("cross_org_oauth", None, &[
        shown(login_host, c(Misconfigured, To::LoginUrl, None, NOT_IN_ORG)),
        // ref eca-setup-and-metadata.md (Distribution State: Local serves this org only; Packaged installs elsewhere).
        c(Misconfigured, To::Setting(S::DistributionState), None, "Users of another org are connecting: an External Client App serves only the org that owns it until it is installed in the other org (make it packageable and install the package there, or deploy its metadata to that org)."),
    ]),
    r("access_denied", None, &[
        fit(not_password, c(UserAction, To::Nothing, None, DENIED)),
        fit(password, c(Misconfigured, To::User, None, "Where no consent page was shown (a username-password or JDBC login), the user's profile lacks this app under Connected App Access, or a permission set the app needs: add both.")),
    ]),
    r("access-denied", None, &[c(UserAction, To::Nothing, None, DENIED)]),
    r("inactive_user", None, &[c(Misconfigured, To::User, None, "The user is inactive: reactivate the integration user (Setup > Users > the user > Edit > Active).")]),
    r("inactive_org", None, &[c(Misconfigured, To::Nothing, None, "The org is locked, closed or suspended: nothing works until Salesforce reopens it.")]),
    r("immediate_unsuccessful", None, &[c(UserAction, To::Nothing, None, "The user isn't logged in or hasn't approved the app yet: authorize without immediate=true.")]),
    r("unsupported_response_type", None, &[c(ClientBug, To::Client, None, "The client asked for a response type Salesforce doesn't support here: the vendor must use response_type=code.")]),
    tell(r("invalid_scope", None, &[
        fit(mcp, c(Misconfigured, To::Setting(S::OauthScopes), None, "Hosted MCP wants the scopes mcp_api and refresh_token; the beta scopes sfap_api and einstein_gpt_api are rejected. Select mcp_api and refresh_token on the app and remove the others the client asks for.")),
        c(Misconfigured, To::Setting(S::OauthScopes), None, "The client asks for a scope the app doesn't have: add it to Selected OAuth Scopes, or remove it from the client's request."),
    ]), "Which scopes does the authorize address ask for (scope=...)? Each must be among the app's Selected OAuth Scopes."),
    // PKCE. ff: nsflow#249, n8n#32421 (a `~` in the verifier); ref: HappySoup.io#252.
    r("invalid_request", Some("missing required code challenge"), &[
        c(ClientBug, To::Client, None, "The app (or the org, for every app) requires PKCE and the client sent no code_challenge: the client must send PKCE (S256)."),
        c(Misconfigured, To::Setting(S::RequirePkce), Some("unchecked"), "If the vendor's guide says its client can't do PKCE, set Require Proof Key for Code Exchange (PKCE) to unchecked; an org-wide PKCE requirement can't be undone per app."),
    ]),
    r("invalid_grant", Some("code verifier"), &[
        c(ClientBug, To::Client, None, "The PKCE code_verifier didn't match the code_challenge, or contained a '~' (allowed by the standard, refused by Salesforce): the client must send the verifier of the same login, made of letters, digits, '-', '.' and '_'. Meanwhile, log in again: a new verifier may pass."),
    ]),
    r("invalid_request", Some("code verifier"), &[
        c(ClientBug, To::Client, None, "The PKCE code_verifier was missing or didn't match: the client must send the verifier of the same login. Meanwhile, log in again."),
    ]),
    r("invalid_request", Some("refresh_token scope is required"), &[
        c(Misconfigured, To::Setting(S::OauthScopes), None, "Add Perform requests at any time (refresh_token, offline_access) to Selected OAuth Scopes and pre-authorize the user (Permitted Users)."),
    ]),
    r("invalid_request", Some("HTTPS required"), &[c(ClientBug, To::Client, None, "The request was sent over http: the client must use https.")]),
    r("invalid_request", None, &[c(ClientBug, To::Client, None, "The client sent a request Salesforce couldn't read (a missing or malformed parameter): the vendor must fix the request; nothing in the org changes it.")]),
    // Token endpoint: client authentication. ref: §4; ff: mcp-hosted#7.
    when(refresh_without_secret, r("invalid_client", None, &[
        c(Misconfigured, To::Setting(S::RequireSecretRefresh), Some("unchecked"), "The app requires the consumer secret to refresh, but this integration refreshes without it: uncheck Require secret for Refresh Token Flow."),
    ])),
    when(code_without_secret, r("invalid_client", None, &[
        c(Misconfigured, To::Setting(S::RequireSecretWebServer), Some("unchecked"), "The app requires the consumer secret for the web server flow, but this client sends none: uncheck Require secret for Web Server Flow, or give the client the secret."),
    ])),
    // UNCONFIRMED: reports disagree on the code for a disabled client credentials flow.
    r("invalid_client", Some("client credentials flow not enabled"), &[
        c(Misconfigured, To::Setting(S::EnableClientCredentials), Some("checked"), "Client credentials is off: check Enable Client Credentials Flow on the Settings tab and on the Policies tab."),
    ]),
    // ff: mcp-hosted#7; Salesforce-Inspector-Advanced#291 (Login History's text).
    r("invalid_client", Some("Missing Consumer Key Parameter"), &[
        c(Misconfigured, To::Setting(S::RequireSecretWebServer), Some("unchecked"), "The client sent no consumer secret (client secret) while the app requires one (public clients such as MCP connectors send none): uncheck Require secret for Web Server Flow and keep PKCE, or give the client the secret."),
        c(Misconfigured, To::Credentials, None, "The client sent no client id at all: enter the app's Consumer Key in the client's settings."),
    ]),
    tell(r("invalid_client", None, &[
        c(Misconfigured, To::Secret, None, "The consumer secret (client secret) is wrong: copy it again from Settings > OAuth Settings > Consumer Key and Secret (after a rotation, the new one can take a few minutes to work)."),
        fit(refreshing, c(Misconfigured, To::Setting(S::RequireSecretRefresh), Some("unchecked"), "If this client refreshes without the consumer secret (public clients such as MCP and desktop apps do), uncheck Require secret for Refresh Token Flow.")),
        fit(exchanging, c(Misconfigured, To::Setting(S::RequireSecretWebServer), Some("unchecked"), "If this client sends no consumer secret (client secret) at all (a public client using PKCE only), uncheck Require secret for Web Server Flow.")),
        // JitendraZaa/OAuthFlows#10: the same key and secret worked from Postman.
        c(ClientBug, To::Client, None, "If the same key and secret work elsewhere (Postman), the client builds the token request wrongly: client_id and client_secret must be form fields (client_id=...&client_secret=..., URL-encoded) or a Basic header; fix how it builds the body."),
    ]), "Does the client send the consumer secret? Login History shows \"Missing Consumer Key Parameter\" when it sends none."),
    r("unauthorized_client", None, &[
        fit(client_credentials, c(Misconfigured, To::Setting(S::EnableClientCredentials), Some("checked"), "The app doesn't allow client credentials: check Enable Client Credentials Flow under Flow Enablement and on the Policies tab.")),
        fit(jwt, c(Misconfigured, To::Setting(S::EnableJwtBearer), Some("checked"), "The app doesn't allow the JWT bearer flow: check Enable JWT Bearer Flow and upload the certificate.")),
    ]),
    tell(r("unsupported_grant_type", None, &[
        c(Misconfigured, To::LoginUrl, None, "The request went to the wrong host: the login URL must be https and the org's My Domain (https://YOUR-DOMAIN.my.salesforce.com), not a Lightning or force.com address; scratch orgs and sandboxes log in at test.salesforce.com, not login.salesforce.com."),
        c(ClientBug, To::Client, None, "Salesforce couldn't read the grant: the token request must be a form post over https (Content-Type application/x-www-form-urlencoded), not JSON, with grant_type in the body. The vendor or script must change the request."),
        fit(password, c(Misconfigured, To::Nothing, None, "The org blocks the username-password flow (OAuth and OpenID Connect Settings > Allow OAuth Username-Password Flows is off by default): switch to client credentials or the code flow.")),
    ]), "Is the body form-encoded and the address https://YOUR-DOMAIN.my.salesforce.com/services/oauth2/token?"),
    // Client credentials. ff: Client Credentials Flow help; Striim, Sumo Logic.
    r("invalid_grant", Some("request not supported on this domain"), &[
        c(Misconfigured, To::LoginUrl, None, "Client credentials works only on your My Domain (https://YOUR-DOMAIN.my.salesforce.com), not on login.salesforce.com or test.salesforce.com: change the login URL."),
    ]),
    r("invalid_grant", Some("no client credentials user enabled"), &[
        c(Misconfigured, To::Setting(S::RunAsUser), None, "Client credentials needs a Run As user: on the Policies tab check Enable Client Credentials Flow and set Run As (Username) to the integration user."),
    ]),
    r("invalid_grant", Some("no valid scopes defined"), &[
        c(Misconfigured, To::Setting(S::OauthScopes), None, "None of the app's scopes works with client credentials (refresh_token, web and full don't): add api to Selected OAuth Scopes."),
    ]),
    // JWT bearer. ff: forcedotcom/cli#3325, #3482; restforce#886; connected_app_continuous_ip.
    tell(r("invalid_grant", Some("user hasn't approved this consumer"), &[
        fit(jwt, c(Misconfigured, To::Setting(S::PermittedUsers), Some(PERMITTED_ADMIN), "Nobody approved this app for the user: set Permitted Users to Admin approved users are pre-authorized and add the user's profile or permission set under Selected Profiles / Selected Permission Sets.")),
        fit(not_jwt, c(UserAction, To::Nothing, None, "The user never authorized this app: authorize once in the browser as that user, or pre-authorize the user with a permission set on the Policies tab.")),
        shown(my_domain_audience, c(ClientBug, To::Client, None, "The client puts the My Domain in the JWT's aud: the aud must stay https://login.salesforce.com (production) or https://test.salesforce.com (sandbox) even when the token goes to the My Domain.")),
        c(Misconfigured, To::LoginUrl, None, "The login URL points to the wrong environment: a sandbox user logs in at https://test.salesforce.com (or the sandbox's My Domain), a production user at login.salesforce.com."),
    ]), "Is the user's permission set (or profile) listed under the app's Selected Permission Sets, with Admin approved users are pre-authorized?"),
    tell(r("invalid_grant", Some("audience is invalid"), AUDIENCE), "Which host got the token request, and what is the aud in the JWT? They must belong to the same org."),
    tell(r("invalid_grant", Some("audience validation failed"), AUDIENCE), "Which host got the token request, and what is the aud in the JWT? They must belong to the same org."),
    tell(r("invalid_grant", Some("invalid assertion"), &[
        c(Misconfigured, To::Setting(S::EnableJwtBearer), None, "Salesforce can't verify the JWT's signature: upload the certificate of the private key the client signs with, under Enable JWT Bearer Flow (the app's OAuth settings)."),
        c(ClientBug, To::Client, None, "The JWT is malformed or went to the wrong org: it must be RS256-signed with iss = the consumer key, sub = the username, aud = the login host, exp a few minutes ahead; a client that ignores the instance URL and posts a sandbox user's assertion to login.salesforce.com must use the sandbox's login URL."),
    ]), "Does the certificate on the app match the private key the client signs with (compare their moduli)?"),
    tell(r("invalid_grant", Some("ip restricted"), IP_RESTRICTED), IP_QUESTION),
    // Login History's status for the same refusal.
    tell(r("invalid_grant", Some("Restricted IP"), IP_RESTRICTED), IP_QUESTION),
    // Login History and the login page: the password itself.
    r("invalid_grant", Some("security token required"), &[
        c(UserAction, To::User, None, "The login came from outside the org's trusted IP ranges without the security token: append the user's security token to the password, or add the caller's address to Network Access."),
    ]),
    r("invalid_grant", Some("Invalid Password"), &[
        c(UserAction, To::User, None, "The password is wrong or was changed: use the user's current password (followed by the security token for the password flow)."),
    ]),
    r("invalid_grant", Some("check your username and password"), &[
        c(UserAction, To::User, None, "The login page refused the username or password: check both, and that the user isn't locked out or frozen (Setup > Users)."),
    ]),
    // Code, refresh and user errors. ref: §4; restforce#81, #303.
    // ref: §4 (forrest#169; simple-salesforce#491, newrelic exporter#31 for JWT).
    // A login known to be the code flow: the JWT reading doesn't arise, nor a question about it.
    when(code_flow, tell(r("invalid_grant", Some("expired authorization code"), &[
        c(UserAction, To::Nothing, None, EXPIRED_CODE),
        c(ClientBug, To::Client, None, CODE_TWICE),
    ]), "Was the code exchanged once, within 15 minutes of the redirect?")),
    tell(r("invalid_grant", Some("expired authorization code"), &[
        fit(not_jwt, c(UserAction, To::Nothing, None, EXPIRED_CODE)),
        fit(not_jwt, c(ClientBug, To::Client, None, CODE_TWICE)),
        fit(jwt, c(ClientBug, To::Client, None, "In the JWT bearer flow this means the assertion's exp is wrong (in the past, in milliseconds, or too far ahead): the client must set exp a few minutes ahead, in seconds, from a correct clock.")),
    ]), "Was this a JWT bearer login (no code at all)? Then it is the assertion's exp."),
    r("invalid_grant", Some("invalid authorization code"), &[
        c(UserAction, To::Nothing, None, "The authorization code was already used or belongs to another login: authorize again; a code works once."),
    ]),
    tell(r("invalid_grant", Some("expired access/refresh token"), &[
        c(UserAction, To::Nothing, None, REAUTHORIZE),
        c(ClientBug, To::Client, None, "With Refresh Token Rotation on, every refresh returns a new refresh token and the old one stops working: the client must store the new refresh token each time. Meanwhile turn Refresh Token Rotation off, or authorize again after each failure."),
        c(Misconfigured, To::Setting(S::RefreshTokenPolicy), Some("Refresh token is valid until revoked"), "The app's refresh token policy expires tokens: on the Policies tab set Refresh Token Policy to Refresh token is valid until revoked (or a longer expiry), then authorize again."),
        // ref salesforce-oauth.md: at most 5 approvals (refresh tokens) per user per app.
        c(UserAction, To::User, None, "Several people or systems log in to this app as the same user: Salesforce keeps at most 5 refresh tokens (approvals) per user per app and revokes the oldest at the sixth. Give each its own user, then authorize again."),
        // SFDO-Tooling/CumulusCI#633: tokens from one app refreshed with another app's key.
        c(Misconfigured, To::Credentials, None, "The refresh token was issued to another connected app or External Client App than the consumer key the client refreshes with: refresh with the key of the app that issued it, or authorize again with this one."),
    ]), "Did the first refresh work and the second fail? Then rotation is on and the client drops the new token."),
    // forcedotcom/code-builder-feedback#263: since 2025-08 the default CLI app refuses the device flow.
    r("invalid_grant", Some("device flow is not enabled"), &[
        c(Misconfigured, To::Nothing, None, "The app doesn't allow the device flow: check Enable for Device Flow on your own app, or log in another way (web login); the Salesforce CLI's default app no longer allows the device flow."),
    ]),
    // ref salesforce-oauth.md (inactive user: C/U); restforce#303: users who authorized, since deactivated.
    r("invalid_grant", Some("inactive user"), &[
        c(Misconfigured, To::User, None, "The user is inactive: reactivate the integration user (Setup > Users > the user > Edit > Active)."),
        c(UserAction, To::Nothing, None, "The person who authorized this connection is inactive now (deactivated, someone who left): an admin reactivates that user, or an active user authorizes the connection again."),
    ]),
    // n8n-io/n8n#31948 and its fix: a client that logs in for every call.
    r("invalid_grant", Some("login rate exceeded"), &[
        c(Transient, To::Nothing, None, "Too many logins for this user in the last hour (Salesforce allows 3,600): wait for the hour to pass."),
        // No person logs in 3,600 times an hour: in a server-to-server flow it is the client.
        fit(machine_flow, c(ClientBug, To::Client, None, "The client logs in for every call: it must cache and reuse the access token until it expires, then refresh.")),
    ]),
    // ref: §4 (many threads); ff: username-password flow blocked by default since Summer '23.
    tell(r("invalid_grant", Some("authentication failure"), &[
        fit(password, c(UserAction, To::User, None, "The username, password or security token is wrong (the password flow needs the password followed by the security token; a changed password needs the new one), or the user is locked out: check the user's Login History.")),
        fit(password, c(Misconfigured, To::Nothing, None, "The org blocks the username-password flow: turn on Allow OAuth Username-Password Flows in OAuth and OpenID Connect Settings, or better, switch to client credentials.")),
        fit(client_credentials, c(ClientBug, To::Client, None, "The client sent grant_type=password although client credentials was meant: give the library only the consumer key, the secret and the org's My Domain (domain), without a username.")),
        fit(not_password, c(Misconfigured, To::LoginUrl, None, "The login went to the wrong host: a sandbox user must use https://test.salesforce.com or the sandbox's My Domain, a production user login.salesforce.com or its My Domain.")),
        c(Misconfigured, To::User, None, "Salesforce refused the user: check the user is active, not frozen or locked, and has API Enabled; Login History says which."),
        // Nango's refresh-token guide: on a refresh the token is dead for good.
        fit(refreshing, c(UserAction, To::Nothing, None, "On a refresh: the user's password changed or the user was deactivated, and the refresh token is dead for good: authorize again (log in again) to get a new one.")),
        // Force.com-Toolkit-for-NET#259: a password login from outside the trusted IPs.
        fit(password, c(Misconfigured, To::Setting(S::IpRelaxation), Some("Relax IP restrictions"), "The password login comes from outside the org's trusted IP ranges: on the app's Policies tab set IP Relaxation to Relax IP restrictions, or append the security token to the password.")),
        // Salesforce DX Developer Guide, "Resolve Common Authorization Errors" (org login web).
        shown(salesforce_cli, c(Misconfigured, To::User, None, "After the Salesforce CLI's web login, this means the user may not reach the org through the CLI's app (an app, user or org setting, or a login flow that must run first): update the CLI, check the org allows API access and the user has it (API Enabled), and log in at the org's My Domain.")),
    ]), "Open Setup > Users > the user > Login History: its Status names the real reason."),
    // The code alone, or an OAuth library's generic sentence for it (RFC 6749 §5.2).
    tell(r("invalid_grant", Some("provided authorization grant"), GRANT), "Which request failed: a code exchange, a refresh, or a password login?"),
    r("invalid_grant", Some("invalid user credentials"), &[
        c(Misconfigured, To::User, None, "The username, password or security token is wrong, or the user is locked out: check the user's Login History."),
    ]),
    tell(r("invalid_grant", None, GRANT), "Which request failed: a code exchange, a refresh, or a password login?"),
    // Revoke. ref: §5.4.
    r("invalid_token", None, &[c(UserAction, To::Nothing, None, "The token was already invalid (revoked, expired or never issued); there is nothing left to revoke.")]),
    r("unsupported_token_type", None, &[c(ClientBug, To::Client, None, "Salesforce can't revoke that kind of token: revoke the refresh or access token itself.")]),
    r("rate_limit_exceeded", None, &[c(Transient, To::Nothing, None, "Too many logins: wait before trying again.")]),
    r("server_error", None, &[c(Transient, To::Nothing, None, "Salesforce had a server error: try again in a few minutes.")]),
    r("service_unavailable", None, &[c(Transient, To::Nothing, None, "Salesforce is unavailable (maintenance or an incident): retry later; trust.salesforce.com shows incidents.")]),
    // Sumo Logic's Salesforce source troubleshooting: not transient despite its wording.
    tell(r("unknown_error", None, &[
        shown(off_my_domain, c(Misconfigured, To::LoginUrl, None, "Despite \"retry your request\", retrying rarely helps: the request went to login.salesforce.com where the org must be reached on its own My Domain. Change the login URL to https://YOUR-DOMAIN.my.salesforce.com.")),
        c(Transient, To::Nothing, None, "If the host was already the My Domain, Salesforce had a passing fault: retry in a few minutes."),
    ]), "Which host got the request?"),
    // SalesforceMobileSDK-iOS (Summer '24: one token request per refresh token at a time).
    r("token_request_in_progress", None, &[
        c(ClientBug, To::Client, None, "Several concurrent refreshes used the same refresh token; Salesforce handles one at a time: the client must refresh once and share the new access token."),
    ]),
    // simple-salesforce falls back to a password login when client credentials parameters are missing.
    r("client_credentials_params_missing", None, &[
        c(ClientBug, To::Client, None, "The library fell back to a username-password login because it didn't get what client credentials needs: pass the consumer key and secret with the org's My Domain (domain) and no username."),
    ]),
    // sfdx-jwt behind Zscaler (forcedotcom/cli): a proxy that inspects TLS. Not transient:
    // retrying never helps (issue 13).
    r("tls_untrusted", None, &[
        shown(proxied, c(Misconfigured, To::Nothing, None, "The server's TLS certificate isn't trusted: a proxy that inspects HTTPS (Zscaler or a corporate proxy) sits in between. Trust the proxy's CA certificate on this machine, or have Salesforce's hosts bypass the proxy (NO_PROXY).")),
        // pozil/pub-sub-api-node-client#74: a client that carries its own CA list.
        shown(own_ca_list, c(ClientBug, To::Client, None, "The client carries its own list of trusted certificate authorities and an old version lacks the one Salesforce's certificate now chains to: upgrade the client to its current version.")),
    ]),
    // REST. ref: §6.5; jsforce isSessionExpired.
    r("API_DISABLED_FOR_ORG", None, &[c(Misconfigured, To::Setting(S::ApiEnabled), Some("checked"), API_ENABLED)]),
    // ref: §6.5; jsforce PR#1301 (high assurance); NangoHQ/nango#4344 (IP relaxation).
    tell(r("INVALID_SESSION_ID", Some("not valid for use with the REST API"), &[
        c(Misconfigured, To::Setting(S::OauthScopes), None, "The token can't call the REST API: add Manage user data via APIs (api) to Selected OAuth Scopes and get a new token."),
        c(Misconfigured, To::User, None, "The user's profile requires a High Assurance session (Session Security Level Required at Login): set it to None for the integration user, or log in with MFA; refreshing won't help."),
        c(Misconfigured, To::Setting(S::IpRelaxation), Some("Relax IP restrictions"), "The API call comes from another address than the login: on the Policies tab set IP Relaxation to Relax IP restrictions, then connect again."),
        // Chrome-Salesforce-inspector#149: API client allowlisting refuses other clients' sessions.
        c(Misconfigured, To::Nothing, None, "API Access Control is on and this client isn't allowlisted: in Setup > API Access Control allow the app, or give the user the Use Any API Client permission."),
    ]), "Does the token's scope include api? If it does, look at the profile's Session Security Level Required at Login."),
    // corpus_causes: restforce#284, MavensMate#463, jsforce#386, HappySoup.io#214, laravel#39;
    // a token kept for a long sync: airbyte PR#75283.
    tell(r("INVALID_SESSION_ID", None, &[
        c(UserAction, To::Nothing, None, "The session expired or was revoked (session timeout, logout, password change): get a new token, by refresh, or log out and log in again."),
        // A pasted error comes from another client, and a client that can renew a session does
        // so unseen (jsforce and simple-salesforce refresh on a 401): what reaches the admin is a
        // client that can't, or the session's IP checks. Live, the wizard itself is the client.
        fit(pasted_client, c(ClientBug, To::Client, None, "The session ended and the client didn't renew it. Either it can't refresh (its settings lack the client id and secret a refresh needs, client_id and client_secret, or its host or instance URL is malformed: https:// twice, or https://test.salesforce.com where the option wants test.salesforce.com), or it keeps the token a long job started with, or one of its code paths never refreshes. Fix the client's configuration, or update the client to a version that refreshes the session; meanwhile log in again.")),
        fit(refused_session, c(Misconfigured, To::Nothing, None, IP_LOCK)),
        fit(soap_callout, c(ClientBug, To::Client, None, "A Named Credential refreshes its token only when a callout answers 401, and the SOAP API answers an expired session with 500: call the REST API instead, or refresh the credential from Apex before the call.")),
        shown(data_on_login_host, c(Misconfigured, To::LoginUrl, None, "The token is used on another org or host than the one that issued it: call the instance_url of the token response (your My Domain), not login.salesforce.com.")),
        c(Misconfigured, To::Setting(S::OauthScopes), None, "The token has no api scope: add Manage user data via APIs (api) to Selected OAuth Scopes and get a new token."),
        c(ClientBug, To::Client, None, "A fresh token refused at once: the client sends it in the wrong header; it must be the Authorization header, Authorization: Bearer followed by the access token."),
        // sorenkrabbe/Chrome-Salesforce-inspector#227, #98: browser tools after a domain change.
        c(UserAction, To::Nothing, None, "In a browser tool (an extension, Workbench), a stale session cookie after the org's domain changed (enhanced domains, a new My Domain): clear the browser's cookies for Salesforce and log in again."),
        c(Propagating, To::Nothing, None, "My Domain was deployed or changed minutes ago: sessions and tokens from before keep failing for a while; wait, then log in again."),
        // A vendor FAQ (webMethods): a cached session kept past the org's timeout.
        c(Misconfigured, To::Nothing, None, "The client keeps a session longer than the org allows: set its session timeout below the org's (Setup > Session Settings > Timeout Value), or let it log in again when Salesforce ends the session."),
    ]), "Did the same token work a moment ago? Then it expired and the client should refresh; if a fresh token fails at once, look at the session's IP checks and compare the host you call with the token's instance_url."),
    r("INSUFFICIENT_ACCESS", Some("Requires Extra Verification"), &[
        c(UserAction, To::Nothing, None, "This call needs a verified (high assurance) session: verify your identity (MFA) and run it again."),
    ]),
    // ref §B.6, §C.4: deploying an app and reading its credentials need an admin's permissions.
    r("INSUFFICIENT_ACCESS", None, &[
        c(UserAction, To::Nothing, None, "The session's user lacks the permission for this: deploying an External Client App, creating users and reading app credentials need an admin (System Administrator, or Customize Application, Modify Metadata, Create, edit, and delete External Client Apps, and View Client Secret). Log in to the CLI as such a user."),
    ]),
    r("INVALID_AUTH_HEADER", None, &[
        fit(mcp, c(Misconfigured, To::Setting(S::NamedUserJwt), Some("checked"), "Hosted MCP accepts only JWT access tokens: check Issue JSON Web Token (JWT)-based access tokens for named users, then connect again.")),
        c(ClientBug, To::Client, None, "The request had no valid Authorization header: the client must send Authorization: Bearer followed by the access token."),
    ]),
    r("INVALID_JWT_FORMAT", None, &[
        c(Misconfigured, To::Setting(S::NamedUserJwt), Some("checked"), "The MCP server got an opaque token where it needs a JWT: check Issue JSON Web Token (JWT)-based access tokens for named users, and ask for mcp_api without api, then connect again."),
    ]),
    // Developer Limits quick reference: long requests (20 s or more) are capped at once, apart
    // from the 24-hour count; the description names which limit was hit.
    r("REQUEST_LIMIT_EXCEEDED", Some("Concurrent"), &[
        c(Transient, To::Nothing, None, "Too many long requests (20 seconds or more) ran at once in the org: this is the concurrent limit, not the 24-hour one. Retry in a moment, and make slow calls faster or fewer in parallel."),
        // SalesforceLabs/OrgCheck#432: a tool that fires its slow queries all at once.
        c(ClientBug, To::Client, None, "A tool sends many slow requests at once and trips the concurrent limit by itself: upgrade it, or make it send fewer requests in parallel."),
    ]),
    // Salesforce's limit names in the message (the /limits resource); support.skyvia.com KB.
    r("REQUEST_LIMIT_EXCEEDED", Some("ApiBatchItems"), &[c(Transient, To::Nothing, None, "The org submitted more Bulk API batches than its limit for the rolling 24-hour period: wait for it to reset (Setup > Bulk Data Load Jobs shows the batches), and send fewer, larger batches.")]),
    r("REQUEST_LIMIT_EXCEEDED", None, &[
        c(Transient, To::Nothing, None, "The org used its API request limit, counted over a rolling 24 hours (a sliding 24-hour window): wait until usage drops (Setup > System Overview shows it), make fewer API calls, or raise the limit."),
        // ref salesforce-oauth.md §6.3 (Sforce-Limit-Info); django-salesforce#317.
        c(ClientBug, To::Client, None, "One client spends the limit by itself, with a call per record (a query inside a loop): make it batch its calls, and have it read the Sforce-Limit-Info header (api-usage=used/max) to watch the API usage and stop before the limit."),
    ]),
    r(BAD_OAUTH_TOKEN, None, &[c(UserAction, To::Nothing, None, "The access token is invalid or was revoked: get a new token (refresh, or log in again).")]),
    // Ours: a token answer naming a host that isn't Salesforce's (oauth::client).
    r("untrusted_instance_url", None, &[
        c(Misconfigured, To::LoginUrl, None, "The token answer named an API host that isn't a Salesforce https address, so nothing was sent there. Check the login URL really is Salesforce's (a proxy or an impostor may be answering)."),
    ]),
];

/// Every rule, in the order they are tried.
pub(super) fn all() -> impl Iterator<Item = &'static Rule> {
    RULES.iter().chain(mcp::RULES)
}

pub(super) fn find(context: &Context, error: &str, description: &str) -> Option<&'static Rule> {
    all().find(|r| {
        r.error.eq_ignore_ascii_case(error)
            && r.description
                .is_none_or(|d| contains_ignore_case(description, d))
            && (r.when)(context)
    })
}

/// The rule's causes, most likely first; causes that can't apply here are left out.
pub(super) fn ranked(rule: &Rule, context: &Context) -> Vec<Cause> {
    let mut scored: Vec<(u8, &CauseRule)> =
        rule.causes.iter().map(|c| ((c.fit)(context), c)).collect();
    // Fit first; among equals, the paste's clues (counted once per cause), then a cause that
    // needs no evidence before one whose evidence the paste lacks; then the table's order.
    scored.sort_by_cached_key(|(score, c)| {
        std::cmp::Reverse((*score, context.clues.shared_with(c.message), !c.needs))
    });
    if scored.iter().any(|(score, _)| *score > 0) {
        scored.retain(|(score, _)| *score > 0);
    } else {
        scored.truncate(1);
    }
    scored
        .into_iter()
        .map(|(_, c)| {
            let mut message = c.message.to_string();
            if c.kind == Propagating && context.window == Window::Unknown {
                message.push_str(" If the app was saved more than 15 minutes ago, treat this as misconfiguration.");
            }
            Cause { kind: c.kind, target: c.to.target(), value: c.value.map(str::to_string), message }
        })
        .collect()
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}
