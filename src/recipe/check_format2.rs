//! The loader's rules about what format 2 adds (see `format2.rs`).

use std::collections::HashSet;

use crate::recipe::check::{Findings, at, is_identifier};
use crate::recipe::format2::Level;
use crate::recipe::model::{Recipe, StepKind};
use crate::salesforce::Flow;

/// Keys only format 2 has need `format = 2`, so an older eca-wizard refuses the file instead of
/// misreading it.
pub(crate) fn check_format2_keys(recipe: &Recipe, findings: &mut Findings) {
    if recipe.format >= 2 {
        return;
    }
    let top = [
        ("choices", !recipe.choices.is_empty()),
        ("vendor_steps", !recipe.vendor_steps.is_empty()),
        ("written_for", recipe.written_for.is_some()),
        ("connected_app", !recipe.connected_app.is_empty()),
        ("propagation_minutes", recipe.propagation_minutes.is_some()),
        ("prerequisites", !recipe.prerequisites.is_empty()),
        ("profiles", !recipe.profiles.is_empty()),
        ("custom_scopes", !recipe.custom_scopes.is_empty()),
        ("package", recipe.package.is_some()),
    ];
    for (key, used) in top {
        if used {
            at(
                findings,
                key,
                format!("'{key}' needs format = 2 at the top of the file"),
            );
        }
    }
    for (i, step) in recipe.steps.iter().enumerate() {
        let mut used = step.when.is_some() || step.finish.is_some();
        used |= matches!(step.kind, StepKind::Certificate | StepKind::InstallPackage);
        used |= step.fields.iter().any(|f| f.when.is_some());
        used |= step
            .settings
            .iter()
            .any(|s| s.when.is_some() || s.level != Level::Required);
        if used {
            at(
                findings,
                format!("steps.{i}"),
                "`when`, `level`, `finish` and the certificate and install-package steps need format = 2 at the top of the file",
            );
        }
    }
}

/// Choices: ids unique, options unique, the default among them; `flow`'s options are flows and
/// its default the top-level flow; every `when` names a choice and its options.
pub(crate) fn check_choices(recipe: &Recipe, findings: &mut Findings) {
    let mut ids = HashSet::new();
    for (i, choice) in recipe.choices.iter().enumerate() {
        let loc = format!("choices.{i}");
        if !is_identifier(&choice.id) || !ids.insert(choice.id.as_str()) {
            at(
                findings,
                format!("{loc}.id"),
                format!(
                    "choice id '{}' must be lowercase letters, digits and '-', each used once",
                    choice.id
                ),
            );
        }
        let unique: HashSet<&String> = choice.options.iter().collect();
        if choice.options.len() < 2 || unique.len() != choice.options.len() {
            at(
                findings,
                format!("{loc}.options"),
                "a choice has two or more different options",
            );
        }
        if !choice.options.contains(&choice.default) {
            at(
                findings,
                format!("{loc}.default"),
                format!(
                    "default '{}' is not one of the options{}",
                    choice.default,
                    nearest_option(&choice.default, &choice.options)
                ),
            );
        }
        if choice.id == "flow" {
            for option in choice
                .options
                .iter()
                .filter(|o| !Flow::ALL.iter().any(|f| f.id() == *o))
            {
                at(
                    findings,
                    format!("{loc}.options"),
                    format!("'{option}' is not a flow"),
                );
            }
            // Checked on the defaults' combination (another answer changes the flow).
            let answered = recipe
                .selection
                .iter()
                .find(|(id, _)| id == "flow")
                .map_or(choice.default.as_str(), |(_, a)| a.as_str());
            let offered = choice.options.contains(&choice.default);
            if offered && answered == choice.default && choice.default != recipe.flow.id() {
                at(
                    findings,
                    format!("{loc}.default"),
                    format!(
                        "the flow choice's default must be the recipe's flow ({})",
                        recipe.flow.id()
                    ),
                );
            }
        }
    }
    if recipe
        .choices
        .iter()
        .map(|c| c.options.len().max(1))
        .product::<usize>()
        > crate::recipe::format2::MAX_COMBINATIONS
    {
        at(
            findings,
            "choices",
            format!(
                "more than {} combinations of answers; split the recipe",
                crate::recipe::format2::MAX_COMBINATIONS
            ),
        );
    }
}

/// Every `when` names a choice and its options. Run on the recipe as written: a resolved one
/// has already dropped what a wrong `when` hides.
pub(crate) fn check_whens(raw: &Recipe) -> Findings {
    let mut findings = Vec::new();
    for (loc, when) in whens(raw) {
        check_when(raw, &loc, &when, &mut findings);
    }
    findings
}

fn whens(recipe: &Recipe) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for (i, step) in recipe.steps.iter().enumerate() {
        all.extend(step.when.clone().map(|w| (format!("steps.{i}.when"), w)));
        for (j, field) in step.fields.iter().enumerate() {
            all.extend(
                field
                    .when
                    .clone()
                    .map(|w| (format!("steps.{i}.fields.{j}.when"), w)),
            );
        }
        for (j, setting) in step.settings.iter().enumerate() {
            all.extend(
                setting
                    .when
                    .clone()
                    .map(|w| (format!("steps.{i}.settings.{j}.when"), w)),
            );
        }
    }
    for (i, vendor) in recipe.vendor_steps.iter().enumerate() {
        all.extend(
            vendor
                .when
                .clone()
                .map(|w| (format!("vendor_steps.{i}.when"), w)),
        );
    }
    all
}

fn check_when(recipe: &Recipe, loc: &str, when: &str, findings: &mut Findings) {
    let Some((id, options)) = when.split_once('=') else {
        at(
            findings,
            loc,
            format!("when = \"{when}\" must read CHOICE=OPTION (or CHOICE=A|B)"),
        );
        return;
    };
    let Some(choice) = recipe.choices.iter().find(|c| c.id == id.trim()) else {
        let ids: Vec<&str> = recipe.choices.iter().map(|c| c.id.as_str()).collect();
        at(
            findings,
            loc,
            format!(
                "when names choice '{id}', which [[choices]] doesn't have (choices: {})",
                ids.join(", ")
            ),
        );
        return;
    };
    for option in options.split('|').map(str::trim) {
        if !choice.options.iter().any(|o| o == option) {
            let hint = nearest_option(option, &choice.options);
            at(
                findings,
                loc,
                format!("choice '{id}' has no option '{option}'{hint}"),
            );
        }
    }
}

/// Vendor steps: each field has a value or a source; a role source is a field the recipe has.
pub(crate) fn check_vendor_steps(recipe: &Recipe, findings: &mut Findings) {
    for (i, step) in recipe.vendor_steps.iter().enumerate() {
        if let Some(finish) = &step.finish {
            let loc = format!("vendor_steps.{i}.finish");
            crate::recipe::check::check_finish(&loc, &step.title, finish, findings);
        }
        for (j, field) in step.fields.iter().enumerate() {
            let loc = format!("vendor_steps.{i}.fields.{j}");
            match (&field.from, &field.value) {
                (Some(_), Some(_)) | (None, None) => at(
                    findings,
                    loc.clone(),
                    format!(
                        "vendor field '{}' needs a from or a value, not both",
                        field.label
                    ),
                ),
                _ => {}
            }
            if let Some(role) = field
                .from
                .as_deref()
                .and_then(|f| crate::recipe::Role::ALL.iter().find(|r| r.id() == f))
                && recipe.field_for(*role).is_none()
            {
                at(
                    findings,
                    format!("{loc}.from"),
                    format!(
                        "vendor field '{}' takes the {} field's answer, but no field has that role",
                        field.label,
                        role.id()
                    ),
                );
            }
        }
    }
    if !recipe.connected_app.is_empty() && recipe.written_for.as_deref() != Some("connected-app") {
        at(
            findings,
            "connected_app",
            "[[connected_app]] notes need written_for = \"connected-app\"",
        );
    }
    if recipe
        .propagation_minutes
        .is_some_and(|m| m == 0 || m > 1440)
    {
        at(
            findings,
            "propagation_minutes",
            "propagation_minutes is 1 to 1440 (a day)",
        );
    }
}

/// "; did you mean 'X'?" for the option nearest a mistyped answer, or nothing.
fn nearest_option(answer: &str, options: &[String]) -> String {
    let options: Vec<&str> = options.iter().map(String::as_str).collect();
    crate::recipe::structure::nearest(answer, &options)
        .map_or(String::new(), |n| format!("; did you mean '{n}'?"))
}
