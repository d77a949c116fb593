//! The wizard's state machine, driven by messages alone: every screen's transitions, bad
//! input, cancel, resume, and fix-then-reconnect.

use std::time::Duration;

use eca_wizard::connect::{Event, Outcome};
use eca_wizard::recipe;
use eca_wizard::salesforce::diagnosis::{Diagnosis, Kind, Target};
use eca_wizard::salesforce::settings::SettingKey;
use eca_wizard::secret::Secret;
use eca_wizard::verify::Check;

use crate::common::driving::*;
use eca_wizard::wizard::{
    Cmd, Dialog, Key, Model, Msg, Screen, ScreenKind, StepMark, Summary, update,
};

#[test]
fn the_start_screen_quits_at_once_and_wraps() {
    let mut m = model();
    press(&mut m, Key::Up);
    assert_eq!(m.progress.selected, m.recipes.len() - 1);
    press(&mut m, Key::Down);
    assert_eq!(m.progress.selected, 0);
    press(&mut m, Key::Char('?'));
    assert!(matches!(m.dialog, Some(Dialog::Help)));
    press(&mut m, Key::Char('x'));
    assert!(m.dialog.is_none());
    assert_eq!(press(&mut m, Key::Char('q')), [Cmd::Quit]);
    assert!(m.quit);
}

#[test]
fn the_org_screen_normalises_and_refuses_with_the_text_kept() {
    let mut m = model();
    choose(&mut m, "service-board-sync");
    assert!(set_org(&mut m, "https://na1.salesforce.com").is_empty());
    assert_eq!(m.kind(), ScreenKind::Org);
    assert!(
        m.fields().inputs[0]
            .error
            .as_deref()
            .unwrap()
            .contains("instanced")
    );
    assert_eq!(
        m.fields().inputs[0].value(),
        "https://na1.salesforce.com",
        "nothing typed is lost"
    );
    set_org(&mut m, "production");
    assert!(
        m.fields().inputs[0]
            .error
            .as_deref()
            .unwrap()
            .contains("My Domain"),
        "client credentials needs My Domain"
    );
    let cmds = set_org(
        &mut m,
        "https://acme.lightning.force.com/lightning/setup/SetupOneHome/home",
    );
    assert_eq!(m.kind(), ScreenKind::Step(0));
    assert!(
        m.fields().notes.iter().any(|n| n.contains("Lightning")),
        "{:?}",
        m.fields().notes
    );
    assert!(
        matches!(&cmds[..], [Cmd::SaveProgress(saved)] if saved.login_url.as_deref() == Some("https://acme.my.salesforce.com"))
    );
    press(&mut m, Key::Esc);
    assert_eq!(m.kind(), ScreenKind::Org);
    press(&mut m, Key::Esc);
    assert_eq!(m.kind(), ScreenKind::Start);
}

#[test]
fn steps_validate_keep_input_and_never_save_secrets() {
    let mut m = model();
    choose(&mut m, "apideck");
    set_org(&mut m, "production");
    // Step 0: the username field refuses junk and keeps it.
    type_text(&mut m, "not a username");
    press(&mut m, Key::Enter);
    assert_eq!(m.kind(), ScreenKind::Step(0));
    assert!(m.fields().inputs[0].error.is_some());
    assert_eq!(m.fields().inputs[0].value(), "not a username");
    clear_field(&mut m);
    let cmds = complete_step(&mut m);
    assert_eq!(m.kind(), ScreenKind::Step(1));
    assert!(matches!(&cmds[0], Cmd::SaveProgress(saved) if saved.marks[0] == StepMark::Done));

    // Basic info: the API name follows the app name as Setup does.
    complete_step(&mut m);
    assert_eq!(m.kind(), ScreenKind::Step(2));
    m.fields_mut().focus = 0;
    clear_field(&mut m);
    type_text(&mut m, "Acme Sync 2");
    assert_eq!(m.fields().inputs[1].value(), "Acme_Sync_2");

    let all = walk_to_review(&mut m);
    for cmd in &all {
        if let Cmd::SaveProgress(saved) = cmd {
            assert!(!saved.answers.contains_key("consumer_secret"));
            assert!(
                !format!("{saved:?}").contains(SECRET),
                "a saved setup holds the secret"
            );
        }
    }
    // m asks where first, proposing a folder under the data folder, in full.
    update(
        &mut m,
        Msg::MetadataHome("/home/admin/.local/share/eca-wizard/metadata".into()),
    );
    assert!(press(&mut m, Key::Char('m')).is_empty());
    assert!(matches!(m.dialog, Some(Dialog::MetadataFolder(_))));
    let api_name = m
        .setup
        .as_ref()
        .unwrap()
        .answer("api_name")
        .unwrap()
        .to_string();
    assert_eq!(
        folder(&m).value(),
        format!("/home/admin/.local/share/eca-wizard/metadata/{api_name}-metadata")
    );
    press(&mut m, Key::Esc);
    assert!(m.dialog.is_none(), "esc writes nothing");
    press(&mut m, Key::Char('m'));
    type_text(&mut m, "-2");
    let metadata = press(&mut m, Key::Enter);
    assert!(
        matches!(&metadata[..], [Cmd::WriteMetadata { saved, into }]
            if saved.recipe == "apideck" && into.ends_with("-metadata-2")),
        "{metadata:?}"
    );
    assert!(m.dialog.is_none());
    let cmds = press(&mut m, Key::Enter);
    let Some(Cmd::Connect(spec)) = cmds.first() else {
        panic!("{cmds:?}")
    };
    assert_eq!(
        spec.save_as.as_deref(),
        Some("apideck-production"),
        "a verified connection is kept"
    );
    assert_eq!(spec.client_secret, Some(Secret::new(SECRET)));
    assert_eq!(spec.login_url, "https://login.salesforce.com");
    assert!(
        spec.app_saved_at_ms.is_some(),
        "confirming the Create step starts the window"
    );
    assert_eq!(m.kind(), ScreenKind::Connect);
}

#[test]
fn secrets_are_masked_until_revealed() {
    let mut m = model();
    choose(&mut m, "custom");
    set_org(&mut m, "production");
    let credentials = m
        .recipe()
        .unwrap()
        .steps
        .iter()
        .position(|s| s.id == "credentials")
        .unwrap();
    for _ in 0..credentials {
        press(&mut m, Key::PageDown);
    }
    assert_eq!(m.kind(), ScreenKind::Step(credentials));
    m.fields_mut().focus = 1;
    update(&mut m, Msg::Paste(format!("{SECRET}\n")));
    assert_eq!(
        m.kind(),
        ScreenKind::Step(credentials),
        "a pasted newline never submits"
    );
    assert_eq!(m.fields().inputs[1].value(), format!("{SECRET} "));
    assert!(
        !m.fields().inputs[1]
            .shown(m.step().reveal_secrets)
            .contains("S3cr3t")
    );
    press(&mut m, Key::Ctrl('r'));
    assert!(
        m.fields().inputs[1]
            .shown(m.step().reveal_secrets)
            .contains("S3cr3t")
    );
    assert!(
        press(&mut m, Key::Ctrl('y'))
            .iter()
            .all(|c| !matches!(c, Cmd::Copy(_))),
        "secrets aren't copied"
    );
}

#[test]
fn drafts_survive_moving_between_steps() {
    let mut m = model();
    choose(&mut m, "custom");
    set_org(&mut m, "production");
    type_text(&mut m, "half-typed");
    press(&mut m, Key::PageDown);
    assert_eq!(m.kind(), ScreenKind::Step(1));
    press(&mut m, Key::PageUp);
    assert_eq!(m.fields().inputs[0].value(), "half-typed");
}

#[test]
fn quitting_mid_setup_asks_first() {
    let mut m = model();
    choose(&mut m, "custom");
    set_org(&mut m, "production");
    type_text(&mut m, "q");
    assert!(m.dialog.is_none(), "q is text while typing");
    press(&mut m, Key::Ctrl('q'));
    assert!(matches!(m.dialog, Some(Dialog::ConfirmQuit)));
    press(&mut m, Key::Char('n'));
    assert!(m.dialog.is_none());
    assert!(!m.quit);
    press(&mut m, Key::Ctrl('q'));
    let cmds = press(&mut m, Key::Char('y'));
    assert_eq!(cmds.last(), Some(&Cmd::Quit));
    // The "q" typed in the current step's field is kept as a draft.
    let Some(Cmd::SaveProgress(saved)) = cmds.first() else {
        panic!("{cmds:?}")
    };
    assert!(
        saved.drafts.values().any(|v| v == "q"),
        "{:?}",
        saved.drafts
    );
}

#[test]
fn drafts_survive_ctrl_c_and_two_setups_live_side_by_side() {
    let mut m = model();
    choose(&mut m, "apideck");
    set_org(&mut m, "https://acme.my.salesforce.com");
    type_text(&mut m, "half-typed");
    let cmds = press(&mut m, Key::Ctrl('c'));
    let Some(Cmd::SaveProgress(apideck)) = cmds.first().cloned() else {
        panic!("{cmds:?}")
    };
    assert_eq!(apideck.key(), "apideck--acme.my.salesforce.com");
    // Another recipe for another org: its own key, so nothing is replaced.
    let mut other = model();
    choose(&mut other, "aptedge");
    let Cmd::SaveProgress(aptedge) =
        set_org(&mut other, "https://globex.my.salesforce.com").remove(0)
    else {
        panic!()
    };
    assert_ne!(aptedge.key(), apideck.key());
    // Both are offered; resuming the first brings its draft back.
    let mut next = Model::new(recipe::builtin().unwrap(), vec![apideck, aptedge], 5_000);
    assert_eq!(next.start_entries(), next.recipes.len() + 2);
    press(&mut next, Key::Enter);
    assert!(
        next.fields()
            .inputs
            .iter()
            .any(|i| i.value().contains("half-typed")),
        "{:?}",
        next.fields()
            .inputs
            .iter()
            .map(|i| i.value())
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_saved_setup_is_offered_and_resumed_without_secrets() {
    let mut m = model();
    choose(&mut m, "apideck");
    set_org(&mut m, "production");
    let saved = match &complete_step(&mut m)[0] {
        Cmd::SaveProgress(saved) => saved.clone(),
        other => panic!("{other:?}"),
    };
    let mut resumed = Model::new(recipe::builtin().unwrap(), vec![saved], 2_000);
    assert_eq!(resumed.start_entries(), resumed.recipes.len() + 1);
    press(&mut resumed, Key::Enter);
    assert_eq!(resumed.kind(), ScreenKind::Step(1));
    assert_eq!(
        resumed
            .setup
            .as_ref()
            .unwrap()
            .answer("integration_username"),
        Some("integration@acme.example")
    );
    assert!(resumed.setup.as_ref().unwrap().secrets.is_empty());
}

#[test]
fn a_resume_that_doesnt_fit_is_refused_and_can_be_discarded() {
    let mut m = model();
    choose(&mut m, "apideck");
    let Cmd::SaveProgress(mut saved) = set_org(&mut m, "production").remove(0) else {
        panic!()
    };
    saved.marks.pop();
    let mut bad = Model::new(recipe::builtin().unwrap(), vec![saved.clone()], 0);
    press(&mut bad, Key::Enter);
    assert_eq!(bad.kind(), ScreenKind::Start);
    assert!(bad.progress.saved.is_empty());
    let key = saved.key();
    let mut discard = Model::new(recipe::builtin().unwrap(), vec![saved], 0);
    // d asks first; y forgets it.
    assert!(press(&mut discard, Key::Char('d')).is_empty());
    assert!(press(&mut discard, Key::Char('y')).contains(&Cmd::ClearProgress(key)));
    assert!(discard.progress.saved.is_empty());
}

fn failed_summary(target: Target) -> Summary {
    let diagnosis = Diagnosis::new(
        Kind::Misconfigured,
        "invalid_client",
        Some(target),
        "fix it",
    );
    Summary {
        outcome: Outcome::Misconfigured,
        checks: vec![Check::failed(
            eca_wizard::verify::CheckName::Refresh,
            diagnosis.clone(),
        )],
        diagnosis: Some(diagnosis),
        instance_url: None,
        identity: None,
        attempts: 1,
    }
}

#[test]
fn connect_events_countdown_then_fix_and_reconnect() {
    let mut m = model();
    choose(&mut m, "apideck");
    set_org(&mut m, "production");
    walk_to_review(&mut m);
    press(&mut m, Key::Enter);
    assert!(m.connect.running && m.animating());

    let diagnosis = Diagnosis::new(
        Kind::Propagating,
        "invalid_client_id",
        Some(Target::Credentials),
        "wait",
    );
    let run = m.connect.run.id();
    update(
        &mut m,
        Msg::Connect {
            run,
            event: Event::Waiting {
                attempt: 2,
                delay: Duration::from_secs(8),
                diagnosis,
            },
            at_ms: 10_000,
        },
    );
    update(&mut m, Msg::Tick(13_500));
    assert_eq!(m.countdown_secs(), Some(5));
    assert_eq!(press(&mut m, Key::Char('r')), [Cmd::RetryNow]);
    let run = m.connect.run.id();
    update(
        &mut m,
        Msg::Connect {
            run,
            event: Event::AuthorizeUrl("http://login.example/authorize".into()),
            at_ms: 14_000,
        },
    );
    assert_eq!(
        m.connect.url.as_deref(),
        Some("http://login.example/authorize")
    );
    assert!(
        matches!(&press(&mut m, Key::Char('c'))[0], Cmd::Copy(url) if url.contains("authorize"))
    );

    // The paste box takes a pasted address and sends it on Enter.
    press(&mut m, Key::Char('p'));
    press(&mut m, Key::Enter);
    assert!(
        matches!(&m.screen, Screen::Connect(c) if c.paste_error.is_some()),
        "an empty paste says what to do"
    );
    update(
        &mut m,
        Msg::Paste("http://localhost:7717/callback?code=x&state=y".into()),
    );
    assert!(
        matches!(&press(&mut m, Key::Enter)[..], [Cmd::Paste(text)] if text.contains("code=x"))
    );

    let run = m.connect.run.id();
    update(
        &mut m,
        Msg::Connect {
            run,
            event: Event::Check(Check::passed(eca_wizard::verify::CheckName::Token, "ok")),
            at_ms: 15_000,
        },
    );
    assert_eq!(m.kind(), ScreenKind::Status);
    // A second sign-in in the same run (the grant must be made again after a fix) goes back
    // to the connect screen, where the URL and the paste box are: the status screen has
    // neither, and a run waiting for a login there never ends.
    update(
        &mut m,
        Msg::Connect {
            run,
            event: Event::AuthorizeUrl("http://127.0.0.1:1/services/oauth2/authorize?x".into()),
            at_ms: 16_000,
        },
    );
    assert_eq!(m.kind(), ScreenKind::Connect);
    assert!(m.connect.checks.is_empty(), "the old run's checks are gone");
    assert!(
        m.connect
            .note
            .as_deref()
            .unwrap_or_default()
            .contains("once more")
    );
    update(
        &mut m,
        Msg::Connect {
            run,
            event: Event::Check(Check::passed(eca_wizard::verify::CheckName::Token, "ok")),
            at_ms: 17_000,
        },
    );
    let run = m.connect.run.id();
    update(
        &mut m,
        Msg::ConnectFinished {
            run,
            summary: Box::new(failed_summary(Target::Setting(
                SettingKey::RequireSecretRefresh,
            ))),
        },
    );
    let security = m
        .recipe()
        .unwrap()
        .steps
        .iter()
        .position(|s| s.id == "security")
        .unwrap();
    assert_eq!(
        m.setup.as_ref().unwrap().marks[security],
        StepMark::NeedsFix
    );
    press(&mut m, Key::Char('f'));
    assert_eq!(m.kind(), ScreenKind::Step(security));
    let cmds = press(&mut m, Key::Enter);
    assert!(
        cmds.iter().any(|c| matches!(c, Cmd::Connect(_))),
        "confirming the fix reconnects: {cmds:?}"
    );
    assert_eq!(m.kind(), ScreenKind::Connect);
    assert_eq!(m.setup.as_ref().unwrap().marks[security], StepMark::Done);

    let green = Summary {
        outcome: Outcome::Connected,
        checks: vec![Check::passed(eca_wizard::verify::CheckName::Token, "ok")],
        diagnosis: None,
        instance_url: Some("https://acme.my.salesforce.com".into()),
        identity: None,
        attempts: 1,
    };
    let run = m.connect.run.id();
    update(
        &mut m,
        Msg::ConnectFinished {
            run,
            summary: Box::new(green),
        },
    );
    assert!(
        press(&mut m, Key::Enter)
            .iter()
            .any(|c| matches!(c, Cmd::ClearProgress(_)))
    );
    assert_eq!(m.kind(), ScreenKind::Done);
    assert_eq!(press(&mut m, Key::Enter), [Cmd::Quit]);
}

#[test]
fn cancelling_a_connect_goes_back_to_review() {
    let mut m = model();
    choose(&mut m, "custom");
    set_org(&mut m, "production");
    walk_to_review(&mut m);
    press(&mut m, Key::Enter);
    assert_eq!(press(&mut m, Key::Esc), [Cmd::CancelConnect]);
    assert_eq!(m.kind(), ScreenKind::Review);
    assert!(!m.connect.running);
}

#[test]
fn connecting_without_a_key_sends_the_admin_to_the_credentials_step() {
    let mut m = model();
    choose(&mut m, "custom");
    set_org(&mut m, "production");
    for _ in 0..m.recipe().unwrap().steps.len() {
        press(&mut m, Key::PageDown);
    }
    assert_eq!(
        m.kind(),
        ScreenKind::Step(m.recipe().unwrap().steps.len() - 1)
    );
    complete_step(&mut m);
    assert_eq!(m.kind(), ScreenKind::Review);
    press(&mut m, Key::Enter);
    assert!(
        matches!(m.kind(), ScreenKind::Step(i) if m.recipe().unwrap().steps[i].id == "credentials")
    );
    assert!(m.toast.text.is_some());
}

#[test]
fn demo_mode_registers_the_app_and_fills_the_credentials() {
    let demo = eca_wizard::wizard::Model::new(recipe::builtin().unwrap(), Vec::new(), 0);
    let mut m = demo.with_demo(eca_wizard::wizard::Demo {
        login_url: "http://127.0.0.1:1".into(),
        my_domain_url: "http://127.0.0.1:2".into(),
        mcp_url: "http://127.0.0.1:3".into(),
        username: "integration@eca-wizard.demo".into(),
        browser_username: "connector@eca-wizard.demo".into(),
        terminal_sign_in: false,
        fault_note: None,
        propagation_secs: 60,
    });
    choose(&mut m, "service-board-sync");
    assert_eq!(
        m.fields().inputs[0].value(),
        "http://127.0.0.1:2",
        "client credentials starts on the My Domain"
    );
    press(&mut m, Key::Enter);
    let credentials = m
        .recipe()
        .unwrap()
        .steps
        .iter()
        .position(|s| s.id == "credentials")
        .unwrap();
    let mut registered = false;
    for _ in 0..20 {
        if m.kind() == ScreenKind::Step(credentials) {
            break;
        }
        registered |= complete_step(&mut m)
            .iter()
            .any(|c| matches!(c, Cmd::DemoRegisterApp(_)));
    }
    assert_eq!(
        m.kind(),
        ScreenKind::Step(credentials),
        "{:?}",
        m.fields()
            .inputs
            .iter()
            .map(|i| &i.error)
            .collect::<Vec<_>>()
    );
    assert!(
        registered,
        "reaching the credentials step creates the app in the emulator"
    );
    update(
        &mut m,
        Msg::DemoAppRegistered {
            consumer_key: "3MVG9Demo".into(),
            consumer_secret: Secret::new(SECRET),
        },
    );
    assert_eq!(m.fields().inputs[0].value(), "3MVG9Demo");
    assert!(m.toast.text.is_some());
}

#[test]
fn stale_timers_are_ignored() {
    let mut m = model();
    update(&mut m, Msg::Failed("first".into()));
    let first = m.toast.timer.id();
    update(&mut m, Msg::Failed("second".into()));
    update(&mut m, Msg::Timer(first));
    assert_eq!(m.toast_text(), Some("second"));
    let second = m.toast.timer.id();
    update(&mut m, Msg::Timer(second));
    assert!(m.toast.text.is_none());
}

#[test]
fn without_a_keychain_the_done_screen_offers_the_file() {
    let mut m = model();
    m.screen = Screen::Done(Default::default());
    update(
        &mut m,
        Msg::OfferKeepInFile("no OS keychain is available here".into()),
    );
    assert!(m.connect.offer_file);
    assert_eq!(press(&mut m, Key::Char('k')), [Cmd::KeepInFile]);
    assert!(!m.connect.offer_file, "offered once");
    assert!(press(&mut m, Key::Char('k')).is_empty());
    update(
        &mut m,
        Msg::Kept(Ok("profile x in /tmp; secrets in /tmp/secrets.toml".into())),
    );
    assert!(matches!(&m.connect.kept, Some(Ok(place)) if place.contains("secrets.toml")));
}

#[test]
fn the_review_scrolls_and_stops_at_both_ends() {
    let mut m = model();
    choose(&mut m, "aptedge");
    set_org(&mut m, "production");
    for _ in 0..40 {
        if !matches!(m.kind(), ScreenKind::Step(_)) {
            break;
        }
        complete_step(&mut m);
    }
    if m.kind() != ScreenKind::Review {
        // AptEdge's callback placeholder must be replaced: do it and go on.
        m.fields_mut().focus = 0;
        press(&mut m, Key::Ctrl('u'));
        type_text(&mut m, "https://acme.aptedge.io/salesforce/callback");
        walk_to_review(&mut m);
    }
    let end = eca_wizard::ui::max_scroll(&m);
    assert!(end > 0, "the review doesn't fit 80x24, so it scrolls");
    press(&mut m, Key::Down);
    assert_eq!(m.screen.scroll(), 1);
    for _ in 0..50 {
        press(&mut m, Key::PageDown);
    }
    assert_eq!(m.screen.scroll(), end, "scrolling stops at the last line");
    // One key back is one line back: no overshoot to undo.
    press(&mut m, Key::Up);
    assert_eq!(m.screen.scroll(), end - 1);
    press(&mut m, Key::PageUp);
    press(&mut m, Key::PageUp);
    assert_eq!(m.screen.scroll(), 0);
}

#[test]
fn a_cancelled_runs_late_answers_are_ignored() {
    let mut m = model();
    choose(&mut m, "apideck");
    set_org(&mut m, "production");
    walk_to_review(&mut m);
    press(&mut m, Key::Enter);
    let first = m.connect.run.id();
    assert!(m.connect.running);
    // Esc on the connect screen cancels and stays on Review.
    assert_eq!(press(&mut m, Key::Esc), [Cmd::CancelConnect]);
    assert_eq!(m.kind(), ScreenKind::Review);
    let late = Msg::Connect {
        run: first,
        event: Event::Check(Check::failed(
            eca_wizard::verify::CheckName::Token,
            Diagnosis::new(Kind::Unknown, "cancelled", None, "Cancelled."),
        )),
        at_ms: 1,
    };
    update(&mut m, late.clone());
    assert_eq!(
        m.kind(),
        ScreenKind::Review,
        "a late check doesn't open the status screen"
    );
    assert!(m.connect.checks.is_empty());
    // A new run started before the old one's last message arrives stays running.
    press(&mut m, Key::Enter);
    let second = m.connect.run.id();
    assert_ne!(first, second);
    update(&mut m, late);
    update(
        &mut m,
        Msg::ConnectFinished {
            run: first,
            summary: Box::new(failed_summary(Target::Credentials)),
        },
    );
    assert!(
        m.connect.running,
        "the old run's end doesn't stop the new one"
    );
    assert!(m.connect.summary.is_none());
}

fn with_cli_login(mut m: Model) -> Model {
    update(
        &mut m,
        Msg::CliLogin(Some(eca_wizard::wizard::CliLogin {
            target: "admin@acme.example".into(),
            instance_url: "https://acme.my.salesforce.com".into(),
        })),
    );
    m
}

/// "Set it up for me": `a` is offered only with a CLI login; the walk skips the steps apply
/// makes without answers (and the key and secret), keeps the ones it can't make; Enter on the
/// review asks consent, then asks the runtime to apply; only the current run's messages count;
/// success marks the steps apply made and connects; a failure stays on the review.
#[test]
fn set_it_up_for_me_walks_the_answers_applies_then_connects() {
    let mut m = model();
    press(&mut m, Key::Down);
    press(&mut m, Key::Down); // service-board-sync
    assert!(
        press(&mut m, Key::Char('a')).is_empty(),
        "no CLI login, no apply"
    );
    assert_eq!(m.kind(), ScreenKind::Start);
    let mut m = with_cli_login(m);
    press(&mut m, Key::Char('a'));
    let setup = m.setup.as_ref().unwrap();
    assert!(setup.by_apply);
    assert_eq!(
        setup.login_url.as_deref(),
        Some("https://acme.my.salesforce.com"),
        "the org is the CLI login's: no org screen"
    );
    let recipe = setup.recipe;
    let mut seen = Vec::new();
    for _ in 0..20 {
        let ScreenKind::Step(i) = m.kind() else { break };
        seen.push(recipe.steps[i].kind);
        let cmds = complete_step(&mut m);
        fix_invalid_fields(&mut m);
        assert!(!cmds.iter().any(|c| matches!(c, Cmd::DemoRegisterApp(_))));
    }
    assert_eq!(m.kind(), ScreenKind::Review);
    use eca_wizard::recipe::StepKind;
    assert!(
        seen.contains(&StepKind::IntegrationUser),
        "apply can't make the user: {seen:?}"
    );
    assert!(
        seen.contains(&StepKind::BasicInfo),
        "its answers are asked: {seen:?}"
    );
    assert!(
        !seen.contains(&StepKind::Credentials),
        "apply reads the key: {seen:?}"
    );
    assert!(
        !seen.contains(&StepKind::Flows),
        "nothing to type: {seen:?}"
    );
    let marks = &m.setup.as_ref().unwrap().marks;
    assert!(
        recipe
            .steps
            .iter()
            .zip(marks)
            .all(|(s, mark)| s.kind != StepKind::BasicInfo || *mark == StepMark::Todo),
        "a step apply makes isn't done before apply: {marks:?}"
    );

    // Consent first (client credentials needs the secret); esc runs nothing.
    assert!(press(&mut m, Key::Enter).is_empty());
    assert!(matches!(m.dialog, Some(Dialog::ApplyConsent)));
    assert!(press(&mut m, Key::Esc).is_empty());
    press(&mut m, Key::Enter);
    let cmds = press(&mut m, Key::Char('y'));
    let [Cmd::Apply(spec)] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    assert!(spec.allow_secret_access);
    assert_eq!(spec.target, "admin@acme.example");
    let run = spec.run;
    assert!(press(&mut m, Key::Enter).is_empty(), "one apply at a time");
    // Quitting now says that what apply started in the org ends first (the runtime waits).
    let mut quitting = m.clone();
    update(&mut quitting, Msg::Terminating);
    assert!(quitting.quit);
    assert!(
        quitting
            .toast_text()
            .is_some_and(|t| t.contains("secret setting goes back as it was")),
        "{:?}",
        quitting.toast
    );

    update(
        &mut m,
        Msg::ApplyLine {
            run,
            line: "deploy: Pending".into(),
        },
    );
    update(
        &mut m,
        Msg::ApplyLine {
            run: run + 7,
            line: "stale".into(),
        },
    );
    assert_eq!(m.applying.view.as_ref().unwrap().lines, ["deploy: Pending"]);

    // A failure stays on the review, says why, and Enter tries again.
    update(
        &mut m,
        Msg::Applied {
            run,
            result: Err("The org refused the metadata".into()),
        },
    );
    assert_eq!(m.kind(), ScreenKind::Review);
    assert!(m.applying.view.as_ref().unwrap().failed.is_some());
    press(&mut m, Key::Enter);
    let cmds = press(&mut m, Key::Char('y'));
    let [Cmd::Apply(spec)] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    let run = spec.run;
    let applied = eca_wizard::wizard::AppliedApp {
        consumer_key: Some("3MVG9Applied".into()),
        consumer_secret: Some(Secret::new(SECRET)),
        changed: true,
    };
    let cmds = update(
        &mut m,
        Msg::Applied {
            run,
            result: Ok(applied),
        },
    );
    let connect = cmds
        .iter()
        .find_map(|c| match c {
            Cmd::Connect(spec) => Some(spec),
            _ => None,
        })
        .expect("apply ends in the usual connect");
    assert_eq!(connect.client_id, "3MVG9Applied");
    assert_eq!(connect.client_secret.as_ref().unwrap().expose(), SECRET);
    assert_eq!(connect.login_url, "https://acme.my.salesforce.com");
    assert!(
        connect.app_saved_at_ms.is_some(),
        "propagation counts from the deploy"
    );
    let setup = m.setup.as_ref().unwrap();
    assert!(!setup.by_apply, "from here the setup is an ordinary one");
    for (i, mark) in setup.marks.iter().enumerate() {
        assert_eq!(
            *mark == StepMark::Applied,
            eca_wizard::wizard::made_by_apply(recipe, i),
            "step {i}: {mark:?}"
        );
    }
    // The connect's end reads the live app with the same login; its drift shows on the status
    // screen.
    let run = connect.run;
    let cmds = update(
        &mut m,
        Msg::ConnectFinished {
            run,
            summary: Box::new(failed_summary(Target::Setting(SettingKey::OauthScopes))),
        },
    );
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::CheckDrift { api_name, target, .. }
            if api_name == "Service_Board_Sync" && target == "admin@acme.example")),
        "{cmds:?}"
    );
    update(
        &mut m,
        Msg::Drift {
            run: run - 1,
            result: Ok(vec!["an earlier connect's reading".into()]),
        },
    );
    assert!(
        m.connect.drift.is_none(),
        "an earlier run's drift is ignored"
    );
    update(
        &mut m,
        Msg::Drift {
            run,
            result: Ok(vec![
                "Selected OAuth Scopes: live Full access (full) selected".into(),
            ]),
        },
    );
    assert_eq!(m.connect.drift.as_ref().unwrap().as_ref().unwrap().len(), 1);
}

/// Without consent and with the secret unread, apply's app goes to the credentials step with
/// its key filled in, for the secret to be copied.
#[test]
fn set_it_up_for_me_without_the_secret_asks_for_it_at_the_credentials_step() {
    let mut m = with_cli_login(model());
    press(&mut m, Key::Down);
    press(&mut m, Key::Down);
    press(&mut m, Key::Char('a'));
    for _ in 0..20 {
        if m.kind() == ScreenKind::Review {
            break;
        }
        complete_step(&mut m);
        fix_invalid_fields(&mut m);
    }
    press(&mut m, Key::Enter);
    let cmds = press(&mut m, Key::Char('n'));
    let [Cmd::Apply(spec)] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    assert!(!spec.allow_secret_access);
    let applied = eca_wizard::wizard::AppliedApp {
        consumer_key: Some("3MVG9Applied".into()),
        consumer_secret: None,
        changed: true,
    };
    let cmds = update(
        &mut m,
        Msg::Applied {
            run: spec.run,
            result: Ok(applied),
        },
    );
    assert!(!cmds.iter().any(|c| matches!(c, Cmd::Connect(_))));
    let ScreenKind::Step(i) = m.kind() else {
        panic!("{:?}", m.kind())
    };
    assert_eq!(
        m.recipe().unwrap().steps[i].kind,
        eca_wizard::recipe::StepKind::Credentials
    );
    assert_eq!(m.fields().inputs[0].value(), "3MVG9Applied");
    assert!(m.fields().inputs[1].value().is_empty());
}

/// Going back in apply mode skips what the walk skips; a saved apply-mode setup resumes as one;
/// with the CLI login gone by then, Enter on the review goes on by hand and says so.
#[test]
fn set_it_up_for_me_goes_back_and_resumes_in_its_own_walk() {
    let mut m = with_cli_login(model());
    press(&mut m, Key::Down);
    press(&mut m, Key::Down);
    press(&mut m, Key::Char('a'));
    let mut saved = None;
    for _ in 0..20 {
        if m.kind() == ScreenKind::Review {
            break;
        }
        for cmd in complete_step(&mut m) {
            if let Cmd::SaveProgress(s) = cmd {
                saved = Some(s);
            }
        }
        fix_invalid_fields(&mut m);
    }
    let recipe = m.recipe().unwrap();
    press(&mut m, Key::Esc);
    let ScreenKind::Step(last) = m.kind() else {
        panic!("{:?}", m.kind())
    };
    press(&mut m, Key::PageDown);
    assert_eq!(
        m.kind(),
        ScreenKind::Step(last),
        "past the last shown step it stays"
    );
    let ScreenKind::Step(back) = m.kind() else {
        panic!("{:?}", m.kind())
    };
    assert!(
        recipe.steps[back].kind != eca_wizard::recipe::StepKind::Connect
            && recipe.steps[back].kind != eca_wizard::recipe::StepKind::Credentials,
        "back lands on a step the walk shows, not {:?}",
        recipe.steps[back].kind
    );
    let saved = saved.expect("progress saved");
    assert!(saved.by_apply, "the saved setup remembers apply mode");
    let (restored, _) = eca_wizard::wizard::Setup::restore(&saved, m.recipes).unwrap();
    assert!(restored.by_apply);

    // Resumed where no CLI login is found: Enter on the review continues by hand.
    let mut resumed = model();
    resumed.setup = Some(restored);
    resumed.screen = Screen::Review(Default::default());
    let cmds = press(&mut resumed, Key::Enter);
    assert!(!cmds.iter().any(|c| matches!(c, Cmd::Apply(_))));
    assert!(!resumed.setup.as_ref().unwrap().by_apply);
    assert!(matches!(resumed.kind(), ScreenKind::Step(_)));
    assert!(
        resumed
            .toast_text()
            .unwrap()
            .contains("No Salesforce CLI default org")
    );
}

/// `g` on the start screen opens the selected recipe's guide (an https page) in the browser.
#[test]
fn g_opens_the_selected_guide() {
    let mut model = model();
    let source = model.recipes[0].source.clone();
    assert!(source.starts_with("https://"));
    assert_eq!(
        press(&mut model, Key::Char('g')),
        vec![Cmd::OpenUrl(source)]
    );
    assert_eq!(model.kind(), ScreenKind::Start);
    assert!(
        eca_wizard::wizard::keys::for_screen(&model)
            .iter()
            .any(|k| k.label == "g")
    );
    // A guide that isn't a web page is not opened, and the key isn't offered.
    let mut offline = recipe::builtin().unwrap()[0].clone();
    offline.source = "Vendor handbook, chapter 3".into();
    let recipes: &'static [recipe::Recipe] = Box::leak(vec![offline].into_boxed_slice());
    let mut model = Model::new(recipes, Vec::new(), 1_000);
    assert!(press(&mut model, Key::Char('g')).is_empty());
    assert!(
        !eca_wizard::wizard::keys::for_screen(&model)
            .iter()
            .any(|k| k.label == "g")
    );
}
