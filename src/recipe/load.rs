//! The recipes: the built-in ones, compiled into the binary, and the admin's own files (the
//! `recipes` folder in the data folder, and one `--recipe-file`), parsed and checked once.

use std::path::{Path, PathBuf};
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
    "mcp-claude.toml",
    "mcp-claude-code.toml",
    "mcp-cursor.toml",
    "mcp-chatgpt.toml",
    "mcp-postman.toml",
    "mcp-any-client.toml",
    "sf-cli-ci.toml",
    "custom.toml",
];

/// Parses and checks one recipe. `file` names it in error messages.
pub fn parse(file: &str, text: &str) -> Result<Recipe, RecipeError> {
    let recipe: Recipe = toml::from_str(text).map_err(|e| {
        // An unknown key or value gets the line and the nearest valid one, as `recipes check`
        // reports it; anything else keeps the TOML reader's words.
        match crate::recipe::lint::scan_first(text) {
            Some(problem) => {
                RecipeError::new(file, format!("line {}: {}", problem.line, problem.message))
            }
            None => RecipeError::new(file, e.message().to_string()),
        }
    })?;
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

/// A recipe as a file: the built-in one's text, or a local recipe's file as read.
pub fn file_text(recipe: &Recipe) -> anyhow::Result<String> {
    if let Some(path) = &recipe.origin {
        return Ok(std::fs::read_to_string(path)?);
    }
    let index = builtin()?
        .iter()
        .position(|r| r.id == recipe.id)
        .ok_or_else(|| anyhow::anyhow!("no built-in recipe '{}'", recipe.id))?;
    Ok(BUILTIN_FILES[index].1.to_string())
}

/// The file `--recipe-file` named, set once before any recipe is looked up.
static EXTRA_FILE: OnceLock<PathBuf> = OnceLock::new();

/// Adds one recipe file to the known recipes (the `--recipe-file` flag). Call it before the
/// first `known()`; returns the file's recipe id.
pub fn use_file(path: &Path) -> Result<String, RecipeError> {
    let recipe = parse_file(path)?;
    let _ = EXTRA_FILE.set(path.to_path_buf());
    Ok(recipe.id)
}

/// The folder whose `*.toml` files are the admin's own recipes.
pub fn local_dir() -> Option<PathBuf> {
    crate::files::data_home()
        .ok()
        .map(|home| home.join("recipes"))
}

fn parse_file(path: &Path) -> Result<Recipe, RecipeError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| RecipeError::new(&name, format!("can't read it: {e}")))?;
    let mut recipe = parse(&name, &text)?;
    recipe.origin = Some(name);
    Ok(recipe)
}

/// Local recipe files, in name order; a missing folder is no recipes.
pub fn load_dir(dir: &Path) -> Result<Vec<Recipe>, RecipeError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files.iter().map(|p| parse_file(p)).collect()
}

/// Every recipe: built-in first, then the local folder's, then `--recipe-file`'s. A local id
/// that a built-in or another file already has is refused, never shadowed silently.
pub fn known() -> Result<&'static [Recipe], RecipeError> {
    static RECIPES: OnceLock<Result<Vec<Recipe>, RecipeError>> = OnceLock::new();
    let loaded = RECIPES.get_or_init(|| {
        let mut recipes = builtin()?.to_vec();
        if let Some(dir) = local_dir() {
            recipes.extend(load_dir(&dir)?);
        }
        if let Some(path) = EXTRA_FILE.get() {
            let extra = parse_file(path)?;
            // The same file in the folder and on the command line is one recipe.
            if !recipes
                .iter()
                .any(|r| r.id == extra.id && r.origin == extra.origin)
            {
                recipes.push(extra);
            }
        }
        check_local_ids(&recipes)?;
        Ok(recipes)
    });
    loaded.as_ref().map(Vec::as_slice).map_err(Clone::clone)
}

fn check_local_ids(recipes: &[Recipe]) -> Result<(), RecipeError> {
    for (i, recipe) in recipes.iter().enumerate() {
        if let Some(first) = recipes[..i].iter().find(|r| r.id == recipe.id) {
            let file = recipe.origin.as_deref().unwrap_or(&recipe.id);
            let other = first.origin.as_deref().unwrap_or("a built-in recipe");
            return Err(RecipeError::new(
                file,
                format!(
                    "id '{}' is already taken by {other}; give this recipe another id",
                    recipe.id
                ),
            ));
        }
    }
    Ok(())
}

/// The recipe with this id among the known ones, or an error listing the ids there are.
pub fn by_id(id: &str) -> anyhow::Result<&'static Recipe> {
    let recipes = known()?;
    recipes.iter().find(|r| r.id == id).ok_or_else(|| {
        let ids: Vec<&str> = recipes.iter().map(|r| r.id.as_str()).collect();
        anyhow::anyhow!("No recipe '{id}'. Recipes: {}", ids.join(", "))
    })
}

/// The built-in recipe with this id, or an error listing the ids there are.
pub fn builtin_by_id(id: &str) -> anyhow::Result<&'static Recipe> {
    let recipes = builtin()?;
    recipes.iter().find(|r| r.id == id).ok_or_else(|| {
        let ids: Vec<&str> = recipes.iter().map(|r| r.id.as_str()).collect();
        anyhow::anyhow!("No recipe '{id}'. Recipes: {}", ids.join(", "))
    })
}
