//! What format 2 adds to a checklist step's text: the prerequisites on the first step, the
//! profiles to clone on the permissions step, and the custom scopes to create and give the app
//! on the OAuth settings step. Each with Setup's path, as the rest of the step shows it.

use ratatui::text::{Line, Span};

use crate::recipe::org_needs::{CUSTOM_SCOPES_ASSIGN_PATH, CUSTOM_SCOPES_PATH, PROFILES_PATH};
use crate::recipe::{Recipe, StepKind};
use crate::ui::Theme;

/// The extra lines of step `index`, if it has any.
pub fn lines(recipe: &Recipe, index: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if index == 0 {
        lines.extend(prerequisites(recipe, theme));
    }
    let kind = recipe.steps.get(index).map(|s| s.kind);
    if kind.is_some() && first_of_kind(recipe, index) == Some(profiles_step(recipe)) {
        lines.extend(profiles(recipe, theme));
    }
    if kind == Some(StepKind::OauthSettings) && first_of_kind(recipe, index) == Some(kind) {
        lines.extend(custom_scopes(recipe, theme));
    }
    lines
}

/// On the install-package step: what the package is, and the link that installs it in the
/// admin's org (ctrl-o opens it).
pub fn install_lines(
    recipe: &Recipe,
    index: usize,
    login_url: Option<&str>,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let (Some(package), Some(StepKind::InstallPackage)) =
        (&recipe.package, recipe.steps.get(index).map(|s| s.kind))
    else {
        return Vec::new();
    };
    let mut lines = heading("The package:", theme).to_vec();
    lines.push(Line::from(vec![
        Span::raw("  "),
        Span::styled(package.name.clone(), theme.heading()),
        Span::raw(format!(
            " by {}, version {}",
            package.publisher, package.version_id
        )),
    ]));
    let link = crate::recipe::package::install_link(package, login_url);
    lines.push(Line::from(vec![
        Span::styled("  Install ", theme.accent()),
        Span::raw(link.unwrap_or_else(|| {
            "the vendor's install link (give your org's login URL at the start and ctrl-o opens it in your org)".into()
        })),
    ]));
    if package.install_key {
        lines.push(Line::from(
            "  The installer asks for the installation key the vendor gave you.",
        ));
    }
    lines.push(Line::from(format!(
        "  It brings the app {}; its settings are the vendor's, its policies yours (next steps).",
        package.app
    )));
    lines
}

/// The kind of `index` when it is the first step of that kind.
fn first_of_kind(recipe: &Recipe, index: usize) -> Option<Option<StepKind>> {
    let kind = recipe.steps.get(index)?.kind;
    let first = recipe.steps.iter().position(|s| s.kind == kind)?;
    (first == index).then_some(Some(kind))
}

/// Profiles go on the permissions step, or the integration user's when there is none.
fn profiles_step(recipe: &Recipe) -> Option<StepKind> {
    [StepKind::Permissions, StepKind::IntegrationUser]
        .into_iter()
        .find(|k| recipe.steps.iter().any(|s| s.kind == *k))
}

fn heading(text: &str, theme: &Theme) -> [Line<'static>; 2] {
    [
        Line::from(""),
        Line::styled(text.to_string(), theme.accent()),
    ]
}

fn prerequisites(recipe: &Recipe, theme: &Theme) -> Vec<Line<'static>> {
    if recipe.prerequisites.is_empty() {
        return Vec::new();
    }
    let mut lines = heading("Before you start, check:", theme).to_vec();
    for needed in &recipe.prerequisites {
        lines.push(Line::from(vec![
            Span::raw(format!("  • {}: ", needed.kind.id())),
            Span::styled(needed.shown_name(), theme.heading()),
            Span::raw(format!(" — {}", needed.why.trim())),
        ]));
        let how = needed.how_to_check();
        if !how.is_empty() {
            lines.push(Line::styled(format!("    check: {how}"), theme.dim()));
        }
    }
    lines
}

fn profiles(recipe: &Recipe, theme: &Theme) -> Vec<Line<'static>> {
    if recipe.profiles.is_empty() {
        return Vec::new();
    }
    let mut lines = heading(
        "Profiles (made in Setup; apply doesn't write profiles):",
        theme,
    )
    .to_vec();
    for profile in &recipe.profiles {
        let path: Vec<&str> = PROFILES_PATH
            .iter()
            .map(|p| {
                if *p == "the profile" {
                    profile.clone.as_str()
                } else {
                    p
                }
            })
            .collect();
        lines.push(Line::from(format!(
            "  • Clone '{}' as '{}': {}",
            profile.clone,
            profile.name,
            path.join(" › ")
        )));
        if !profile.permissions.is_empty() {
            lines.push(Line::from(format!(
                "    then Edit › System Permissions: check {}",
                profile.permissions.join(", ")
            )));
        }
        if let Some(why) = &profile.why {
            lines.push(Line::styled(
                format!("    why: {}", why.trim()),
                theme.dim(),
            ));
        }
    }
    lines
}

fn custom_scopes(recipe: &Recipe, theme: &Theme) -> Vec<Line<'static>> {
    if recipe.custom_scopes.is_empty() {
        return Vec::new();
    }
    let mut lines = heading("Custom scopes:", theme).to_vec();
    lines.push(Line::from(format!(
        "  Create each: {} (Name and Description as below)",
        CUSTOM_SCOPES_PATH.join(" › ")
    )));
    for scope in &recipe.custom_scopes {
        lines.push(Line::from(format!(
            "  • {}: {}",
            scope.name, scope.description
        )));
    }
    lines.push(Line::from(format!(
        "  Then give them to the app: {}",
        CUSTOM_SCOPES_ASSIGN_PATH.join(" › ")
    )));
    lines
}
