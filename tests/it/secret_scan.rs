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
