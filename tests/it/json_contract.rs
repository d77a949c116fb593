//! The JSON contract (docs/json.md) on every command that prints a result: each runs with
//! `--json` on a path that succeeds and on one that fails, and its stdout is one envelope
//! whose `status` is the exit code. Exit codes follow the one table (README, `--help`).

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::contract::envelope;
use crate::common::*;
use eca_wizard::emulator::org::{DEMO_APP, DEMO_INTEGRATION_USER};
use serde_json::Value;

struct Case {
    args: Vec<String>,
    code: i32,
    /// The error's kind, for a failing case.
    error: Option<&'static str>,
}

fn ok(args: &[&str]) -> Case {
    Case {
        args: args.iter().map(|a| a.to_string()).collect(),
        code: 0,
        error: None,
    }
}

fn failing(code: i32, error: Option<&'static str>, args: &[&str]) -> Case {
    Case {
        code,
        error,
        ..ok(args)
    }
}

fn home(name: &str) -> crate::common::temp::Folder {
    let dir = crate::common::temp::folder(&format!("contract-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs every case and checks its envelope; returns each envelope for further checks.
fn check_all(cases: &[Case], command: impl Fn() -> Command) -> Vec<Value> {
    let mut seen = Vec::new();
    for case in cases {
        let output: Output = command()
            .args(&case.args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(case.code),
            "{:?}: {}\n{said}",
            case.args,
            String::from_utf8_lossy(&output.stdout)
        );
        let value = envelope(&output.stdout, output.status.code());
        match case.error {
            Some(kind) => assert_eq!(value["error"]["kind"], kind, "{:?}: {value}", case.args),
            None => assert!(value.get("result").is_some(), "{:?}: {value}", case.args),
        }
        seen.push(value);
    }
    seen
}

fn offline(home: &Path) -> Command {
    let mut command = crate::common::launch::wizard(home);
    command.env("ECA_WIZARD_SECRETS", "file");
    command
}

#[test]
fn commands_without_an_org_keep_the_contract() {
    let home = home("offline");
    let recipe = home.join("mine.toml");
    let project = home.join("project");
    let recipe_arg = recipe.to_str().unwrap();
    let project_arg = project.to_str().unwrap();
    let cases = [
        ok(&["recipes", "--json"]),
        failing(2, Some("unknown_recipe"), &["recipes", "nope", "--json"]),
        ok(&["recipes", "show", "apideck", "--json"]),
        failing(
            2,
            Some("unknown_recipe"),
            &["recipes", "show", "nope", "--json"],
        ),
        ok(&["recipes", "new", "mine", "--out", recipe_arg, "--json"]),
        failing(2, Some("usage"), &["recipes", "new", "Not An Id", "--json"]),
        ok(&["recipes", "check", recipe_arg, "--json"]),
        failing(
            2,
            Some("usage"),
            &["recipes", "check", "/nonexistent/r.toml", "--json"],
        ),
        ok(&["recipes", "schema", "--json"]),
        failing(2, Some("usage"), &["recipes", "schema", "--json", "--nope"]),
        ok(&[
            "metadata",
            "--recipe",
            "custom",
            "--out",
            project_arg,
            "--json",
        ]),
        ok(&["metadata", "--check", project_arg, "--json"]),
        failing(
            2,
            Some("unknown_recipe"),
            &[
                "metadata",
                "--recipe",
                "nope",
                "--out",
                project_arg,
                "--json",
            ],
        ),
        ok(&[
            "explain",
            r#"{"error":"invalid_client_id","error_description":"client identifier invalid"}"#,
            "--json",
        ]),
        failing(1, None, &["explain", "all is well", "--json"]),
        failing(
            2,
            Some("unknown_recipe"),
            &["explain", "x", "--recipe", "nope", "--json"],
        ),
        ok(&["status", "--all", "--json"]),
        ok(&["profiles", "--json"]),
        // Offline: the clock comparison says why it couldn't be made; the rest stands.
        ok(&["doctor", "--json", "--login-url", "http://127.0.0.1:9"]),
        failing(2, Some("usage"), &["doctor", "--json", "--no-such-flag"]),
        failing(2, Some("usage"), &["profiles", "--json", "extra"]),
        failing(2, Some("unknown_profile"), &["token", "nope", "--json"]),
        failing(2, Some("unknown_profile"), &["status", "nope", "--json"]),
        failing(
            2,
            Some("unknown_profile"),
            &["export", "nope", "--format", "env", "--json"],
        ),
        failing(
            2,
            Some("unknown_profile"),
            &["logout", "nope", "--yes", "--json"],
        ),
        failing(2, Some("unknown_profile"), &["rotate", "nope", "--json"]),
        failing(
            2,
            Some("unknown_recipe"),
            &[
                "apply",
                "--recipe",
                "nope",
                "--instance-url",
                "https://acme.my.salesforce.com",
                "--json",
            ],
        ),
        // Refused before anything is sent: client credentials need the My Domain host.
        failing(
            2,
            Some("usage"),
            &[
                "connect",
                "--login-url",
                "login.salesforce.com",
                "--client-id",
                KEY,
                "--flow",
                "client-credentials",
                "--json",
            ],
        ),
        // clap's own usage errors, under --json, in the contract too.
        failing(2, Some("usage"), &["status", "--json", "--no-such-flag"]),
        failing(2, Some("usage"), &["connect", "--json"]),
    ];
    let seen = check_all(&cases, || offline(&home));
    // No profiles: an empty list, not nothing.
    let all = seen
        .iter()
        .find(|v| v["command"] == "status" && v["status"] == 0)
        .unwrap();
    assert_eq!(all["result"], serde_json::json!([]));
    // Nothing found by explain is a result with exit 1, not a diagnosis.
    let nothing = seen
        .iter()
        .find(|v| v["command"] == "explain" && v["status"] == 1)
        .unwrap();
    assert_eq!(nothing["result"]["error"], "unrecognised", "{nothing}");
    let _ = std::fs::remove_dir_all(home);
}

#[tokio::test]
async fn commands_on_a_saved_profile_keep_the_contract() {
    let home = home("profile");
    let (emulator, admin_token) = demo_org_with_sbs_profile(&home).await;
    emulator.set_client_secret_in_rest_api(true);
    let sf = sf_dir("contract");
    let my_domain = emulator.my_domain_url().to_string();
    let cases = [
        ok(&["status", "sbs", "--json"]),
        ok(&["export", "sbs", "--format", "env", "--json"]),
        ok(&["token", "sbs", "--json"]),
        ok(&[
            "connect",
            "--login-url",
            &my_domain,
            "--client-id",
            KEY,
            "--flow",
            "client-credentials",
            "--recipe",
            "service-board-sync",
            "--json",
        ]),
        failing(
            3,
            None,
            &[
                "connect",
                "--login-url",
                &my_domain,
                "--client-id",
                "3MVG9NoSuchAppAnywhere.x",
                "--flow",
                "client-credentials",
                "--propagation-window",
                "0",
                "--json",
            ],
        ),
        ok(&[
            "apply",
            "--recipe",
            "service-board-sync",
            "--target-org",
            "acme",
            "--name",
            "SBS_Json",
            "--run-as",
            DEMO_INTEGRATION_USER,
            "--callback-url",
            "https://sync.example.com/oauth/callback",
            "--dry-run",
            "--json",
        ]),
        ok(&["rotate", "sbs", "--target-org", "acme", "--json"]),
        ok(&["logout", "sbs", "--local", "--yes", "--json"]),
    ];
    let seen = tokio::task::spawn_blocking({
        let (home, sf, emulator_url) = (
            home.to_path_buf(),
            sf.to_path_buf(),
            emulator.my_domain_url().to_string(),
        );
        let token = admin_token.clone();
        move || {
            check_all(&cases, || {
                let mut command = offline(&home);
                let path = format!(
                    "{}:{}",
                    sf.display(),
                    std::env::var("PATH").unwrap_or_default()
                );
                command
                    .env("PATH", path)
                    .env("FAKE_SF_INSTANCE_URL", &emulator_url)
                    .env("FAKE_SF_TOKEN", &token)
                    .env("FAKE_SF_MODE", "current")
                    .env("ECA_WIZARD_CLIENT_SECRET", SECRET);
                command
            })
        }
    })
    .await
    .unwrap();
    let status = &seen[0]["result"][0];
    assert_eq!(status["profile"], "sbs");
    // Where the secrets are is data, not a sentence.
    assert_eq!(status["secrets_store"]["kind"], "file", "{status}");
    assert_eq!(status["secrets_store"]["survives_restart"], true);
    assert_eq!(seen[5]["result"]["applied"], "validated");
    assert_eq!(seen[7]["result"]["revocation"], "skipped");
    assert!(
        !home.join("profiles/sbs.toml").exists(),
        "logout --local forgot it"
    );
    assert!(emulator.app(DEMO_APP).is_some());
    // `token` prints the token: that is what it is asked for; nothing else does.
    for value in seen.iter().filter(|v| v["command"] != "token") {
        let text = value.to_string();
        assert!(
            !text.contains(SECRET) && !text.contains(&admin_token),
            "{text}"
        );
    }
    let _ = std::fs::remove_dir_all(&home);
    let _ = std::fs::remove_dir_all(&sf);
}
