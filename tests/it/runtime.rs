//! The real event loop (`runtime::drive`) on ratatui's `TestBackend`, fed keys through its
//! channel, with the demo emulator behind it and a clock the test moves: what no pure test of the
//! core reaches (time on every input, cancelled runs, effects that write files).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::common::ports::wizard_ports;
use crate::common::{screen, temp};
use eca_wizard::connect::Outcome;
use eca_wizard::emulator::{self, Emulator, Org};
use eca_wizard::recipe;
use eca_wizard::runtime::{self, Clock, Driver, demo};
use eca_wizard::wizard::{self, Key, Model, Msg, ScreenKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::{mpsc, watch};

const MINUTE: Duration = Duration::from_secs(60);

/// A wizard running in the background: its input channel, its frames, its clock.
struct Harness {
    tx: mpsc::UnboundedSender<Msg>,
    frames: watch::Receiver<String>,
    clock: Arc<AtomicU64>,
    done: tokio::task::JoinHandle<Model>,
}

impl Harness {
    /// The demo wizard with the emulator at `delay` seconds of propagation, progress in `home`,
    /// metadata into `out`.
    fn start(delay: u64, home: &Path, out: &Path) -> Harness {
        Harness::with_fault(delay, home, out, None)
    }

    fn with_fault(delay: u64, home: &Path, out: &Path, fault: Option<demo::Fault>) -> Harness {
        let mut org = Org::demo();
        org.propagation_delay_secs = delay;
        let emulator = Emulator::start(emulator::Config {
            org,
            login_port: 0,
            my_domain_port: 0,
            mcp_port: 0,
            auto_approve: true,
        })
        .unwrap();
        let clock = Arc::new(AtomicU64::new(runtime::now_ms()));
        let reading = clock.clone();
        let time: Clock = Arc::new(move || reading.load(Ordering::SeqCst));
        let mut model = Model::new(recipe::builtin().unwrap(), Vec::new(), time());
        model = model.with_environment(eca_wizard::wizard::Environment {
            browser_available: false,
            ..Default::default()
        });
        let model = model.with_demo(wizard::Demo {
            login_url: emulator.login_url().to_string(),
            my_domain_url: emulator.my_domain_url().to_string(),
            mcp_url: emulator.mcp_url().to_string(),
            username: wizard::demo_username(eca_wizard::salesforce::Flow::ClientCredentials)
                .to_string(),
            browser_username: wizard::demo_username(eca_wizard::salesforce::Flow::AuthCode)
                .to_string(),
            terminal_sign_in: true,
            fault_note: None,
            propagation_secs: 60,
        });
        let (tx, rx) = mpsc::unbounded_channel();
        let (frames_tx, frames) = watch::channel(String::new());
        let driver = Driver {
            tx: tx.clone(),
            rx,
            home: home.to_path_buf(),
            metadata_dir: out.to_path_buf(),
            demo: Some(demo::Demo::new(emulator, fault)),
            clock: time,
            frames: Some(frames_tx),
        };
        let done = tokio::spawn(async move {
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
            runtime::drive(&mut terminal, model, driver, std::future::pending())
                .await
                .unwrap()
        });
        Harness {
            tx,
            frames,
            clock,
            done,
        }
    }

    fn key(&self, key: Key) {
        self.tx.send(Msg::Key(key)).unwrap();
    }

    fn screen(&self) -> String {
        self.frames.borrow().clone()
    }

    async fn wait_for(&mut self, text: &str, timeout: Duration) -> String {
        tokio::task::block_in_place(|| screen::wait_for(text, timeout, || self.screen()))
    }

    /// Presses Enter through the setup until one of `goals` shows (never while connecting).
    async fn enter_until(&mut self, goals: &[&str], timeout: Duration) -> String {
        let pace = Duration::from_millis(100);
        tokio::task::block_in_place(|| {
            screen::until(
                goals,
                timeout,
                pace,
                || self.screen(),
                |shown| {
                    if screen::takes_enter(shown) {
                        self.key(Key::Enter);
                    }
                },
            )
        })
    }

    fn advance(&self, by: Duration) {
        self.clock
            .fetch_add(u64::try_from(by.as_millis()).unwrap(), Ordering::SeqCst);
    }

    async fn quit(self) -> Model {
        self.key(Key::Ctrl('c'));
        self.done.await.unwrap()
    }
}

fn temp(name: &str) -> temp::Folder {
    temp::folder(name)
}

/// Picks the recipe `down` rows below the first on the start screen.
async fn choose(harness: &mut Harness, down: usize) {
    harness.wait_for("What are you connecting?", MINUTE).await;
    for _ in 0..down {
        harness.key(Key::Down);
    }
    harness.key(Key::Enter);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_minutes_in_setup_then_propagation_is_waited_out() {
    let (home, out) = (temp("setup-home"), temp("setup-out"));
    let mut harness = Harness::start(3, &home, &out);
    choose(&mut harness, 2).await; // Service Board Sync: client credentials, no browser
    // The admin spends twenty minutes in Setup before the app is created.
    harness.advance(20 * MINUTE);
    let saved_before = harness.clock.load(Ordering::SeqCst);
    let screen = harness
        .enter_until(&["All checks passed", "What to fix"], MINUTE)
        .await;
    assert!(
        screen.contains("All checks passed"),
        "a fresh app's propagation is waited out:\n{screen}"
    );
    let model = harness.quit().await;
    let setup = model.setup.as_ref().unwrap();
    assert!(
        setup.app_saved_at_ms.unwrap() >= saved_before,
        "saved-at is the time of the Create step"
    );
    let summary = model.connect.summary.as_ref().unwrap();
    assert_eq!(summary.outcome, Outcome::Connected);
    assert!(
        summary.attempts > 1,
        "it waited for propagation: {} attempts",
        summary.attempts
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esc_while_connecting_stays_on_review_and_late_answers_are_ignored() {
    let (home, out) = (temp("esc-home"), temp("esc-out"));
    let mut harness = Harness::start(600, &home, &out);
    choose(&mut harness, 2).await;
    harness
        .enter_until(&["Checking again", "Salesforce doesn't know"], MINUTE)
        .await;
    harness.key(Key::Esc);
    harness
        .wait_for("Review: what Setup should hold now", MINUTE)
        .await;
    // The cancelled run's answers may still arrive: the screen stays on Review.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        harness
            .screen()
            .contains("Review: what Setup should hold now"),
        "{}",
        harness.screen()
    );
    let model = harness.quit().await;
    assert_eq!(model.kind(), ScreenKind::Review);
    assert!(!model.connect.running);
    assert!(
        model.connect.checks.is_empty(),
        "{:?}",
        model.connect.checks
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_review_screen_writes_metadata_where_it_is_told() {
    let out = temp("metadata-out");
    std::fs::create_dir_all(&out).unwrap();
    let home = temp("metadata-home");
    let mut harness = Harness::start(1, &home, &out);
    choose(&mut harness, 0).await; // Apideck
    harness
        .enter_until(&["Review: what Setup should hold now"], MINUTE)
        .await;
    harness.key(Key::Char('m'));
    let prompt = harness.wait_for("Write the metadata project", MINUTE).await;
    assert!(
        prompt.contains(&out.display().to_string()),
        "the folder is shown in full:\n{prompt}"
    );
    harness.key(Key::Enter);
    let screen = harness.wait_for("Wrote the metadata project", MINUTE).await;
    assert!(screen.contains("metadata"), "{screen}");
    harness.quit().await;
    let written: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(written[0].join("manifest/package.xml").is_file());
    assert!(written[0].join("README.md").is_file());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_progress_save_that_fails_is_said() {
    // The progress folder is a file: every save fails, and the admin is told.
    let home = temp("unwritable-home");
    std::fs::write(&home, "not a folder").unwrap();
    let out = temp("unwritable-out");
    let mut harness = Harness::start(1, &home, &out);
    choose(&mut harness, 0).await;
    harness.wait_for("Which org?", MINUTE).await;
    harness.key(Key::Enter);
    let screen = harness.wait_for("Couldn't save progress", MINUTE).await;
    assert!(
        screen.contains(&home.display().to_string()[..20]),
        "{screen}"
    );
    harness.quit().await;
}

impl Harness {
    fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.key(Key::Char(c));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_are_kept_across_ctrl_c_and_two_setups_live_side_by_side() {
    let home = temp("drafts-home");
    for down in [0, 1] {
        let out = temp("drafts-out");
        let mut harness = Harness::start(1, &home, &out);
        choose(&mut harness, down).await;
        harness.wait_for("Which org?", MINUTE).await;
        harness.key(Key::Enter); // the demo's own org, filled in

        harness.wait_for("Why", MINUTE).await;
        harness.type_text("typed-but-not-confirmed");
        tokio::time::sleep(Duration::from_millis(300)).await;
        harness.quit().await; // Ctrl-C
    }
    let saved = eca_wizard::runtime::progress::load_all(&home);
    let keys: Vec<String> = saved.iter().map(|s| s.key()).collect();
    assert_eq!(saved.len(), 2, "{keys:?}");
    for recipe in ["apideck--", "aptedge--"] {
        assert!(keys.iter().any(|k| k.starts_with(recipe)), "{keys:?}");
    }
    for setup in &saved {
        assert!(
            setup
                .drafts
                .values()
                .any(|v| v.contains("typed-but-not-confirmed")),
            "{:?}",
            setup.drafts
        );
    }
}

impl Harness {
    /// Presses Enter through the setup and `s` (sign in from the terminal) on the connect
    /// screen, until one of `goals` shows.
    async fn drive_to(&mut self, goals: &[&str], timeout: Duration) -> String {
        let pace = Duration::from_millis(150);
        tokio::task::block_in_place(|| {
            screen::until(
                goals,
                timeout,
                pace,
                || self.screen(),
                |shown| {
                    if shown.contains("press s to sign in") {
                        self.key(Key::Char('s'));
                    } else if screen::takes_enter(shown) {
                        self.key(Key::Enter);
                    }
                },
            )
        })
    }
}

/// Every demo fault: diagnosed, `f` jumps to the step, Enter confirms the fix (the edit), and
/// the recheck waits out propagation to green; no other key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_fault_goes_to_green_with_f_and_enter() {
    let _ports = wizard_ports(); // an authorization-code login: the wizard listens on 7717-7719
    let recipes = eca_wizard::recipe::builtin().unwrap();
    for name in demo::Fault::NAMES {
        let fault: demo::Fault = name.parse().unwrap();
        // The recipe `demo --fault` preselects: the first the fault applies to.
        let first = fault.recipes(recipes)[0];
        let down = recipes.iter().position(|r| r.id == first).unwrap();
        let (home, out) = (temp(&format!("fault-{name}")), temp("fault-out"));
        let mut harness = Harness::with_fault(2, &home, &out, Some(fault));
        choose(&mut harness, down).await;
        let screen = harness
            .drive_to(&["All checks passed", "What to fix"], MINUTE)
            .await;
        assert!(screen.contains("What to fix"), "{name}: {screen}");
        harness.key(Key::Char('f'));
        harness.wait_for("✗", MINUTE).await;
        harness.key(Key::Enter);
        harness.drive_to(&["All checks passed"], 2 * MINUTE).await;
        let model = harness.quit().await;
        assert_eq!(
            model.connect.summary.unwrap().outcome,
            Outcome::Connected,
            "{name}"
        );
    }
}

/// Every built-in recipe reaches green in the demo as its guide's user: the API-only
/// integration user for client credentials and JWT bearer, a user who can sign in in a browser
/// for authorization code, neither with View Setup (which `/limits` would need).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_recipe_connects_green_as_the_user_its_guide_recommends() {
    let _ports = wizard_ports(); // an authorization-code login: the wizard listens on 7717-7719
    let recipes = eca_wizard::recipe::builtin().unwrap();
    for (down, recipe) in recipes.iter().enumerate() {
        let (home, out) = (temp(&format!("green-{}", recipe.id)), temp("green-out"));
        let mut harness = Harness::start(0, &home, &out);
        choose(&mut harness, down).await;
        let screen = harness
            .drive_to(&["All checks passed", "What to fix"], 2 * MINUTE)
            .await;
        assert!(
            screen.contains("All checks passed"),
            "{}: {screen}",
            recipe.id
        );
        let model = harness.quit().await;
        let summary = model.connect.summary.unwrap();
        assert_eq!(summary.outcome, Outcome::Connected, "{}", recipe.id);
        let user = summary.identity.map(|i| i.username).unwrap_or_default();
        assert_eq!(user, wizard::demo_username(recipe.flow), "{}", recipe.id);
    }
    let org = Org::demo();
    assert!(org.users.iter().filter(|u| !u.admin).all(|u| !u.view_setup));
}

/// `sf-cli-ci`'s other answer, the CLI's web login (authorization code), reaches green in the
/// demo too: the question is answered on the first step and everything after follows it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_recipe_s_web_login_connects_green() {
    let _ports = wizard_ports(); // an authorization-code login: the wizard listens on 7717-7719
    let recipes = eca_wizard::recipe::builtin().unwrap();
    let down = recipes.iter().position(|r| r.id == "sf-cli-ci").unwrap();
    let (home, out) = (temp("green-cli-web"), temp("green-cli-web-out"));
    let mut harness = Harness::start(0, &home, &out);
    choose(&mut harness, down).await;
    // One Enter at a time, each after its screen: a blind Enter would confirm the first step.
    harness.wait_for("Which org?", MINUTE).await;
    harness.key(Key::Enter);
    harness.wait_for("jwt-bearer ▶", MINUTE).await;
    harness.key(Key::Right);
    harness.wait_for("auth-code ▶", MINUTE).await;
    let screen = harness
        .drive_to(&["All checks passed", "What to fix"], 2 * MINUTE)
        .await;
    assert!(screen.contains("All checks passed"), "{screen}");
    let model = harness.quit().await;
    let summary = model.connect.summary.unwrap();
    assert_eq!(summary.outcome, Outcome::Connected);
    let user = summary.identity.map(|i| i.username).unwrap_or_default();
    assert_eq!(
        user,
        wizard::demo_username(eca_wizard::salesforce::Flow::AuthCode)
    );
}

/// A certificate field read by the real runtime: a missing file, then a private key where the
/// certificate belongs, each refused on the field with what to do; the demo's built-in one passes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_runtime_reads_a_certificate_field_and_refuses_wrong_files() {
    let dir = temp("pem-files");
    std::fs::create_dir_all(&dir).unwrap();
    let key_file = dir.join("server.key");
    std::fs::write(&key_file, eca_wizard::emulator::org::DEMO_JWT_KEY).unwrap();
    let (home, out) = (temp("pem-home"), temp("pem-out"));
    let mut harness = Harness::start(1, &home, &out);
    choose(&mut harness, 4).await; // Lightning Out: JWT bearer, with a certificate step
    harness.enter_until(&["Certificate file"], MINUTE).await;
    let missing = dir.join("no-such.crt").display().to_string();
    for (path, says) in [
        (missing.as_str(), "Can't open"),
        (key_file.to_str().unwrap(), "is a private key"),
    ] {
        harness.key(Key::Ctrl('u'));
        harness.key(Key::Ctrl('k'));
        harness.type_text(path);
        harness.key(Key::Enter);
        let screen = harness.wait_for(says, MINUTE).await;
        assert!(
            screen.contains("Certificate file"),
            "still on the step:\n{screen}"
        );
    }
    harness.key(Key::Ctrl('u'));
    harness.key(Key::Ctrl('k'));
    harness.type_text(eca_wizard::wizard::DEMO_CERTIFICATE_MARKER);
    harness.key(Key::Enter);
    let model = harness.quit().await;
    let setup = model.setup.unwrap();
    let step = setup
        .recipe
        .steps
        .iter()
        .position(|s| s.fields.iter().any(|f| f.id == "certificate_path"))
        .unwrap();
    assert_eq!(setup.marks[step], eca_wizard::wizard::StepMark::Done);
}

/// "Set it up for me" in the demo (the demo admin stands in for the CLI login): `a` on a recipe,
/// only the answers typed, apply's lines on the review, the secret read with consent, the steps
/// apply made marked as its own, then the usual connect to green. Client credentials and an
/// authorization-code recipe.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_it_up_for_me_applies_with_the_cli_login_and_connects() {
    let _ports = wizard_ports(); // an authorization-code login: the wizard listens on 7717-7719
    let recipes = eca_wizard::recipe::builtin().unwrap();
    for id in ["service-board-sync", "aptedge", "sf-cli-ci"] {
        let down = recipes.iter().position(|r| r.id == id).unwrap();
        let (home, out) = (temp(&format!("apply-{id}")), temp("apply-out"));
        let mut harness = Harness::start(2, &home, &out);
        apply_from_the_review(&mut harness, down).await;
        if recipes[down].needs_secret() {
            harness.wait_for("turn it on for a", MINUTE).await;
            harness.key(Key::Char('y'));
        }
        // No key is pressed but the sign-in an authorization code needs.
        let screen = if recipes[down].flow == eca_wizard::salesforce::Flow::AuthCode {
            harness
                .drive_to(&["All checks passed", "What to fix"], 2 * MINUTE)
                .await
        } else {
            harness.wait_for("All checks passed", 2 * MINUTE).await
        };
        assert!(screen.contains("All checks passed"), "{id}: {screen}");
        // The live app read back with the same login: as deployed.
        let screen = harness
            .wait_for("The live app against the recipe", MINUTE)
            .await;
        assert!(screen.contains("no drift"), "{id}: {screen}");
        let model = harness.quit().await;
        // Apply's lines stay with the setup (the review shows them only until the connect).
        let lines = &model.applying.view.as_ref().unwrap().lines;
        assert!(
            lines.iter().any(|l| l.contains("deploy: Succeeded")),
            "{id}: {lines:?}"
        );
        assert_eq!(
            model.connect.summary.unwrap().outcome,
            Outcome::Connected,
            "{id}"
        );
        let setup = model.setup.unwrap();
        let recipe = setup.recipe;
        for (i, mark) in setup.marks.iter().enumerate() {
            if eca_wizard::wizard::made_by_apply(recipe, i) {
                assert_eq!(
                    *mark,
                    wizard::StepMark::Applied,
                    "{id} step {i}: {:?}",
                    model.applying.view.as_ref().map(|a| &a.lines)
                );
            }
        }
        let apply = model.applying.view.unwrap();
        assert!(!apply.running);
        assert!(
            apply
                .lines
                .iter()
                .any(|l| l.contains("as admin@eca-wizard.demo")),
            "{:?}",
            apply.lines
        );
    }
}

/// `a` on the recipe `down` rows below the first (offered with the demo admin's login), the
/// answers confirmed as prefilled, then Enter on the review.
async fn apply_from_the_review(harness: &mut Harness, down: usize) {
    harness.wait_for("What are you connecting?", MINUTE).await;
    for _ in 0..down {
        harness.key(Key::Down);
    }
    let start = harness.wait_for("Set it up for me", MINUTE).await;
    assert!(start.contains("admin@eca-wizard.demo"), "{start}");
    harness.key(Key::Char('a'));
    harness
        .enter_until(&["Review: what Setup should hold now"], MINUTE)
        .await;
    harness.wait_for("makes these settings", MINUTE).await;
    harness.key(Key::Enter);
}

/// Consent refused: apply makes the app, reads its key, leaves the secret setting alone, and the
/// credentials step opens with the key filled in; the demo, having no Setup page to copy the
/// secret from, copies it from the emulator, so the walk goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_it_up_for_me_without_consent_fills_the_key_and_the_demo_copies_the_secret() {
    let recipes = eca_wizard::recipe::builtin().unwrap();
    let down = recipes
        .iter()
        .position(|r| r.id == "service-board-sync")
        .unwrap();
    let (home, out) = (temp("apply-no-consent"), temp("apply-out"));
    let mut harness = Harness::start(2, &home, &out);
    apply_from_the_review(&mut harness, down).await;
    harness.wait_for("turn it on for a", MINUTE).await;
    harness.key(Key::Char('n'));
    let screen = harness.wait_for("copied the secret", MINUTE).await;
    assert!(screen.contains("Copy the Consumer Key"), "{screen}");
    let model = harness.quit().await;
    let setup = model.setup.unwrap();
    let key = setup
        .answer_for(eca_wizard::recipe::Role::ConsumerKey)
        .unwrap();
    assert!(
        key.starts_with("3MVG9"),
        "the key apply read is filled in: {key}"
    );
    let secret = setup
        .secret_for(eca_wizard::recipe::Role::ConsumerSecret)
        .expect("the demo filled the secret in");
    assert!(!secret.expose().is_empty());
}
