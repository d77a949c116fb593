//! `eca-wizard emulator`: the local Salesforce on its own, for demos, scripts and other clients.

use std::io::Write;

use serde_json::json;

use crate::cli::EmulatorArgs;
use crate::emulator::{Config, Emulator, Org};

pub fn run(args: &EmulatorArgs) -> anyhow::Result<()> {
    let mut org = match &args.org {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("can't read org file {}: {e}", path.display()))?;
            Org::from_toml(&text)
                .map_err(|e| anyhow::anyhow!("org file {} is not valid: {e}", path.display()))?
        }
        None => Org::demo(),
    };
    if let Some(delay) = args.propagation_delay {
        org.propagation_delay_secs = delay;
    }
    if let Some(org_type) = args.org_type {
        org.org_type = org_type;
    }
    // A sandbox's My Domain is its production org's name, `--`, and the sandbox's name
    // (`acme--uat.sandbox.my.salesforce.com`; reference/salesforce-oauth.md, hosts).
    if org.org_type == crate::emulator::org::OrgType::Sandbox && !org.my_domain.contains("--") {
        org.my_domain = format!("{}--sandbox", org.my_domain);
    }
    if args.mcp_server_inactive {
        org.mcp_servers.iter_mut().for_each(|s| s.active = false);
    }
    if let Some(mode) = args.mcp_metadata {
        org.mcp_metadata = mode;
    }
    let summary = Summary::of(&org);
    let stop = StopSignals::listen()?;
    let emulator = Emulator::start(Config {
        org,
        login_port: args.port,
        my_domain_port: args.my_domain_port,
        mcp_port: args.mcp_port,
        auto_approve: args.auto_approve,
    })?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.print_json {
        let line = json!({
            "login_url": emulator.login_url(),
            "my_domain_url": emulator.my_domain_url(),
            "mcp_url": emulator.mcp_url(),
            "client_id": summary.client_id,
            "client_secret": summary.client_secret,
            "username": summary.username,
            "password": summary.password,
            "callback_urls": summary.callback_urls,
        });
        writeln!(out, "{line}")?;
    } else {
        writeln!(
            out,
            "eca-wizard emulator (not Salesforce; for tests and demos)"
        )?;
        writeln!(out, "  login host:    {}", emulator.login_url())?;
        writeln!(out, "  My Domain:     {}", emulator.my_domain_url())?;
        writeln!(out, "  MCP host:      {}", emulator.mcp_url())?;
        writeln!(out, "  consumer key:  {}", summary.client_id)?;
        writeln!(out, "  username:      {}", summary.username)?;
        // The emulator's own made-up password, printed so the login page can be used: not a
        // secret of anyone's (the login page shows it too).
        writeln!(out, "  password:      {}", summary.password)?;
        let mode = if args.auto_approve {
            "auto-approve"
        } else {
            "login and consent pages"
        };
        writeln!(out, "  authorize:     {mode}")?;
        writeln!(out, "Press Ctrl-C to stop.")?;
    }
    out.flush()?;
    drop(out);
    stop.wait()?;
    emulator.shutdown();
    eprintln!("emulator stopped");
    Ok(())
}

/// The values a script needs to talk to the first app.
struct Summary {
    client_id: String,
    client_secret: String,
    username: String,
    /// That user's password on the emulator's login page.
    password: String,
    callback_urls: Vec<String>,
}

impl Summary {
    fn of(org: &Org) -> Summary {
        let app = org.apps.first();
        let username = org
            .auto_approve_user
            .clone()
            .or_else(|| {
                org.users
                    .iter()
                    .find(|u| u.integration_user)
                    .map(|u| u.username.clone())
            })
            .or_else(|| org.users.first().map(|u| u.username.clone()))
            .unwrap_or_default();
        Summary {
            client_id: app.map(|a| a.consumer_key.clone()).unwrap_or_default(),
            client_secret: app.map(|a| a.consumer_secret.clone()).unwrap_or_default(),
            password: org
                .users
                .iter()
                .find(|u| u.username == username)
                .map(|u| u.password.clone())
                .unwrap_or_default(),
            username,
            callback_urls: app.map(|a| a.callback_urls.clone()).unwrap_or_default(),
        }
    }
}

/// Ctrl-C and SIGTERM, listened for before the emulator announces itself, so a script that
/// stops it right after reading the first line can't race the handlers.
struct StopSignals {
    runtime: tokio::runtime::Runtime,
    #[cfg(unix)]
    signals: (tokio::signal::unix::Signal, tokio::signal::unix::Signal),
}

impl StopSignals {
    fn listen() -> anyhow::Result<StopSignals> {
        let runtime = crate::commands::runtime()?;
        #[cfg(unix)]
        let signals = {
            use tokio::signal::unix::{SignalKind, signal};
            let _entered = runtime.enter();
            (
                signal(SignalKind::interrupt())?,
                signal(SignalKind::terminate())?,
            )
        };
        Ok(StopSignals {
            runtime,
            #[cfg(unix)]
            signals,
        })
    }

    /// Blocks until one of them arrives.
    #[cfg_attr(not(unix), allow(unused_mut))] // only Unix's signal streams need `mut`
    fn wait(mut self) -> anyhow::Result<()> {
        #[cfg(unix)]
        {
            let (interrupt, terminate) = &mut self.signals;
            self.runtime.block_on(async {
                tokio::select! {
                    _ = interrupt.recv() => {}
                    _ = terminate.recv() => {}
                }
            });
        }
        #[cfg(not(unix))]
        self.runtime.block_on(tokio::signal::ctrl_c())?;
        Ok(())
    }
}
