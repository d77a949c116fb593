//! Driving the wizard's pure core with messages, for the state-machine and snapshot tests.

use eca_wizard::recipe;
use eca_wizard::wizard::{Cmd, Form, Key, Model, Msg, Screen, ScreenKind, StepScreen, update};

pub const SECRET: &str = "S3cr3tValueForTests0123456789";

pub fn model() -> Model {
    Model::new(recipe::builtin().unwrap(), Vec::new(), 1_000)
}

/// A key press as the runtime delivers it: then, as after every frame, the layout.
pub fn press(model: &mut Model, key: Key) -> Vec<Cmd> {
    let cmds = update(model, Msg::Key(key));
    measure(model);
    cmds
}

/// The terminal's size changes (as the runtime reports it), then the layout is measured.
pub fn resize(model: &mut Model, width: u16, height: u16) {
    update(model, Msg::Resize(width, height));
    measure(model);
}

/// What the runtime does after drawing: tells the core the layout of the screen on show.
pub fn measure(model: &mut Model) {
    let layout = eca_wizard::ui::layout(model);
    update(model, layout);
}

/// The fields on show (the org screen's or a step's).
pub fn form(model: &Model) -> &Form {
    model.screen.form().expect("a screen with fields")
}

pub fn form_mut(model: &mut Model) -> &mut Form {
    model.screen.form_mut().expect("a screen with fields")
}

/// Reaching into the screen on show, for tests that set a state up directly.
pub trait OnScreen {
    /// The fields on show (the org screen's or a step's).
    fn fields(&self) -> &Form;
    fn fields_mut(&mut self) -> &mut Form;
    /// The scroll offset of the screen's pane.
    fn scroll_mut(&mut self) -> &mut u16;
    /// The step on show.
    fn step(&self) -> &StepScreen;
    fn step_mut(&mut self) -> &mut StepScreen;
    /// The toast's text, if one is up.
    fn toast_text(&self) -> Option<&str>;
}

impl OnScreen for Model {
    fn fields(&self) -> &Form {
        form(self)
    }
    fn fields_mut(&mut self) -> &mut Form {
        form_mut(self)
    }
    fn scroll_mut(&mut self) -> &mut u16 {
        &mut self
            .screen
            .pane_mut()
            .expect("a screen that scrolls")
            .scroll
    }
    fn step(&self) -> &StepScreen {
        match &self.screen {
            Screen::Step(step) => step,
            other => panic!("not a step: {:?}", other.kind()),
        }
    }
    fn step_mut(&mut self) -> &mut StepScreen {
        match &mut self.screen {
            Screen::Step(step) => step,
            other => panic!("not a step: {:?}", other.kind()),
        }
    }
    fn toast_text(&self) -> Option<&str> {
        self.toast.text.as_deref()
    }
}

/// The metadata prompt's folder field.
#[allow(dead_code)] // not every test file uses every helper
pub fn folder(model: &Model) -> &eca_wizard::wizard::FieldInput {
    match &model.dialog {
        Some(eca_wizard::wizard::Dialog::MetadataFolder(folder)) => folder,
        _ => panic!("the metadata prompt isn't open"),
    }
}

/// The number of fields on show (none on screens without fields).
pub fn field_count(model: &Model) -> usize {
    model.screen.form().map_or(0, |f| f.inputs.len())
}

pub fn type_text(model: &mut Model, text: &str) {
    for c in text.chars() {
        press(model, Key::Char(c));
    }
}

pub fn clear_field(model: &mut Model) {
    press(model, Key::Ctrl('u'));
    press(model, Key::Ctrl('k'));
}

/// Chooses a recipe by id on the start screen.
pub fn choose(model: &mut Model, id: &str) {
    let index = model.recipes.iter().position(|r| r.id == id).unwrap();
    for _ in 0..index {
        press(model, Key::Down);
    }
    press(model, Key::Enter);
    assert_eq!(model.kind(), ScreenKind::Org);
}

pub fn set_org(model: &mut Model, url: &str) -> Vec<Cmd> {
    clear_field(model);
    type_text(model, url);
    press(model, Key::Enter)
}

/// Fills the current step's fields that have no value and confirms it.
pub fn complete_step(model: &mut Model) -> Vec<Cmd> {
    for i in 0..field_count(model) {
        form_mut(model).focus = i;
        if form(model).inputs[i].value().is_empty() {
            let value = match form(model).inputs[i].field_id.as_deref() {
                Some("integration_username") => "integration@acme.example",
                Some("contact_email") => "admin@acme.example",
                Some("consumer_key") => "3MVG9TestConsumerKey000000",
                Some("consumer_secret") => SECRET,
                Some("app_name") => "Acme Sync",
                Some("permission_set") => "Acme_Integration",
                _ => "value",
            };
            type_text(model, value);
        }
    }
    confirm(model)
}

/// Presses enter on a step; files the step asks the runtime to read are answered as good.
pub fn confirm(model: &mut Model) -> Vec<Cmd> {
    let mut cmds = press(model, Key::Enter);
    let reads: Vec<(String, String)> = cmds
        .iter()
        .filter_map(|c| match c {
            Cmd::InspectFile { field, path, .. } => Some((field.clone(), path.clone())),
            _ => None,
        })
        .collect();
    for (field, path) in reads {
        cmds.extend(update(
            model,
            Msg::FileInspected {
                field,
                path,
                result: Ok(None),
            },
        ));
    }
    cmds
}

pub fn walk_to_review(model: &mut Model) -> Vec<Cmd> {
    let mut all = Vec::new();
    for _ in 0..40 {
        if !matches!(model.kind(), ScreenKind::Step(_)) {
            break;
        }
        all.extend(complete_step(model));
        fix_invalid_fields(model);
    }
    assert_eq!(
        model.kind(),
        ScreenKind::Review,
        "{:?}",
        model
            .screen
            .form()
            .map(|f| f.inputs.iter().map(|i| &i.error).collect::<Vec<_>>())
    );
    all
}

/// After `complete_step`: fields still in error (a vendor placeholder left in) get a valid
/// value of their kind, and the step is confirmed again.
#[allow(dead_code)] // not every test file uses every helper
pub fn fix_invalid_fields(model: &mut Model) {
    use eca_wizard::recipe::Validator;
    let Some(fields) = model.screen.form() else {
        return;
    };
    if !fields.inputs.iter().any(|i| i.error.is_some()) {
        return;
    }
    for i in 0..field_count(model) {
        if form(model).inputs[i].error.is_none() {
            continue;
        }
        form_mut(model).focus = i;
        clear_field(model);
        let value = match form(model).inputs[i].validator {
            Some(Validator::CallbackUrls) => "https://app.example.com/oauth/callback",
            Some(Validator::HttpsUrl) => "https://app.example.com",
            Some(Validator::Email) => "admin@acme.example",
            Some(Validator::Username) => "integration@acme.example",
            _ => "value",
        };
        type_text(model, value);
    }
    confirm(model);
}

/// The screen the model draws at `width` x `height`, as text: one line per row.
pub fn draw(model: &Model, width: u16, height: u16) -> String {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| eca_wizard::ui::render(model, frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..height {
        for x in 0..width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}
