//! The footer and the help are drawn from the key table (`wizard::keys`); this presses every
//! key on every screen and checks that whatever a screen does with a key, the table lists it.

use crate::common::driving::*;
use eca_wizard::connect::{Event, Outcome};
use eca_wizard::salesforce::diagnosis::{Diagnosis, Kind, Target};
use eca_wizard::salesforce::settings::SettingKey;
use eca_wizard::verify::Check;
use eca_wizard::wizard::keys::{self, EDITING_KEYS};
use eca_wizard::wizard::{Key, Model, Msg, ScreenKind, Summary, update};

fn every_key() -> Vec<Key> {
    let mut all = vec![
        Key::Enter,
        Key::Esc,
        Key::Tab,
        Key::BackTab,
        Key::Up,
        Key::Down,
        Key::Left,
        Key::Right,
        Key::Home,
        Key::End,
        Key::Backspace,
        Key::Delete,
        Key::PageUp,
        Key::PageDown,
    ];
    all.extend((1..=12).map(Key::F));
    all.extend(('a'..='z').map(Key::Ctrl));
    all.extend(('a'..='z').map(Key::Char));
    all.extend(['?', ' ', '/', '1'].map(Key::Char));
    all
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
    m.toast.text = None;
}

fn summary(outcome: Outcome, diagnosis: Option<Diagnosis>, checks: Vec<Check>) -> Summary {
    Summary {
        outcome,
        checks,
        diagnosis,
        instance_url: Some("https://acme.my.salesforce.com".into()),
        identity: None,
        attempts: 1,
    }
}

/// One model per screen and per state that changes its keys.
fn states() -> Vec<(String, Model)> {
    let mut states = vec![("start".to_string(), model())];
    for recipe in ["apideck", "postman-client-credentials", "lightning-out"] {
        let mut m = model();
        choose(&mut m, recipe);
        states.push((format!("{recipe} org"), m.clone()));
        set_org(&mut m, "https://acme.my.salesforce.com");
        for _ in 0..40 {
            let ScreenKind::Step(i) = m.kind() else { break };
            states.push((format!("{recipe} step {i}"), m.clone()));
            complete_step(&mut m);
            fix_invalid_fields(&mut m);
        }
        assert_eq!(m.kind(), ScreenKind::Review, "{recipe}");
        states.push((format!("{recipe} review"), m.clone()));
        let mut saved = model();
        saved.progress.saved = vec![m.setup.as_ref().unwrap().saved(2)];
        states.push((format!("{recipe} start with a saved setup"), saved));
        press(&mut m, Key::Enter);
        states.push((format!("{recipe} connect probing"), m.clone()));
        let run = m.connect.run.id();
        for event in [
            Event::Listening {
                redirect_uri: "http://localhost:7717/callback".into(),
            },
            Event::AuthorizeUrl(
                "https://acme.my.salesforce.com/services/oauth2/authorize?x".into(),
            ),
        ] {
            update(
                &mut m,
                Msg::Connect {
                    run,
                    event,
                    at_ms: 2_000,
                },
            );
        }
        states.push((format!("{recipe} connect with URL"), m.clone()));
        let mut paste = m.clone();
        press(&mut paste, Key::Char('p'));
        states.push((format!("{recipe} connect paste box"), paste));
        let mut waiting = m.clone();
        update(
            &mut waiting,
            Msg::Connect {
                run,
                event: Event::Waiting {
                    attempt: 2,
                    delay: std::time::Duration::from_secs(9),
                    diagnosis: Diagnosis::new(
                        Kind::Propagating,
                        "invalid_client_id",
                        Some(Target::Credentials),
                        "not yet",
                    ),
                },
                at_ms: 2_000,
            },
        );
        states.push((format!("{recipe} connect waiting"), waiting));
        let mut running = m.clone();
        update(
            &mut running,
            Msg::Connect {
                run,
                event: Event::Check(Check::passed(eca_wizard::verify::CheckName::Token, "ok")),
                at_ms: 2_000,
            },
        );
        states.push((format!("{recipe} status running"), running));
        let fault = Diagnosis::new(
            Kind::Misconfigured,
            "invalid_grant",
            Some(Target::Setting(SettingKey::ApiEnabled)),
            "API Enabled is off for the user.",
        );
        let mut failed = m.clone();
        finish(
            &mut failed,
            summary(
                Outcome::Misconfigured,
                Some(fault.clone()),
                vec![Check::failed(eca_wizard::verify::CheckName::RestApi, fault)],
            ),
        );
        states.push((format!("{recipe} status failed"), failed.clone()));
        let mut ambiguous = m.clone();
        let mut two = Diagnosis::new(Kind::Transient, "timeout", None, "timed out");
        two.others = Diagnosis::new(Kind::Unknown, "x", None, "other").causes();
        finish(
            &mut ambiguous,
            summary(
                Outcome::Failed,
                Some(two.clone()),
                vec![Check::failed(eca_wizard::verify::CheckName::Token, two)],
            ),
        );
        states.push((
            format!("{recipe} status failed, no step, other causes"),
            ambiguous,
        ));
        let mut green = m.clone();
        finish(
            &mut green,
            summary(
                Outcome::Connected,
                None,
                vec![Check::passed(eca_wizard::verify::CheckName::Token, "ok")],
            ),
        );
        states.push((format!("{recipe} status green"), green.clone()));
        press(&mut green, Key::Enter);
        states.push((format!("{recipe} done"), green.clone()));
        update(&mut green, Msg::OfferKeepInFile("no keychain".into()));
        states.push((format!("{recipe} done offering a file"), green));
        press(&mut failed, Key::Char('f'));
        assert!(matches!(failed.kind(), ScreenKind::Step(_)), "{recipe}");
        states.push((format!("{recipe} fix step"), failed));
    }
    states
}

#[test]
fn every_key_a_screen_handles_is_in_its_help() {
    let states = states();
    assert!(states.len() > 50);
    for (name, before) in states {
        let listed = keys::for_screen(&before);
        let typing = keys::typing(&before);
        for key in every_key() {
            let mut after = before.clone();
            let cmds = update(&mut after, Msg::Key(key));
            let changed = !cmds.is_empty() || format!("{after:?}") != format!("{before:?}");
            if !changed || key == Key::Ctrl('c') {
                continue;
            }
            let editing = typing && (matches!(key, Key::Char(_)) || EDITING_KEYS.contains(&key));
            assert!(
                editing || keys::listed(&listed, key),
                "{name}: {key:?} does something ({cmds:?}) but the help doesn't list it: {:?}",
                listed.iter().map(|k| k.label).collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn help_and_quit_are_in_every_footer_and_every_entry_is_explained() {
    for (name, m) in states() {
        let listed = keys::for_screen(&m);
        assert!(listed.iter().any(|k| k.short == "help" && k.keep), "{name}");
        assert!(listed.iter().any(|k| k.short == "quit" && k.keep), "{name}");
        for k in &listed {
            assert!(!k.keys.is_empty() && !k.long.is_empty(), "{name}: {k:?}");
        }
    }
}
