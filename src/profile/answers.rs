//! The answers a profile was connected with, and the recipe they make: every command that works
//! on a saved profile (status, token, export, rotate, drift, apply) checks the app that was
//! made, not the recipe's default combination.

use std::path::Path;

use crate::profile::{Profile, ProfileError};
use crate::recipe::Recipe;

/// The profile's recipe as its answers make it; `loaded` is the recipe with its id as loaded.
/// An answer the recipe doesn't offer (the file was edited, or the recipe changed since) is
/// refused with what to fix: a default in its place would check another app than the one
/// connected. A profile saved without answers (format 1 and 2) answers the `flow` choice with
/// its own flow, which it always kept.
pub fn variant(
    dir: &Path,
    profile: &Profile,
    loaded: &'static Recipe,
) -> Result<&'static Recipe, ProfileError> {
    let refuse = |why: String| ProfileError::Answers {
        name: profile.name.clone(),
        path: super::store::path(dir, &profile.name),
        why,
    };
    let mut answers: Vec<(String, String)> = Vec::new();
    for (id, option) in &profile.choices {
        answers.push((id.clone(), checked(loaded, id, option).map_err(&refuse)?));
    }
    if let Some(choice) = loaded.choices.iter().find(|c| c.id == "flow") {
        let own = profile.flow.id();
        match answers.iter().find(|(id, _)| id == "flow") {
            Some((_, answer)) if answer != own => {
                return Err(refuse(format!(
                    "its answer flow = \"{answer}\" contradicts its own flow {own}"
                )));
            }
            Some(_) => {}
            None if choice.options.iter().any(|o| o == own) => {
                answers.push(("flow".into(), own.to_string()));
            }
            None => {
                return Err(refuse(format!(
                    "its flow {own} is not among recipe '{}''s flows ({})",
                    loaded.id,
                    choice.options.join(", ")
                )));
            }
        }
    }
    Ok(crate::recipe::answers::variant(loaded, &answers))
}

/// `option` when `loaded` has the choice `id` with that option; else why not, with what there is.
fn checked(loaded: &Recipe, id: &str, option: &str) -> Result<String, String> {
    let Some(choice) = loaded.choices.iter().find(|c| c.id == id) else {
        let there: Vec<&str> = loaded.choices.iter().map(|c| c.id.as_str()).collect();
        return Err(if there.is_empty() {
            format!(
                "it answers choice '{id}', and recipe '{}' has no choices now",
                loaded.id
            )
        } else {
            format!(
                "it answers choice '{id}', which recipe '{}' doesn't ask (its choices: {})",
                loaded.id,
                there.join(", ")
            )
        });
    };
    if !choice.options.iter().any(|o| o == option) {
        return Err(format!(
            "its answer {id} = \"{option}\" is not an option of recipe '{}' (its options: {})",
            loaded.id,
            choice.options.join(", ")
        ));
    }
    Ok(option.to_string())
}
