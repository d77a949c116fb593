//! The connect screen while it waits to try again: a mistyped key answers like a new app
//! (`invalid_client_id`), so the screen says how long ago the app was saved against how long
//! propagation usually takes, names the other causes from the first wait and puts them first
//! once the wait is longer than usual; a network failure is named as one, not as propagation.

use std::time::Duration;

use crate::common::driving::*;
use eca_wizard::connect::Event;
use eca_wizard::oauth::Failure;
use eca_wizard::salesforce::diagnosis::{Phase, Window};
use eca_wizard::wizard::{Key, Model, Msg, ScreenKind, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn screen(model: &Model) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| eca_wizard::ui::render(model, frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..24)
        .map(|y| (0..80).map(|x| buffer[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn connecting(mut m: Model) -> Model {
    choose(&mut m, "apideck");
    set_org(&mut m, "https://acme.my.salesforce.com");
    walk_to_review(&mut m);
    press(&mut m, Key::Enter);
    assert_eq!(m.kind(), ScreenKind::Connect);
    m
}

/// The connect waits after a failure of `failure`, at `at_ms`.
fn waits(m: &mut Model, failure: Failure, at_ms: u64) {
    let diagnosis = failure.diagnose(Phase::AuthorizePage, Window::Inside);
    let run = m.connect.run.id();
    update(m, Msg::Tick(at_ms));
    update(
        m,
        Msg::Connect {
            run,
            event: Event::Waiting {
                attempt: 3,
                delay: Duration::from_secs(5),
                diagnosis,
            },
            at_ms,
        },
    );
}

fn unknown_key() -> Failure {
    Failure::OAuth {
        status: 400,
        error: "invalid_client_id".into(),
        description: "client identifier invalid".into(),
    }
}

#[test]
fn a_key_typo_is_named_from_the_first_wait_and_first_once_overdue() {
    let mut m = connecting(model());
    let saved = m.setup.as_ref().unwrap().app_saved_at_ms.unwrap();
    waits(&mut m, unknown_key(), saved + 80_000);
    let text = screen(&m);
    assert!(text.contains("doesn't know the app yet"), "{text}");
    assert!(text.contains("Saved 1 min 20 s ago"), "{text}");
    assert!(text.contains("about 10 minutes"), "{text}");
    assert!(text.contains("a typo in the consumer key"), "{text}");
    assert!(text.contains("check the consumer key"), "{text}");
    assert!(!text.contains("longer than usual"), "{text}");
    // One sentence says it retries; nothing asks the admin to retry by hand as well.
    assert!(!text.contains("Wait and try again"), "{text}");

    waits(&mut m, unknown_key(), saved + 11 * 60_000);
    let text = screen(&m);
    assert!(text.contains("Saved 11 min ago"), "{text}");
    assert!(
        text.contains("longer than usual: more likely a typo in the consumer key"),
        "{text}"
    );
}

#[test]
fn the_demo_measures_against_its_own_delay() {
    let demo = model().with_demo(eca_wizard::wizard::Demo {
        login_url: "http://127.0.0.1:1".into(),
        my_domain_url: "http://127.0.0.1:2".into(),
        mcp_url: "http://127.0.0.1:3".into(),
        username: "integration@eca-wizard.demo".into(),
        browser_username: "connector@eca-wizard.demo".into(),
        terminal_sign_in: false,
        fault_note: None,
        propagation_secs: 60,
    });
    let mut m = demo;
    choose(&mut m, "apideck");
    // The demo fills in what only its org can answer; the rest is walked as usual.
    press(&mut m, Key::Enter);
    walk_to_review(&mut m);
    press(&mut m, Key::Enter);
    let saved = m.setup.as_ref().unwrap().app_saved_at_ms.unwrap();
    waits(&mut m, unknown_key(), saved + 30_000);
    let text = screen(&m);
    assert!(text.contains("the demo org takes 1 min"), "{text}");
    assert!(!text.contains("10 minutes"), "{text}");
    waits(&mut m, unknown_key(), saved + 90_000);
    assert!(screen(&m).contains("longer than usual"));
}

#[test]
fn a_network_failure_is_not_called_propagation() {
    let mut m = connecting(model());
    let failure = Failure::Transport("dns error: failed to lookup address information".into());
    waits(&mut m, failure, 5_000);
    let text = screen(&m);
    assert!(text.contains("Can't reach Salesforce"), "{text}");
    assert!(!text.contains("doesn't know the app"), "{text}");
}

#[test]
fn the_count_shown_is_of_logins_not_probes() {
    let mut m = connecting(model());
    let run = m.connect.run.id();
    for n in 1..=30 {
        update(
            &mut m,
            Msg::Connect {
                run,
                event: Event::Attempt(n),
                at_ms: 2_000,
            },
        );
    }
    update(
        &mut m,
        Msg::Connect {
            run,
            event: Event::Login(2),
            at_ms: 2_000,
        },
    );
    let text = screen(&m);
    assert!(text.contains("2 logins tried"), "{text}");
    assert!(!text.contains("30"), "{text}");
}

#[test]
fn busy_callback_ports_add_a_free_one_to_the_field() {
    use eca_wizard::connect::{NO_FREE_PORT, Outcome};
    use eca_wizard::recipe::Validator;
    use eca_wizard::salesforce::diagnosis::{Diagnosis, Kind, Target};
    use eca_wizard::salesforce::settings::SettingKey;
    let mut m = connecting(model());
    let run = m.connect.run.id();
    update(&mut m, Msg::SpareCallbackPort { run, port: 7720 });
    let diagnosis = Diagnosis::new(
        Kind::Misconfigured,
        NO_FREE_PORT,
        Some(Target::Setting(SettingKey::CallbackUrl)),
        "None of the app's callback URLs can be used on this machine.",
    );
    let summary = eca_wizard::wizard::Summary {
        outcome: Outcome::Failed,
        checks: Vec::new(),
        diagnosis: Some(diagnosis),
        instance_url: None,
        identity: None,
        attempts: 0,
    };
    update(
        &mut m,
        Msg::ConnectFinished {
            run,
            summary: Box::new(summary),
        },
    );
    press(&mut m, Key::Char('f'));
    let step = m.step();
    let field = &step.form.inputs[step.form.focus];
    assert_eq!(field.validator, Some(Validator::CallbackUrls));
    assert!(
        field.value().ends_with(" http://localhost:7720/callback"),
        "{}",
        field.value()
    );
    let fix = step.fix.as_ref().unwrap();
    assert!(fix.message.contains("Add the same line"), "{}", fix.message);
    assert!(!fix.message.contains("--callback-port"), "{}", fix.message);
}
