//! Everything the wizard shows and remembers. Plain data; `update` is the only writer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::recipe::{Recipe, Role};
use crate::salesforce::diagnosis::Diagnosis;
use crate::salesforce::settings::SettingKey;
use crate::secret::Secret;
use crate::verify::Check;
use crate::wizard::fields::FieldInput;
use crate::wizard::msg::Summary;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Start,
    Org,
    Step(usize),
    Review,
    Connect,
    Status,
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepMark {
    Todo,
    Done,
    NeedsFix,
    /// Carried out by "Set it up for me" (apply), then verified by the connect.
    Applied,
}

/// The setup in progress. Secrets live only here, in memory.
#[derive(Debug, Clone)]
pub struct Setup {
    pub recipe: &'static Recipe,
    pub login_url: Option<String>,
    /// Field id -> accepted value (never a secret field).
    pub answers: BTreeMap<String, String>,
    pub secrets: BTreeMap<String, Secret>,
    pub marks: Vec<StepMark>,
    /// When the app was created or last fixed (ms since the epoch).
    pub app_saved_at_ms: Option<u64>,
    /// "Set it up for me": apply makes the settings; the admin types only the answers.
    pub by_apply: bool,
}

/// What is written to disk after every step: no secrets, ever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSetup {
    pub version: u32,
    pub recipe: String,
    pub login_url: Option<String>,
    pub answers: BTreeMap<String, String>,
    pub marks: Vec<StepMark>,
    pub current_step: usize,
    pub app_saved_at_ms: Option<u64>,
    /// What was typed in the current step's fields and not yet confirmed (never a secret).
    #[serde(default)]
    pub drafts: BTreeMap<String, String>,
    /// Set up by apply ("Set it up for me"), not by hand.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub by_apply: bool,
}

impl SavedSetup {
    /// One saved setup per recipe and org: this is its name on disk.
    pub fn key(&self) -> String {
        let org = self
            .login_url
            .as_deref()
            .and_then(|u| u.split("://").nth(1))
            .map(|host| host.split(['/', ':']).next().unwrap_or(host))
            .unwrap_or(NO_ORG);
        let org: String = org
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        format!("{}--{org}", self.recipe)
    }

    /// The saved answer to `recipe`'s field of `role`.
    pub fn answer_for(&self, recipe: &Recipe, role: Role) -> Option<String> {
        self.answers.get(recipe.field_id(role)?).cloned()
    }

    pub fn done_steps(&self) -> usize {
        self.marks
            .iter()
            .filter(|m| matches!(m, StepMark::Done | StepMark::Applied))
            .count()
    }
}

/// Whether apply, run from the wizard, makes step `index`: the wizard asks for an existing
/// user (the admin creates it) and a JWT recipe's private key, so its key is read.
pub fn made_by_apply(recipe: &Recipe, index: usize) -> bool {
    recipe.done_by_apply(index, crate::recipe::ApplyUser::Existing, true)
}

/// The org part of a saved setup's key before the org is chosen.
pub const NO_ORG: &str = "no-org";

pub const SAVED_VERSION: u32 = 1;

/// The start screen's choices.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// Unfinished setups found on disk (one per recipe and org), offered first.
    pub saved: Vec<SavedSetup>,
    pub selected: usize,
}

/// A Salesforce CLI login that "Set it up for me" can use, found by the runtime at start (never
/// its token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliLogin {
    /// What `sf --target-org` takes: the login's username.
    pub target: String,
    pub instance_url: String,
}

/// "Set it up for me" while it runs and after: apply's lines, and why it stopped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyView {
    /// The run's id: only its messages are applied.
    pub run: u64,
    pub running: bool,
    pub lines: Vec<String>,
    pub failed: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    Help,
    /// Before apply: may it turn on reading consumer secrets over REST for a moment?
    ApplyConsent,
    ConfirmQuit,
    /// Where to write the metadata project (`model.folder`).
    MetadataFolder,
}

/// The connect screen while a connect runs.
#[derive(Debug, Clone, Default)]
pub struct ConnectView {
    /// The id of the latest connect run; only its messages are applied, and only while it runs.
    pub run: u64,
    pub running: bool,
    pub url: Option<String>,
    pub redirect_uri: Option<String>,
    pub attempt: u32,
    /// Waiting before the next attempt: until when, which attempt, and why.
    pub waiting: Option<(u64, u32, Diagnosis)>,
    pub note: Option<String>,
    pub code_received: bool,
    pub paste: FieldInput,
    pub paste_error: Option<String>,
    /// The status screen lists the diagnosis's other possible causes.
    pub show_causes: bool,
}

/// A step opened to fix what the checks found: the app exists, so the step shows its edit path
/// and marks the one setting to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub step: usize,
    /// What the diagnosis said.
    pub message: String,
    /// The setting at fault, when it is one.
    pub setting: Option<SettingKey>,
    /// What the setting holds now, as far as the error tells (a checkbox: the other state).
    pub wrong: Option<String>,
}

/// Demo mode: the emulator's addresses and its integration user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demo {
    pub login_url: String,
    pub my_domain_url: String,
    /// The host playing api.salesforce.com (hosted MCP servers).
    pub mcp_url: String,
    /// The integration user of client credentials and JWT bearer (API only).
    pub username: String,
    /// The user who signs in in a browser, for authorization code.
    pub browser_username: String,
    /// No browser here: offer signing in to the emulator from the terminal.
    pub terminal_sign_in: bool,
    /// The injected fault and the recipes it applies to, shown on the start screen.
    pub fault_note: Option<String>,
}

impl Demo {
    /// The user a recipe of this flow connects as.
    pub fn username_for(&self, flow: crate::salesforce::Flow) -> String {
        match flow {
            crate::salesforce::Flow::AuthCode => self.browser_username.clone(),
            _ => self.username.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Model {
    pub screen: Screen,
    pub recipes: &'static [Recipe],
    pub progress: Progress,
    pub setup: Option<Setup>,
    /// The inputs of the current screen (org URL, a step's fields).
    pub inputs: Vec<FieldInput>,
    pub focus: usize,
    pub notes: Vec<String>,
    pub reveal_secrets: bool,
    pub connect: ConnectView,
    pub checks: Vec<Check>,
    pub summary: Option<Summary>,
    /// Where the verified connection was kept, or why it wasn't.
    pub kept: Option<Result<String, String>>,
    /// No keychain: keeping the secrets in an owner-only file is on offer (`k`).
    pub offer_file: bool,
    /// Lines the current screen's text is scrolled (reset when the screen changes).
    pub scroll: u16,
    /// The step was reached through `f`: what is wrong there and what it should be.
    pub fix: Option<Fix>,
    /// File fields whose file was read and holds what it must: field id -> the path read.
    pub files_checked: BTreeMap<String, String>,
    /// File fields being read now (the step confirms when they all come back good).
    pub files_reading: std::collections::BTreeSet<String>,
    /// Where metadata projects go unless the admin says otherwise (the data folder).
    pub metadata_home: String,
    /// The folder the metadata prompt proposes, as edited.
    pub folder: FieldInput,
    pub dialog: Option<Dialog>,
    pub toast: Option<(u64, String)>,
    pub next_timer: u64,
    pub now_ms: u64,
    pub size: (u16, u16),
    pub demo: Option<Demo>,
    /// The Salesforce CLI's default login, when there is one: "Set it up for me" is offered.
    pub cli_login: Option<CliLogin>,
    pub apply: Option<ApplyView>,
    /// Apply runs started so far: each run's id, so a late message of an earlier one is known.
    pub apply_runs: u64,
    /// After a connect, with a CLI login: the live app against the recipe (None: not read yet).
    pub drift: Option<Result<Vec<String>, String>>,
    pub browser_available: bool,
    /// False under `NO_COLOR`: the screen uses only bold, dim and reverse.
    pub color: bool,
    pub quit: bool,
}

impl Model {
    /// The start state; `saved` are the unfinished setups on disk, offered first.
    pub fn new(recipes: &'static [Recipe], saved: Vec<SavedSetup>, now_ms: u64) -> Model {
        Model {
            screen: Screen::Start,
            recipes,
            progress: Progress { saved, selected: 0 },
            setup: None,
            inputs: Vec::new(),
            focus: 0,
            notes: Vec::new(),
            reveal_secrets: false,
            connect: ConnectView::default(),
            checks: Vec::new(),
            summary: None,
            kept: None,
            offer_file: false,
            scroll: 0,
            fix: None,
            files_checked: BTreeMap::new(),
            files_reading: std::collections::BTreeSet::new(),
            metadata_home: ".".into(),
            folder: FieldInput::default(),
            dialog: None,
            toast: None,
            next_timer: 1,
            now_ms,
            size: (80, 24),
            demo: None,
            cli_login: None,
            apply: None,
            apply_runs: 0,
            drift: None,
            browser_available: true,
            color: true,
            quit: false,
        }
    }

    pub fn with_demo(mut self, demo: Demo) -> Model {
        self.demo = Some(demo);
        self
    }

    pub fn recipe(&self) -> Option<&'static Recipe> {
        self.setup.as_ref().map(|s| s.recipe)
    }

    /// The last connect ended connected (with or without warnings).
    pub fn connected(&self) -> bool {
        self.summary
            .as_ref()
            .is_some_and(|s| s.outcome == crate::connect::Outcome::Connected)
    }

    /// The last connect's diagnosis has other possible causes to show.
    pub fn has_other_causes(&self) -> bool {
        self.summary
            .as_ref()
            .and_then(|s| s.diagnosis.as_ref())
            .is_some_and(|d| !d.others.is_empty())
    }

    /// How many entries the start screen lists (saved setups first).
    pub fn start_entries(&self) -> usize {
        self.recipes.len() + self.progress.saved.len()
    }

    /// Whether something on screen moves (a spinner or a countdown), so ticks are needed.
    pub fn animating(&self) -> bool {
        self.connect.running && matches!(self.screen, Screen::Connect | Screen::Status)
    }

    /// Seconds left before the next attempt, when waiting.
    pub fn countdown_secs(&self) -> Option<u64> {
        self.connect
            .waiting
            .as_ref()
            .map(|(until, _, _)| until.saturating_sub(self.now_ms).div_ceil(1000))
    }
}

impl Setup {
    pub fn new(recipe: &'static Recipe) -> Setup {
        Setup {
            recipe,
            login_url: None,
            answers: BTreeMap::new(),
            secrets: BTreeMap::new(),
            marks: vec![StepMark::Todo; recipe.steps.len()],
            app_saved_at_ms: None,
            by_apply: false,
        }
    }

    /// The saved form: answers to secret fields are left out.
    pub fn saved(&self, current_step: usize) -> SavedSetup {
        let answers = self
            .answers
            .iter()
            .filter(|(id, _)| self.recipe.field(id).is_some_and(|f| !f.secret))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        SavedSetup {
            version: SAVED_VERSION,
            recipe: self.recipe.id.clone(),
            login_url: self.login_url.clone(),
            answers,
            marks: self.marks.clone(),
            current_step,
            app_saved_at_ms: self.app_saved_at_ms,
            drafts: BTreeMap::new(),
            by_apply: self.by_apply,
        }
    }

    /// Rebuilds a setup from disk; None when the recipe is gone or the file doesn't fit it.
    pub fn restore(saved: &SavedSetup, recipes: &'static [Recipe]) -> Option<(Setup, usize)> {
        let recipe = recipes.iter().find(|r| r.id == saved.recipe)?;
        if saved.version != SAVED_VERSION || saved.marks.len() != recipe.steps.len() {
            return None;
        }
        let answers = saved
            .answers
            .iter()
            .filter(|(id, _)| recipe.field(id).is_some_and(|f| !f.secret))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let setup = Setup {
            recipe,
            login_url: saved.login_url.clone(),
            answers,
            secrets: BTreeMap::new(),
            marks: saved.marks.clone(),
            app_saved_at_ms: saved.app_saved_at_ms,
            by_apply: saved.by_apply,
        };
        Some((
            setup,
            saved.current_step.min(recipe.steps.len().saturating_sub(1)),
        ))
    }

    pub fn answer(&self, field: &str) -> Option<&str> {
        self.answers.get(field).map(String::as_str)
    }

    /// The answer to the recipe's field of `role`.
    pub fn answer_for(&self, role: Role) -> Option<&str> {
        self.answer(self.recipe.field_id(role)?)
    }

    /// The secret typed in the recipe's field of `role`.
    pub fn secret_for(&self, role: Role) -> Option<&Secret> {
        self.secrets.get(self.recipe.field_id(role)?)
    }
}

/// Stands in for a private-key path in demo mode: the demo certificate's key, built in.
pub const DEMO_KEY_MARKER: &str = "(built-in demo key)";
/// Stands in for a certificate path in demo mode: the demo org's certificate, built in.
pub const DEMO_CERTIFICATE_MARKER: &str = "(built-in demo certificate)";

/// The demo org's integration user for a flow, prefilled in demo mode: one that can sign in
/// in a browser for authorization code, the API-only one otherwise.
pub fn demo_username(flow: crate::salesforce::Flow) -> &'static str {
    match flow {
        crate::salesforce::Flow::AuthCode => crate::emulator::org::DEMO_BROWSER_USER,
        _ => crate::emulator::org::DEMO_INTEGRATION_USER,
    }
}
