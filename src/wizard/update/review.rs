//! The review screen, and the prompt for where its metadata project goes.

use crate::recipe::Role;
use crate::wizard::fields::FieldInput;
use crate::wizard::model::Model;
use crate::wizard::msg::{Cmd, Key};
use crate::wizard::update::{applying, connecting, scroll, setup};

pub fn review_key(model: &mut Model, key: Key) -> Vec<Cmd> {
    match key {
        Key::Enter if model.setup.as_ref().is_some_and(|s| s.by_apply) => {
            applying::review_enter(model)
        }
        // While apply runs, the review stays put.
        _ if model.apply.as_ref().is_some_and(|a| a.running) => Vec::new(),
        Key::Enter => connecting::start(model, false),
        Key::Esc => {
            let end = model.setup.as_ref().map_or(0, |s| s.recipe.steps.len());
            match setup::back_from(model, end) {
                Some(step) => setup::enter_step(model, step),
                None => model.screen = crate::wizard::Screen::Start,
            }
            Vec::new()
        }
        Key::Char('e') => {
            setup::enter_step(model, 0);
            Vec::new()
        }
        Key::Char('m') => {
            let name = model
                .setup
                .as_ref()
                .and_then(|s| s.answer_for(Role::ApiName).map(String::from))
                .or_else(|| model.recipe().map(|r| r.id.clone()))
                .unwrap_or_default();
            let home = model.metadata_home.trim_end_matches(['/', '\\']);
            let proposed = format!("{home}{}{name}-metadata", std::path::MAIN_SEPARATOR);
            model.folder = FieldInput::plain(
                "Folder",
                "created for the project; an existing non-empty folder is refused",
                None,
                &proposed,
            );
            model.dialog = Some(crate::wizard::Dialog::MetadataFolder);
            Vec::new()
        }
        key => {
            scroll(model, key);
            Vec::new()
        }
    }
}

/// The metadata prompt: enter writes the project into the folder, esc drops it.
pub fn folder_key(model: &mut Model, key: Key) -> Vec<Cmd> {
    match key {
        Key::Esc => {
            model.dialog = None;
            Vec::new()
        }
        Key::Enter => {
            let into = model.folder.value().trim().to_string();
            if into.is_empty() {
                model.folder.error = Some("Type the folder to write the project into".into());
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
        key => {
            model.folder.key(key);
            model.folder.error = None;
            Vec::new()
        }
    }
}
