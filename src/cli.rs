//! The command line, as clap sees it. Each subcommand's work lives in `commands/`.

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "eca-wizard",
    version,
    about = "Set up, connect and verify a Salesforce External Client App, step by step",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the built-in recipes, or print one recipe's checklist
    Recipes {
        /// A recipe id (see the list) to print its full checklist
        id: Option<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Run the local Salesforce emulator alone (both hosts) until Ctrl-C
    Emulator(EmulatorArgs),
}

#[derive(Debug, Clone, clap::Args)]
pub struct EmulatorArgs {
    /// Port for the host that plays login.salesforce.com (0 picks a free one)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Port for the host that plays the org's My Domain (0 picks a free one)
    #[arg(long, default_value_t = 0)]
    pub my_domain_port: u16,
    /// An org file (TOML) instead of the built-in demo org
    #[arg(long, value_name = "FILE")]
    pub org: Option<std::path::PathBuf>,
    /// Seconds a new or edited app answers as "not propagated yet"
    #[arg(long, value_name = "SECS")]
    pub propagation_delay: Option<u64>,
    /// Approve every authorization at once as the org's integration user (no pages)
    #[arg(long)]
    pub auto_approve: bool,
    /// Print one JSON object with the URLs and demo credentials as the first line of stdout
    #[arg(long)]
    pub print_json: bool,
}
