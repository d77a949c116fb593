//! Every hosted MCP recipe, set up in the emulator from its own settings, connects and verifies
//! what its client will do (a JWT, an active server, getUserInfo for the user); each MCP mistake
//! is diagnosed with the step and setting that fix it.

use std::path::Path;

use crate::common::connecting::*;
use crate::common::ports::free_port;
use crate::common::*;
use crate::common::{launch, temp};
use eca_wizard::connect::{Outcome, Report, Request};
use eca_wizard::emulator::Emulator;
use eca_wizard::emulator::org::{App, DEMO_BROWSER_USER};
use eca_wizard::recipe::{self, Recipe, Role};
use eca_wizard::salesforce::Flow;
use eca_wizard::verify::Status;

const MCP_KEY: &str =
    "3MVG9McpRecipeTest.Key4Emulator.Only_NotASalesforceKey.0123456789AbCdEfGhIjKlMnOpQrStUv";
const SERVER: &str = "platform/sobject-reads";

fn mcp_recipes() -> Vec<Recipe> {
    recipe::builtin()
        .unwrap()
        .iter()
        .filter(|r| r.is_mcp())
        .cloned()
        .collect()
}

/// The app Setup holds after the recipe's steps, with the test's callback added.
fn app_for(recipe: &Recipe, port: u16) -> App {
    let mut callbacks = recipe.default_callback_urls();
    if callbacks.iter().all(|u| u.contains('<')) || recipe.callback_urls.is_empty() {
        callbacks.insert(0, "https://client.example.com/oauth/callback".into());
    }
    callbacks.extend(callback(port));
    let answers = [
        (Role::CallbackUrls, callbacks.join("\n")),
        (Role::ApiName, "Mcp_Test".to_string()),
    ];
    recipe_app(recipe, &answers, MCP_KEY)
}

fn mcp_request(emulator: &Emulator, recipe: &Recipe, port: u16) -> Request {
    let mut req = request(
        emulator,
        &recipe.id,
        Flow::AuthCode,
        emulator.login_url(),
        port,
    );
    req.client_id = MCP_KEY.into();
    // Public clients: the recipes turn both Require secret boxes off.
    req.client_secret = None;
    req.mcp_url = Some(emulator.mcp_server_url(SERVER));
    req
}

fn status_of<'a>(report: &'a Report, name: &str) -> Option<(Status, &'a str)> {
    report
        .checks
        .iter()
        .find(|c| c.name == name)
        .map(|c| (c.status, c.detail.as_str()))
}

#[tokio::test]
async fn every_mcp_recipe_connects_and_verifies_what_its_client_will_do() {
    let recipes = mcp_recipes();
    assert!(recipes.len() >= 6, "{}", recipes.len());
    for recipe in &recipes {
        let emulator = start();
        let port = free_port();
        emulator.put_app(app_for(recipe, port));
        let run = run(&mcp_request(&emulator, recipe, port), Visit::Follow).await;
        assert_connected(&run.report);
        for check in [
            "token_format",
            "mcp_server",
            "mcp_call",
            "identity",
            "refresh",
        ] {
            let (status, detail) = status_of(&run.report, check)
                .unwrap_or_else(|| panic!("{}: no {check} in {:?}", recipe.id, run.report.checks));
            assert_eq!(status, Status::Passed, "{}: {check}: {detail}", recipe.id);
        }
        let (_, tools) = status_of(&run.report, "mcp_server").unwrap();
        assert!(tools.contains("6 tools"), "{tools}");
        let (_, call) = status_of(&run.report, "mcp_call").unwrap();
        assert!(call.contains(DEMO_BROWSER_USER), "{call}");
        assert!(
            status_of(&run.report, "rest_api").is_none(),
            "an MCP client doesn't call the REST API"
        );
        assert_eq!(
            run.report.identity.as_ref().unwrap().username,
            DEMO_BROWSER_USER
        );
    }
}

/// Connects the Claude recipe's app with one mistake and checks where the fix is.
async fn diagnose(
    port: u16,
    break_it: impl FnOnce(&Emulator, &mut App),
    step: &str,
    label: Option<&str>,
) -> Report {
    let recipe = recipe::builtin_by_id("mcp-claude").unwrap().clone();
    let emulator = start();
    let mut app = app_for(&recipe, port);
    break_it(&emulator, &mut app);
    emulator.put_app(app);
    let run = run(&mcp_request(&emulator, &recipe, port), Visit::Follow).await;
    assert_diagnosed(
        &run.report,
        "mcp-claude",
        Outcome::Misconfigured,
        step,
        label,
    );
    run.report
}

#[tokio::test]
async fn jwt_tokens_off_is_diagnosed_at_the_security_step() {
    let report = diagnose(
        free_port(),
        |_, app| app.named_user_jwt = false,
        "security",
        Some("Issue JSON Web Token (JWT)-based access tokens for named users"),
    )
    .await;
    assert_eq!(
        status_of(&report, "token_format").unwrap().0,
        Status::Failed
    );
    // The server's own answer is reported too: the opaque token is refused.
    let (status, detail) = status_of(&report, "mcp_server").unwrap();
    assert_eq!(status, Status::Failed, "{detail}");
}

#[tokio::test]
async fn api_beside_mcp_api_is_diagnosed_at_the_scopes() {
    let report = diagnose(
        free_port(),
        |_, app| app.scopes.push("api".into()),
        "oauth-settings",
        Some("Selected OAuth Scopes"),
    )
    .await;
    let diagnosis = report.diagnosis.clone().unwrap();
    assert!(
        diagnosis.message.contains("remove"),
        "{}",
        diagnosis.message
    );
    // The server's refusal names the same cause, not JWT-based tokens left off.
    let (status, detail) = status_of(&report, "mcp_server").unwrap();
    assert_eq!(status, Status::Failed, "{detail}");
    assert!(
        detail.contains("refused the opaque token") && detail.contains("remove"),
        "{detail}"
    );
    assert!(!detail.contains("check Issue JSON Web Token"), "{detail}");
}

#[tokio::test]
async fn an_inactive_server_is_diagnosed_at_the_activation_step() {
    let report = diagnose(
        free_port(),
        |emulator, _| emulator.set_mcp_server_active(SERVER, false),
        "mcp-server",
        None,
    )
    .await;
    let diagnosis = report.diagnosis.clone().unwrap();
    assert!(
        diagnosis.message.contains("Activate"),
        "{}",
        diagnosis.message
    );
    assert_eq!(status_of(&report, "mcp_call").unwrap().0, Status::Skipped);
}

fn connect_command(home: &Path, args: &[&str]) -> std::process::Command {
    let mut command = launch::wizard(home);
    command
        .args(["connect", "--json", "--timeout", "20"])
        .args(args)
        .env("BROWSER", launch::BROWSER_STUB);
    command
}

#[tokio::test]
async fn connect_json_reports_the_mcp_checks_and_prints_no_token() {
    let recipe = recipe::builtin_by_id("mcp-cursor").unwrap();
    let emulator = start();
    let port = free_port();
    emulator.put_app(app_for(recipe, port));
    let callback = format!("http://localhost:{port}/callback");
    let mcp_url = emulator.mcp_server_url(SERVER);
    let port_text = port.to_string();
    let args = [
        "--recipe",
        "mcp-cursor",
        "--login-url",
        emulator.login_url(),
        "--client-id",
        MCP_KEY,
        "--callback-port",
        &port_text,
        "--callback-url",
        &callback,
        "--mcp-url",
        &mcp_url,
        "--save",
        "cursor-acme",
        "--secrets-file",
    ];
    let home = temp::folder("mcp-home");
    let output = launch::output(connect_command(&home, &args)).await;
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    let report = contract::result(&output.stdout, output.status.code());
    assert_eq!(report["outcome"], "connected");
    for name in ["token_format", "mcp_server", "mcp_call"] {
        let check = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no {name}: {stdout}"));
        assert_eq!(check["status"], "passed", "{check}");
    }
    for text in [&stdout, &stderr] {
        assert!(!has_jwt(text), "a JWT was printed: {text}");
    }

    // The profile keeps the server: `status` refreshes (a JWT again) and checks the server.
    let mut status = launch::wizard(&home);
    status.args(["status", "cursor-acme", "--json"]);
    let output = launch::output(status).await;
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    let profiles = contract::result(&output.stdout, output.status.code());
    let checks = profiles[0]["checks"].as_array().expect("checks").clone();
    for name in ["token_format", "mcp_server", "mcp_call"] {
        let check = checks.iter().find(|c| c["name"] == name);
        assert_eq!(
            check.map(|c| c["status"].clone()),
            Some("passed".into()),
            "{name}: {stdout}"
        );
    }
    assert!(!has_jwt(&stdout), "{stdout}");

    // The emulator's MCP host can't be guessed: a loopback login without --mcp-url is refused
    // before anything is sent.
    let args = [
        "--recipe",
        "mcp-cursor",
        "--login-url",
        emulator.login_url(),
        "--client-id",
        MCP_KEY,
    ];
    let output = launch::output(connect_command(&home, &args)).await;
    assert_eq!(output.status.code(), Some(2));
    // Under --json the refusal is the envelope's error, on stdout.
    let refused = contract::envelope(&output.stdout, output.status.code());
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--mcp-url"),
        "{refused}"
    );

    // A beta server URL is refused with the reason, before anything is sent.
    let beta = format!(
        "{}/platform/mcp/v1-beta.2/platform/sobject-all",
        emulator.mcp_url()
    );
    let args = [
        "--recipe",
        "mcp-cursor",
        "--login-url",
        emulator.login_url(),
        "--client-id",
        MCP_KEY,
        "--mcp-url",
        &beta,
    ];
    let output = launch::output(connect_command(&home, &args)).await;
    assert_eq!(output.status.code(), Some(2));
    let said =
        contract::envelope(&output.stdout, output.status.code())["error"]["message"].to_string();
    assert!(
        said.contains("--mcp-url") && said.contains("beta"),
        "{said}"
    );
}
