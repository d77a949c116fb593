//! The demo's wizard is self-consistent: only the emulator's org, the vendor's callbacks kept
//! beside the wizard's, and no promise it can't keep.

use crate::common::driving::*;
use eca_wizard::recipe::{self, Role};
use eca_wizard::wizard::{Key, Model, ScreenKind};

const LOGIN: &str = "http://127.0.0.1:1";
const MY_DOMAIN: &str = "http://127.0.0.1:2";

fn demo_model() -> Model {
    Model::new(recipe::builtin().unwrap(), Vec::new(), 0).with_demo(eca_wizard::wizard::Demo {
        login_url: LOGIN.into(),
        my_domain_url: MY_DOMAIN.into(),
        mcp_url: "http://127.0.0.1:3".into(),
        username: "integration@eca-wizard.demo".into(),
        browser_username: "connector@eca-wizard.demo".into(),
        terminal_sign_in: false,
        fault_note: None,
        propagation_secs: 60,
    })
}

/// Production, a sandbox or a Lightning URL typed in the demo: refused on the spot with the
/// emulator's address, nothing sent, what was typed still in the field.
#[test]
fn the_demo_org_screen_refuses_any_org_but_the_emulator() {
    for typed in [
        "production",
        "sandbox",
        "https://acme.lightning.force.com/lightning/setup/SetupOneHome/home",
        "https://acme.my.salesforce.com",
    ] {
        let mut m = demo_model();
        choose(&mut m, "apideck");
        assert_eq!(m.fields().inputs[0].value(), LOGIN, "prefilled");
        clear_field(&mut m);
        type_text(&mut m, typed);
        let cmds = press(&mut m, Key::Enter);
        assert_eq!(m.kind(), ScreenKind::Org, "{typed} was refused");
        assert!(cmds.is_empty(), "{typed}: nothing sent: {cmds:?}");
        let input = &m.fields().inputs[0];
        assert_eq!(input.value(), typed, "nothing typed is lost");
        let error = input.error.as_deref().unwrap_or_default();
        assert!(
            error.contains("This is the demo") && error.contains(LOGIN),
            "{typed}: {error}"
        );
        clear_field(&mut m);
        type_text(&mut m, LOGIN);
        press(&mut m, Key::Enter);
        assert_eq!(m.kind(), ScreenKind::Step(0), "the emulator's URL is taken");
    }
}

/// The login URL on a connect step is held to the same rule.
#[test]
fn a_login_url_field_in_the_demo_takes_only_the_emulator() {
    let mut m = demo_model();
    choose(&mut m, "apideck");
    press(&mut m, Key::Enter);
    let recipe = m.recipe().unwrap();
    let (step, field) = recipe
        .steps
        .iter()
        .enumerate()
        .find_map(|(i, s)| {
            s.fields
                .iter()
                .position(|f| f.role == Some(Role::LoginUrl))
                .map(|f| (i, f))
        })
        .unwrap();
    for _ in 0..30 {
        if m.kind() == ScreenKind::Step(step) {
            break;
        }
        complete_step(&mut m);
    }
    assert_eq!(m.kind(), ScreenKind::Step(step));
    m.fields_mut().focus = field;
    clear_field(&mut m);
    type_text(&mut m, "production");
    press(&mut m, Key::Enter);
    assert_eq!(m.kind(), ScreenKind::Step(step), "refused");
    let error = m.fields().inputs[field].error.clone().unwrap_or_default();
    assert!(error.contains("This is the demo"), "{error}");
}

/// Walks from the org screen through the steps until the one holding the Callback URL field.
fn walk_to_callbacks(m: &mut Model) -> usize {
    press(m, Key::Enter);
    let recipe = m.recipe().unwrap();
    let (step, field) = recipe
        .steps
        .iter()
        .enumerate()
        .find_map(|(i, s)| {
            s.fields
                .iter()
                .position(|f| f.role == Some(Role::CallbackUrls))
                .map(|f| (i, f))
        })
        .unwrap();
    while m.kind() != ScreenKind::Step(step) {
        complete_step(m);
    }
    field
}

/// The vendor's callback stays first in the demo's field (placeholders filled), the wizard's
/// loopback ones follow, and the app the demo registers in the emulator lists them all.
#[test]
fn the_demo_keeps_the_vendors_callbacks_beside_the_wizards() {
    let wizard_urls = eca_wizard::salesforce::callback::wizard_callback_urls();
    for (id, vendor) in [
        ("mcp-claude-code", "http://localhost:38000/callback"),
        ("apideck", "https://unify.apideck.com/vault/callback"),
        ("aptedge", "https://demo.aptedge.io/salesforce/callback"),
        ("service-board-sync", "https://demo/oauth"),
    ] {
        let mut m = demo_model();
        choose(&mut m, id);
        let field = walk_to_callbacks(&mut m);
        let value = m.fields().inputs[field].checked_form();
        let lines: Vec<&str> = value.lines().collect();
        assert_eq!(
            lines.first(),
            Some(&vendor),
            "{id}: the vendor's first: {value}"
        );
        for url in &wizard_urls {
            assert!(lines.contains(&url.as_str()), "{id}: {url} kept: {value}");
        }
        let recipe = m.recipe().unwrap();
        let mut registered = None;
        for _ in 0..30 {
            if let Some(saved) = complete_step(&mut m).into_iter().find_map(|c| match c {
                eca_wizard::wizard::Cmd::DemoRegisterApp(saved) => Some(saved),
                _ => None,
            }) {
                registered = Some(saved);
                break;
            }
        }
        let saved = registered.expect("the demo registers the app");
        let secret = eca_wizard::secret::Secret::new("unused".to_string());
        let app = eca_wizard::runtime::demo::app_from_setup(&saved, recipe, "3MVG9Demo", &secret);
        assert_eq!(
            app.callback_urls, lines,
            "{id}: the emulator's app lists them all"
        );
    }
}

/// "Set it up for me" in the demo with secret access declined: no dead end at "copy it from
/// Setup" (the demo has no Setup page): the runtime is asked for the secret, which fills the
/// credentials step; an answer about another app is ignored.
#[test]
fn a_declined_secret_in_the_demo_is_copied_from_the_emulator() {
    use eca_wizard::secret::Secret;
    use eca_wizard::wizard::{AppliedApp, Cmd, Msg, update};
    let mut m = demo_model();
    update(
        &mut m,
        Msg::CliLogin(Some(eca_wizard::wizard::CliLogin {
            target: "admin@eca-wizard.demo".into(),
            instance_url: MY_DOMAIN.into(),
        })),
    );
    let index = m
        .recipes
        .iter()
        .position(|r| r.id == "service-board-sync")
        .unwrap();
    for _ in 0..index {
        press(&mut m, Key::Down);
    }
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
    let applied = AppliedApp {
        consumer_key: Some("3MVG9Applied".into()),
        consumer_secret: None,
        changed: true,
    };
    let run = spec.run;
    let cmds = update(
        &mut m,
        Msg::Applied {
            run,
            result: Ok(applied),
        },
    );
    let api_name = m
        .setup
        .as_ref()
        .unwrap()
        .answer_for(Role::ApiName)
        .unwrap()
        .to_string();
    assert!(
        cmds.contains(&Cmd::DemoRevealSecret {
            api_name: api_name.clone()
        }),
        "{cmds:?}"
    );
    let ScreenKind::Step(credentials) = m.kind() else {
        panic!("{:?}", m.kind())
    };
    assert_eq!(m.recipe().unwrap().steps[credentials].id, "credentials");
    let secret_field = |m: &Model| {
        m.fields()
            .inputs
            .iter()
            .find(|i| i.secret)
            .map(|i| i.value().to_string())
            .unwrap()
    };
    update(
        &mut m,
        Msg::DemoSecretRevealed {
            consumer_key: "3MVG9SomeOtherApp".into(),
            consumer_secret: Secret::new("not-ours"),
        },
    );
    assert_eq!(secret_field(&m), "", "another app's secret is ignored");
    update(
        &mut m,
        Msg::DemoSecretRevealed {
            consumer_key: "3MVG9Applied".into(),
            consumer_secret: Secret::new(SECRET),
        },
    );
    assert_eq!(secret_field(&m), SECRET);
    assert!(m.toast_text().is_some_and(|t| t.contains("Demo")));
    let connects = (0..5).any(|_| {
        press(&mut m, Key::Enter)
            .iter()
            .any(|c| matches!(c, Cmd::Connect(_)))
    });
    assert!(connects, "Enter goes on to connect: {:?}", m.kind());
}

/// The whole 80x24 screen as text.
fn drawn(model: &Model) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| eca_wizard::ui::render(model, frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..24 {
        for x in 0..80 {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

/// The demo offers no resume on restart (a new demo is a new org), so quitting it promises
/// none; the real wizard's promise stands.
#[test]
fn quitting_the_demo_promises_no_resume() {
    for (mut m, demo) in [(demo_model(), true), (model(), false)] {
        choose(&mut m, "apideck");
        press(&mut m, Key::Ctrl('q'));
        let screen = drawn(&m);
        assert!(screen.contains("Quit eca-wizard?"), "{screen}");
        assert_eq!(
            screen.contains("Your progress is saved"),
            !demo,
            "demo {demo}:\n{screen}"
        );
        assert_eq!(screen.contains("The demo keeps nothing"), demo, "{screen}");
        assert!(screen.contains("any other key stay"), "{screen}");
    }
}
