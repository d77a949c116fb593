//! Format 2 on screen: the first step with a recipe's question, the review's security list
//! (marks where a local recipe sets a setting against Salesforce's defaults), and the connect's
//! wait told against the recipe's own propagation window.

use std::time::Duration;

use crate::common::driving::*;
use crate::wizard_choices::at_first_step;
use eca_wizard::connect::Event;
use eca_wizard::oauth::Failure;
use eca_wizard::salesforce::diagnosis::{Phase, Window};
use eca_wizard::wizard::{Key, Model, Msg, ScreenKind, update};

fn snap(name: &str, model: &mut Model, width: u16, height: u16) -> String {
    resize(model, width, height);
    let screen = draw(model, width, height);
    assert!(!screen.contains("S3cr3t"), "{name} shows the secret");
    insta::assert_snapshot!(format!("{name}_{width}x{height}"), screen);
    screen
}

#[test]
fn the_first_step_shows_the_question_with_its_keys() {
    let mut model = at_first_step();
    let screen = snap("format2_first_step", &mut model, 100, 30);
    assert!(screen.contains("How does the vendor sign in?"), "{screen}");
    assert!(screen.contains("◀ client-credentials ▶"), "{screen}");
    assert!(screen.contains("←→ change answer"), "{screen}");
    press(&mut model, Key::Right);
    let screen = snap("format2_first_step_jwt", &mut model, 100, 30);
    assert!(screen.contains("◀ jwt-bearer ▶"), "{screen}");
    assert!(screen.contains("Pre-authorize"), "{screen}");
}

/// The example's review, its text scrolled to the security list, in a tall terminal.
fn review_text(jwt: bool) -> (Model, String) {
    let mut model = at_first_step();
    if jwt {
        press(&mut model, Key::Right);
    }
    walk_to_review(&mut model);
    resize(&mut model, 100, 80);
    let screen = draw(&model, 100, 80);
    (model, screen)
}

#[test]
fn the_review_lists_the_security_settings_and_marks_a_local_recipes() {
    let (mut model, screen) = review_text(true);
    for line in [
        "Security settings the app gets (as apply --dry-run lists them)",
        "Callback URL: https://app.example-etl.com/oauth/callback",
        "Enable JWT Bearer Flow: on",
        "Require Proof Key for Code Exchange (PKCE) extension for Supported Authorization Flows: on",
        "Permitted Users: Admin approved users are pre-authorized  ! not Setup's default",
        "! This local recipe sets",
    ] {
        assert!(screen.contains(line), "{line}:\n{screen}");
    }
    snap("format2_review", &mut model, 100, 80);
    // The client-credentials answer makes another list.
    let (_, screen) = review_text(false);
    assert!(
        screen.contains("Enable Client Credentials Flow: on"),
        "{screen}"
    );
    assert!(
        screen.contains("Run As (Username): integration@acme.example"),
        "{screen}"
    );
    assert!(!screen.contains("Admin approved users"), "{screen}");
}

#[test]
fn a_built_in_recipes_review_marks_nothing() {
    let mut model = model();
    resize(&mut model, 100, 80);
    choose(&mut model, "service-board-sync");
    set_org(&mut model, "https://acme.my.salesforce.com");
    walk_to_review(&mut model);
    let screen = draw(&model, 100, 80);
    assert!(
        screen.contains("IP Relaxation: Relax IP restrictions"),
        "{screen}"
    );
    assert!(!screen.contains("not Setup's default"), "{screen}");
}

#[test]
fn the_wait_is_told_against_the_recipes_window() {
    let mut model = at_first_step();
    walk_to_review(&mut model);
    press(&mut model, Key::Enter);
    assert_eq!(model.kind(), ScreenKind::Connect);
    let saved = model.setup.as_ref().unwrap().app_saved_at_ms.unwrap();
    let at_ms = saved + 12 * 60_000;
    let run = model.connect.run.id();
    update(&mut model, Msg::Tick(at_ms));
    let failure = Failure::OAuth {
        status: 400,
        error: "invalid_client_id".into(),
        description: "client identifier invalid".into(),
    };
    update(
        &mut model,
        Msg::Connect {
            run,
            event: Event::Waiting {
                attempt: 3,
                delay: Duration::from_secs(5),
                diagnosis: failure.diagnose(Phase::ClientCredentials, Window::Inside),
            },
            at_ms,
        },
    );
    let screen = snap("format2_wait", &mut model, 80, 24);
    let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("the vendor's guide says a new app can take up to 30 min"),
        "{flat}"
    );
    // Twelve minutes is past Salesforce's usual 10, not past the vendor's 30.
    assert!(!flat.contains("longer than usual"), "{flat}");
    assert_eq!(model.waiting().unwrap().usual_ms, 30 * 60_000);
}

#[test]
fn vendor_steps_follow_the_credentials_with_values_from_the_app_and_org() {
    let mut model = at_first_step();
    let first = draw(&model, 100, 40);
    let flat = first.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("The guide was written for a Connected App"),
        "{flat}"
    );
    assert!(
        flat.contains("Use digital signatures (checked, with the certificate) → Enable JWT"),
        "{flat}"
    );
    let credentials = model
        .recipe()
        .unwrap()
        .steps
        .iter()
        .position(|s| s.id == "credentials")
        .unwrap();
    while model.kind() != ScreenKind::Step(credentials) {
        complete_step(&mut model);
        fix_invalid_fields(&mut model);
    }
    let before = draw(&model, 100, 60);
    assert!(before.contains("(the consumer key)"), "{before}");
    type_text(&mut model, "3MVG9TestConsumerKey000000");
    press(&mut model, Key::Tab);
    type_text(&mut model, SECRET);
    let screen = snap("format2_vendor_steps", &mut model, 100, 60);
    for line in [
        "In Example ETL: Create the Salesforce connection",
        "Where  Connections › New › Salesforce",
        "• Environment: Production",
        "• Instance URL: https://acme.my.salesforce.com",
        "• Host: acme.my.salesforce.com",
        "• Client ID: 3MVG9TestConsumerKey000000",
        "In Example ETL: Client secret",
        "• Client Secret: ••••",
    ] {
        assert!(screen.contains(line), "{line}:\n{screen}");
    }
    assert!(
        !screen.contains("Private key"),
        "the JWT step isn't this flow's"
    );
    press(&mut model, Key::Ctrl('r'));
    let shown = draw(&model, 100, 60);
    assert!(
        shown.contains(&format!("• Client Secret: {SECRET}")),
        "{shown}"
    );
    // Other steps don't show them.
    press(&mut model, Key::PageUp);
    assert!(!draw(&model, 100, 60).contains("In Example ETL"));
}
