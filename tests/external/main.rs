//! Tests that need a program from outside: jsforce and source-deploy-retrieve (npm, in
//! `tests/jsforce` and `tests/sdr`), the Salesforce CLI (`tests/sfcli`), zsh and fish for the
//! completion scripts, and a Secret Service for the keychain. Each skips with a note when its
//! program is missing, unless its `ECA_REQUIRE_*` variable is set (`.ci/run` sets them all).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on purpose

#[path = "../common/mod.rs"]
mod common;

mod completions;
mod jsforce;
mod npm_package;
mod sdr;
mod secret_service;
mod sf_cli;
