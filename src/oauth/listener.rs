//! The loopback listener that catches the browser's redirect (RFC 8252). It binds the first
//! free port among the app's localhost callback URLs, on 127.0.0.1 and ::1, and waits for one
//! callback with our `state`. Strays (favicons, preflights, old tabs) are answered and ignored.
//!
//! It speaks HTTP through hyper with keep-alive off: a browser must never hold a connection to
//! a listener that has finished, or its next login on the same port would hang on it.

use std::convert::Infallible;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

use crate::html::escape;
use crate::oauth::callback::{self, PasteError, Returned};
use crate::secret::Secret;

const PAGE: &str = include_str!("../../assets/callback/page.html");
/// Where the good callback is sent, so the code does not stay in the address bar.
const DONE_PATH: &str = "/done";
/// How long the listener stays up after the code to serve the "done" page.
const GRACE: Duration = Duration::from_secs(3);
/// How long an error callback that came from no browser navigation waits for a real callback:
/// the authorize URL, state included, is in the browser's command line, so a local program can
/// read it and end the login with a forged `error=access_denied` (PKCE keeps the code safe).
const UNEXPECTED_ERROR_GRACE: Duration = Duration::from_secs(10);
/// Said with an error that arrived without a browser's navigation headers.
pub const POSSIBLY_FORGED: &str = "(This refusal reached eca-wizard without a browser's navigation headers: if you didn't refuse the login, another program on this computer may have sent it. Log in again.)";
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// A bound listener, ready to wait for the callback.
#[derive(Debug)]
pub struct Listener {
    sockets: Vec<std::net::TcpListener>,
    pub port: u16,
    /// The callback URL that was bound: send exactly this as `redirect_uri`.
    pub redirect_uri: String,
    path: String,
    /// See `UNEXPECTED_ERROR_GRACE`.
    error_grace: Duration,
}

/// Every callback URL tried and why it couldn't be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no callback URL could be used: {}", describe(.tried))]
pub struct BindError {
    pub tried: Vec<(String, String)>,
}

fn describe(tried: &[(String, String)]) -> String {
    tried
        .iter()
        .map(|(url, why)| format!("{url} ({why})"))
        .collect::<Vec<_>>()
        .join("; ")
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WaitError {
    #[error("no callback arrived within {0} seconds")]
    TimedOut(u64),
    #[error("cancelled")]
    Cancelled,
    #[error("the listener could not start: {0}")]
    Io(String),
}

/// Binds the first callback URL whose port is free. Only loopback `http` URLs qualify.
pub fn bind(callback_urls: &[String]) -> Result<Listener, BindError> {
    let mut tried = Vec::new();
    for url_text in callback_urls {
        match bind_one(url_text) {
            Ok(listener) => return Ok(listener),
            Err(why) => tried.push((url_text.clone(), why)),
        }
    }
    Err(BindError { tried })
}

fn bind_one(url_text: &str) -> Result<Listener, String> {
    let url = url::Url::parse(url_text).map_err(|_| "not a URL".to_string())?;
    let (v4, v6) = match url.host_str().unwrap_or_default() {
        "localhost" => (true, true),
        "127.0.0.1" => (true, false),
        "[::1]" | "::1" => (false, true),
        _ => return Err("not a loopback address".into()),
    };
    if url.scheme() != "http" {
        return Err("not http".into());
    }
    let port = url.port().ok_or("no port")?;
    // Bind by trying, never by probing with a connect.
    let mut sockets = Vec::new();
    if v4 {
        sockets.push(socket(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?);
    }
    if v6 {
        match socket(SocketAddr::from((Ipv6Addr::LOCALHOST, port))) {
            Ok(s) => sockets.push(s),
            // Another process on [::1]:PORT would get the code when the browser resolves
            // localhost to ::1 first: the port is taken, try the next.
            Err(why) if why == PORT_IN_USE => return Err(why),
            // No IPv6 on this machine is fine when 127.0.0.1 is bound.
            Err(_) if !sockets.is_empty() => {}
            Err(why) => return Err(why),
        }
    }
    Ok(Listener {
        sockets,
        port,
        redirect_uri: url_text.to_string(),
        path: url.path().to_string(),
        error_grace: UNEXPECTED_ERROR_GRACE,
    })
}

const PORT_IN_USE: &str = "port in use";

/// Where the wizard looks for a free callback port when the app's are all taken: next to its
/// own (7717-7719), so the line added to the app reads like theirs.
const SPARE_PORTS: std::ops::RangeInclusive<u16> = 7720..=7799;

/// A loopback port free on both 127.0.0.1 and ::1 right now, for a callback URL the admin can
/// add to the app. Free now is no promise for later; the listener binds by trying anyway.
pub fn spare_callback_port() -> Option<u16> {
    SPARE_PORTS
        .into_iter()
        .find(|&port| bind_one(&format!("http://localhost:{port}/callback")).is_ok())
}

fn socket(addr: SocketAddr) -> Result<std::net::TcpListener, String> {
    let listener = std::net::TcpListener::bind(addr).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => PORT_IN_USE.to_string(),
        kind => kind.to_string(),
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| e.kind().to_string())?;
    Ok(listener)
}

/// What the listener has seen so far, shared by its connections.
struct Seen {
    outcome: Option<Returned>,
    /// The browser has been shown the final page.
    finished: bool,
    /// The error in `outcome` came without a browser's navigation headers.
    unexpected: bool,
}

/// Where the wait is: still waiting, waiting a little longer after an unexpected error for a
/// real callback, or serving the "done" page after the code.
#[derive(PartialEq, Eq)]
enum Phase {
    Waiting,
    AfterUnexpectedError,
    Done,
}

struct Shared {
    seen: Mutex<Seen>,
    changed: Notify,
    state: Secret,
    path: String,
    port: u16,
}

impl Shared {
    fn seen(&self) -> MutexGuard<'_, Seen> {
        self.seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Listener {
    /// How long an error that came from no browser navigation waits for a real callback.
    pub fn with_error_grace(mut self, grace: Duration) -> Self {
        self.error_grace = grace;
        self
    }

    /// Waits for the callback with `state`. Returns the code or the error it carried; an error
    /// that came from no browser navigation is held for a while in case the real callback
    /// follows, and says it may be forged.
    pub async fn wait(
        self,
        state: &Secret,
        timeout: Duration,
        cancel: watch::Receiver<bool>,
    ) -> Result<Returned, WaitError> {
        let shared = Arc::new(Shared {
            seen: Mutex::new(Seen {
                outcome: None,
                finished: false,
                unexpected: false,
            }),
            changed: Notify::new(),
            state: state.clone(),
            path: self.path.clone(),
            port: self.port,
        });
        let mut servers = JoinSet::new();
        for socket in self.sockets {
            let listener =
                TcpListener::from_std(socket).map_err(|e| WaitError::Io(e.kind().to_string()))?;
            servers.spawn(accept(listener, shared.clone()));
        }
        // One timer: the timeout while waiting, then a grace period (for the "done" page, or
        // for a real callback after an unexpected error).
        let timer = tokio::time::sleep(timeout);
        tokio::pin!(timer);
        let mut phase = Phase::Waiting;
        let cancelled = crate::cancel::cancelled(cancel);
        tokio::pin!(cancelled);
        loop {
            tokio::select! {
                () = shared.changed.notified() => {
                    let seen = shared.seen();
                    if seen.finished {
                        break;
                    }
                    let (next, grace) = match &seen.outcome {
                        Some(Returned::Code(_)) => (Phase::Done, GRACE),
                        Some(Returned::Error { .. }) => (Phase::AfterUnexpectedError, self.error_grace),
                        None => continue,
                    };
                    if phase != next && phase != Phase::Done {
                        phase = next;
                        timer.as_mut().reset(tokio::time::Instant::now() + grace);
                    }
                }
                () = &mut timer => {
                    if phase != Phase::Waiting {
                        break;
                    }
                    return Err(WaitError::TimedOut(timeout.as_secs()));
                }
                () = &mut cancelled, if phase != Phase::Done => {
                    if phase == Phase::Waiting {
                        return Err(WaitError::Cancelled);
                    }
                    break;
                }
            }
        }
        // Dropping the set stops accepting and ends every connection: the port is free again.
        drop(servers);
        let mut seen = shared.seen();
        match seen.outcome.take() {
            Some(Returned::Error { error, description }) if seen.unexpected => {
                Ok(Returned::Error {
                    error,
                    description: format!("{description} {POSSIBLY_FORGED}")
                        .trim()
                        .to_string(),
                })
            }
            Some(outcome) => Ok(outcome),
            None => Err(WaitError::Cancelled),
        }
    }
}

async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let shared = shared.clone();
        connections.spawn(async move {
            let service = service_fn(move |request| {
                let shared = shared.clone();
                async move { Ok::<_, Infallible>(answer(&shared, &request)) }
            });
            let _ = http1::Builder::new()
                .keep_alive(false)
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(MAX_HEADER_BYTES)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
        // Reap finished connections so a long wait doesn't accumulate them.
        while connections.try_join_next().is_some() {}
    }
}

type Reply = Response<Full<Bytes>>;

/// Answers one request.
fn answer<B>(shared: &Shared, request: &Request<B>) -> Reply {
    let path = request.uri().path();
    let query = request.uri().query().unwrap_or_default();
    let method = request.method().as_str();
    // A page on another name that resolves to 127.0.0.1 (DNS rebinding) can't talk to us.
    let host = request
        .headers()
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let port = shared.port;
    let loopback = [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ];
    if !loopback.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return respond(421, String::new(), &[]);
    }
    if method == "OPTIONS" {
        return respond(
            204,
            String::new(),
            // No Access-Control-Allow-Private-Network: no web page needs to reach the listener.
            &[("Allow", "GET, OPTIONS")],
        );
    }
    if path == "/favicon.ico" {
        return respond(404, String::new(), &[]);
    }
    let mut seen = shared.seen();
    if path == DONE_PATH {
        let body = match seen.outcome {
            Some(Returned::Code(_)) => {
                seen.finished = true;
                shared.changed.notify_one();
                success_page()
            }
            _ => page(
                "Nothing to see here",
                "This page is only shown after a successful login.",
                "",
                '?',
                "#6b7280",
            ),
        };
        return html(200, body);
    }
    if path != shared.path {
        return html(
            404,
            page(
                "Not found",
                "eca-wizard is only waiting for the login callback here.",
                "",
                '?',
                "#6b7280",
            ),
        );
    }
    if method != "GET" {
        return respond(405, String::new(), &[("Allow", "GET, OPTIONS")]);
    }
    // During the wait after an unexpected error, the real callback still wins.
    let holding_error = matches!(seen.outcome, Some(Returned::Error { .. })) && seen.unexpected;
    if seen.outcome.is_some() && !holding_error {
        return html(
            200,
            page(
                "Already connected",
                "This login was already completed. You can close this tab.",
                "",
                '✓',
                "#2e844a",
            ),
        );
    }
    match callback::from_query(query, &shared.state) {
        Ok(Returned::Code(code)) => {
            seen.outcome = Some(Returned::Code(code));
            shared.changed.notify_one();
            respond(303, String::new(), &[("Location", DONE_PATH)])
        }
        Ok(Returned::Error { .. }) if holding_error => html(
            200,
            page(
                "Already answered",
                "This login already has an answer.",
                "",
                '!',
                "#a96404",
            ),
        ),
        Ok(Returned::Error { error, description }) => {
            let message = format!("Salesforce refused the login: {error}. {description}");
            let hint = "Go back to the terminal: eca-wizard explains what to change.";
            seen.outcome = Some(Returned::Error { error, description });
            // A browser navigating here sends Sec-Fetch-Mode: navigate (Fetch Metadata); a
            // program that read the URL from the browser's command line doesn't.
            let navigated = request
                .headers()
                .get("sec-fetch-mode")
                .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"navigate"));
            seen.unexpected = !navigated;
            seen.finished = navigated;
            shared.changed.notify_one();
            html(200, page("Login refused", &message, hint, '!', "#ba0517"))
        }
        Err(PasteError::ErrorWithoutState) => {
            let message = "An error arrived without this login's state, so it can't be told from a stray web page and was ignored.";
            html(
                400,
                page(
                    "Not this login",
                    message,
                    "eca-wizard is still waiting for Salesforce's answer.",
                    '!',
                    "#a96404",
                ),
            )
        }
        Err(PasteError::WrongState) => {
            let message = "This login came from another attempt (its state doesn't match), so it was ignored. Use the newest link from eca-wizard.";
            html(
                400,
                page(
                    "Not this login",
                    message,
                    "eca-wizard is still waiting.",
                    '!',
                    "#a96404",
                ),
            )
        }
        Err(_) => {
            let message =
                "This address carries no code. Start the login from the link eca-wizard shows.";
            html(
                400,
                page(
                    "No code here",
                    message,
                    "eca-wizard is still waiting.",
                    '!',
                    "#a96404",
                ),
            )
        }
    }
}

fn success_page() -> String {
    page(
        "Connected",
        "Salesforce approved the login. eca-wizard is now checking the connection.",
        "You can close this tab and go back to the terminal.",
        '✓',
        "#2e844a",
    )
}

fn page(title: &str, message: &str, hint: &str, mark: char, accent: &str) -> String {
    PAGE.replace("{{TITLE}}", &escape(title))
        .replace("{{MESSAGE}}", &escape(message))
        .replace("{{HINT}}", &escape(hint))
        .replace("{{MARK}}", &escape(&mark.to_string()))
        .replace("{{ACCENT}}", accent)
}

fn html(status: u16, body: String) -> Reply {
    let headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-store"),
        ("Referrer-Policy", "no-referrer"),
    ];
    respond(status, body, &headers)
}

fn respond(status: u16, body: String, headers: &[(&str, &str)]) -> Reply {
    let mut builder = Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}
