//! One sweep over every command with known secret values: everything printed, every file
//! written (except the secrets file the user consented to), every screen snapshot. No consumer
//! secret, token, code or verifier may appear.

use crate::common::ports::free_port;
use crate::common::{launch, temp};
use std::path::{Path, PathBuf};

use crate::common::*;

/// Pieces of every secret the emulator hands out: the consumer secret itself, and the shapes
/// of its access tokens (`00D…!AQ0AQ…`), refresh tokens (`5Aep861…`), codes (`aPrx…`), and the
/// PKCE verifier parameter with its value, form-encoded or in JSON (the word alone may appear in
/// a diagnosis that names the parameter).
const NEEDLES: [&str; 7] = [
    SECRET,
    "!AQ0AQ",
    "5Aep861",
    "aPrx",
    "code_verifier=",
    "\"code_verifier\":",
    "eyJhbGci",
];

fn scan(what: &str, text: &str) {
    for needle in NEEDLES {
        assert!(
            !text.contains(needle),
            "{what} contains {needle:?}:\n{text}"
        );
    }
}

fn all_files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(all_files(&path));
        } else {
            files.push((
                path.clone(),
                std::fs::read_to_string(&path).unwrap_or_default(),
            ));
        }
    }
    files
}

#[tokio::test]
async fn no_command_prints_or_writes_a_secret() {
    let port = free_port();
    let (callback, port_text) = (
        format!("http://localhost:{port}/callback"),
        port.to_string(),
    );
    let emulator = start();
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.callback_urls.push(callback.clone())
        })
        .unwrap();
    let home = temp::folder("scan");
    let login = emulator.login_url().to_string();
    let my_domain = emulator.my_domain_url().to_string();
    let metadata_dir = home.join("metadata-out");
    let metadata_arg = metadata_dir.display().to_string();
    let runs: Vec<Vec<String>> = vec![
        vec![
            "connect",
            "--login-url",
            &my_domain,
            "--client-id",
            KEY,
            "--flow",
            "client-credentials",
            "--json",
            "--save",
            "cc",
        ],
        vec![
            "connect",
            "--login-url",
            &my_domain,
            "--client-id",
            KEY,
            "--flow",
            "client-credentials",
            "--recipe",
            "service-board-sync",
        ],
        vec![
            "connect",
            "--login-url",
            &login,
            "--client-id",
            KEY,
            "--callback-port",
            &port_text,
            "--callback-url",
            &callback,
            "--save",
            "web",
        ],
        vec![
            "connect",
            "--login-url",
            &my_domain,
            "--client-id",
            KEY,
            "--flow",
            "client-credentials",
            "--json",
            "--propagation-window",
            "0",
        ],
        vec!["status", "--all"],
        vec!["status", "--all", "--json"],
        vec!["export", "web", "--format", "env"],
        vec!["export", "web", "--format", "json"],
        vec!["export", "web", "--format", "sfdx-url"],
        vec![
            "explain",
            "error=invalid_client&error_description=invalid%20client%20credentials",
        ],
        vec![
            "metadata",
            "--recipe",
            "service-board-sync",
            "--from",
            "cc",
            "--out",
            &metadata_arg,
        ],
        vec!["recipes", "--json"],
        vec!["logout", "web"],
    ]
    .into_iter()
    .map(|args| args.into_iter().map(String::from).collect())
    .collect();
    for args in runs {
        let mut command = launch::connecting(&home);
        command.args(&args);
        let output = launch::output(command).await;
        scan("stdout", &String::from_utf8_lossy(&output.stdout));
        scan("stderr", &String::from_utf8_lossy(&output.stderr));
    }
    let files = all_files(&home);
    assert!(
        files.iter().any(|(p, _)| p.ends_with("cc.toml")),
        "the profiles were written"
    );
    for (path, text) in &files {
        if path.ends_with("secrets.toml") {
            assert!(
                text.contains(SECRET),
                "the consented file is where the secret went"
            );
            continue;
        }
        scan(&path.display().to_string(), text);
    }
    // The emulator's request log keeps no values either.
    scan("request log", &format!("{:?}", emulator.request_log()));
}

#[test]
fn no_snapshot_holds_a_secret() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshots");
    let snapshots = all_files(&dir);
    assert!(snapshots.len() > 20);
    for (path, text) in snapshots {
        scan(&path.display().to_string(), &text);
        assert!(!text.contains("S3cr3t"), "{}", path.display());
    }
}

/// `--debug` (stderr), `--log-file` and `doctor --json` print what a support case needs and no
/// value: one line per request, with Salesforce's error code but never its description.
#[tokio::test]
async fn the_debug_log_and_doctor_hold_no_secret() {
    let emulator = start();
    let home = crate::common::temp::folder("scan-debug");
    let my_domain = emulator.my_domain_url().to_string();
    let log = home.join("debug.log");
    let log_arg = log.display().to_string();
    let connect = |secret: &str, extra: &[&str]| {
        let mut args: Vec<String> = ["connect", "--login-url", &my_domain, "--client-id", KEY]
            .iter()
            .chain(["--flow", "client-credentials", "--save", "cc", "--json"].iter())
            .chain(extra.iter())
            .map(|a| a.to_string())
            .collect();
        args.push("--propagation-window".into());
        args.push("0".into());
        (args, secret.to_string())
    };
    let runs = vec![
        connect(SECRET, &["--debug"]),
        connect("not-the-secret", &["--log-file", &log_arg]),
        (
            ["status", "--all", "--debug", "--log-file", &log_arg]
                .iter()
                .map(|a| a.to_string())
                .collect(),
            SECRET.to_string(),
        ),
        (
            ["doctor", "--json", "--login-url", emulator.login_url()]
                .iter()
                .map(|a| a.to_string())
                .collect(),
            SECRET.to_string(),
        ),
    ];
    let mut printed = Vec::new();
    for (args, secret) in runs {
        let home = home.to_path_buf();
        let output = tokio::task::spawn_blocking(move || {
            crate::common::launch::wizard(&home)
                .args(&args)
                .env("ECA_WIZARD_SECRETS", "file")
                .env("ECA_WIZARD_CLIENT_SECRET", secret)
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        let (out, err) = (
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        );
        scan("stdout", &out);
        scan("stderr", &err);
        printed.push((out, err));
    }
    // The log is there, one line per request, and names the refusal by its code only.
    assert!(
        printed[0].1.contains("eca-wizard debug: POST 127.0.0.1:")
            && printed[0].1.contains("/services/oauth2/token 200"),
        "{}",
        printed[0].1
    );
    let logged = std::fs::read_to_string(&log).unwrap();
    scan("debug log", &logged);
    assert!(
        logged.contains("/services/oauth2/token 400 error=invalid_client"),
        "{logged}"
    );
    assert!(
        !logged.contains("invalid client credentials"),
        "no description: {logged}"
    );
    assert!(
        !printed[1].1.contains("eca-wizard debug:"),
        "--log-file keeps stderr clean"
    );
    let doctor = contract::result(printed[3].0.as_bytes(), Some(0));
    assert_eq!(doctor["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        doctor["clock"]["skew_secs"].as_i64().unwrap().abs() < 5,
        "{doctor}"
    );
    assert_eq!(doctor["profiles"]["count"], 1);
    let environment = doctor["environment"].as_array().unwrap();
    assert!(
        environment.iter().any(|v| v == "ECA_WIZARD_CLIENT_SECRET"),
        "names only: {doctor}"
    );
    let _ = std::fs::remove_dir_all(home);
}
