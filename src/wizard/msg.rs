//! What comes into the core (`Msg`) and what it asks for (`Cmd`).

use crate::connect::{Event, Outcome};
use crate::salesforce::diagnosis::Diagnosis;
use crate::secret::Secret;
use crate::verify::{Check, Identity};
use crate::wizard::model::{CliLogin, SavedSetup};

/// A key press, independent of the terminal library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    Backspace,
    Delete,
    PageUp,
    PageDown,
    F(u8),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(Key),
    /// Bracketed paste: inserted as text, never submitted.
    Paste(String),
    /// The wall clock, in milliseconds since the epoch.
    Tick(u64),
    Resize(u16, u16),
    /// What the UI measured after drawing: rows a page key scrolls, and how far the screen on
    /// show can scroll. The core keeps scroll offsets within this.
    Layout {
        page: u16,
        max_scroll: u16,
    },
    /// A progress event of connect run `run`, stamped with the time it arrived. Events of any
    /// run but the current one are ignored (a cancelled run's late answers).
    Connect {
        run: u64,
        event: Event,
        at_ms: u64,
    },
    ConnectFinished {
        run: u64,
        summary: Box<Summary>,
    },
    /// Where metadata projects go unless the admin says otherwise (the data folder).
    MetadataHome(String),
    /// A timer started with `Cmd::Timer` ran out.
    Timer(u64),
    /// Demo: the app was registered in the emulator; these are its credentials.
    DemoAppRegistered {
        consumer_key: String,
        consumer_secret: Secret,
    },
    /// Demo: the secret of the app apply made (known by its key), copied from the emulator's
    /// Setup.
    DemoSecretRevealed {
        consumer_key: String,
        consumer_secret: Secret,
    },
    /// The Salesforce CLI's default login, looked up at start (None: no CLI, or no default org).
    CliLogin(Option<CliLogin>),
    /// A line "Set it up for me" (apply run `run`) wrote.
    ApplyLine {
        run: u64,
        line: String,
    },
    /// Apply run `run` ended: what it read back, or why it stopped.
    Applied {
        run: u64,
        result: Result<AppliedApp, String>,
    },
    /// The live app read with the CLI login against the recipe: a line per setting that drifted
    /// (label, live, wanted, fix), or why it couldn't be read.
    Drift {
        /// The connect run it followed: a later run's reading replaces it.
        run: u64,
        result: Result<Vec<String>, String>,
    },
    /// Connect run `run` found every callback port taken; this loopback port is free for a
    /// callback URL the admin can add.
    SpareCallbackPort {
        run: u64,
        port: u16,
    },
    /// Where the verified connection was kept (or why it wasn't).
    Kept(Result<String, String>),
    /// There is no keychain: the connection can be kept in an owner-only file if the user agrees.
    OfferKeepInFile(String),
    /// The metadata project was written (the folder), or why not.
    MetadataWritten(Result<String, String>),
    /// Something the runtime couldn't do, said plainly.
    Failed(String),
    /// The program is ending (a signal): save what can be saved.
    Terminating,
    /// A file field's file was read: Ok with a note worth showing, or what is wrong with it.
    FileInspected {
        field: String,
        path: String,
        result: Result<Option<String>, String>,
    },
}

/// What apply leaves for the connect.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedApp {
    /// None: the credentials must be copied from Setup (apply said why).
    pub consumer_key: Option<String>,
    pub consumer_secret: Option<Secret>,
    /// The deploy changed the org (false: a no-op plan); the propagation window starts.
    pub changed: bool,
}

/// What "Set it up for me" needs: the answers, the CLI login, and the admin's consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplySpec {
    pub run: u64,
    pub saved: SavedSetup,
    /// The CLI login (`--target-org`).
    pub target: String,
    /// May apply turn on reading consumer secrets over REST for a moment?
    pub allow_secret_access: bool,
}

/// The outcome of a connect, as the core keeps it (tokens stay with the runtime).
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub outcome: Outcome,
    pub checks: Vec<Check>,
    pub diagnosis: Option<Diagnosis>,
    pub instance_url: Option<String>,
    pub identity: Option<Identity>,
    pub attempts: u32,
}

impl Summary {
    /// Checks that passed with a reservation (the wrong user, an optional object unreadable).
    pub fn warnings(&self) -> impl Iterator<Item = &Check> {
        self.checks
            .iter()
            .filter(|c| c.status == crate::verify::Status::Warning)
    }
}

/// What the connect needs from the setup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectSpec {
    /// The run's id: its messages carry it back.
    pub run: u64,
    /// Open the browser (a display is available); otherwise the paste path.
    pub open_browser: bool,
    pub recipe_id: String,
    /// The answers to the recipe's choices (format 2): the recipe as they make it connects.
    pub choices: Vec<(String, String)>,
    pub login_url: String,
    pub client_id: String,
    pub client_secret: Option<Secret>,
    pub expected_username: Option<String>,
    /// When the app was created or last fixed (ms since the epoch), for the propagation window.
    pub app_saved_at_ms: Option<u64>,
    /// JWT bearer: the private key to sign with.
    pub private_key: Option<crate::wizard::PemSource>,
    /// MCP recipes: the server URL the admin entered.
    pub mcp_url: Option<String>,
    /// Connecting right after a fix: failing checks are retried while Salesforce applies it.
    pub after_fix: bool,
    /// Keep the connection as this profile once it is verified.
    pub save_as: Option<String>,
    /// What the admin typed about the app, kept with the profile: every callback URL (the
    /// vendor's too), the API name and the label.
    pub app_callback_urls: Vec<String>,
    pub api_name: Option<String>,
    pub app_name: Option<String>,
    /// The Salesforce CLI login "Set it up for me" used, kept with the profile.
    pub target_org: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cmd {
    Quit,
    SaveProgress(SavedSetup),
    /// Forget the saved setup with this key (`SavedSetup::key`).
    ClearProgress(String),
    Connect(Box<ConnectSpec>),
    CancelConnect,
    /// "Set it up for me": run apply with the CLI login.
    Apply(Box<ApplySpec>),
    /// Read the app `api_name` with the CLI login `target` and compare it with the recipe.
    CheckDrift {
        run: u64,
        recipe: String,
        /// The answers to the recipe's choices: the drift is against the recipe they make.
        choices: Vec<(String, String)>,
        api_name: String,
        target: String,
    },
    RetryNow,
    /// A line pasted on the connect screen, for the running connect.
    Paste(String),
    OpenUrl(String),
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Fire `Msg::Timer(id)` after this many milliseconds.
    Timer {
        id: u64,
        after_ms: u64,
    },
    /// Demo: register (or fix) the app in the emulator from the setup's answers.
    DemoRegisterApp(SavedSetup),
    /// Demo: read the secret of the app `api_name` from the emulator, as an admin copies it
    /// from Setup (`Msg::DemoSecretRevealed`).
    DemoRevealSecret {
        api_name: String,
    },
    /// Demo without a browser: sign in to the emulator from the terminal.
    DemoSignIn {
        url: String,
        username: String,
    },
    /// Write the DX metadata project for the setup into this folder.
    WriteMetadata {
        saved: SavedSetup,
        into: String,
    },
    /// Read a file field's file and say whether it holds what it must (`Msg::FileInspected`).
    InspectFile {
        field: String,
        path: String,
        kind: crate::jwt::PemKind,
    },
    /// The user agreed: keep the last verified connection's secrets in an owner-only file.
    KeepInFile,
}
