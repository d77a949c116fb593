//! The demo is self-consistent: every built-in recipe walks from the first screen to green at
//! 80x24 with no red mark and no drift line, Claude Code included.

use std::time::{Duration, Instant};

use crate::common::ports::wizard_ports;
use crate::terminal::{DOWN, ENTER, Start, Tui};

const MINUTE: Duration = Duration::from_secs(60);

const PAGE_DOWN: &str = "\x1b[6~";
const PAGE_UP: &str = "\x1b[5~";
/// What the status ends with once the live app has been read against the recipe.
const DRIFT_READ: [&str; 3] = [
    "no drift in what a query reads",
    "≠",
    "couldn't read the live app",
];

/// Pages the status to its end until the live app's reading shows there (it comes after the
/// checks), then back to the top.
fn wait_for_drift_reading(tui: &mut Tui) {
    let deadline = Instant::now() + MINUTE;
    loop {
        tui.send(PAGE_DOWN);
        std::thread::sleep(Duration::from_millis(200));
        let screen = tui.screen();
        if DRIFT_READ.iter().any(|r| screen.contains(r)) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the live app was never read:\n{screen}"
        );
    }
    for _ in 0..10 {
        tui.send(PAGE_UP);
    }
    std::thread::sleep(Duration::from_millis(300));
}

/// The status screen from top to bottom: the pane scrolled a page at a time until it stops.
fn whole_status(tui: &mut Tui) -> String {
    let mut seen = tui.screen();
    for _ in 0..10 {
        tui.send(PAGE_DOWN);
        std::thread::sleep(Duration::from_millis(300));
        let screen = tui.screen();
        if seen.ends_with(&screen) {
            break;
        }
        seen.push_str(&screen);
    }
    seen
}

#[test]
fn every_recipe_reaches_green_in_the_demo_at_80x24() {
    // Most recipes' logins are authorization code: the wizard listens on 7717-7719.
    let _ports = wizard_ports();
    let recipes = eca_wizard::recipe::builtin().unwrap();
    for (index, recipe) in recipes.iter().enumerate() {
        let mut tui = Tui::spawn(&Start {
            size: (24, 80),
            ..Start::new(&["demo", "--auto-approve", "--propagation-delay", "1"])
        });
        tui.wait_for("What are you connecting?", MINUTE);
        for _ in 0..index {
            tui.send(DOWN);
        }
        tui.send(ENTER);
        let org = tui.wait_for("Which org?", MINUTE);
        let title: String = recipe.title.chars().take(30).collect();
        assert!(org.contains(&title), "{} was chosen:\n{org}", recipe.id);
        let screen = tui.enter_until(
            &[
                "All checks passed",
                "What to fix",
                "Connected with warnings",
            ],
            2 * MINUTE,
        );
        wait_for_drift_reading(&mut tui);
        let status = whole_status(&mut tui);
        assert!(
            screen.contains("All checks passed"),
            "{}: {screen}",
            recipe.id
        );
        assert!(
            !status.contains('✗'),
            "{}: a red mark:\n{status}",
            recipe.id
        );
        assert!(
            status.contains(DRIFT_READ[0]) && !status.contains('≠'),
            "{}: a drift line:\n{status}",
            recipe.id
        );
        tui.send(ENTER);
        tui.wait_for("Connected and verified", MINUTE);
        tui.send(ENTER);
        assert!(tui.wait_exit().success(), "{}", recipe.id);
        tui.assert_restored();
    }
}

/// A metadata project written in the demo survives its end: it goes to the data folder, not
/// into the demo's own folder that quitting removes.
#[test]
fn metadata_written_in_the_demo_survives_quitting() {
    let mut tui = Tui::spawn(&Start {
        size: (24, 80),
        ..Start::new(&["demo", "--auto-approve", "--propagation-delay", "1"])
    });
    let home = tui.home().to_path_buf();
    tui.wait_for("What are you connecting?", MINUTE);
    tui.send(ENTER);
    tui.enter_until(&["Review: what Setup should hold now"], MINUTE);
    tui.send("m");
    tui.wait_for("Write the metadata project", MINUTE);
    tui.send(ENTER);
    tui.wait_for("Wrote the metadata project", MINUTE);
    tui.send("q");
    tui.wait_for("Quit eca-wizard?", MINUTE);
    tui.send("y");
    assert!(tui.wait_exit().success());
    let written: Vec<_> = std::fs::read_dir(home.join("metadata"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(written[0].join("manifest/package.xml").is_file());
}
