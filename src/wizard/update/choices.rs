//! A format-2 recipe's choices on the first step the admin sees: each question a field whose
//! answer cycles through its options. Changing an answer re-resolves the recipe at once (the
//! checklist, review and connect follow the new combination); what was typed in the fields
//! both combinations share is kept, and so are the marks of the steps they share.

use crate::recipe::answers;
use crate::wizard::fields::FieldInput;
use crate::wizard::model::{Model, Setup, StepMark};
use crate::wizard::msg::{Cmd, Key};
use crate::wizard::update::{applying, setup};

/// The step that asks the recipe's questions: the first one the admin sees (with "Set it up
/// for me", the first apply leaves to them).
pub fn step_of(setup: &Setup) -> usize {
    if setup.by_apply {
        applying::next_step(setup.recipe, 0).unwrap_or(0)
    } else {
        0
    }
}

/// The choice fields step `index` starts with (none on other steps or without choices).
pub fn inputs(setup: &Setup, index: usize) -> Vec<FieldInput> {
    if index != step_of(setup) {
        return Vec::new();
    }
    let recipe = setup.recipe;
    recipe
        .choices
        .iter()
        .map(|choice| {
            let answer = recipe
                .selection
                .iter()
                .find(|(id, _)| *id == choice.id)
                .map_or(choice.default.as_str(), |(_, option)| option.as_str());
            let mut input = FieldInput::for_choice(choice, answer);
            input.error = refusal(setup, &choice.id);
            input
        })
        .collect()
}

/// Why the answer to choice `id` can't work with the org chosen, with what to fix: a `flow`
/// answer the login host refuses, by the org screen's own rule. Shown as soon as the answer
/// changes (and whenever the step shows), and Enter on the step is refused while it holds.
pub fn refusal(setup: &Setup, id: &str) -> Option<String> {
    if id != "flow" {
        return None;
    }
    let refused = setup::refused_flow(setup.login_url.as_deref(), setup.recipe.flow)?;
    Some(format!(
        "{refused}. Esc goes back to the org: enter your My Domain URL there, or choose another answer."
    ))
}

/// ←→ (or space) on a choice: the next or previous option, and the recipe it makes.
pub fn cycle(model: &mut Model, key: Key) -> Vec<Cmd> {
    let step = if key == Key::Left { -1 } else { 1 };
    let Some((id, option)) = model.screen.form().and_then(|form| {
        let input = form.focused()?;
        Some((input.choice.as_ref()?.0.clone(), input.cycled(step)?))
    }) else {
        return Vec::new();
    };
    let focus = model.screen.form().map_or(0, |f| f.focus);
    setup::keep_drafts(model);
    let Some(setup) = model.setup.as_mut() else {
        return Vec::new();
    };
    let Some(loaded) = model.recipes.iter().find(|r| r.id == setup.recipe.id) else {
        return Vec::new();
    };
    let mut selection = setup.recipe.selection.clone();
    selection.retain(|(choice, _)| *choice != id);
    selection.push((id, option));
    let recipe = answers::variant(loaded, &selection);
    let before = setup.recipe;
    setup.marks = carried_marks(setup, recipe);
    setup.recipe = recipe;
    super::start::follow_demo_answers(model, before);
    let Some(setup) = model.setup.as_ref() else {
        return Vec::new();
    };
    let index = step_of(setup);
    let saved = setup.saved(index);
    setup::enter_step(model, index);
    if let Some(form) = model.screen.form_mut() {
        form.focus = focus.min(form.inputs.len().saturating_sub(1));
    }
    vec![Cmd::SaveProgress(saved)]
}

/// The marks of the steps both combinations have (by id); the others start to do.
fn carried_marks(setup: &Setup, next: &crate::recipe::Recipe) -> Vec<StepMark> {
    next.steps
        .iter()
        .map(|step| {
            setup
                .recipe
                .steps
                .iter()
                .position(|old| old.id == step.id)
                .and_then(|i| setup.marks.get(i).copied())
                .unwrap_or(StepMark::Todo)
        })
        .collect()
}
