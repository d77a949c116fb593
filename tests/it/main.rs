//! The integration tests: one binary, so the library is linked once. Everything that needs no
//! pseudo-terminal and no outside program is here; the real binary in a terminal is in
//! `tests/pty`, jsforce, the packaging library, the Salesforce CLI, shells and the keychain in
//! `tests/external`. Shared support (the emulator, HTTP, the launcher of `eca-wizard`, temporary
//! folders, ports) is in `tests/common`. `layout::every_test_file_is_a_module` fails when a file
//! here is missing from this list.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on purpose

#[path = "../common/mod.rs"]
mod common;

// The pure core: the state machine, its keys and screens, the recipes and rules.
mod demo_wizard;
mod flow_words;
mod format2_screens;
mod headless_columns;
mod hosts;
mod issue26_defects;
mod issue26_words;
mod keys;
mod naming;
mod org_needs;
mod package_install;
mod properties;
mod recipe_check;
mod recipe_format2;
mod recipes;
mod roles;
mod screens;
mod screens_every_recipe;
mod setup_certificate;
mod typed_values;
mod waiting;
mod wizard;
mod wizard_choices;

// The emulator, over real HTTP on loopback.
mod emulator_authorize;
mod emulator_banner;
mod emulator_field_errors;
mod emulator_identity;
mod emulator_mcp;
mod emulator_propagation;
mod emulator_rest;
mod emulator_robustness;
mod emulator_token;

// Connecting and diagnosing, in process.
mod catalogue_lists;
mod connect_diagnosis;
mod connect_flows;
mod diagnosis_consistency;
mod explain_catalogue_forms;
mod explain_client_words;
mod explain_client_words_2;
mod explain_evidence;
mod explain_generic_codes;
mod explain_principles;
mod explain_ranking;
mod explain_wrappers;
mod faults;
mod field_ceiling;
mod field_corpus;
mod held_out_guides;
mod listener;
mod mcp_connect;
mod net_failures;
mod runtime;

// The commands as a user runs them.
mod apply_command;
mod apply_deploy;
mod apply_security;
mod browser_launch;
mod builtin_choices;
mod choice_flow_host;
mod cli_choices;
mod cli_connect;
mod cli_exit_codes;
mod cli_habits;
mod cli_recipes;
mod deploy_failures;
mod export_formats;
mod json_contract;
mod keep;
mod local_recipes;
mod metadata;
mod metadata_check;
mod pasted_paths;
mod pem_files;
mod profile_choices;
mod profiles;
mod profiles_cli;
mod rotate;
mod save_first;
mod secret_scan;
mod untrusted_recipes;
mod version;

// Hostile input, and the house rules the code and this layout keep.
mod attacks;
mod house_rules;
mod layout;
