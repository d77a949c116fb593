//! Talking to an authorization server: the authorize URL, the token grants, refresh, revoke,
//! introspect, and the readiness probe. Standard OAuth 2.0 (RFC 6749, 7636, 8252; RFC 9207's
//! `iss` is tolerated) with Salesforce's extra fields read when present.

use crate::net::SendLogged;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::jwt::Signer;
use crate::oauth::callback::query_pairs;
use crate::salesforce::diagnosis::{self, Diagnosis, Phase, Window};
use crate::secret::Secret;

/// A successful token response. Secrets stay wrapped; `Debug` masks them.
#[derive(Debug, Clone, Deserialize)]
pub struct Tokens {
    pub access_token: Secret,
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    #[serde(default)]
    pub id_token: Option<Secret>,
    /// Salesforce: the My Domain base URL for API calls.
    #[serde(default)]
    pub instance_url: Option<String>,
    /// Salesforce: the identity URL of the user.
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub token_type: Option<String>,
    #[serde(default)]
    pub issued_at: Option<String>,
    /// JWT bearer: the audience Salesforce accepted (not part of the answer).
    #[serde(skip)]
    pub audience: Option<String>,
}

impl Tokens {
    pub fn scopes(&self) -> Vec<&str> {
        self.scope
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .collect()
    }
}

/// A request that didn't succeed, as the server (or the network) put it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// An OAuth error body (`error`, `error_description`).
    OAuth {
        status: u16,
        error: String,
        description: String,
    },
    /// An HTTP error without a readable OAuth body.
    Status(u16),
    /// No answer: connection refused, timeout, TLS.
    Transport(String),
}

impl Failure {
    pub fn diagnose(&self, phase: Phase, window: Window) -> Diagnosis {
        match self {
            Failure::OAuth {
                status,
                error,
                description,
            } => {
                let found = diagnosis::diagnose(phase, error, description, window);
                // A server error the table doesn't know (UNKNOWN_EXCEPTION) is worth another try.
                if *status >= 500 && found.kind == diagnosis::Kind::Unknown {
                    Diagnosis {
                        kind: diagnosis::Kind::Transient,
                        ..found
                    }
                } else {
                    found
                }
            }
            Failure::Status(status) => diagnosis::diagnose_status(*status),
            Failure::Transport(detail) => match crate::transport::Transport::from_detail(detail) {
                Some(family) => family.diagnose(),
                None => diagnosis::diagnose_transport(detail),
            },
        }
    }
}

/// The answer to GET authorize without following redirects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// A login page or a redirect onward: the app is known.
    Ready,
    /// Salesforce's error page or an error redirect.
    Refused {
        error: String,
        description: String,
    },
    Unreachable(Failure),
}

/// One app (consumer key and, when needed, secret) at one login host.
#[derive(Debug, Clone)]
pub struct OAuthClient {
    http: &'static reqwest::Client,
    base: String,
    pub client_id: String,
    pub client_secret: Option<Secret>,
}

impl OAuthClient {
    pub fn new(base: &str, client_id: &str, client_secret: Option<Secret>) -> anyhow::Result<Self> {
        Ok(OAuthClient {
            http: crate::net::client()?,
            base: base.trim_end_matches('/').to_string(),
            client_id: client_id.to_string(),
            client_secret,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn http(&self) -> &'static reqwest::Client {
        self.http
    }

    pub fn token_url(&self) -> String {
        format!("{}/services/oauth2/token", self.base)
    }

    /// The authorize URL for the code flow with PKCE S256.
    pub fn authorize_url(
        &self,
        redirect_uri: &str,
        scopes: &[&str],
        state: &Secret,
        challenge: &str,
    ) -> String {
        let mut url = format!("{}/services/oauth2/authorize?", self.base);
        let scope = scopes.join(" ");
        let mut pairs = vec![
            ("response_type", "code"),
            ("client_id", self.client_id.as_str()),
            ("redirect_uri", redirect_uri),
        ];
        // No scopes: Salesforce grants every scope selected on the app.
        if !scope.is_empty() {
            pairs.push(("scope", &scope));
        }
        pairs.extend([
            ("state", state.expose()),
            ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
        ]);
        url.push_str(
            &url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish(),
        );
        url
    }

    /// GETs the authorize URL without following redirects, to learn whether Salesforce knows
    /// the app and the callback yet.
    pub async fn probe(&self, authorize_url: &str) -> Probe {
        let response = match self.http.get(authorize_url).send_logged().await {
            Ok(response) => response,
            Err(e) => return Probe::Unreachable(Failure::Transport(transport_detail(&e))),
        };
        let status = response.status().as_u16();
        if (300..400).contains(&status) {
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let query = location.split_once('?').map_or("", |(_, q)| q);
            let pairs = query_pairs(query);
            let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
            return match get("error") {
                Some(error) => Probe::Refused {
                    error,
                    description: get("error_description").unwrap_or_default(),
                },
                None => Probe::Ready,
            };
        }
        let body = read_body(response).await.unwrap_or_default();
        if status >= 500 {
            return Probe::Unreachable(Failure::Status(status));
        }
        match parse_error(status, &body) {
            Failure::OAuth {
                error, description, ..
            } if status >= 400 => Probe::Refused { error, description },
            _ if status >= 400 => Probe::Unreachable(Failure::Status(status)),
            _ => Probe::Ready,
        }
    }

    pub async fn exchange_code(
        &self,
        code: &Secret,
        redirect_uri: &str,
        verifier: &Secret,
    ) -> Result<Tokens, Failure> {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.expose()),
            ("client_id", self.client_id.as_str()),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier.expose()),
        ];
        if let Some(secret) = &self.client_secret {
            form.push(("client_secret", secret.expose()));
        }
        self.post_token(&form).await
    }

    /// Refreshes; `with_secret` false leaves the secret out, as integrations that refresh
    /// without it do.
    pub async fn refresh(
        &self,
        refresh_token: &Secret,
        with_secret: bool,
    ) -> Result<Tokens, Failure> {
        let mut form = vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose()),
            ("client_id", self.client_id.as_str()),
        ];
        if with_secret && let Some(secret) = &self.client_secret {
            form.push(("client_secret", secret.expose()));
        }
        self.post_token(&form).await
    }

    pub async fn client_credentials(&self) -> Result<Tokens, Failure> {
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
        ];
        if let Some(secret) = &self.client_secret {
            form.push(("client_secret", secret.expose()));
        }
        self.post_token(&form).await
    }

    /// JWT bearer: an RS256 assertion with `iss` = consumer key, `sub` = username, `aud` = the
    /// login host, valid for three minutes.
    pub async fn jwt_bearer(
        &self,
        signer: &Signer,
        username: &str,
        audience: &str,
        now_secs: u64,
    ) -> Result<Tokens, Failure> {
        let claims = serde_json::json!({
            "iss": self.client_id, "sub": username, "aud": audience, "exp": now_secs + 180,
        });
        let assertion = signer
            .sign(&claims, None)
            .map_err(|e| Failure::Transport(format!("couldn't sign the JWT: {e}")))?;
        let form = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", assertion.as_str()),
        ];
        self.post_token(&form).await
    }

    /// JWT bearer with each audience in turn (`LoginHost::jwt_audiences`) until one is not
    /// refused as "audience is invalid"; the tokens say which one was accepted. Any other
    /// refusal ends it: it wouldn't change with the audience.
    pub async fn jwt_bearer_any(
        &self,
        signer: &Signer,
        username: &str,
        audiences: &[String],
        now_secs: u64,
    ) -> Result<Tokens, Failure> {
        let mut last = None;
        for audience in audiences {
            match self.jwt_bearer(signer, username, audience, now_secs).await {
                Ok(mut tokens) => {
                    tokens.audience = Some(audience.clone());
                    return Ok(tokens);
                }
                Err(failure) if is_bad_audience(&failure) => last = Some(failure),
                Err(failure) => return Err(failure),
            }
        }
        Err(last.unwrap_or_else(|| Failure::Transport("no JWT audience to try".into())))
    }

    /// Revokes a token. Salesforce answers 200 with an empty body.
    pub async fn revoke(&self, token: &Secret) -> Result<(), Failure> {
        let url = format!("{}/services/oauth2/revoke", self.base);
        let response = self
            .http
            .post(url)
            .form(&[("token", token.expose())])
            .send_logged()
            .await;
        let response = response.map_err(|e| Failure::Transport(transport_detail(&e)))?;
        let status = response.status().as_u16();
        if response.status().is_success() {
            return Ok(());
        }
        let body = read_body(response).await.unwrap_or_default();
        Err(parse_error(status, &body))
    }

    /// RFC 7662 introspection with this app's credentials.
    pub async fn introspect(&self, token: &Secret) -> Result<serde_json::Value, Failure> {
        let url = format!("{}/services/oauth2/introspect", self.base);
        let mut form = vec![
            ("token", token.expose()),
            ("client_id", self.client_id.as_str()),
        ];
        if let Some(secret) = &self.client_secret {
            form.push(("client_secret", secret.expose()));
        }
        let response = self.http.post(url).form(&form).send_logged().await;
        read_json(response.map_err(|e| Failure::Transport(transport_detail(&e)))?).await
    }

    async fn post_token(&self, form: &[(&str, &str)]) -> Result<Tokens, Failure> {
        let response = self
            .http
            .post(self.token_url())
            .header("Accept", "application/json")
            .form(form)
            .send_logged()
            .await;
        let tokens: Tokens =
            read_json(response.map_err(|e| Failure::Transport(transport_detail(&e)))?).await?;
        // The answer names where the API is; only a Salesforce host may get the tokens.
        if let Some(instance) = &tokens.instance_url
            && let Err(why) = crate::salesforce::hosts::check_api_host(instance, self.base())
        {
            return Err(Failure::OAuth {
                status: 200,
                error: UNTRUSTED_INSTANCE.into(),
                description: crate::terminal_safe::terminal_safe(&why),
            });
        }
        Ok(tokens)
    }
}

/// Our code for a token response whose `instance_url` is no Salesforce host.
pub const UNTRUSTED_INSTANCE: &str = "untrusted_instance_url";

/// The most of an answer we read: Salesforce's are a few KiB; a hostile server's 1.5 GB body
/// must not take the memory with it.
pub const MAX_BODY: usize = 1 << 20;

/// The body as text, read chunk by chunk and refused past `MAX_BODY`. Every answer from
/// Salesforce is read through here (OAuth, apply, rotate, drift).
pub(crate) async fn read_body(mut response: reqwest::Response) -> Result<String, Failure> {
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Failure::Transport(transport_detail(&e)))?
    {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// A body past `MAX_BODY`: never read again, whoever asks.
fn too_large() -> Failure {
    Failure::Transport(crate::transport::Transport::TooLarge.detail().into())
}

/// Why `read_body` gave up, in words (it fails only in transport: a cut connection, a body
/// past `MAX_BODY`).
pub(crate) fn unread(failure: Failure) -> String {
    match failure {
        Failure::Transport(why) => why,
        other => other.diagnose(Phase::Unknown, Window::After).message,
    }
}

/// True when TLS failed because the server's certificate isn't trusted (a TLS-inspecting proxy,
/// most often): retrying can't help.
fn certificate_refused(error: &reqwest::Error) -> bool {
    matches!(
        find_tls_error(error),
        Some(rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented)
    )
}

/// The rustls error under a reqwest error: in its `source()` chain, or wrapped (twice, by
/// hyper-util) in an `io::Error`, which hides its inner error from `source()`.
fn find_tls_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    if let Some(tls) = error.downcast_ref::<rustls::Error>() {
        return Some(tls);
    }
    if let Some(inner) = error
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
        && let Some(tls) = find_tls_error(inner)
    {
        return Some(tls);
    }
    error.source().and_then(find_tls_error)
}

/// Reads a JSON success body, or turns the answer into a `Failure`.
pub async fn read_json<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, Failure> {
    let status = response.status().as_u16();
    let body = read_body(response).await?;
    if (200..300).contains(&status) {
        return serde_json::from_str(&body).map_err(|_| Failure::Status(status));
    }
    Err(parse_error(status, &body))
}

/// An OAuth error in JSON, form encoding or Salesforce's plain `Bad_OAuth_Token`; otherwise
/// just the status. Never keeps the body itself, which could echo something secret.
pub fn parse_error(status: u16, body: &str) -> Failure {
    // Error codes and descriptions are Salesforce's text: made safe for a terminal here, once.
    match read_error(status, body) {
        Failure::OAuth {
            status,
            error,
            description,
        } => Failure::OAuth {
            status,
            error: crate::terminal_safe::terminal_safe(&error),
            description: crate::terminal_safe::terminal_safe(&description),
        },
        other => other,
    }
}

fn read_error(status: u16, body: &str) -> Failure {
    #[derive(Deserialize)]
    struct OAuthBody {
        error: String,
        #[serde(default)]
        error_description: String,
    }
    if let Ok(parsed) = serde_json::from_str::<OAuthBody>(body) {
        return Failure::OAuth {
            status,
            error: parsed.error,
            description: parsed.error_description,
        };
    }
    if let Ok(list) = serde_json::from_str::<Vec<serde_json::Value>>(body)
        && let Some(first) = list.first()
        && let Some(code) = first.get("errorCode").and_then(|c| c.as_str())
    {
        let message = first
            .get("message")
            .and_then(|m| m.as_str())
            .unwrap_or_default();
        return Failure::OAuth {
            status,
            error: code.to_string(),
            description: message.to_string(),
        };
    }
    let pairs = query_pairs(body.trim());
    if let Some((_, error)) = pairs.iter().find(|(k, _)| k == "error") {
        let description = pairs
            .iter()
            .find(|(k, _)| k == "error_description")
            .map(|(_, v)| v.clone());
        return Failure::OAuth {
            status,
            error: error.clone(),
            description: description.unwrap_or_default(),
        };
    }
    if body.trim() == crate::salesforce::oauth_errors::BAD_OAUTH_TOKEN {
        return Failure::OAuth {
            status,
            error: body.trim().to_string(),
            description: String::new(),
        };
    }
    Failure::Status(status)
}

/// Salesforce's refusal of an assertion's `aud` (field-facts-2026.md: `invalid_grant`,
/// "audience is invalid", sometimes with `[audience=... login=...]` after it).
fn is_bad_audience(failure: &Failure) -> bool {
    matches!(failure, Failure::OAuth { error, description, .. }
        if error == "invalid_grant" && description.starts_with("audience is invalid"))
}

/// A short, secret-free description of a transport error (reqwest's Display can include the
/// URL, whose query may hold a code).
pub fn transport_detail(error: &reqwest::Error) -> String {
    if certificate_refused(error) {
        crate::salesforce::diagnosis::TLS_UNTRUSTED.into()
    } else {
        crate::transport::Transport::of(error).detail().into()
    }
}
