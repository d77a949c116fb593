//! The emulator's HTTP plumbing: a hyper HTTP/1.1 server per host on loopback, with limits on
//! header size, body size and slow clients, turning each request into a `Req` for the router.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::emulator::Shared;
use crate::emulator::http::{HostRole, Reply, Req};
use crate::salesforce::oauth_errors::rest;

/// Bodies above this are refused (token requests are a few hundred bytes).
const MAX_BODY: usize = 1024 * 1024;
/// hyper's read buffer bounds the request line plus headers.
const MAX_HEADER_BYTES: usize = 64 * 1024;
/// A client that has not sent its headers by then is dropped.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a request's body may take to arrive once its headers have.
const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// Accepts connections until `stop` turns true.
pub async fn serve(
    listener: std::net::TcpListener,
    host: HostRole,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    let Ok(port) = listener.local_addr().map(|a| a.port()) else {
        return;
    };
    let Ok(listener) = TcpListener::from_std(listener) else {
        return;
    };
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stop.changed() => break,
        };
        let Ok((stream, _peer)) = accepted else {
            // Out of file descriptors and the like: back off instead of spinning.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let shared = shared.clone();
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let shared = shared.clone();
                async move {
                    Ok::<_, std::convert::Infallible>(answer(&shared, host, port, request).await)
                }
            });
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(MAX_HEADER_BYTES)
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stop.changed() => connection.as_mut().graceful_shutdown(),
            }
        });
    }
}

async fn answer(
    shared: &Shared,
    host: HostRole,
    port: u16,
    request: Request<Incoming>,
) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    // A page on another name that resolves to 127.0.0.1 (DNS rebinding) can't talk to us; its
    // body is never read.
    let named = parts
        .headers
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok());
    if !is_own_host(named, port) {
        let reply = Reply::text(
            421,
            "This emulator answers only 127.0.0.1, localhost and [::1] on its port.\n",
        );
        return to_response(reply.with_header("Connection", "close".into()));
    }
    // A client that stalls mid-body gets as long as one that stalls in its headers.
    let collected =
        tokio::time::timeout(BODY_TIMEOUT, Limited::new(body, MAX_BODY).collect()).await;
    let body = match collected {
        Ok(Ok(collected)) => collected.to_bytes().to_vec(),
        Err(_) => {
            let reply = Reply::rest_error(
                408,
                ("REQUEST_TIMEOUT", "The request body didn't arrive in time"),
            );
            return to_response(reply.with_header("Connection", "close".into()));
        }
        Ok(Err(_)) => {
            // The rest of the body is never read, so this connection can't carry another
            // request: say so, or a client would reuse it and fail.
            let reply = Reply::rest_error(413, ("REQUEST_TOO_LARGE", "Request body too large"));
            return to_response(reply.with_header("Connection", "close".into()));
        }
    };
    let headers = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let target = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
    let req = Req::new(parts.method.as_str(), host, target, headers, body);
    let reply = shared.handle(&req);
    to_response(reply)
}

fn to_response(reply: Reply) -> Response<Full<Bytes>> {
    let mut builder = Response::builder()
        .status(reply.status)
        .header("Content-Type", reply.content_type);
    for (name, value) in &reply.headers {
        builder = builder.header(*name, value.as_str());
    }
    builder
        .body(Full::new(Bytes::from(reply.body)))
        .unwrap_or_else(|_| {
            let mut fallback =
                Response::new(Full::new(Bytes::from_static(rest::NOT_FOUND.1.as_bytes())));
            *fallback.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
            fallback
        })
}

/// The emulator's own names for a host listening on `port`, as the callback listener's:
/// `127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`.
pub fn is_own_host(host: Option<&str>, port: u16) -> bool {
    let Some((name, given)) = host.and_then(|h| h.rsplit_once(':')) else {
        return false;
    };
    given == port.to_string()
        && ["127.0.0.1", "localhost", "[::1]"]
            .iter()
            .any(|own| own.eq_ignore_ascii_case(name))
}

/// Binds a loopback listener (port 0 picks a free one), ready for tokio.
pub fn bind(port: u16) -> std::io::Result<(std::net::TcpListener, SocketAddr)> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    Ok((listener, addr))
}
