//! Every screen of every built-in recipe at 80x24, the size most admins have: snapshotted, and
//! checked that nothing is cut without a marker. "Cut" is found by comparison: every word the
//! screen shows on a roomy terminal must be reachable at 80x24 by scrolling and moving the
//! focus, unless a marker (… or ▼ more) says it was shortened.

use std::collections::BTreeSet;

use crate::common::driving::*;
use eca_wizard::connect::{Event, Outcome};
use eca_wizard::recipe;
use eca_wizard::salesforce::diagnosis::{Diagnosis, Kind, Target};
use eca_wizard::verify::{Check, Identity};
use eca_wizard::wizard::{Key, Model, Msg, ScreenKind, Summary, update};

fn rows(model: &Model, width: u16, height: u16) -> Vec<String> {
    let mut m = model.clone();
    resize(&mut m, width, height);
    draw(&m, width, height)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The words of the body (no title bar, no footer: the footer drops keys on purpose and the
/// help lists them all), leaving out the step list, which is checked on its own.
fn words(rows: &[String], screen: ScreenKind, sidebar: usize) -> BTreeSet<String> {
    let body = &rows[1..rows.len() - 1];
    body.iter()
        .flat_map(|row| {
            let row: String = if matches!(screen, ScreenKind::Step(_)) {
                row.chars().skip(sidebar).collect()
            } else {
                row.clone()
            };
            row.split(|c: char| c.is_whitespace() || "│─┌┐└┘".contains(c))
                .filter(|w| w.chars().any(char::is_alphanumeric) && w.chars().count() <= 30)
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every view of the model a user can reach at 80x24 without changing anything: each scroll
/// offset, and each field in focus.
fn views(model: &Model) -> Vec<Vec<String>> {
    let mut views = Vec::new();
    let focuses = field_count(model).max(1);
    for focus in 0..focuses {
        let mut m = model.clone();
        resize(&mut m, 80, 24);
        if let Some(form) = m.screen.form_mut() {
            form.focus = focus.min(form.inputs.len().saturating_sub(1));
        }
        if let Some(pane) = m.screen.pane_mut() {
            pane.scroll = 0;
        }
        loop {
            views.push(rows(&m, 80, 24));
            let end = eca_wizard::ui::max_scroll(&m);
            match m.screen.pane_mut() {
                Some(pane) if pane.scroll < end => pane.scroll += 1,
                _ => break,
            }
        }
    }
    views
}

fn check_nothing_cut(name: &str, model: &Model) {
    if model.dialog.is_some() {
        // The help covers the screen: what must show whole is the help itself.
        let seen = words(&rows(model, 80, 24), model.kind(), 0);
        for key in eca_wizard::wizard::keys::for_screen(model) {
            for word in key.long.split_whitespace() {
                assert!(
                    seen.contains(word),
                    "{name}: the help's \"{word}\" ({}) is cut:\n{}",
                    key.long,
                    rows(model, 80, 24).join("\n")
                );
            }
        }
        return;
    }
    let wide = rows(model, 200, 80);
    let wanted = words(&wide, model.kind(), 35);
    let mut seen = BTreeSet::new();
    let mut marked = false;
    for view in views(model) {
        marked |= view.iter().any(|row| row.contains('…'));
        seen.extend(words(&view, model.kind(), 25));
    }
    let missing: Vec<&String> = wanted.difference(&seen).collect();
    // A word shortened with "…" on a one-line field is marked; anything else missing is cut.
    let unmarked: Vec<&&String> = missing
        .iter()
        .filter(|w| {
            !(marked
                && seen
                    .iter()
                    .any(|s| s.ends_with('…') && w.starts_with(s.trim_end_matches('…'))))
        })
        .collect();
    assert!(
        unmarked.is_empty(),
        "{name}: at 80x24 these words can't be reached and nothing says they were cut: {unmarked:?}\n{}",
        rows(model, 80, 24).join("\n")
    );
}

fn snap_and_check(name: &str, model: &Model) {
    check_nothing_cut(name, model);
    let screen = rows(model, 80, 24).join("\n");
    assert!(!screen.contains(SECRET), "{name} shows the secret");
    insta::assert_snapshot!(format!("every_{name}"), screen);
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

/// The fault each recipe's admins hit most, per its guide: a setting of one of its steps.
fn fault_for(m: &Model) -> Diagnosis {
    let recipe = m.recipe().unwrap();
    let setting = recipe
        .steps
        .iter()
        .rev()
        .flat_map(|s| s.settings.iter())
        .find(|s| matches!(s.value, Some(recipe::SettingValue::Checked(_))))
        .expect("a checkbox to get wrong");
    let mut d = Diagnosis::new(
        Kind::Misconfigured,
        "invalid_grant",
        Some(Target::Setting(setting.key)),
        "Salesforce refused the token request because this setting is not what the integration needs; change it as marked.",
    );
    d.value = Some(match setting.value {
        Some(recipe::SettingValue::Checked(true)) => "checked".into(),
        _ => "unchecked".into(),
    });
    d
}

#[test]
fn every_screen_of_every_recipe_fits_80x24() {
    for recipe in recipe::builtin().unwrap() {
        let id = recipe.id.as_str();
        let mut m = model();
        resize(&mut m, 80, 24);
        choose(&mut m, id);
        snap_and_check(&format!("{id}_org"), &m);
        set_org(&mut m, "https://acme.my.salesforce.com");
        for _ in 0..40 {
            let ScreenKind::Step(i) = m.kind() else { break };
            let step = &m.recipe().unwrap().steps[i];
            snap_and_check(&format!("{id}_step_{:02}_{}", i + 1, step.id), &m);
            complete_step(&mut m);
            fix_invalid_fields(&mut m);
        }
        assert_eq!(m.kind(), ScreenKind::Review, "{id}");
        snap_and_check(&format!("{id}_review"), &m);
        let mut help = m.clone();
        press(&mut help, Key::Char('?'));
        snap_and_check(&format!("{id}_review_help"), &help);

        press(&mut m, Key::Enter);
        let run = m.connect.run.id();
        for event in [
            Event::Listening { redirect_uri: "http://localhost:7717/callback".into() },
            Event::AuthorizeUrl("https://acme.my.salesforce.com/services/oauth2/authorize?response_type=code&client_id=3MVG9&redirect_uri=http%3A%2F%2Flocalhost%3A7717%2Fcallback".into()),
            Event::BrowserOpened,
        ] {
            update(&mut m, Msg::Connect { run, event, at_ms: 2_000 });
        }
        snap_and_check(&format!("{id}_connect"), &m);
        let mut help = m.clone();
        press(&mut help, Key::Char('?'));
        snap_and_check(&format!("{id}_connect_help"), &help);

        let fault = fault_for(&m);
        let mut checks = vec![
            Check::passed(eca_wizard::verify::CheckName::Token, "token obtained"),
            Check::failed(eca_wizard::verify::CheckName::Identity, fault.clone()),
        ];
        for object in m.recipe().unwrap().objects() {
            checks.push(Check::skipped(
                eca_wizard::verify::CheckName::object(&object.object),
                "not checked",
            ));
        }
        finish(
            &mut m,
            Summary {
                outcome: Outcome::Misconfigured,
                checks: checks.clone(),
                diagnosis: Some(fault),
                instance_url: None,
                identity: None,
                attempts: 1,
            },
        );
        let screen = rows(&m, 80, 24).join("\n");
        assert!(
            screen.contains("What to fix") && screen.contains("Press f"),
            "{id}:\n{screen}"
        );
        snap_and_check(&format!("{id}_status_fault"), &m);
        let mut help = m.clone();
        press(&mut help, Key::Char('?'));
        snap_and_check(&format!("{id}_status_help"), &help);

        press(&mut m, Key::Char('f'));
        assert!(
            m.screen.fix().is_some(),
            "{id}: f opens the step in fix mode"
        );
        snap_and_check(&format!("{id}_fix_step"), &m);
        press(&mut m, Key::Enter);

        let mut green = checks;
        green[1] = Check::warning(
            eca_wizard::verify::CheckName::Identity,
            "authorized as admin@acme.example, not the integration user",
            None,
        );
        for check in green.iter_mut().skip(2) {
            *check = Check::passed(check.name.clone(), "can be read");
        }
        finish(
            &mut m,
            Summary {
                outcome: Outcome::Connected,
                checks: green,
                diagnosis: None,
                instance_url: Some("https://acme.my.salesforce.com".into()),
                identity: Some(Identity {
                    username: "admin@acme.example".into(),
                    user_id: "005000000000001AAA".into(),
                    org_id: "00D000000000001AAA".into(),
                }),
                attempts: 1,
            },
        );
        snap_and_check(&format!("{id}_status_warnings"), &m);
        press(&mut m, Key::Enter);
        update(
            &mut m,
            Msg::Kept(Ok(format!(
                "profile {id}-acme in /home/admin/.config/eca-wizard/profiles; secrets in the OS keychain"
            ))),
        );
        let done = rows(&m, 80, 24).join("\n");
        assert!(done.contains("Connected with 1 warning"), "{id}:\n{done}");
        snap_and_check(&format!("{id}_done"), &m);
    }
}

#[test]
fn the_step_list_keeps_the_current_step_in_view() {
    let mut m = model();
    resize(&mut m, 80, 24);
    choose(&mut m, "lightning-out");
    set_org(&mut m, "https://acme.my.salesforce.com");
    for _ in 0..40 {
        let ScreenKind::Step(i) = m.kind() else { break };
        let title = m.recipe().unwrap().steps[i].title.clone();
        let rows = rows(&m, 80, 24);
        let sidebar: Vec<String> = rows.iter().map(|r| r.chars().take(24).collect()).collect();
        let current = sidebar
            .iter()
            .find(|r| r.contains('▶'))
            .unwrap_or_else(|| panic!("step {i} not in the list:\n{}", sidebar.join("\n")));
        let shown = current
            .trim_start_matches(['│', ' ', '▶'])
            .trim_end_matches(['│', ' '])
            .trim_end_matches('…');
        assert!(title.starts_with(shown.trim()), "{title} vs {shown}");
        complete_step(&mut m);
        fix_invalid_fields(&mut m);
    }
}
