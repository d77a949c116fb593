//! The part of apply's plan that matters most to whoever approves a deploy: the settings that
//! decide who can get a token and how (read back from the files deployed), and, for a recipe
//! file someone shared, a question before callbacks that send sign-ins elsewhere are deployed.

use std::io::{self, Write};

use crate::cli::ApplyArgs;
use crate::commands::UsageError;
use crate::metadata::{self, File};
use crate::recipe::{Recipe, trust};
use crate::terminal_safe::terminal_safe;

use super::run::Ask;

/// Callbacks, scopes, flows, PKCE, the secrets required, permitted users, IP relaxation.
pub fn write_security(out: &mut (dyn Write + Send), files: &[File]) -> io::Result<()> {
    writeln!(out, "Security settings the deploy sets:")?;
    for line in metadata::summary::security(files) {
        writeln!(out, "  {}: {}", line.label, terminal_safe(&line.value))?;
    }
    Ok(())
}

/// A local recipe's callbacks outside this machine and its guide's domain are listed and
/// confirmed before a deploy (`--allow-callbacks` answers yes); a dry run only says so.
/// Callbacks the admin gave (`--callback-url`, a saved profile) aren't asked about again.
pub fn confirm_callbacks(
    recipe: &Recipe,
    files: &[File],
    given: &[String],
    args: &ApplyArgs,
    ask: &mut Ask<'_>,
    out: &mut (dyn Write + Send),
) -> anyhow::Result<()> {
    let from_recipe: Vec<String> = metadata::summary::callbacks(files)
        .into_iter()
        .filter(|url| !given.contains(url))
        .collect();
    let doubtful = trust::callbacks_to_confirm(recipe, &from_recipe);
    if doubtful.is_empty() {
        return Ok(());
    }
    let domain = trust::vendor_domain(recipe).unwrap_or("(none: its source is no URL)");
    writeln!(
        out,
        "The recipe file {} sends sign-ins to callbacks outside this machine and its guide's domain {}:",
        terminal_safe(recipe.origin.as_deref().unwrap_or_default()),
        terminal_safe(domain)
    )?;
    for url in &doubtful {
        writeln!(out, "  {}", terminal_safe(url))?;
    }
    writeln!(
        out,
        "  Salesforce sends each authorization code there; deploy them only if you trust them."
    )?;
    if args.dry_run {
        writeln!(out, "  (apply will ask before it deploys them)")?;
        return Ok(());
    }
    if args.allow_callbacks || ask("Deploy the app with these callback URLs?")? {
        return Ok(());
    }
    Err(UsageError(
        "not deployed: the recipe's callback URLs were not confirmed (pass --callback-url with the ones you trust, or --allow-callbacks)".into(),
    )
    .into())
}
