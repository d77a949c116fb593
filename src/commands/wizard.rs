//! `eca-wizard` and `eca-wizard demo`: the interactive wizard.

use std::io::IsTerminal;

use crate::cli::DemoArgs;
use crate::commands::UsageError;
use crate::emulator::{self, Emulator, Org};
use crate::recipe;
use crate::runtime::{self, demo};
use crate::wizard::{self, Model};

pub fn run() -> anyhow::Result<()> {
    require_terminal()?;
    // What a killed write left behind (temporaries may hold tokens) goes at start-up.
    if let Ok(dir) = crate::profile::profiles_dir() {
        crate::profile::sweep(&dir);
    }
    if let Ok(home) = runtime::progress::home() {
        crate::files::sweep_temporaries(&home);
    }
    let model = Model::new(
        recipe::known()?,
        runtime::saved_progress(),
        runtime::now_ms(),
    );
    runtime::run(configure(model), None)
}

pub fn demo(args: &DemoArgs) -> anyhow::Result<()> {
    let fault = args
        .fault
        .as_deref()
        .map(str::parse::<demo::Fault>)
        .transpose()
        .map_err(UsageError)?;
    require_terminal()?;
    // The demo never touches a real setup's saved progress; its folder goes however it ends.
    let home = crate::files::TempDir::new("eca-wizard-demo-")?;
    let mut org = Org::demo();
    org.propagation_delay_secs = args.propagation_delay;
    let emulator = Emulator::start(emulator::Config {
        org,
        login_port: 0,
        my_domain_port: 0,
        mcp_port: 0,
        auto_approve: args.auto_approve,
    })?;
    let recipes = recipe::known()?;
    // The fault shows on the recipes it breaks; the first of them is preselected.
    let applies = fault.map(|fault| fault.recipes(recipes));
    let first = applies
        .as_ref()
        .and_then(|applies| applies.first())
        .and_then(|id| recipes.iter().position(|r| r.id == *id));
    let model = configure(Model::new(recipes, Vec::new(), runtime::now_ms()))
        .with_selected(first.unwrap_or(0));
    let fault_note = applies.map(|applies| {
        format!(
            "Demo fault {}: it applies to {} (the first is selected).",
            args.fault.as_deref().unwrap_or_default(),
            applies.join(", ")
        )
    });
    let info = wizard::Demo {
        login_url: emulator.login_url().to_string(),
        my_domain_url: emulator.my_domain_url().to_string(),
        mcp_url: emulator.mcp_url().to_string(),
        username: wizard::demo_username(crate::salesforce::Flow::ClientCredentials).to_string(),
        browser_username: wizard::demo_username(crate::salesforce::Flow::AuthCode).to_string(),
        terminal_sign_in: !model.environment.browser_available,
        fault_note,
        propagation_secs: args.propagation_delay,
    };
    let result = runtime::run_in(
        model.with_demo(info),
        Some(demo::Demo::new(emulator, fault)),
        home.path().to_path_buf(),
    );
    drop(home);
    result
}

fn require_terminal() -> anyhow::Result<()> {
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        Ok(())
    } else {
        Err(UsageError(
            "the wizard needs a terminal; for scripts use `eca-wizard connect` (see --help)".into(),
        )
        .into())
    }
}

/// Settings from the environment: colour and whether a browser can be opened.
fn configure(model: Model) -> Model {
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    model.with_environment(crate::wizard::Environment {
        browser_available: crate::browser::can_open(),
        color,
        ..crate::wizard::Environment::default()
    })
}
