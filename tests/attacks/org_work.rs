//! Attacks on the work `apply`, `rotate` and `status --drift` do in an admin's org: a session
//! for another org than the profile's (id forms, case, tokens without `!`, the CLI and its token
//! disagreeing, a token on stdin), restore markers that would run options or touch another org,
//! the SOAP `readMetadata` body and hostile answers to it, a staged pair answered without its
//! secret, the JWT audience fallback, and hostile requests to the emulator's SOAP endpoint.

use std::time::Instant;

use eca_wizard::apply::org_binding::{self, OrgError};
use eca_wizard::apply::org_settings;
use eca_wizard::apply::secret_setting::SECRETS_OVER_REST;
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

/// Every form of an org id binds only its own org: 15 and 18 characters agree, a case change
/// (another 15-character id), the CLI and its token disagreeing, a token that names no org, a
/// profile that records none, all refused.
#[test]
fn a_session_for_another_org_is_refused_in_every_form() {
    let bound = profile(Some(ORG_1));
    let base = "https://b.my.salesforce.com";
    let check =
        |org: Option<&str>, token: &str| org_binding::check(&bound, &session(base, token, org));
    // The same org, however written.
    assert_eq!(check(Some(ORG_1), "00D5g0000000001!AQ0x"), Ok(()));
    assert_eq!(
        check(Some("00D5g0000000001"), "00D5g0000000001EAA!AQ0x"),
        Ok(())
    );
    assert_eq!(check(None, "00D5g0000000001!AQ0x"), Ok(()));
    // Another org: by case (15-character ids are case-sensitive), by digit, by the token.
    for (org, token) in [
        (Some("00D5G0000000001EAA"), "opaque-token-without-an-org"),
        (Some(ORG_2), "00D5g0000000002!AQ0x"),
        (None, "00D5g0000000002!AQ0x"),
        (None, "00D5g0000000002EAA!AQ0x"),
        (Some("00d5g0000000001eaa"), "opaque"),
    ] {
        assert!(
            matches!(check(org, token), Err(OrgError::Mismatch(_))),
            "{org:?} {token}: {:?}",
            check(org, token)
        );
    }
    // The CLI says the profile's org but its token is another's (or the other way round).
    for (org, token) in [
        (Some(ORG_1), "00D5g0000000002!AQ0x"),
        (Some(ORG_2), "00D5g0000000001!AQ0x"),
        (Some("00D5G0000000001EAA"), "00D5g0000000001!AQ0x"),
        (Some(""), "00D5g0000000001!AQ0x"),
    ] {
        assert!(
            matches!(check(org, token), Err(OrgError::Disagree { .. })),
            "{org:?} {token}: {:?}",
            check(org, token)
        );
    }
    // Nothing says which org: refused, whatever the token looks like.
    for token in [
        "eyJhbGciOi.jwt.token",
        "00D5g0000000001",
        "00d5g0000000001!AQ0x",
        "00D5g000000001!AQ0x",
        "00D5g0000000001/x!AQ0x",
        "!00D5g0000000001",
    ] {
        assert!(
            matches!(check(None, token), Err(OrgError::Unknown(_))),
            "{token}: {:?}",
            check(None, token)
        );
    }
    // A profile that records no org (or an empty one) binds to none.
    let unbound = profile(None);
    assert!(matches!(
        org_binding::check(
            &unbound,
            &session(base, "00D5g0000000001!AQ0x", Some(ORG_1))
        ),
        Err(OrgError::ProfileUnbound(_))
    ));
    let empty = profile(Some(""));
    assert!(
        org_binding::check(&empty, &session(base, "00D5g0000000001!AQ0x", Some(ORG_1))).is_err()
    );
    // A hostile id from the CLI is named, never printed raw.
    let hostile = "00D5g0000000002\u{1b}]52;c;x\u{7}\n  ok   forged".to_string();
    let refused = check(Some(&hostile), "opaque").unwrap_err().to_string();
    assert!(
        !refused.contains('\u{1b}') && !refused.contains('\n'),
        "{refused}"
    );
}

struct Org1 {
    emulator: Emulator,
    home: PathBuf,
    sf: PathBuf,
    admin_token: String,
}

/// The demo org with a client-credentials profile `sbs` saved by `connect` (bound to the org).
async fn org_with_profile(name: &str) -> Org1 {
    let emulator = start();
    emulator
        .edit_app(DEMO_APP, |app| {
            app.scopes.extend(["address".into(), "phone".into()])
        })
        .unwrap();
    let home = home(&format!("org-{name}"));
    let output = Command::new(env!("CARGO_BIN_EXE_eca-wizard"))
        .args(["connect", "--recipe", "service-board-sync", "--login-url"])
        .arg(emulator.my_domain_url())
        .args(["--client-id", KEY, "--save", "sbs", "--api-name", DEMO_APP])
        .arg("--secrets-file")
        .env("ECA_WIZARD_CLIENT_SECRET", SECRET)
        .env("ECA_WIZARD_HOME", &home)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let admin_token = admin_token(&emulator).await;
    Org1 {
        emulator,
        home,
        sf: sf_dir(&format!("org-{name}")),
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

/// `rotate sbs` given another org's session every way a command takes one: a token on stdin for
/// B (with A's or B's URL), a token naming no org, the CLI saying A while its token is B's, and a
/// profile edited to record no org. Each is refused before anything reaches either org.
#[tokio::test]
async fn rotate_with_another_orgs_session_reaches_no_org() {
    let a = org_with_profile("rotate-other").await;
    a.emulator.set_client_secret_in_rest_api(true);
    let mut other_org = eca_wizard::emulator::Org::demo();
    other_org.org_id = eca_wizard::emulator::ids::org_id(2);
    let b = start_with(other_org, true);
    b.set_client_secret_in_rest_api(true);
    let b_token = admin_token(&b).await;
    let (a_from, b_from) = (a.emulator.request_log().len(), b.request_log().len());
    let without_org = b_token.replace('!', "");
    let stdin_cases = [
        (
            a.emulator.my_domain_url(),
            b_token.as_str(),
            "belongs to org",
        ),
        (b.my_domain_url(), b_token.as_str(), "belongs to org"),
        (
            b.my_domain_url(),
            without_org.as_str(),
            "can't tell which org",
        ),
    ];
    for (url, token, expected) in stdin_cases {
        let mut child = sf_command(&a.sf, &a.emulator, &a.admin_token, "current", Some(&a.home))
            .args([
                "rotate",
                "sbs",
                "--allow-secret-access",
                "--instance-url",
                url,
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            writeln!(stdin, "{token}").unwrap();
        }
        let output = child.wait_with_output().unwrap();
        let text = said(&output);
        assert_ne!(output.status.code(), Some(0), "{text}");
        assert!(text.contains(expected), "{url}: {text}");
        assert!(
            !text.contains(&b_token) && !text.contains(&without_org),
            "{text}"
        );
    }
    // The CLI's `org display` says A, its token is B's.
    let output = sf_command(&a.sf, &a.emulator, &b_token, "current", Some(&a.home))
        .args([
            "rotate",
            "sbs",
            "--target-org",
            "acme",
            "--allow-secret-access",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", said(&output));
    assert!(
        said(&output).contains("its token is for org"),
        "{}",
        said(&output)
    );
    // A profile edited to record no org.
    let file = a.home.join("profiles/sbs.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let unbound: String = text
        .lines()
        .filter(|l| !l.starts_with("org_id"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(text, unbound, "the profile recorded its org");
    std::fs::write(&file, unbound).unwrap();
    let output = run_with_sf(
        &a.sf,
        &a.emulator,
        &a.admin_token,
        "current",
        Some(&a.home),
        &[
            "rotate",
            "sbs",
            "--target-org",
            "acme",
            "--allow-secret-access",
        ],
    );
    assert_ne!(output.status.code(), Some(0), "{}", said(&output));
    assert!(
        said(&output).contains("doesn't record its org"),
        "{}",
        said(&output)
    );
    assert_eq!(org_work_since(&a.emulator, a_from), Vec::<String>::new());
    assert_eq!(org_work_since(&b, b_from), Vec::<String>::new());
    assert_eq!(a.emulator.app(DEMO_APP).unwrap().consumer_key, KEY);
    let _ = std::fs::remove_dir_all(&a.home);
    let _ = std::fs::remove_dir_all(&a.sf);
}

#[cfg(unix)]
fn write_marker(home: &Path, file: &str, org_id: &str, target: &str) {
    use std::os::unix::fs::PermissionsExt;
    let path = home.join(format!("restore-secret-setting-{file}.toml"));
    let text = format!(
        "org_id = \"{org_id}\"\ninstance_url = \"https://x.my.salesforce.com\"\ntarget = {}\nat_ms = 1\n",
        toml::Value::String(target.into())
    );
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

#[cfg(unix)]
fn markers(home: &Path) -> usize {
    std::fs::read_dir(home)
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("restore-secret-setting-")
        })
        .count()
}

/// Markers a command restores from: one naming an option as its login runs no `sf` with it,
/// one for another org than its login's changes nothing there (the admin's own setting, on in
/// org A, stays on), and a real one only ever turns the setting off.
#[cfg(unix)]
#[tokio::test]
async fn a_marker_runs_no_option_touches_no_other_org_and_only_turns_off() {
    let a = org_with_profile("markers").await;
    a.emulator.set_client_secret_in_rest_api(true);
    let log = a.home.join("sf.log");
    write_marker(&a.home, "opt", ORG_1, "--target-org=client-b");
    write_marker(&a.home, "dash", ORG_1, "-o");
    write_marker(&a.home, "other", ORG_2, "acme");
    let from = a.emulator.request_log().len();
    let status = |args: &[&str]| {
        sf_command(&a.sf, &a.emulator, &a.admin_token, "current", Some(&a.home))
            .env("FAKE_SF_LOG", &log)
            .args(args)
            .output()
            .unwrap()
    };
    let output = status(&["status", "sbs"]);
    let text = said(&output);
    assert!(
        a.emulator.org().client_secret_in_rest_api,
        "the admin's setting, on in A, is left on: {text}"
    );
    assert_eq!(org_work_since(&a.emulator, from), Vec::<String>::new());
    let calls = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        calls.lines().all(|l| !l.contains("--target-org -")),
        "an option reached sf: {calls}"
    );
    assert!(text.contains("points at another org"), "{text}");
    assert_eq!(
        text.matches("may still be on in org").count(),
        3,
        "each marker is named: {text}"
    );
    assert_eq!(markers(&a.home), 3, "none removed unrestored");

    // A marker of A's own login: the setting goes off, never on.
    for entry in std::fs::read_dir(&a.home).unwrap().flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with("restore-secret-setting-")
        {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    a.emulator.set_client_secret_in_rest_api(false);
    write_marker(&a.home, "00D5g0000000001", ORG_1, "acme");
    let output = status(&["status", "sbs"]);
    let text = said(&output);
    assert!(text.contains("off again in org"), "{text}");
    assert!(!a.emulator.org().client_secret_in_rest_api, "{text}");
    assert_eq!(markers(&a.home), 0, "{text}");
    let _ = std::fs::remove_dir_all(&a.home);
    let _ = std::fs::remove_dir_all(&a.sf);
}

/// The token goes into the SOAP body escaped: a token that closes the `sessionId` element
/// can't add elements, and the server reads exactly the token.
#[tokio::test]
async fn the_token_in_the_soap_body_is_escaped() {
    let answer = br#"<?xml version="1.0"?><Envelope><Body><readMetadataResponse><result><records><enableClientSecretInRestApiAccess>false</enableClientSecretInRestApiAccess></records></result></readMetadataResponse></Body></Envelope>"#;
    let (recorder, base) =
        Recorder::start(vec![("POST /services/Soap/m/", 200, answer.to_vec())]).await;
    let token =
        "00D5g0000000001!AQ0<x>&amp;]]></met:sessionId><met:type>OauthOidcSettings</met:type>\"'";
    let read = org_settings::read(
        client(),
        &session(&base, token, None),
        "66.0",
        &SECRETS_OVER_REST,
    )
    .await;
    assert!(!read.unwrap());
    let bodies = recorder.bodies();
    assert_eq!(bodies.len(), 1);
    let document = roxmltree::Document::parse(&bodies[0]).expect("well-formed XML");
    let named = |name: &str| {
        document
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == name)
            .map(|n| n.text().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(named("sessionId"), [token]);
    assert_eq!(named("type"), ["ExternalClientAppSettings"]);
}

/// Hostile answers to `readMetadata`: a huge body, an entity bomb, a deep nest, a fault whose
/// text would drive the terminal. Each ends at once with an error (or an answer), printably.
#[tokio::test]
async fn hostile_read_metadata_answers_end_quickly_and_printably() {
    let bomb = {
        let mut dtd = String::from("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        let mut previous = "lol".to_string();
        for i in 1..10 {
            let name = format!("lol{i}");
            dtd.push_str(&format!(
                "<!ENTITY {name} \"{}\">",
                format!("&{previous};").repeat(10)
            ));
            previous = name;
        }
        format!(
            "{dtd}]><Envelope><Body><Fault><faultstring>&{previous};</faultstring></Fault></Body></Envelope>"
        )
    };
    let deep = format!(
        "{}<enableClientSecretInRestApiAccess>true</enableClientSecretInRestApiAccess>{}",
        "<a>".repeat(100_000),
        "</a>".repeat(100_000)
    );
    // XML allows no C0 control but tab and line breaks: one fault breaks that rule, one keeps it.
    let raw = "<Envelope><Body><Fault><faultcode>sf:X</faultcode><faultstring>INVALID_SESSION_ID: \u{1b}]52;c;cHduZWQ=\u{7}\r\u{1b}[1A\u{1b}[2K</faultstring></Fault></Body></Envelope>";
    let fault = "<Envelope><Body><Fault><faultcode>sf:X</faultcode><faultstring>INVALID_SESSION_ID: x&#13;&#10;  ok   forged\r\n  ok   again&#x2028;\u{85}\u{9b}31m\u{202e}\t</faultstring></Fault></Body></Envelope>";
    let huge = vec![b'x'; 3 << 20];
    for (name, status, body) in [
        ("huge", 200, huge),
        ("bomb", 500, bomb.clone().into_bytes()),
        ("bomb at 200", 200, bomb.into_bytes()),
        ("deep", 200, deep.into_bytes()),
        ("fault", 500, fault.as_bytes().to_vec()),
        ("raw fault", 500, raw.as_bytes().to_vec()),
    ] {
        let (_recorder, base) = Recorder::start(vec![("POST ", status, body)]).await;
        let started = Instant::now();
        let read = org_settings::read(
            client(),
            &session(&base, "00D5g0000000001!AQ0x", None),
            "66.0",
            &SECRETS_OVER_REST,
        )
        .await;
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{name}: {:?}",
            started.elapsed()
        );
        if let Err(e) = &read {
            let text = format!("{e:#}");
            let bad = text
                .chars()
                .find(|c| c.is_control() || ['\u{2028}', '\u{2029}', '\u{202e}'].contains(c));
            assert!(bad.is_none(), "{name}: {bad:?} in {text}");
            assert_eq!(text.lines().count(), 1, "{name}: a forged line: {text}");
            assert!(
                !text.contains("lollollol"),
                "{name}: an entity expanded: {text}"
            );
        }
        if ["fault", "raw fault", "huge", "bomb"].contains(&name) {
            assert!(read.is_err(), "{name}: {read:?}");
        }
    }
}

/// UNFIXED (reported): a `readMetadata` answer that isn't the settings record (a 200 with an
/// HTML page or an XML document the parser refuses) reads as "off", so `rotate` and `apply`
/// turn the setting on and then off: an org that had it on ends with it off.
#[tokio::test]
async fn an_unreadable_settings_answer_is_not_read_as_off() {
    for body in [
        "<html><body>Please log in</body></html>",
        "<!DOCTYPE x [<!ENTITY a \"b\">]><Envelope><enableClientSecretInRestApiAccess>true</enableClientSecretInRestApiAccess></Envelope>",
        "not xml at all",
    ] {
        let (_recorder, base) =
            Recorder::start(vec![("POST ", 200, body.as_bytes().to_vec())]).await;
        let read = org_settings::read(
            client(),
            &session(&base, "00D5g0000000001!AQ0x", None),
            "66.0",
            &SECRETS_OVER_REST,
        )
        .await;
        assert!(read.is_err(), "{body}: read as {read:?}");
    }
}

/// The emulator's SOAP endpoint under hostile requests: entity bombs, a deep nest, a body over
/// its cap, not XML, no session, a session from the login host, a user without admin rights.
/// Each gets a fault (or 413) at once, none reads a setting, and it keeps serving after.
#[tokio::test]
async fn the_emulators_soap_endpoint_survives_hostile_requests() {
    let emulator = start();
    let admin = admin_token(&emulator).await;
    let user = cc_token(&emulator).await;
    let url = |base: &str| format!("{base}/services/Soap/m/66.0");
    let envelope = |token: &str| {
        format!(
            "<?xml version=\"1.0\"?><e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:m=\"http://soap.sforce.com/2006/04/metadata\"><e:Header><m:SessionHeader><m:sessionId>{token}</m:sessionId></m:SessionHeader></e:Header><e:Body><m:readMetadata><m:type>ExternalClientAppSettings</m:type><m:fullNames>ExternalClientApp</m:fullNames></m:readMetadata></e:Body></e:Envelope>"
        )
    };
    let bomb = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY a \"{}\"><!ENTITY b \"{}\">]>{}",
        "x".repeat(1000),
        "&a;".repeat(1000),
        envelope("&b;")
    );
    let deep = format!(
        "{}{}{}",
        "<a>".repeat(110_000),
        envelope(&admin),
        "</a>".repeat(110_000)
    );
    let post = |host: String, body: String| async move {
        let started = Instant::now();
        let answer = send(
            client()
                .post(url(&host))
                .header("Content-Type", "text/xml")
                .body(body),
        )
        .await;
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        answer
    };
    let my_domain = emulator.my_domain_url().to_string();
    for (name, host, body) in [
        ("bomb", my_domain.clone(), bomb),
        ("deep", my_domain.clone(), deep),
        ("not xml", my_domain.clone(), "\u{0}\u{ff}garbage".into()),
        ("no session", my_domain.clone(), envelope("")),
        (
            "login host",
            emulator.login_url().to_string(),
            envelope(&admin),
        ),
        ("not an admin", my_domain.clone(), envelope(&user)),
    ] {
        let answer = post(host, body).await;
        assert!(
            answer.status == 500 || answer.status == 413,
            "{name}: {} {}",
            answer.status,
            answer.body
        );
        assert!(
            !answer.body.contains("enableClientSecretInRestApiAccess"),
            "{name}: {}",
            answer.body
        );
    }
    // Over the body cap: refused (413, or the connection closed while the rest was sent).
    let over = client()
        .post(url(&my_domain))
        .header("Content-Type", "text/xml")
        .body("<".repeat(2 << 20))
        .send()
        .await;
    if let Ok(response) = over {
        assert_eq!(response.status().as_u16(), 413);
    }
    let answer = send(client().get(url(&my_domain))).await;
    assert_eq!(answer.status, 500, "{}", answer.body);
    let answer = post(my_domain.clone(), envelope(&admin)).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        answer
            .body
            .contains("<enableClientSecretInRestApiAccess>false"),
        "{}",
        answer.body
    );
}

/// Staged answers that lack fields: without the secret (or the id) nothing is promoted, the
/// pair staged without its secret is deleted, and no message carries a secret.
#[tokio::test]
async fn a_staged_answer_without_its_secret_promotes_nothing() {
    let base_routes = |staged: &str| {
        vec![
            (
                "GET /services/data/v66.0/apps/oauth/usage",
                200,
                br#"{"apps":[{"developerName":"App","identifier":"0H4x"}]}"#.to_vec(),
            ),
            (
                "GET /services/data/v66.0/apps/oauth/credentials/0H4x/0Cx1/staged",
                200,
                br#"{"stagedCredentials":[]}"#.to_vec(),
            ),
            (
                "GET /services/data/v66.0/apps/oauth/credentials/0H4x",
                200,
                br#"{"consumers":[{"id":"0Cx1"}]}"#.to_vec(),
            ),
            (
                "POST /services/data/v66.0/apps/oauth/credentials/0H4x/0Cx1/staged",
                201,
                staged.as_bytes().to_vec(),
            ),
            ("DELETE ", 204, Vec::new()),
        ]
    };
    let secret = "NEWSECRET0000000000000000000000000000000000000000000000000000001";
    for (staged, deleted) in [
        (
            r#"{"stagedCredentials":[{"id":"0Sx9","key":"3MVGnew"}]}"#.to_string(),
            true,
        ),
        (
            format!(r#"{{"stagedCredentials":[{{"key":"3MVGnew","secret":"{secret}"}}]}}"#),
            false,
        ),
        (r#"{"stagedCredentials":{"id":"0Sx9"}}"#.to_string(), false),
        ("{}".to_string(), false),
    ] {
        let (recorder, base) = Recorder::start(base_routes(&staged)).await;
        let stopped = eca_wizard::apply::rotate::rotate(
            client(),
            &session(&base, "00D5g0000000001!AQ0x", Some(ORG_1)),
            "66.0",
            "App",
            KEY,
            false,
        )
        .await
        .err()
        .unwrap_or_else(|| panic!("{staged}: promoted"));
        assert_eq!(stopped.step, "stage a new pair", "{staged}");
        assert!(!stopped.to_string().contains(secret), "{stopped}");
        let lines = recorder.lines();
        assert!(lines.iter().all(|l| !l.starts_with("PATCH")), "{lines:?}");
        assert_eq!(
            lines
                .iter()
                .any(|l| l.ends_with("/staged/0Sx9") && l.starts_with("DELETE")),
            deleted,
            "{staged}: {lines:?}"
        );
    }
}

/// JWT bearer's audience fallback: every assertion goes to the one login host it was built
/// for, each audience once, only the documented ones and that host, and any refusal but a bad
/// audience ends it.
#[tokio::test]
async fn the_jwt_audience_fallback_is_bounded_and_stays_on_its_host() {
    use eca_wizard::salesforce::hosts::normalize_login_url;
    let audiences = |url: &str| normalize_login_url(url).unwrap().host.jwt_audiences();
    for (url, first) in [
        (
            "https://login.salesforce.com",
            "https://login.salesforce.com",
        ),
        ("https://test.salesforce.com", "https://test.salesforce.com"),
        (
            "https://acme.my.salesforce.com",
            "https://login.salesforce.com",
        ),
        (
            "https://acme--dev.sandbox.my.salesforce.com",
            "https://test.salesforce.com",
        ),
    ] {
        let list = audiences(url);
        assert!(list.len() <= 3 && list[0] == first, "{url}: {list:?}");
        let host = normalize_login_url(url).unwrap().host.url().to_string();
        for audience in &list {
            assert!(
                [
                    "https://login.salesforce.com",
                    "https://test.salesforce.com",
                    host.as_str()
                ]
                .contains(&audience.as_str()),
                "{url}: {audience}"
            );
        }
    }
    let signer =
        eca_wizard::jwt::Signer::from_pem(eca_wizard::emulator::org::DEMO_JWT_KEY).unwrap();
    let bad_audience = br#"{"error":"invalid_grant","error_description":"audience is invalid"}"#;
    let other = br#"{"error":"invalid_client_id","error_description":"client identifier invalid"}"#;
    for (answer, expected) in [(bad_audience.to_vec(), 3), (other.to_vec(), 1)] {
        let (recorder, base) =
            Recorder::start(vec![("POST /services/oauth2/token", 400, answer)]).await;
        let oauth = OAuthClient::new(&base, KEY, None).unwrap();
        let list = audiences("https://acme.my.salesforce.com");
        let result = oauth
            .jwt_bearer_any(&signer, "u@example.com", &list, 1_700_000_000)
            .await;
        assert!(result.is_err());
        let lines = recorder.lines();
        assert_eq!(lines.len(), expected, "{lines:?}");
        assert!(
            lines.iter().all(|l| l == "POST /services/oauth2/token"),
            "{lines:?}"
        );
        let sent: Vec<String> = recorder
            .bodies()
            .iter()
            .map(|body| {
                let assertion = url::form_urlencoded::parse(body.as_bytes())
                    .find(|(k, _)| k == "assertion")
                    .unwrap()
                    .1
                    .into_owned();
                let payload = assertion.split('.').nth(1).unwrap().to_string();
                let claims: serde_json::Value = serde_json::from_slice(
                    &base64::Engine::decode(
                        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                        payload,
                    )
                    .unwrap(),
                )
                .unwrap();
                claims["aud"].as_str().unwrap().to_string()
            })
            .collect();
        assert_eq!(
            sent,
            list[..expected].to_vec(),
            "each audience once, in order"
        );
    }
}

/// UNFIXED (reported): `rotate --wait` bounds the proof only for propagation refusals: 5xx
/// answers at the token endpoint are retried with backoff up to 60 times (up to 30 s apart),
/// and "login rate exceeded" pauses 5 minutes per attempt, whatever `--wait` says.
#[cfg(unix)]
#[tokio::test]
async fn the_proof_of_a_rotated_pair_stops_within_its_wait() {
    let a = org_with_profile("prove-bound").await;
    a.emulator.set_client_secret_in_rest_api(true);
    for _ in 0..6 {
        a.emulator.fail_next("POST /services/oauth2/token");
    }
    let started = Instant::now();
    let output = run_with_sf(
        &a.sf,
        &a.emulator,
        &a.admin_token,
        "current",
        Some(&a.home),
        &["rotate", "sbs", "--target-org", "acme", "--wait", "2"],
    );
    let took = started.elapsed();
    let _ = std::fs::remove_dir_all(&a.home);
    let _ = std::fs::remove_dir_all(&a.sf);
    assert!(
        took < Duration::from_secs(15),
        "--wait 2 took {took:?}: {}",
        said(&output)
    );
}

/// UNFIXED (reported): a marker that doesn't parse (here one field more, as another version of
/// eca-wizard might write) is skipped without a word, so the setting it stands for may stay on
/// with no command saying so.
#[cfg(unix)]
#[test]
fn an_unreadable_marker_is_named_not_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let home = home("marker-skew");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).unwrap();
    let path = home.join("restore-secret-setting-00D5g0000000001.toml");
    std::fs::write(
        &path,
        format!(
            "org_id = \"{ORG_1}\"\ninstance_url = \"https://acme.my.salesforce.com\"\ntarget = \"acme\"\nat_ms = 1\nversion = 2\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_eca-wizard"))
        .arg("recipes")
        .env("ECA_WIZARD_HOME", &home)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&home);
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("restore-secret-setting"),
        "nothing said: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
