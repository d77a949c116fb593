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
