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
