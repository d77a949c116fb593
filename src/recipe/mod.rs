//! Recipes: the documented setup of one integration as a checklist of steps, loaded from
//! `assets/recipes/*.toml` (compiled in) and checked before anyone sees them.

pub mod answers;
mod certificate;
mod check;
mod check_flow;
pub(crate) mod check_format2;
pub mod format2;
pub mod lint;
mod load;
mod model;
pub mod org_needs;
pub mod package;
mod reference;
mod role;
pub mod schema;
mod step_kind;
mod structure;
mod text;
pub mod trust;
pub mod validators;

pub use check::{RULES, RecipeError, Rule};
pub use check_flow::settings_for;
pub use load::{
    MAX_FILE_BYTES, builtin, builtin_by_id, by_id, file_text, known, load_dir, local_dir, parse,
    parse_all, read_capped, skipped, use_file,
};
pub use model::FORMAT;
pub use model::{
    ApplyUser, Check, Field, ObjectAccess, ObjectPermission, Recipe, Role, Setting, SettingValue,
    Step, StepKind,
};
pub use model::{CustomScope, Prerequisite, ProfileClone};
pub use validators::Validator;
