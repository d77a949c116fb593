//! The part of apply's plan that matters most to whoever approves a deploy: for a recipe file
//! someone shared, a question before callbacks that send sign-ins elsewhere are deployed. (The
//! security settings themselves are told as `ApplyEvent::Security`, read back from the files.)

use crate::apply::event::{ApplyEvent, Tell};
use crate::apply::request::ApplyRequest;
use crate::commands::UsageError;
use crate::metadata::{self, File};
use crate::recipe::{Recipe, trust};

use super::run::Ask;

/// A local recipe's callbacks outside this machine and its guide's domain are listed and
/// confirmed before a deploy (`--allow-callbacks` answers yes); a dry run only says so.
/// Callbacks the admin gave (`--callback-url`, a saved profile) aren't asked about again.
pub fn confirm_callbacks(
    recipe: &Recipe,
    files: &[File],
    given: &[String],
    args: &ApplyRequest,
    ask: &mut Ask<'_>,
    tell: &mut Tell<'_>,
) -> anyhow::Result<()> {
    let from_recipe: Vec<String> = metadata::summary::callbacks(files)
        .into_iter()
        .filter(|url| !given.contains(url))
        .collect();
    let doubtful = trust::callbacks_to_confirm(recipe, &from_recipe);
    if doubtful.is_empty() {
        return Ok(());
    }
    tell(ApplyEvent::DoubtfulCallbacks {
        origin: recipe.origin.clone().unwrap_or_default(),
        domain: trust::vendor_domain(recipe)
            .unwrap_or_else(|| "(none: its source is no URL)".to_string()),
        urls: doubtful,
        dry_run: args.dry_run,
    })?;
    if args.dry_run || args.allow_callbacks || ask("Deploy the app with these callback URLs?")? {
        return Ok(());
    }
    Err(UsageError(
        "not deployed: the recipe's callback URLs were not confirmed (pass --callback-url with the ones you trust, or --allow-callbacks)".into(),
    )
    .into())
}
