//! Format 2: choices (several flows in one recipe), steps, fields and settings `when` an answer
//! holds, recommended and optional settings, vendor steps with named fields, a Connected App
//! note and a propagation window; every combination is checked and connects; format 1 files
//! (the built-in recipes as they were, in tests/data/format1) load unchanged.

use crate::common::connecting::*;
use crate::common::recipe_files::{home, text, wizard};
use crate::common::*;
use eca_wizard::connect::Outcome;
use eca_wizard::emulator::org::{DEMO_INTEGRATION_USER, DEMO_JWT_KEY};
use eca_wizard::recipe::{self, Recipe, Role};
use eca_wizard::salesforce::Flow;
use eca_wizard::salesforce::settings::SettingKey;
use eca_wizard::secret::Secret;

const EXAMPLE: &str = include_str!("../data/format2-example.toml");

#[tokio::test]
async fn each_flow_of_a_two_flow_recipe_is_its_own_checked_recipe_and_connects() {
    let all = recipe::parse_all("example.toml", EXAMPLE).unwrap();
    let flows: Vec<Flow> = all.iter().map(|r| r.flow).collect();
    assert_eq!(flows, [Flow::ClientCredentials, Flow::JwtBearer]);
    let (cc, jwt) = (&all[0], &all[1]);
    assert!(
        cc.field_for(Role::ConsumerSecret).is_some()
            && jwt.field_for(Role::ConsumerSecret).is_none()
    );
    assert!(cc.step("permissions").is_none() && jwt.step("permissions").is_some());
    assert_eq!(cc.vendor_steps.len(), 2, "the common step and the secret");
    assert_eq!(jwt.vendor_steps[1].title, "Private key");
    // The default answers are what parse gives.
    assert_eq!(
        recipe::parse("example.toml", EXAMPLE).unwrap().flow,
        Flow::ClientCredentials
    );

    for (n, alternative) in all.iter().enumerate() {
        let emulator = start();
        let key =
            format!("3MVG9FormatTwo{n}.Key4Emulator.Only_NotASalesforceKey.0123456789AbCdEfGh");
        let mut answers = vec![
            (Role::AppName, "Example ETL".to_string()),
            (Role::IntegrationUsername, DEMO_INTEGRATION_USER.to_string()),
        ];
        if alternative.flow == Flow::JwtBearer {
            answers.push((Role::PermissionSet, "ECA_Wizard_Integration".into()));
        }
        emulator.put_app(recipe_app(alternative, &answers, &key));
        let mut req = request_for(alternative, emulator.my_domain_url(), &key, 0);
        if alternative.flow == Flow::JwtBearer {
            req.client_secret = None;
            req.jwt = Some((Secret::new(DEMO_JWT_KEY), DEMO_INTEGRATION_USER.into()));
        }
        let run = run(&req, Visit::Nothing).await;
        assert_eq!(
            run.report.outcome,
            Outcome::Connected,
            "{:?}: {:#?}",
            alternative.flow,
            run.report
        );
    }
}

#[test]
fn optional_settings_are_shown_not_applied_and_recommended_ones_are_applied() {
    let recipe = recipe::parse("example.toml", EXAMPLE).unwrap();
    assert!(
        !recipe.is_checked(SettingKey::RefreshTokenRotation),
        "optional: never applied"
    );
    assert!(
        recipe.is_checked(SettingKey::RequirePkce),
        "recommended: applied"
    );
    let home = home("format2-show");
    let file =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/format2-example.toml");
    let shown = wizard(
        &home,
        &[
            "--recipe-file",
            &file.display().to_string(),
            "recipes",
            "etl-either-flow",
        ],
    );
    let said = text(&shown);
    for line in [
        "Enable Refresh Token Rotation (optional): checked",
        "Choice:  How does the vendor sign in? (client-credentials | jwt-bearer; shown: client-credentials)",
        "the guide was written for a Connected App",
        "In Example ETL: Create the Salesforce connection",
        "- Client ID: <consumer-key>",
        "- Instance URL: <my-domain-url>",
        "- Host: <my-domain-host>",
        "a new app can take 30 minutes",
    ] {
        assert!(said.contains(line), "{line}: {said}");
    }
    let json = wizard(
        &home,
        &[
            "--recipe-file",
            &file.display().to_string(),
            "recipes",
            "etl-either-flow",
            "--json",
        ],
    );
    let envelope: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let view = &envelope["result"];
    assert_eq!(
        view["vendor_steps"][0]["fields"][2]["from"],
        "my-domain-host"
    );
    assert_eq!(view["vendor_steps"][0]["fields"][3]["from"], "consumer-key");
    assert_eq!(view["propagation_minutes"], 30);
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn format_2_keys_in_a_format_1_file_and_a_wrong_answer_are_named() {
    let old = EXAMPLE.replace("format = 2\n", "");
    let problems = recipe::lint::lint("old.toml", &old);
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("'choices' needs format = 2")),
        "{problems:#?}"
    );
    assert!(
        problems.iter().any(|p| p
            .message
            .contains("`when`, `level`, `finish` and the certificate")),
        "{problems:#?}"
    );

    let typo = EXAMPLE.replacen("when = \"flow=jwt-bearer\"", "when = \"flow=jwt-barer\"", 1);
    let problems = recipe::lint::lint("typo.toml", &typo);
    let line = typo[..typo.find("jwt-barer").unwrap()]
        .matches('\n')
        .count()
        + 1;
    assert!(
        problems.iter().any(|p| p.line == line
            && p.message
                .contains("choice 'flow' has no option 'jwt-barer'; did you mean 'jwt-bearer'?")),
        "{problems:#?}"
    );
    // A rule broken in one combination only is reported with its answers.
    let broken = EXAMPLE.replacen(
        "key = \"selected-permission-sets\"\nfrom_field = \"permission_set\"\nwhen = \"flow=jwt-bearer\"",
        "key = \"selected-permission-sets\"\nfrom_field = \"permission_set\"\nwhen = \"flow=client-credentials\"",
        1,
    );
    let problems = recipe::lint::lint("broken.toml", &broken);
    assert!(
        problems.iter().any(|p| p.message.starts_with("with flow=jwt-bearer: the jwt-bearer flow needs a step that sets 'selected-permission-sets'")),
        "{problems:#?}"
    );
}

/// A mistyped default is the one problem named: the combinations its typo would leave half
/// resolved aren't checked as if they were the recipe.
#[test]
fn a_mistyped_default_is_named_alone_with_the_nearest_option() {
    let typo = EXAMPLE.replacen(
        "default = \"client-credentials\"",
        "default = \"client-credential\"",
        1,
    );
    let problems = recipe::lint::lint("typo.toml", &typo);
    let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "default 'client-credential' is not one of the options; did you mean 'client-credentials'?"
        ],
        "{problems:#?}"
    );
}

#[test]
fn the_built_in_recipes_format_1_files_load_unchanged() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/format1");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let old = recipe::parse(&path.display().to_string(), &text).unwrap();
        assert_eq!(old.format, 1, "{}", path.display());
        let now = recipe::builtin_by_id(&old.id).unwrap();
        assert_eq!(old.flow, now.flow, "{}", old.id);
        assert_eq!(old.scopes, now.scopes, "{}", old.id);
        let steps = |r: &Recipe| r.steps.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
        assert_eq!(steps(&old), steps(now), "{}", old.id);
        count += 1;
    }
    assert_eq!(count, recipe::builtin().unwrap().len());
}
