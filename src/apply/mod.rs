//! `eca-wizard apply`: the Setup done through the admin's own Salesforce session. The session
//! comes from the Salesforce CLI or by hand (`session`); the recipe's metadata goes as an mdapi
//! zip (`package`) through the Metadata API's REST deploy (`deploy`); the key and secret come back through Connect REST (`credentials`).

pub mod credentials;
pub mod deploy;
pub mod event;
mod handover;
pub mod install;
pub mod installed;
pub mod live;
pub mod org_binding;
pub mod org_settings;
pub mod package;
pub mod plan_security;
pub mod prerequisites;
pub mod program;
pub mod request;
pub mod restore_marker;
pub mod rotate;
pub mod run;
pub mod secret_setting;
pub mod session;
pub mod user;

#[cfg(test)]
mod body_cap_tests;
