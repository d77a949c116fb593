//! eca-wizard: from "we need an integration" to a verified Salesforce External Client App.
//!
//! The library holds everything; `main.rs` only parses arguments and runs a command.

pub mod cli;
pub mod commands;
pub mod emulator;
pub mod jwt;
pub mod net;
pub mod recipe;
pub mod salesforce;
