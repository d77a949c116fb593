//! Local recipe files for the tests: a consultant's recipe, a data folder to put it in, and the
//! binary run against that folder.

use std::path::Path;
use std::process::Output;

use super::{launch, temp};

const POSTMAN: &str = include_str!("../../assets/recipes/postman-client-credentials.toml");

/// A consultant's recipe: the client-credentials walkthrough under another id and title.
pub fn acme_etl() -> String {
    POSTMAN
        .replace("id = \"postman-client-credentials\"", "id = \"acme-etl\"")
        .replacen("title = \"", "title = \"Acme ETL nightly sync - ", 1)
}

/// A fresh data folder with an empty `recipes` folder, removed when the test ends.
pub fn home(name: &str) -> temp::Folder {
    let home = temp::folder(name);
    std::fs::create_dir_all(home.join("recipes")).unwrap();
    home
}

/// The binary with `home` as its data folder (the launcher's cleared environment) and the
/// test secret in the environment.
pub fn wizard(home: &Path, args: &[&str]) -> Output {
    launch::wizard(home)
        .args(args)
        .env("ECA_WIZARD_CLIENT_SECRET", super::SECRET)
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
    let envelope: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("{}", text(&output)));
    // The report is the envelope's result (`docs/json.md`).
    envelope["result"].clone()
}

/// A recipe with mistakes planted in it: its text, the line of each mistake, and what the
/// linter reported.
pub struct Planted {
    pub bad: String,
    pub lines: Vec<usize>,
    pub problems: Vec<eca_wizard::recipe::lint::Problem>,
}

/// Plants each mistake `(find, put, says)` in `good` (the first `find` becomes `put`), lints the
/// result, and asserts every mistake is reported at its line with its words.
pub fn assert_planted_mistakes_reported(good: &str, mistakes: &[(&str, &str, &str)]) -> Planted {
    assert_eq!(
        eca_wizard::recipe::lint::lint("good.toml", good),
        Vec::new()
    );
    let mut bad = good.to_string();
    let mut lines = Vec::new();
    for (find, put, _) in mistakes {
        let at = bad.find(find).unwrap_or_else(|| panic!("no {find}"));
        lines.push(bad[..at].matches('\n').count() + 1);
        bad.replace_range(at..at + find.len(), put);
    }
    let problems = eca_wizard::recipe::lint::lint("bad.toml", &bad);
    for ((_, _, says), line) in mistakes.iter().zip(&lines) {
        assert!(
            problems
                .iter()
                .any(|p| p.line == *line && p.message.contains(says)),
            "line {line}: expected '{says}' in {problems:#?}"
        );
    }
    Planted {
        bad,
        lines,
        problems,
    }
}
