//! Support shared by every test binary (`tests/it`, `tests/pty`, `tests/external`): start an
//! org, speak HTTP to it, run PKCE; start `eca-wizard` (`launch`), temporary folders (`temp`),
//! ports (`ports`), waiting on a screen (`screen`).

#![allow(dead_code)] // each binary uses a part

pub mod connecting;
pub mod contract;
pub mod driving;
pub mod launch;
pub mod ports;
pub mod recipe_files;
pub mod screen;
pub mod temp;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use eca_wizard::emulator::org::{DEMO_CONSUMER_KEY, DEMO_CONSUMER_SECRET};
use eca_wizard::emulator::{Config, Emulator, Org};
use ring::digest;
use serde_json::Value;

pub const KEY: &str = DEMO_CONSUMER_KEY;
pub const SECRET: &str = DEMO_CONSUMER_SECRET;
pub const CALLBACK: &str = "http://localhost:7717/callback";

/// A JWT's shape: `eyJ`, base64url, a dot, more. A random `state` may hold `eyJ` by chance; a
/// token also has the dot that joins its header to its body.
pub fn has_jwt(text: &str) -> bool {
    text.match_indices("eyJ").any(|(at, _)| {
        let rest = &text[at..];
        let header = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        header >= 10 && rest[header..].starts_with('.')
    })
}

pub fn start() -> Emulator {
    Emulator::start(Config::default()).expect("emulator starts")
}

pub fn start_with(org: Org, auto_approve: bool) -> Emulator {
    Emulator::start(Config {
        org,
        login_port: 0,
        my_domain_port: 0,
        mcp_port: 0,
        auto_approve,
    })
    .expect("starts")
}

pub fn client() -> &'static reqwest::Client {
    eca_wizard::net::client().expect("client")
}

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    }

    /// Asserts an OAuth JSON error with exactly this code and description.
    pub fn assert_oauth_error(&self, error: eca_wizard::salesforce::oauth_errors::OAuthError) {
        assert_eq!(self.status, 400, "{}", self.body);
        let body = self.json();
        assert_eq!(body["error"], error.error, "{}", self.body);
        assert_eq!(
            body["error_description"], error.description,
            "{}",
            self.body
        );
    }

    /// The query pairs of a redirect's Location.
    pub fn location_query(&self) -> Vec<(String, String)> {
        let location = self.header("location").expect("a Location header");
        let url = url::Url::parse(&location).unwrap();
        url.query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    pub fn location_param(&self, name: &str) -> Option<String> {
        self.location_query()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

pub async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.text().await.expect("body read");
    Answer {
        status,
        headers,
        body,
    }
}

pub async fn get(url: &str) -> Answer {
    send(client().get(url)).await
}

pub async fn get_bearer(url: &str, token: &str) -> Answer {
    send(client().get(url).bearer_auth(token)).await
}

pub async fn post_form(url: &str, pairs: &[(&str, &str)]) -> Answer {
    send(client().post(url).form(pairs)).await
}

/// A client credentials request for the demo app.
pub const CC: [(&str, &str); 3] = [
    ("grant_type", "client_credentials"),
    ("client_id", KEY),
    ("client_secret", SECRET),
];

/// A refresh request, with or without the consumer secret.
pub async fn refresh_grant(url: &str, token: &str, secret: Option<&str>) -> Answer {
    let mut form = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", token),
        ("client_id", KEY),
    ];
    if let Some(secret) = secret {
        form.push(("client_secret", secret));
    }
    post_form(url, &form).await
}

/// Redeems a code at `url` with the demo app's secret (or none) and this redirect URI.
pub async fn redeem(
    url: &str,
    code: &str,
    verifier: Option<&str>,
    secret: Option<&str>,
    redirect: &str,
) -> Answer {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("client_id", KEY),
        ("redirect_uri", redirect),
    ];
    if let Some(secret) = secret {
        form.push(("client_secret", secret));
    }
    if let Some(verifier) = verifier {
        form.push(("code_verifier", verifier));
    }
    post_form(url, &form).await
}

pub fn token_url(base: &str) -> String {
    format!("{base}/services/oauth2/token")
}

/// A PKCE verifier and its S256 challenge.
pub fn pkce() -> (String, String) {
    let verifier = URL_SAFE_NO_PAD.encode([42u8; 64]);
    let challenge = URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()));
    (verifier, challenge)
}

pub fn authorize_url(base: &str, extra: &[(&str, &str)]) -> String {
    let mut url = url::Url::parse(&format!("{base}/services/oauth2/authorize")).unwrap();
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in extra {
            q.append_pair(k, v);
        }
    }
    url.to_string()
}

/// Authorize with PKCE in auto-approve mode; returns (code, verifier).
pub async fn code(emulator: &Emulator, scope: Option<&str>) -> (String, String) {
    let (verifier, challenge) = pkce();
    let mut params = vec![
        ("response_type", "code"),
        ("client_id", KEY),
        ("redirect_uri", CALLBACK),
        ("state", "st4te"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    if let Some(scope) = scope {
        params.push(("scope", scope));
    }
    let answer = get(&authorize_url(emulator.login_url(), &params)).await;
    assert_eq!(answer.status, 302, "{}", answer.body);
    assert_eq!(answer.location_param("state").as_deref(), Some("st4te"));
    let code = answer
        .location_param("code")
        .unwrap_or_else(|| panic!("no code: {:?}", answer.location_query()));
    (code, verifier)
}

/// The full code flow; returns the token response.
pub async fn code_flow(emulator: &Emulator, scope: Option<&str>) -> Value {
    let (code, verifier) = code(emulator, scope).await;
    let url = token_url(emulator.login_url());
    let answer = redeem(&url, &code, Some(&verifier), Some(SECRET), CALLBACK).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

/// A client credentials token from the My Domain host.
pub async fn cc_token(emulator: &Emulator) -> String {
    let answer = post_form(&token_url(emulator.my_domain_url()), &CC).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()["access_token"].as_str().unwrap().to_string()
}

/// Writes raw bytes to a base URL's socket and reads until the server closes (or 5 s pass).
pub async fn raw_http(base: &str, bytes: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let _ = stream.write_all(bytes).await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        stream.read_to_end(&mut out),
    )
    .await;
    String::from_utf8_lossy(&out).into_owned()
}

/// A folder holding `sf` (the stand-in), to put first on PATH.
pub fn sf_dir(name: &str) -> temp::Folder {
    let dir = temp::created(name);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sf.py");
    let sf = dir.join("sf");
    std::fs::copy(script, &sf).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&sf, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    // Windows starts a script through PATHEXT, as npm's `sf.cmd` shim: one that runs Python.
    #[cfg(windows)]
    std::fs::write(dir.join("sf.cmd"), "@python \"%~dp0sf\" %*\r\n").unwrap();
    dir
}

/// A token of the demo org's admin (the session `apply` and `rotate` work with): client
/// credentials of an app of its own, run as the admin.
pub async fn admin_token(emulator: &Emulator) -> String {
    let mut app = eca_wizard::emulator::org::App::demo();
    app.api_name = "Admin_Session".into();
    app.consumer_key = "3MVG9AdminSessionOfTheDemoAdmin.Emulator.Only".into();
    app.consumer_secret =
        "ADMIN0SESSION0SECRET0FOR0THE0EMULATOR0ONLY00000000000000000000001".into();
    app.policies.run_as = Some(eca_wizard::emulator::org::DEMO_ADMIN_USER.into());
    let (key, secret) = (app.consumer_key.clone(), app.consumer_secret.clone());
    emulator.put_app(app);
    let answer = post_form(
        &token_url(emulator.my_domain_url()),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &key),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()["access_token"].as_str().unwrap().to_string()
}

/// Runs `eca-wizard ARGS` with the stand-in `sf` of `sf_dir` first on PATH, answering for the
/// emulator's My Domain with `token` (`mode` as `tests/fixtures/sf.py` reads it), with its
/// data in `home` when given.
pub fn run_with_sf(
    sf_dir: &std::path::Path,
    emulator: &Emulator,
    token: &str,
    mode: &str,
    home: Option<&std::path::Path>,
    args: &[&str],
) -> std::process::Output {
    sf_command(sf_dir, emulator, token, mode, home)
        .args(args)
        .output()
        .unwrap()
}

/// The command `run_with_sf` runs, for a test to add to. Without `home`, the wizard's data goes
/// to a folder beside `sf_dir` (in the same temporary folder).
pub fn sf_command(
    sf_dir: &std::path::Path,
    emulator: &Emulator,
    token: &str,
    mode: &str,
    home: Option<&std::path::Path>,
) -> std::process::Command {
    let path = format!(
        "{}:{}",
        sf_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let beside = sf_dir.with_file_name("home");
    let mut command = launch::wizard(home.unwrap_or(&beside));
    command
        .env("PATH", path)
        .env("FAKE_SF_INSTANCE_URL", emulator.my_domain_url())
        .env("FAKE_SF_TOKEN", token)
        .env("FAKE_SF_MODE", mode);
    command
}

/// The app Setup holds after `recipe`'s steps with these answers (by role), under `key`: what
/// the demo registers, from the recipe's own settings.
pub fn recipe_app(
    recipe: &eca_wizard::recipe::Recipe,
    answers: &[(eca_wizard::recipe::Role, String)],
    key: &str,
) -> eca_wizard::emulator::org::App {
    let answers = answers
        .iter()
        .filter_map(|(role, value)| Some((recipe.field_id(*role)?.to_string(), value.clone())))
        .collect();
    let saved = eca_wizard::wizard::SavedSetup {
        version: 1,
        recipe: recipe.id.clone(),
        login_url: None,
        answers,
        marks: Vec::new(),
        current_step: 0,
        app_saved_at_ms: None,
        drafts: Default::default(),
        by_apply: false,
        choices: Default::default(),
    };
    let secret = eca_wizard::secret::Secret::new("unused-secret".to_string());
    eca_wizard::runtime::demo::app_from_setup(&saved, recipe, key, &secret)
}

/// The demo org with a client-credentials profile `sbs` of its demo app, saved by `connect`
/// in `home` (secrets in its file, bound to the org), and the demo admin's token: where the
/// apply, rotate and drift tests start.
pub async fn demo_org_with_sbs_profile(home: &std::path::Path) -> (Emulator, String) {
    use eca_wizard::emulator::org::DEMO_APP;
    let emulator = start();
    // The recipe asks for the address and phone scopes too.
    emulator
        .edit_app(DEMO_APP, |app| {
            app.scopes.extend(["address".into(), "phone".into()])
        })
        .unwrap();
    let output = launch::wizard(home)
        .args(["connect", "--recipe", "service-board-sync", "--login-url"])
        .arg(emulator.my_domain_url())
        .args(["--client-id", KEY, "--save", "sbs", "--api-name", DEMO_APP])
        .arg("--secrets-file")
        .env("ECA_WIZARD_CLIENT_SECRET", SECRET)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let admin_token = admin_token(&emulator).await;
    (emulator, admin_token)
}
