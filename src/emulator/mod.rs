//! A local Salesforce for tests and demos: an org with users and External Client Apps, served
//! over real HTTP on three loopback ports (one plays `login.salesforce.com`, one the org's My
//! Domain, one `api.salesforce.com` with the hosted MCP servers), enforcing Salesforce's OAuth rules and answering with its exact bodies.
//!
//! ```no_run
//! # fn main() -> anyhow::Result<()> {
//! let emulator = eca_wizard::emulator::Emulator::start(Default::default())?;
//! println!("{} {}", emulator.login_url(), emulator.my_domain_url());
//! # Ok(()) }
//! ```

mod access_jwt;
mod authorize;
mod credentials;
mod demo_org;
mod deploy;
mod deploy_rules;
mod deploy_zip;
mod http;
mod identity;
pub mod ids;
mod mcp;
mod objects;
pub mod org;
pub mod packages;
mod pages;
mod people;
mod rest;
mod server;
pub(crate) mod setup_query;
mod soap;
mod store;
mod token;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::watch;

pub use http::{HostRole, Reply, Req};
pub use org::{App, Org, User};
pub use store::LogEntry;

use crate::jwt::Signer;
use store::Store;

/// The key the emulator signs id_tokens with (an emulator-only key, published in the repo).
const ID_TOKEN_KEY: &str = include_str!("../../assets/emulator/id-token-key.pem");
const ID_TOKEN_KID: &str = "eca-wizard-emulator";

/// How to start an emulator.
#[derive(Debug, Clone)]
pub struct Config {
    pub org: Org,
    /// 0 picks a free port.
    pub login_port: u16,
    pub my_domain_port: u16,
    pub mcp_port: u16,
    /// Authorize is a pure redirect chain for the org's auto-approve user: no pages.
    pub auto_approve: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            org: Org::demo(),
            login_port: 0,
            my_domain_port: 0,
            mcp_port: 0,
            auto_approve: true,
        }
    }
}

/// The three base URLs the emulator answers on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urls {
    pub login: String,
    pub my_domain: String,
    /// Plays `https://api.salesforce.com`.
    pub mcp: String,
}

impl Urls {
    /// The identity URL is always on the generic login host, as Salesforce's is.
    pub fn identity_url(&self, org_id: &str, user_id: &str) -> String {
        format!("{}/id/{org_id}/{user_id}", self.login)
    }
}

/// State shared by both hosts' servers.
pub(crate) struct Shared {
    store: Mutex<Store>,
    clock_offset_ms: AtomicI64,
    urls: Urls,
    signer: Signer,
}

/// What a handler works with for one request.
pub(crate) struct Ctx<'a> {
    pub store: &'a mut Store,
    pub now: u64,
    pub host: HostRole,
    pub urls: &'a Urls,
    pub signer: &'a Signer,
}

impl Shared {
    fn now(&self) -> u64 {
        let wall = i64::try_from(crate::clock::now_ms()).unwrap_or(i64::MAX);
        u64::try_from(wall.saturating_add(self.clock_offset_ms.load(Ordering::Relaxed)))
            .unwrap_or(0)
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A handler never panics while holding the lock, but if one did, the data is still
        // consistent enough to keep serving: take it back rather than fail every request.
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Routes one request and records it in the log.
    pub(crate) fn handle(&self, req: &Req) -> Reply {
        let now = self.now();
        let mut store = self.store();
        let mut ctx = Ctx {
            store: &mut store,
            now,
            host: req.host,
            urls: &self.urls,
            signer: &self.signer,
        };
        let injected = ctx.store.fail_next.iter().position(|fragment| {
            format!("{} {}", req.method, req.path).contains(fragment.as_str())
        });
        let reply = match injected {
            Some(i) => {
                ctx.store.fail_next.remove(i);
                Reply::rest_error(500, ("UNKNOWN_EXCEPTION", "An unexpected error occurred."))
            }
            None => route(&mut ctx, req),
        };
        let grant_type = req
            .form()
            .and_then(|f| http::first(f, "grant_type").map(String::from));
        let entry = LogEntry {
            host: req.host,
            method: req.method.clone(),
            path: req.path.clone(),
            grant_type,
            status: reply.status,
            error: reply.error_code(),
        };
        store.record(entry);
        reply
    }
}

fn route(ctx: &mut Ctx, req: &Req) -> Reply {
    if req.host == HostRole::Mcp {
        return mcp::handle(ctx, req);
    }
    let path = req.path.as_str();
    match path {
        "/services/oauth2/authorize" => authorize::handle(ctx, req),
        "/services/oauth2/token" => token::handle(ctx, req),
        "/services/oauth2/revoke" => identity::revoke(ctx, req),
        "/services/oauth2/introspect" => identity::introspect(ctx, req),
        "/services/oauth2/userinfo" => identity::userinfo(ctx, req),
        "/.well-known/openid-configuration" => identity::discovery(ctx),
        "/.well-known/oauth-authorization-server" => mcp::authorization_server(ctx),
        // One key signs id_tokens and JWT access tokens; each kid names it.
        "/id/keys" => {
            let access_kid = access_jwt::kid(&ctx.store.org.org_id);
            let keys = [
                ctx.signer.public_jwk(ID_TOKEN_KID),
                ctx.signer.public_jwk(&access_kid),
            ];
            Reply::json(200, &serde_json::json!({ "keys": keys }))
        }
        "/" => pages::home(ctx),
        _ if path.starts_with("/id/") => identity::identity(ctx, req),
        _ if path.starts_with("/services/Soap/m/") => soap::handle(ctx, req),
        _ if path == "/services/data" || path.starts_with("/services/data/") => {
            rest::handle(ctx, req)
        }
        _ => Reply::rest_error(404, crate::salesforce::oauth_errors::rest::NOT_FOUND),
    }
}

impl Ctx<'_> {
    /// An OpenID Connect id_token for a login with the `openid` scope.
    pub fn id_token(
        &self,
        app: &App,
        user: &User,
        identity_url: &str,
        nonce: Option<String>,
    ) -> Option<String> {
        let iat = self.now / 1000;
        let mut claims = serde_json::json!({
            "iss": self.urls.login,
            "sub": identity_url,
            "aud": app.consumer_key,
            "iat": iat,
            // Salesforce's default id_token validity is two minutes.
            "exp": iat + 120,
            "preferred_username": user.username,
            "email": user.email,
            "name": format!("{} {}", user.first_name, user.last_name).trim().to_string(),
        });
        if let Some(nonce) = nonce {
            claims["nonce"] = nonce.into();
        }
        self.signer.sign(&claims, Some(ID_TOKEN_KID)).ok()
    }
}

/// A running emulator. Dropping it shuts both hosts down.
pub struct Emulator {
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Emulator {
    /// Starts both hosts on loopback. The built-in apps' propagation clock starts now.
    pub fn start(config: Config) -> anyhow::Result<Emulator> {
        let mut org = config.org;
        org.complete()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("eca-emulator")
            .enable_all()
            .build()?;
        // Bound here, synchronously, so a busy port is an error from start() itself; the
        // listeners become tokio's inside the runtime.
        let (login, login_addr) = server::bind(config.login_port)?;
        let (my_domain, my_domain_addr) = server::bind(config.my_domain_port)?;
        let (mcp, mcp_addr) = server::bind(config.mcp_port)?;
        let urls = Urls {
            login: format!("http://{login_addr}"),
            my_domain: format!("http://{my_domain_addr}"),
            mcp: format!("http://{mcp_addr}"),
        };
        let clock = AtomicI64::new(0);
        let shared = Arc::new(Shared {
            store: Mutex::new(Store::new(org, 0, config.auto_approve)),
            clock_offset_ms: clock,
            urls,
            signer: Signer::from_pem(ID_TOKEN_KEY)?,
        });
        // Apps given at start count their propagation from now.
        let started = shared.now();
        shared
            .store()
            .apps
            .iter_mut()
            .for_each(|v| v.changed_at_ms = started);
        let (stop, stop_rx) = watch::channel(false);
        runtime.spawn(server::serve(
            login,
            HostRole::Login,
            shared.clone(),
            stop_rx.clone(),
        ));
        runtime.spawn(server::serve(
            my_domain,
            HostRole::MyDomain,
            shared.clone(),
            stop_rx.clone(),
        ));
        runtime.spawn(server::serve(mcp, HostRole::Mcp, shared.clone(), stop_rx));
        Ok(Emulator {
            shared,
            stop,
            runtime: Some(runtime),
        })
    }

    /// The base URL playing `https://login.salesforce.com`.
    pub fn login_url(&self) -> &str {
        &self.shared.urls.login
    }

    /// The base URL playing the org's My Domain (`instance_url` in token responses).
    pub fn my_domain_url(&self) -> &str {
        &self.shared.urls.my_domain
    }

    /// The base URL playing `https://api.salesforce.com` (hosted MCP servers).
    pub fn mcp_url(&self) -> &str {
        &self.shared.urls.mcp
    }

    /// A standard server's URL on the emulator, e.g. for `platform/sobject-all`.
    pub fn mcp_server_url(&self, server: &str) -> String {
        format!(
            "{}{}{server}",
            self.mcp_url(),
            crate::salesforce::mcp::PATH_PREFIX
        )
    }

    /// Activates or deactivates an MCP server (Setup > MCP Servers), at once.
    pub fn set_mcp_server_active(&self, name: &str, active: bool) {
        let mut store = self.shared.store();
        match store.org.mcp_servers.iter_mut().find(|s| s.name == name) {
            Some(server) => server.active = active,
            None => store.org.mcp_servers.push(org::McpServer {
                name: name.to_string(),
                active,
            }),
        }
    }

    /// How the discovery documents are served.
    pub fn set_mcp_metadata(&self, mode: org::McpMetadata) {
        self.shared.store().org.mcp_metadata = mode;
    }

    /// A copy of the org as configured (apps as last put).
    pub fn org(&self) -> Org {
        let store = self.shared.store();
        let mut org = store.org.clone();
        org.apps = store.apps.iter().map(|v| v.current.clone()).collect();
        org
    }

    /// The app named `api_name`, as last put.
    pub fn app(&self, api_name: &str) -> Option<App> {
        let store = self.shared.store();
        store
            .apps
            .iter()
            .find(|v| v.current.api_name == api_name)
            .map(|v| v.current.clone())
    }

    /// Creates an app, or replaces one with the same API name; either way its propagation
    /// clock restarts and the previous settings stay in force until it has run out.
    pub fn put_app(&self, app: App) {
        let now = self.shared.now();
        self.shared.store().put_app(app, now);
    }

    /// Puts an app that has long propagated (the admin's own login app, made before the demo).
    pub fn put_settled_app(&self, app: App) {
        self.shared.store().put_app(app, 0);
    }

    /// Edits an app as an admin would in Setup (restarting its propagation clock).
    pub fn edit_app(&self, api_name: &str, edit: impl FnOnce(&mut App)) -> anyhow::Result<()> {
        let mut app = self
            .org()
            .apps
            .into_iter()
            .find(|a| a.api_name == api_name)
            .ok_or_else(|| anyhow::anyhow!("no app named {api_name}"))?;
        edit(&mut app);
        self.put_app(app);
        Ok(())
    }

    /// Edits a user (deactivate, remove API Enabled, change object access...), effective at once.
    pub fn edit_user(&self, username: &str, edit: impl FnOnce(&mut User)) -> anyhow::Result<()> {
        let mut store = self.shared.store();
        let user = store
            .org
            .users
            .iter_mut()
            .find(|u| u.username.eq_ignore_ascii_case(username))
            .ok_or_else(|| anyhow::anyhow!("no user {username}"))?;
        edit(user);
        Ok(())
    }

    pub fn set_propagation_delay(&self, delay: Duration) {
        self.shared.store().propagation_delay_ms =
            u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
    }

    /// The next request whose `METHOD /path` contains `fragment` fails with a 500 (one failure
    /// each), e.g. `"PATCH /services"`.
    pub fn fail_next(&self, fragment: &str) {
        self.shared.store().fail_next.push(fragment.to_string());
    }

    /// Turns "Allow access to External Client App consumer secrets via REST API" on or off.
    pub fn set_client_secret_in_rest_api(&self, on: bool) {
        self.shared.store().org.client_secret_in_rest_api = on;
    }

    pub fn set_logins_per_hour(&self, limit: u32) {
        self.shared.store().org.logins_per_hour = limit;
    }

    /// Moves the emulator's clock forward, to expire codes, tokens and propagation windows
    /// without waiting.
    pub fn advance_clock(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.shared.clock_offset_ms.fetch_add(ms, Ordering::Relaxed);
    }

    /// The requests served so far (paths, grant types, statuses, error codes; never values).
    pub fn request_log(&self) -> Vec<LogEntry> {
        self.shared.store().log.clone()
    }

    /// Handles a request without the network, for tests of the routing itself.
    pub fn handle(&self, req: &Req) -> Reply {
        self.shared.handle(req)
    }

    /// Stops both hosts and waits for the server tasks to end.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        let _ = self.stop.send(true);
        if let Some(runtime) = self.runtime.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                runtime.shutdown_background();
            } else {
                runtime.shutdown_timeout(Duration::from_secs(2));
            }
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(runtime) = self.runtime.take() {
            // Dropping inside an async test must not block the caller's runtime.
            runtime.shutdown_background();
        }
    }
}
