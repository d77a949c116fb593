//! Connect and verify against the emulator: every flow connects, propagation is waited out,
//! waits can be cancelled, and strays at the listener don't derail the login.

use std::time::Duration;

use crate::common::connecting::*;
use crate::common::ports::{free_port, held_port};
use crate::common::*;
use eca_wizard::connect::{self, Event, Outcome};
use eca_wizard::emulator::Org;
use eca_wizard::emulator::org::{
    DEMO_ADMIN_USER, DEMO_BROWSER_USER, DEMO_INTEGRATION_USER, DEMO_JWT_KEY, OrgType,
    PermittedUsers,
};
use eca_wizard::salesforce::Flow;
use eca_wizard::secret::Secret;
use eca_wizard::verify::Status;
use tokio::sync::watch;

#[tokio::test]
async fn the_code_flow_connects_through_the_listener() {
    let port = free_port();
    let emulator = start();
    allow_callback(&emulator, port);
    let req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        port,
    );
    let run = run(&req, Visit::Follow).await;
    assert_connected(&run.report);
    assert_eq!(run.seen, [("callback".into(), 303), ("done".into(), 200)]);
    let names: Vec<&str> = run.report.checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "token",
            "identity",
            "scopes",
            "refresh_token",
            "refresh",
            "rest_api",
            "object:Account"
        ]
    );
    assert_eq!(
        run.report.identity.as_ref().unwrap().username,
        DEMO_BROWSER_USER,
        "the browser's user, not the API-only one"
    );
    assert!(run.events.iter().any(|e| matches!(e, Event::CodeReceived)));
}

#[tokio::test]
async fn strays_and_a_replayed_callback_do_not_derail_the_login() {
    let port = free_port();
    let emulator = start();
    allow_callback(&emulator, port);
    let req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        port,
    );
    let run = run(&req, Visit::StraysThenFollowTwice).await;
    assert_connected(&run.report);
    let status = |name: &str| run.seen.iter().find(|(n, _)| n == name).map(|(_, s)| *s);
    assert_eq!(status("wrong-state"), Some(400));
    assert_eq!(status("favicon"), Some(404));
    assert_eq!(status("options"), Some(204));
    assert_eq!(status("elsewhere"), Some(404));
    assert_eq!(status("callback"), Some(303));
    // The replay reaches the listener during its grace period (200 "already connected") or
    // after it closed (a connection error, not recorded): never a second exchange.
    assert!(matches!(status("replay"), None | Some(200)));
}

#[tokio::test]
async fn the_code_flow_connects_from_a_paste() {
    let port = free_port();
    let emulator = start();
    allow_callback(&emulator, port);
    let req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        port,
    );
    let run = run(&req, Visit::Paste).await;
    assert_connected(&run.report);
    assert!(
        run.events
            .iter()
            .any(|e| matches!(e, Event::BrowserFailed(why) if why.contains("paste it again")))
    );
}

#[tokio::test]
async fn client_credentials_connects() {
    let emulator = start();
    let req = request(
        &emulator,
        "custom",
        Flow::ClientCredentials,
        emulator.my_domain_url(),
        0,
    );
    let run = run(&req, Visit::Nothing).await;
    assert_connected(&run.report);
    let refresh = run
        .report
        .checks
        .iter()
        .find(|c| c.name == "refresh")
        .unwrap();
    assert_eq!(refresh.status, Status::Skipped);
}

#[tokio::test]
async fn jwt_bearer_connects_for_a_pre_authorized_user() {
    let emulator = start();
    emulator
        .edit_app("ECA_Wizard_Demo", |app| {
            app.policies.permitted_users = PermittedUsers::AdminApprovedPreAuthorized
        })
        .unwrap();
    let mut req = request(
        &emulator,
        "custom",
        Flow::JwtBearer,
        emulator.login_url(),
        0,
    );
    req.client_secret = None;
    req.jwt = Some((Secret::new(DEMO_JWT_KEY), DEMO_INTEGRATION_USER.into()));
    let run = run(&req, Visit::Nothing).await;
    assert_connected(&run.report);

    req.jwt = Some((Secret::new(DEMO_JWT_KEY), DEMO_ADMIN_USER.into()));
    let run = self::run(&req, Visit::Nothing).await;
    assert_diagnosed(
        &run.report,
        "custom",
        Outcome::Misconfigured,
        "policies",
        Some("Selected Permission Sets"),
    );
}

/// JWT bearer through the org's My Domain, as the Salesforce CLI does it: the documented
/// audience for the org's type is found (production first, then sandbox); a My Domain `aud`
/// is refused by the emulator as users report Salesforce does.
#[tokio::test]
async fn jwt_bearer_through_the_my_domain_finds_the_org_type_s_audience() {
    for (org_type, audience) in [
        (OrgType::Production, "https://login.salesforce.com"),
        (OrgType::Sandbox, "https://test.salesforce.com"),
    ] {
        let mut org = Org::demo();
        org.org_type = org_type;
        let emulator = start_with(org, true);
        emulator
            .edit_app("ECA_Wizard_Demo", |app| {
                app.policies.permitted_users = PermittedUsers::AdminApprovedPreAuthorized;
                app.scopes.push("web".into());
            })
            .unwrap();
        let mut req = request(
            &emulator,
            "sf-cli-ci",
            Flow::JwtBearer,
            emulator.my_domain_url(),
            0,
        );
        req.client_secret = None;
        req.jwt = Some((Secret::new(DEMO_JWT_KEY), DEMO_INTEGRATION_USER.into()));
        let run = run(&req, Visit::Nothing).await;
        assert_connected(&run.report);
        let token = run
            .report
            .checks
            .iter()
            .find(|c| c.name == "token")
            .unwrap();
        assert!(
            token.detail.ends_with(&format!("(audience {audience})")),
            "{org_type:?}: {}",
            token.detail
        );
        let refused = eca_wizard::oauth::OAuthClient::new(emulator.my_domain_url(), KEY, None)
            .unwrap()
            .jwt_bearer(
                &eca_wizard::jwt::Signer::from_pem(DEMO_JWT_KEY).unwrap(),
                DEMO_INTEGRATION_USER,
                emulator.my_domain_url(),
                eca_wizard::clock::now_ms() / 1000,
            )
            .await;
        assert!(
            matches!(&refused, Err(eca_wizard::oauth::client::Failure::OAuth { description, .. }) if description == "audience is invalid"),
            "{org_type:?}: a My Domain aud: {refused:?}"
        );
    }
}

#[tokio::test]
async fn a_propagating_app_is_waited_out() {
    let mut org = Org::demo();
    org.propagation_delay_secs = 2;
    let emulator = start_with(org, true);
    let req = request(
        &emulator,
        "custom",
        Flow::ClientCredentials,
        emulator.my_domain_url(),
        0,
    );
    let run = run(&req, Visit::Nothing).await;
    assert_connected(&run.report);
    assert!(run.report.attempts > 1, "it had to wait");
    assert!(run.events.iter().any(
        |e| matches!(e, Event::Waiting { diagnosis, .. } if diagnosis.error == "invalid_client_id")
    ));
}

#[tokio::test]
async fn a_propagating_code_flow_is_probed_until_ready() {
    let port = free_port();
    let mut org = Org::demo();
    org.propagation_delay_secs = 2;
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
    assert_connected(&run.report);
    let position = |f: &dyn Fn(&Event) -> bool| run.events.iter().position(f).unwrap();
    assert!(
        position(&|e| matches!(e, Event::Waiting { .. }))
            < position(&|e| matches!(e, Event::AuthorizeUrl(_))),
        "probing happens before the browser"
    );
}

#[tokio::test]
async fn no_login_times_out() {
    let port = free_port();
    let emulator = start();
    allow_callback(&emulator, port);
    let mut req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        port,
    );
    req.timeout = Duration::from_millis(500);
    let run = run(&req, Visit::Nothing).await;
    assert_eq!(run.report.outcome, Outcome::TimedOut);
    assert_eq!(run.report.outcome.exit_code(), 5);
}

#[tokio::test]
async fn busy_callback_ports_are_reported() {
    let emulator = start();
    let (_held, port) = held_port();
    let req = request(
        &emulator,
        "custom",
        Flow::AuthCode,
        emulator.login_url(),
        port,
    );
    let run = run(&req, Visit::Nothing).await;
    // Freeing a port is the user's to do: exit 4, as the table says.
    assert_eq!(run.report.outcome, Outcome::UserAction);
    assert_eq!(run.report.outcome.exit_code(), 4);
    let diagnosis = run.report.diagnosis.unwrap();
    assert_eq!(diagnosis.error, "no_free_port");
    assert!(
        diagnosis.message.contains(&port.to_string()) && diagnosis.message.contains("port in use"),
        "{}",
        diagnosis.message
    );
}

#[tokio::test]
async fn a_wait_can_be_cancelled() {
    let mut org = Org::demo();
    org.propagation_delay_secs = 3600;
    let emulator = start_with(org, true);
    let mut req = request(
        &emulator,
        "custom",
        Flow::ClientCredentials,
        emulator.my_domain_url(),
        0,
    );
    // A long wait between logins while the app propagates.
    req.policy.login_every = Duration::from_secs(30);
    let (cancel_tx, cancel) = watch::channel(false);
    let mut on_event = move |event: Event| {
        if let Event::Waiting { attempt, delay, .. } = event {
            assert_eq!(attempt, 2);
            assert!(delay >= Duration::from_secs(15), "{delay:?}");
            let _ = cancel_tx.send(true);
        }
    };
    let started = std::time::Instant::now();
    let report = connect::connect(&req, &mut on_event, None, cancel).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the wait was cancelled"
    );
    // Stopped by the user, not timed out: exit 130.
    assert_eq!(report.outcome, Outcome::Cancelled);
    assert_eq!(report.attempts, 1);
}

#[tokio::test]
async fn the_client_revokes_and_introspects() {
    let emulator = start();
    let client = eca_wizard::oauth::OAuthClient::new(
        emulator.my_domain_url(),
        KEY,
        Some(Secret::new(SECRET)),
    )
    .unwrap();
    let tokens = client.client_credentials().await.unwrap();
    let active = client.introspect(&tokens.access_token).await.unwrap();
    assert_eq!(active["active"], true);
    client.revoke(&tokens.access_token).await.unwrap();
    assert_eq!(
        client.introspect(&tokens.access_token).await.unwrap()["active"],
        false
    );
    let again = client.revoke(&tokens.access_token).await.unwrap_err();
    assert!(
        matches!(&again, eca_wizard::oauth::Failure::OAuth { error, .. } if error == "invalid_token"),
        "{again:?}"
    );
}

#[tokio::test]
async fn after_a_fix_failing_checks_are_rechecked_until_the_change_applies() {
    let port = free_port();
    let mut org = Org::demo();
    org.apps[0].callback_urls.extend(callback(port));
    let emulator = start_with(org, true);
    // The admin just unchecked "Require secret for Refresh Token Flow"; it takes a moment.
    emulator.set_propagation_delay(Duration::from_secs(3));
    emulator.advance_clock(Duration::from_secs(10)); // the app itself is long settled
    emulator
        .edit_app("ECA_Wizard_Demo", |app| app.require_secret_refresh = false)
        .unwrap();
    let mut req = request(
        &emulator,
        "apideck",
        Flow::AuthCode,
        emulator.login_url(),
        port,
    );
    req.recheck_for = Duration::from_secs(20);
    let run = run(&req, Visit::Follow).await;
    assert_connected(&run.report);
    let rechecks = run.events.iter().filter(|e| matches!(e, Event::Waiting { diagnosis, .. } if diagnosis.message.starts_with("Salesforce may still be applying"))).count();
    assert!(
        rechecks >= 1,
        "the stale setting was waited out: {:?}",
        run.events
    );

    // Without the re-check window the same situation is reported at once.
    emulator
        .edit_app("ECA_Wizard_Demo", |app| app.require_secret_refresh = true)
        .unwrap();
    emulator.set_propagation_delay(Duration::ZERO);
    req.recheck_for = Duration::ZERO;
    let run = self::run(&req, Visit::Follow).await;
    assert_eq!(run.report.outcome, Outcome::Misconfigured);
}

/// The Salesforce CLI CI recipe's app, as its steps set it up: JWT bearer with the certificate,
/// admin-approved users through the permission set; a user outside the set is refused there.
#[tokio::test]
async fn the_cli_ci_recipe_signs_in_its_pre_authorized_user_by_jwt() {
    use eca_wizard::recipe::Role;
    let recipe = eca_wizard::recipe::builtin_by_id("sf-cli-ci").unwrap();
    let emulator = start();
    let key = "3MVG9CliCiRecipeTest.Key4Emulator.Only_NotASalesforceKey.0123456789AbCdEf";
    let answers = [
        (Role::PermissionSet, "ECA_Wizard_Integration".to_string()),
        (Role::ApiName, "CI_App".to_string()),
    ];
    let app = recipe_app(recipe, &answers, key);
    assert_eq!(
        app.policies.permitted_users,
        PermittedUsers::AdminApprovedPreAuthorized
    );
    assert!(
        app.jwt_certificate.is_some(),
        "Enable JWT Bearer Flow uploads the certificate"
    );
    emulator.put_app(app);
    let mut req = request(
        &emulator,
        "sf-cli-ci",
        Flow::JwtBearer,
        emulator.my_domain_url(),
        0,
    );
    req.client_id = key.into();
    req.client_secret = None;
    req.jwt = Some((Secret::new(DEMO_JWT_KEY), DEMO_INTEGRATION_USER.into()));
    let run = run(&req, Visit::Nothing).await;
    assert_connected(&run.report);

    req.jwt = Some((Secret::new(DEMO_JWT_KEY), DEMO_ADMIN_USER.into()));
    let run = self::run(&req, Visit::Nothing).await;
    assert_diagnosed(
        &run.report,
        "sf-cli-ci",
        Outcome::Misconfigured,
        "policies",
        Some("Selected Permission Sets"),
    );
}
