//! The start screen: choosing a recipe, resuming or forgetting a saved setup, and a new
//! setup with what only the demo org can answer filled in.

use crate::recipe::Role;
use crate::salesforce::Flow;
use crate::wizard::keys::Action;
use crate::wizard::model::{Dialog, Model, Setup};
use crate::wizard::msg::{Cmd, Key};
use crate::wizard::screen::{Pane, Screen};
use crate::wizard::update::setup::{enter_org, enter_step};
use crate::wizard::update::{applying, show, toast};

pub(super) fn start_action(model: &mut Model, action: Action, key: Key) -> Vec<Cmd> {
    let entries = model.start_entries();
    let selected = model.progress.selected;
    match action {
        Action::Choose => {
            model.progress.selected = match key {
                Key::Up | Key::Char('k') => selected.checked_sub(1).unwrap_or(entries - 1),
                _ => (selected + 1) % entries,
            };
            Vec::new()
        }
        Action::DeleteSaved if selected < model.progress.saved.len() => {
            model.dialog = Some(Dialog::ConfirmDelete(selected));
            Vec::new()
        }
        Action::StartSelected => choose(model),
        Action::OpenGuide => model
            .selected_guide()
            .map(|url| vec![Cmd::OpenUrl(url.to_string())])
            .unwrap_or_default(),
        Action::SetItUp => match selected.checked_sub(model.progress.saved.len()) {
            Some(index) => applying::start(model, index),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// `y` in the delete dialog: the saved setup it names is forgotten.
pub fn delete_saved(model: &mut Model) -> Vec<Cmd> {
    let Some(Dialog::ConfirmDelete(selected)) = model.dialog.take() else {
        return Vec::new();
    };
    if selected >= model.progress.saved.len() {
        return Vec::new();
    }
    let saved = model.progress.saved.remove(selected);
    model.progress.selected = 0;
    let mut cmds = vec![Cmd::ClearProgress(saved.key())];
    cmds.extend(toast(model, "Deleted that saved setup."));
    cmds
}

fn choose(model: &mut Model) -> Vec<Cmd> {
    // Another setup starts or resumes: an earlier apply's lines aren't its own.
    model.applying.view = None;
    let offset = model.progress.saved.len();
    if model.progress.selected < offset {
        let saved = model.progress.saved[model.progress.selected].clone();
        return match Setup::restore(&saved, model.recipes) {
            // Every step done: the setup resumes where it ended, at the review, or where the
            // secret (never saved) is pasted again.
            Some((setup, _)) if setup.first_open_step().is_none() => {
                let secret_step = setup.recipe.steps.iter().position(|s| {
                    s.fields
                        .iter()
                        .any(|f| f.role == Some(Role::ConsumerSecret))
                });
                model.setup = Some(setup);
                match secret_step {
                    Some(step) => {
                        enter_step(model, step);
                        toast(
                            model,
                            "Every step was done. Secrets are never saved: paste the secret again, then go on to connect.",
                        )
                    }
                    None => {
                        show(model, Screen::Review(Pane::default()));
                        toast(model, "Every step was done: here is the review.")
                    }
                }
            }
            Some((setup, step)) => {
                model.setup = Some(setup);
                enter_step(model, step);
                // What was typed but not confirmed comes back into its fields.
                let inputs = model.screen.form_mut().map(|f| f.inputs.iter_mut());
                for input in inputs.into_iter().flatten() {
                    if let Some(draft) = input.field_id.as_ref().and_then(|id| saved.drafts.get(id))
                    {
                        input.set(draft);
                    }
                }
                toast(
                    model,
                    "Resumed where you left off. Secrets are never saved: paste them again.",
                )
            }
            None => {
                model.progress.saved.remove(model.progress.selected);
                model.progress.selected = 0;
                toast(
                    model,
                    "That saved setup doesn't fit this version's recipes; start a new one.",
                )
            }
        };
    }
    let Some(recipe) = model.recipes.get(model.progress.selected - offset) else {
        return Vec::new();
    };
    model.setup = Some(new_setup(model, recipe));
    enter_org(model);
    Vec::new()
}

/// A new setup of `recipe`, with what only the demo org can answer already filled in.
pub fn new_setup(model: &Model, recipe: &'static crate::recipe::Recipe) -> Setup {
    let mut setup = Setup::new(recipe);
    if let Some(demo) = &model.demo {
        for (role, value) in demo_answers(demo, recipe) {
            if let Some(id) = recipe.field_id(role) {
                setup.answers.insert(id.into(), value);
            }
        }
        setup.login_url = Some(demo_login_url(demo, recipe).to_string());
    }
    setup
}

/// After an answer changed the recipe from `before` to the setup's: the demo's answers that
/// depend on the combination (its user, its callbacks, its login URL) follow it, unless the
/// admin changed them.
pub(super) fn follow_demo_answers(model: &mut Model, before: &'static crate::recipe::Recipe) {
    let (Some(demo), Some(setup)) = (&model.demo, model.setup.as_mut()) else {
        return;
    };
    let was: Vec<(Role, String)> = demo_answers(demo, before);
    for (role, value) in demo_answers(demo, setup.recipe) {
        let Some(id) = setup.recipe.field_id(role) else {
            continue;
        };
        let untouched = match setup.answers.get(id) {
            None => true,
            Some(answer) => was.iter().any(|(r, old)| *r == role && old == answer),
        };
        if untouched {
            setup.answers.insert(id.into(), value);
        }
    }
    if setup.login_url.as_deref() == Some(demo_login_url(demo, before)) {
        setup.login_url = Some(demo_login_url(demo, setup.recipe).to_string());
    }
}

/// Answers only the demo org can give: its user for the flow, the callbacks as Setup would
/// hold them, and the built-in JWT key.
fn demo_answers(
    demo: &crate::wizard::model::Demo,
    recipe: &crate::recipe::Recipe,
) -> Vec<(Role, String)> {
    vec![
        (Role::IntegrationUsername, demo.username_for(recipe.flow)),
        (Role::CallbackUrls, demo_callback_urls(recipe).join("\n")),
        (Role::ContactEmail, "admin@eca-wizard.demo".to_string()),
        (Role::PrivateKey, crate::wizard::DEMO_KEY_MARKER.to_string()),
        (
            Role::Certificate,
            crate::wizard::DEMO_CERTIFICATE_MARKER.to_string(),
        ),
        (Role::HostUrl, "https://host.eca-wizard.demo".to_string()),
        (Role::McpServerUrl, demo_mcp_url(recipe, &demo.mcp_url)),
    ]
}

/// The demo org's login URL for the flow: client credentials need the My Domain.
fn demo_login_url<'a>(
    demo: &'a crate::wizard::model::Demo,
    recipe: &crate::recipe::Recipe,
) -> &'a str {
    if recipe.flow == Flow::ClientCredentials {
        &demo.my_domain_url
    } else {
        &demo.login_url
    }
}

/// A default that depends on the org chosen first: the MCP server URL takes the form of the
/// login's org (sandbox, My Domain, Developer Edition).
pub(super) fn org_default(field: &crate::recipe::Field, login_url: Option<&str>) -> Option<String> {
    use crate::salesforce::mcp;
    if field.role != Some(Role::McpServerUrl) {
        return None;
    }
    let server = mcp::parse_server_url(field.default.as_deref()?)
        .ok()?
        .server;
    Some(mcp::default_url(login_url?, &server))
}

/// The demo app's Callback URL lines: the vendor's first (a `<placeholder>` filled with
/// "demo", as the admin would fill it with their own), then the wizard's loopback ones, which
/// the demo's sign-in uses (every flow gets them: the demo has no vendor to hand over to).
fn demo_callback_urls(recipe: &crate::recipe::Recipe) -> Vec<String> {
    let mut urls: Vec<String> = recipe
        .default_callback_urls()
        .iter()
        .map(|url| fill_placeholders(url, "demo"))
        .collect();
    for url in crate::salesforce::callback::wizard_callback_urls() {
        if !urls.contains(&url) {
            urls.push(url);
        }
    }
    urls
}

/// `text` with each `<...>` replaced by `with`.
fn fill_placeholders(text: &str, with: &str) -> String {
    let mut filled = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        filled.push_str(&rest[..open]);
        filled.push_str(with);
        rest = &rest[open + close + 1..];
    }
    filled.push_str(rest);
    filled
}

/// The recipe's MCP server on the demo's MCP host.
fn demo_mcp_url(recipe: &crate::recipe::Recipe, mcp_host: &str) -> String {
    use crate::salesforce::mcp;
    let server = recipe
        .field_for(Role::McpServerUrl)
        .and_then(|f| f.default.as_deref())
        .and_then(|url| mcp::parse_server_url(url).ok())
        .map_or_else(|| "platform/sobject-reads".to_string(), |u| u.server);
    format!("{mcp_host}{}{server}", mcp::PATH_PREFIX)
}
