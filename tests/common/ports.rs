//! Loopback ports for the tests. A test that listens gets a free port handed out here, never a number
//! typed into the test; the wizard's own callback ports (7717-7719, the URLs every recipe
//! registers) are fixed, so the tests whose wizard binds them take turns (`wizard_ports`).

use std::collections::BTreeSet;
use std::sync::{Condvar, Mutex, PoisonError};

/// A loopback port that was free a moment ago and that no other test in this binary has been
/// given.
pub fn free_port() -> u16 {
    held_port().1
}

/// Ports handed out come from below the OS's ephemeral range (32768 and up on Linux, 49152 on
/// macOS and Windows), so a port a test was given and released for a moment can't be handed to
/// another test's emulator binding port 0 in between.
const HANDED_OUT: std::ops::Range<u16> = 20_000..32_000;

/// A port held by a listener of the test's own (for the cases of a port already in use), given
/// to no other test.
pub fn held_port() -> (std::net::TcpListener, u16) {
    static GIVEN: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());
    // Each run starts somewhere else in the range, so two checkouts' tests rarely meet.
    let span = HANDED_OUT.end - HANDED_OUT.start;
    let offset = u16::try_from(std::process::id() % u32::from(span)).unwrap();
    for step in 0..span {
        let port = HANDED_OUT.start + (offset + step) % span;
        if GIVEN.lock().unwrap().contains(&port) {
            continue;
        }
        if let Ok(listener) = std::net::TcpListener::bind(("127.0.0.1", port)) {
            GIVEN.lock().unwrap().insert(port);
            return (listener, port);
        }
    }
    panic!("no free port in {HANDED_OUT:?}");
}

/// How many wizards of one test binary may listen on `WIZARD_CALLBACK_PORTS` at once. The
/// wizard takes the first free of its three ports; one is left for a program outside the
/// binary (another checkout's tests, a wizard the developer runs).
const WIZARDS_AT_ONCE: usize = 2;

static LISTENING: Mutex<usize> = Mutex::new(0);
static FREED: Condvar = Condvar::new();

/// A turn on the wizard's own callback ports (7717-7719), held by a test whose wizard, in
/// process or as a child, listens there (an authorization-code login); given back on drop.
/// A plain value, so an async test holds it across awaits; it knows how many turns it took.
pub struct WizardPorts(usize);

/// Waits for a turn on the wizard's callback ports. Call it first thing in the test: waiting
/// blocks the thread.
pub fn wizard_ports() -> WizardPorts {
    take_turns(1)
}

/// Waits until no other test's wizard listens on the wizard's ports and keeps them all, for a
/// test that holds the ports itself to see what the wizard does when they are busy.
#[allow(dead_code)] // a binary without that test doesn't use it
pub fn all_wizard_ports() -> WizardPorts {
    take_turns(WIZARDS_AT_ONCE)
}

fn take_turns(turns: usize) -> WizardPorts {
    let mut listening = LISTENING.lock().unwrap_or_else(PoisonError::into_inner);
    while *listening + turns > WIZARDS_AT_ONCE {
        listening = FREED
            .wait(listening)
            .unwrap_or_else(PoisonError::into_inner);
    }
    *listening += turns;
    WizardPorts(turns)
}

impl Drop for WizardPorts {
    fn drop(&mut self) {
        *LISTENING.lock().unwrap_or_else(PoisonError::into_inner) -= self.0;
        FREED.notify_all();
    }
}
