//! What a recipe changes, shown before it changes it: apply's plan lists the settings that
//! decide who can get a token and how, for every recipe, as the files it deploys set them; a
//! recipe file someone shared that would send sign-ins outside this machine and its guide's
//! domain is asked about before the deploy.

use crate::common::recipe_files::{home, text};
use crate::common::*;
use eca_wizard::emulator::org::{DEMO_INTEGRATION_USER, DEMO_JWT_CERTIFICATE};
use eca_wizard::metadata::summary::security;
use eca_wizard::metadata::{Options, PolicyNames, generate};
use eca_wizard::recipe;
use eca_wizard::salesforce::settings::SettingKey;

fn options() -> Options {
    Options {
        run_as: Some("integration@acme.example".into()),
        contact_email: Some("admin@acme.example".into()),
        callback_urls: vec!["https://app.example.com/callback".into()],
        certificate: Some(DEMO_JWT_CERTIFICATE.into()),
        policy_names: PolicyNames::Setup,
        ..Options::default()
    }
}

#[test]
fn every_recipes_plan_names_its_security_settings_as_deployed() {
    for recipe in recipe::builtin().unwrap() {
        let jwt = recipe.flow == eca_wizard::salesforce::Flow::JwtBearer;
        let options = Options {
            certificate: jwt.then(|| DEMO_JWT_CERTIFICATE.into()),
            ..options()
        };
        let files = generate(recipe, &options).unwrap();
        let lines = security(&files);
        let value = |key: SettingKey| {
            lines
                .iter()
                .find(|l| l.key == key)
                .map(|l| l.value.clone())
                .unwrap_or_else(|| panic!("{}: no {key:?} in {lines:#?}", recipe.id))
        };
        assert_eq!(
            value(SettingKey::CallbackUrl),
            "https://app.example.com/callback",
            "{}",
            recipe.id
        );
        let scopes = value(SettingKey::OauthScopes);
        assert!(!scopes.is_empty() && scopes != "not set", "{}", recipe.id);
        let pkce = recipe.is_checked(SettingKey::RequirePkce);
        assert!(
            value(SettingKey::RequirePkce).starts_with(if pkce { "on" } else { "off" }),
            "{}",
            recipe.id
        );
        let secret = recipe.is_checked(SettingKey::RequireSecretWebServer);
        assert!(
            value(SettingKey::RequireSecretWebServer).starts_with(if secret {
                "on"
            } else {
                "off"
            }),
            "{}: {}",
            recipe.id,
            value(SettingKey::RequireSecretWebServer)
        );
        let permitted = value(SettingKey::PermittedUsers);
        assert!(permitted.contains("users"), "{}: {permitted}", recipe.id);
        let ip = value(SettingKey::IpRelaxation);
        assert!(ip.contains("IP"), "{}: {ip}", recipe.id);
        assert_eq!(
            value(SettingKey::EnableJwtBearer),
            if jwt { "on" } else { "off" },
            "{}",
            recipe.id
        );
    }
}

/// A consultant's client-credentials recipe whose guide is vendor.example.com's, with `callback`.
fn shared_recipe(callback: &str) -> String {
    include_str!("../../assets/recipes/service-board-sync.toml")
        .replace("id = \"service-board-sync\"", "id = \"shared-sync\"")
        .replacen("title = \"", "title = \"Shared ", 1)
        .replace(
            "source = \"https://support.ptc.com/help/servicemaxcore/en/articles/service_board/sb-creating-external-client-app.html\"",
            "source = \"https://docs.vendorsync.com/salesforce-setup\"",
        )
        .replace(
            "callback_urls = [\"https://<your_tenant_domain>/oauth\"]",
            &format!("callback_urls = [\"{callback}\"]"),
        )
}

const SHARED: &[&str] = &[
    "apply",
    "--recipe",
    "shared-sync",
    "--target-org",
    "acme",
    "--name",
    "Shared_Sync",
    "--run-as",
    DEMO_INTEGRATION_USER,
];

fn deployed(emulator: &eca_wizard::emulator::Emulator) -> bool {
    emulator
        .org()
        .apps
        .iter()
        .any(|a| a.api_name == "Shared_Sync")
}

#[tokio::test]
async fn a_shared_recipes_foreign_callback_is_shown_and_asked_about_before_the_deploy() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let dir = sf_dir("current");
    let home = home("apply-callbacks");
    std::fs::write(
        home.join("recipes/shared.toml"),
        shared_recipe("https://collector.elsewhere.example/cb"),
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let mut args = SHARED.to_vec();
        args.extend_from_slice(extra);
        run_with_sf(&dir, &emulator, &token, "current", Some(&home), &args)
    };

    // The dry run shows the plan: the security settings and the callback it would ask about.
    let dry = run(&["--dry-run"]);
    let said = text(&dry);
    assert_eq!(dry.status.code(), Some(0), "{said}");
    for line in [
        "Security settings the deploy sets:",
        "Callback URL: https://collector.elsewhere.example/cb",
        "Enable Client Credentials Flow: on",
        "Enable Client Credentials Flow (Policies): on",
        "Require secret for Web Server Flow: on",
        "Permitted Users: All users can self-authorize",
        "Require Proof Key for Code Exchange (PKCE) extension for Supported Authorization Flows: off",
        "IP Relaxation: Relax IP restrictions",
        "outside this machine and its guide's domain vendorsync.com",
        "(apply will ask before it deploys them)",
    ] {
        assert!(said.contains(line), "{line}: {said}");
    }
    assert!(!deployed(&emulator));

    // No terminal to ask on is a no: nothing deployed.
    let refused = run(&[]);
    let said = text(&refused);
    assert_eq!(refused.status.code(), Some(2), "{said}");
    assert!(said.contains("not deployed"), "{said}");
    assert!(!deployed(&emulator), "{said}");

    // Said yes to ahead of time: deployed.
    let allowed = run(&["--allow-callbacks"]);
    assert!(deployed(&emulator), "{}", text(&allowed));
    let _ = std::fs::remove_dir_all(&home);
}

#[tokio::test]
async fn a_callback_on_the_guides_own_domain_or_one_the_admin_typed_is_not_asked_about() {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let dir = sf_dir("current");
    let home = home("apply-vendor-callback");
    std::fs::write(
        home.join("recipes/shared.toml"),
        shared_recipe("https://app.vendorsync.com/oauth/callback"),
    )
    .unwrap();
    let mut args = SHARED.to_vec();
    args.push("--dry-run");
    let dry = run_with_sf(&dir, &emulator, &token, "current", Some(&home), &args);
    let said = text(&dry);
    assert_eq!(dry.status.code(), Some(0), "{said}");
    assert!(
        said.contains("Callback URL: https://app.vendorsync.com/oauth/callback"),
        "{said}"
    );
    assert!(!said.contains("will ask"), "{said}");

    std::fs::write(
        home.join("recipes/shared.toml"),
        shared_recipe("https://collector.elsewhere.example/cb"),
    )
    .unwrap();
    let mut args = SHARED.to_vec();
    args.extend_from_slice(&["--callback-url", "https://mine.example.org/cb"]);
    let output = run_with_sf(&dir, &emulator, &token, "current", Some(&home), &args);
    let said = text(&output);
    assert!(!said.contains("outside this machine"), "{said}");
    assert!(deployed(&emulator), "{said}");
    let _ = std::fs::remove_dir_all(&home);
}
