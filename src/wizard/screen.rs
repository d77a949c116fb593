//! The screen on show and what belongs to it alone: a step's fields and focus, the paste box,
//! a pane's scroll offset. Leaving a screen drops its state; the next one starts fresh, so no
//! field has to be reset by hand. `update::show` is the one place that changes the screen.

use std::collections::BTreeSet;

use crate::salesforce::settings::SettingKey;
use crate::wizard::fields::FieldInput;

#[derive(Debug, Clone)]
pub enum Screen {
    /// The list of integrations and saved setups.
    Start,
    /// The org's login URL.
    Org(Form),
    Step(StepScreen),
    Review(Pane),
    Connect(ConnectScreen),
    Status(StatusScreen),
    Done(Pane),
}

/// Which screen is on show, without its state: what the footer, the title and tests compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenKind {
    Start,
    Org,
    Step(usize),
    Review,
    Connect,
    Status,
    Done,
}

/// Text inputs with one of them focused, and notes about what was accepted.
#[derive(Debug, Clone, Default)]
pub struct Form {
    pub inputs: Vec<FieldInput>,
    pub focus: usize,
    pub notes: Vec<String>,
}

/// A text pane's scroll offset, kept within what the text needs (`Viewport::max_scroll`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pane {
    pub scroll: u16,
}

/// A checklist step: its fields, and what the admin is doing with them.
#[derive(Debug, Clone, Default)]
pub struct StepScreen {
    pub index: usize,
    pub form: Form,
    pub pane: Pane,
    pub reveal_secrets: bool,
    /// The step was reached through `f`: what is wrong there and what it should be.
    pub fix: Option<Fix>,
    /// File fields being read now (the step confirms when they all come back good).
    pub files_reading: BTreeSet<String>,
}

/// Where keys go on the connect screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConnectFocus {
    #[default]
    Screen,
    /// The box for the address the browser ended on (or its code or error).
    PasteBox,
}

#[derive(Debug, Clone, Default)]
pub struct ConnectScreen {
    pub focus: ConnectFocus,
    pub paste: FieldInput,
    pub paste_error: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusScreen {
    pub pane: Pane,
    /// The diagnosis's other possible causes are listed.
    pub show_causes: bool,
}

/// A step opened to fix what the checks found: the app exists, so the step shows its edit path
/// and marks the one setting to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the diagnosis said.
    pub message: String,
    /// The setting at fault, when it is one.
    pub setting: Option<SettingKey>,
    /// What the setting holds now, as far as the error tells (a checkbox: the other state).
    pub wrong: Option<String>,
}

impl Screen {
    pub fn kind(&self) -> ScreenKind {
        match self {
            Screen::Start => ScreenKind::Start,
            Screen::Org(_) => ScreenKind::Org,
            Screen::Step(step) => ScreenKind::Step(step.index),
            Screen::Review(_) => ScreenKind::Review,
            Screen::Connect(_) => ScreenKind::Connect,
            Screen::Status(_) => ScreenKind::Status,
            Screen::Done(_) => ScreenKind::Done,
        }
    }

    /// The screen's form, on the screens where something is typed into fields.
    pub fn form(&self) -> Option<&Form> {
        match self {
            Screen::Org(form) => Some(form),
            Screen::Step(step) => Some(&step.form),
            _ => None,
        }
    }

    pub fn form_mut(&mut self) -> Option<&mut Form> {
        match self {
            Screen::Org(form) => Some(form),
            Screen::Step(step) => Some(&mut step.form),
            _ => None,
        }
    }

    /// The screen's scrolling text pane, where it has one.
    pub fn pane(&self) -> Option<Pane> {
        match self {
            Screen::Step(step) => Some(step.pane),
            Screen::Review(pane) | Screen::Done(pane) => Some(*pane),
            Screen::Status(status) => Some(status.pane),
            Screen::Start | Screen::Org(_) | Screen::Connect(_) => None,
        }
    }

    pub fn pane_mut(&mut self) -> Option<&mut Pane> {
        match self {
            Screen::Step(step) => Some(&mut step.pane),
            Screen::Review(pane) | Screen::Done(pane) => Some(pane),
            Screen::Status(status) => Some(&mut status.pane),
            Screen::Start | Screen::Org(_) | Screen::Connect(_) => None,
        }
    }

    /// Lines the screen's text is scrolled (0 where nothing scrolls).
    pub fn scroll(&self) -> u16 {
        self.pane().map_or(0, |p| p.scroll)
    }

    /// The fix the step on show was opened for.
    pub fn fix(&self) -> Option<&Fix> {
        match self {
            Screen::Step(step) => step.fix.as_ref(),
            _ => None,
        }
    }
}

impl Form {
    pub fn new(inputs: Vec<FieldInput>) -> Form {
        Form {
            inputs,
            ..Form::default()
        }
    }

    pub fn focused(&self) -> Option<&FieldInput> {
        self.inputs.get(self.focus)
    }

    pub fn focused_mut(&mut self) -> Option<&mut FieldInput> {
        self.inputs.get_mut(self.focus)
    }
}
