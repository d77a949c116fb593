//! Each flow in its own words, and the fix jump: driven through the core and read off the
//! screen at 80x24.

use crate::common::driving::*;
use eca_wizard::connect::{Event, Outcome};
use eca_wizard::salesforce::diagnosis::{Diagnosis, Kind, Target};
use eca_wizard::salesforce::settings::SettingKey;
use eca_wizard::verify::{Check, Identity};
use eca_wizard::wizard::{ConnectFocus, Key, Model, Msg, Screen, ScreenKind, Summary, update};
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
}

/// The screen's text with every scroll offset, joined: what the admin can read there.
fn readable(model: &Model) -> String {
    let mut m = model.clone();
    let mut text = String::new();
    loop {
        text.push_str(&screen(&m));
        if m.screen.scroll() >= eca_wizard::ui::max_scroll(&m) {
            return text;
        }
        *m.scroll_mut() += 1;
    }
}

fn connecting(recipe: &str) -> Model {
    let mut m = model();
    choose(&mut m, recipe);
    set_org(&mut m, "https://acme.my.salesforce.com");
    walk_to_review(&mut m);
    press(&mut m, Key::Enter);
    assert_eq!(m.kind(), ScreenKind::Connect);
    m
}

fn finish(m: &mut Model, outcome: Outcome, diagnosis: Option<Diagnosis>, checks: Vec<Check>) {
    let run = m.connect.run.id();
    let summary = Summary {
        outcome,
        checks,
        diagnosis,
        instance_url: Some("https://acme.my.salesforce.com".into()),
        identity: Some(Identity {
            username: "admin@acme.example".into(),
            user_id: "005000000000001AAA".into(),
            org_id: "00D000000000001AAA".into(),
        }),
        attempts: 1,
    };
    update(
        m,
        Msg::ConnectFinished {
            run,
            summary: Box::new(summary),
        },
    );
}

fn fault(target: Target, value: Option<&str>) -> Diagnosis {
    let mut d = Diagnosis::new(
        Kind::Misconfigured,
        "invalid_client",
        Some(target),
        "fix it",
    );
    d.value = value.map(String::from);
    d
}

#[test]
fn a_wrong_secret_opens_the_credentials_step_with_the_focus_on_the_secret() {
    let mut m = connecting("apideck");
    let d = fault(Target::ConsumerSecret, None);
    finish(
        &mut m,
        Outcome::Misconfigured,
        Some(d.clone()),
        vec![Check::failed(eca_wizard::verify::CheckName::Token, d)],
    );
    press(&mut m, Key::Char('f'));
    let ScreenKind::Step(index) = m.kind() else {
        panic!("{:?}", m.kind())
    };
    assert_eq!(m.recipe().unwrap().steps[index].id, "credentials");
    assert_eq!(
        m.fields().inputs[m.fields().focus].field_id.as_deref(),
        Some("consumer_secret")
    );
    let text = readable(&m);
    assert!(
        text.contains("Fix") && text.contains("Consumer Key and Secret"),
        "{text}"
    );
    assert!(
        !text.contains("Where "),
        "fix mode shows the edit path, not the creation path:\n{text}"
    );
}

#[test]
fn fix_mode_marks_the_setting_with_what_it_is_and_what_it_should_be() {
    let mut m = connecting("apideck");
    let d = fault(
        Target::Setting(SettingKey::RequireSecretRefresh),
        Some("unchecked"),
    );
    finish(
        &mut m,
        Outcome::Misconfigured,
        Some(d.clone()),
        vec![Check::failed(eca_wizard::verify::CheckName::Refresh, d)],
    );
    press(&mut m, Key::Char('f'));
    assert!(m.screen.fix().is_some());
    let text = readable(&m).replace('\n', " ");
    assert!(
        text.contains("→ Require secret for Refresh Token Flow"),
        "{text}"
    );
    assert!(
        text.contains("now ☑") && text.contains("set ☐ unchecked"),
        "{text}"
    );
    assert!(text.contains("Edit Settings"), "{text}");
    assert!(
        !text.contains("Click Create"),
        "creation text in fix mode:\n{text}"
    );
    // Leaving the step ends fix mode; coming back the normal way shows the creation path.
    press(&mut m, Key::PageDown);
    assert!(m.screen.fix().is_none());
    press(&mut m, Key::PageUp);
    assert!(readable(&m).contains("Where "));
}

#[test]
fn a_denied_login_has_no_step_to_jump_to() {
    let mut m = connecting("apideck");
    let deny = Diagnosis::new(
        Kind::UserAction,
        "access_denied",
        None,
        "The user pressed Deny: connect again and press Allow.",
    );
    finish(
        &mut m,
        Outcome::UserAction,
        Some(deny.clone()),
        vec![Check::failed(eca_wizard::verify::CheckName::Token, deny)],
    );
    let text = readable(&m);
    assert!(!text.contains("Press f"), "{text}");
    assert!(text.contains("press r"), "{text}");
    assert!(press(&mut m, Key::Char('f')).is_empty());
    assert_eq!(m.kind(), ScreenKind::Status);
}

#[test]
fn client_credentials_and_jwt_runs_show_no_browser_words() {
    for recipe in [
        "postman-client-credentials",
        "service-board-sync",
        "lightning-out",
    ] {
        let mut m = connecting(recipe);
        let run = m.connect.run.id();
        update(
            &mut m,
            Msg::Connect {
                run,
                event: Event::Attempt(1),
                at_ms: 2_000,
            },
        );
        let mut texts = vec![("connect", readable(&m))];
        for key in ['c', 'o', 'p'] {
            assert!(
                press(&mut m, Key::Char(key)).is_empty(),
                "{recipe}: {key} does nothing here"
            );
            assert!(
                matches!(&m.screen, Screen::Connect(c) if c.focus == ConnectFocus::Screen),
                "{recipe}: {key} leaves the paste box alone"
            );
        }
        let mut help = m.clone();
        press(&mut help, Key::Char('?'));
        texts.push(("help", screen(&help)));
        finish(
            &mut m,
            Outcome::Connected,
            None,
            vec![Check::passed(eca_wizard::verify::CheckName::Token, "ok")],
        );
        m.toast.text = None;
        texts.push(("status", readable(&m)));
        press(&mut m, Key::Enter);
        texts.push(("done", readable(&m)));
        for (name, text) in texts {
            let lower = text.to_lowercase();
            for word in ["browser", "login url", "localhost", "paste"] {
                assert!(
                    !lower.contains(word),
                    "{recipe} {name} says {word:?}:\n{text}"
                );
            }
            if recipe == "lightning-out" {
                for word in ["consumer secret", "key and secret", "client secret"] {
                    assert!(
                        !lower.contains(word),
                        "JWT uses no secret; {name} says {word:?}:\n{text}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_login_as_another_user_ends_connected_with_warnings() {
    let mut m = connecting("apideck");
    let checks = vec![
        Check::passed(
            eca_wizard::verify::CheckName::Token,
            "authorization code token obtained",
        ),
        Check::warning(
            eca_wizard::verify::CheckName::Identity,
            "authorized as admin@acme.example, not the integration user integration@acme.example",
            None,
        ),
    ];
    finish(&mut m, Outcome::Connected, None, checks);
    let toast = m.toast.text.clone().unwrap_or_default();
    assert!(toast.contains("warning"), "{toast}");
    m.toast.text = None;
    let status = readable(&m);
    assert!(status.contains("Connected with warnings"), "{status}");
    assert!(!status.contains("All checks passed"), "{status}");
    press(&mut m, Key::Enter);
    let done = readable(&m);
    assert!(done.contains("Connected with 1 warning"), "{done}");
    assert!(done.contains("not the integration user"), "{done}");
    assert!(!done.contains("Connected and verified"), "{done}");
    // The vendor's next step, from its guide.
    assert!(done.replace('\n', " ").contains("Test Vault"), "{done}");
}

#[test]
fn a_file_field_confirms_only_once_its_file_holds_what_it_must() {
    use eca_wizard::wizard::Cmd;
    let mut m = model();
    choose(&mut m, "lightning-out");
    set_org(&mut m, "https://acme.my.salesforce.com");
    let has_cert = |m: &Model| {
        m.fields()
            .inputs
            .iter()
            .any(|i| i.field_id.as_deref() == Some("certificate_path"))
    };
    for _ in 0..20 {
        if has_cert(&m) {
            break;
        }
        complete_step(&mut m);
        fix_invalid_fields(&mut m);
    }
    assert!(has_cert(&m));
    let step = m.kind();
    m.fields_mut().focus = 0;
    clear_field(&mut m);
    type_text(&mut m, "/tmp/no-such/server.crt");
    let cmds = press(&mut m, Key::Enter);
    let [Cmd::InspectFile { field, path, .. }] = &cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(
        (field.as_str(), path.as_str()),
        ("certificate_path", "/tmp/no-such/server.crt")
    );
    assert_eq!(m.kind(), step, "the step waits for the file");
    assert!(
        press(&mut m, Key::Enter).is_empty(),
        "no second read while one is out"
    );
    update(
        &mut m,
        Msg::FileInspected {
            field: field.clone(),
            path: path.clone(),
            result: Err("Can't open /tmp/no-such/server.crt: not found".into()),
        },
    );
    assert_eq!(m.kind(), step);
    assert!(
        m.fields().inputs[0]
            .error
            .as_deref()
            .unwrap()
            .contains("Can't open")
    );
    assert_eq!(
        m.fields().inputs[0].value(),
        "/tmp/no-such/server.crt",
        "what was typed stays"
    );
    // Asked again, then good: the step confirms and moves on.
    let cmds = press(&mut m, Key::Enter);
    assert!(matches!(&cmds[..], [Cmd::InspectFile { .. }]), "{cmds:?}");
    update(
        &mut m,
        Msg::FileInspected {
            field: "certificate_path".into(),
            path: "/tmp/no-such/server.crt".into(),
            result: Ok(None),
        },
    );
    assert_ne!(m.kind(), step, "a good certificate confirms the step");
}

#[test]
fn the_demo_fills_every_field_lightning_out_needs() {
    let mut m = model().with_demo(eca_wizard::wizard::Demo {
        login_url: "http://127.0.0.1:1/".into(),
        my_domain_url: "http://127.0.0.1:1/".into(),
        mcp_url: "http://127.0.0.1:3".into(),
        username: "integration@eca-wizard.demo".into(),
        browser_username: "connector@eca-wizard.demo".into(),
        terminal_sign_in: false,
        fault_note: None,
        propagation_secs: 60,
    });
    choose(&mut m, "lightning-out");
    press(&mut m, Key::Enter);
    for _ in 0..20 {
        let ScreenKind::Step(_) = m.kind() else { break };
        for input in &m.fields().inputs {
            let id = input.field_id.as_deref().unwrap_or("");
            if id != "consumer_key" {
                assert!(!input.value().is_empty(), "the demo leaves {id} empty");
            }
        }
        if m.fields()
            .inputs
            .iter()
            .any(|i| i.field_id.as_deref() == Some("consumer_key"))
        {
            break;
        }
        let cmds = press(&mut m, Key::Enter);
        assert!(
            !cmds
                .iter()
                .any(|c| matches!(c, eca_wizard::wizard::Cmd::InspectFile { .. })),
            "the built-in demo files aren't read from disk"
        );
    }
}

#[test]
fn a_long_toast_wraps_instead_of_being_cut() {
    let mut m = model();
    choose(&mut m, "apideck");
    set_org(&mut m, "production");
    // No My Domain: the Setup page can't be opened, and the toast says what to do instead.
    press(&mut m, Key::Ctrl('o'));
    let toast = m.toast.text.clone().unwrap();
    assert!(toast.len() > 80, "{toast}");
    let text = screen(&m).replace('\n', " ");
    let joined: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        joined.contains("to open it)."),
        "the end of the toast shows:\n{}",
        screen(&m)
    );
}
