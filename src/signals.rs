//! The terminating signals a headless command handles itself: SIGINT, SIGTERM and SIGHUP on
//! Unix, Ctrl-C elsewhere. Once a process listens for one, the OS no longer ends it on that
//! signal, so a command that listened once (to put the org's secret setting back first) keeps
//! handling all three in every later wait (connect's, rotate's proof).

/// A listener for the terminating signals.
pub struct Terminating {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hangup: tokio::signal::unix::Signal,
}

impl Terminating {
    /// Starts listening (inside a tokio runtime).
    pub fn listen() -> std::io::Result<Terminating> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Terminating {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
                hangup: signal(SignalKind::hangup())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Terminating {})
    }

    /// One that arrived since the last look, without waiting.
    pub async fn pending(&mut self) -> Option<&'static str> {
        tokio::select! {
            biased;
            name = self.next() => Some(name),
            () = std::future::ready(()) => None,
        }
    }

    /// The next one to arrive, by name.
    pub async fn next(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => "SIGINT",
                _ = self.terminate.recv() => "SIGTERM",
                _ = self.hangup.recv() => "SIGHUP",
            }
        }
        #[cfg(not(unix))]
        {
            match tokio::signal::ctrl_c().await {
                Ok(()) => "Ctrl-C",
                Err(_) => std::future::pending().await,
            }
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::Terminating;

    /// A signal that came while nobody waited is found by `pending`, once; none, nothing.
    #[tokio::test]
    async fn a_signal_since_the_last_look_is_pending() {
        let mut signals = Terminating::listen().unwrap();
        assert_eq!(signals.pending().await, None);
        let status = std::process::Command::new("kill")
            .args(["-HUP", &std::process::id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        // Delivery is asynchronous: look again until it is there, bounded.
        let mut seen = None;
        for _ in 0..500 {
            seen = signals.pending().await;
            if seen.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert_eq!(seen, Some("SIGHUP"));
        assert_eq!(signals.pending().await, None, "seen once");
    }
}
