//! The wizard's pure core: a `Model`, the `Msg`s that change it, and the `Cmd`s it asks the
//! runtime to carry out. No terminal, no I/O, no clock: time arrives as a message.

mod fields;
pub mod keys;
mod model;
mod msg;
mod screen;
mod security;
mod typed;
mod update;
pub mod vendor;
pub mod waiting;

pub use fields::{FieldInput, MAX_PASTE};
pub use model::{
    ApplyView, Applying, CliLogin, ConnectView, DEMO_CERTIFICATE_MARKER, DEMO_KEY_MARKER, Demo,
    Dialog, Environment, Latest, Model, NO_ORG, PemSource, Progress, SavedSetup, Setup, StepMark,
    Toast, Viewport, demo_username, made_by_apply,
};
pub use msg::{AppliedApp, ApplySpec, Cmd, ConnectSpec, Key, Msg, Summary};
pub use screen::{
    ConnectFocus, ConnectScreen, Fix, Form, Pane, Screen, ScreenKind, StatusScreen, StepScreen,
};
pub use security::SecurityLine;
pub use typed::{THE_APP, THE_USER, Typed, fill_handoff};
pub use update::update;
