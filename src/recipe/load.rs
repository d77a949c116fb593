//! The recipes: the built-in ones, compiled into the binary, and the admin's own files (the
//! `recipes` folder in the data folder, and one `--recipe-file`), parsed and checked once.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::recipe::check::RecipeError;
use crate::recipe::format2;
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

/// Parses and checks one recipe. `file` names it in error messages: the first problem with its
/// line and column, and how many more `recipes check` would list.
/// A recipe with choices comes back as its default answers make it, holding the other
/// combinations as its `variants`.
pub fn parse(file: &str, text: &str) -> Result<Recipe, RecipeError> {
    let raw = parse_raw(file, text)?;
    let combinations = format2::combinations(&raw);
    let mut all = combinations
        .iter()
        .map(|selection| format2::resolve(&raw, selection));
    let mut recipe = all.next().unwrap_or_else(|| raw.clone());
    recipe.variants = all.collect();
    Ok(recipe)
}

/// Every combination of a recipe's answers, the defaults first (one for a recipe without
/// choices).
pub fn parse_all(file: &str, text: &str) -> Result<Vec<Recipe>, RecipeError> {
    let raw = parse_raw(file, text)?;
    Ok(format2::combinations(&raw)
        .iter()
        .map(|selection| format2::resolve(&raw, selection))
        .collect())
}

fn parse_raw(file: &str, text: &str) -> Result<Recipe, RecipeError> {
    let (problems, recipe) = crate::recipe::lint::analyse(text);
    match (problems.first(), recipe) {
        (None, Some(recipe)) => Ok(recipe),
        (Some(first), _) => {
            let more = match problems.len() - 1 {
                0 => String::new(),
                n => format!(" (and {n} more: `eca-wizard recipes check FILE` lists them all)"),
            };
            Err(RecipeError::new(
                file,
                format!(
                    "line {}, column {}: {}{more}",
                    first.line, first.column, first.message
                ),
            ))
        }
        (None, None) => Err(RecipeError::new(file, "not a recipe")),
    }
}

/// Every built-in recipe. An error here is a bug in `assets/recipes/`, caught by the tests.
pub fn builtin() -> Result<&'static [Recipe], RecipeError> {
    static RECIPES: OnceLock<Result<Vec<Recipe>, RecipeError>> = OnceLock::new();
    let loaded = RECIPES.get_or_init(|| {
        let mut recipes: Vec<Recipe> = Vec::new();
        for (file, text) in BUILTIN_FILES {
            let recipe = parse(file, text)?;
            check_not_taken(&recipe, &recipes)?;
            recipes.push(recipe);
        }
        Ok(recipes)
    });
    loaded.as_ref().map(Vec::as_slice).map_err(Clone::clone)
}

/// A recipe as a file: the built-in one's text, or a local recipe's file as read.
pub fn file_text(recipe: &Recipe) -> anyhow::Result<String> {
    if let Some(path) = &recipe.origin {
        return read_capped(Path::new(path)).map_err(|e| anyhow::anyhow!("{path}: {e}"));
    }
    let index = builtin()?
        .iter()
        .position(|r| r.id == recipe.id)
        .ok_or_else(|| anyhow::anyhow!("no built-in recipe '{}'", recipe.id))?;
    Ok(BUILTIN_FILES[index].1.to_string())
}

/// The file `--recipe-file` named, set once before any recipe is looked up.
static EXTRA_FILE: OnceLock<PathBuf> = OnceLock::new();

/// Largest recipe file read; the built-in ones are under 20 KiB, so a bigger file is a mistake
/// (or an attack on memory) and is refused after reading at most one byte more than this.
pub const MAX_FILE_BYTES: u64 = 256 * 1024;

/// Adds one recipe file to the known recipes (the `--recipe-file` flag). Call it before the
/// first `known()`; returns the file's recipe id. A file the admin names is checked as strictly
/// as the folder's, and its id or title may not be a built-in one's.
pub fn use_file(path: &Path) -> Result<String, RecipeError> {
    let recipe = parse_file(path)?;
    check_not_taken(&recipe, builtin()?)?;
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
    let text = read_capped(path).map_err(|e| RecipeError::new(&name, e))?;
    let mut recipe = parse(&name, &text)?;
    for variant in &mut recipe.variants {
        variant.origin = Some(name.clone());
    }
    recipe.origin = Some(name);
    Ok(recipe)
}

/// A recipe file's text: a regular file no other user owns or may write to, at most
/// `MAX_FILE_BYTES`, UTF-8.
pub fn read_capped(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("can't read it: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("can't read it: {e}"))?;
    crate::files::check_private_file(path, &meta, false).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("can't read it: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "the file is over {} KiB; a recipe is a few KiB of TOML",
            MAX_FILE_BYTES / 1024
        ));
    }
    String::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_string())
}

/// Local recipe files, in name order, and the files that were skipped with the reason; a
/// missing folder is no recipes. A folder another user owns or others may write to is skipped
/// whole, as the profiles folder is.
pub fn load_dir(dir: &Path) -> (Vec<Recipe>, Vec<RecipeError>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (Vec::new(), Vec::new());
    };
    let shown = dir.display().to_string();
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
    let folder = parent
        .map_or(Ok(()), crate::files::check_private_dir)
        .and_then(|()| crate::files::check_private_dir(dir));
    if let Err(e) = folder {
        return (
            Vec::new(),
            vec![RecipeError::new(
                &shown,
                format!("its recipes are not used: {e}"),
            )],
        );
    }
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut recipes = Vec::new();
    let mut skipped = Vec::new();
    for file in &files {
        match parse_file(file) {
            Ok(recipe) => recipes.push(recipe),
            Err(error) => skipped.push(error),
        }
    }
    (recipes, skipped)
}

struct Known {
    recipes: Vec<Recipe>,
    skipped: Vec<RecipeError>,
}

fn known_set() -> Result<&'static Known, RecipeError> {
    static KNOWN: OnceLock<Result<Known, RecipeError>> = OnceLock::new();
    let loaded = KNOWN.get_or_init(|| {
        let builtins = builtin()?;
        let mut recipes = builtins.to_vec();
        let mut skipped = Vec::new();
        // The file named on the command line first: it wins over a folder file with its id.
        let mut locals = Vec::new();
        if let Some(path) = EXTRA_FILE.get() {
            locals.push(parse_file(path)?);
        }
        if let Some(dir) = local_dir() {
            let (found, bad) = load_dir(&dir);
            // The same file in the folder and on the command line is one recipe.
            let named = locals.first().and_then(|r: &Recipe| r.origin.clone());
            locals.extend(found.into_iter().filter(|r| r.origin != named));
            skipped.extend(bad);
        }
        for recipe in locals {
            match check_not_taken(&recipe, &recipes) {
                Ok(()) => recipes.push(recipe),
                Err(error) => skipped.push(error),
            }
        }
        Ok(Known { recipes, skipped })
    });
    loaded.as_ref().map_err(Clone::clone)
}

/// Every recipe: built-in first, then `--recipe-file`'s, then the local folder's. A local file
/// that can't be used is left out (see `skipped`), never the reason every command fails.
pub fn known() -> Result<&'static [Recipe], RecipeError> {
    known_set().map(|k| k.recipes.as_slice())
}

/// The local recipe files `known()` left out, each with the reason: for a warning.
pub fn skipped() -> &'static [RecipeError] {
    known_set().map_or(&[], |k| k.skipped.as_slice())
}

/// A local recipe may not take an id or a title another recipe has: the admin would pick the
/// wrong one from the list, or a shared file would pass itself off as a built-in one.
fn check_not_taken(recipe: &Recipe, others: &[Recipe]) -> Result<(), RecipeError> {
    let file = recipe.origin.as_deref().unwrap_or(&recipe.id);
    let by = |other: &Recipe| {
        other
            .origin
            .clone()
            .unwrap_or_else(|| "a built-in recipe".into())
    };
    if let Some(other) = others.iter().find(|r| r.id == recipe.id) {
        return Err(RecipeError::new(
            file,
            format!(
                "id '{}' is already taken by {}; give this recipe another id",
                recipe.id,
                by(other)
            ),
        ));
    }
    let title = normalized_title(&recipe.title);
    if let Some(other) = others.iter().find(|r| normalized_title(&r.title) == title) {
        return Err(RecipeError::new(
            file,
            format!(
                "title '{}' is already {}'s; give this recipe a title of its own",
                recipe.title,
                by(other)
            ),
        ));
    }
    Ok(())
}

fn normalized_title(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
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
