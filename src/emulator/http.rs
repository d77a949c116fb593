//! The emulator's view of HTTP: a request already read off the socket, and the reply to write.
//! Handlers work on these plain values, so they are independent of the server library.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;

use crate::salesforce::oauth_errors::OAuthError;

/// Which of the two hosts a request arrived on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HostRole {
    /// Plays `login.salesforce.com`.
    Login,
    /// Plays the org's My Domain.
    MyDomain,
    /// Plays `api.salesforce.com`, where the hosted MCP servers are.
    Mcp,
}

#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    pub host: HostRole,
    pub path: String,
    /// The raw query string, as sent.
    pub raw_query: String,
    pub query: Vec<(String, String)>,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The body as form fields, read once; None when it is not a form.
    form: Option<Vec<(String, String)>>,
}

impl Req {
    pub fn get(host: HostRole, target: &str) -> Req {
        Req::new("GET", host, target, Vec::new(), Vec::new())
    }

    /// Splits `target` into path and decoded query pairs.
    pub fn new(
        method: &str,
        host: HostRole,
        target: &str,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    ) -> Req {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let headers: Vec<(String, String)> = headers
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        let is_form = headers.iter().any(|(k, v)| {
            k == "content-type"
                && v.to_ascii_lowercase()
                    .starts_with("application/x-www-form-urlencoded")
        });
        Req {
            method: method.to_ascii_uppercase(),
            host,
            path: collapse_slashes(path),
            raw_query: query.to_string(),
            query: parse_form(query.as_bytes()),
            form: is_form.then(|| parse_form(&body)),
            headers,
            body,
        }
    }

    pub fn path_query(&self) -> &str {
        &self.raw_query
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn query_param(&self, name: &str) -> Option<&str> {
        first(&self.query, name)
    }

    /// The body as form fields, or None when it is not `application/x-www-form-urlencoded`.
    pub fn form(&self) -> Option<&[(String, String)]> {
        self.form.as_deref()
    }

    /// `Authorization: Basic` credentials, decoded.
    pub fn basic_auth(&self) -> Option<(String, String)> {
        let value = self.header("authorization")?;
        let (scheme, encoded) = value.split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return None;
        }
        let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
        let (user, password) = decoded.split_once(':')?;
        Some((percent_decode(user), percent_decode(password)))
    }

    /// A bearer token from `Authorization: Bearer|OAuth`, or the `oauth_token` query parameter
    /// (jsforce sends both to the identity URL).
    pub fn bearer(&self) -> Option<&str> {
        if let Some(value) = self.header("authorization") {
            let (scheme, token) = value.split_once(' ')?;
            let scheme = scheme.to_ascii_lowercase();
            return (scheme == "bearer" || scheme == "oauth").then(|| token.trim());
        }
        self.query_param("oauth_token")
    }

    /// A cookie's value.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.header("cookie")?.split(';').find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then_some(v)
        })
    }
}

pub fn first<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Decodes `a=b&c=d` with `+` as space and percent escapes; invalid UTF-8 becomes U+FFFD.
pub fn parse_form(bytes: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(bytes).into_owned().collect()
}

pub fn percent_decode(text: &str) -> String {
    let replaced = text.replace('+', " ");
    let bytes = replaced.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: &u8| char::from(*b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(hex),
                bytes.get(i + 2).and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encodes a value for a query string or form body.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `k=v&k=v`, encoded.
pub fn encode_form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, value: &impl Serialize) -> Reply {
        let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
        Reply {
            status,
            content_type: "application/json;charset=UTF-8",
            headers: vec![],
            body,
        }
    }

    pub fn text(status: u16, text: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain;charset=UTF-8",
            headers: vec![],
            body: text.as_bytes().to_vec(),
        }
    }

    pub fn html(status: u16, html: String) -> Reply {
        Reply {
            status,
            content_type: "text/html;charset=UTF-8",
            headers: vec![],
            body: html.into(),
        }
    }

    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            content_type: "text/plain;charset=UTF-8",
            headers: vec![],
            body: vec![],
        }
    }

    pub fn redirect(location: String) -> Reply {
        Reply::empty(302).with_header("Location", location)
    }

    /// A token-endpoint error: HTTP 400 JSON, never cached.
    pub fn oauth_error(error: OAuthError) -> Reply {
        Reply::json(
            400,
            &serde_json::json!({"error": error.error, "error_description": error.description}),
        )
        .with_header("Cache-Control", "no-store".into())
    }

    /// A REST error: a JSON array of one `{message, errorCode}`.
    pub fn rest_error(status: u16, (code, message): (&str, &str)) -> Reply {
        Reply::json(
            status,
            &serde_json::json!([{"message": message, "errorCode": code}]),
        )
    }

    pub fn with_header(mut self, name: &'static str, value: String) -> Reply {
        self.headers.push((name, value));
        self
    }

    /// The `error` code of an OAuth or REST error body, for the request log.
    pub fn error_code(&self) -> Option<String> {
        if self.status < 400 && self.status != 302 {
            return None;
        }
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&self.body) {
            let code = value
                .get("error")
                .or_else(|| value.get(0).and_then(|v| v.get("errorCode")))
                .or_else(|| value.pointer("/errors/0/message"));
            return code.and_then(|c| c.as_str()).map(String::from);
        }
        let text = String::from_utf8_lossy(&self.body);
        if let Some(location) = self.headers.iter().find(|(k, _)| *k == "Location") {
            let query = location.1.split_once('?').map_or("", |(_, q)| q);
            return first(&parse_form(query.as_bytes()), "error").map(String::from);
        }
        first(&parse_form(text.as_bytes()), "error").map(String::from)
    }
}

/// `//services/data/...` (sent by the Salesforce CLI when an instance URL ends in `/`) is served
/// like the single-slash path, as Salesforce does.
fn collapse_slashes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c != '/' || !out.ends_with('/') {
            out.push(c);
        }
    }
    out
}
