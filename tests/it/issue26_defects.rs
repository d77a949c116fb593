//! Defects a first-time admin hit (issue 26), each reproduced: results that blame a failure
//! that didn't happen, a saved setup deleted on one key, Esc in fix mode, a finished setup
//! resumed at step 1.

use crate::common::driving::*;
use eca_wizard::connect::Outcome;
use eca_wizard::recipe;
use eca_wizard::salesforce::diagnosis::{Diagnosis, Kind, Target};
use eca_wizard::salesforce::settings::SettingKey;
use eca_wizard::verify::{Check, Identity};
use eca_wizard::wizard::{Cmd, Dialog, Key, Model, Msg, ScreenKind, StepMark, Summary, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn screen_text(model: &Model) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|frame| eca_wizard::ui::render(model, frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..40)
        .map(|y| {
            (0..120)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn finish(m: &mut Model, summary: Summary) {
    let run = m.connect.run.id();
    update(
        m,
        Msg::ConnectFinished {
            run,
            summary: Box::new(summary),
        },
    );
}

fn at_review(id: &str) -> Model {
    let mut m = model();
    resize(&mut m, 120, 40);
    choose(&mut m, id);
    set_org(&mut m, "https://acme.my.salesforce.com");
    walk_to_review(&mut m);
    m
}

#[test]
fn a_flow_without_refresh_tokens_says_why_checks_were_skipped_not_after_a_failure() {
    let mut m = at_review("service-board-sync");
    press(&mut m, Key::Enter);
    let why = "the client-credentials flow issues no refresh token for this recipe";
    finish(
        &mut m,
        Summary {
            outcome: Outcome::Connected,
            checks: vec![
                Check::passed(eca_wizard::verify::CheckName::Token, "token obtained"),
                Check::skipped(eca_wizard::verify::CheckName::RefreshToken, why),
                Check::skipped(eca_wizard::verify::CheckName::Refresh, why),
            ],
            diagnosis: None,
            instance_url: Some("https://acme.my.salesforce.com".into()),
            identity: Some(Identity {
                username: "integration@acme.example".into(),
                user_id: "005000000000001AAA".into(),
                org_id: "00D000000000001AAA".into(),
            }),
            attempts: 1,
        },
    );
    assert_eq!(m.kind(), ScreenKind::Status);
    let text = screen_text(&m);
    assert!(!text.contains("after the failure"), "{text}");
    assert!(
        text.contains("not checked: refresh_token, refresh (the client-credentials flow"),
        "{text}"
    );
}

#[test]
fn d_asks_before_a_saved_setup_is_deleted() {
    let first = at_review("apideck");
    let saved = first.setup.as_ref().unwrap().saved(2);
    let mut m = Model::new(recipe::builtin().unwrap(), vec![saved.clone()], 1_000);
    resize(&mut m, 120, 40);
    let cmds = press(&mut m, Key::Char('d'));
    assert!(
        !cmds.iter().any(|c| matches!(c, Cmd::ClearProgress(_))),
        "d deleted at once"
    );
    assert!(matches!(m.dialog, Some(Dialog::ConfirmDelete(0))));
    assert!(screen_text(&m).contains("Forget the saved setup"));
    // Any other key keeps it.
    press(&mut m, Key::Char('n'));
    assert!(m.dialog.is_none());
    assert_eq!(m.progress.saved.len(), 1);
    press(&mut m, Key::Char('d'));
    let cmds = press(&mut m, Key::Char('y'));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::ClearProgress(key) if *key == saved.key()))
    );
    assert!(m.progress.saved.is_empty());
}

#[test]
fn esc_in_fix_mode_goes_back_to_the_results() {
    let mut m = at_review("apideck");
    press(&mut m, Key::Enter);
    let mut fault = Diagnosis::new(
        Kind::Misconfigured,
        "invalid_grant",
        Some(Target::Setting(SettingKey::RequireSecretRefresh)),
        "The refresh needs no secret here; uncheck it.",
    );
    fault.value = Some("checked".into());
    finish(
        &mut m,
        Summary {
            outcome: Outcome::Misconfigured,
            checks: vec![Check::failed(
                eca_wizard::verify::CheckName::Refresh,
                fault.clone(),
            )],
            diagnosis: Some(fault),
            instance_url: None,
            identity: None,
            attempts: 1,
        },
    );
    assert_eq!(m.kind(), ScreenKind::Status);
    press(&mut m, Key::Char('f'));
    assert!(m.screen.fix().is_some());
    let fixing = m.kind();
    assert!(
        screen_text(&m).contains("esc results"),
        "{}",
        screen_text(&m)
    );
    press(&mut m, Key::Esc);
    assert_eq!(m.kind(), ScreenKind::Status, "from {fixing:?}");
    assert!(screen_text(&m).contains("What to fix"));
}

#[test]
fn a_finished_setup_resumes_where_it_ended_not_at_step_one() {
    for id in ["apideck", "mcp-claude"] {
        let m = at_review(id);
        let setup = m.setup.as_ref().unwrap();
        assert!(setup.marks.iter().all(|m| *m == StepMark::Done), "{id}");
        let saved = eca_wizard::wizard::SavedSetup {
            current_step: 0,
            ..setup.saved(0)
        };
        let mut resumed = Model::new(recipe::builtin().unwrap(), vec![saved], 1_000);
        resize(&mut resumed, 120, 40);
        press(&mut resumed, Key::Enter);
        let recipe = resumed.recipe().unwrap();
        let secret_step = recipe
            .steps
            .iter()
            .position(|s| s.fields.iter().any(|f| f.secret));
        match secret_step {
            Some(step) => assert_eq!(resumed.kind(), ScreenKind::Step(step), "{id}"),
            None => assert_eq!(resumed.kind(), ScreenKind::Review, "{id}"),
        }
        assert_ne!(resumed.kind(), ScreenKind::Step(0), "{id}");
    }
}

fn at_connect_paste_box() -> Model {
    let mut m = at_review("apideck");
    press(&mut m, Key::Enter);
    let run = m.connect.run.id();
    update(
        &mut m,
        Msg::Connect {
            run,
            event: eca_wizard::connect::Event::AuthorizeUrl(
                "https://acme.my.salesforce.com/services/oauth2/authorize?client_id=3MVG9".into(),
            ),
            at_ms: 2_000,
        },
    );
    press(&mut m, Key::Char('p'));
    m
}

fn paste_error(m: &Model) -> Option<String> {
    match &m.screen {
        eca_wizard::wizard::Screen::Connect(screen) => screen.paste_error.clone(),
        _ => panic!("not the connect screen"),
    }
}

#[test]
fn a_garbage_paste_is_refused_at_once_and_kept_in_the_box() {
    for garbage in [
        "A".repeat(100 * 1024),
        "x9".repeat(1500),
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit".to_string(),
    ] {
        let mut m = at_connect_paste_box();
        update(&mut m, Msg::Paste(garbage.clone()));
        let cmds = press(&mut m, Key::Enter);
        assert!(
            !cmds.iter().any(|c| matches!(c, Cmd::Paste(_))),
            "sent as a code: {}…",
            &garbage[..20]
        );
        let error = paste_error(&m).expect("said at once");
        assert!(error.contains("paste"), "{error}");
        let kept = match &m.screen {
            eca_wizard::wizard::Screen::Connect(screen) => screen.paste.value().to_string(),
            _ => unreachable!(),
        };
        assert!(!kept.is_empty(), "what was pasted is lost");
    }
    // A real redirect still goes through.
    let mut m = at_connect_paste_box();
    update(
        &mut m,
        Msg::Paste("http://localhost:7717/callback?code=aPrxABCDEFGH1234%3D%3D&state=abc".into()),
    );
    let cmds = press(&mut m, Key::Enter);
    assert!(cmds.iter().any(|c| matches!(c, Cmd::Paste(_))));
}

#[test]
fn a_field_filled_after_enter_was_pressed_loses_its_stale_error() {
    let mut m = model();
    resize(&mut m, 120, 40);
    choose(&mut m, "apideck");
    set_org(&mut m, "https://acme.my.salesforce.com");
    for _ in 0..40 {
        let ScreenKind::Step(i) = m.kind() else { break };
        if m.recipe().unwrap().steps[i].id == "credentials" {
            break;
        }
        complete_step(&mut m);
        fix_invalid_fields(&mut m);
    }
    // Enter before the key and secret are there (typed ahead): both fields say so.
    press(&mut m, Key::Enter);
    assert!(form(&m).inputs.iter().all(|i| i.error.is_some()));
    update(
        &mut m,
        Msg::DemoAppRegistered {
            consumer_key: "3MVG9DemoKey0000000000".into(),
            consumer_secret: eca_wizard::secret::Secret::new(SECRET),
        },
    );
    let stale: Vec<_> = form(&m)
        .inputs
        .iter()
        .filter_map(|i| i.error.clone())
        .collect();
    assert!(stale.is_empty(), "{stale:?}");
    assert!(
        !screen_text(&m).contains("Paste the Consumer"),
        "{}",
        screen_text(&m)
    );
}

/// After "Set it up for me" connects green, every step is marked and the header counts them
/// all (it said 9/10, "Connect and verify" unmarked).
#[test]
fn after_apply_and_a_green_connect_every_step_is_marked() {
    for id in ["service-board-sync", "apideck"] {
        let mut m = model();
        update(
            &mut m,
            Msg::CliLogin(Some(eca_wizard::wizard::CliLogin {
                target: "admin@acme.example".into(),
                instance_url: "https://acme.my.salesforce.com".into(),
            })),
        );
        resize(&mut m, 120, 40);
        let index = m.recipes.iter().position(|r| r.id == id).unwrap();
        for _ in 0..index {
            press(&mut m, Key::Down);
        }
        press(&mut m, Key::Char('a'));
        walk_to_review(&mut m);
        press(&mut m, Key::Enter);
        let cmds = press(&mut m, Key::Char('y'));
        let run = cmds
            .iter()
            .find_map(|c| match c {
                Cmd::Apply(spec) => Some(spec.run),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{id}: {cmds:?}"));
        update(
            &mut m,
            Msg::Applied {
                run,
                result: Ok(eca_wizard::wizard::AppliedApp {
                    consumer_key: Some("3MVG9Applied".into()),
                    consumer_secret: Some(eca_wizard::secret::Secret::new(SECRET)),
                    changed: true,
                }),
            },
        );
        finish(
            &mut m,
            Summary {
                outcome: Outcome::Connected,
                checks: vec![Check::passed(
                    eca_wizard::verify::CheckName::Token,
                    "token obtained",
                )],
                diagnosis: None,
                instance_url: Some("https://acme.my.salesforce.com".into()),
                identity: None,
                attempts: 1,
            },
        );
        let marks = &m.setup.as_ref().unwrap().marks;
        assert!(
            marks
                .iter()
                .all(|k| matches!(k, StepMark::Done | StepMark::Applied)),
            "{id}: {marks:?}"
        );
        let steps = marks.len();
        let header = screen_text(&m);
        assert!(
            header.contains(&format!("{steps}/{steps} steps")),
            "{id}:\n{header}"
        );
    }
}
