//! Emulator throughput: client credentials token requests per second from 32 concurrent
//! loopback clients, with zero errors allowed. Run with `cargo bench --bench emulator_tokens`.
//! Bounded in time and count; talks to 127.0.0.1 only.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use eca_wizard::emulator::org::{DEMO_CONSUMER_KEY, DEMO_CONSUMER_SECRET};
use eca_wizard::emulator::{Config, Emulator};

const CLIENTS: usize = 32;
const WARM_UP: Duration = Duration::from_secs(1);
const MEASURE: Duration = Duration::from_secs(5);
const TARGET_PER_SECOND: f64 = 2000.0;

fn main() -> anyhow::Result<()> {
    let emulator = Emulator::start(Config::default())?;
    emulator.set_logins_per_hour(u32::MAX);
    let url = format!("{}/services/oauth2/token", emulator.my_domain_url());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (ok, errors, elapsed) = runtime.block_on(async move {
        let client = eca_wizard::net::client()?;
        run(client, &url, WARM_UP).await;
        let started = Instant::now();
        let (ok, errors) = run(client, &url, MEASURE).await;
        anyhow::Ok((ok, errors, started.elapsed()))
    })?;
    let per_second = ok as f64 / elapsed.as_secs_f64();
    println!(
        "emulator token requests: {per_second:.0}/s from {CLIENTS} concurrent loopback clients \
         ({ok} ok, {errors} errors in {:.1} s)",
        elapsed.as_secs_f64()
    );
    let verdict = if errors == 0 && per_second >= TARGET_PER_SECOND {
        "met"
    } else {
        "MISSED"
    };
    println!("target: >= {TARGET_PER_SECOND:.0}/s with zero errors: {verdict}");
    emulator.shutdown();
    Ok(())
}

async fn run(client: &'static reqwest::Client, url: &str, duration: Duration) -> (u64, u64) {
    let ok = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + duration;
    let workers: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (ok, errors, url) = (ok.clone(), errors.clone(), url.to_string());
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    let sent = client
                        .post(&url)
                        .form(&[
                            ("grant_type", "client_credentials"),
                            ("client_id", DEMO_CONSUMER_KEY),
                            ("client_secret", DEMO_CONSUMER_SECRET),
                        ])
                        .send()
                        .await;
                    match sent {
                        Ok(response) if response.status().is_success() => {
                            let _ = response.bytes().await;
                            ok.fetch_add(1, Ordering::Relaxed);
                        }
                        _ => {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.await;
    }
    (ok.load(Ordering::Relaxed), errors.load(Ordering::Relaxed))
}
