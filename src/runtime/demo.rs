//! `eca-wizard demo`: the embedded emulator plays the admin's org. When the admin reaches the
//! step that creates the app, it is registered from their answers, as if they had clicked
//! through Setup; an injected fault shows a diagnosis until the admin "fixes" its step.

use std::str::FromStr;

use crate::emulator::org::{App, DEMO_JWT_CERTIFICATE, IpRelaxation, PermittedUsers, Policies};
use crate::emulator::{Emulator, ids};
use crate::recipe::{Recipe, Role, SettingValue};
use crate::salesforce::Flow;
use crate::salesforce::settings::{PERMITTED_ADMIN, SettingKey};
use crate::secret::Secret;
use crate::wizard::SavedSetup;

/// A misconfiguration the demo can inject, and the setting that fixes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The app requires the secret to refresh: it breaks only an integration that refreshes
    /// without it (Apideck, the MCP clients), never one that sends it anyway (AptEdge).
    RefreshSecret,
    /// No Run As user for client credentials.
    NoRunAs,
    /// Client credentials left off.
    FlowOff,
    /// The integration user lacks API Enabled.
    NoApi,
    /// The refresh scope is missing.
    NoRefreshScope,
    /// Hosted MCP: "Issue JSON Web Token (JWT)-based access tokens for named users" left off.
    JwtTokensOff,
    /// Hosted MCP: the server the client uses was never activated.
    McpServerInactive,
    /// Hosted MCP: `api` selected beside `mcp_api`, so tokens come back opaque.
    ApiBesideMcp,
}

impl Fault {
    pub const NAMES: &'static [&'static str] = &[
        "refresh-secret",
        "no-run-as",
        "flow-off",
        "no-api",
        "no-refresh-scope",
        "jwt-tokens-off",
        "mcp-server-inactive",
        "api-beside-mcp",
    ];

    /// Whether the fault means anything for this recipe: it breaks a setting the recipe's
    /// flow depends on (a client-credentials fault does nothing to a browser login).
    pub fn applies_to(self, recipe: &Recipe) -> bool {
        match self {
            Fault::RefreshSecret => {
                recipe.expects_refresh_token()
                    && recipe.setting_value(SettingKey::RequireSecretRefresh)
                        == Some(&SettingValue::Checked(false))
            }
            Fault::NoRunAs | Fault::FlowOff => recipe.flow == Flow::ClientCredentials,
            // An MCP client never calls the REST API, so API Enabled shows nowhere there.
            Fault::NoApi => recipe.verifies(crate::recipe::Check::RestApi),
            Fault::NoRefreshScope => recipe.expects_refresh_token(),
            Fault::JwtTokensOff | Fault::McpServerInactive | Fault::ApiBesideMcp => recipe.is_mcp(),
        }
    }

    /// The ids of the recipes the fault applies to, in the start screen's order.
    pub fn recipes(self, recipes: &[Recipe]) -> Vec<&str> {
        recipes
            .iter()
            .filter(|r| self.applies_to(r))
            .map(|r| r.id.as_str())
            .collect()
    }

    /// Every fault with the recipes it applies to, for messages.
    pub fn catalogue(recipes: &[Recipe]) -> String {
        Fault::NAMES
            .iter()
            .filter_map(|name| name.parse::<Fault>().ok().map(|f| (name, f)))
            .map(|(name, fault)| format!("{name} ({})", fault.recipes(recipes).join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl FromStr for Fault {
    type Err = String;
    fn from_str(name: &str) -> Result<Fault, String> {
        Ok(match name {
            "refresh-secret" => Fault::RefreshSecret,
            "no-run-as" => Fault::NoRunAs,
            "flow-off" => Fault::FlowOff,
            "no-api" => Fault::NoApi,
            "no-refresh-scope" => Fault::NoRefreshScope,
            "jwt-tokens-off" => Fault::JwtTokensOff,
            "mcp-server-inactive" => Fault::McpServerInactive,
            "api-beside-mcp" => Fault::ApiBesideMcp,
            _ => {
                let catalogue = crate::recipe::known()
                    .map(Fault::catalogue)
                    .unwrap_or_else(|_| Fault::NAMES.join(", "));
                return Err(format!(
                    "no fault '{name}'; faults (and the recipes they apply to): {catalogue}"
                ));
            }
        })
    }
}

pub struct Demo {
    pub emulator: Emulator,
    fault: Option<Fault>,
    credentials: Option<(String, Secret)>,
}

impl Demo {
    pub fn new(emulator: Emulator, fault: Option<Fault>) -> Demo {
        Demo {
            emulator,
            fault,
            credentials: None,
        }
    }

    /// The demo admin, as "Set it up for me" offers its CLI login.
    pub fn admin_login(&self) -> crate::wizard::CliLogin {
        crate::wizard::CliLogin {
            target: crate::emulator::org::DEMO_ADMIN_USER.to_string(),
            instance_url: self.emulator.my_domain_url().to_string(),
        }
    }

    /// The demo admin's session for apply: an app it runs as, signed in with client
    /// credentials (the demo stands in for the admin's own CLI login).
    pub fn admin_source(&self) -> super::apply::Source {
        let mut app = App::demo();
        app.api_name = "Demo_Admin_Session".into();
        app.consumer_key = format!("3MVG9DemoAdmin{}", ids::random_base62(40));
        app.consumer_secret = ids::random_base62(64);
        app.policies.run_as = Some(crate::emulator::org::DEMO_ADMIN_USER.into());
        let source = super::apply::Source::Demo {
            my_domain_url: self.emulator.my_domain_url().to_string(),
            client_id: app.consumer_key.clone(),
            client_secret: Secret::new(app.consumer_secret.clone()),
        };
        self.emulator.put_settled_app(app);
        source
    }

    /// Creates the app from the setup (the first time, with the fault), or applies the fix.
    pub fn register(
        &mut self,
        saved: &SavedSetup,
        recipe: &Recipe,
    ) -> anyhow::Result<(String, Secret)> {
        let first = self.credentials.is_none();
        let (key, secret) = self
            .credentials
            .get_or_insert_with(|| {
                (
                    format!("3MVG9Demo{}", ids::random_base62(48)),
                    Secret::new(ids::random_base62(64)),
                )
            })
            .clone();
        let fault = if first { self.fault } else { None };
        let mut app = app_from_setup(saved, recipe, &key, &secret);
        let permission_set = saved.answer_for(recipe, Role::PermissionSet);
        let user = crate::wizard::demo_username(recipe.flow);
        self.emulator.edit_user(user, |user| {
            user.api_enabled = fault != Some(Fault::NoApi);
            // The admin assigned the recipe's permission set in the permissions step.
            if let Some(set) = permission_set
                && !user.permission_sets.contains(&set)
            {
                user.permission_sets.push(set);
            }
        })?;
        match fault {
            Some(Fault::RefreshSecret) => app.require_secret_refresh = true,
            Some(Fault::NoRunAs) => app.policies.run_as = None,
            Some(Fault::FlowOff) => app.client_credentials = false,
            Some(Fault::NoRefreshScope) => app
                .scopes
                .retain(|s| s != "refresh_token" && s != "offline_access"),
            Some(Fault::JwtTokensOff) => app.named_user_jwt = false,
            Some(Fault::ApiBesideMcp) => app.scopes.push("api".into()),
            Some(Fault::NoApi | Fault::McpServerInactive) | None => {}
        }
        // The admin activated the server in the MCP servers step (unless that is the fault);
        // a fix of that step registers again, which activates it.
        if let Some(server) = saved
            .answer_for(recipe, Role::McpServerUrl)
            .and_then(|url| crate::salesforce::mcp::parse_server_url(&url).ok())
        {
            self.emulator
                .set_mcp_server_active(&server.server, fault != Some(Fault::McpServerInactive));
        }
        self.emulator.put_app(app);
        Ok((key, secret))
    }
}

/// The app Setup would hold after the recipe's steps with these answers.
pub fn app_from_setup(saved: &SavedSetup, recipe: &Recipe, key: &str, secret: &Secret) -> App {
    let answer = |role: Role| saved.answer_for(recipe, role);
    let checked = |setting| recipe.is_checked(setting);
    let admin_approved = matches!(
        recipe.setting_value(SettingKey::PermittedUsers),
        Some(SettingValue::Text(text)) if text == PERMITTED_ADMIN
    );
    let client_credentials =
        recipe.flow == Flow::ClientCredentials || checked(SettingKey::EnableClientCredentials);
    App {
        api_name: answer(Role::ApiName).unwrap_or_else(|| "Demo_App".into()),
        label: answer(Role::AppName).unwrap_or_else(|| recipe.app_name.clone()),
        consumer_key: key.to_string(),
        consumer_secret: secret.expose().to_string(),
        staged: None,
        callback_urls: answer(Role::CallbackUrls)
            .map(|urls| urls.lines().map(String::from).collect())
            .unwrap_or_default(),
        // Custom scopes made and given to the app as the checklist says.
        scopes: recipe.requested_scopes(),
        oauth_enabled: true,
        client_credentials,
        jwt_certificate: checked(SettingKey::EnableJwtBearer)
            .then(|| DEMO_JWT_CERTIFICATE.to_string()),
        require_secret_web_server: checked(SettingKey::RequireSecretWebServer),
        require_secret_refresh: checked(SettingKey::RequireSecretRefresh),
        require_pkce: checked(SettingKey::RequirePkce),
        refresh_token_rotation: checked(SettingKey::RefreshTokenRotation),
        introspect_all_tokens: checked(SettingKey::IntrospectAllTokens),
        named_user_jwt: checked(SettingKey::NamedUserJwt),
        token_exchange: checked(SettingKey::EnableTokenExchange),
        device_flow: checked(SettingKey::EnableDeviceFlow),
        policies: Policies {
            permitted_users: if admin_approved {
                PermittedUsers::AdminApprovedPreAuthorized
            } else {
                PermittedUsers::AllSelfAuthorized
            },
            permission_sets: answer(Role::PermissionSet).into_iter().collect(),
            client_credentials,
            run_as: client_credentials
                .then(|| answer(Role::IntegrationUsername))
                .flatten(),
            // As the recipe's policies step sets it (Enforce when it says nothing, as Setup).
            ip_relaxation: IpRelaxation::from_metadata(crate::metadata::ip_relaxation(recipe)),
            profiles: match recipe.setting_value(SettingKey::SelectedProfiles) {
                Some(SettingValue::List(profiles)) => profiles.clone(),
                _ => Vec::new(),
            },
            session_timeout_minutes: match recipe.setting_value(SettingKey::SessionTimeout) {
                Some(SettingValue::Number(minutes)) => Some(u64::from(*minutes)),
                _ => None,
            },
            token_exchange: checked(SettingKey::EnableTokenExchange),
            ..Policies::default()
        },
        // Made in Setup: its settings and policies have Setup's member names.
        members: None,
        installed_from: None,
    }
}

/// Signs in to the emulator's login and consent pages from the terminal, as the demo user, and
/// returns the address the browser would have ended on.
pub async fn sign_in(authorize_url: &str, username: &str) -> anyhow::Result<String> {
    let http = crate::net::client()?;
    let page = http.get(authorize_url).send().await?;
    if let Some(location) = page.headers().get("location").and_then(|v| v.to_str().ok()) {
        return Ok(location.to_string());
    }
    let base = authorize_url.split("/services/").next().unwrap_or_default();
    let action = format!("{base}/services/oauth2/authorize");
    let q = hidden_q(&page.text().await?)
        .ok_or_else(|| anyhow::anyhow!("the login page had no form"))?;
    let login = [
        ("action", "login"),
        ("q", q.as_str()),
        ("username", username),
        ("password", crate::emulator::org::DEMO_PASSWORD),
    ];
    let consent = http.post(&action).form(&login).send().await?;
    let cookie = consent
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .map(String::from);
    if let Some(location) = consent
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
    {
        return Ok(location.to_string());
    }
    let mut allow = http
        .post(&action)
        .form(&[("action", "allow"), ("q", q.as_str())]);
    if let Some(cookie) = cookie {
        allow = allow.header("cookie", cookie);
    }
    let allowed = allow.send().await?;
    allowed
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(String::from)
        .ok_or_else(|| anyhow::anyhow!("the demo org didn't redirect after Allow"))
}

fn hidden_q(html: &str) -> Option<String> {
    let marker = "name=\"q\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    let raw = &html[start..end];
    Some(
        raw.replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#39;", "'")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::live::{LiveApp, drift};
    use crate::emulator::setup_query::{policy_columns, scope_columns};

    /// `refresh-secret` is offered only where requiring the secret breaks the refresh: the
    /// integrations that refresh without it.
    #[test]
    fn refresh_secret_is_offered_only_where_the_refresh_goes_without_the_secret() {
        let recipes = crate::recipe::builtin().unwrap();
        let offered = Fault::RefreshSecret.recipes(recipes);
        for id in ["apideck", "mcp-claude", "mcp-claude-code"] {
            assert!(offered.contains(&id), "{id}: {offered:?}");
        }
        for id in ["aptedge", "custom", "service-board-sync"] {
            assert!(!offered.contains(&id), "{id}: {offered:?}");
        }
    }

    /// A clean demo ends without a drift line: the app the demo registers for a recipe, read
    /// back as the org's Setup objects answer, is what the recipe deploys.
    #[test]
    fn the_demo_app_of_every_builtin_recipe_shows_no_drift() {
        for recipe in crate::recipe::builtin().unwrap() {
            let saved = SavedSetup {
                version: 1,
                recipe: recipe.id.clone(),
                login_url: None,
                answers: Default::default(),
                marks: Vec::new(),
                current_step: 0,
                app_saved_at_ms: None,
                drafts: Default::default(),
                by_apply: false,
                choices: Default::default(),
            };
            let secret = Secret::new("unused".to_string());
            let app = app_from_setup(&saved, recipe, "3MVG9Demo", &secret);
            let live = LiveApp {
                id: "0xI000000000001".into(),
                label: app.label.clone(),
                scopes: scope_columns(&app),
                policy: policy_columns(&app),
            };
            let found = drift(recipe, &live);
            assert!(found.is_empty(), "{}: {found:?}", recipe.id);
        }
    }
}
