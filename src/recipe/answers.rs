//! The admin's answers to a recipe's choices: from the wizard's first step, a saved setup, or
//! `--choice ID=OPTION` on the command line; and the recipe those answers make.

use crate::recipe::format2::Selection;
use crate::recipe::model::Recipe;
use crate::recipe::structure::nearest;

/// The recipe as `answers` make it. `loaded` is the recipe as loaded (its defaults, holding the
/// other combinations); a choice not answered keeps its default, and an answer to no choice or
/// with no such option is ignored (`parse` refuses them on the command line).
pub fn variant<'a>(loaded: &'a Recipe, answers: &[(String, String)]) -> &'a Recipe {
    let wanted = complete(loaded, answers);
    std::iter::once(loaded)
        .chain(loaded.variants.iter())
        .find(|r| r.selection == wanted)
        .unwrap_or(loaded)
}

/// One answer per choice, in the recipe's order: the given one when it is an option, else the
/// default.
pub fn complete(recipe: &Recipe, answers: &[(String, String)]) -> Selection {
    recipe
        .choices
        .iter()
        .map(|choice| {
            let given = answers
                .iter()
                .rev()
                .find(|(id, _)| *id == choice.id)
                .map(|(_, option)| option)
                .filter(|option| choice.options.contains(option));
            (choice.id.clone(), given.unwrap_or(&choice.default).clone())
        })
        .collect()
}

/// `--choice ID=OPTION` arguments as answers; an unknown id or option is refused with what
/// there is and the nearest one.
pub fn parse(recipe: &Recipe, args: &[String]) -> Result<Selection, String> {
    let mut answers = Vec::new();
    for arg in args {
        let Some((id, option)) = arg.split_once('=') else {
            return Err(format!("--choice {arg}: write it as ID=OPTION"));
        };
        let (id, option) = (id.trim(), option.trim());
        let ids: Vec<&str> = recipe.choices.iter().map(|c| c.id.as_str()).collect();
        if ids.is_empty() {
            return Err(format!(
                "--choice {arg}: recipe '{}' asks no questions; leave --choice out",
                recipe.id
            ));
        }
        let Some(choice) = recipe.choices.iter().find(|c| c.id == id) else {
            return Err(format!(
                "--choice {arg}: recipe '{}' has no choice '{id}'{}; its choices: {}",
                recipe.id,
                hint(id, &ids),
                ids.join(", ")
            ));
        };
        let options: Vec<&str> = choice.options.iter().map(String::as_str).collect();
        if !options.contains(&option) {
            return Err(format!(
                "--choice {arg}: '{id}' has no option '{option}'{}; its options: {}",
                hint(option, &options),
                options.join(", ")
            ));
        }
        if answers.iter().any(|(given, _)| given == id) {
            return Err(format!(
                "--choice {arg}: '{id}' is answered twice; give it once"
            ));
        }
        answers.push((id.to_string(), option.to_string()));
    }
    Ok(complete(recipe, &answers))
}

fn hint(word: &str, candidates: &[&str]) -> String {
    nearest(word, candidates).map_or(String::new(), |n| format!(" (did you mean '{n}'?)"))
}
