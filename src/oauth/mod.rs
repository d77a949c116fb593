//! OAuth against Salesforce (or any compliant server): PKCE and state, the token grants, the
//! loopback listener that catches the browser's redirect, and parsing what the admin pastes.
//! No terminal here: callers get values and events.

pub mod callback;
pub mod client;
pub mod listener;
pub mod pkce;

pub use callback::{PasteError, Returned};
pub use client::{Failure, OAuthClient, Probe, Tokens};
pub use pkce::{Pkce, new_state};
