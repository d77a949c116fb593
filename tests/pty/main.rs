//! The real `eca-wizard` in a pseudo-terminal: keys typed, the screen read back through a vt100
//! parser (`terminal.rs`, the one driver).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on purpose

#[path = "../common/mod.rs"]
mod common;

mod demo_every_recipe;
mod e2e;
mod terminal;
