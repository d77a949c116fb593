//! Everything the emulator remembers while it runs: the org and its apps (with the settings
//! still in force while an edit propagates), codes, tokens, approvals, browser sessions, the
//! login counter and the request log. One lock guards it all; every method is quick.

use std::collections::{HashMap, HashSet, VecDeque};

use serde::Serialize;

use crate::emulator::http::HostRole;
use crate::emulator::ids;
use crate::emulator::org::{App, Org};

/// An app as it is now, and as it was before its last edit (still in force while the edit
/// propagates). A new app has no previous version: Salesforce does not know it yet.
#[derive(Debug, Clone)]
pub struct AppVersions {
    pub current: App,
    pub previous: Option<App>,
    pub changed_at_ms: u64,
}

#[derive(Debug, Clone)]
pub struct Code {
    pub app: String,
    pub user_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub challenge: Option<String>,
    pub nonce: Option<String>,
    pub issued_ms: u64,
    pub used: bool,
}

#[derive(Debug, Clone)]
pub struct AccessToken {
    pub app: String,
    pub user_id: String,
    pub scopes: Vec<String>,
    pub issued_ms: u64,
    pub expires_ms: u64,
    /// The refresh token it came from, so revoking that kills this too.
    pub refresh: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RefreshToken {
    pub app: String,
    pub user_id: String,
    pub scopes: Vec<String>,
    pub issued_ms: u64,
    /// When it was last used to refresh (its issue at first).
    pub last_used_ms: u64,
}

/// An MCP session opened by `initialize`.
#[derive(Debug, Clone)]
pub struct McpSession {
    pub user_id: String,
    pub server: String,
}

/// One request as the log keeps it: no query values, no bodies, no tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogEntry {
    pub host: HostRole,
    pub method: String,
    pub path: String,
    pub grant_type: Option<String>,
    pub status: u16,
    pub error: Option<String>,
}

pub struct Store {
    pub org: Org,
    pub apps: Vec<AppVersions>,
    pub propagation_delay_ms: u64,
    pub auto_approve: bool,
    pub codes: HashMap<String, Code>,
    pub access: HashMap<String, AccessToken>,
    pub refresh: HashMap<String, RefreshToken>,
    /// (user id, app api name) pairs the user has allowed on the consent page.
    pub approvals: HashSet<(String, String)>,
    /// Browser session cookie -> user id.
    pub sessions: HashMap<String, String>,
    /// `Mcp-Session-Id` -> session.
    pub mcp_sessions: HashMap<String, McpSession>,
    /// Path fragments whose next request answers 500 (tests inject failures with these).
    pub fail_next: Vec<String>,
    /// Metadata deploys by id.
    pub deploys: HashMap<String, crate::emulator::deploy::DeployJob>,
    logins: HashMap<String, VecDeque<u64>>,
    pub log: Vec<LogEntry>,
    pub api_requests: u64,
    /// Package install requests by id (0Hf).
    pub install_requests: HashMap<String, crate::emulator::packages::InstallRequest>,
}

/// Codes live 15 minutes (reference §2.2).
pub const CODE_TTL_MS: u64 = 15 * 60 * 1000;
const HOUR_MS: u64 = 60 * 60 * 1000;
/// The request log keeps the most recent entries only.
const LOG_CAPACITY: usize = 10_000;

impl Store {
    pub fn new(org: Org, started_ms: u64, auto_approve: bool) -> Store {
        let apps = org
            .apps
            .iter()
            .map(|app| AppVersions {
                current: app.clone(),
                previous: None,
                changed_at_ms: started_ms,
            })
            .collect();
        Store {
            propagation_delay_ms: org.propagation_delay_secs.saturating_mul(1000),
            org,
            apps,
            auto_approve,
            codes: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            approvals: HashSet::new(),
            sessions: HashMap::new(),
            mcp_sessions: HashMap::new(),
            deploys: HashMap::new(),
            fail_next: Vec::new(),
            logins: HashMap::new(),
            log: Vec::new(),
            api_requests: 0,
            install_requests: HashMap::new(),
        }
    }

    /// The app version in force at `now` for this consumer key, if Salesforce knows it yet.
    pub fn app_for_key(&self, key: &str, now: u64) -> Option<&App> {
        // An app without OAuth enabled is no OAuth client at all.
        self.apps.iter().find_map(|v| {
            self.effective(v, now)
                .filter(|app| app.oauth_enabled && app.has_key(key))
        })
    }

    /// The app version in force at `now` by API name.
    pub fn app_named(&self, api_name: &str, now: u64) -> Option<&App> {
        self.apps
            .iter()
            .find(|v| v.current.api_name == api_name)
            .and_then(|v| self.effective(v, now))
    }

    fn effective<'a>(&self, versions: &'a AppVersions, now: u64) -> Option<&'a App> {
        if now
            >= versions
                .changed_at_ms
                .saturating_add(self.propagation_delay_ms)
        {
            Some(&versions.current)
        } else {
            versions.previous.as_ref()
        }
    }

    /// Creates or replaces an app; the change takes effect after the propagation delay.
    pub fn put_app(&mut self, app: App, now: u64) {
        match self
            .apps
            .iter()
            .position(|v| v.current.api_name == app.api_name)
        {
            Some(i) => {
                let in_force = self.effective(&self.apps[i], now).cloned();
                let versions = &mut self.apps[i];
                versions.previous = in_force;
                versions.current = app;
                versions.changed_at_ms = now;
            }
            None => self.apps.push(AppVersions {
                current: app,
                previous: None,
                changed_at_ms: now,
            }),
        }
    }

    /// Counts a login for `user_id`; false when the rolling hour is already full.
    pub fn count_login(&mut self, user_id: &str, now: u64) -> bool {
        let limit = self.org.logins_per_hour as usize;
        let times = self.logins.entry(user_id.to_string()).or_default();
        while times
            .front()
            .is_some_and(|t| now.saturating_sub(*t) >= HOUR_MS)
        {
            times.pop_front();
        }
        if times.len() >= limit {
            return false;
        }
        times.push_back(now);
        true
    }

    /// Issues an access token (and a refresh token when asked) for a user of an app.
    pub fn issue(
        &mut self,
        app: &str,
        user_id: &str,
        scopes: &[String],
        with_refresh: bool,
        now: u64,
    ) -> (String, Option<String>) {
        let refresh = with_refresh.then(|| {
            let token = ids::refresh_token();
            self.refresh.insert(
                token.clone(),
                RefreshToken {
                    app: app.to_string(),
                    user_id: user_id.to_string(),
                    scopes: scopes.to_vec(),
                    issued_ms: now,
                    last_used_ms: now,
                },
            );
            token
        });
        let access = self.issue_access(app, user_id, scopes, refresh.clone(), now);
        (access, refresh)
    }

    /// Issues an access token, tied to the refresh token it came from.
    pub fn issue_access(
        &mut self,
        app: &str,
        user_id: &str,
        scopes: &[String],
        refresh: Option<String>,
        now: u64,
    ) -> String {
        self.prune(now);
        let token = ids::access_token(&self.org.org_id);
        // The app's Session Timeout in Minutes when it has one, else the org's session timeout
        // (reference §1.5: the app's timeout applies to its opaque tokens).
        let minutes = self
            .app_named(app, now)
            .and_then(|a| a.policies.session_timeout_minutes)
            .unwrap_or(self.org.session_timeout_minutes);
        let lifetime = minutes.saturating_mul(60_000);
        self.access.insert(
            token.clone(),
            AccessToken {
                app: app.to_string(),
                user_id: user_id.to_string(),
                scopes: scopes.to_vec(),
                issued_ms: now,
                expires_ms: now.saturating_add(lifetime),
                refresh,
            },
        );
        token
    }

    /// A live access token.
    pub fn access_token(&self, token: &str, now: u64) -> Option<&AccessToken> {
        self.access.get(token).filter(|t| now < t.expires_ms)
    }

    /// Revokes an access or refresh token; a refresh token takes its access tokens with it.
    pub fn revoke(&mut self, token: &str) -> bool {
        if self.refresh.remove(token).is_some() {
            self.access
                .retain(|_, a| a.refresh.as_deref() != Some(token));
            return true;
        }
        self.access.remove(token).is_some()
    }

    pub fn record(&mut self, entry: LogEntry) {
        if self.log.len() >= LOG_CAPACITY {
            self.log.drain(..LOG_CAPACITY / 2);
        }
        self.log.push(entry);
    }

    /// Drops expired access tokens and codes now and then, so a long run stays small.
    fn prune(&mut self, now: u64) {
        if self.access.len().is_multiple_of(4096) {
            self.access.retain(|_, t| now < t.expires_ms);
            self.codes
                .retain(|_, c| now.saturating_sub(c.issued_ms) < CODE_TTL_MS);
        }
    }
}
