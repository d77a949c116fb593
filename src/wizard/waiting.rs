//! What the connect screen says while a connect waits to try again: how long ago the app was
//! saved against how long Salesforce usually takes, and what else gives the same error. A
//! mistyped key and a new app answer alike (`invalid_client_id`), so the other causes are named
//! from the first wait and put first once the wait is longer than propagation usually is.

use crate::salesforce::diagnosis::{Diagnosis, Kind, Target};
use crate::salesforce::settings::SettingKey;
use crate::wizard::model::Model;

/// How long a new or edited app usually takes to work everywhere. Source: field-facts-2026.md
/// ("about 10 minutes; users reported waiting 30 minutes").
pub const USUAL_PROPAGATION_MS: u64 = 10 * 60 * 1000;

/// The wait, as the screen tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting<'a> {
    pub diagnosis: &'a Diagnosis,
    /// Seconds before the next try.
    pub next_in_secs: u64,
    /// Since the app was saved or last edited, when the wizard knows.
    pub since_saved_ms: Option<u64>,
    /// How long the org usually takes (the demo org: its set delay; a recipe's
    /// `propagation_minutes`: what its vendor says).
    pub usual_ms: u64,
    pub demo: bool,
    /// `usual_ms` is the recipe's window, not Salesforce's usual one.
    pub by_recipe: bool,
    /// Token requests so far.
    pub logins: u32,
}

impl Waiting<'_> {
    /// Salesforce doesn't know the app yet, as far as the error tells.
    pub fn propagating(&self) -> bool {
        self.diagnosis.kind == Kind::Propagating
    }

    /// The network or a server failed: nothing about the app.
    pub fn unreachable(&self) -> bool {
        self.diagnosis.kind == Kind::Transient
    }

    /// Longer than propagation usually takes: the other causes come first now.
    pub fn overdue(&self) -> bool {
        self.since_saved_ms.is_some_and(|ms| ms > self.usual_ms)
    }

    /// The other causes the diagnosis lists, each as what it is and what to check ("a typo in
    /// the consumer key", "the consumer key").
    pub fn other_causes(&self) -> Vec<(&'static str, &'static str)> {
        let mut phrases = Vec::new();
        for cause in &self.diagnosis.others {
            let phrase = match &cause.target {
                Some(Target::Credentials) => ("a typo in the consumer key", "the consumer key"),
                Some(Target::LoginUrl) => ("a login URL of another org", "the login URL"),
                Some(Target::Setting(SettingKey::CallbackUrl)) => (
                    "a callback URL missing from the app",
                    "the app's Callback URL field",
                ),
                _ => continue,
            };
            if !phrases.contains(&phrase) {
                phrases.push(phrase);
            }
        }
        phrases
    }
}

impl Model {
    /// The connect's wait before its next try, when it is waiting.
    pub fn waiting(&self) -> Option<Waiting<'_>> {
        let (_, _, diagnosis) = self.connect.waiting.as_ref()?;
        let by_recipe = self.demo.is_none() && recipe_window_ms(self).is_some();
        let usual_ms = match &self.demo {
            Some(demo) => demo.propagation_secs * 1000,
            None => recipe_window_ms(self).unwrap_or(USUAL_PROPAGATION_MS),
        };
        Some(Waiting {
            diagnosis,
            next_in_secs: self.countdown_secs()?,
            since_saved_ms: self
                .setup
                .as_ref()
                .and_then(|s| s.app_saved_at_ms)
                .map(|at| self.now_ms.saturating_sub(at)),
            usual_ms,
            demo: self.demo.is_some(),
            by_recipe,
            logins: self.connect.logins,
        })
    }
}

/// The recipe's own propagation window (format 2 `propagation_minutes`: a vendor that says "a
/// couple of hours"), when it has one.
fn recipe_window_ms(model: &Model) -> Option<u64> {
    let minutes = model.recipe()?.propagation_minutes?;
    Some(u64::from(minutes) * 60 * 1000)
}

/// A duration as the admin reads it: "45 s", "3 min", "1 min 20 s".
pub fn spoken(ms: u64) -> String {
    let secs = ms / 1000;
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) if m < 5 => format!("{m} min {s} s"),
        (m, _) if m >= 120 && m % 60 == 0 => format!("{} h", m / 60),
        (m, _) => format!("{m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(spoken(45_000), "45 s");
        assert_eq!(spoken(80_000), "1 min 20 s");
        assert_eq!(spoken(600_000), "10 min");
        assert_eq!(spoken(725_000), "12 min");
    }
}
