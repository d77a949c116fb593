//! `--debug`, `--log-file` and `ECA_WIZARD_LOG=debug`: one line per request for a support case:
//! method, host, path, status, Salesforce's error code, time taken and the proxy, never a
//! value (no query, no body, no header). Hand-rolled rather than `tracing`: one event kind,
//! one sink, no levels or spans to carry, and nothing more to build on 2-core CI.

use std::io::Write;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

static SINK: OnceLock<Mutex<Box<dyn Write + Send>>> = OnceLock::new();

/// Turns the log on: to `file` (appended, owner-only) or stderr. Later calls change nothing.
pub fn start(file: Option<&std::path::Path>) -> std::io::Result<()> {
    let sink: Box<dyn Write + Send> = match file {
        Some(path) => {
            let mut options = std::fs::OpenOptions::new();
            options.create(true).append(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            Box::new(options.open(path)?)
        }
        None => Box::new(std::io::stderr()),
    };
    let _ = SINK.set(Mutex::new(sink));
    Ok(())
}

/// Whether `ECA_WIZARD_LOG` asks for the log.
pub fn asked_by_environment() -> bool {
    std::env::var("ECA_WIZARD_LOG").is_ok_and(|v| matches!(v.as_str(), "debug" | "1" | "true"))
}

pub fn enabled() -> bool {
    SINK.get().is_some()
}

/// What one request did, as the log line says it.
pub struct Line<'a> {
    pub method: &'a str,
    pub url: &'a url::Url,
    /// The HTTP status, or the transport family's code when there was no answer.
    pub outcome: String,
    pub error_code: Option<String>,
    pub elapsed: Duration,
}

pub fn record(line: &Line<'_>) {
    let Some(sink) = SINK.get() else { return };
    let host = line.url.host_str().unwrap_or("?");
    let port = line.url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let code = line
        .error_code
        .as_deref()
        .map(|c| format!(" error={}", crate::terminal_safe::terminal_safe(c)))
        .unwrap_or_default();
    let proxy = proxy_for(line.url)
        .map(|p| format!(" proxy={p}"))
        .unwrap_or_default();
    let text = format!(
        "eca-wizard debug: {} {host}{port} {} {}{code} {}ms{proxy}\n",
        line.method,
        line.url.path(),
        line.outcome,
        line.elapsed.as_millis()
    );
    if let Ok(mut out) = sink.lock() {
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }
}

/// The proxy the environment names for this URL's scheme (host and port only, never its
/// credentials), unless the host is loopback or listed in NO_PROXY.
fn proxy_for(url: &url::Url) -> Option<String> {
    let host = url.host_str()?;
    if host == "localhost" || host.starts_with("127.") || host == "[::1]" {
        return None;
    }
    let no_proxy = env_any(&["NO_PROXY", "no_proxy"]).unwrap_or_default();
    let bypassed = no_proxy.split(',').map(str::trim).any(|entry| {
        entry == "*" || (!entry.is_empty() && host.ends_with(entry.trim_start_matches('.')))
    });
    if bypassed {
        return None;
    }
    let names: &[&str] = if url.scheme() == "https" {
        &["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
    } else {
        &["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
    };
    let proxy = url::Url::parse(&env_any(names)?).ok()?;
    let port = proxy.port().map(|p| format!(":{p}")).unwrap_or_default();
    Some(format!("{}{port}", proxy.host_str()?))
}

fn env_any(names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|n| std::env::var(n).ok().filter(|v| !v.is_empty()))
}

/// Salesforce's error code in an error body (`error`, or a REST array's `errorCode`); the code
/// only, never the description or anything else.
pub fn error_code(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let code = value
        .get("error")
        .or_else(|| value.get(0).and_then(|first| first.get("errorCode")))?;
    code.as_str()
        .filter(|c| c.len() <= 80 && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_'))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_code_is_taken_from_a_body() {
        let oauth = br#"{"error":"invalid_grant","error_description":"secret 12345"}"#;
        assert_eq!(super::error_code(oauth).as_deref(), Some("invalid_grant"));
        let rest = br#"[{"errorCode":"INVALID_SESSION_ID","message":"x"}]"#;
        assert_eq!(
            super::error_code(rest).as_deref(),
            Some("INVALID_SESSION_ID")
        );
        // Anything that isn't a code shape is left out.
        assert_eq!(
            super::error_code(br#"{"error":"a value with spaces"}"#),
            None
        );
    }
}
