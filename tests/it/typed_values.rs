//! What the admin typed flows into every screen that names it: walk every recipe typing
//! distinctive values, draw each screen at 80x24 (every scroll offset), and find no
//! placeholder for a value already typed: Setup paths say the app's own name, settings show the
//! value to enter, the done screen's command carries the key, the user and the My Domain.

use crate::common::driving::*;
use eca_wizard::connect::Outcome;
use eca_wizard::recipe::{self, Role};
use eca_wizard::verify::{Check, Identity};
use eca_wizard::wizard::{Key, Model, Msg, ScreenKind, Summary, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const APP: &str = "Zeta Sync (prod)";
const USER: &str = "zeta.integration@acme.example";
const KEY: &str = "3MVG9ZetaConsumerKey0000001";
const ORG: &str = "https://acme.my.salesforce.com";

/// Words that stand for a value the admin types: none may show once it is typed.
const PLACEHOLDERS: &[&str] = &[
    "your app name",
    "your api name",
    "your callback urls",
    "your integration username",
    "your permission set",
    "your contact email",
    "your host app url",
    "your mcp server url",
    "not typed yet",
    "CONSUMER_KEY",
    "CI_USER",
    "MY_DOMAIN",
    "MCP_SERVER_URL",
    "YOUR-MY-DOMAIN",
];

/// The text of the screen at 80x24 over every scroll offset, the step list left out, with
/// line wrapping undone (runs of spaces become one) so a wrapped name reads whole.
fn all_text(model: &Model) -> String {
    let mut m = model.clone();
    resize(&mut m, 80, 24);
    let skip = if matches!(m.kind(), ScreenKind::Step(_)) {
        25
    } else {
        0
    };
    if let Some(pane) = m.screen.pane_mut() {
        pane.scroll = 0;
    }
    let mut text = String::new();
    loop {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|frame| eca_wizard::ui::render(&m, frame))
            .unwrap();
        let buffer = terminal.backend().buffer();
        for y in 1..23 {
            let row: String = (skip as u16..80).map(|x| buffer[(x, y)].symbol()).collect();
            text.push(' ');
            text.push_str(row.trim_matches(|c: char| c == '│' || c.is_whitespace()));
        }
        let end = eca_wizard::ui::max_scroll(&m);
        match m.screen.pane_mut() {
            Some(pane) if pane.scroll < end => pane.scroll += 1,
            _ => break,
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn no_placeholder(name: &str, text: &str) {
    for word in PLACEHOLDERS {
        assert!(
            !text.contains(word),
            "{name}: shows \"{word}\" for a value the admin typed:\n{text}"
        );
    }
    let unfilled = text.split('{').skip(1).any(|after| {
        after.split_once('}').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        })
    });
    assert!(!unfilled, "{name}: an unfilled {{placeholder}}:\n{text}");
}

/// Types this test's values into the step's fields (others as the common walk fills them).
fn type_values(m: &mut Model) {
    for i in 0..field_count(m) {
        form_mut(m).focus = i;
        let value = match form(m).inputs[i].field_id.as_deref() {
            Some("app_name") => APP,
            Some("api_name") => "Zeta_Sync_prod",
            Some("integration_username") => USER,
            Some("consumer_key") => KEY,
            _ => continue,
        };
        clear_field(m);
        type_text(m, value);
    }
}

fn connected(m: &mut Model) {
    let run = m.connect.run.id();
    let summary = Summary {
        outcome: Outcome::Connected,
        checks: vec![Check::passed(
            eca_wizard::verify::CheckName::Token,
            "token obtained",
        )],
        diagnosis: None,
        instance_url: Some(ORG.into()),
        identity: Some(Identity {
            username: USER.into(),
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

#[test]
fn no_screen_of_any_recipe_shows_a_placeholder_for_a_typed_value() {
    for recipe in recipe::builtin().unwrap() {
        let id = recipe.id.as_str();
        let mut m = model();
        resize(&mut m, 80, 24);
        choose(&mut m, id);
        set_org(&mut m, ORG);
        let mut app_typed = false;
        for _ in 0..40 {
            let ScreenKind::Step(i) = m.kind() else { break };
            type_values(&mut m);
            let text = all_text(&m);
            let name = format!("{id} step {}", i + 1);
            no_placeholder(&name, &text);
            let step = &m.recipe().unwrap().steps[i];
            if step.setup_path.iter().any(|s| s == "the app") {
                assert!(
                    app_typed,
                    "{name}: a path names the app before its name is typed"
                );
                assert!(
                    text.contains(APP),
                    "{name}: the path doesn't name {APP}:\n{text}"
                );
                assert!(!text.contains("› the app"), "{name}:\n{text}");
            }
            if step.settings.iter().any(|s| s.from_field.is_some()) {
                for setting in &step.settings {
                    let Some(field) = &setting.from_field else {
                        continue;
                    };
                    let value = form_or_answer(&m, field);
                    // A URL is drawn whole on its row; one wider than the pane runs off it.
                    for line in value.lines() {
                        let shown: String = line.trim().chars().take(48).collect();
                        assert!(text.contains(&shown), "{name}: {field} = {line}:\n{text}");
                    }
                }
            }
            app_typed |= recipe.steps[i]
                .fields
                .iter()
                .any(|f| f.role == Some(Role::AppName));
            complete_step(&mut m);
            fix_invalid_fields(&mut m);
        }
        assert_eq!(m.kind(), ScreenKind::Review, "{id}");
        no_placeholder(&format!("{id} review"), &all_text(&m));
        press(&mut m, Key::Enter);
        connected(&mut m);
        press(&mut m, Key::Enter);
        update(
            &mut m,
            Msg::Kept(Ok(format!("profile {id}-acme in /tmp/p"))),
        );
        assert_eq!(m.kind(), ScreenKind::Done, "{id}");
        let done = all_text(&m);
        no_placeholder(&format!("{id} done"), &done);
        if recipe.handoff.contains("{consumer_key}") {
            assert!(done.contains(KEY), "{id} done:\n{done}");
        }
        if recipe.handoff.contains("{username}") {
            assert!(done.contains(USER), "{id} done:\n{done}");
        }
        if recipe.handoff.contains("{my_domain}") {
            assert!(done.contains(ORG), "{id} done:\n{done}");
        }
    }
}

/// The value a setting takes from a field: as typed on the screen, or as confirmed earlier.
fn form_or_answer(m: &Model, field: &str) -> String {
    let on_show = m
        .screen
        .form()
        .and_then(|f| {
            f.inputs
                .iter()
                .find(|i| i.field_id.as_deref() == Some(field))
        })
        .map(|i| i.checked_form());
    on_show
        .or_else(|| m.setup.as_ref()?.answer(field).map(String::from))
        .unwrap_or_default()
}

#[test]
fn a_converted_lightning_url_is_named_with_the_url_it_became_in_view() {
    let mut m = model();
    resize(&mut m, 80, 24);
    choose(&mut m, "apideck");
    set_org(
        &mut m,
        "https://acme.lightning.force.com/lightning/setup/SetupOneHome/home",
    );
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| eca_wizard::ui::render(&m, frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let first_screen: String = (0..24)
        .flat_map(|y| (0..80).map(move |x| (x, y)))
        .map(|(x, y)| buffer[(x, y)].symbol().to_string())
        .collect();
    assert!(first_screen.contains("Lightning"), "{first_screen}");
    assert!(
        first_screen.contains("https://acme.my.salesforce.com"),
        "the URL it became isn't shown:\n{first_screen}"
    );
}

/// One Setup path per action, in Setup's words (reference/eca-setup-and-metadata.md §1.1:
/// Quick Find "External Client App Manager" → New External Client App; the app's Settings tab →
/// OAuth Settings → Consumer Key and Secret; the app's Policies tab → Edit), and the app named
/// "the app" so the typed name replaces it.
#[test]
fn every_recipe_gives_the_same_path_for_the_same_action() {
    use eca_wizard::recipe::StepKind;
    for recipe in recipe::builtin().unwrap() {
        for step in &recipe.steps {
            let path = step.setup_path.join(" > ");
            let want = match step.kind {
                StepKind::BasicInfo => {
                    "Setup > External Client App Manager > New External Client App"
                }
                StepKind::Credentials => {
                    "External Client App Manager > the app > Settings > OAuth Settings > Consumer Key and Secret"
                }
                StepKind::Policies => "External Client App Manager > the app > Policies > Edit",
                _ => continue,
            };
            assert!(path.starts_with(want), "{} {}: {path}", recipe.id, step.id);
            assert!(
                !step.setup_path.contains(&recipe.app_name),
                "{} {}: names the app {} instead of \"the app\"",
                recipe.id,
                step.id,
                recipe.app_name
            );
        }
    }
}
