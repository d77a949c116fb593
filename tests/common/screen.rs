//! Waiting on a screen, for both terminal drivers: the real binary in a pseudo-terminal
//! (`tests/pty`) and the event loop on ratatui's test backend (`it::runtime`).

use std::time::{Duration, Instant};

/// Reads `screen` until it shows `text`; fails with the last screen after `timeout`.
pub fn wait_for(text: &str, timeout: Duration, screen: impl FnMut() -> String) -> String {
    until(&[text], timeout, Duration::from_millis(50), screen, |_| {})
}

/// Reads `screen` every `pace` until it shows one of `goals`, calling `act` with each screen
/// that doesn't (to press a key); fails with the last screen after `timeout`.
pub fn until(
    goals: &[&str],
    timeout: Duration,
    pace: Duration,
    mut screen: impl FnMut() -> String,
    mut act: impl FnMut(&str),
) -> String {
    let deadline = Instant::now() + timeout;
    loop {
        let shown = screen();
        if goals.iter().any(|g| shown.contains(g)) {
            return shown;
        }
        assert!(
            Instant::now() < deadline,
            "waited {timeout:?} for {goals:?}; the screen:\n{shown}"
        );
        act(&shown);
        std::thread::sleep(pace);
    }
}

/// Connecting and checking need no keys: a driver presses Enter on the setup screens only.
pub fn takes_enter(screen: &str) -> bool {
    !["Connecting", "Connection checks", "Checking again"]
        .iter()
        .any(|busy| screen.contains(busy))
}
