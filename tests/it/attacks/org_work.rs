//! Attacks on the work `apply`, `rotate` and `status --drift` do in an admin's org: a session
//! for another org than the profile's (id forms, case, tokens without `!`, the CLI and its token
//! disagreeing, a token on stdin), restore markers that would run options or touch another org,
//! the SOAP `readMetadata` body and hostile answers to it, a staged pair answered without its
//! secret, the JWT audience fallback, and hostile requests to the emulator's SOAP endpoint.

mod binding;
mod credentials;
mod markers;
mod soap;

use std::time::Instant;

use eca_wizard::apply::session::Session;
use eca_wizard::emulator::Emulator;
use eca_wizard::emulator::org::DEMO_APP;

use super::*;

/// A canned answer: path fragment, status, body.
type Route = (String, u16, Vec<u8>);

/// A loopback server answering `METHOD /path-prefix` routes, recording every request with its
/// body. Unrouted requests get a 404.
#[derive(Clone, Default)]
struct Recorder {
    routes: Arc<Mutex<Vec<Route>>>,
    seen: Arc<Mutex<Vec<(String, String)>>>,
}

impl Recorder {
    async fn start(routes: Vec<(&str, u16, Vec<u8>)>) -> (Recorder, String) {
        let recorder = Recorder {
            routes: Arc::new(Mutex::new(
                routes
                    .into_iter()
                    .map(|(r, s, b)| (r.to_string(), s, b))
                    .collect(),
            )),
            ..Recorder::default()
        };
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let serving = recorder.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let recorder = serving.clone();
                tokio::spawn(async move {
                    let Some((line, body)) = read_whole(&mut stream).await else {
                        return;
                    };
                    recorder.seen.lock().unwrap().push((line.clone(), body));
                    let (status, answer) = {
                        let routes = recorder.routes.lock().unwrap();
                        routes
                            .iter()
                            .find(|(route, _, _)| line.starts_with(route.as_str()))
                            .map_or((404, b"[]".to_vec()), |(_, s, b)| (*s, b.clone()))
                    };
                    let head = format!(
                        "HTTP/1.1 {status} X\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        answer.len()
                    );
                    let _ = stream.write_all(head.as_bytes()).await;
                    let _ = stream.write_all(&answer).await;
                });
            }
        });
        (recorder, base)
    }

    /// `METHOD /path` of each request so far (query dropped).
    fn lines(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .map(|(l, _)| l.clone())
            .collect()
    }

    fn bodies(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .map(|(_, b)| b.clone())
            .collect()
    }
}

/// One request: `METHOD /path` and its body.
async fn read_whole(stream: &mut tokio::net::TcpStream) -> Option<(String, String)> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    while buffer.len() < end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let mut words = head.split_whitespace();
    let method = words.next()?.to_string();
    let path = words.next()?.split('?').next()?.to_string();
    let body = String::from_utf8_lossy(&buffer[end..]).into_owned();
    Some((format!("{method} {path}"), body))
}

fn session(base: &str, token: &str, org_id: Option<&str>) -> Session {
    Session {
        instance_url: base.to_string(),
        username: None,
        org_id: org_id.map(String::from),
        api_version: None,
        target: Some("acme".into()),
        token: Secret::new(token.to_string()),
        source: "the Salesforce CLI's login acme".into(),
        notes: Vec::new(),
    }
}

fn profile(org_id: Option<&str>) -> eca_wizard::profile::Profile {
    let org = org_id.map_or(String::new(), |o| format!("org_id = \"{o}\"\n"));
    toml::from_str(&format!(
        "format = 2\nname = \"acme\"\nrecipe = \"custom\"\nflow = \"client-credentials\"\nlogin_url = \"https://a.my.salesforce.com\"\ninstance_url = \"https://a.my.salesforce.com\"\nclient_id = \"3MVG9key\"\n{org}secrets = \"keychain\"\n"
    ))
    .unwrap()
}

const ORG_1: &str = "00D5g0000000001EAA";
const ORG_2: &str = "00D5g0000000002EAA";

struct Org1 {
    emulator: Emulator,
    home: crate::common::temp::Folder,
    sf: crate::common::temp::Folder,
    admin_token: String,
}

/// The demo org with a client-credentials profile `sbs` saved by `connect` (bound to the org).
async fn org_with_profile(name: &str) -> Org1 {
    let home = home(&format!("org-{name}"));
    let (emulator, admin_token) = demo_org_with_sbs_profile(&home).await;
    Org1 {
        emulator,
        home,
        sf: sf_dir("sf"),
        admin_token,
    }
}

/// Org work (the SOAP read, deploys, app credentials) among the emulator's requests after `from`.
fn org_work_since(emulator: &Emulator, from: usize) -> Vec<String> {
    emulator
        .request_log()
        .iter()
        .skip(from)
        .filter(|e| {
            e.path.starts_with("/services/Soap")
                || e.path.contains("/metadata/")
                || e.path.contains("/apps/oauth")
        })
        .map(|e| format!("{} {}", e.method, e.path))
        .collect()
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
