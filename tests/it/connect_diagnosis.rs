//! Connect against a misconfigured emulator: every misconfiguration it can simulate is named
//! with the recipe step and the Setup label of the setting to change.

use std::time::Duration;

use crate::common::connecting::*;
use crate::common::ports::free_port;
use crate::common::*;
use eca_wizard::connect::Outcome;
use eca_wizard::emulator::Org;
use eca_wizard::emulator::org::{
    DEMO_ADMIN_USER, DEMO_BROWSER_USER, DEMO_INTEGRATION_USER, PermittedUsers,
};
use eca_wizard::salesforce::Flow;
use eca_wizard::secret::Secret;
use eca_wizard::verify::Status;

#[tokio::test]
async fn after_the_window_an_unknown_app_is_misconfiguration() {
    let emulator = start();
    let mut req = request(
        &emulator,
        "custom",
        Flow::ClientCredentials,
        emulator.my_domain_url(),
        0,
    );
    req.client_id = "3MVG9SomeOtherAppsKey0000".into();
    req.saved_ago = Duration::from_secs(3600);
    let run = run(&req, Visit::Nothing).await;
    assert_diagnosed(
        &run.report,
        "custom",
        Outcome::Misconfigured,
        "credentials",
        None,
    );
    assert_eq!(run.report.attempts, 1, "no retries after the window");
}

#[tokio::test]
async fn client_credentials_misconfigurations_are_named() {
    let emulator = start();
    // This recipe also asks for the address and phone identity scopes.
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.scopes.extend(["address".into(), "phone".into()])
        })
        .unwrap();
    let recipe = "service-board-sync";
    let mut req = request(
        &emulator,
        recipe,
        Flow::ClientCredentials,
        emulator.my_domain_url(),
        0,
    );
    req.client_secret = Some(Secret::new("not-the-secret"));
    assert_diagnosed(
        &run(&req, Visit::Nothing).await.report,
        recipe,
        Outcome::Misconfigured,
        "credentials",
        None,
    );
    req.client_secret = Some(Secret::new(SECRET));

    let sent = emulator.request_log().len();
    let login_host = request(&emulator, recipe, Flow::ClientCredentials, "production", 0);
    assert_diagnosed(
        &run(&login_host, Visit::Nothing).await.report,
        recipe,
        Outcome::Misconfigured,
        "connect",
        None,
    );
    assert_eq!(
        emulator.request_log().len(),
        sent,
        "refused before sending anything"
    );

    emulator
        .edit_app("ECA_Wizard_Demo", |app| app.policies.run_as = None)
        .unwrap();
    assert_diagnosed(
        &run(&req, Visit::Nothing).await.report,
        recipe,
        Outcome::Misconfigured,
        "run-as",
        Some("Run As (Username)"),
    );

    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.policies.run_as = Some(DEMO_INTEGRATION_USER.into());
            app.client_credentials = false;
        })
        .unwrap();
    assert_diagnosed(
        &run(&req, Visit::Nothing).await.report,
        recipe,
        Outcome::Misconfigured,
        "flows",
        Some("Enable Client Credentials Flow"),
    );

    emulator
        .edit_app("ECA_Wizard_Demo", |app| app.client_credentials = true)
        .unwrap();
    emulator
        .edit_user(DEMO_INTEGRATION_USER, |u| u.active = false)
        .unwrap();
    assert_diagnosed(
        &run(&req, Visit::Nothing).await.report,
        recipe,
        Outcome::Misconfigured,
        "integration-user",
        None,
    );

    emulator
        .edit_user(DEMO_INTEGRATION_USER, |u| {
            u.active = true;
            u.api_enabled = false;
        })
        .unwrap();
    let report = run(&req, Visit::Nothing).await.report;
    assert_diagnosed(
        &report,
        recipe,
        Outcome::Misconfigured,
        "permissions",
        Some("API Enabled"),
    );
}

#[tokio::test]
async fn a_missing_object_permission_is_named() {
    let emulator = start();
    emulator
        .edit_user(DEMO_INTEGRATION_USER, |u| {
            u.objects.remove("CaseComment");
        })
        .unwrap();
    let mut org_scopes = request(
        &emulator,
        "aptedge",
        Flow::ClientCredentials,
        emulator.my_domain_url(),
        0,
    );
    org_scopes.recipe.scopes = vec!["api".into()];
    let report = run(&org_scopes, Visit::Nothing).await.report;
    assert_diagnosed(
        &report,
        "aptedge",
        Outcome::Misconfigured,
        "permissions",
        None,
    );
    let failed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Failed)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(failed, ["object:CaseComment"]);
}

#[tokio::test]
async fn refresh_without_the_secret_is_caught_for_apideck() {
    let port = free_port();
    let emulator = start();
    allow_callback(&emulator, port);
    let req = request(
        &emulator,
        "apideck",
        Flow::AuthCode,
        emulator.login_url(),
        port,
    );
    let run = run(&req, Visit::Follow).await;
    assert_diagnosed(
        &run.report,
        "apideck",
        Outcome::Misconfigured,
        "security",
        Some("Require secret for Refresh Token Flow"),
    );

    emulator
        .edit_app("ECA_Wizard_Demo", |app| app.require_secret_refresh = false)
        .unwrap();
    let run = self::run(&req, Visit::Follow).await;
    assert_connected(&run.report);
}

#[tokio::test]
async fn a_missing_refresh_scope_is_named() {
    let port = free_port();
    let emulator = start();
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.scopes
                .retain(|s| s != "refresh_token" && s != "offline_access");
            app.callback_urls.extend(callback(port));
        })
        .unwrap();
    let req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        port,
    );
    let run = run(&req, Visit::Follow).await;
    assert_diagnosed(
        &run.report,
        "custom",
        Outcome::Misconfigured,
        "oauth-settings",
        Some("Selected OAuth Scopes"),
    );
    // Salesforce's answer doesn't name the scope: the ones this login asked for are named.
    let message = run.report.diagnosis.unwrap().message;
    assert!(
        message.contains("Perform requests at any time (refresh_token, offline_access)"),
        "{message}"
    );
}

#[tokio::test]
async fn a_user_who_is_not_pre_authorized_is_named() {
    let port = free_port();
    let mut org = Org::demo();
    org.auto_approve_user = Some(DEMO_ADMIN_USER.into());
    org.apps[0].policies.permitted_users = PermittedUsers::AdminApprovedPreAuthorized;
    org.apps[0].callback_urls.extend(callback(port));
    let emulator = start_with(org, true);
    let req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        port,
    );
    let run = run(&req, Visit::Follow).await;
    assert_diagnosed(
        &run.report,
        "custom",
        Outcome::Misconfigured,
        "policies",
        Some("Selected Permission Sets"),
    );
}

#[tokio::test]
async fn the_wrong_user_gets_a_warning() {
    let port = free_port();
    let mut org = Org::demo();
    org.auto_approve_user = Some(DEMO_ADMIN_USER.into());
    org.apps[0].callback_urls.extend(callback(port));
    let emulator = start_with(org, true);
    let mut req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        port,
    );
    req.expected_username = Some(DEMO_INTEGRATION_USER.into());
    let run = run(&req, Visit::Follow).await;
    assert_eq!(run.report.outcome, Outcome::Connected);
    let identity = run
        .report
        .checks
        .iter()
        .find(|c| c.name == "identity")
        .unwrap();
    assert_eq!(identity.status, Status::Warning);
    assert!(
        identity.detail.contains(DEMO_ADMIN_USER),
        "{}",
        identity.detail
    );
}

#[tokio::test]
async fn a_denied_login_is_user_action() {
    let port = free_port();
    let mut org = Org::demo();
    org.apps[0].callback_urls.extend(callback(port));
    let emulator = start_with(org, true);
    emulator
        .edit_user(DEMO_BROWSER_USER, |u| u.active = false)
        .unwrap();
    let req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        port,
    );
    let run = run(&req, Visit::Follow).await;
    assert_diagnosed(
        &run.report,
        "custom",
        Outcome::Misconfigured,
        "integration-user",
        None,
    );
}
