//! A format-2 recipe's choices in the wizard: asked on the first step, answered with ←→, the
//! checklist re-resolved at once without losing what was typed, saved with the setup and kept
//! on resume, and the connect made with the recipe the answers make.

use crate::common::driving::*;
use eca_wizard::recipe::{self, Recipe};
use eca_wizard::salesforce::Flow;
use eca_wizard::wizard::{Cmd, Key, Model, SavedSetup, ScreenKind, StepMark};

const EXAMPLE: &str = include_str!("../data/format2-example.toml");

/// The built-in recipes and the two-flow example, as the wizard is given them.
pub fn recipes() -> &'static [Recipe] {
    let mut all = recipe::builtin().unwrap().to_vec();
    // A local recipe, as if read from the recipes folder.
    let mut example = recipe::parse("example.toml", EXAMPLE).unwrap();
    example.origin = Some("recipes/example.toml".into());
    for variant in &mut example.variants {
        variant.origin = example.origin.clone();
    }
    all.push(example);
    Box::leak(all.into_boxed_slice())
}

/// The example chosen and its org set: on the first step, the question focused.
pub fn at_first_step() -> Model {
    let mut model = Model::new(recipes(), Vec::new(), 1_000);
    resize(&mut model, 100, 40);
    choose(&mut model, "etl-either-flow");
    set_org(&mut model, "https://acme.my.salesforce.com");
    assert_eq!(model.kind(), ScreenKind::Step(0));
    model
}

fn saved_of(cmds: &[Cmd]) -> Option<&SavedSetup> {
    cmds.iter().rev().find_map(|c| match c {
        Cmd::SaveProgress(saved) => Some(saved),
        _ => None,
    })
}

fn flow(model: &Model) -> Flow {
    model.recipe().unwrap().flow
}

#[test]
fn the_first_step_asks_the_recipes_question_with_its_default() {
    let model = at_first_step();
    let question = &form(&model).inputs[0];
    assert_eq!(question.label, "How does the vendor sign in?");
    assert_eq!(question.value(), "client-credentials");
    assert!(question.field_id.is_none(), "an answer, not a field");
    assert_eq!(
        form(&model).inputs[1].field_id.as_deref(),
        Some("integration_username")
    );
    assert_eq!(flow(&model), Flow::ClientCredentials);
    // Only the first step asks.
    let mut later = model.clone();
    press(&mut later, Key::PageDown);
    assert!(form(&later).inputs.iter().all(|i| i.choice.is_none()));
}

#[test]
fn changing_the_answer_re_resolves_and_keeps_what_was_typed() {
    let mut model = at_first_step();
    let steps_before = model.recipe().unwrap().steps.len();
    press(&mut model, Key::Tab);
    type_text(&mut model, "etl@acme.example");
    press(&mut model, Key::BackTab);
    let cmds = press(&mut model, Key::Right);
    assert_eq!(flow(&model), Flow::JwtBearer);
    let recipe = model.recipe().unwrap();
    assert_eq!(
        recipe.steps.len(),
        steps_before + 1,
        "the JWT-only step joins"
    );
    assert!(recipe.step("permissions").is_some());
    assert_eq!(
        model.setup.as_ref().unwrap().marks.len(),
        recipe.steps.len()
    );
    assert_eq!(form(&model).inputs[0].value(), "jwt-bearer");
    assert_eq!(form(&model).focus, 0, "the question keeps the focus");
    assert_eq!(form(&model).inputs[1].value(), "etl@acme.example");
    let saved = saved_of(&cmds).expect("the answer is saved");
    assert_eq!(
        saved.choices.get("flow").map(String::as_str),
        Some("jwt-bearer")
    );
    // Typing doesn't change a choice; ←→ and space cycle, wrapping around.
    press(&mut model, Key::Char('x'));
    assert_eq!(form(&model).inputs[0].value(), "jwt-bearer");
    press(&mut model, Key::Char(' '));
    assert_eq!(flow(&model), Flow::ClientCredentials);
    press(&mut model, Key::Left);
    assert_eq!(flow(&model), Flow::JwtBearer);
    press(&mut model, Key::Left);
    assert_eq!(flow(&model), Flow::ClientCredentials);
    assert_eq!(model.recipe().unwrap().steps.len(), steps_before);
}

#[test]
fn marks_of_shared_steps_survive_a_change_of_answer() {
    let mut model = at_first_step();
    complete_step(&mut model);
    assert_eq!(model.kind(), ScreenKind::Step(1));
    press(&mut model, Key::Esc);
    assert_eq!(model.kind(), ScreenKind::Step(0));
    press(&mut model, Key::Right);
    let setup = model.setup.as_ref().unwrap();
    assert_eq!(setup.marks[0], StepMark::Done, "the user step was done");
    let permissions = setup
        .recipe
        .steps
        .iter()
        .position(|s| s.id == "permissions")
        .unwrap();
    assert_eq!(
        setup.marks[permissions],
        StepMark::Todo,
        "a new step is to do"
    );
}

#[test]
fn a_resumed_setup_keeps_its_answers() {
    let mut model = at_first_step();
    press(&mut model, Key::Right);
    let cmds = complete_step(&mut model);
    let saved = saved_of(&cmds).unwrap().clone();
    assert_eq!(
        saved.choices.get("flow").map(String::as_str),
        Some("jwt-bearer")
    );
    let json = serde_json::to_string(&saved).unwrap();
    assert!(
        json.contains(r#""choices":{"flow":"jwt-bearer"}"#),
        "{json}"
    );

    let mut resumed = Model::new(recipes(), vec![saved], 2_000);
    resize(&mut resumed, 100, 40);
    press(&mut resumed, Key::Enter);
    assert_eq!(flow(&resumed), Flow::JwtBearer);
    assert!(resumed.recipe().unwrap().step("permissions").is_some());
    assert_eq!(resumed.kind(), ScreenKind::Step(1));
    press(&mut resumed, Key::Esc);
    assert_eq!(form(&resumed).inputs[0].value(), "jwt-bearer");
}

#[test]
fn a_setup_without_choices_saves_none() {
    let mut model = Model::new(recipes(), Vec::new(), 1_000);
    resize(&mut model, 100, 40);
    choose(&mut model, "apideck");
    let cmds = set_org(&mut model, "https://acme.my.salesforce.com");
    let saved = saved_of(&cmds).unwrap();
    assert!(saved.choices.is_empty());
    assert!(!serde_json::to_string(saved).unwrap().contains("choices"));
    assert!(form(&model).inputs.iter().all(|i| i.choice.is_none()));
}

#[test]
fn the_connect_uses_the_chosen_combination() {
    let mut model = at_first_step();
    press(&mut model, Key::Right);
    walk_to_review(&mut model);
    let cmds = press(&mut model, Key::Enter);
    let spec = cmds
        .iter()
        .find_map(|c| match c {
            Cmd::Connect(spec) => Some(spec),
            _ => None,
        })
        .expect("a connect");
    assert_eq!(
        spec.choices,
        [("flow".to_string(), "jwt-bearer".to_string())]
    );
    let loaded = recipe::parse("example.toml", EXAMPLE).unwrap();
    assert_eq!(
        recipe::answers::variant(&loaded, &spec.choices).flow,
        Flow::JwtBearer
    );
}
