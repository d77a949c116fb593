//! The one HTTP client of the process: TLS through rustls with the ring provider, redirects
//! off (OAuth responses are read, never followed), timeouts on every request, and proxies from
//! the environment (`HTTPS_PROXY`, `NO_PROXY`).

use std::sync::OnceLock;
use std::time::Duration;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The shared client, built on first use.
pub fn client() -> anyhow::Result<&'static reqwest::Client> {
    static CLIENT: OnceLock<Result<reqwest::Client, String>> = OnceLock::new();
    let built = CLIENT.get_or_init(|| {
        // Only the first install wins; a second one (e.g. from a test harness) is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("eca-wizard/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())
    });
    built
        .as_ref()
        .map_err(|e| anyhow::anyhow!("can't set up HTTPS: {e}"))
}

/// Error bodies up to this size are read here for the debug log's error code (Salesforce's are
/// a few hundred bytes); larger or unsized ones are left to the caller, unread.
const LOGGED_BODY: u64 = 64 * 1024;

/// Sends a request. With the debug log on, writes one line for it (see `debug_log`); the
/// answer the caller gets is the same either way.
pub async fn send(builder: reqwest::RequestBuilder) -> reqwest::Result<reqwest::Response> {
    if !crate::debug_log::enabled() {
        return builder.send().await;
    }
    let (client, request) = builder.build_split();
    let request = request?;
    let (method, url) = (request.method().to_string(), request.url().clone());
    let started = std::time::Instant::now();
    let record = |outcome: String, error_code: Option<String>| {
        crate::debug_log::record(&crate::debug_log::Line {
            method: &method,
            url: &url,
            outcome,
            error_code,
            elapsed: started.elapsed(),
        });
    };
    let response = match client.execute(request).await {
        Ok(response) => response,
        Err(e) => {
            record(
                format!("failed {}", crate::transport::Transport::of(&e).code()),
                None,
            );
            return Err(e);
        }
    };
    let status = response.status();
    let small = response.content_length().is_some_and(|n| n <= LOGGED_BODY);
    if status.as_u16() < 400 || !small {
        record(status.as_u16().to_string(), None);
        return Ok(response);
    }
    let (version, headers) = (response.version(), response.headers().clone());
    let body = response.bytes().await.inspect_err(|e| {
        record(
            format!(
                "{} failed {}",
                status.as_u16(),
                crate::transport::Transport::of(e).code()
            ),
            None,
        );
    })?;
    record(
        status.as_u16().to_string(),
        crate::debug_log::error_code(&body),
    );
    let mut rebuilt = hyper::Response::builder().status(status).version(version);
    if let Some(all) = rebuilt.headers_mut() {
        *all = headers;
    }
    match rebuilt.body(body) {
        Ok(rebuilt) => Ok(reqwest::Response::from(rebuilt)),
        // Can't happen with parts taken from a response; an answer is still owed.
        Err(_) => unreachable_response(status),
    }
}

fn unreachable_response(status: reqwest::StatusCode) -> reqwest::Result<reqwest::Response> {
    let empty = hyper::Response::builder()
        .status(status)
        .body(bytes::Bytes::new())
        .unwrap_or_default();
    Ok(reqwest::Response::from(empty))
}

/// `.send_logged()` on a request builder: `send` as a method, so a chain reads as before.
pub trait SendLogged {
    fn send_logged(
        self,
    ) -> impl std::future::Future<Output = reqwest::Result<reqwest::Response>> + Send;
}

impl SendLogged for reqwest::RequestBuilder {
    fn send_logged(
        self,
    ) -> impl std::future::Future<Output = reqwest::Result<reqwest::Response>> + Send {
        send(self)
    }
}
