//! The review screen, and the prompt for where its metadata project goes.

use crate::recipe::Role;
use crate::wizard::fields::FieldInput;
use crate::wizard::keys::Action;
use crate::wizard::model::{Dialog, Model};
use crate::wizard::msg::Cmd;
use crate::wizard::screen::Screen;
use crate::wizard::update::{applying, connecting, setup, show};

pub fn act(model: &mut Model, action: Action) -> Vec<Cmd> {
    match action {
        Action::Apply => applying::review_enter(model),
        Action::Connect => connecting::start(model, false),
        Action::Back => {
            let end = model.setup.as_ref().map_or(0, |s| s.recipe.steps.len());
            match setup::back_from(model, end) {
                Some(step) => setup::enter_step(model, step),
                None => show(model, Screen::Start),
            }
            Vec::new()
        }
        Action::EditAnswers => {
            setup::enter_step(model, 0);
            Vec::new()
        }
        Action::AskMetadataFolder => {
            let name = model
                .setup
                .as_ref()
                .and_then(|s| s.answer_for(Role::ApiName).map(String::from))
                .or_else(|| model.recipe().map(|r| r.id.clone()))
                .unwrap_or_default();
            let home = model
                .environment
                .metadata_home
                .trim_end_matches(['/', '\\']);
            let proposed = format!("{home}{}{name}-metadata", std::path::MAIN_SEPARATOR);
            let folder = FieldInput::plain(
                "Folder",
                "created for the project; an existing non-empty folder is refused",
                None,
                &proposed,
            );
            model.dialog = Some(Dialog::MetadataFolder(folder));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Enter in the metadata prompt: the project is written into the folder.
pub fn write_metadata(model: &mut Model) -> Vec<Cmd> {
    let Some(Dialog::MetadataFolder(folder)) = &mut model.dialog else {
        return Vec::new();
    };
    let into = folder.value().trim().to_string();
    if into.is_empty() {
        folder.error = Some("Type the folder to write the project into".into());
        return Vec::new();
    }
    model.dialog = None;
    match model.setup.as_ref() {
        Some(setup) => vec![Cmd::WriteMetadata {
            saved: setup.saved(0),
            into,
        }],
        None => Vec::new(),
    }
}
