//! Local recipe files for the tests: a consultant's recipe, a data folder to put it in, and the
//! binary run against that folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const POSTMAN: &str = include_str!("../../assets/recipes/postman-client-credentials.toml");

/// A consultant's recipe: the client-credentials walkthrough under another id and title.
pub fn acme_etl() -> String {
    POSTMAN
        .replace("id = \"postman-client-credentials\"", "id = \"acme-etl\"")
        .replacen("title = \"", "title = \"Acme ETL nightly sync - ", 1)
}

/// A fresh data folder with an empty `recipes` folder, unique to this test process.
pub fn home(name: &str) -> PathBuf {
    let home = std::env::temp_dir().join(format!("eca-recipes-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(home.join("recipes")).unwrap();
    home
}

/// The binary with `home` as its data folder, the test secret in the environment, no browser
/// and no terminal.
pub fn wizard(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eca-wizard"))
        .args(args)
        .env("ECA_WIZARD_HOME", home)
        .env("ECA_WIZARD_CLIENT_SECRET", super::SECRET)
        .env_remove("BROWSER")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

/// stdout then stderr, as one text.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `connect ... --json` against the emulator's My Domain with the test key, off the async
/// runtime (the emulator answers on it); returns the JSON report.
pub async fn connect_json(
    home: &Path,
    emulator: &eca_wizard::emulator::Emulator,
    extra: &[&str],
) -> serde_json::Value {
    let mut args: Vec<String> = [
        "connect",
        "--login-url",
        emulator.my_domain_url(),
        "--client-id",
        super::KEY,
        "--json",
    ]
    .map(String::from)
    .to_vec();
    args.extend(extra.iter().map(|a| a.to_string()));
    let home = home.to_path_buf();
    let output = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        wizard(&home, &args)
    })
    .await
    .unwrap();
    serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("{}", text(&output)))
}
