//! Fields are found by role, never by id: a recipe that names its fields its own way works, and
//! one without a field its flow needs is refused at load, naming the role.

use crate::common::driving::*;
use eca_wizard::recipe::{self, Recipe};
use eca_wizard::secret::Secret;
use eca_wizard::wizard::{Cmd, Key, Model, ScreenKind};

const APIDECK: &str = include_str!("../../assets/recipes/apideck.toml");

/// Apideck's recipe with every field id renamed (settings follow their fields).
fn renamed() -> String {
    let mut text = APIDECK.replace("id = \"apideck\"", "id = \"renamed\"");
    for (old, new) in [
        ("consumer_key", "client_id"),
        ("consumer_secret", "client_secret"),
        ("integration_username", "run_user"),
        ("callback_urls", "redirects"),
        ("api_name", "dev_name"),
        ("app_name", "label"),
        ("contact_email", "mail"),
        ("login_url", "endpoint"),
    ] {
        text = text.replace(&format!("\"{old}\""), &format!("\"{new}\""));
    }
    text
}

#[test]
fn a_recipe_with_its_own_field_ids_connects() {
    let recipe = recipe::parse("renamed.toml", &renamed()).unwrap();
    assert!(recipe.field("consumer_key").is_none());
    let recipes: &'static [Recipe] = Box::leak(vec![recipe].into_boxed_slice());
    let mut m = Model::new(recipes, Vec::new(), 1_000);
    press(&mut m, Key::Enter);
    set_org(&mut m, "https://acme.my.salesforce.com");
    for _ in 0..40 {
        let ScreenKind::Step(_) = m.kind() else { break };
        for i in 0..m.fields().inputs.len() {
            let value = match m.fields().inputs[i].field_id.as_deref() {
                Some("client_id") => "3MVG9RenamedKey000000000",
                Some("client_secret") => SECRET,
                Some("run_user") => "integration@acme.example",
                _ => continue,
            };
            m.fields_mut().focus = i;
            clear_field(&mut m);
            type_text(&mut m, value);
        }
        complete_step(&mut m);
        fix_invalid_fields(&mut m);
    }
    assert_eq!(
        m.kind(),
        ScreenKind::Review,
        "{:?}",
        m.fields()
            .inputs
            .iter()
            .map(|i| &i.error)
            .collect::<Vec<_>>()
    );
    let cmds = press(&mut m, Key::Enter);
    let Some(Cmd::Connect(spec)) = cmds.first() else {
        panic!("{cmds:?}: the wizard didn't find the key by its role")
    };
    assert_eq!(spec.client_id, "3MVG9RenamedKey000000000");
    assert_eq!(spec.client_secret, Some(Secret::new(SECRET)));
    assert_eq!(
        spec.expected_username.as_deref(),
        Some("integration@acme.example")
    );
    assert!(spec.app_callback_urls.iter().any(|u| u.contains("apideck")));
    assert!(spec.api_name.is_some() && spec.app_name.is_some());
}

#[test]
fn a_recipe_missing_a_role_its_flow_needs_is_refused_naming_it() {
    let text = APIDECK.replace("role = \"consumer-key\"\n", "");
    let error = recipe::parse("no-key.toml", &text).unwrap_err().to_string();
    assert!(error.contains("role = \"consumer-key\""), "{error}");
    let twice = APIDECK.replace("role = \"contact-email\"", "role = \"consumer-key\"");
    let error = recipe::parse("twice.toml", &twice).unwrap_err().to_string();
    assert!(error.contains("consumer-key"), "{error}");
}
