//! The package install path (format 2's `[package]`): a vendor ships the app in a package, the
//! admin installs it and edits the installed app's policies. Walked with the example recipe
//! (tests/data/package-example.toml): the loader and its refusals with positions, the install
//! step on screen with the org's install link (ctrl-o opens it), `metadata` writing only the
//! policies and permission set, the emulator's PackageInstallRequest as strict as Salesforce
//! documents it, and `apply --dry-run`, `apply` and the connect it hands over to.

use std::process::Output;

use crate::common::driving::*;
use crate::common::*;
use eca_wizard::emulator::Emulator;
use eca_wizard::emulator::org::DEMO_INTEGRATION_USER;
use eca_wizard::metadata::{self, Options};
use eca_wizard::recipe::{self, Recipe};
use eca_wizard::wizard::{Cmd, Key, Model, ScreenKind};

const EXAMPLE: &str = include_str!("../data/package-example.toml");
const VERSION: &str = "04t5g000000LdgSAAS";
const KEYED: &str = "04t5g000000KeyPAAS";

fn example() -> Recipe {
    recipe::parse("package-example.toml", EXAMPLE).expect("the example loads")
}

/// `recipes check` on the example with `edit` applied, as a consultant runs it.
fn check_edited(name: &str, edit: impl Fn(&str) -> String) -> String {
    let home = recipe_files::home(name);
    let file = home.join("edited.toml");
    std::fs::write(&file, edit(EXAMPLE)).unwrap();
    let output = recipe_files::wizard(&home, &["recipes", "check", file.to_str().unwrap()]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        recipe_files::text(&output)
    );
    recipe_files::text(&output)
}

#[test]
fn the_example_loads_with_its_package_and_install_step() {
    let recipe = example();
    let package = recipe.package.as_ref().unwrap();
    assert_eq!(package.version_id, VERSION);
    assert_eq!(package.app, "Ledger_Sync");
    assert!(
        recipe
            .steps
            .iter()
            .any(|s| s.kind == recipe::StepKind::InstallPackage)
    );
    // No step creates the app: the package brings it.
    assert!(recipe.steps.iter().all(|s| !matches!(
        s.kind,
        recipe::StepKind::BasicInfo | recipe::StepKind::OauthSettings
    )));
}

#[test]
fn a_malformed_id_and_the_vendors_settings_are_refused_where_they_are() {
    let said = check_edited("package-bad", |text| {
        text.replace(VERSION, "04t5g000000LdgSAAB")
            .replace(
                "key = \"ip-relaxation\"\nvalue = \"Enforce IP restrictions\"",
                "key = \"enable-client-credentials\"\nvalue = true",
            )
            .replace("kind = \"policies\"", "kind = \"security\"")
    });
    for expected in [
        "edited.toml:22:14: '04t5g000000LdgSAAB' is not a package version id: its last three characters don't match",
        "'enable-client-credentials' is set by Ledger Co in the packaged app; a subscriber org can't change it on the installed app; did you mean 'policy-client-credentials'?",
        "(security) changes the app, which Ledger Co ships in its package",
    ] {
        assert!(said.contains(expected), "{expected}\n{said}");
    }
    assert!(
        said.contains("edited.toml:116:"),
        "the setting's line: {said}"
    );
    // Every problem at once.
    assert!(said.contains("3 problem(s)"), "{said}");
}

#[test]
fn the_table_and_the_step_go_together_and_need_format_2() {
    let without_step = check_edited("package-no-step", |text| {
        text.replace("kind = \"install-package\"", "kind = \"permissions\"")
    });
    assert!(
        without_step.contains("a recipe with [package] has an install-package step"),
        "{without_step}"
    );
    let format_1 = check_edited("package-format1", |text| {
        text.replace("format = 2", "format = 1")
    });
    assert!(
        format_1.contains("'package' needs format = 2"),
        "{format_1}"
    );
    let short = check_edited("package-short", |text| {
        text.replace(VERSION, "04t5g000000Ld")
    });
    assert!(short.contains("15 or 18 letters and digits"), "{short}");
    let typo = check_edited("package-typo", |text| {
        text.replace("publisher = ", "publishr = ")
    });
    assert!(
        typo.contains("unknown key 'publishr' in [package]; did you mean 'publisher'?"),
        "{typo}"
    );
}

/// The wizard with the example as a local recipe, at the install step, the org given.
fn at_install_step() -> Model {
    let mut all = recipe::builtin().unwrap().to_vec();
    let mut recipe = example();
    recipe.origin = Some("recipes/package-example.toml".into());
    all.push(recipe);
    let all: &'static [Recipe] = Box::leak(all.into_boxed_slice());
    let mut model = Model::new(all, Vec::new(), 1_000);
    resize(&mut model, 100, 40);
    choose(&mut model, "package-example");
    set_org(&mut model, "https://acme.my.salesforce.com");
    press(&mut model, Key::PageDown);
    press(&mut model, Key::PageDown);
    assert_eq!(model.kind(), ScreenKind::Step(2));
    model
}

#[test]
fn the_install_step_shows_the_orgs_install_link_and_ctrl_o_opens_it() {
    let mut model = at_install_step();
    resize(&mut model, 120, 40);
    let screen = draw(&model, 120, 40);
    let link =
        format!("https://acme.my.salesforce.com/packaging/installPackage.apexp?p0={VERSION}");
    assert!(screen.contains(&link), "{screen}");
    assert!(screen.contains("Ledger Sync by Ledger Co"), "{screen}");
    assert!(
        screen.contains("ctrl-o open install page"),
        "the footer offers it by its name: {screen}"
    );
    insta::assert_snapshot!("package_install_step_120x40", screen);
    let cmds = press(&mut model, Key::Ctrl('o'));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::OpenUrl(url) if *url == link)),
        "{cmds:?}"
    );
}

#[test]
fn metadata_writes_only_the_policies_and_the_permission_set() {
    let recipe = example();
    let options = Options {
        run_as: Some(DEMO_INTEGRATION_USER.into()),
        ..Options::default()
    };
    let files = metadata::generate(&recipe, &options).unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "sfdx-project.json",
            "manifest/package.xml",
            "force-app/main/default/extlClntAppOauthPolicies/Ledger_Sync_oauth_defaultPolicy.ecaOauthPlcy-meta.xml",
            "force-app/main/default/permissionsets/Ledger_Sync_Integration.permissionset-meta.xml",
            "README.md",
        ]
    );
    let policies = &files[2].contents;
    for part in [
        "<externalClientApplication>Ledger_Sync</externalClientApplication>",
        "<clientCredentialsFlowUser>integration@eca-wizard.demo</clientCredentialsFlowUser>",
        "<permittedUsersPolicyType>AdminApprovedPreAuthorized</permittedUsersPolicyType>",
    ] {
        assert!(policies.contains(part), "{part}\n{policies}");
    }
    let readme = &files[4].contents;
    assert!(
        readme.contains("Nothing else, on purpose") && readme.contains("Ledger Co's"),
        "{readme}"
    );
    assert!(!files[1].contents.contains("ExternalClientApplication<"));
}

async fn tooling(
    emulator: &Emulator,
    token: &str,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let url = format!(
        "{}/services/data/v66.0/tooling/{path}",
        emulator.my_domain_url()
    );
    let request = match method {
        "POST" => client().post(&url).json(&body.unwrap_or_default()),
        _ => client().get(&url),
    };
    let response = request.bearer_auth(token).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

/// The install request `id` as the org reads it back.
async fn read_install(emulator: &Emulator, token: &str, id: &str) -> serde_json::Value {
    let path = format!("sobjects/PackageInstallRequest/{id}");
    tooling(emulator, token, "GET", &path, None).await.1
}

async fn request_install(
    emulator: &Emulator,
    token: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    tooling(
        emulator,
        token,
        "POST",
        "sobjects/PackageInstallRequest",
        Some(body),
    )
    .await
}

#[tokio::test]
async fn the_emulator_refuses_installs_as_salesforce_does() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let cases = [
        (
            serde_json::json!({"SubscriberPackageVersionKey": "04t000000000000AAA"}),
            "INVALID_CROSS_REFERENCE_KEY",
        ),
        (
            serde_json::json!({"SubscriberPackageVersionKey": "0Ho5g000000LdgSAAS"}),
            "MALFORMED_ID",
        ),
        (
            serde_json::json!({"SubscriberPackageVersionKey": KEYED}),
            "INSTALL_KEY_REQUIRED",
        ),
        (
            serde_json::json!({"SubscriberPackageVersionKey": KEYED, "Password": "guess"}),
            "INSTALL_KEY_INVALID",
        ),
    ];
    for (body, code) in cases {
        let (status, answer) = request_install(&emulator, &token, body).await;
        assert_eq!(status, 400, "{answer}");
        assert_eq!(answer[0]["errorCode"], code, "{answer}");
    }
    // The right key installs; the app arrives with the vendor's key.
    let (status, created) = request_install(
        &emulator,
        &token,
        serde_json::json!({"SubscriberPackageVersionKey": KEYED, "Password": "open-sesame"}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("0Hf") && id.len() == 18, "{id}");
    let read = read_install(&emulator, &token, &id).await;
    assert_eq!(read["Status"], "SUCCESS", "{read}");
    let app = emulator.app("Keyed_Connector").expect("installed");
    assert_eq!(app.installed_from.as_deref(), Some(KEYED));
    // Installing it again ends in an error.
    let (_, created) = request_install(
        &emulator,
        &token,
        serde_json::json!({"SubscriberPackageVersionKey": KEYED, "Password": "open-sesame"}),
    )
    .await;
    let again = created["id"].as_str().unwrap();
    let (_, read) = tooling(
        &emulator,
        &token,
        "GET",
        &format!("sobjects/PackageInstallRequest/{again}"),
        None,
    )
    .await;
    assert_eq!(read["Status"], "ERROR", "{read}");
    assert!(
        read["Errors"]["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("already installed"),
        "{read}"
    );
    let (_, listed) = tooling(
        &emulator,
        &token,
        "GET",
        "query?q=SELECT+SubscriberPackageVersion.Id+FROM+InstalledSubscriberPackage",
        None,
    )
    .await;
    assert_eq!(
        listed["records"][0]["SubscriberPackageVersion"]["Id"], KEYED,
        "{listed}"
    );
}

#[tokio::test]
async fn only_an_admin_installs_and_an_installed_apps_settings_dont_deploy() {
    let emulator = start();
    // The integration user's own token (client credentials run as it) is no admin's.
    let (status, _) = request_install(
        &emulator,
        KEY_TOKEN_PLACEHOLDER,
        serde_json::json!({"SubscriberPackageVersionKey": VERSION}),
    )
    .await;
    assert_eq!(status, 401, "no session, no install");
    let token = admin_token(&emulator).await;
    let (_, created) = request_install(
        &emulator,
        &token,
        serde_json::json!({"SubscriberPackageVersionKey": VERSION}),
    )
    .await;
    let id = created["id"].as_str().unwrap();
    tooling(
        &emulator,
        &token,
        "GET",
        &format!("sobjects/PackageInstallRequest/{id}"),
        None,
    )
    .await;
    // A project made for an app of one's own, deployed over the installed one: its settings
    // are refused, so nothing changes.
    let own = recipe::builtin_by_id("service-board-sync").unwrap();
    let options = Options {
        name: Some("Ledger_Sync".into()),
        run_as: Some(DEMO_INTEGRATION_USER.into()),
        callback_urls: vec!["https://sync.example.com/oauth/callback".into()],
        policy_names: metadata::PolicyNames::Packaged,
        ..Options::default()
    };
    let zip =
        eca_wizard::apply::package::mdapi_zip(&metadata::generate(own, &options).unwrap()).unwrap();
    let session = eca_wizard::apply::session::from_token(emulator.my_domain_url(), &token).unwrap();
    let deployed = eca_wizard::apply::deploy::deploy(
        client(),
        &session,
        "66.0",
        zip,
        false,
        std::time::Duration::from_millis(10),
        &mut |_| {},
    )
    .await
    .unwrap();
    assert!(!deployed.success, "{deployed:?}");
    assert!(
        deployed
            .failures
            .iter()
            .any(|f| f.problem.contains("Cannot modify managed object")),
        "{deployed:?}"
    );
}

const KEY_TOKEN_PLACEHOLDER: &str = "00Dnot!a-session";

fn apply(
    dir: &std::path::Path,
    home: &std::path::Path,
    emulator: &Emulator,
    token: &str,
    extra: &[&str],
) -> Output {
    let mut args = vec![
        "apply",
        "--recipe",
        "package-example",
        "--target-org",
        "acme",
        "--run-as",
        DEMO_INTEGRATION_USER,
    ];
    args.extend_from_slice(extra);
    run_with_sf(dir, emulator, token, "current", Some(home), &args)
}

/// An app the org got from package version `version`, installed long ago.
fn put_installed(emulator: &Emulator, api_name: &str, version: &str) {
    let mut app = eca_wizard::emulator::org::App::demo();
    app.api_name = api_name.into();
    app.installed_from = Some(version.into());
    emulator.put_settled_app(app);
}

/// The example for the emulator's protected package (key `open-sesame`).
fn keyed_example() -> String {
    EXAMPLE.replace(VERSION, KEYED).replace(
        "app = \"Ledger_Sync\"",
        "app = \"Keyed_Connector\"\ninstall_key = true",
    )
}

/// `apply` of the example for the integration user, with `key` as the installation key.
fn apply_with_key(
    dir: &std::path::Path,
    home: &std::path::Path,
    (emulator, token): (&Emulator, &str),
    key: &str,
    extra: &[&str],
) -> Output {
    sf_command(dir, emulator, token, "current", Some(home))
        .args([
            "apply",
            "--recipe",
            "package-example",
            "--target-org",
            "acme",
        ])
        .args(["--run-as", DEMO_INTEGRATION_USER])
        .args(extra)
        .env("ECA_WIZARD_INSTALL_KEY", key)
        .output()
        .unwrap()
}

/// The command's output, after checking it exited with `code` and says every one of `parts`.
fn exits_saying(output: &Output, code: i32, parts: &[&str]) -> String {
    let text = said(output);
    assert_eq!(output.status.code(), Some(code), "{text}");
    for part in parts {
        assert!(text.contains(part), "{part:?} in:\n{text}");
    }
    text
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test]
async fn apply_plans_installs_deploys_the_policies_and_connects() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let dir = sf_dir("package-apply");
    let home = recipe_files::home("package-apply-home");
    std::fs::write(home.join("recipes/package-example.toml"), EXAMPLE).unwrap();

    let dry = apply(&dir, &home, &emulator, &token, &["--dry-run"]);
    let text = exits_saying(
        &dry,
        0,
        &[
            &format!("Package: would install Ledger Sync by Ledger Co ({VERSION}) first"),
            "To undo: Setup > Installed Packages",
        ],
    );
    assert!(
        text.contains("extlClntAppOauthPolicies/Ledger_Sync_oauth_defaultPolicy.ecaOauthPlcy"),
        "the plan lists the policies: {text}"
    );
    assert!(
        !text.contains("externalClientApps/"),
        "nothing else deploys: {text}"
    );
    assert!(
        text.contains("validated only once Ledger Sync is installed"),
        "{text}"
    );
    // The security list names what the deploy sets: the policies, not the vendor's settings.
    assert!(
        text.contains("Run As (Username): integration@eca-wizard.demo"),
        "{text}"
    );
    assert!(!text.contains("Callback URL"), "{text}");
    assert!(
        emulator.app("Ledger_Sync").is_none(),
        "a dry run installs nothing"
    );

    let done = apply(&dir, &home, &emulator, &token, &["--allow-secret-access"]);
    let text = exits_saying(&done, 0, &["Installed Ledger Sync", "install: SUCCESS"]);
    let app = emulator.app("Ledger_Sync").expect("installed");
    assert!(app.policies.client_credentials, "{:?}", app.policies);
    assert_eq!(app.policies.run_as.as_deref(), Some(DEMO_INTEGRATION_USER));
    assert!(
        !text.contains(&app.consumer_secret),
        "the secret is never printed"
    );
    assert!(!text.contains(&token), "the session token is never printed");

    // Again: the package is there, so only the policies are looked at.
    let again = apply(&dir, &home, &emulator, &token, &["--dry-run"]);
    let text = exits_saying(&again, 0, &["is installed already"]);
    // The vendor's scopes are not the org's to change: no drift is told about them.
    assert!(!text.contains("Selected OAuth Scopes"), "{text}");
}

#[tokio::test]
async fn a_protected_package_needs_its_key_from_the_environment() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let dir = sf_dir("package-keyed");
    let home = recipe_files::home("package-keyed-home");
    std::fs::write(home.join("recipes/package-example.toml"), keyed_example()).unwrap();

    let refused = apply(&dir, &home, &emulator, &token, &[]);
    let text = said(&refused);
    assert_ne!(refused.status.code(), Some(0), "{text}");
    assert!(
        text.contains("needs the installation key Ledger Co gave you: set ECA_WIZARD_INSTALL_KEY"),
        "{text}"
    );
    assert!(emulator.app("Keyed_Connector").is_none(), "nothing changed");

    // With a user to create: the install comes first, so its refusal leaves no user behind.
    let wrong = sf_command(&dir, &emulator, &token, "current", Some(&home))
        .args([
            "apply",
            "--recipe",
            "package-example",
            "--target-org",
            "acme",
        ])
        .args([
            "--create-user",
            "keyed@acme.example",
            "--contact-email",
            "admin@acme.example",
        ])
        .env("ECA_WIZARD_INSTALL_KEY", "guess")
        .output()
        .unwrap();
    let text = said(&wrong);
    assert!(
        text.contains("Invalid InstallationKey for SubscriberPackageVersion (INSTALL_KEY_INVALID"),
        "{text}"
    );
    assert!(!text.contains("guess"), "the key is never printed: {text}");
    assert!(emulator.app("Keyed_Connector").is_none(), "nothing changed");
    assert!(
        emulator.org().user("keyed@acme.example").is_none(),
        "no user was created before the install failed: {text}"
    );

    let right = apply_with_key(
        &dir,
        &home,
        (&emulator, &token),
        "open-sesame",
        &["--allow-secret-access"],
    );
    let text = exits_saying(&right, 0, &["Installed Ledger Sync"]);
    assert!(
        !text.contains("open-sesame"),
        "the key is never printed: {text}"
    );
    assert!(emulator.app("Keyed_Connector").is_some());
}

/// A key with a quote and a backslash reaches the org as the same key: the version lookup puts
/// it in a SOQL string literal, escaped (the emulator undoes SOQL's escapes, as Salesforce does).
#[tokio::test]
async fn a_key_with_quotes_and_backslashes_is_sent_intact() {
    let key = r"o'pen\sesame";
    let mut org = eca_wizard::emulator::org::Org::demo();
    let keyed = org
        .packages
        .iter_mut()
        .find(|p| p.version_id == KEYED)
        .expect("the demo's protected package");
    keyed.install_key = Some(key.to_string());
    let emulator = start_with(org, true);
    let token = admin_token(&emulator).await;
    let dir = sf_dir("package-keyed-quote");
    let home = recipe_files::home("package-keyed-quote-home");
    std::fs::write(home.join("recipes/package-example.toml"), keyed_example()).unwrap();
    // Another package at another version makes apply look the version up with the key first.
    put_installed(&emulator, "Ledger_Sync_Classic", "04t5g000000OldVAAS");
    let right = apply_with_key(
        &dir,
        &home,
        (&emulator, &token),
        key,
        &["--allow-secret-access"],
    );
    let text = exits_saying(&right, 0, &["Installed Ledger Sync"]);
    assert!(!text.contains("sesame"), "the key is never printed: {text}");
    assert!(emulator.app("Keyed_Connector").is_some());
}

#[test]
fn the_metadata_command_says_why_it_writes_only_the_policies() {
    let home = recipe_files::home("package-metadata");
    std::fs::write(home.join("recipes/package-example.toml"), EXAMPLE).unwrap();
    let out = home.join("project");
    let output = recipe_files::wizard(
        &home,
        &[
            "metadata",
            "--recipe",
            "package-example",
            "--out",
            out.to_str().unwrap(),
            "--run-as",
            DEMO_INTEGRATION_USER,
        ],
    );
    let text = recipe_files::text(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("Only the installed app's policies and the permission set: Ledger Sync (Ledger Co) carries the app"),
        "{text}"
    );
    assert!(
        !out.join("force-app/main/default/externalClientApps")
            .exists()
    );
}

#[tokio::test]
async fn an_org_file_adds_a_package_the_emulator_then_installs() {
    let mut org = eca_wizard::emulator::org::Org::demo();
    let file = r#"
version_id = "04t5g000000GoneAAC"
name = "Vendor Bridge"
[app]
api_name = "Vendor_Bridge"
consumer_key = "3MVG9VendorBridgeKey"
consumer_secret = "VendorBridgeSecret"
callback_urls = ["https://bridge.example/cb"]
scopes = ["api"]
"#;
    let package: eca_wizard::emulator::packages::PublishedPackage =
        toml::from_str(file).expect("a package as an org file writes it");
    org.packages.push(package);
    let emulator = start_with(org, true);
    let token = admin_token(&emulator).await;
    let (status, created) = request_install(
        &emulator,
        &token,
        serde_json::json!({"SubscriberPackageVersionKey": "04t5g000000Gone"}),
    )
    .await;
    assert_eq!(status, 201, "the 15-character form too: {created}");
    let id = created["id"].as_str().unwrap();
    let read = read_install(&emulator, &token, id).await;
    assert_eq!(read["Status"], "SUCCESS", "{read}");
    let app = emulator.app("Vendor_Bridge").expect("installed");
    assert_eq!(app.consumer_key, "3MVG9VendorBridgeKey");
}

/// SIGINT while the install runs: it can't be cancelled, so apply waits for it, then stops
/// before the policies deploy (exit 130), and says so; the package is in, the policies not yet.
#[cfg(unix)]
#[tokio::test]
async fn sigint_during_the_install_waits_for_it_and_stops_before_the_policies() {
    use std::io::{BufRead, BufReader};
    let emulator = start();
    let token = admin_token(&emulator).await;
    let dir = sf_dir("package-sigint");
    let home = recipe_files::home("package-sigint-home");
    std::fs::write(home.join("recipes/package-example.toml"), EXAMPLE).unwrap();
    let mut child = sf_command(&dir, &emulator, &token, "current", Some(&home))
        .args([
            "apply",
            "--recipe",
            "package-example",
            "--target-org",
            "acme",
        ])
        .args(["--run-as", DEMO_INTEGRATION_USER])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // apply tells what it does on stderr, as it happens.
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("install: requested") {
            break;
        }
    }
    assert!(seen.contains("install: requested"), "{seen}");
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let output = child.wait_with_output().unwrap();
    let said = format!(
        "{seen}{}{}",
        rest.join("\n"),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(130), "{said}");
    assert!(said.contains("Installed Ledger Sync"), "{said}");
    assert!(
        said.contains("SIGINT: the install had been requested and can't be cancelled"),
        "{said}"
    );
    let app = emulator.app("Ledger_Sync").expect("the install finished");
    assert!(app.policies.run_as.is_none(), "the policies didn't deploy");
}

/// An app in a namespaced package (`acme__Sync`) gets a permission set of the org's own name,
/// the same one `metadata` writes and `apply` assigns.
#[test]
fn a_namespaced_app_s_permission_set_is_the_org_s_own() {
    let options = eca_wizard::metadata::Options::default();
    assert_eq!(
        eca_wizard::metadata::permission_set_name(&options, "acme__Acme_Connector"),
        "Acme_Connector_Integration"
    );
    assert_eq!(
        eca_wizard::metadata::permission_set_name(&options, "Ledger_Sync"),
        "Ledger_Sync_Integration"
    );
}

/// The printed checklist, the one a consultant hands on, names the package and its install link;
/// `--json` carries the package too.
#[test]
fn the_printed_checklist_names_the_package_and_its_install_link() {
    let home = recipe_files::home("package-checklist");
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/package-example.toml"
    );
    let text = recipe_files::text(&recipe_files::wizard(
        &home,
        &["--recipe-file", file, "recipes", "package-example"],
    ));
    assert!(text.contains(&format!("version {VERSION}")), "{text}");
    assert!(
        text.contains(&format!("/packaging/installPackage.apexp?p0={VERSION}")),
        "{text}"
    );
    let json = recipe_files::wizard(
        &home,
        &[
            "--recipe-file",
            file,
            "recipes",
            "package-example",
            "--json",
        ],
    );
    let envelope: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(envelope["result"]["package"]["version_id"], VERSION);
}

/// Installing a package needs Download AppExchange Packages: the emulator refuses an install
/// request from an admin without it, and apply names the permission before anything changes.
#[tokio::test]
async fn installing_needs_the_permission_that_installs_packages() {
    use eca_wizard::emulator::org::DEMO_ADMIN_USER;
    let emulator = start();
    let token = admin_token(&emulator).await;
    emulator
        .edit_user(DEMO_ADMIN_USER, |u| {
            u.without_permissions = vec!["InstallPackaging".into()]
        })
        .unwrap();
    let (status, answer) = request_install(
        &emulator,
        &token,
        serde_json::json!({"SubscriberPackageVersionKey": VERSION}),
    )
    .await;
    assert_eq!(status, 403, "{answer}");
    assert!(emulator.app("Ledger_Sync").is_none());

    let installs = || {
        emulator
            .request_log()
            .iter()
            .filter(|e| e.path.contains("PackageInstallRequest"))
            .count()
    };
    let before = installs();
    let dir = sf_dir("package-no-permission");
    let home = recipe_files::home("package-no-permission-home");
    std::fs::write(home.join("recipes/package-example.toml"), EXAMPLE).unwrap();
    let output = apply(&dir, &home, &emulator, &token, &[]);
    let text = exits_saying(&output, 4, &["Download AppExchange Packages"]);
    assert_eq!(installs(), before, "apply requested no install: {text}");
}

/// Apply loses sight of the install (a read fails): it names the request, which may still be
/// running; the next apply waits for that request instead of installing a second time.
#[tokio::test]
async fn an_install_apply_lost_sight_of_is_named_and_waited_for_not_requested_twice() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let dir = sf_dir("package-lost");
    let home = recipe_files::home("package-lost-home");
    std::fs::write(home.join("recipes/package-example.toml"), EXAMPLE).unwrap();
    emulator.fail_next("PackageInstallRequest/0Hf");

    let lost = apply(&dir, &home, &emulator, &token, &["--allow-secret-access"]);
    let text = said(&lost);
    assert_ne!(lost.status.code(), Some(0), "{text}");
    let requests = |emulator: &Emulator| -> Vec<String> {
        emulator
            .request_log()
            .iter()
            .filter(|e| e.method == "POST" && e.path.ends_with("/PackageInstallRequest"))
            .map(|e| e.path.clone())
            .collect()
    };
    assert_eq!(requests(&emulator).len(), 1, "{text}");
    let id = text
        .split("install request ")
        .nth(1)
        .and_then(|rest| rest.get(..18))
        .expect("the request is named")
        .to_string();
    assert!(id.starts_with("0Hf"), "{text}");
    assert!(text.contains("may still be running in the org"), "{text}");
    assert!(emulator.app("Ledger_Sync").is_none(), "not installed yet");

    let again = apply(&dir, &home, &emulator, &token, &["--allow-secret-access"]);
    let text = exits_saying(
        &again,
        0,
        &[
            &format!(
                "is running in the org already (request {id}), perhaps one an earlier apply stopped following: apply waits for it"
            ),
            "Installed Ledger Sync",
        ],
    );
    assert_eq!(requests(&emulator).len(), 1, "installed once: {text}");
    assert!(emulator.app("Ledger_Sync").is_some());
}

/// The org has an older version of the package: apply says so, installs nothing (an upgrade
/// can't be undone) and deploys only the installed app's policies. The emulator reads a
/// version by its id only, and a protected one only with its key.
#[tokio::test]
async fn another_installed_version_is_named_and_never_upgraded() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let older = eca_wizard::emulator::ids::to_18("04t5g000000Ldg1");
    let (status, created) = request_install(
        &emulator,
        &token,
        serde_json::json!({"SubscriberPackageVersionKey": older}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(
        read_install(&emulator, &token, &id).await["Status"],
        "SUCCESS"
    );

    let path = |soql: &str| format!("query?q={}", soql.replace(' ', "+").replace('\'', "%27"));
    let no_id = path("SELECT Id FROM SubscriberPackageVersion");
    let (status, _) = tooling(&emulator, &token, "GET", &no_id, None).await;
    assert_eq!(status, 400, "a version is read by its id");
    let keyed = path(&format!(
        "SELECT SubscriberPackageId FROM SubscriberPackageVersion WHERE Id = '{KEYED}'"
    ));
    let (_, read) = tooling(&emulator, &token, "GET", &keyed, None).await;
    assert_eq!(read[0]["errorCode"], "INSTALL_KEY_REQUIRED", "{read}");

    let dir = sf_dir("package-other");
    let home = recipe_files::home("package-other-home");
    std::fs::write(home.join("recipes/package-example.toml"), EXAMPLE).unwrap();
    for extra in [&["--dry-run"][..], &["--allow-secret-access"][..]] {
        let output = apply(&dir, &home, &emulator, &token, extra);
        exits_saying(
            &output,
            0,
            &[
                &format!(
                    "Package: Ledger Sync by Ledger Co is installed at another version ({older} Ledger Sync); the recipe names {VERSION}"
                ),
                "an upgrade can't be undone",
            ],
        );
    }
    let posts = emulator
        .request_log()
        .iter()
        .filter(|e| e.method == "POST" && e.path.ends_with("/PackageInstallRequest"))
        .count();
    assert_eq!(posts, 1, "only the test's own install");
    let app = emulator.app("Ledger_Sync").expect("installed");
    assert_eq!(app.installed_from.as_deref(), Some(older.as_str()));
    assert_eq!(app.policies.run_as.as_deref(), Some(DEMO_INTEGRATION_USER));
}

/// Another version's install running, or another version installed without the recipe's app:
/// apply refuses in its plan, before any change, and says what to do.
#[tokio::test]
async fn another_install_running_or_an_app_less_version_stops_apply_before_any_change() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let dir = sf_dir("package-busy");
    let home = recipe_files::home("package-busy-home");
    std::fs::write(home.join("recipes/package-example.toml"), EXAMPLE).unwrap();
    let older = eca_wizard::emulator::ids::to_18("04t5g000000Ldg1");
    let (_, created) = request_install(
        &emulator,
        &token,
        serde_json::json!({"SubscriberPackageVersionKey": older}),
    )
    .await;
    let request = created["id"].as_str().unwrap().to_string();
    // An install of the recipe's own version runs too, made later: the older one still stops
    // apply, whichever the org lists first.
    let (_, mine) = request_install(
        &emulator,
        &token,
        serde_json::json!({"SubscriberPackageVersionKey": VERSION}),
    )
    .await;
    let mine = mine["id"].as_str().unwrap().to_string();
    let newest =
        "query?q=SELECT+Id,Status+FROM+PackageInstallRequest+ORDER+BY+CreatedDate+DESC+LIMIT+1";
    let (_, listed) = tooling(&emulator, &token, "GET", newest, None).await;
    assert_eq!(listed["records"].as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed["records"][0]["Id"], mine.as_str(), "newest first");

    let busy = apply(&dir, &home, &emulator, &token, &[]);
    exits_saying(
        &busy,
        4,
        &[
            &format!("an install is running in the org (request {request}, version {older})"),
            "nothing was changed",
        ],
    );

    let posts = |emulator: &Emulator| {
        emulator
            .request_log()
            .iter()
            .filter(|e| e.method == "POST" && e.path.ends_with("/PackageInstallRequest"))
            .count()
    };
    assert_eq!(posts(&emulator), 2, "only the test's own installs");

    // Another org has the older version, whose app went by another name: no app to put the
    // recipe's policies on, and apply won't upgrade.
    let other = start();
    let token = admin_token(&other).await;
    put_installed(&other, "Ledger_Sync_Classic", &older);
    let bare = apply(&dir, &home, &other, &token, &["--dry-run"]);
    let text = exits_saying(&bare, 4, &[]);
    assert!(
        text.contains(&format!(
            "the org has Ledger Sync at another version ({older}"
        )),
        "{text}"
    );
    assert!(
        text.contains("Upgrade Ledger Sync to the recipe's version yourself"),
        "{text}"
    );
    assert_eq!(posts(&other), 0, "nothing requested");
}

/// The installation key goes into the version lookup's query (escaped, as the CLI sends it);
/// when the org refuses that query, its words, which may quote the query, are not passed on.
#[tokio::test]
async fn the_key_in_the_version_lookup_never_reaches_the_output() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let dir = sf_dir("package-key-lookup");
    let home = recipe_files::home("package-key-lookup-home");
    std::fs::write(home.join("recipes/package-example.toml"), keyed_example()).unwrap();
    // Another package is installed, so apply looks the recipe's version up.
    put_installed(&emulator, "Ledger_Sync", VERSION);

    let key = "o'pen\\sesame-Wr0ngKey";
    let output = apply_with_key(
        &dir,
        &home,
        (&emulator, &token),
        key,
        &["--dry-run", "--json"],
    );
    let text = said(&output);
    assert_ne!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("couldn't be looked up with the installation key"),
        "{text}"
    );
    for part in ["o'pen", "sesame-Wr0ngKey", "pen\\\\sesame"] {
        assert!(!text.contains(part), "the key shows: {text}");
    }
    // The right key, escaped the same way, finds the version (no other version: it plans an install).
    let right = apply_with_key(
        &dir,
        &home,
        (&emulator, &token),
        "open-sesame",
        &["--dry-run"],
    );
    exits_saying(
        &right,
        0,
        &[&format!("would install Ledger Sync by Ledger Co ({KEYED})")],
    );
}
