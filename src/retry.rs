//! When to try again: only `propagating` and `transient` failures. Transient ones back off
//! exponentially with jitter under a cap. Propagation is waited out inside its window, paced by
//! what the next attempt costs: a probe that is no login (the authorize page) every few seconds,
//! so readiness is noticed at once; a login (a token request) at a tenth of the time waited so
//! far, at least every 5 s, and at most 40 per window (Salesforce allows 3,600 logins per user
//! per hour; we stay far below).

use std::time::Duration;

use crate::salesforce::diagnosis::{Diagnosis, Kind, Window};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The first wait.
    pub base: Duration,
    /// No wait is longer.
    pub cap: Duration,
    /// How long after the app was saved `propagating` errors are still a delay.
    pub window: Duration,
    /// Total attempts, the first included.
    pub max_attempts: u32,
    /// The wait after `login rate exceeded`.
    pub rate_limit_pause: Duration,
    /// Between probes that are no login, while an app propagates.
    pub probe_every: Duration,
    /// The shortest wait between logins while an app propagates.
    pub login_every: Duration,
    /// Logins (token requests) spent waiting out one propagation window, at most.
    pub max_logins: u32,
    /// No run waits longer in all, whatever it waits for (`--max-wait`).
    pub max_wait: Duration,
}

/// What the next attempt costs Salesforce, which sets how soon it may come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Try {
    /// A request that is no login (the authorize page): cheap, so often.
    Probe,
    /// A token request: a login, counted against the user's hourly allowance.
    Login,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base: Duration::from_secs(2),
            cap: Duration::from_secs(30),
            window: Duration::from_secs(15 * 60),
            max_attempts: 60,
            rate_limit_pause: Duration::from_secs(5 * 60),
            probe_every: Duration::from_millis(2_500),
            login_every: Duration::from_secs(5),
            max_logins: 40,
            // The default window and five minutes for the login and the checks.
            max_wait: Duration::from_secs(20 * 60),
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then make attempt `attempt` (1-based).
    RetryAfter { delay: Duration, attempt: u32 },
    /// Stop: the diagnosis stands.
    GiveUp,
}

impl RetryPolicy {
    /// Whether `elapsed` since the app was saved is still inside the window.
    pub fn window_at(&self, elapsed: Duration) -> Window {
        if elapsed < self.window {
            Window::Inside
        } else {
            Window::After
        }
    }

    /// The wait before attempt `attempt + 1`: base * 2^(attempt-1), capped, then scaled by a
    /// jitter factor in [0.5, 1.0] from `jitter` (0..1) so many clients don't retry in step.
    pub fn delay(&self, attempt: u32, jitter: f64) -> Duration {
        let exponent = attempt.saturating_sub(1).min(16);
        let raw = self.base.saturating_mul(1u32 << exponent).min(self.cap);
        raw.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
    }

    /// The wait before the next attempt of kind `next` while an app propagates, `elapsed`
    /// after it was saved: probes every `probe_every` (jittered down, never up), logins at a
    /// ninth of `elapsed` but at least `login_every` apart (barely jittered: their count is
    /// the budget). Readiness is then noticed within `probe_every` by probes, and within about
    /// a tenth of the delay plus `login_every` by logins, on at most `max_logins` logins.
    pub fn pace(&self, next: Try, elapsed: Duration, jitter: f64) -> Duration {
        let jitter = jitter.clamp(0.0, 1.0);
        match next {
            Try::Probe => self.probe_every.mul_f64(0.8 + 0.2 * jitter),
            Try::Login => self
                .login_every
                .max(elapsed / 9)
                .mul_f64(0.97 + 0.03 * jitter),
        }
    }

    /// Decides after failed attempt `attempt` (of all attempts; `logins` of them token
    /// requests) with this diagnosis, `elapsed` after the app was saved, when the next attempt
    /// would be a `next`. A wait never runs past the window for propagation errors.
    pub fn decide(
        &self,
        diagnosis: &Diagnosis,
        next: Try,
        (attempt, logins): (u32, u32),
        elapsed: Duration,
        jitter: f64,
    ) -> Decision {
        if !diagnosis.kind.is_retryable() {
            return Decision::GiveUp;
        }
        let propagating = diagnosis.kind == Kind::Propagating;
        // A transport failure has its family's budget: a mistyped host isn't tried 60 times.
        let budget = crate::transport::Transport::tries_for(diagnosis)
            .map_or(self.max_attempts, |tries| tries.min(self.max_attempts));
        let spent = if propagating {
            next == Try::Login && logins >= self.max_logins
        } else {
            attempt >= budget
        };
        if spent {
            return Decision::GiveUp;
        }
        let delay = if is_rate_limit(diagnosis) {
            self.rate_limit_pause
        } else if propagating {
            self.pace(next, elapsed, jitter)
        } else {
            self.delay(attempt, jitter)
        };
        if diagnosis.kind == Kind::Propagating && elapsed + delay > self.window {
            let left = self.window.saturating_sub(elapsed);
            if left.is_zero() {
                return Decision::GiveUp;
            }
            return Decision::RetryAfter {
                delay: left,
                attempt: attempt + 1,
            };
        }
        Decision::RetryAfter {
            delay,
            attempt: attempt + 1,
        }
    }
}

/// `login rate exceeded` (a transient `invalid_grant`) or the authorize page's rate limit.
fn is_rate_limit(diagnosis: &Diagnosis) -> bool {
    diagnosis.error == "rate_limit_exceeded"
        || (diagnosis.error == "invalid_grant" && diagnosis.kind == Kind::Transient)
}

/// A jitter value in [0, 1) from the system's randomness (0.5 if it fails).
pub fn jitter() -> f64 {
    use ring::rand::{SecureRandom, SystemRandom};
    let mut bytes = [0u8; 2];
    match SystemRandom::new().fill(&mut bytes) {
        Ok(()) => f64::from(u16::from_le_bytes(bytes)) / 65536.0,
        Err(_) => 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::salesforce::diagnosis::{Phase, diagnose};

    fn diagnosis(error: &str, description: &str) -> Diagnosis {
        diagnose(Phase::ClientCredentials, error, description, Window::Inside)
    }

    #[test]
    fn backoff_doubles_caps_and_jitters() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(1, 1.0), Duration::from_secs(2));
        assert_eq!(policy.delay(2, 1.0), Duration::from_secs(4));
        assert_eq!(policy.delay(10, 1.0), Duration::from_secs(30));
        assert_eq!(policy.delay(1, 0.0), Duration::from_secs(1));
        assert_eq!(policy.delay(u32::MAX, 1.0), Duration::from_secs(30));
    }

    #[test]
    fn only_propagating_and_transient_are_retried() {
        let policy = RetryPolicy::default();
        let propagating = diagnosis("invalid_client_id", "client identifier invalid");
        assert!(matches!(
            policy.decide(&propagating, Try::Login, (1, 1), Duration::ZERO, 1.0),
            Decision::RetryAfter { attempt: 2, .. }
        ));
        let wrong_secret = diagnosis("invalid_client", "invalid client credentials");
        assert_eq!(
            policy.decide(&wrong_secret, Try::Login, (1, 1), Duration::ZERO, 1.0),
            Decision::GiveUp
        );
        let rate = diagnosis("invalid_grant", "login rate exceeded");
        assert_eq!(
            policy.decide(&rate, Try::Login, (1, 1), Duration::ZERO, 1.0),
            Decision::RetryAfter {
                delay: policy.rate_limit_pause,
                attempt: 2
            }
        );
    }

    #[test]
    fn the_window_and_the_ceiling_end_retries() {
        let policy = RetryPolicy::default();
        let propagating = diagnosis("invalid_client_id", "client identifier invalid");
        let near_end = policy.window - Duration::from_secs(1);
        assert_eq!(
            policy.decide(&propagating, Try::Login, (3, 3), near_end, 1.0),
            Decision::RetryAfter {
                delay: Duration::from_secs(1),
                attempt: 4
            }
        );
        assert_eq!(
            policy.decide(&propagating, Try::Login, (3, 3), policy.window, 1.0),
            Decision::GiveUp
        );
        assert_eq!(
            policy.decide(
                &propagating,
                Try::Login,
                (99, policy.max_logins),
                Duration::ZERO,
                1.0
            ),
            Decision::GiveUp
        );
        // Probes aren't logins: they go on while logins are spent.
        assert!(matches!(
            policy.decide(
                &propagating,
                Try::Probe,
                (99, policy.max_logins),
                Duration::ZERO,
                1.0
            ),
            Decision::RetryAfter { .. }
        ));
        let transient = Diagnosis::transient("network", "down");
        assert_eq!(
            policy.decide(
                &transient,
                Try::Login,
                (policy.max_attempts, 0),
                Duration::ZERO,
                1.0
            ),
            Decision::GiveUp
        );
        assert!(
            policy.max_attempts < 3600 / 10 && policy.max_logins < 3600 / 10,
            "far below Salesforce's login limit"
        );
    }

    #[test]
    fn a_transport_family_spends_only_its_own_budget() {
        use crate::transport::Transport;
        let policy = RetryPolicy::default();
        let dns = Transport::Dns.diagnose();
        assert!(matches!(
            policy.decide(&dns, Try::Login, (1, 1), Duration::ZERO, 1.0),
            Decision::RetryAfter { attempt: 2, .. }
        ));
        assert_eq!(
            policy.decide(&dns, Try::Login, (2, 2), Duration::ZERO, 1.0),
            Decision::GiveUp,
            "a mistyped host gets two quick tries, not sixty"
        );
        let proxy = Transport::ProxyRefused.diagnose();
        assert_eq!(
            policy.decide(&proxy, Try::Login, (1, 1), Duration::ZERO, 1.0),
            Decision::GiveUp
        );
        let reset = Transport::Reset.diagnose();
        assert!(matches!(
            policy.decide(&reset, Try::Login, (5, 5), Duration::ZERO, 1.0),
            Decision::RetryAfter { .. }
        ));
    }

    #[test]
    fn propagation_is_noticed_fast_on_few_logins() {
        let policy = RetryPolicy::default();
        // Probes: readiness is seen within 3 s.
        assert!(policy.pace(Try::Probe, Duration::from_secs(600), 1.0) <= Duration::from_secs(3));
        // Logins: within a tenth of the time waited plus 5 s, and at most 40 in the window.
        for waited in [5u64, 30, 120, 600] {
            let gap = policy.pace(Try::Login, Duration::from_secs(waited), 1.0);
            assert!(
                gap <= Duration::from_secs(waited / 9 + 5),
                "{waited}s: {gap:?}"
            );
        }
        for jitter in [0.0, 1.0] {
            let (mut at, mut logins) = (Duration::ZERO, 1);
            while at < policy.window {
                at += policy.pace(Try::Login, at, jitter);
                logins += 1;
            }
            assert!(logins <= policy.max_logins, "{logins} logins in 15 minutes");
        }
    }
}
