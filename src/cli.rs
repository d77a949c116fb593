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
}
