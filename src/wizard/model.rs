//! Everything the wizard shows and remembers. Plain data; `update` is the only writer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::recipe::{Recipe, Role};
use crate::salesforce::diagnosis::Diagnosis;
use crate::secret::Secret;
use crate::verify::Check;
use crate::wizard::fields::FieldInput;
use crate::wizard::msg::Summary;
use crate::wizard::screen::{Screen, ScreenKind};

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
    /// File fields whose file was read and holds what it must: field id -> the path read.
    pub files_checked: BTreeMap<String, String>,
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
    /// The answers to the recipe's choices (format 2): choice id -> option.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub choices: BTreeMap<String, String>,
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

    /// The recipe as the saved answers make it; `loaded` is the recipe with its id as loaded.
    pub fn variant<'a>(&self, loaded: &'a Recipe) -> &'a Recipe {
        crate::recipe::answers::variant(loaded, &pairs(&self.choices))
    }

    pub fn done_steps(&self) -> usize {
        self.marks
            .iter()
            .filter(|m| matches!(m, StepMark::Done | StepMark::Applied))
            .count()
    }
}

/// A map of answers as the pairs `recipe::answers` takes.
pub fn pairs(map: &BTreeMap<String, String>) -> Vec<(String, String)> {
    map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
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
    pub running: bool,
    pub lines: Vec<String>,
    pub failed: Option<String>,
}

/// "Set it up for me": its runs, and the view of the latest while this setup shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applying {
    pub run: Latest,
    pub view: Option<ApplyView>,
}

impl Applying {
    pub fn running(&self) -> bool {
        self.view.as_ref().is_some_and(|v| v.running)
    }
}

#[derive(Debug, Clone)]
pub enum Dialog {
    Help,
    /// Before apply: may it turn on reading consumer secrets over REST for a moment?
    ApplyConsent,
    ConfirmQuit,
    /// Before a saved setup is forgotten: which one (its place in the start list).
    ConfirmDelete(usize),
    /// Where to write the metadata project: the folder as edited.
    MetadataFolder(FieldInput),
}

/// The latest of a kind of background work (a connect, an apply, a toast's timer): each start
/// takes a new id, and a message carrying any other id is late and ignored. The one way the
/// core tells a current answer from a stale one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Latest(u64);

impl Latest {
    /// A new id, which makes every earlier one stale.
    pub fn start(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }

    pub fn id(self) -> u64 {
        self.0
    }

    pub fn is(self, id: u64) -> bool {
        self.0 == id
    }
}

/// The latest connect: its progress while it runs, and what it found.
#[derive(Debug, Clone, Default)]
pub struct ConnectView {
    pub run: Latest,
    pub running: bool,
    pub url: Option<String>,
    pub redirect_uri: Option<String>,
    pub attempt: u32,
    /// Token requests so far: what the admin counts as tries (probes of the authorize page
    /// aren't).
    pub logins: u32,
    /// Waiting before the next attempt: until when, which attempt, and why.
    pub waiting: Option<(u64, u32, Diagnosis)>,
    pub note: Option<String>,
    pub code_received: bool,
    /// The checks reported so far.
    pub checks: Vec<Check>,
    /// How the connect ended.
    pub summary: Option<Summary>,
    /// After a connect, with a CLI login: the live app against the recipe (None: not read yet).
    pub drift: Option<Result<Vec<String>, String>>,
    /// Where the verified connection was kept, or why it wasn't.
    pub kept: Option<Result<String, String>>,
    /// No keychain: keeping the secrets in an owner-only file is on offer (`k`).
    pub offer_file: bool,
    /// Every callback port was taken: a free one the fix can add to the Callback URL field.
    pub spare_port: Option<u16>,
}

impl ConnectView {
    /// Whether a message of `run` belongs to the connect that is running now.
    pub fn is_current(&self, run: u64) -> bool {
        self.running && self.run.is(run)
    }
}

/// A short message at the bottom, removed by its timer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Toast {
    pub timer: Latest,
    pub text: Option<String>,
}

/// What the terminal's layout allows, as the UI measured it after the last frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    pub width: u16,
    pub height: u16,
    /// Rows a page key scrolls.
    pub page: u16,
    /// How far the screen on show can scroll at this size.
    pub max_scroll: u16,
}

/// What the runtime found around it at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    pub browser_available: bool,
    /// False under `NO_COLOR`: the screen uses only bold, dim and reverse.
    pub color: bool,
    /// Where metadata projects go unless the admin says otherwise (the data folder).
    pub metadata_home: String,
}

impl Default for Environment {
    fn default() -> Environment {
        Environment {
            browser_available: true,
            color: true,
            metadata_home: ".".into(),
        }
    }
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
    /// How long the demo org takes to know a new or edited app (`--propagation-delay`).
    pub propagation_secs: u64,
}

impl Demo {
    /// Why the demo won't sign in at `url` (None: it is one of the emulator's own addresses).
    /// The demo never sends the admin to a real org, whatever is typed.
    pub fn refuses(&self, url: &str) -> Option<String> {
        let ours = |own: &str| own.trim_end_matches('/') == url.trim().trim_end_matches('/');
        if ours(&self.login_url) || ours(&self.my_domain_url) {
            return None;
        }
        Some(format!(
            "This is the demo: it signs in only to its own org, the emulator at {}, never to \
             {}. Type {0} here, or run eca-wizard without demo for a real org.",
            self.login_url,
            crate::terminal_safe::terminal_safe(url.trim())
        ))
    }

    /// The user a recipe of this flow connects as.
    pub fn username_for(&self, flow: crate::salesforce::Flow) -> String {
        match flow {
            crate::salesforce::Flow::AuthCode => self.browser_username.clone(),
            _ => self.username.clone(),
        }
    }
}

/// What outlives a screen; the screen on show holds its own state.
#[derive(Debug, Clone)]
pub struct Model {
    pub screen: Screen,
    pub recipes: &'static [Recipe],
    pub progress: Progress,
    pub setup: Option<Setup>,
    pub connect: ConnectView,
    pub applying: Applying,
    pub dialog: Option<Dialog>,
    pub toast: Toast,
    pub now_ms: u64,
    pub viewport: Viewport,
    pub demo: Option<Demo>,
    /// The Salesforce CLI's default login, when there is one: "Set it up for me" is offered.
    pub cli_login: Option<CliLogin>,
    pub environment: Environment,
    pub quit: bool,
}

impl Model {
    /// Whether quitting keeps the setup to resume: not in the demo, whose org and folder end
    /// with it (a new demo is a new org, so there is nothing to resume).
    pub fn keeps_progress(&self) -> bool {
        self.demo.is_none()
    }

    /// The start state; `saved` are the unfinished setups on disk, offered first.
    pub fn new(recipes: &'static [Recipe], saved: Vec<SavedSetup>, now_ms: u64) -> Model {
        Model {
            screen: Screen::Start,
            recipes,
            progress: Progress { saved, selected: 0 },
            setup: None,
            connect: ConnectView::default(),
            applying: Applying::default(),
            dialog: None,
            toast: Toast::default(),
            now_ms,
            viewport: Viewport {
                width: 80,
                height: 24,
                page: 20,
                max_scroll: 0,
            },
            demo: None,
            cli_login: None,
            environment: Environment::default(),
            quit: false,
        }
    }

    pub fn with_environment(mut self, environment: Environment) -> Model {
        self.environment = environment;
        self
    }

    /// The start screen's list begins at this entry.
    pub fn with_selected(mut self, selected: usize) -> Model {
        self.progress.selected = selected;
        self
    }

    pub fn with_demo(mut self, demo: Demo) -> Model {
        self.demo = Some(demo);
        self
    }

    pub fn recipe(&self) -> Option<&'static Recipe> {
        self.setup.as_ref().map(|s| s.recipe)
    }

    pub fn kind(&self) -> ScreenKind {
        self.screen.kind()
    }

    /// The last connect ended connected (with or without warnings).
    pub fn connected(&self) -> bool {
        self.connect
            .summary
            .as_ref()
            .is_some_and(|s| s.outcome == crate::connect::Outcome::Connected)
    }

    /// The last connect's diagnosis has other possible causes to show.
    pub fn has_other_causes(&self) -> bool {
        self.connect
            .summary
            .as_ref()
            .and_then(|s| s.diagnosis.as_ref())
            .is_some_and(|d| !d.others.is_empty())
    }

    /// How many entries the start screen lists (saved setups first).
    pub fn start_entries(&self) -> usize {
        self.recipes.len() + self.progress.saved.len()
    }

    /// The guide of the recipe selected on the start screen, when it is a web page (a recipe's
    /// `source` may name a guide that isn't on the web); only https pages are opened.
    pub fn selected_guide(&self) -> Option<&str> {
        let index = self
            .progress
            .selected
            .checked_sub(self.progress.saved.len())?;
        let source = self.recipes.get(index)?.source.as_str();
        source.starts_with("https://").then_some(source)
    }

    /// Whether something on screen moves (a spinner or a countdown), so ticks are needed.
    pub fn animating(&self) -> bool {
        self.connect.running && matches!(self.kind(), ScreenKind::Connect | ScreenKind::Status)
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
            files_checked: BTreeMap::new(),
        }
    }

    /// The first step not done yet (by hand or by apply); None when every step is.
    pub fn first_open_step(&self) -> Option<usize> {
        self.marks
            .iter()
            .position(|m| !matches!(m, StepMark::Done | StepMark::Applied))
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
            choices: self.recipe.selection.iter().cloned().collect(),
        }
    }

    /// Rebuilds a setup from disk; None when the recipe is gone or the file doesn't fit it.
    pub fn restore(saved: &SavedSetup, recipes: &'static [Recipe]) -> Option<(Setup, usize)> {
        let recipe = saved.variant(recipes.iter().find(|r| r.id == saved.recipe)?);
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
            files_checked: BTreeMap::new(),
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

/// Where the PEM a file field names comes from: in the demo, the stand-ins above name the
/// demo's built-in key and certificate; anything else is a file's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PemSource {
    DemoKey,
    DemoCertificate,
    File(String),
}

impl PemSource {
    /// What a file field's answer names (the stand-ins mean the built-ins only in the demo).
    pub fn of(answer: &str, demo: bool) -> PemSource {
        match answer.trim() {
            DEMO_KEY_MARKER if demo => PemSource::DemoKey,
            DEMO_CERTIFICATE_MARKER if demo => PemSource::DemoCertificate,
            path => PemSource::File(path.to_string()),
        }
    }

    /// The file's path, when it is one.
    pub fn path(&self) -> Option<&str> {
        match self {
            PemSource::File(path) => Some(path),
            PemSource::DemoKey | PemSource::DemoCertificate => None,
        }
    }
}

/// The demo org's integration user for a flow, prefilled in demo mode: one that can sign in
/// in a browser for authorization code, the API-only one otherwise.
pub fn demo_username(flow: crate::salesforce::Flow) -> &'static str {
    match flow {
        crate::salesforce::Flow::AuthCode => crate::emulator::org::DEMO_BROWSER_USER,
        _ => crate::emulator::org::DEMO_INTEGRATION_USER,
    }
}
