//! Reading hostile pastes: `explain` and `connect --no-browser`'s paste reader on 1 MiB of each
//! kind of run a scanner counts (backslashes, escaped quotes, `%`, `{`, entities, repeated keys
//! and codes, Python 2 keys, page titles, status lines, user names, proxy words, hosts). The
//! median wall time of 5 runs each; the target is under a second (the first `unescape` took
//! minutes on the backslashes). Run with `cargo bench --bench paste`.

use std::time::{Duration, Instant};

use eca_wizard::commands::explain::explain;
use eca_wizard::oauth::callback::from_paste;
use eca_wizard::secret::Secret;

const RUNS: usize = 5;
const SIZE: usize = 1 << 20;
const TARGET: Duration = Duration::from_secs(1);

fn fill(unit: &str) -> String {
    unit.repeat(SIZE / unit.len())
}

fn median(mut run: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn main() {
    let pastes = [
        ("backslashes", fill("\\")),
        ("escaped quotes", fill("\\\\\\\"")),
        ("quotes", fill("\"")),
        ("percent signs", fill("%")),
        ("braces", fill("{")),
        ("entities", fill("&quot;&amp;&")),
        ("error= keys", fill("&error=")),
        ("aud= keys", fill("aud=")),
        ("JSON keys", fill("\"error\":\"")),
        ("codes", fill("invalid_grant: ")),
        ("catalogue codes", fill("sf:INVALID_LOGIN: ")),
        // Dozens of Login History statuses start "Failed: ": each place is tried against them all.
        ("Login History statuses", fill("Failed: Invalid ")),
        (
            "listed codes",
            fill("MALFORMED_ID LOGIN_OAUTH_INVALID_TOKEN "),
        ),
        ("words", fill("a_b ")),
        ("Python 2 keys", fill("{u'errorCode': u'")),
        ("unquoted keys", fill("exceptionCode=")),
        ("page titles", fill("<title>")),
        ("status lines", fill("HTTP/1.1 4")),
        ("user names", fill("@a.com.")),
        (
            "proxy words",
            fill("tunneling socket could not be established "),
        ),
        ("hosts", fill("https://a.b.")),
        ("parenthesised numbers", fill("(401")),
        ("bracketed numbers", fill("[503 ")),
        ("clue words", fill("ip address sandbox scope header ")),
        ("tool pleas", fill("connection reconnect failed ")),
        ("stack frames", fill("\n    at x.js:1 ")),
        // Issue 27's readers: named permissions, channels, the CLI's lead-in, loopback codes.
        (
            "permission lines",
            fill("a permission is required here, see the docs\n"),
        ),
        ("channel words", fill("topic event/a channel data/b ")),
        (
            "CLI lead-ins",
            fill("Error authenticating with auth code due to: "),
        ),
        (
            "loopback codes",
            fill("localhost:1/cb?code=x ERR_EMPTY_RESPONSE "),
        ),
        ("colour sequences", fill("\u{1b}[31m")),
        ("unended escapes", fill("\u{1b}[")),
        (
            "a redirect",
            format!(
                "https://x/cb?error=invalid_grant&error_description={}",
                fill("a")
            ),
        ),
    ];
    let state = Secret::new("bench-state");
    let mut worst = Duration::ZERO;
    for (name, paste) in &pastes {
        let explained = median(|| {
            std::hint::black_box(explain(paste));
        });
        let read = median(|| {
            let _ = std::hint::black_box(from_paste(paste, &state));
        });
        println!(
            "1 MiB of {name}: explain {:.1} ms, paste read {:.1} ms",
            explained.as_secs_f64() * 1e3,
            read.as_secs_f64() * 1e3
        );
        worst = worst.max(explained).max(read);
    }
    let verdict = if worst <= TARGET { "met" } else { "MISSED" };
    println!(
        "target: every 1 MiB paste read in under {} ms (worst {:.1} ms): {verdict}",
        TARGET.as_millis(),
        worst.as_secs_f64() * 1e3
    );
}
