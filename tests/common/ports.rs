//! Loopback ports for the tests. A test that listens gets a port from the OS, never a number
//! typed into the test; the wizard's own callback ports (7717-7719, the URLs every recipe
//! registers) are fixed, so the tests that bind them take turns.

use std::collections::BTreeSet;
use std::sync::Mutex;

/// A loopback port that was free a moment ago (the OS chose it) and that no other test in this
/// binary has been given.
pub fn free_port() -> u16 {
    held_port().1
}

/// A port held by a listener of the test's own (for the cases of a port already in use), given
/// to no other test.
pub fn held_port() -> (std::net::TcpListener, u16) {
    static GIVEN: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());
    loop {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        if GIVEN.lock().unwrap().insert(port) {
            return (listener, port);
        }
    }
}

/// One test at a time on `WIZARD_CALLBACK_PORTS`: hold the guard while the wizard (in process
/// or as a child) may listen there. A tokio mutex: it doesn't poison when a holder fails, and
/// async tests hold it across awaits.
static WIZARD_PORTS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// From a test thread (not inside an async runtime).
pub fn wizard_ports() -> tokio::sync::MutexGuard<'static, ()> {
    WIZARD_PORTS.blocking_lock()
}

/// From an async test.
pub async fn wizard_ports_async() -> tokio::sync::MutexGuard<'static, ()> {
    WIZARD_PORTS.lock().await
}
