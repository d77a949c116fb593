//! The setup screens: choosing a recipe (or resuming), the org's login URL, the checklist
//! steps with their fields (the review and file reads have their own modules).

use crate::recipe::{Role, StepKind, Validator};
use crate::salesforce::hosts::normalize_login_url;
use crate::salesforce::naming::suggest_api_name;
use crate::secret::Secret;
use crate::wizard::fields::FieldInput;
use crate::wizard::keys::Action;
use crate::wizard::model::{Model, StepMark};
use crate::wizard::msg::{Cmd, Key};
use crate::wizard::screen::{Form, Pane, Screen, StatusScreen, StepScreen};
use crate::wizard::update::{applying, connecting, files, show, toast};

/// The start, org and step screens' actions.
pub fn act(model: &mut Model, action: Action, key: Key) -> Vec<Cmd> {
    match (&model.screen, action) {
        (Screen::Start, action) => super::start::start_action(model, action, key),
        (Screen::Org(_), Action::Back) => {
            show(model, Screen::Start);
            Vec::new()
        }
        (Screen::Org(_), Action::UseOrg) => use_org(model),
        (Screen::Step(step), action) => {
            let index = step.index;
            step_action(model, index, action, key)
        }
        _ => Vec::new(),
    }
}

pub(super) fn enter_org(model: &mut Model) {
    let current = model
        .setup
        .as_ref()
        .and_then(|s| s.login_url.clone())
        .unwrap_or_default();
    let help = if model.demo.is_some() {
        "the demo's own org (the emulator): the demo signs in nowhere else"
    } else {
        "production, sandbox, or your My Domain URL; a Lightning or Setup URL is converted"
    };
    let input = FieldInput::plain("Org login URL", help, Some(Validator::LoginUrl), &current);
    show(model, Screen::Org(Form::new(vec![input])));
}

/// Enter on the org screen: the URL is checked, kept, and the first step not done opens.
fn use_org(model: &mut Model) -> Vec<Cmd> {
    let (Screen::Org(form), Some(setup)) = (&mut model.screen, model.setup.as_mut()) else {
        return Vec::new();
    };
    let Some(input) = form.inputs.first_mut() else {
        return Vec::new();
    };
    let Some((url, mut notes)) = input.validate("") else {
        return Vec::new();
    };
    if let Some(refused) = model.demo.as_ref().and_then(|demo| demo.refuses(&url)) {
        input.error = Some(refused);
        return Vec::new();
    }
    if !notes.is_empty() {
        notes.push(format!("The login URL is now {url}"));
    }
    if let Some(refused) = refused_flow(Some(&url), setup.recipe.flow) {
        input.error = Some(refused);
        return Vec::new();
    }
    setup.login_url = Some(url.clone());
    if let Some(id) = setup.recipe.field_id(Role::LoginUrl) {
        setup.answers.insert(id.into(), url);
    }
    let first = setup
        .marks
        .iter()
        .position(|m| *m != StepMark::Done)
        .unwrap_or(0);
    let cmds = vec![Cmd::SaveProgress(setup.saved(first))];
    enter_step(model, first);
    if let Some(form) = model.screen.form_mut() {
        form.notes = notes;
    }
    cmds
}

/// Why `flow` can't sign in on the org `login_url` names (client credentials only on the My
/// Domain), or None. The one rule the org screen and a changed `flow` answer both apply.
pub(super) fn refused_flow(
    login_url: Option<&str>,
    flow: crate::salesforce::Flow,
) -> Option<String> {
    let normalized = normalize_login_url(login_url?).ok()?;
    normalized
        .host
        .check_flow(flow)
        .err()
        .map(|e| e.to_string())
}

/// Shows step `index` with its fields, filled from answers, drafts or defaults.
pub fn enter_step(model: &mut Model, index: usize) {
    let Some(setup) = model.setup.as_ref() else {
        return;
    };
    let recipe = setup.recipe;
    let Some(step) = recipe.steps.get(index) else {
        return;
    };
    let choices = super::choices::inputs(setup, index);
    let inputs = choices
        .into_iter()
        .chain(step.fields.iter().map(|field| {
            let value = if field.secret {
                setup.secrets.get(&field.id).map(|s| s.expose().to_string())
            } else {
                setup.answers.get(&field.id).cloned()
            };
            let value = value
                .or_else(|| super::start::org_default(field, setup.login_url.as_deref()))
                .or_else(|| recipe.field_default(field))
                .unwrap_or_default();
            FieldInput::for_field(field, &value)
        }))
        .collect();
    show(
        model,
        Screen::Step(StepScreen {
            index,
            form: Form::new(inputs),
            ..StepScreen::default()
        }),
    );
}

pub fn paste(model: &mut Model, text: &str) {
    if let Some(form) = model.screen.form_mut()
        && let Some(input) = form.focused_mut()
    {
        input.paste(text);
        live_check(form);
    }
}

pub fn edit_focused(model: &mut Model, key: Key) {
    let Some(form) = model.screen.form_mut() else {
        return;
    };
    let old_app_name = app_name_input(form).map(|i| i.value().to_string());
    if form.focused_mut().is_some_and(|input| input.key(key)) {
        follow_app_name(form, old_app_name);
        live_check(form);
    }
}

fn app_name_input(form: &Form) -> Option<&FieldInput> {
    form.inputs
        .iter()
        .find(|i| i.validator == Some(Validator::AppName))
}

/// Setup fills the API Name from the app name until someone edits it; so do we.
fn follow_app_name(form: &mut Form, old_app_name: Option<String>) {
    let Some(old) = old_app_name else { return };
    let Some(new) = app_name_input(form).map(|i| i.value().to_string()) else {
        return;
    };
    if old == new {
        return;
    }
    if let Some(api) = form
        .inputs
        .iter_mut()
        .find(|i| i.validator == Some(Validator::ApiName))
        && (api.value().is_empty() || api.value() == suggest_api_name(&old))
    {
        api.set(&suggest_api_name(&new));
        api.error = None;
    }
}

/// Validates the focused field as it is typed (an empty field isn't nagged about yet).
fn live_check(form: &mut Form) {
    let app_name = app_name_input(form)
        .map(|i| i.value().to_string())
        .unwrap_or_default();
    if let Some(input) = form.focused_mut() {
        if input.value().trim().is_empty() {
            input.error = None;
        } else {
            input.validate(&app_name);
        }
    }
}

fn step_action(model: &mut Model, index: usize, action: Action, key: Key) -> Vec<Cmd> {
    match action {
        Action::MoveFocus => {
            if let Some(form) = model.screen.form_mut() {
                let count = form.inputs.len().max(1);
                form.focus = match key {
                    Key::BackTab | Key::Up => form.focus.checked_sub(1).unwrap_or(count - 1),
                    _ => (form.focus + 1) % count,
                };
            }
        }
        Action::ConfirmStep => return confirm_step(model, index),
        Action::CycleChoice => return super::choices::cycle(model, key),
        Action::Back => go_to_step(model, index, back_from(model, index)),
        Action::ToResults => show(model, Screen::Status(StatusScreen::default())),
        Action::TurnStep if key == Key::PageUp => go_to_step(model, index, back_from(model, index)),
        Action::TurnStep => go_to_step(model, index, forward_from(model, index)),
        Action::RevealSecret => {
            if let Screen::Step(step) = &mut model.screen {
                step.reveal_secrets = !step.reveal_secrets;
            }
        }
        Action::OpenSetup => return open_setup_page(model, index),
        Action::CopyField => return copy_focused(model),
        _ => {}
    }
    Vec::new()
}

/// The step before `index`, as the walk goes: with apply, the steps it skips are skipped back
/// too. None: before the first (the org screen, or the start screen with apply).
pub fn back_from(model: &Model, index: usize) -> Option<usize> {
    match model.setup.as_ref() {
        Some(setup) if setup.by_apply => applying::prev_step(setup.recipe, index),
        _ => index.checked_sub(1),
    }
}

/// The step after `index`; past the last one the step stays (as without apply).
fn forward_from(model: &Model, index: usize) -> Option<usize> {
    match model.setup.as_ref() {
        Some(setup) if setup.by_apply => {
            applying::next_step(setup.recipe, index + 1).or(Some(setup.recipe.steps.len()))
        }
        _ => Some(index + 1),
    }
}

/// Leaves a step without confirming it: what was typed stays as a draft.
fn go_to_step(model: &mut Model, from: usize, to: Option<usize>) {
    keep_drafts(model);
    let by_apply = model.setup.as_ref().is_some_and(|s| s.by_apply);
    let steps = model.setup.as_ref().map_or(0, |s| s.recipe.steps.len());
    match to {
        // With apply the org is the CLI login's: back to the list, as the org screen's esc.
        None if by_apply => show(model, Screen::Start),
        None => enter_org(model),
        Some(to) if to < steps => enter_step(model, to),
        // Past the last step: the step stays as it is.
        Some(_) => debug_assert_eq!(model.kind(), crate::wizard::ScreenKind::Step(from)),
    }
}

pub(super) fn keep_drafts(model: &mut Model) {
    let (Some(setup), Some(form)) = (model.setup.as_mut(), model.screen.form()) else {
        return;
    };
    for input in &form.inputs {
        let Some(id) = &input.field_id else { continue };
        let value = input.checked_form();
        if input.secret {
            setup.secrets.insert(id.clone(), Secret::new(value.trim()));
        } else if !value.trim().is_empty() {
            setup.answers.insert(id.clone(), value);
        }
    }
}

pub(super) fn confirm_step(model: &mut Model, index: usize) -> Vec<Cmd> {
    let Some(form) = model.screen.form_mut() else {
        return Vec::new();
    };
    let app_name = app_name_input(form)
        .map(|i| i.value().to_string())
        .or_else(|| {
            model
                .setup
                .as_ref()
                .and_then(|s| s.answer_for(Role::AppName).map(String::from))
        })
        .unwrap_or_default();
    let mut accepted = Vec::new();
    let mut first_error = None;
    for (i, input) in form.inputs.iter_mut().enumerate() {
        match input.validate(&app_name) {
            Some((value, _notes)) => {
                let refused = (input.validator == Some(Validator::LoginUrl))
                    .then(|| model.demo.as_ref().and_then(|demo| demo.refuses(&value)))
                    .flatten();
                if refused.is_some() {
                    input.error = refused;
                    first_error.get_or_insert(i);
                    continue;
                }
                accepted.push((input.field_id.clone(), input.secret, value));
            }
            None => {
                first_error.get_or_insert(i);
            }
        }
        // A flow the org's host refuses can't be confirmed (the answer is kept, with the fix).
        let refusal = input
            .choice
            .as_ref()
            .zip(model.setup.as_ref())
            .and_then(|(choice, setup)| super::choices::refusal(setup, &choice.0));
        if refusal.is_some() {
            input.error = refusal;
            first_error.get_or_insert(i);
        }
    }
    if let Some(i) = first_error {
        form.focus = i;
        return Vec::new();
    }
    if let Some(reading) = files::read_files_first(model) {
        return reading;
    }
    let now = model.now_ms;
    let demo = model.demo.is_some();
    let Some(setup) = model.setup.as_mut() else {
        return Vec::new();
    };
    let login_field = setup.recipe.field_id(Role::LoginUrl).map(String::from);
    for (id, secret, value) in accepted {
        let Some(id) = id else { continue };
        if secret {
            setup.secrets.insert(id, Secret::new(value));
        } else {
            if Some(&id) == login_field.as_ref() && !value.is_empty() {
                setup.login_url = Some(value.clone());
            }
            setup.answers.insert(id, value);
        }
    }
    let was_fix = setup.marks[index] == StepMark::NeedsFix;
    let recipe = setup.recipe;
    let by_apply = setup.by_apply;
    // A step apply makes is done when apply has made it, not when its answers are typed.
    setup.marks[index] = if by_apply && crate::wizard::made_by_apply(recipe, index) {
        StepMark::Todo
    } else {
        StepMark::Done
    };
    let step_kind = recipe.steps[index].kind;
    // The app exists (or changed) once the step that ends with "Create" or a fix is done: the
    // propagation window starts then (with apply: when its deploy ends).
    let creates_app = is_create_step(recipe, index) && !by_apply;
    if creates_app || was_fix {
        setup.app_saved_at_ms = Some(now);
    }
    let next = index + 1;
    let mut cmds = vec![Cmd::SaveProgress(
        setup.saved(next.min(recipe.steps.len() - 1)),
    )];
    if demo && (creates_app || was_fix) {
        cmds.push(Cmd::DemoRegisterApp(setup.saved(index)));
    }
    if was_fix {
        cmds.extend(connecting::start(model, true));
        return cmds;
    }
    let next = if by_apply {
        applying::next_step(recipe, next)
    } else {
        Some(next).filter(|n| step_kind != StepKind::Connect && *n < recipe.steps.len())
    };
    match next {
        Some(next) => enter_step(model, next),
        None => show(model, Screen::Review(Pane::default())),
    }
    cmds
}

/// The last step before the credentials are copied: in Setup, the one that ends with Create.
fn is_create_step(recipe: &crate::recipe::Recipe, index: usize) -> bool {
    let credentials = recipe
        .steps
        .iter()
        .position(|s| s.kind == StepKind::Credentials);
    credentials.is_some_and(|c| c == index + 1)
}

fn open_setup_page(model: &mut Model, index: usize) -> Vec<Cmd> {
    let Some(setup) = model.setup.as_ref() else {
        return Vec::new();
    };
    if let (Some(package), StepKind::InstallPackage) =
        (&setup.recipe.package, setup.recipe.steps[index].kind)
    {
        let link = crate::recipe::package::install_link(package, setup.login_url.as_deref());
        return match link {
            Some(link) => vec![Cmd::OpenUrl(link)],
            None => toast(
                model,
                "Give your org's login URL first: the install link opens in your own org.",
            ),
        };
    }
    let Some(page) = setup.recipe.steps[index].page else {
        return toast(model, "This step has no Setup page to open.");
    };
    let origin = setup
        .login_url
        .as_deref()
        .and_then(|url| normalize_login_url(url).ok())
        .and_then(|n| n.host.lightning_origin());
    match origin {
        Some(origin) => vec![Cmd::OpenUrl(page.url(&origin))],
        None => toast(
            model,
            format!(
                "Log in to your org, open Setup and type \"{}\" in Quick Find (the wizard needs your My Domain URL to open it).",
                page.quick_find()
            ),
        ),
    }
}

fn copy_focused(model: &mut Model) -> Vec<Cmd> {
    let Some(input) = model.screen.form().and_then(Form::focused) else {
        return Vec::new();
    };
    if input.secret {
        return toast(model, "Secrets aren't copied to the clipboard.");
    }
    let text = input.checked_form();
    let mut cmds = vec![Cmd::Copy(text)];
    cmds.extend(toast(
        model,
        format!(
            "Copied {} (OSC 52: most terminals and SSH support it).",
            input.label
        ),
    ));
    cmds
}

/// Demo: the emulator now has the app; its key and secret are "copied" into the setup.
pub fn demo_registered(
    model: &mut Model,
    consumer_key: String,
    consumer_secret: Secret,
) -> Vec<Cmd> {
    fill_credentials(model, &consumer_key, Some(&consumer_secret));
    toast(
        model,
        "Demo: the app is in the emulator; its consumer key and secret are filled in.",
    )
}

/// Puts the app's key (and secret) into the setup and into the fields on screen.
pub fn fill_credentials(model: &mut Model, consumer_key: &str, consumer_secret: Option<&Secret>) {
    let Some(setup) = model.setup.as_mut() else {
        return;
    };
    let key_id = setup.recipe.field_id(Role::ConsumerKey).map(String::from);
    let secret_id = setup
        .recipe
        .field_id(Role::ConsumerSecret)
        .map(String::from);
    if let Some(id) = &key_id {
        setup.answers.insert(id.clone(), consumer_key.to_string());
    }
    if let (Some(id), Some(secret)) = (&secret_id, consumer_secret) {
        setup.secrets.insert(id.clone(), secret.clone());
    }
    let inputs = model.screen.form_mut().map(|f| f.inputs.iter_mut());
    for input in inputs.into_iter().flatten() {
        if input.field_id.is_some() && input.field_id == key_id {
            input.set(consumer_key);
        } else if let (true, Some(secret)) = (
            input.field_id.is_some() && input.field_id == secret_id,
            consumer_secret,
        ) {
            input.set(secret.expose());
        }
    }
}

/// The setup as it stands, with what the current step's fields hold (never a secret), for
/// saving on the way out.
pub fn saved_with_drafts(model: &Model) -> Option<crate::wizard::SavedSetup> {
    // A finished setup was cleared on purpose; saving it again would bring it back.
    if matches!(model.screen, Screen::Done(_)) {
        return None;
    }
    let setup = model.setup.as_ref()?;
    let step = match &model.screen {
        Screen::Step(step) => step.index,
        _ => setup
            .first_open_step()
            .unwrap_or(setup.recipe.steps.len().saturating_sub(1)),
    };
    let mut saved = setup.saved(step);
    if let Screen::Step(step) = &model.screen {
        for input in step.form.inputs.iter().filter(|i| !i.secret) {
            if let Some(id) = &input.field_id
                && !input.value().is_empty()
            {
                saved.drafts.insert(id.clone(), input.value().to_string());
            }
        }
    }
    Some(saved)
}
