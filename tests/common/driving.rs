//! Driving the wizard's pure core with messages, for the state-machine and snapshot tests.

use eca_wizard::recipe;
use eca_wizard::wizard::{Cmd, Key, Model, Msg, Screen, update};

pub const SECRET: &str = "S3cr3tValueForTests0123456789";

pub fn model() -> Model {
    Model::new(recipe::builtin().unwrap(), Vec::new(), 1_000)
}

pub fn press(model: &mut Model, key: Key) -> Vec<Cmd> {
    update(model, Msg::Key(key))
}

pub fn type_text(model: &mut Model, text: &str) {
    for c in text.chars() {
        press(model, Key::Char(c));
    }
}

pub fn clear_field(model: &mut Model) {
    press(model, Key::Ctrl('u'));
    press(model, Key::Ctrl('k'));
}

/// Chooses a recipe by id on the start screen.
pub fn choose(model: &mut Model, id: &str) {
    let index = model.recipes.iter().position(|r| r.id == id).unwrap();
    for _ in 0..index {
        press(model, Key::Down);
    }
    press(model, Key::Enter);
    assert_eq!(model.screen, Screen::Org);
}

pub fn set_org(model: &mut Model, url: &str) -> Vec<Cmd> {
    clear_field(model);
    type_text(model, url);
    press(model, Key::Enter)
}

/// Fills the current step's fields that have no value and confirms it.
pub fn complete_step(model: &mut Model) -> Vec<Cmd> {
    for i in 0..model.inputs.len() {
        model.focus = i;
        if model.inputs[i].value().is_empty() {
            let value = match model.inputs[i].field_id.as_deref() {
                Some("integration_username") => "integration@acme.example",
                Some("contact_email") => "admin@acme.example",
                Some("consumer_key") => "3MVG9TestConsumerKey000000",
                Some("consumer_secret") => SECRET,
                Some("app_name") => "Acme Sync",
                Some("permission_set") => "Acme_Integration",
                _ => "value",
            };
            type_text(model, value);
        }
    }
    confirm(model)
}

/// Presses enter on a step; files the step asks the runtime to read are answered as good.
pub fn confirm(model: &mut Model) -> Vec<Cmd> {
    let mut cmds = press(model, Key::Enter);
    let reads: Vec<(String, String)> = cmds
        .iter()
        .filter_map(|c| match c {
            Cmd::InspectFile { field, path, .. } => Some((field.clone(), path.clone())),
            _ => None,
        })
        .collect();
    for (field, path) in reads {
        cmds.extend(update(
            model,
            Msg::FileInspected {
                field,
                path,
                result: Ok(None),
            },
        ));
    }
    cmds
}

pub fn walk_to_review(model: &mut Model) -> Vec<Cmd> {
    let mut all = Vec::new();
    for _ in 0..40 {
        if !matches!(model.screen, Screen::Step(_)) {
            break;
        }
        all.extend(complete_step(model));
        fix_invalid_fields(model);
    }
    assert_eq!(
        model.screen,
        Screen::Review,
        "{:?}",
        model.inputs.iter().map(|i| &i.error).collect::<Vec<_>>()
    );
    all
}

/// After `complete_step`: fields still in error (a vendor placeholder left in) get a valid
/// value of their kind, and the step is confirmed again.
#[allow(dead_code)] // not every test file uses every helper
pub fn fix_invalid_fields(model: &mut Model) {
    use eca_wizard::recipe::Validator;
    if !model.inputs.iter().any(|i| i.error.is_some()) {
        return;
    }
    for i in 0..model.inputs.len() {
        if model.inputs[i].error.is_none() {
            continue;
        }
        model.focus = i;
        clear_field(model);
        let value = match model.inputs[i].validator {
            Some(Validator::CallbackUrls) => "https://app.example.com/oauth/callback",
            Some(Validator::HttpsUrl) => "https://app.example.com",
            Some(Validator::Email) => "admin@acme.example",
            Some(Validator::Username) => "integration@acme.example",
            _ => "value",
        };
        type_text(model, value);
    }
    confirm(model);
}
