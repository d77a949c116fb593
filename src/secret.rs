//! A string that must not leak: consumer secrets, tokens, codes, PKCE verifiers. It has no
//! `Display` and no `Serialize`, and its `Debug` prints a mask, so it can't end up in a log, a
//! panic message or `--json` output by accident; reading it takes an explicit `expose()`.

/// Where `connect` and `status` read the consumer secret from when it isn't piped in.
pub const CLIENT_SECRET_ENV: &str = "ECA_WIZARD_CLIENT_SECRET";

use std::fmt;

use serde::Deserialize;

#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for the one place that must send or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Compares in constant time for equal lengths (for `state` and the like).
    pub fn matches(&self, other: &str) -> bool {
        constant_eq(&self.0, other)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Compares without an early exit on the first differing byte.
pub fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_masks_the_value() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "Secret(***)");
        assert!(secret.matches("hunter2") && !secret.matches("hunter3") && !secret.matches(""));
    }
}
