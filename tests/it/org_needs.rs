//! Format 2's org needs, end to end: prerequisites (the admin's permissions checked by `apply`
//! before any change), profiles (Selected Profiles pre-authorize; clones are checklist only),
//! OAuth custom scopes (written, deployed, granted and requested), and the settings that came
//! with them (token exchange, device flow, refresh token expiry after N units of no use,
//! session timeout, system permissions). The loader's rules at their lines, the metadata, the
//! emulator's refusals and the wizard's text.

use std::time::Duration;

use crate::common::connecting::*;
use crate::common::recipe_files::{home, text};
use crate::common::*;
use eca_wizard::apply::{deploy, package, session};
use eca_wizard::connect::{Outcome, Request};
use eca_wizard::emulator::Emulator;
use eca_wizard::emulator::org::{DEMO_ADMIN_USER, DEMO_INTEGRATION_USER, RefreshTokenPolicy};
use eca_wizard::metadata::{self, File, Options};
use eca_wizard::recipe::{self, Recipe, Role};

const EXAMPLE: &str = include_str!("../data/org-needs-example.toml");

fn example() -> Recipe {
    recipe::parse("org-needs-example.toml", EXAMPLE).unwrap()
}

#[test]
fn the_example_loads_with_its_prerequisites_profiles_custom_scopes_and_settings() {
    let recipe = example();
    assert_eq!(recipe.prerequisites.len(), 3);
    assert_eq!(recipe.profiles[0].name, "Order Portal User");
    assert_eq!(
        recipe.requested_scopes().last().map(String::as_str),
        Some("order_status")
    );
    assert!(recipe.expected_scopes().contains(&"order_status"));
    assert_eq!(recipe.system_permissions(), ["ViewSetup"]);
    // Format 1 files keep loading: the built-ins as they were.
    for builtin in recipe::builtin().unwrap() {
        assert!(builtin.prerequisites.is_empty() && builtin.custom_scopes.is_empty());
    }
}

/// (what to find, what to put, what the report says)
const MISTAKES: [(&str, &str, &str); 10] = [
    (
        "name = \"Customize Application\"",
        "name = \"Customise Application\"",
        "did you mean 'Customize Application'?",
    ),
    (
        "name = \"Enterprise\"",
        "name = \"Enterprize\"",
        "did you mean 'Enterprise'?",
    ),
    (
        "how = \"Setup > API Access Control",
        "notes = \"Setup > API Access Control",
        "unknown key 'notes'",
    ),
    (
        "clone = \"Standard User\"",
        "clone = \"Order Portal User\"",
        "clone names the existing profile",
    ),
    (
        "name = \"order_status\"",
        "name = \"1order\"",
        "must begin with a letter",
    ),
    (
        "description = \"Read order status\"",
        "description = \"Read: order status\"",
        "letters, digits and spaces",
    ),
    (
        "value = [\"View Setup and Configuration\"]",
        "value = [\"View Setup And Configurations\"]",
        "did you mean 'View Setup and Configuration'?",
    ),
    ("value = 60", "value = 45", "one of 15, 30, 60"),
    ("value = \"30 days\"", "value = \"30 weeks\"", "\"N UNIT\""),
    (
        "permissions = [\"API Enabled\"]",
        "permissions = [\"API Enable\"]",
        "did you mean 'API Enabled'?",
    ),
];

#[test]
fn planted_problems_in_the_new_tables_and_settings_are_each_reported_at_their_line() {
    crate::common::recipe_files::assert_planted_mistakes_reported(EXAMPLE, &MISTAKES);
}

#[test]
fn settings_that_need_each_other_and_format_2_are_named() {
    // A validity period without a policy that takes one; Selected Profiles without admin approval.
    let alone = EXAMPLE
        .replace(
            "value = \"Expire refresh token if not used for n\"",
            "value = \"Refresh token is valid until revoked\"",
        )
        .replace(
            "value = \"Admin approved users are pre-authorized\"",
            "value = \"All users can self-authorize\"",
        );
    let problems = recipe::lint::lint("alone.toml", &alone);
    let said = format!("{problems:#?}");
    assert!(
        said.contains("refresh-token-validity needs refresh-token-policy"),
        "{said}"
    );
    assert!(
        said.contains("selected-profiles needs permitted-users"),
        "{said}"
    );
    let comma = EXAMPLE.replace("value = [\"Standard User\"]", "value = [\"Sales, EMEA\"]");
    let said = format!("{:#?}", recipe::lint::lint("comma.toml", &comma));
    assert!(said.contains("has no comma"), "{said}");
    let old = EXAMPLE.replace("format = 2\n", "");
    let said = format!("{:#?}", recipe::lint::lint("old.toml", &old));
    for key in ["prerequisites", "profiles", "custom_scopes"] {
        assert!(
            said.contains(&format!("'{key}' needs format = 2")),
            "{said}"
        );
    }
}

fn options(name: &str) -> Options {
    Options {
        name: Some(name.into()),
        callback_urls: vec!["http://localhost:7717/callback".into()],
        permission_set: Some(format!("{name}_Access")),
        ..Options::default()
    }
}

fn file<'a>(files: &'a mut [File], suffix: &str) -> &'a mut File {
    files.iter_mut().find(|f| f.path.ends_with(suffix)).unwrap()
}

#[test]
fn metadata_writes_the_new_settings_the_custom_scope_and_the_permissions_with_their_dependencies() {
    let mut files = metadata::generate(&example(), &options("Order_Portal")).unwrap();
    let global = &file(&mut files, ".ecaGlblOauth-meta.xml").contents;
    assert!(global.contains("<isTokenExchangeEnabled>true</isTokenExchangeEnabled>"));
    assert!(global.contains("<isDeviceFlowEnabled>false</isDeviceFlowEnabled>"));
    let oauth = &file(&mut files, ".ecaOauth-meta.xml").contents;
    assert!(
        oauth.contains("<commaSeparatedCustomScopes>order_status</commaSeparatedCustomScopes>")
    );
    let policies = file(&mut files, ".ecaOauthPlcy-meta.xml").contents.clone();
    for element in [
        "<commaSeparatedCustomScopes>order_status</commaSeparatedCustomScopes>",
        "<commaSeparatedPermissionSet>Order_Portal_Access</commaSeparatedPermissionSet>",
        "<commaSeparatedProfile>Standard User</commaSeparatedProfile>",
        "<isTokenExchangeFlowEnabled>true</isTokenExchangeFlowEnabled>",
        "<refreshTokenPolicyType>SpecificInactivity</refreshTokenPolicyType>",
        "<refreshTokenValidityPeriod>30</refreshTokenValidityPeriod>",
        "<refreshTokenValidityUnit>Days</refreshTokenValidityUnit>",
        "<sessionTimeoutInMinutes>60</sessionTimeoutInMinutes>",
    ] {
        assert!(policies.contains(element), "{element}: {policies}");
    }
    let set = &file(&mut files, ".permissionset-meta.xml").contents;
    assert!(set.contains("<name>ApiEnabled</name>") && set.contains("<name>ViewSetup</name>"));
    let scope = &file(&mut files, "order_status.oauthcustomscope-meta.xml").contents;
    assert!(scope.contains("<description>Read order status</description>"));
    assert!(scope.contains("<masterLabel>order_status</masterLabel>"));
    let manifest = &file(&mut files, "package.xml").contents;
    assert!(manifest.contains("<members>order_status</members>"));
    assert!(manifest.contains("<name>OauthCustomScope</name>"));

    // A recipe that says nothing keeps the 365 days new apps get.
    let plain = recipe::builtin_by_id("service-board-sync").unwrap();
    let mut options = options("Plain");
    options.run_as = Some(DEMO_INTEGRATION_USER.into());
    let mut files = metadata::generate(plain, &options).unwrap();
    let policies = &file(&mut files, ".ecaOauthPlcy-meta.xml").contents;
    assert!(policies.contains("<refreshTokenValidityPeriod>365</refreshTokenValidityPeriod>"));
    assert!(!policies.contains("sessionTimeoutInMinutes"));
}

async fn deploy(emulator: &Emulator, files: &[File]) -> deploy::Deployed {
    let token = admin_token(emulator).await;
    let session = session::from_token(emulator.my_domain_url(), &token).unwrap();
    deploy::deploy(
        client(),
        &session,
        "66.0",
        package::mdapi_zip(files).unwrap(),
        false,
        Duration::from_millis(10),
        &mut |_| {},
    )
    .await
    .unwrap()
}

fn problems(deployed: &deploy::Deployed) -> String {
    assert!(!deployed.success, "{deployed:?}");
    deployed
        .failures
        .iter()
        .map(|f| f.problem.clone())
        .collect::<Vec<_>>()
        .join(" | ")
}

#[tokio::test]
async fn the_emulator_deploys_the_new_fields_and_refuses_what_salesforce_refuses() {
    let emulator = start();
    let good = metadata::generate(&example(), &options("Order_Portal")).unwrap();

    // A permission without the one it depends on.
    let mut files = good.clone();
    let set = file(&mut files, ".permissionset-meta.xml");
    set.contents = set.contents.replace(
        "<name>ViewSetup</name>",
        "<name>CustomizeApplication</name>",
    );
    let said = problems(&deploy(&emulator, &files).await);
    assert!(
        said.contains("Permission Customize Application depends on permission(s): View Setup and Configuration"),
        "{said}"
    );
    // A permission Salesforce doesn't have.
    let mut files = good.clone();
    let set = file(&mut files, ".permissionset-meta.xml");
    set.contents = set
        .contents
        .replace("<name>ViewSetup</name>", "<name>ViewSetupp</name>");
    assert!(
        problems(&deploy(&emulator, &files).await).contains("Unknown user permission: ViewSetupp")
    );
    // A custom scope the org doesn't have and the deploy doesn't make.
    let mut files: Vec<File> = good
        .iter()
        .filter(|f| !f.path.contains("oauthcustomscopes"))
        .cloned()
        .collect();
    let manifest = file(&mut files, "package.xml");
    manifest.contents = manifest
        .contents
        .replace("<members>order_status</members>", "")
        .replace("<name>OauthCustomScope</name>", "");
    assert!(
        problems(&deploy(&emulator, &files).await).contains("Custom scope not found: order_status")
    );
    // A session timeout Setup doesn't offer.
    let mut files = good.clone();
    let policies = file(&mut files, ".ecaOauthPlcy-meta.xml");
    policies.contents = policies.contents.replace(">60<", ">45<");
    assert!(problems(&deploy(&emulator, &files).await).contains("sessionTimeoutInMinutes"));
    assert!(
        emulator
            .org()
            .apps
            .iter()
            .all(|a| a.api_name != "Order_Portal"),
        "all rolled back"
    );

    // The whole project deploys: the scope, the app's lists and policies.
    let deployed = deploy(&emulator, &good).await;
    assert!(deployed.success, "{deployed:?}");
    let org = emulator.org();
    assert!(org.custom_scopes.iter().any(|s| s.name == "order_status"));
    let app = org
        .apps
        .iter()
        .find(|a| a.api_name == "Order_Portal")
        .unwrap();
    assert!(app.scopes.iter().any(|s| s == "order_status"));
    assert!(app.token_exchange && app.policies.token_exchange && !app.device_flow);
    assert_eq!(app.policies.profiles, ["Standard User"]);
    assert_eq!(app.policies.session_timeout_minutes, Some(60));
    assert_eq!(
        app.policies.refresh_token_policy,
        RefreshTokenPolicy::SpecificInactivity { hours: 30 * 24 }
    );
    let set = org
        .permission_sets
        .iter()
        .find(|s| s.name == "Order_Portal_Access")
        .unwrap();
    assert_eq!(set.system_permissions, ["ViewSetup"]);
}

#[tokio::test]
async fn user_permission_access_answers_for_the_sessions_user() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let url = format!(
        "{}/services/data/v66.0/query?q=SELECT+PermissionsCustomizeApplication,+PermissionsManageUsers+FROM+UserPermissionAccess",
        emulator.my_domain_url()
    );
    let row = get_bearer(&url, &token).await.json()["records"][0].clone();
    assert_eq!(row["PermissionsCustomizeApplication"], true);
    assert_eq!(row["PermissionsManageUsers"], true);
    emulator
        .edit_user(DEMO_ADMIN_USER, |u| {
            u.without_permissions = vec!["ManageUsers".into()]
        })
        .unwrap();
    let row = get_bearer(&url, &token).await.json()["records"][0].clone();
    assert_eq!(row["PermissionsManageUsers"], false);
    let bad = get_bearer(&url.replace("ManageUsers", "ManageUserz"), &token).await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("INVALID_FIELD"), "{}", bad.body);
}

/// Apply with the stand-in `sf`, the example as a local recipe in `home`.
fn apply(
    home: &std::path::Path,
    emulator: &Emulator,
    token: &str,
    extra: &[&str],
) -> std::process::Output {
    let sf = sf_dir("org-needs-sf");
    let mut args = vec![
        "apply",
        "--recipe",
        "org-needs-example",
        "--target-org",
        "acme",
        "--name",
        "Order_Portal",
        "--callback-url",
        "http://localhost:7717/callback",
    ];
    args.extend_from_slice(extra);
    run_with_sf(&sf, emulator, token, "current", Some(home), &args)
}

#[tokio::test]
async fn apply_checks_the_admins_permissions_first_and_refuses_naming_the_missing_one() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let home = home("org-needs-apply");
    std::fs::write(home.join("recipes/org-needs-example.toml"), EXAMPLE).unwrap();
    emulator
        .edit_user(DEMO_ADMIN_USER, |u| {
            u.without_permissions = vec!["CustomizeApplication".into()]
        })
        .unwrap();
    for extra in [&["--dry-run"][..], &[][..]] {
        let output = apply(&home, &emulator, &token, extra);
        let said = text(&output);
        assert_eq!(output.status.code(), Some(4), "{said}");
        assert!(said.contains("Customize Application"), "{said}");
        assert!(said.contains("nothing was changed"), "{said}");
    }
    assert!(
        !emulator
            .request_log()
            .iter()
            .any(|e| e.path.contains("deployRequest")),
        "no deploy reached the org"
    );
    // With the permission, the dry run validates the whole project, custom scope and all.
    emulator
        .edit_user(DEMO_ADMIN_USER, |u| u.without_permissions.clear())
        .unwrap();
    let output = apply(&home, &emulator, &token, &["--dry-run"]);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(said.contains("Validated"), "{said}");
    // The plan's security list names the new flows and who may get a token.
    for shown in [
        "Enable Token Exchange Flow",
        "Enable Device Flow",
        "Selected Profiles",
    ] {
        assert!(said.contains(shown), "{shown}: {said}");
    }
    assert!(said.contains("Standard User"), "{said}");
    let _ = std::fs::remove_dir_all(&home);
}

fn request(recipe: &Recipe, emulator: &Emulator, key: &str, port: u16) -> Request {
    request_for(recipe, emulator.my_domain_url(), key, port)
}

#[tokio::test]
async fn connect_asks_for_the_custom_scope_and_a_selected_profile_lets_its_users_in() {
    let emulator = start();
    let recipe = example();
    let port = crate::common::ports::free_port();
    let key = "3MVG9OrgNeeds.Key4Emulator.Only_NotASalesforceKey.0123456789AbCdEfGh";
    let answers = [
        (Role::AppName, "Order Portal".to_string()),
        (Role::CallbackUrls, callback(port).join("\n")),
    ];
    let mut app = recipe_app(&recipe, &answers, key);
    app.consumer_secret = "unused-secret".into();
    emulator.put_app(app.clone());
    let first = run(&request(&recipe, &emulator, key, port), Visit::Follow).await;
    assert_eq!(
        first.report.outcome,
        Outcome::Connected,
        "{:#?}",
        first.report
    );
    let granted = first.report.tokens.as_ref().map(|t| t.scopes().join(" "));
    assert!(
        granted.is_some_and(|g| g.contains("order_status")),
        "the token carries it"
    );
    let authorize = first
        .events
        .iter()
        .find_map(|e| match e {
            eca_wizard::connect::Event::AuthorizeUrl(url) => Some(url.clone()),
            _ => None,
        })
        .unwrap();
    assert!(authorize.contains("order_status"), "{authorize}");

    // The signing-in user's profile is no longer selected: admin approval keeps them out.
    app.policies.profiles = vec!["Custom: Marketing Profile".into()];
    emulator.put_app(app);
    let second = run(&request(&recipe, &emulator, key, port), Visit::Follow).await;
    assert_ne!(
        second.report.outcome,
        Outcome::Connected,
        "{:#?}",
        second.report
    );
    let why = format!("{:?}", second.report.diagnosis);
    assert!(why.contains("OAUTH_APP_ACCESS_DENIED"), "{why}");
}

#[test]
fn the_checklist_shows_prerequisites_first_then_profiles_and_custom_scopes_where_setup_has_them() {
    use crate::common::driving::*;
    let recipes: &'static [Recipe] = Box::leak(vec![example()].into_boxed_slice());
    let mut m = eca_wizard::wizard::Model::new(recipes, Vec::new(), 1_000);
    choose(&mut m, "org-needs-example");
    set_org(&mut m, "https://acme.my.salesforce.com");
    resize(&mut m, 120, 40);
    let first = draw(&m, 120, 40);
    for line in [
        "Before you start, check:",
        "admin-permission: Customize Application",
        "check: Setup > API Access Control: off",
        "edition: Enterprise",
    ] {
        assert!(first.contains(line), "{line}:\n{first}");
    }
    insta::assert_snapshot!("first_step_prerequisites_120x40", first);
    complete_step(&mut m);
    let permissions = draw(&m, 120, 40);
    for line in [
        "System Permissions: View Setup and Configuration",
        "Clone 'Standard User' as 'Order Portal User': Setup › Users › Profiles",
        "then Edit › System Permissions: check API Enabled",
    ] {
        assert!(permissions.contains(line), "{line}:\n{permissions}");
    }
    insta::assert_snapshot!("permissions_step_profiles_120x40", permissions);
    complete_step(&mut m);
    complete_step(&mut m);
    let oauth = draw(&m, 120, 40);
    for line in [
        "Create each: Setup › OAuth Custom Scopes › New",
        "order_status: Read order status",
    ] {
        assert!(oauth.contains(line), "{line}:\n{oauth}");
    }
    insta::assert_snapshot!("oauth_step_custom_scopes_120x40", oauth);
}

#[test]
fn recipes_show_prints_and_reports_the_org_needs() {
    let home = home("org-needs-show");
    let file =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/org-needs-example.toml");
    let file = file.display().to_string();
    let args = ["--recipe-file", &file, "recipes", "org-needs-example"];
    let said = text(&crate::common::recipe_files::wizard(&home, &args));
    for line in [
        "Needs:   admin-permission Customize Application",
        "Needs:   edition Enterprise",
        "Profile: clone 'Standard User' as 'Order Portal User' in Setup > Users > Profiles; then check API Enabled",
        "Scope:   custom scope order_status (Read order status)",
        "System Permissions: View Setup and Configuration",
    ] {
        assert!(said.contains(line), "{line}: {said}");
    }
    let mut json_args = args.to_vec();
    json_args.push("--json");
    let output = crate::common::recipe_files::wizard(&home, &json_args);
    let view: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let view = &view["result"];
    assert_eq!(view["custom_scopes"][0]["name"], "order_status");
    assert_eq!(view["prerequisites"][0]["kind"], "admin-permission");
    assert_eq!(view["profiles"][0]["clone"], "Standard User");
    let _ = std::fs::remove_dir_all(&home);
}

/// A mistyped prerequisite kind is named as one (not as a step kind, whose list is another).
#[test]
fn a_prerequisite_kind_typo_is_named_as_a_prerequisite_kind() {
    let bad = EXAMPLE.replacen(
        "kind = \"admin-permission\"",
        "kind = \"admin-permision\"",
        1,
    );
    let problems = recipe::lint::lint("bad.toml", &bad);
    assert!(
        problems.iter().any(|p| p.message
            == "'admin-permision' is not a prerequisite kind; did you mean 'admin-permission'?"),
        "{problems:#?}"
    );
}

/// An edition prerequisite may name the several editions a guide accepts; each must be one.
#[test]
fn an_edition_prerequisite_may_accept_several_editions() {
    let several = EXAMPLE.replacen(
        "name = \"Enterprise\"",
        "name = \"Enterprise, Unlimited, Performance, Developer\"",
        1,
    );
    let recipe = recipe::parse("several.toml", &several).unwrap();
    let edition = recipe
        .prerequisites
        .iter()
        .find(|p| p.name.starts_with("Enterprise"))
        .unwrap();
    assert_eq!(
        edition.how_to_check(),
        "Setup > Company Information: Organization Edition is one of Enterprise, Unlimited, Performance, Developer"
    );
    let typo = EXAMPLE.replacen(
        "name = \"Enterprise\"",
        "name = \"Enterprise, Unlimted\"",
        1,
    );
    let said = format!("{:#?}", recipe::lint::lint("typo.toml", &typo));
    assert!(said.contains("'Unlimted' is not an edition"), "{said}");
    assert!(said.contains("did you mean 'Unlimited'"), "{said}");
}
