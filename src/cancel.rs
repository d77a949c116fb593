//! Cancellation as a `watch` flag: `true` means stop. Waiting on it never spins, even when the
//! sender is gone (then it simply never fires).

use tokio::sync::watch;

/// Resolves when the flag turns true.
pub async fn cancelled(mut flag: watch::Receiver<bool>) {
    loop {
        if *flag.borrow_and_update() {
            return;
        }
        if flag.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
