//! The command line, as clap sees it. Each subcommand's work lives in `commands/`.

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "eca-wizard",
    version,
    about = "Set up, connect and verify a Salesforce External Client App, step by step",
    long_about = None,
    after_help = crate::commands::output::exit::help_text()
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A recipe file of your own, used as if built in (and as the recipe when --recipe is not given)
    #[arg(long, global = true, value_name = "FILE")]
    pub recipe_file: Option<std::path::PathBuf>,
    /// Log one line per request to stderr (method, host, path, status, Salesforce's error code,
    /// time, proxy; never a value), for a support case; also ECA_WIZARD_LOG=debug
    #[arg(long, global = true)]
    pub debug: bool,
    /// Write that log to FILE instead (owner-only, appended); the wizard logs only there
    #[arg(long, global = true, value_name = "FILE")]
    pub log_file: Option<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the recipes (built-in and your own), print one's checklist, or work with recipe files
    #[command(args_conflicts_with_subcommands = true)]
    Recipes {
        /// A recipe id (see the list) to print its full checklist
        id: Option<String>,
        /// With an id: the checklist for this answer to one of its choices, e.g.
        /// `flow=jwt-bearer` (repeatable; unanswered ones take their default)
        #[arg(long = "choice", value_name = "ID=OPTION", requires = "id")]
        choices: Vec<String>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        action: Option<RecipesAction>,
    },
    /// The whole journey against the embedded emulator: no Salesforce org needed
    Demo(DemoArgs),
    /// Connect to an External Client App and verify the connection, without the TUI
    Connect(ConnectArgs),
    /// Explain a pasted Salesforce error: what it means and which setting to change
    Explain {
        /// The error text, the address the browser ended on, or an error body, as pasted (any
        /// wrapper: a log line, a stack trace, a CLI message, a page). `-` or nothing reads stdin.
        text: Option<String>,
        /// Tie the advice to this recipe's steps and flow
        #[arg(long)]
        recipe: Option<String>,
        /// Minutes since the app was created or last edited (tells propagation from a wrong setting)
        #[arg(long, value_name = "MINUTES")]
        saved_minutes_ago: Option<u64>,
        /// Print one JSON object
        #[arg(long)]
        json: bool,
    },
    /// This binary's version, commit, target and build date, for a support request
    Version {
        /// Print one JSON object
        #[arg(long)]
        json: bool,
    },
    /// Check saved connections live; exits non-zero when one is broken
    Status {
        /// The profile to check
        profile: Option<String>,
        /// Check every saved profile (concurrently)
        #[arg(long, conflicts_with = "profile")]
        all: bool,
        /// Print a JSON array
        #[arg(long)]
        json: bool,
        /// Compare the live app with its recipe, setting by setting (needs an admin session:
        /// --target-org or --instance-url)
        #[arg(long, requires = "profile")]
        drift: bool,
        /// With --drift: the Salesforce CLI login to read the app with (default: the CLI's
        /// target-org setting)
        #[arg(
            long,
            short = 'o',
            value_name = "ALIAS",
            requires = "drift",
            conflicts_with = "instance_url"
        )]
        target_org: Option<String>,
        /// With --drift, without the Salesforce CLI: the My Domain URL, the token on stdin
        #[arg(long, value_name = "URL", requires = "drift")]
        instance_url: Option<String>,
    },
    /// List the saved connections, offline: recipe, flow, host, org, last verified, where the
    /// secrets are (`status` checks them live)
    Profiles {
        /// Print one JSON object
        #[arg(long)]
        json: bool,
    },
    /// Print a working access token of a saved connection (refreshed when Salesforce no longer
    /// takes the stored one), for scripts: `curl -H "Authorization: Bearer $(eca-wizard token p)"`
    Token {
        profile: String,
        /// Print one JSON object (the token in `result.access_token`)
        #[arg(long)]
        json: bool,
    },
    /// What a support case needs about this machine (nothing secret): version, OS, keychain,
    /// folders and modes, proxy and CA variables set, `sf --version`, profiles, clock skew
    Doctor {
        /// The login host to compare clocks with
        #[arg(
            long,
            value_name = "URL",
            default_value = "https://login.salesforce.com"
        )]
        login_url: String,
        /// Print one JSON object
        #[arg(long)]
        json: bool,
    },
    /// Hand a saved connection to other tools (secrets masked unless --reveal)
    Export {
        profile: String,
        /// env (SF_* lines), json, sfdx-url (for `sf org login sfdx-url`), postman (an
        /// environment to import), sf-jwt (the `sf org login jwt` line of a JWT bearer
        /// profile) or mcp (the MCP client's configuration of an MCP profile)
        #[arg(long, value_parser = ["env", "json", "sfdx-url", "postman", "sf-jwt", "mcp"])]
        format: String,
        /// Print the consumer secret and refresh token themselves
        #[arg(long)]
        reveal: bool,
        /// Print the contract's JSON envelope, the hand-off text in `result.text`
        #[arg(long)]
        json: bool,
    },
    /// Revoke a saved connection at Salesforce, then delete its secrets and profile (asks
    /// first on a terminal)
    Logout {
        profile: String,
        /// Forget the profile and its secrets here without revoking (the org is gone: a
        /// refreshed sandbox, an expired scratch org)
        #[arg(long)]
        local: bool,
        /// Don't ask (for scripts)
        #[arg(long, short = 'y')]
        yes: bool,
        /// Print one JSON object
        #[arg(long)]
        json: bool,
    },
    /// Write a deployable Salesforce DX project for the recipe's External Client App
    Metadata(MetadataArgs),
    /// A new consumer key and secret for a profile's app (staged, promoted, then proved; the old
    /// pair keeps working for 30 days), through your own Salesforce session
    Rotate {
        profile: String,
        /// The Salesforce CLI login to rotate with
        #[arg(
            long,
            short = 'o',
            value_name = "ALIAS",
            conflicts_with = "instance_url"
        )]
        target_org: Option<String>,
        /// Without the Salesforce CLI: the My Domain URL, the token on stdin
        #[arg(long, value_name = "URL")]
        instance_url: Option<String>,
        /// Turn on the org setting staged credentials need, and off again after, without asking
        #[arg(long)]
        allow_secret_access: bool,
        /// Delete a staged pair the app already has (an earlier rotation's old pair, which may
        /// still be in use) to make room
        #[arg(long)]
        replace_staged: bool,
        /// How long to keep trying the new pair at the token endpoint while it propagates
        #[arg(long, value_name = "SECS", default_value_t = 300)]
        wait: u64,
        /// Print one JSON object (progress stays on stderr)
        #[arg(long)]
        json: bool,
    },
    /// Deploy the recipe's External Client App through your own Salesforce session (the
    /// Salesforce CLI's login, or a token on stdin); --dry-run validates and changes nothing
    Apply(ApplyArgs),
    /// Run the local Salesforce emulator alone (both hosts) until Ctrl-C
    Emulator(EmulatorArgs),
    /// Print a shell completion script (e.g. `eca-wizard completions bash > ~/.local/share/bash-completion/completions/eca-wizard`)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The names completion scripts offer: recipe ids or profile names, one a line
    #[command(hide = true, name = "__complete")]
    CompleteNames {
        #[arg(value_parser = ["recipes", "profiles"])]
        kind: String,
    },
    /// Print the manual page (roff), generated from these definitions (`eca-wizard manpage | man
    /// -l -`); with a subcommand, its own page (eca-wizard-connect(1), ...)
    Manpage {
        /// The subcommand whose page to print
        command: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RecipesAction {
    /// Print a recipe as a file to start your own from
    Show {
        id: String,
        /// toml (the file), text (the checklist) or json
        #[arg(long, default_value = "toml", value_parser = ["toml", "text", "json"])]
        format: String,
        /// Print the contract's JSON envelope (the recipe in `result`)
        #[arg(long, conflicts_with = "format")]
        json: bool,
    },
    /// Write a starter recipe file into your recipes folder (or --out)
    New {
        /// The new recipe's id: lowercase letters, digits and '-'
        id: String,
        /// The recipe to start from
        #[arg(long, default_value = "custom")]
        from: String,
        /// Where to write it (default: the recipes folder, ID.toml)
        #[arg(long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
        /// Print one JSON object
        #[arg(long)]
        json: bool,
    },
    /// Check a recipe file (`-` reads stdin): every problem with its line and column, and the fix
    Check {
        file: std::path::PathBuf,
        /// Print one JSON object
        #[arg(long)]
        json: bool,
    },
    /// Print the recipe file reference (Markdown): every key, flow, role, validator and setting
    Schema {
        /// Print one JSON object (the Markdown in `result.markdown`)
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct MetadataArgs {
    /// The recipe whose settings the app gets (see `eca-wizard recipes`); with --check, the
    /// recipe to compare the project's settings with
    #[arg(long)]
    pub recipe: Option<String>,
    /// The output folder (created; existing files are kept unless --force)
    #[arg(
        long,
        value_name = "DIR",
        required_unless_present = "check",
        conflicts_with = "check"
    )]
    pub out: Option<std::path::PathBuf>,
    /// Check an existing DX project of an External Client App (generated, retrieved or written
    /// by hand) without an org: one line per problem; exits 1 when there is one
    #[arg(long, value_name = "DIR")]
    pub check: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub app: AppArgs,
    /// Overwrite files that already exist
    #[arg(long)]
    pub force: bool,
    /// Print one JSON object
    #[arg(long)]
    pub json: bool,
}

/// What the app gets beyond the recipe: shared by `metadata` and `apply`.
#[derive(Debug, Clone, clap::Args)]
pub struct AppArgs {
    /// Answer one of the recipe's choices, e.g. `flow=jwt-bearer` (repeatable; `eca-wizard
    /// recipes ID` lists them; unanswered ones take their default)
    #[arg(long = "choice", value_name = "ID=OPTION")]
    pub choices: Vec<String>,
    /// Take the callback URLs and the Run As user from a saved profile
    #[arg(long, value_name = "PROFILE")]
    pub from: Option<String>,
    /// The app's API name (default: from the recipe's app name)
    #[arg(long)]
    pub name: Option<String>,
    /// The app's label (External Client App Name)
    #[arg(long)]
    pub label: Option<String>,
    /// The app's Contact Email (for apply --create-user, also the new user's email)
    #[arg(long)]
    pub contact_email: Option<String>,
    /// The Run As user for client credentials (an API-only integration user)
    #[arg(long, value_name = "USERNAME")]
    pub run_as: Option<String>,
    /// A callback URL (repeat for several); default: the recipe's
    #[arg(long = "callback-url", value_name = "URL")]
    pub callback_urls: Vec<String>,
    /// The permission set's API name (default: APP_Integration)
    #[arg(long)]
    pub permission_set: Option<String>,
    /// JWT bearer: the public certificate (PEM) to put in the global OAuth settings
    #[arg(long, value_name = "FILE")]
    pub certificate: Option<std::path::PathBuf>,
    /// Policy member names: `setup` (<App>_oauthPlcy, <App>_plcy, as an app created in Setup has
    /// them) or `packaged` (<App>_oauth_defaultPolicy, <App>_defaultPolicy, as a package installs them)
    #[arg(long, value_enum, default_value_t = crate::metadata::PolicyNames::Setup)]
    pub policy_names: crate::metadata::PolicyNames,
    /// Also grant the objects the recipe marks optional (such as Knowledge articles)
    #[arg(long)]
    pub include_optional: bool,
    /// JWT bearer recipes: write the app without a certificate, so with JWT bearer off
    #[arg(long, conflicts_with = "certificate")]
    pub no_jwt_certificate: bool,
}

/// `eca-wizard apply`.
#[derive(Debug, Clone, clap::Args)]
pub struct ApplyArgs {
    /// The recipe whose app to deploy (default: the --recipe-file's)
    #[arg(long)]
    pub recipe: Option<String>,
    /// The Salesforce CLI login to use (an alias or username; `sf org list` shows them; default:
    /// the CLI's target-org setting); needs sf 2.136.8 or later
    #[arg(
        long,
        short = 'o',
        value_name = "ALIAS",
        conflicts_with = "instance_url"
    )]
    pub target_org: Option<String>,
    /// Without the Salesforce CLI: the org's My Domain URL, with an access token on stdin
    #[arg(long, value_name = "URL")]
    pub instance_url: Option<String>,
    /// Print the plan and validate the deploy (checkOnly): nothing in the org changes
    #[arg(long)]
    pub dry_run: bool,
    /// The Metadata API version to deploy with
    #[arg(long, default_value = crate::metadata::API_VERSION, value_name = "VERSION")]
    pub api_version: String,
    /// Create the integration user (Salesforce Integration license, its Minimum Access profile,
    /// the API Integration permission set license, then the app's permission set) and make it
    /// the Run As user; client credentials and JWT bearer recipes
    #[arg(long, value_name = "USERNAME", conflicts_with = "run_as")]
    pub create_user: Option<String>,
    /// If the org doesn't allow reading consumer secrets over the REST API, turn that setting
    /// on to read the new app's secret and off again right after, without asking
    #[arg(long)]
    pub allow_secret_access: bool,
    /// Deploy a local recipe's callback URLs outside localhost and its guide's domain without
    /// asking (apply lists them and asks otherwise)
    #[arg(long)]
    pub allow_callbacks: bool,
    /// Keep the verified connection as profile NAME (secrets in the OS keychain)
    #[arg(long, visible_alias = "alias", value_name = "NAME")]
    pub save: Option<String>,
    /// Keep secrets in an owner-only file instead of the keychain
    #[arg(long)]
    pub secrets_file: bool,
    /// JWT bearer recipes: the private key matching --certificate, to connect as the Run As
    /// user once deployed (the key stays on this machine)
    #[arg(
        long,
        visible_alias = "jwt-key-file",
        value_name = "FILE",
        requires = "certificate"
    )]
    pub private_key: Option<std::path::PathBuf>,
    /// Print one JSON object: connect's when apply goes on to connect, else what it did
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub app: AppArgs,
}

#[derive(Debug, Clone, clap::Args)]
pub struct DemoArgs {
    /// Inject one misconfiguration to see a diagnosis and the fix (refresh-secret, no-run-as,
    /// flow-off, no-api, no-refresh-scope; for hosted MCP: jwt-tokens-off, mcp-server-inactive,
    /// api-beside-mcp)
    #[arg(long, value_name = "NAME")]
    pub fault: Option<String>,
    /// Seconds the demo app takes to "propagate" after it is created or fixed
    #[arg(long, default_value_t = 20, value_name = "SECS")]
    pub propagation_delay: u64,
    /// Approve logins at once (no login or consent page), e.g. for a scripted browser
    #[arg(long)]
    pub auto_approve: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ConnectArgs {
    /// production, sandbox, login.salesforce.com, or your My Domain URL (a Lightning URL works)
    #[arg(long, required_unless_present = "target_org")]
    pub login_url: Option<String>,
    /// The app's Consumer Key
    #[arg(long)]
    pub client_id: String,
    /// The recipe whose scopes and checks apply (see `eca-wizard recipes`; default: the
    /// --recipe-file's, else custom)
    #[arg(long)]
    pub recipe: Option<String>,
    /// auth-code, client-credentials or jwt-bearer (default: the recipe's)
    #[arg(long, value_parser = parse_flow)]
    pub flow: Option<crate::salesforce::Flow>,
    /// Answer one of the recipe's choices, e.g. `flow=jwt-bearer` (repeatable; `eca-wizard
    /// recipes ID` lists them; unanswered ones take their default; --flow answers a flow choice)
    #[arg(long = "choice", value_name = "ID=OPTION")]
    pub choices: Vec<String>,
    /// Read the Consumer Secret from stdin (otherwise from ECA_WIZARD_CLIENT_SECRET)
    #[arg(long)]
    pub client_secret_stdin: bool,
    /// Listen on http://localhost:PORT/callback only; the app must list that URL (among the
    /// recipe's callbacks or a --callback-url)
    #[arg(long, value_name = "PORT")]
    pub callback_port: Option<u16>,
    /// A callback URL registered on the app, besides the recipe's (repeatable)
    #[arg(long = "callback-url", value_name = "URL")]
    pub callback_urls: Vec<String>,
    /// Print the login URL and read the pasted redirect address, code or error from stdin
    #[arg(long)]
    pub no_browser: bool,
    /// Seconds to wait for the browser's login
    #[arg(long, default_value_t = 300, value_name = "SECS")]
    pub timeout: u64,
    /// Seconds after saving the app during which "unknown app" errors are waited out
    #[arg(long, default_value_t = 900, value_name = "SECS")]
    pub propagation_window: u64,
    /// Seconds all waiting may take in all, whatever it waits for (default: the propagation
    /// window and 5 minutes)
    #[arg(long, value_name = "SECS")]
    pub max_wait: Option<u64>,
    /// The integration user (JWT bearer signs in as this user; others warn when it differs)
    #[arg(long)]
    pub username: Option<String>,
    /// JWT bearer: the private key (PEM, PKCS#8) matching the app's certificate (`-` reads
    /// stdin)
    #[arg(long, visible_alias = "jwt-key-file", value_name = "FILE")]
    pub private_key: Option<std::path::PathBuf>,
    /// MCP recipes: the hosted MCP server to verify (default: the recipe's server for the
    /// login's org, e.g. https://api.salesforce.com/platform/mcp/v1/platform/sobject-reads)
    #[arg(long, value_name = "URL")]
    pub mcp_url: Option<String>,
    /// Print one JSON object on stdout (never a secret)
    #[arg(long)]
    pub json: bool,
    /// Keep the verified connection as profile NAME (secrets in the OS keychain)
    #[arg(long, visible_alias = "alias", value_name = "NAME")]
    pub save: Option<String>,
    /// With --save: the app's API name, kept with the profile (for status --drift and
    /// metadata --from)
    #[arg(long, value_name = "NAME", requires = "save")]
    pub api_name: Option<String>,
    /// Keep secrets in an owner-only file instead of the keychain (also ECA_WIZARD_SECRETS=file)
    #[arg(long)]
    pub secrets_file: bool,
    /// The Salesforce CLI login (alias or username) whose My Domain to log in at, instead of
    /// --login-url; kept with --save
    #[arg(long, short = 'o', value_name = "ALIAS")]
    pub target_org: Option<String>,
}

fn parse_flow(text: &str) -> Result<crate::salesforce::Flow, String> {
    crate::salesforce::Flow::ALL
        .into_iter()
        .find(|f| f.id() == text)
        .ok_or_else(|| "use auth-code, client-credentials or jwt-bearer".to_string())
}

#[derive(Debug, Clone, clap::Args)]
pub struct EmulatorArgs {
    /// Port for the host that plays login.salesforce.com (0 picks a free one)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Port for the host that plays the org's My Domain (0 picks a free one)
    #[arg(long, default_value_t = 0)]
    pub my_domain_port: u16,
    /// Port for the host that plays api.salesforce.com, the hosted MCP servers (0 picks a free one)
    #[arg(long, default_value_t = 0)]
    pub mcp_port: u16,
    /// An org file (TOML) instead of the built-in demo org
    #[arg(long, value_name = "FILE")]
    pub org: Option<std::path::PathBuf>,
    /// Start with the standard MCP servers inactive, as Salesforce ships them
    #[arg(long)]
    pub mcp_server_inactive: bool,
    /// How the MCP discovery documents are served: absent, rfc (as RFC 9728/8414 say), or
    /// salesforce (as Salesforce served them in 2026, quirks included; the default)
    #[arg(long, value_enum, value_name = "MODE")]
    pub mcp_metadata: Option<crate::emulator::org::McpMetadata>,
    /// Seconds a new or edited app answers as "not propagated yet"
    #[arg(long, value_name = "SECS")]
    pub propagation_delay: Option<u64>,
    /// The kind of org to play: production (refuses deploys that skip tests), sandbox, or
    /// developer (the default)
    #[arg(long, value_enum, value_name = "TYPE")]
    pub org_type: Option<crate::emulator::org::OrgType>,
    /// Approve every authorization at once as the org's integration user (no pages)
    #[arg(long)]
    pub auto_approve: bool,
    /// Print one JSON object with the URLs and demo credentials as the first line of stdout
    #[arg(long)]
    pub print_json: bool,
}

impl Command {
    /// The subcommand's name, as the JSON envelope's `command` says it.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Recipes { action: None, .. } => "recipes",
            Command::Recipes {
                action: Some(action),
                ..
            } => match action {
                RecipesAction::Show { .. } => "recipes show",
                RecipesAction::New { .. } => "recipes new",
                RecipesAction::Check { .. } => "recipes check",
                RecipesAction::Schema { .. } => "recipes schema",
            },
            Command::Demo(_) => "demo",
            Command::Connect(_) => "connect",
            Command::Explain { .. } => "explain",
            Command::Status { .. } => "status",
            Command::Export { .. } => "export",
            Command::Profiles { .. } => "profiles",
            Command::Doctor { .. } => "doctor",
            Command::Token { .. } => "token",
            Command::Logout { .. } => "logout",
            Command::Metadata(_) => "metadata",
            Command::Rotate { .. } => "rotate",
            Command::Apply(_) => "apply",
            Command::Emulator(_) => "emulator",
            Command::Completions { .. } => "completions",
            Command::Manpage { .. } => "manpage",
            Command::CompleteNames { .. } => "__complete",
            Command::Version { .. } => "version",
        }
    }

    /// Whether the command was asked for the JSON contract.
    pub fn json(&self) -> bool {
        match self {
            Command::Recipes {
                action: Some(action),
                ..
            } => match action {
                RecipesAction::Show { json, .. }
                | RecipesAction::New { json, .. }
                | RecipesAction::Check { json, .. }
                | RecipesAction::Schema { json } => *json,
            },
            Command::Recipes { json, .. }
            | Command::Explain { json, .. }
            | Command::Status { json, .. }
            | Command::Export { json, .. }
            | Command::Profiles { json }
            | Command::Doctor { json, .. }
            | Command::Token { json, .. }
            | Command::Logout { json, .. }
            | Command::Rotate { json, .. }
            | Command::Version { json } => *json,
            Command::Connect(args) => args.json,
            Command::Metadata(args) => args.json,
            Command::Apply(args) => args.json,
            Command::Demo(_)
            | Command::Emulator(_)
            | Command::Completions { .. }
            | Command::Manpage { .. }
            | Command::CompleteNames { .. } => false,
        }
    }
}
