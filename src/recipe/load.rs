//! The built-in recipes, compiled into the binary, parsed and checked once.

use std::sync::OnceLock;

use crate::recipe::check::{RecipeError, check_recipe, check_set};
use crate::recipe::model::Recipe;

macro_rules! recipe_files {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../assets/recipes/", $name)))),*]
    };
}

/// `(file name, contents)` of every built-in recipe, in the order they are offered.
const BUILTIN_FILES: &[(&str, &str)] = recipe_files![
    "apideck.toml",
    "aptedge.toml",
    "service-board-sync.toml",
    "postman-client-credentials.toml",
    "lightning-out.toml",
    "custom.toml",
];

/// Parses and checks one recipe. `file` names it in error messages.
pub fn parse(file: &str, text: &str) -> Result<Recipe, RecipeError> {
    let recipe: Recipe =
        toml::from_str(text).map_err(|e| RecipeError::new(file, e.message().to_string()))?;
    check_recipe(&recipe).map_err(|message| RecipeError::new(file, message))?;
    Ok(recipe)
}

/// Every built-in recipe. An error here is a bug in `assets/recipes/`, caught by the tests.
pub fn builtin() -> Result<&'static [Recipe], RecipeError> {
    static RECIPES: OnceLock<Result<Vec<Recipe>, RecipeError>> = OnceLock::new();
    let loaded = RECIPES.get_or_init(|| {
        let recipes = BUILTIN_FILES
            .iter()
            .map(|(file, text)| parse(file, text))
            .collect::<Result<Vec<_>, _>>()?;
        check_set(&recipes)?;
        Ok(recipes)
    });
    loaded.as_ref().map(Vec::as_slice).map_err(Clone::clone)
}

/// The built-in recipe with this id, or an error listing the ids there are.
pub fn builtin_by_id(id: &str) -> anyhow::Result<&'static Recipe> {
    let recipes = builtin()?;
    recipes.iter().find(|r| r.id == id).ok_or_else(|| {
        let ids: Vec<&str> = recipes.iter().map(|r| r.id.as_str()).collect();
        anyhow::anyhow!("No recipe '{id}'. Recipes: {}", ids.join(", "))
    })
}
