//! Waiting on a screen, for both terminal drivers: the real binary in a pseudo-terminal
//! (`tests/pty`) and the event loop on ratatui's test backend (`it::runtime`).

use std::time::{Duration, Instant};

/// Reads `screen` until it shows `text`; fails with the last screen after `timeout`.
pub fn wait_for(text: &str, timeout: Duration, screen: impl FnMut() -> String) -> String {
    until(&[text], timeout, Duration::from_millis(50), screen, |_| {})
}

/// Reads `screen` every `pace` until it shows one of `goals`, calling `act` with a screen that
/// doesn't (to press a key); fails with the last screen after `timeout`. `act` sees a screen
/// once: the next call waits for the screen to change (or `SETTLE` to pass), so a key isn't
/// pressed twice on a frame drawn before the first press was handled, which on a loaded
/// machine would land the second press on the next screen.
pub fn until(
    goals: &[&str],
    timeout: Duration,
    pace: Duration,
    mut screen: impl FnMut() -> String,
    mut act: impl FnMut(&str),
) -> String {
    let deadline = Instant::now() + timeout;
    let mut acted_on: Option<(String, Instant)> = None;
    loop {
        let shown = screen();
        if goals.iter().any(|g| shown.contains(g)) {
            return shown;
        }
        assert!(
            Instant::now() < deadline,
            "waited {timeout:?} for {goals:?}; the screen:\n{shown}"
        );
        let seen = acted_on
            .as_ref()
            .is_some_and(|(before, at)| *before == identity(&shown) && at.elapsed() < SETTLE);
        if !seen {
            act(&shown);
            acted_on = Some((identity(&shown), Instant::now()));
        }
        std::thread::sleep(pace);
    }
}

/// What tells one screen from another: its top lines (the title bar and the screen's heading
/// or step). A toast or a countdown changes the bottom of the same screen, which is no reason
/// to press again.
fn identity(shown: &str) -> String {
    shown.lines().take(3).collect::<Vec<_>>().join("\n")
}

/// How long a driver waits for a key to change the screen before pressing again.
const SETTLE: Duration = Duration::from_secs(5);

/// Connecting and checking need no keys: a driver presses Enter on the setup screens only.
pub fn takes_enter(screen: &str) -> bool {
    !["Connecting", "Connection checks", "Checking again"]
        .iter()
        .any(|busy| screen.contains(busy))
}
