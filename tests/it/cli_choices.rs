//! `--choice ID=OPTION` on the command line: `metadata` (and `apply`, `connect`, `recipes ID`) build the
//! recipe the answers make, refuse an unknown choice or option with the nearest one, and
//! `--json` names the answers used.

use crate::common::recipe_files::{home, text, wizard};

fn example() -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/format2-example.toml")
        .display()
        .to_string()
}

fn metadata(name: &str, extra: &[&str]) -> (std::process::Output, crate::common::temp::Folder) {
    let home = home(name);
    let out = home.join("project");
    let file = example();
    let mut args = vec![
        "--recipe-file",
        &file,
        "metadata",
        "--recipe",
        "etl-either-flow",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ];
    args.extend_from_slice(extra);
    (wizard(&home, &args), home)
}

#[test]
fn metadata_builds_the_chosen_flow_and_names_the_answers() {
    let (output, home) = metadata(
        "choice-jwt",
        &["--choice", "flow=jwt-bearer", "--no-jwt-certificate"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["result"]["choices"]["flow"], "jwt-bearer", "{json}");
    // Client credentials (the default) deploys a Run As user; JWT bearer pre-authorizes instead.
    let all = walk(&home.join("project"));
    assert!(
        !all.contains("<isClientCredentialsFlowEnabled>true"),
        "{all}"
    );

    let (output, home) = metadata("choice-default", &["--run-as", "etl@acme.example"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["result"]["choices"]["flow"], "client-credentials");
    assert!(walk(&home.join("project")).contains("<isClientCredentialsFlowEnabled>true"));
}

/// Every file's text under `dir`, joined.
fn walk(dir: &std::path::Path) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.push_str(&walk(&path));
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            all.push_str(&text);
        }
    }
    all
}

#[test]
fn an_unknown_choice_or_option_is_refused_with_the_nearest() {
    for (given, said) in [
        (
            "flw=jwt-bearer",
            "has no choice 'flw' (did you mean 'flow'?); its choices: flow",
        ),
        (
            "flow=jwt-barer",
            "'flow' has no option 'jwt-barer' (did you mean 'jwt-bearer'?); its options: client-credentials, jwt-bearer",
        ),
        ("flow", "write it as ID=OPTION"),
    ] {
        let (output, _home) = metadata("choice-refused", &["--choice", given]);
        assert_eq!(output.status.code(), Some(2), "{given}: {}", text(&output));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let message = json["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(said), "{given}: {json}");
    }
    // A recipe without choices says so.
    let home = home("choice-none");
    let out = home.join("p");
    let output = wizard(
        &home,
        &[
            "metadata",
            "--recipe",
            "apideck",
            "--out",
            out.to_str().unwrap(),
            "--choice",
            "flow=jwt-bearer",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("recipe 'apideck' asks no questions; leave --choice out"),
        "{}",
        text(&output)
    );
}

/// One answer per choice: a choice given twice, or `--flow` against the recipe's flow answer,
/// is refused before anything is asked of the org (a profile saved so couldn't be used).
#[test]
fn an_answer_is_given_once() {
    let (output, _home) = metadata(
        "choice-twice",
        &[
            "--choice",
            "flow=jwt-bearer",
            "--choice",
            "flow=client-credentials",
        ],
    );
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        text(&output).contains("answered twice"),
        "{}",
        text(&output)
    );

    let home = home("choice-flow-contradicts");
    let file = example();
    let output = wizard(
        &home,
        &[
            "--recipe-file",
            &file,
            "connect",
            "--recipe",
            "etl-either-flow",
            "--login-url",
            "https://acme.my.salesforce.com",
            "--client-id",
            "3MVG9TestConsumerKey000000",
            "--choice",
            "flow=jwt-bearer",
            "--flow",
            "client-credentials",
        ],
    );
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        text(&output).contains("--flow client-credentials contradicts --choice flow=jwt-bearer"),
        "{}",
        text(&output)
    );
}

/// `recipes ID --choice ...` prints the checklist those answers make (the default otherwise),
/// says which answer is shown, and refuses an option the recipe doesn't offer.
#[test]
fn recipes_id_previews_the_checklist_for_an_answer() {
    let home = home("recipes-choice");
    let default = text(&wizard(&home, &["recipes", "sf-cli-ci"]));
    assert!(default.contains("Flow:    JWT bearer"), "{default}");
    assert!(default.contains("shown: jwt-bearer"), "{default}");

    let web = wizard(
        &home,
        &["recipes", "sf-cli-ci", "--choice", "flow=auth-code"],
    );
    let said = text(&web);
    assert!(web.status.success(), "{said}");
    assert!(said.contains("Flow:    authorization code"), "{said}");
    assert!(said.contains("shown: auth-code"), "{said}");

    let json = wizard(
        &home,
        &[
            "recipes",
            "sf-cli-ci",
            "--choice",
            "flow=auth-code",
            "--json",
        ],
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["result"]["flow"], "auth-code", "{value}");
    assert_eq!(value["result"]["answers"]["flow"], "auth-code", "{value}");

    let wrong = wizard(&home, &["recipes", "sf-cli-ci", "--choice", "flow=web"]);
    let said = text(&wrong);
    assert_eq!(wrong.status.code(), Some(2), "{said}");
    assert!(said.contains("'flow' has no option 'web'"), "{said}");
}
