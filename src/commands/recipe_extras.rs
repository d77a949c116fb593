//! The parts of a recipe's printed checklist that format 2 adds: the choices and the Connected
//! App note, the prerequisites, profiles and custom scopes before the steps, the vendor's steps
//! after them.

use std::io::{self, Write};

use crate::commands::recipes::clean;
use crate::recipe::Recipe;

/// Choices (with the answers this checklist shows), the propagation window and the note for a
/// guide written for a Connected App.
pub fn write_before(out: &mut impl Write, recipe: &Recipe) -> io::Result<()> {
    for choice in &recipe.choices {
        let shown = recipe
            .selection
            .iter()
            .find(|(id, _)| *id == choice.id)
            .map_or(choice.default.as_str(), |(_, answer)| answer.as_str());
        writeln!(
            out,
            "Choice:  {} ({}; shown: {})",
            clean(&choice.question),
            clean(&choice.options.join(" | ")),
            clean(shown)
        )?;
    }
    // A packaged app: what to install, and where (the link a consultant hands to the customer).
    if let Some(package) = &recipe.package {
        writeln!(
            out,
            "Package: {} by {}, version {}",
            clean(&package.name),
            clean(&package.publisher),
            clean(&package.version_id)
        )?;
        if let Some(id) = package.id() {
            writeln!(
                out,
                "Install: {}",
                crate::salesforce::packaging::install_url(
                    "https://YOUR-DOMAIN.my.salesforce.com",
                    &id
                )
            )?;
        }
    }
    if let Some(minutes) = recipe.propagation_minutes {
        writeln!(
            out,
            "Wait:    the vendor says a new app can take {minutes} minutes to work"
        )?;
    }
    for needed in &recipe.prerequisites {
        writeln!(
            out,
            "Needs:   {} {} ({}); check: {}",
            needed.kind.id(),
            clean(&needed.shown_name()),
            clean(&needed.why),
            clean(&needed.how_to_check())
        )?;
    }
    for profile in &recipe.profiles {
        writeln!(
            out,
            "Profile: clone '{}' as '{}' in Setup > Users > Profiles{}",
            clean(&profile.clone),
            clean(&profile.name),
            if profile.permissions.is_empty() {
                String::new()
            } else {
                format!("; then check {}", clean(&profile.permissions.join(", ")))
            }
        )?;
    }
    for scope in &recipe.custom_scopes {
        writeln!(
            out,
            "Scope:   custom scope {} ({}): Setup > OAuth Custom Scopes, then on the app; requested at connect",
            clean(&scope.name),
            clean(&scope.description)
        )?;
    }
    if recipe.written_for.as_deref() == Some("connected-app") {
        writeln!(
            out,
            "Note:    the guide was written for a Connected App; the steps below are the External Client App equivalent."
        )?;
        for note in &recipe.connected_app {
            writeln!(
                out,
                "         {} = {}: {}",
                clean(&note.label),
                clean(&note.value),
                clean(&note.eca)
            )?;
        }
    }
    Ok(())
}

/// The vendor's steps, each field with its value or where the value comes from.
pub fn write_after(out: &mut impl Write, recipe: &Recipe) -> io::Result<()> {
    for step in &recipe.vendor_steps {
        writeln!(
            out,
            "\nIn {}: {}",
            clean(&recipe.vendor),
            clean(&step.title)
        )?;
        writeln!(out, "    Where: {}", clean(&step.place.join(" > ")))?;
        writeln!(out, "    Do:    {}", clean(&step.what))?;
        for field in &step.fields {
            let value = match (&field.value, &field.from) {
                (Some(value), _) => clean(value),
                (None, Some(from)) => format!("<{}>", clean(from)),
                (None, None) => String::new(),
            };
            writeln!(out, "    - {}: {value}", clean(&field.label))?;
        }
        crate::commands::recipes::write_finish(out, step.finish.as_deref())?;
    }
    Ok(())
}
