//! The wall clock, in milliseconds since the epoch, for the services and the shell. The pure
//! core never reads it: time reaches it as a message.

use std::time::{SystemTime, UNIX_EPOCH};

pub fn now_ms() -> u64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
}
