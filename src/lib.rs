//! eca-wizard: from "we need an integration" to a verified Salesforce External Client App.
//!
//! The library holds everything; `main.rs` only parses arguments and runs a command.

pub mod apply;
pub mod browser;
pub mod cancel;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod connect;
pub mod debug_log;
pub mod emulator;
pub mod files;
pub mod html;
pub mod jwt;
pub mod metadata;
pub mod net;
pub mod oauth;
pub mod profile;
pub mod recipe;
pub mod retry;
pub mod runtime;
pub mod salesforce;
pub mod secret;
pub mod shell_quote;
pub mod signals;
pub mod terminal_safe;
pub mod transport;
pub mod ui;
pub mod verify;
pub mod version;
pub mod wizard;
pub mod words;
