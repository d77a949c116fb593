//! Recipes of one's own: a file in the data folder's `recipes` folder, or one `--recipe-file`,
//! listed beside the built-in ones, used by `connect` against the emulator and by the wizard;
//! an id that shadows a built-in one is refused.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on purpose

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::driving::*;
use common::*;
use eca_wizard::emulator::Emulator;
use eca_wizard::recipe::{self, Recipe};
use eca_wizard::wizard::{Cmd, Key, Model, Screen};

const POSTMAN: &str = include_str!("../assets/recipes/postman-client-credentials.toml");

/// A consultant's recipe: the client-credentials walkthrough under another id and title.
fn acme_etl() -> String {
    POSTMAN
        .replace("id = \"postman-client-credentials\"", "id = \"acme-etl\"")
        .replacen("title = \"", "title = \"Acme ETL nightly sync - ", 1)
}

fn home(name: &str) -> PathBuf {
    let home = std::env::temp_dir().join(format!("eca-local-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(home.join("recipes")).unwrap();
    home
}

fn wizard(home: &PathBuf, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eca-wizard"))
        .args(args)
        .env("ECA_WIZARD_HOME", home)
        .env("ECA_WIZARD_CLIENT_SECRET", common::SECRET)
        .env_remove("BROWSER")
        .output()
        .unwrap()
}

/// `connect ... --json` against the emulator's My Domain with the test key, off the async
/// runtime (the emulator answers on it); returns the JSON report.
async fn connect_json(
    home: &std::path::Path,
    emulator: &Emulator,
    extra: &[&str],
) -> serde_json::Value {
    let mut args: Vec<String> = [
        "connect",
        "--login-url",
        emulator.my_domain_url(),
        "--client-id",
        KEY,
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
    contract::result(&output.stdout, output.status.code())
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recipe_in_the_data_folder_is_listed_and_connects() {
    let home = home("folder");
    std::fs::write(home.join("recipes/acme-etl.toml"), acme_etl()).unwrap();
    let listed = wizard(&home, &["recipes"]);
    let listing = text(&listed);
    assert!(listed.status.success(), "{listing}");
    let row = listing
        .lines()
        .find(|l| l.starts_with("acme-etl"))
        .unwrap_or_else(|| panic!("{listing}"));
    assert!(row.contains("local"), "{row}");
    assert!(
        listing.contains("apideck"),
        "the built-in ones stay: {listing}"
    );

    let emulator = start();
    let report = connect_json(&home, &emulator, &["--recipe", "acme-etl"]).await;
    assert_eq!(report["outcome"], "connected", "{report}");
    let _ = std::fs::remove_dir_all(&home);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recipe_file_stands_for_recipe() {
    let home = home("file");
    let file = home.join("acme-etl.toml");
    std::fs::write(&file, acme_etl()).unwrap();
    let emulator = start();
    let path = file.display().to_string();
    let report = connect_json(&home, &emulator, &["--recipe-file", &path]).await;
    // The file's flow applies: client credentials, no browser.
    assert_eq!(report["outcome"], "connected", "{report}");
    assert!(
        report["checks"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("client credentials"),
        "{report}"
    );
    let broken = home.join("broken.toml");
    std::fs::write(&broken, acme_etl().replace("role = \"consumer-key\"\n", "")).unwrap();
    let refused = wizard(
        &home,
        &["recipes", "--recipe-file", &broken.display().to_string()],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused).contains("role = \"consumer-key\""),
        "{}",
        text(&refused)
    );
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn a_local_recipe_may_not_shadow_a_built_in_one() {
    let home = home("shadow");
    let shadow = acme_etl().replace("id = \"acme-etl\"", "id = \"apideck\"");
    std::fs::write(home.join("recipes/mine.toml"), shadow).unwrap();
    let output = wizard(&home, &["recipes"]);
    assert!(!output.status.success());
    let said = text(&output);
    assert!(
        said.contains("mine.toml") && said.contains("already taken"),
        "{said}"
    );
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn the_wizard_walks_a_local_recipe_to_green() {
    let home = home("wizard");
    std::fs::write(home.join("recipes/acme-etl.toml"), acme_etl()).unwrap();
    let mut all = recipe::builtin().unwrap().to_vec();
    all.extend(recipe::load_dir(&home.join("recipes")).unwrap());
    let recipes: &'static [Recipe] = Box::leak(all.into_boxed_slice());
    let mut m = Model::new(recipes, Vec::new(), 1_000);
    choose(&mut m, "acme-etl");
    set_org(&mut m, "https://acme.my.salesforce.com");
    for _ in 0..40 {
        if !matches!(m.screen, Screen::Step(_)) {
            break;
        }
        complete_step(&mut m);
        fix_invalid_fields(&mut m);
    }
    assert_eq!(m.screen, Screen::Review);
    let cmds = press(&mut m, Key::Enter);
    let Some(Cmd::Connect(spec)) = cmds.first() else {
        panic!("{cmds:?}")
    };
    assert_eq!(spec.recipe_id, "acme-etl");
    let run = spec.run;
    let summary = eca_wizard::wizard::Summary {
        outcome: eca_wizard::connect::Outcome::Connected,
        checks: vec![eca_wizard::verify::Check::passed(
            "token",
            "client credentials token obtained",
        )],
        diagnosis: None,
        instance_url: Some("https://acme.my.salesforce.com".into()),
        identity: None,
        attempts: 1,
    };
    eca_wizard::wizard::update(
        &mut m,
        eca_wizard::wizard::Msg::ConnectFinished {
            run,
            summary: Box::new(summary),
        },
    );
    assert_eq!(m.screen, Screen::Status);
    press(&mut m, Key::Enter);
    assert_eq!(
        m.screen,
        Screen::Done,
        "a local recipe reaches the end like a built-in one"
    );
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn recipes_check_reports_every_planted_mistake_with_its_line() {
    let good = acme_etl();
    assert!(recipe::lint::lint("good.toml", &good).is_empty());
    // Ten mistakes, each on its own line: (what to find, what to put, what the report says).
    let mistakes = [
        ("title = \"Acme", "titel = \"Acme", "did you mean 'title'"),
        (
            "flow = \"client-credentials\"",
            "flow = \"client-credential\"",
            "not a flow",
        ),
        (
            "kind = \"integration-user\"",
            "kind = \"integration-usr\"",
            "did you mean 'integration-user'",
        ),
        (
            "validator = \"username\"",
            "validator = \"user-name\"",
            "did you mean 'username'",
        ),
        (
            "role = \"consumer-key\"",
            "role = \"consumer_key\"",
            "did you mean 'consumer-key'",
        ),
        ("help = \"", "hlep = \"", "did you mean 'help'"),
        (
            "[[steps.settings]]",
            "[[steps.setting]]",
            "did you mean '[[steps.settings]]'",
        ),
        (
            "key = \"enable-client-credentials\"",
            "key = \"enable-client-credential\"",
            "not a key",
        ),
        (
            "setup_path = ",
            "setup-path = ",
            "did you mean 'setup_path'",
        ),
        ("label = \"", "lable = \"", "did you mean 'label'"),
    ];
    let mut bad = good.clone();
    let mut lines = Vec::new();
    for (find, put, _) in mistakes {
        let at = bad.find(find).unwrap_or_else(|| panic!("no {find}"));
        lines.push(bad[..at].matches('\n').count() + 1);
        bad.replace_range(at..at + find.len(), put);
    }
    let problems = recipe::lint::lint("bad.toml", &bad);
    assert_eq!(problems.len(), 10, "{problems:#?}");
    for ((_, _, says), line) in mistakes.iter().zip(lines) {
        assert!(
            problems
                .iter()
                .any(|p| p.line == line && p.message.contains(says)),
            "line {line}: expected '{says}' in {problems:#?}"
        );
    }
    // Through the command: one line per problem, FILE:LINE:COL, exit 1.
    let home = home("check");
    let file = home.join("bad.toml");
    std::fs::write(&file, &bad).unwrap();
    let output = wizard(&home, &["recipes", "check", &file.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    let said = text(&output);
    assert_eq!(
        said.lines().filter(|l| l.contains("bad.toml:")).count(),
        10,
        "{said}"
    );
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn every_built_in_recipe_passes_the_check_and_new_starts_a_valid_file() {
    for recipe in recipe::builtin().unwrap() {
        let text = recipe::file_text(recipe).unwrap();
        assert_eq!(
            recipe::lint::lint(&recipe.id, &text),
            Vec::new(),
            "{}",
            recipe.id
        );
    }
    let home = home("new");
    let out = wizard(
        &home,
        &["recipes", "new", "acme-middleware", "--from", "apideck"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let file = home.join("recipes/acme-middleware.toml");
    let checked = wizard(&home, &["recipes", "check", &file.display().to_string()]);
    assert!(
        text(&checked).contains("ok: recipe acme-middleware"),
        "{}",
        text(&checked)
    );
    let listed = text(&wizard(&home, &["recipes"]));
    assert!(listed.contains("acme-middleware"), "{listed}");
    let again = wizard(&home, &["recipes", "new", "acme-middleware"]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "an existing file is never overwritten"
    );
    let shown = text(&wizard(&home, &["recipes", "show", "aptedge"]));
    assert!(shown.starts_with("id = \"aptedge\""), "{shown}");
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn the_recipe_reference_in_docs_is_what_the_code_says() {
    let committed = include_str!("../docs/recipes.md");
    assert_eq!(
        committed,
        recipe::schema::markdown(),
        "docs/recipes.md is stale: run `eca-wizard recipes schema > docs/recipes.md`"
    );
    // Every key the built-in recipes use is documented (the check judges keys by the same table).
    for recipe in recipe::builtin().unwrap() {
        let text = recipe::file_text(recipe).unwrap();
        for line in text.lines() {
            let Some((key, _)) = line.split_once(" = ") else {
                continue;
            };
            if key.chars().all(|c| c.is_ascii_lowercase() || c == '_') && !key.is_empty() {
                assert!(
                    committed.contains(&format!("| `{key}` |")),
                    "{key} undocumented"
                );
            }
        }
    }
}

#[test]
fn the_loader_names_the_nearest_key_with_its_line() {
    let text = acme_etl().replacen("vendor = ", "vendorr = ", 1);
    let error = recipe::parse("typo.toml", &text).unwrap_err().to_string();
    assert!(
        error.contains("did you mean 'vendor'") && error.contains("line "),
        "{error}"
    );
}
