//! "Set it up for me": apply makes the settings through the admin's Salesforce CLI login. The
//! admin walks only the steps apply leaves to them and the ones whose answers it needs; the
//! review's Enter runs apply (asking first about reading the secret); its lines show on the
//! review; then the steps it did are marked and the usual connect verifies them.

use crate::recipe::{Recipe, Role, StepKind};
use crate::secret::Secret;
use crate::wizard::model::{ApplyView, Dialog, Model, StepMark, made_by_apply};
use crate::wizard::msg::{AppliedApp, ApplySpec, Cmd};
use crate::wizard::screen::{Pane, Screen};
use crate::wizard::update::{connecting, setup, show, start, toast};

/// Lines kept of apply's output (a deploy tells a handful; this bounds a chatty one).
const MAX_LINES: usize = 200;

/// `a` on the start screen: recipe `index`, set up by apply with the CLI login.
pub fn start(model: &mut Model, index: usize) -> Vec<Cmd> {
    let (Some(login), Some(recipe)) = (model.cli_login.clone(), model.recipes.get(index)) else {
        return Vec::new();
    };
    let mut setup = start::new_setup(model, recipe);
    setup.by_apply = true;
    setup.login_url = Some(login.instance_url.clone());
    if let Some(id) = recipe.field_id(Role::LoginUrl) {
        setup.answers.insert(id.to_string(), login.instance_url);
    }
    model.setup = Some(setup);
    model.applying.view = None;
    match next_step(recipe, 0) {
        Some(step) => setup::enter_step(model, step),
        None => show(model, Screen::Review(Pane::default())),
    }
    toast(
        model,
        "Set it up for me: type the answers; apply makes the settings and reads the key back.",
    )
}

/// A field apply needs from the admin: not the key and secret it reads, nor the org it has.
fn asked(role: Option<Role>) -> bool {
    !matches!(
        role,
        Some(Role::ConsumerKey | Role::ConsumerSecret | Role::LoginUrl)
    )
}

/// Whether the admin sees step `i` on the way to the review: a step apply leaves to them, or
/// one whose answers it needs (the connect step only for those, e.g. a private key).
fn shown(recipe: &Recipe, i: usize) -> bool {
    let step = &recipe.steps[i];
    let asks = step.fields.iter().any(|f| asked(f.role));
    asks || (step.kind != StepKind::Connect && !made_by_apply(recipe, i))
}

/// The first step from `from` the admin has to see. None: on to the review.
pub fn next_step(recipe: &Recipe, from: usize) -> Option<usize> {
    (from..recipe.steps.len()).find(|&i| shown(recipe, i))
}

/// The last step before `before` the admin sees (going back); None: none before it.
pub fn prev_step(recipe: &Recipe, before: usize) -> Option<usize> {
    (0..before.min(recipe.steps.len()))
        .rev()
        .find(|&i| shown(recipe, i))
}

/// Enter on the review of a setup apply makes.
pub fn review_enter(model: &mut Model) -> Vec<Cmd> {
    if model.applying.running() {
        return Vec::new();
    }
    // A resumed setup whose CLI login is gone: on by hand, from the first step apply skipped.
    if model.cli_login.is_none() {
        let Some(setup) = model.setup.as_mut() else {
            return Vec::new();
        };
        setup.by_apply = false;
        let first = (0..setup.recipe.steps.len())
            .find(|&i| setup.marks[i] != StepMark::Done)
            .unwrap_or(0);
        setup::enter_step(model, first);
        return toast(
            model,
            "No Salesforce CLI default org now (sf config set target-org ALIAS): the steps apply would make are yours, from here.",
        );
    }
    if model.recipe().is_some_and(Recipe::needs_secret) {
        model.dialog = Some(Dialog::ApplyConsent);
        return Vec::new();
    }
    launch(model, false)
}

/// The consent dialog's answer: y allows the setting a moment, n leaves it (the secret is
/// copied by hand); any other key closes it and asks again later.
pub fn consented(model: &mut Model, allow_secret_access: bool) -> Vec<Cmd> {
    model.dialog = None;
    launch(model, allow_secret_access)
}

fn launch(model: &mut Model, allow_secret_access: bool) -> Vec<Cmd> {
    let (Some(setup), Some(login)) = (model.setup.as_ref(), model.cli_login.as_ref()) else {
        return Vec::new();
    };
    let run = model.applying.run.start();
    let spec = ApplySpec {
        run,
        saved: setup.saved(setup.recipe.steps.len().saturating_sub(1)),
        target: login.target.clone(),
        allow_secret_access,
    };
    model.applying.view = Some(ApplyView {
        running: true,
        ..ApplyView::default()
    });
    if let Some(pane) = model.screen.pane_mut() {
        pane.scroll = 0;
    }
    vec![Cmd::Apply(Box::new(spec))]
}

/// The view of apply run `run`, while it is the latest and running.
fn current(model: &mut Model, run: u64) -> Option<&mut ApplyView> {
    let latest = model.applying.run.is(run);
    model.applying.view.as_mut().filter(|a| latest && a.running)
}

pub fn line(model: &mut Model, run: u64, line: String) -> Vec<Cmd> {
    if let Some(view) = current(model, run)
        && view.lines.len() < MAX_LINES
    {
        view.lines.push(line);
    }
    Vec::new()
}

/// Apply ended: mark what it did, fill in what it read, and connect to verify it.
pub fn finished(model: &mut Model, run: u64, result: Result<AppliedApp, String>) -> Vec<Cmd> {
    let Some(view) = current(model, run) else {
        return Vec::new();
    };
    view.running = false;
    let applied = match result {
        Ok(applied) => applied,
        Err(why) => {
            view.failed = Some(why);
            return Vec::new();
        }
    };
    let now = model.now_ms;
    let Some(setup) = model.setup.as_mut() else {
        return Vec::new();
    };
    let recipe = setup.recipe;
    for (i, mark) in setup.marks.iter_mut().enumerate() {
        if made_by_apply(recipe, i) {
            *mark = StepMark::Applied;
        } else if recipe.steps[i].kind == StepKind::Connect {
            // Apply goes on to connect by itself, as Enter on this step does by hand.
            *mark = StepMark::Done;
        }
    }
    // From here the setup is an ordinary one: the review's Enter connects.
    setup.by_apply = false;
    if applied.changed {
        setup.app_saved_at_ms = Some(now);
    }
    let mut cmds = vec![Cmd::SaveProgress(
        setup.saved(recipe.steps.len().saturating_sub(1)),
    )];
    let secret_missing = recipe.needs_secret() && applied.consumer_secret.is_none();
    if let Some(key) = applied.consumer_key {
        setup::fill_credentials(model, &key, applied.consumer_secret.as_ref());
    }
    if secret_missing
        && let Some(setup) = model.setup.as_mut()
        && let Some(i) = recipe
            .steps
            .iter()
            .position(|s| s.kind == StepKind::Credentials)
    {
        setup.marks[i] = StepMark::Todo;
        let api_name = setup.answer_for(Role::ApiName).map(String::from);
        setup::enter_step(model, i);
        // The demo has no Setup to copy from: the runtime copies it from the emulator.
        if let (Some(api_name), true) = (api_name, model.demo.is_some()) {
            cmds.push(Cmd::DemoRevealSecret { api_name });
            return cmds;
        }
        cmds.extend(toast(
            model,
            "Apply made the app but couldn't read its secret: copy it from Setup here.",
        ));
        return cmds;
    }
    cmds.extend(connecting::start(model, false));
    cmds
}

/// Demo: the secret apply left unread, copied from the emulator into the credentials step
/// (an answer about another app, e.g. after the admin started over, is ignored).
pub fn demo_secret_revealed(model: &mut Model, consumer_key: &str, secret: &Secret) -> Vec<Cmd> {
    let ours = model
        .setup
        .as_ref()
        .and_then(|s| s.answer_for(Role::ConsumerKey))
        .is_some_and(|key| key == consumer_key);
    if !ours {
        return Vec::new();
    }
    setup::fill_credentials(model, consumer_key, Some(secret));
    toast(
        model,
        "Demo: secret access stayed off, so the demo copied the secret from its Setup for you (in an org you copy it there). Press enter to go on.",
    )
}
