//! Every screen, drawn at 80x24 and 120x40 on ratatui's test backend and compared with its
//! snapshot. The states come from driving the core with messages, so they are real states.

use std::time::Duration;

use crate::common::driving::*;
use eca_wizard::connect::{Event, Outcome};
use eca_wizard::salesforce::diagnosis::{Diagnosis, Kind, Target};
use eca_wizard::salesforce::settings::SettingKey;
use eca_wizard::verify::{Check, Identity};
use eca_wizard::wizard::{Key, Model, Msg, Summary, update};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// Snapshots the model at both sizes, and checks no secret is on screen.
fn snap(name: &str, model: &Model) {
    for (width, height) in SIZES {
        let screen = draw(model, width, height);
        assert!(
            !screen.contains("S3cr3t"),
            "{name} shows the secret:\n{screen}"
        );
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), screen);
    }
}

fn to_review(recipe: &str) -> Model {
    let mut m = model();
    choose(&mut m, recipe);
    set_org(&mut m, "https://acme.my.salesforce.com");
    walk_to_review(&mut m);
    m
}

fn diagnosis() -> Diagnosis {
    Diagnosis::new(
        Kind::Misconfigured,
        "invalid_client",
        Some(Target::Setting(SettingKey::RequireSecretRefresh)),
        "The app requires the consumer secret to refresh, but this integration refreshes without it: uncheck Require secret for Refresh Token Flow.",
    )
}

#[test]
fn start_screens() {
    let m = model();
    snap("start", &m);
    let mut help = model();
    press(&mut help, Key::Char('?'));
    snap("start_help", &help);
    let mut resume = to_review("apideck");
    let saved = resume.setup.as_ref().unwrap().saved(3);
    resume = Model::new(resume.recipes, vec![saved], 1_000);
    snap("start_resume", &resume);
}

#[test]
fn org_screens() {
    let mut m = model();
    choose(&mut m, "apideck");
    snap("org", &m);
    set_org(&mut m, "https://na12.salesforce.com/home");
    snap("org_error", &m);
}

#[test]
fn step_screens() {
    let mut m = model();
    choose(&mut m, "apideck");
    set_org(
        &mut m,
        "https://acme.lightning.force.com/lightning/page/home",
    );
    snap("step_integration_user", &m);
    let basic_info = m
        .recipe()
        .unwrap()
        .steps
        .iter()
        .position(|s| s.id == "basic-info")
        .unwrap();
    for _ in 0..basic_info {
        complete_step(&mut m);
    }
    m.fields_mut().focus = 2;
    type_text(&mut m, "not-an-email");
    press(&mut m, Key::Enter);
    snap("step_basic_info_error", &m);
    let credentials = m
        .recipe()
        .unwrap()
        .steps
        .iter()
        .position(|s| s.id == "credentials")
        .unwrap();
    for _ in basic_info..credentials {
        press(&mut m, Key::PageDown);
    }
    m.fields_mut().focus = 1;
    update(&mut m, Msg::Paste(SECRET.into()));
    snap("step_credentials_masked", &m);
    press(&mut m, Key::Ctrl('q'));
    snap("step_quit_dialog", &m);
}

#[test]
fn review_and_connect_screens() {
    let mut m = to_review("apideck");
    snap("review", &m);
    press(&mut m, Key::Enter);
    update(&mut m, Msg::Tick(2_000));
    snap("connect_probing", &m);
    let waiting = Diagnosis::new(
        Kind::Propagating,
        "invalid_client_id",
        Some(Target::Credentials),
        "Salesforce doesn't recognise this consumer key yet.",
    );
    let run = m.connect.run.id();
    update(
        &mut m,
        Msg::Connect {
            run,
            event: Event::Waiting {
                attempt: 3,
                delay: Duration::from_secs(12),
                diagnosis: waiting,
            },
            at_ms: 2_000,
        },
    );
    snap("connect_countdown", &m);
    let run = m.connect.run.id();
    update(
        &mut m,
        Msg::Connect {
            run,
            event: Event::Listening {
                redirect_uri: "http://localhost:7717/callback".into(),
            },
            at_ms: 15_000,
        },
    );
    let run = m.connect.run.id();
    update(&mut m, Msg::Connect { run, event: Event::AuthorizeUrl("https://acme.my.salesforce.com/services/oauth2/authorize?response_type=code&client_id=3MVG9Test&redirect_uri=http%3A%2F%2Flocalhost%3A7717%2Fcallback&state=abc&code_challenge=xyz&code_challenge_method=S256".into()), at_ms: 15_000 });
    let run = m.connect.run.id();
    update(
        &mut m,
        Msg::Connect {
            run,
            event: Event::BrowserOpened,
            at_ms: 15_000,
        },
    );
    snap("connect_waiting_for_login", &m);
}

#[test]
fn status_and_done_screens() {
    let mut m = to_review("apideck");
    press(&mut m, Key::Enter);
    update(&mut m, Msg::Tick(2_000));
    for check in [
        Check::passed(
            eca_wizard::verify::CheckName::Token,
            "authorization code token obtained",
        ),
        Check::passed(
            eca_wizard::verify::CheckName::Identity,
            "integration@acme.com in org 00D000000000001AAA",
        ),
    ] {
        let run = m.connect.run.id();
        update(
            &mut m,
            Msg::Connect {
                run,
                event: Event::Check(check),
                at_ms: 2_000,
            },
        );
    }
    snap("status_running", &m);
    let checks = vec![
        Check::passed(
            eca_wizard::verify::CheckName::Token,
            "authorization code token obtained",
        ),
        Check::passed(
            eca_wizard::verify::CheckName::Identity,
            "integration@acme.com in org 00D000000000001AAA",
        ),
        Check::passed(
            eca_wizard::verify::CheckName::Scopes,
            "granted: api openid refresh_token offline_access",
        ),
        Check::passed(
            eca_wizard::verify::CheckName::RefreshToken,
            "a refresh token came back",
        ),
        Check::failed(eca_wizard::verify::CheckName::Refresh, diagnosis()),
        Check::passed(
            eca_wizard::verify::CheckName::RestApi,
            "API v66.0; 14998 of 15000 daily requests left",
        ),
        Check::passed(
            eca_wizard::verify::CheckName::object("Account"),
            "Account can be read",
        ),
        Check::warning(
            eca_wizard::verify::CheckName::object("Opportunity"),
            "Opportunity can't be read (optional for this integration)",
            None,
        ),
    ];
    let failed = Summary {
        outcome: Outcome::Misconfigured,
        checks: checks.clone(),
        diagnosis: Some(diagnosis()),
        instance_url: None,
        identity: None,
        attempts: 2,
    };
    let run = m.connect.run.id();
    update(
        &mut m,
        Msg::ConnectFinished {
            run,
            summary: Box::new(failed),
        },
    );
    snap("status_failed", &m);
    press(&mut m, Key::Char('f'));
    snap("step_needs_fix", &m);
    press(&mut m, Key::Enter);
    let mut green_checks = checks;
    green_checks[4] = Check::passed(
        eca_wizard::verify::CheckName::Refresh,
        "refreshed without the consumer secret, as this integration does",
    );
    let identity = Identity {
        username: "integration@acme.com".into(),
        user_id: "005000000000001AAA".into(),
        org_id: "00D000000000001AAA".into(),
    };
    let green = Summary {
        outcome: Outcome::Connected,
        checks: green_checks,
        diagnosis: None,
        instance_url: Some("https://acme.my.salesforce.com".into()),
        identity: Some(identity),
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
    update(&mut m, Msg::Timer(u64::MAX));
    m.toast.text = None;
    snap("status_green", &m);
    press(&mut m, Key::Enter);
    snap("done", &m);
    update(&mut m, Msg::Kept(Ok("profile apideck-acme in /home/admin/.config/eca-wizard/profiles; secrets in the OS keychain".into())));
    snap("done_kept", &m);
    update(
        &mut m,
        Msg::Kept(Err(
            "no OS keychain is available here; pass --secrets-file".into()
        )),
    );
    snap("done_not_kept", &m);
    update(
        &mut m,
        Msg::OfferKeepInFile("no OS keychain is available here".into()),
    );
    snap("done_offer_file", &m);
}

#[test]
fn a_small_terminal_gets_a_message() {
    let m = model();
    let screen = draw(&m, 50, 12);
    assert!(screen.contains("too small"), "{screen}");
    insta::assert_snapshot!("too_small_50x12", screen);
}

#[test]
fn no_color_draws_the_same_text() {
    let mut plain = model();
    plain = plain.with_environment(eca_wizard::wizard::Environment {
        color: false,
        ..Default::default()
    });
    assert_eq!(draw(&plain, 80, 24), draw(&model(), 80, 24));
}

#[test]
fn other_possible_causes_show_on_demand() {
    let mut m = to_review("apideck");
    press(&mut m, Key::Enter);
    let ambiguous = eca_wizard::salesforce::diagnosis::diagnose(
        eca_wizard::salesforce::diagnosis::Phase::Rest,
        "INVALID_SESSION_ID",
        "Session expired or invalid",
        eca_wizard::salesforce::diagnosis::Window::After,
    );
    assert!(ambiguous.others.len() > 1);
    let summary = Summary {
        outcome: Outcome::UserAction,
        checks: vec![Check::failed(
            eca_wizard::verify::CheckName::RestApi,
            ambiguous.clone(),
        )],
        diagnosis: Some(ambiguous.clone()),
        instance_url: None,
        identity: None,
        attempts: 1,
    };
    let run = m.connect.run.id();
    update(
        &mut m,
        Msg::ConnectFinished {
            run,
            summary: Box::new(summary),
        },
    );
    let before = draw(&m, 120, 40);
    assert!(before.contains("Press o for"), "{before}");
    assert!(before.contains("o other causes"), "{before}");
    assert!(!before.contains("Other possible causes"), "{before}");
    press(&mut m, Key::Char('o'));
    let after = draw(&m, 120, 40);
    assert!(after.contains("Other possible causes"), "{after}");
    let second = &ambiguous.others[0].message;
    assert!(after.contains(&second[..30]), "{after}");
    press(&mut m, Key::Char('o'));
    assert!(!draw(&m, 120, 40).contains("Other possible causes"));
}

/// "Set it up for me": the offer on the first screen, a step apply makes and one it can't, the
/// consent question, apply's lines on the review, and a step marked as done by apply.
#[test]
fn set_it_up_for_me_screens() {
    let mut m = model();
    update(
        &mut m,
        Msg::CliLogin(Some(eca_wizard::wizard::CliLogin {
            target: "admin@acme.example".into(),
            instance_url: "https://acme.my.salesforce.com".into(),
        })),
    );
    press(&mut m, Key::Down);
    press(&mut m, Key::Down);
    snap("apply_start", &m);
    press(&mut m, Key::Char('a'));
    m.toast.text = None;
    snap("apply_step_left_to_the_admin", &m);
    complete_step(&mut m);
    complete_step(&mut m);
    m.toast.text = None;
    snap("apply_step_it_makes", &m);
    for _ in 0..20 {
        if !matches!(m.kind(), eca_wizard::wizard::ScreenKind::Step(_)) {
            break;
        }
        complete_step(&mut m);
        fix_invalid_fields(&mut m);
    }
    press(&mut m, Key::Enter);
    snap("apply_consent", &m);
    let cmds = press(&mut m, Key::Char('y'));
    let Some(eca_wizard::wizard::Cmd::Apply(spec)) = cmds.first() else {
        panic!("{cmds:?}")
    };
    let run = spec.run;
    for line in [
        "Org:     https://acme.my.salesforce.com as admin@acme.example",
        "Session: the Salesforce CLI's login admin@acme.example",
        "Deploys for Service Board Sync (client credentials):",
        "  externalClientApps/Service_Board_Sync.eca",
        "  extlClntAppGlobalOauthSets/Service_Board_Sync_glbloauth.ecaGlblOauth",
        "  extlClntAppOauthSettings/Service_Board_Sync_oauth.ecaOauth",
        "  extlClntAppOauthPolicies/Service_Board_Sync_oauthPlcy.ecaOauthPlcy",
        "  extlClntAppPolicies/Service_Board_Sync_plcy.ecaPlcy",
        "  permissionsets/Service_Board_Sync_Integration.permissionset",
        "Service_Board_Sync isn't in the org: the deploy creates it.",
        "  deploy: Pending",
    ] {
        update(
            &mut m,
            Msg::ApplyLine {
                run,
                line: line.into(),
            },
        );
    }
    snap("apply_running", &m);
    update(
        &mut m,
        Msg::Applied {
            run,
            result: Err("The org refused the metadata (the lines above say what)".into()),
        },
    );
    snap("apply_failed", &m);
}
