//! A certificate made in Setup (the `certificate` step, Certificate and Key Management) and a
//! step's `finish` button: loaded from a guide that has them, refused where they don't fit,
//! shown by `recipes ID` and on the step's screen, and left to the admin by apply; the same
//! button on a vendor step, and a prerequisite on the vendor's side.

use crate::common::driving::*;
use crate::common::recipe_files::{home, text, wizard};
use eca_wizard::recipe::{self, ApplyUser, StepKind};
use eca_wizard::salesforce::settings::SettingKey;
use eca_wizard::salesforce::setup_pages::SetupPage;
use eca_wizard::wizard::{Model, ScreenKind};

const MULESOFT: &str = include_str!("../data/guides/mulesoft-jwt.toml");

fn problems(file: &str) -> Vec<String> {
    recipe::lint::lint("bad.toml", file)
        .into_iter()
        .map(|p| format!("{}: {}", p.line, p.message))
        .collect()
}

#[test]
fn a_certificate_step_loads_with_its_page_label_and_button_and_apply_leaves_it() {
    let recipe = recipe::parse("mulesoft-jwt.toml", MULESOFT).unwrap();
    let (index, step) = recipe
        .steps
        .iter()
        .enumerate()
        .find(|(_, s)| s.kind == StepKind::Certificate)
        .unwrap();
    assert_eq!(step.page, Some(SetupPage::CertificateKeyManagement));
    assert_eq!(
        SetupPage::CertificateKeyManagement.url("https://acme.lightning.force.com/"),
        "https://acme.lightning.force.com/lightning/setup/CertificatesAndKeysManagement/home"
    );
    assert_eq!(step.finish.as_deref(), Some("Save"));
    assert!(
        step.settings
            .iter()
            .any(|s| s.key == SettingKey::CertificateExport)
    );
    // The certificate comes before the app that uploads it.
    let basic = recipe
        .steps
        .iter()
        .position(|s| s.kind == StepKind::BasicInfo);
    assert!(basic.is_some_and(|b| b > index));
    for user in [ApplyUser::Unknown, ApplyUser::Existing, ApplyUser::Creates] {
        assert!(
            !recipe.done_by_apply(index, user, true),
            "apply makes no certificate"
        );
    }
}

#[test]
fn a_certificate_step_or_a_finish_that_does_not_fit_is_named_with_its_line() {
    // In a recipe whose flow isn't JWT bearer.
    let web = MULESOFT.replacen("flow = \"jwt-bearer\"", "flow = \"auth-code\"", 1);
    let said = problems(&web).join("\n");
    assert!(
        said.contains(
            "a certificate step is for the JWT bearer flow, and this recipe's flow is auth-code"
        ),
        "{said}"
    );
    // Without the certificate's label.
    let unnamed = MULESOFT.replacen(
        "key = \"certificate-label\"\nfrom_field = \"certificate_label\"\n",
        "key = \"api-name\"\nfrom_field = \"certificate_label\"\n",
        1,
    );
    let said = problems(&unnamed).join("\n");
    assert!(
        said.contains("a certificate step names the certificate"),
        "{said}"
    );
    // A certificate setting on another step.
    let elsewhere = MULESOFT.replacen(
        "key = \"enable-jwt-bearer\"\nvalue = true",
        "key = \"enable-jwt-bearer\"\nvalue = true\n\n[[steps.settings]]\nkey = \"certificate-export\"\nvalue = \"Download Certificate\"",
        1,
    );
    let said = problems(&elsewhere).join("\n");
    assert!(
        said.contains("setting 'certificate-export' belongs on a certificate step"),
        "{said}"
    );
    // A finish that is a sentence, and both keys in a format 1 file.
    let long = MULESOFT.replacen(
        "finish = \"Save\"",
        "finish = \"Save, then wait for the certificate to appear in the list\"",
        1,
    );
    let line = long[..long.find("finish = \"Save, then").unwrap()]
        .matches('\n')
        .count()
        + 1;
    assert!(
        problems(&long)
            .iter()
            .any(|p| p.starts_with(&format!("{line}: ")) && p.contains("finish names the button")),
        "{:#?}",
        problems(&long)
    );
    let old = MULESOFT.replacen("format = 2\n", "", 1);
    let said = problems(&old).join("\n");
    assert!(said.contains("`finish` and the certificate"), "{said}");
}

#[test]
fn recipes_id_prints_the_button_that_ends_each_step() {
    let home = home("setup-certificate");
    std::fs::write(home.join("recipes/mulesoft-jwt.toml"), MULESOFT).unwrap();
    let output = wizard(&home, &["recipes", "mulesoft-jwt"]);
    let said = text(&output);
    assert!(output.status.success(), "{said}");
    assert!(said.contains("Make the certificate in Setup"), "{said}");
    assert!(said.contains("Then:  click Save"), "{said}");
    assert!(said.contains("Then:  click Create"), "{said}");
    // Export to Keystore hands over every key of the org: said where it is set.
    assert!(
        said.contains("How the certificate leaves Setup: Export to Keystore"),
        "{said}"
    );
    assert!(
        said.contains("holds every certificate and private key of the org"),
        "{said}"
    );
    // Every credentials step says what Setup asks before it shows the key.
    assert!(
        said.contains("Setup: Setup emails you a code first (Verify Your Identity)"),
        "{said}"
    );
    // The button comes after what it saves; --json carries it too.
    let certificate = &said[said.find("Make the certificate in Setup").unwrap()..];
    let button = certificate.find("Then:  click Save").unwrap();
    assert!(certificate.find("> you enter: Certificate label").unwrap() < button);
    let json = wizard(&home, &["recipes", "mulesoft-jwt", "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let steps = value["result"]["steps"].as_array().unwrap();
    assert!(
        steps
            .iter()
            .any(|s| s["kind"] == "certificate" && s["finish"] == "Save")
    );
}

#[test]
fn the_step_screen_says_which_button_ends_the_step() {
    let recipe = recipe::parse("mulesoft-jwt.toml", MULESOFT).unwrap();
    let mut model = Model::new(
        Box::leak(vec![recipe].into_boxed_slice()),
        Vec::new(),
        1_000,
    );
    resize(&mut model, 100, 40);
    choose(&mut model, "mulesoft-jwt");
    set_org(&mut model, "https://acme.my.salesforce.com");
    while model.kind() != ScreenKind::Step(2) {
        complete_step(&mut model);
    }
    let screen = draw(&model, 100, 40);
    assert!(screen.contains("Make the certificate in Setup"), "{screen}");
    assert!(screen.contains("Then click Save"), "{screen}");
    assert!(
        screen.contains("holds every certificate and private key"),
        "{screen}"
    );
}

const TRUSTLE: &str = include_str!("../data/guides/trustle-client-credentials.toml");
const JITTERBIT: &str = include_str!("../data/guides/jitterbit-studio-client-credentials.toml");

#[test]
fn a_vendor_steps_button_and_a_vendor_prerequisite_are_shown_and_checked() {
    let home = home("vendor-finish");
    std::fs::write(
        home.join("recipes/trustle-client-credentials.toml"),
        TRUSTLE,
    )
    .unwrap();
    std::fs::write(
        home.join("recipes/jitterbit-studio-client-credentials.toml"),
        JITTERBIT,
    )
    .unwrap();
    let said = text(&wizard(&home, &["recipes", "trustle-client-credentials"]));
    assert!(said.contains("Then:  click Save Connection"), "{said}");
    let said = text(&wizard(
        &home,
        &["recipes", "jitterbit-studio-client-credentials"],
    ));
    assert!(
        said.contains("Jitterbit agent 11.59 or 12.3 or later"),
        "{said}"
    );
    assert!(
        said.contains("Jitterbit Management Console > Agents"),
        "{said}"
    );
    // A vendor prerequisite says how it is checked; a vendor step's finish is a button.
    let no_how = JITTERBIT.replacen(
        "how = \"Jitterbit Management Console > Agents: the agent version\"\n",
        "",
        1,
    );
    let said = problems(&no_how).join("\n");
    assert!(
        said.contains("prerequisite 'Jitterbit agent 11.59 or 12.3 or later' needs `how`"),
        "{said}"
    );
    let sentence = TRUSTLE.replacen("finish = \"Save Connection\"", "finish = \"\"", 1);
    let said = problems(&sentence).join("\n");
    assert!(
        said.contains("'Connect Salesforce': finish names the button"),
        "{said}"
    );
}
