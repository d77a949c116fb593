//! The Metadata API's REST deploy against the emulator: a recipe's generated metadata, zipped as
//! mdapi, validates with checkOnly (changing nothing), deploys, and the app it creates works;
//! bad metadata fails per component and rolls back; both part names and base64 zips are taken.

use std::time::Duration;

use crate::common::*;
use base64::Engine;
use eca_wizard::apply::{deploy, package, session};
use eca_wizard::emulator::Emulator;
use eca_wizard::emulator::org::DEMO_INTEGRATION_USER;
use eca_wizard::metadata::{self, Options};
use eca_wizard::recipe;

async fn admin_session(emulator: &Emulator) -> session::Session {
    // An app of the demo admin's stands in for the admin's own login.
    session::from_token(emulator.my_domain_url(), &admin_token(emulator).await).unwrap()
}

fn zip_for(recipe_id: &str, name: &str, run_as: &str) -> Vec<u8> {
    let recipe = recipe::builtin_by_id(recipe_id).unwrap();
    let options = Options {
        name: Some(name.into()),
        contact_email: Some("admin@acme.example".into()),
        run_as: Some(run_as.into()),
        callback_urls: vec!["https://sync.example.com/oauth/callback".into()],
        ..Options::default()
    };
    package::mdapi_zip(&metadata::generate(recipe, &options).unwrap()).unwrap()
}

async fn run(emulator: &Emulator, zip: Vec<u8>, check_only: bool) -> deploy::Deployed {
    let session = admin_session(emulator).await;
    let mut statuses = Vec::new();
    let deployed = deploy::deploy(
        client(),
        &session,
        "66.0",
        zip,
        check_only,
        Duration::from_millis(10),
        &mut |s| statuses.push(s.to_string()),
    )
    .await
    .unwrap();
    assert_eq!(statuses.first().map(String::as_str), Some("Pending"));
    assert!(statuses.iter().any(|s| s == "InProgress"), "{statuses:?}");
    deployed
}

#[tokio::test]
async fn a_recipe_validates_then_deploys_and_the_new_app_signs_in() {
    let emulator = start();
    let zip = zip_for("service-board-sync", "SBS_App", DEMO_INTEGRATION_USER);

    let validated = run(&emulator, zip.clone(), true).await;
    assert!(validated.success, "{validated:?}");
    assert!(
        emulator.org().apps.iter().all(|a| a.api_name != "SBS_App"),
        "a check-only deploy changes nothing"
    );

    let deployed = run(&emulator, zip, false).await;
    assert!(
        deployed.success && deployed.failures.is_empty(),
        "{deployed:?}"
    );
    assert_eq!(deployed.status, "Succeeded");
    let app = emulator.app("SBS_App").expect("the app exists");
    assert!(app.client_credentials && app.policies.client_credentials);
    assert_eq!(app.policies.run_as.as_deref(), Some(DEMO_INTEGRATION_USER));
    let recipe = recipe::builtin_by_id("service-board-sync").unwrap();
    for scope in &recipe.scopes {
        assert!(app.scopes.contains(scope), "{scope} in {:?}", app.scopes);
    }
    assert!(app.consumer_key.starts_with("3MVG9") && app.consumer_key != KEY);
    assert_eq!(validated.changed.len(), 6, "all new: {validated:?}");

    // The same again, checked: every component is the same as the org's (DeployMessage
    // `changed` and `created` false); another Run As user changes the OAuth policies alone.
    let again = run(
        &emulator,
        zip_for("service-board-sync", "SBS_App", DEMO_INTEGRATION_USER),
        true,
    )
    .await;
    let files: Vec<&str> = again.unchanged.iter().map(String::as_str).collect();
    assert_eq!(files.len(), 6, "{again:?}");
    assert!(again.changes_nothing(&files), "{again:?}");
    let other = run(
        &emulator,
        zip_for(
            "service-board-sync",
            "SBS_App",
            eca_wizard::emulator::org::DEMO_ADMIN_USER,
        ),
        true,
    )
    .await;
    assert_eq!(
        other.changed,
        ["extlClntAppOauthPolicies/SBS_App_oauthPlcy.ecaOauthPlcy"],
        "{other:?}"
    );

    // The deployed app works: client credentials with the key and secret Salesforce made.
    let token = post_form(
        &token_url(emulator.my_domain_url()),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &app.consumer_key),
            ("client_secret", &app.consumer_secret),
        ],
    )
    .await;
    assert_eq!(token.status, 200, "{}", token.body);
}

#[tokio::test]
async fn bad_metadata_fails_per_component_and_changes_nothing() {
    let emulator = start();
    let _ = admin_session(&emulator).await;
    let before = emulator.org().apps.len();
    let zip = zip_for("service-board-sync", "SBS_Ghost", "ghost@nowhere.example");
    let deployed = run(&emulator, zip, false).await;
    assert!(!deployed.success);
    assert_eq!(deployed.status, "Failed");
    let failure = deployed.failures.first().expect("a component failure");
    assert!(
        failure.file.starts_with("extlClntAppOauthPolicies/"),
        "{failure:?}"
    );
    // Salesforce's words, which don't name the user (salesforce::deploy_failures).
    assert_eq!(
        failure.problem,
        eca_wizard::salesforce::deploy_failures::RUN_AS_USER,
        "{failure:?}"
    );
    assert!(
        failure
            .fix()
            .is_some_and(|f| f.contains("create the integration user first")),
        "{failure:?}"
    );
    assert_eq!(
        emulator.org().apps.len(),
        before,
        "rollbackOnError: nothing deployed"
    );
}

#[tokio::test]
async fn the_hosted_mcp_recipe_deploys_with_jwt_tokens_on() {
    let emulator = start();
    let deployed = run(
        &emulator,
        zip_for("mcp-claude", "Claude_MCP", DEMO_INTEGRATION_USER),
        false,
    )
    .await;
    assert!(deployed.success, "{deployed:?}");
    let app = emulator.app("Claude_MCP").unwrap();
    assert!(app.named_user_jwt && app.require_pkce && !app.require_secret_web_server);
    assert_eq!(app.scopes, ["mcp_api", "refresh_token", "offline_access"]);
}

/// jsforce names the options part `entity_content`; some clients send the zip base64.
#[tokio::test]
async fn entity_content_and_a_base64_zip_are_taken_too() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let zip = zip_for("custom", "Custom_App", DEMO_INTEGRATION_USER);
    let encoded = base64::engine::general_purpose::STANDARD.encode(&zip);
    let body = format!(
        "--b0\r\nContent-Disposition: form-data; name=\"entity_content\"\r\nContent-Type: application/json\r\n\r\n{{\"deployOptions\":{{\"singlePackage\":true}}}}\r\n--b0\r\nContent-Disposition: form-data; name=\"file\"; filename=\"package.xml\"\r\nContent-Type: application/zip\r\nContent-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n--b0--\r\n"
    );
    let url = format!(
        "{}/services/data/v66.0/metadata/deployRequest",
        emulator.my_domain_url()
    );
    let started = send(
        client()
            .post(&url)
            .bearer_auth(&token)
            .header("Content-Type", "multipart/form-data; boundary=b0")
            .body(body),
    )
    .await;
    assert_eq!(started.status, 201, "{}", started.body);
    let id = started.json()["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("0Af"));
    let mut last = serde_json::Value::Null;
    for _ in 0..3 {
        last = get_bearer(&format!("{url}/{id}?includeDetails=true"), &token)
            .await
            .json();
    }
    assert_eq!(last["deployResult"]["status"], "Succeeded", "{last}");
    assert!(
        emulator
            .org()
            .apps
            .iter()
            .any(|a| a.api_name == "Custom_App")
    );

    // Without a token the deploy is refused like any REST call.
    let refused = send(
        client()
            .post(&url)
            .header("Content-Type", "multipart/form-data; boundary=b0"),
    )
    .await;
    assert_eq!(refused.status, 401);
}

/// Users over REST as §D says: the integration profile and licence are looked up, a user is
/// made, and a permission set is refused until the permission set license is assigned.
#[tokio::test]
async fn an_integration_user_needs_its_license_before_a_permission_set() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let base = format!("{}/services/data/v66.0", emulator.my_domain_url());
    let query = |soql: &str| {
        let url = format!(
            "{base}/query?q={}",
            url::form_urlencoded::byte_serialize(soql.as_bytes()).collect::<String>()
        );
        let token = token.clone();
        async move { get_bearer(&url, &token).await.json()["records"][0].clone() }
    };
    let profile =
        query("SELECT Id FROM Profile WHERE Name = 'Minimum Access - API Only Integrations'").await;
    let license = query("SELECT Id, TotalLicenses, UsedLicenses FROM PermissionSetLicense WHERE DeveloperName = 'SalesforceAPIIntegrationPsl'").await;
    assert_eq!(
        license["UsedLicenses"], 1,
        "the demo's integration user holds one"
    );
    let set = query("SELECT Id FROM PermissionSet WHERE Name = 'ECA_Wizard_Integration'").await;
    let post = |object: &str, body: serde_json::Value| {
        let url = format!("{base}/sobjects/{object}");
        let token = token.clone();
        async move { send(client().post(&url).bearer_auth(&token).json(&body)).await }
    };
    let user = serde_json::json!({"Username": "new@acme.example", "LastName": "Integration",
        "Alias": "new", "Email": "new@acme.example", "ProfileId": profile["Id"],
        "TimeZoneSidKey": "GMT", "LocaleSidKey": "en_US", "EmailEncodingKey": "UTF-8",
        "LanguageLocaleKey": "en_US"});
    let created = post("User", user.clone()).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_string();
    let again = post("User", user).await;
    assert_eq!(again.json()[0]["errorCode"], "DUPLICATE_USERNAME");

    let assign = serde_json::json!({"AssigneeId": id, "PermissionSetId": set["Id"]});
    let refused = post("PermissionSetAssignment", assign.clone()).await;
    assert_eq!(refused.status, 400);
    assert!(
        refused.body.contains("doesn't allow the permission"),
        "{}",
        refused.body
    );
    let psl = post(
        "PermissionSetLicenseAssign",
        serde_json::json!({"AssigneeId": id, "PermissionSetLicenseId": license["Id"]}),
    )
    .await;
    assert_eq!(psl.status, 201, "{}", psl.body);
    let granted = post("PermissionSetAssignment", assign).await;
    assert_eq!(granted.status, 201, "{}", granted.body);
    let user = emulator.org().user("new@acme.example").cloned().unwrap();
    assert!(user.api_enabled && user.permission_sets == ["ECA_Wizard_Integration"]);
}

/// A production org refuses a deploy that says `NoTestRun` (field-facts-2026.md), so apply's
/// own deploy, which names no test level, is the one that goes through.
#[tokio::test]
async fn production_refuses_no_test_run_and_takes_apply_s_deploy() {
    let mut org = eca_wizard::emulator::Org::demo();
    org.org_type = eca_wizard::emulator::org::OrgType::Production;
    let emulator = start_with(org, true);
    let token = admin_token(&emulator).await;
    let zip = zip_for("custom", "Prod_App", DEMO_INTEGRATION_USER);
    let url = format!(
        "{}/services/data/v66.0/metadata/deployRequest",
        emulator.my_domain_url()
    );
    let raw = |options: &str| {
        let mut body = format!(
            "--b0\r\nContent-Disposition: form-data; name=\"json\"\r\nContent-Type: application/json\r\n\r\n{options}\r\n--b0\r\nContent-Disposition: form-data; name=\"file\"; filename=\"deploy.zip\"\r\nContent-Type: application/zip\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(&zip);
        body.extend_from_slice(b"\r\n--b0--\r\n");
        client()
            .post(&url)
            .bearer_auth(&token)
            .header("Content-Type", "multipart/form-data; boundary=b0")
            .body(body)
    };
    let started = send(raw(
        r#"{"deployOptions":{"singlePackage":true,"testLevel":"NoTestRun"}}"#,
    ))
    .await;
    assert_eq!(started.status, 201, "{}", started.body);
    let id = started.json()["id"].as_str().unwrap().to_string();
    let mut last = serde_json::Value::Null;
    for _ in 0..3 {
        last = get_bearer(&format!("{url}/{id}?includeDetails=true"), &token)
            .await
            .json();
    }
    let result = &last["deployResult"];
    assert_eq!(result["status"], "Failed", "{last}");
    assert_eq!(result["errorStatusCode"], "INVALID_OPERATION");
    assert_eq!(
        result["errorMessage"],
        "INVALID_OPERATION: testLevel of NoTestRun cannot be used in production organizations"
    );
    assert!(emulator.app("Prod_App").is_none(), "nothing deployed");

    let deployed = run(&emulator, zip.clone(), false).await;
    assert!(deployed.success, "{deployed:?}");
    assert!(emulator.app("Prod_App").is_some());
}
