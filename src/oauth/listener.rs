//! The loopback listener that catches the browser's redirect (RFC 8252). It binds the first
//! free port among the app's localhost callback URLs, on 127.0.0.1 and ::1, and waits for one
//! callback with our `state`. Strays (favicons, preflights, old tabs) are answered and ignored.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use tiny_http::{Header, Request, Response, Server};

use crate::html::escape;
use crate::oauth::callback::{self, PasteError, Returned};
use crate::secret::Secret;

const PAGE: &str = include_str!("../../assets/callback/page.html");
/// Where the good callback is sent, so the code does not stay in the address bar.
const DONE_PATH: &str = "/done";
/// How long the listener stays up after the code to serve the "done" page.
const GRACE: Duration = Duration::from_secs(3);
const POLL: Duration = Duration::from_millis(100);

/// A bound listener, ready to wait for the callback.
pub struct Listener {
    servers: Vec<Arc<Server>>,
    pub port: u16,
    /// The callback URL that was bound: send exactly this as `redirect_uri`.
    pub redirect_uri: String,
    path: String,
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
}

/// Binds the first callback URL whose port is free. Only loopback `http` URLs qualify.
pub fn bind(callback_urls: &[String]) -> Result<Listener, BindError> {
    let mut tried = Vec::new();
    for url_text in callback_urls {
        let Ok(url) = url::Url::parse(url_text) else {
            tried.push((url_text.clone(), "not a URL".into()));
            continue;
        };
        let host = url.host_str().unwrap_or_default();
        let (v4, v6) = match host {
            "localhost" => (true, true),
            "127.0.0.1" => (true, false),
            "[::1]" | "::1" => (false, true),
            _ => {
                tried.push((url_text.clone(), "not a loopback address".into()));
                continue;
            }
        };
        if url.scheme() != "http" {
            tried.push((url_text.clone(), "not http".into()));
            continue;
        }
        let Some(port) = url.port() else {
            tried.push((url_text.clone(), "no port".into()));
            continue;
        };
        // Bind by trying, never by probing with a connect.
        let mut servers = Vec::new();
        let mut why = None;
        if v4 {
            match serve_on(SocketAddr::from((Ipv4Addr::LOCALHOST, port))) {
                Ok(server) => servers.push(server),
                Err(e) => why = Some(e),
            }
        }
        if v6 && (servers.len() == 1 || !v4) {
            match serve_on(SocketAddr::from((Ipv6Addr::LOCALHOST, port))) {
                Ok(server) => servers.push(server),
                // No IPv6 on this machine is fine when 127.0.0.1 is bound.
                Err(e) if servers.is_empty() => why = Some(e),
                Err(_) => {}
            }
        }
        if servers.is_empty() {
            tried.push((
                url_text.clone(),
                why.unwrap_or_else(|| "could not bind".into()),
            ));
            continue;
        }
        return Ok(Listener {
            servers,
            port,
            redirect_uri: url_text.clone(),
            path: url.path().to_string(),
        });
    }
    Err(BindError { tried })
}

fn serve_on(addr: SocketAddr) -> Result<Arc<Server>, String> {
    let listener = TcpListener::bind(addr).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => "port in use".to_string(),
        _ => e.kind().to_string(),
    })?;
    Server::from_listener(listener, None)
        .map(Arc::new)
        .map_err(|e| e.to_string())
}

impl Listener {
    /// Waits for the callback with `state`. Returns the code or the error it carried.
    pub fn wait(
        self,
        state: &Secret,
        timeout: Duration,
        cancel: &AtomicBool,
    ) -> Result<Returned, WaitError> {
        let (tx, rx) = mpsc::channel::<Request>();
        let stop = Arc::new(AtomicBool::new(false));
        let pumps: Vec<_> = self
            .servers
            .iter()
            .map(|server| {
                let (server, tx, stop) = (server.clone(), tx.clone(), stop.clone());
                thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        match server.recv_timeout(POLL) {
                            Ok(Some(request)) => {
                                if tx.send(request).is_err() {
                                    break;
                                }
                            }
                            Ok(None) => {}
                            Err(_) => break,
                        }
                    }
                })
            })
            .collect();
        drop(tx);
        let result = self.serve(&rx, state, timeout, cancel);
        stop.store(true, Ordering::Relaxed);
        for pump in pumps {
            let _ = pump.join();
        }
        result
    }

    fn serve(
        &self,
        rx: &mpsc::Receiver<Request>,
        state: &Secret,
        timeout: Duration,
        cancel: &AtomicBool,
    ) -> Result<Returned, WaitError> {
        let deadline = Instant::now() + timeout;
        let mut outcome: Option<Returned> = None;
        let mut grace_until = None;
        loop {
            if let Some(until) = grace_until
                && Instant::now() >= until
            {
                break;
            }
            if outcome.is_none() {
                if cancel.load(Ordering::Relaxed) {
                    return Err(WaitError::Cancelled);
                }
                if Instant::now() >= deadline {
                    return Err(WaitError::TimedOut(timeout.as_secs()));
                }
            }
            let Ok(request) = rx.recv_timeout(POLL) else {
                continue;
            };
            let done = self.answer(request, state, &mut outcome);
            if outcome.is_some() && grace_until.is_none() {
                grace_until = Some(Instant::now() + GRACE);
            }
            if done {
                break;
            }
        }
        outcome.ok_or(WaitError::Cancelled)
    }

    /// Answers one request; true when the browser has seen the final page.
    fn answer(&self, request: Request, state: &Secret, outcome: &mut Option<Returned>) -> bool {
        let target = request.url().to_string();
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        let method = request.method().as_str().to_ascii_uppercase();
        if method == "OPTIONS" {
            let response = with(Response::empty(204), "Allow", "GET, OPTIONS");
            let response = with(response, "Access-Control-Allow-Private-Network", "true");
            let _ = request.respond(response);
            return false;
        }
        if path == "/favicon.ico" {
            let _ = request.respond(Response::empty(404));
            return false;
        }
        if path == DONE_PATH {
            let page = match outcome {
                Some(Returned::Code(_)) => success_page(),
                _ => page(
                    "Nothing to see here",
                    "This page is only shown after a successful login.",
                    "",
                    '?',
                    "#6b7280",
                ),
            };
            let _ = request.respond(html(200, page));
            return outcome.is_some();
        }
        if path != self.path {
            let _ = request.respond(html(
                404,
                page(
                    "Not found",
                    "eca-wizard is only waiting for the login callback here.",
                    "",
                    '?',
                    "#6b7280",
                ),
            ));
            return false;
        }
        if method != "GET" {
            let _ = request.respond(with(Response::empty(405), "Allow", "GET, OPTIONS"));
            return false;
        }
        if outcome.is_some() {
            let _ = request.respond(html(
                200,
                page(
                    "Already connected",
                    "This login was already completed. You can close this tab.",
                    "",
                    '✓',
                    "#2e844a",
                ),
            ));
            return false;
        }
        match callback::from_query(query, state) {
            Ok(Returned::Code(code)) => {
                *outcome = Some(Returned::Code(code));
                let _ = request.respond(with(Response::empty(303), "Location", DONE_PATH));
                false
            }
            Ok(Returned::Error { error, description }) => {
                let message = format!("Salesforce refused the login: {error}. {description}");
                let hint = "Go back to the terminal: eca-wizard explains what to change.";
                let _ = request.respond(html(
                    200,
                    page("Login refused", &message, hint, '!', "#ba0517"),
                ));
                *outcome = Some(Returned::Error { error, description });
                true
            }
            Err(PasteError::WrongState) => {
                let message = "This login came from another attempt (its state doesn't match), so it was ignored. Use the newest link from eca-wizard.";
                let _ = request.respond(html(
                    400,
                    page(
                        "Not this login",
                        message,
                        "eca-wizard is still waiting.",
                        '!',
                        "#a96404",
                    ),
                ));
                false
            }
            Err(_) => {
                let message =
                    "This address carries no code. Start the login from the link eca-wizard shows.";
                let _ = request.respond(html(
                    400,
                    page(
                        "No code here",
                        message,
                        "eca-wizard is still waiting.",
                        '!',
                        "#a96404",
                    ),
                ));
                false
            }
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

fn html(status: u16, body: String) -> Response<std::io::Cursor<Vec<u8>>> {
    let response = Response::from_string(body).with_status_code(status);
    let response = with(response, "Content-Type", "text/html; charset=utf-8");
    let response = with(response, "Cache-Control", "no-store");
    with(response, "Referrer-Policy", "no-referrer")
}

/// Adds a header; tiny_http refuses only non-ASCII, which our constant headers never are.
fn with<R: std::io::Read>(response: Response<R>, name: &str, value: &str) -> Response<R> {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(header) => response.with_header(header),
        Err(()) => response,
    }
}
