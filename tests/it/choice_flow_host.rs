//! A `flow` answer changed on the first step is checked against the org's login host by the
//! org screen's own rule (client credentials only on the My Domain): the admin is told at once
//! what to fix, keeps the answer and everything typed, and can't confirm the step until the
//! answer or the org fits.

use crate::common::driving::*;
use eca_wizard::recipe::{self, Recipe};
use eca_wizard::salesforce::Flow;
use eca_wizard::wizard::{Key, Model, ScreenKind};

const EXAMPLE: &str = include_str!("../data/format2-example.toml");

/// The built-ins and the example with JWT bearer (which the login host allows) as its default.
fn recipes() -> &'static [Recipe] {
    let mut all = recipe::builtin().unwrap().to_vec();
    let text = EXAMPLE.replace(
        "default = \"client-credentials\"",
        "default = \"jwt-bearer\"",
    );
    let mut example = recipe::parse("example.toml", &text).unwrap();
    example.origin = Some("recipes/example.toml".into());
    all.push(example);
    Box::leak(all.into_boxed_slice())
}

fn on_login_salesforce_com() -> Model {
    let mut model = Model::new(recipes(), Vec::new(), 1_000);
    resize(&mut model, 100, 40);
    choose(&mut model, "etl-either-flow");
    set_org(&mut model, "https://login.salesforce.com");
    assert_eq!(
        model.kind(),
        ScreenKind::Step(0),
        "JWT bearer signs in there"
    );
    assert_eq!(model.recipe().unwrap().flow, Flow::JwtBearer);
    model
}

const SAID: &str = "The client credentials flow does not work on login.salesforce.com";

#[test]
fn a_flow_the_login_host_refuses_is_named_at_once_with_the_fix_and_nothing_typed_is_lost() {
    let mut model = on_login_salesforce_com();
    assert!(form(&model).inputs[0].error.is_none());
    press(&mut model, Key::Tab);
    type_text(&mut model, "etl@acme.example");
    press(&mut model, Key::BackTab);

    press(&mut model, Key::Right);
    assert_eq!(model.recipe().unwrap().flow, Flow::ClientCredentials);
    let question = &form(&model).inputs[0];
    assert_eq!(question.value(), "client-credentials", "the answer is kept");
    let error = question.error.as_deref().unwrap_or_default();
    assert!(
        error.contains(SAID)
            && error.contains("My Domain")
            && error.contains("Esc goes back to the org"),
        "{error}"
    );
    assert_eq!(form(&model).inputs[1].value(), "etl@acme.example");

    // Enter is refused on the question, whichever field has the focus.
    press(&mut model, Key::Tab);
    press(&mut model, Key::Enter);
    assert_eq!(model.kind(), ScreenKind::Step(0));
    assert_eq!(form(&model).focus, 0, "the question gets the focus");
    assert!(form(&model).inputs[0].error.is_some());

    // Back to an answer the host takes: the error goes, the step confirms.
    press(&mut model, Key::Left);
    assert!(form(&model).inputs[0].error.is_none());
    assert_eq!(form(&model).inputs[1].value(), "etl@acme.example");
    complete_step(&mut model);
    assert_eq!(model.kind(), ScreenKind::Step(1));
}

#[test]
fn on_the_my_domain_the_same_answer_is_taken() {
    let mut model = on_login_salesforce_com();
    press(&mut model, Key::Right);
    assert!(form(&model).inputs[0].error.is_some());
    // The fix the message names: the org screen, then the My Domain.
    press(&mut model, Key::Esc);
    assert_eq!(model.kind(), ScreenKind::Org);
    set_org(&mut model, "https://acme.my.salesforce.com");
    assert_eq!(model.kind(), ScreenKind::Step(0));
    assert_eq!(model.recipe().unwrap().flow, Flow::ClientCredentials);
    assert!(form(&model).inputs[0].error.is_none());
    complete_step(&mut model);
    assert_eq!(model.kind(), ScreenKind::Step(1));
}
