//! The keys each screen answers to, as data: the footer and the help overlay are drawn from this
//! table, and `update` dispatches a key through it to the entry's `Action` (a key no entry lists
//! goes into the focused text field, or nowhere). So a key does what the footer says, under the
//! same condition, by construction. Entries come most useful first; the footer drops from the
//! end when the terminal is narrow, but never drops a `keep` entry.

use crate::salesforce::Flow;
use crate::wizard::model::{Dialog, Model, StepMark};
use crate::wizard::msg::Key;
use crate::wizard::screen::{ConnectFocus, Screen, ScreenKind};

/// What a key does. Entries with several keys pass the key on too, for its direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Help,
    /// Quit, asking first where there is progress to lose.
    Quit,
    /// Quit at once (nothing would be lost).
    Exit,
    CloseDialog,
    ConfirmQuit,
    WriteMetadata,
    AllowSecretAccess,
    DenySecretAccess,
    /// The start list: move the selection (the key says which way).
    Choose,
    StartSelected,
    SetItUp,
    DeleteSaved,
    UseOrg,
    Back,
    ConfirmStep,
    /// Move between fields (the key says which way).
    MoveFocus,
    /// Next or previous step without confirming (the key says which).
    TurnStep,
    OpenSetup,
    CopyField,
    RevealSecret,
    /// Scroll the screen's text (the key says how far).
    Scroll,
    Connect,
    Apply,
    EditAnswers,
    AskMetadataFolder,
    CopyUrl,
    OpenBrowser,
    FocusPaste,
    RetryNow,
    SignInHere,
    Cancel,
    SubmitPaste,
    LeavePaste,
    Finish,
    CheckAgain,
    Fix,
    OtherCauses,
    ToReview,
    KeepInFile,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHelp {
    /// Every key this entry stands for; none: any key no other entry lists.
    pub keys: &'static [Key],
    pub action: Action,
    /// How the footer and the help name them.
    pub label: &'static str,
    /// The footer's word for it.
    pub short: &'static str,
    /// The help overlay's sentence.
    pub long: &'static str,
    /// Always in the footer, however narrow the terminal.
    pub keep: bool,
}

const fn entry(
    keys: &'static [Key],
    action: Action,
    label: &'static str,
    short: &'static str,
    long: &'static str,
) -> KeyHelp {
    KeyHelp {
        keys,
        action,
        label,
        short,
        long,
        keep: false,
    }
}

const fn kept(mut help: KeyHelp) -> KeyHelp {
    help.keep = true;
    help
}

/// Keys that scroll a text pane on screens where nothing is typed.
pub const SCROLL_KEYS: &[Key] = &[
    Key::Up,
    Key::Down,
    Key::Char('k'),
    Key::Char('j'),
    Key::PageUp,
    Key::PageDown,
    Key::Ctrl('n'),
    Key::Ctrl('p'),
];
/// Keys that scroll the step text while a field has the focus (arrows move between fields).
pub const STEP_SCROLL_KEYS: &[Key] = &[Key::Ctrl('n'), Key::Ctrl('p')];

fn help(typing: bool) -> KeyHelp {
    if typing {
        kept(entry(
            &[Key::F(1)],
            Action::Help,
            "F1",
            "help",
            "the keys of this screen",
        ))
    } else {
        kept(entry(
            &[Key::Char('?'), Key::F(1)],
            Action::Help,
            "?",
            "help",
            "the keys of this screen (F1 too)",
        ))
    }
}

fn quit(typing: bool) -> KeyHelp {
    if typing {
        kept(entry(
            &[Key::Ctrl('q')],
            Action::Quit,
            "ctrl-q",
            "quit",
            "quit (asks first; what you typed is kept)",
        ))
    } else {
        kept(entry(
            &[Key::Char('q'), Key::Ctrl('q')],
            Action::Quit,
            "q",
            "quit",
            "quit (asks first when there is progress)",
        ))
    }
}

const fn scroll_entry(long: &'static str) -> KeyHelp {
    entry(SCROLL_KEYS, Action::Scroll, "↑↓", "scroll", long)
}

/// What `key` does now: the entry of the open dialog or of the screen that lists it, else the
/// entry for any other key, if there is one. None: it edits the focused field, or does nothing.
pub fn action_for(model: &Model, key: Key) -> Option<Action> {
    let keys = for_footer(model);
    keys.iter()
        .find(|k| k.keys.contains(&key))
        .or_else(|| keys.iter().find(|k| k.keys.is_empty()))
        .map(|k| k.action)
}

/// What the footer offers now: a dialog's own keys while one is open, else the screen's.
pub fn for_footer(model: &Model) -> Vec<KeyHelp> {
    match &model.dialog {
        Some(Dialog::MetadataFolder(_)) => vec![
            entry(
                &[Key::Enter],
                Action::WriteMetadata,
                "enter",
                "write",
                "write the project into the folder",
            ),
            entry(
                &[Key::Esc],
                Action::CloseDialog,
                "esc",
                "cancel",
                "write nothing",
            ),
        ],
        Some(Dialog::ConfirmQuit) => vec![
            entry(
                &[Key::Char('y'), Key::Char('Y'), Key::Enter],
                Action::ConfirmQuit,
                "y",
                "quit",
                if model.keeps_progress() {
                    "quit (progress is saved)"
                } else {
                    "quit (the demo keeps nothing)"
                },
            ),
            entry(&[], Action::CloseDialog, "any other key", "stay", "stay"),
        ],
        Some(Dialog::Help) => vec![entry(
            &[],
            Action::CloseDialog,
            "any key",
            "close",
            "close the help",
        )],
        Some(Dialog::ApplyConsent) => vec![
            entry(
                &[Key::Char('y'), Key::Char('Y')],
                Action::AllowSecretAccess,
                "y",
                "allow",
                "apply may turn on reading secrets over REST for a moment",
            ),
            entry(
                &[Key::Char('n'), Key::Char('N')],
                Action::DenySecretAccess,
                "n",
                "don't",
                "leave the setting; copy the secret from Setup",
            ),
            entry(
                &[],
                Action::CloseDialog,
                "any other key",
                "not now",
                "close; nothing runs",
            ),
        ],
        None => for_screen(model),
    }
}

/// The keys that work on the model's screen (what its help lists), most useful first, help and
/// quit last.
pub fn for_screen(model: &Model) -> Vec<KeyHelp> {
    let typing = typing(model);
    let mut keys = match &model.screen {
        Screen::Start => start(model),
        Screen::Org(_) => vec![
            entry(
                &[Key::Enter],
                Action::UseOrg,
                "enter",
                "continue",
                "use this org and go to the first step",
            ),
            entry(
                &[Key::Esc],
                Action::Back,
                "esc",
                "back",
                "back to the list of integrations",
            ),
        ],
        Screen::Step(_) => step(model),
        Screen::Review(_) if model.applying.running() => vec![],
        Screen::Review(_) => review(model),
        Screen::Connect(screen) => connect(model, screen.focus),
        Screen::Status(_) => status(model),
        Screen::Done(_) => {
            let mut keys = Vec::new();
            if model.connect.offer_file {
                keys.push(entry(
                    &[Key::Char('k')],
                    Action::KeepInFile,
                    "k",
                    "keep in a file",
                    "keep the secrets in an owner-only file (no keychain here)",
                ));
            }
            keys.push(scroll_entry("scroll (pgup/pgdn, j/k, ctrl-n/p too)"));
            keys.push(entry(
                &[Key::Enter, Key::Esc],
                Action::Exit,
                "enter",
                "quit",
                "quit (esc too)",
            ));
            keys
        }
    };
    keys.push(help(typing));
    keys.push(quit(typing));
    keys
}

fn start(model: &Model) -> Vec<KeyHelp> {
    let mut keys = vec![
        entry(
            &[Key::Up, Key::Down, Key::Char('k'), Key::Char('j'), Key::Tab],
            Action::Choose,
            "↑↓",
            "choose",
            "choose an integration (j/k and tab too)",
        ),
        entry(
            &[Key::Enter],
            Action::StartSelected,
            "enter",
            "start",
            "start it, or resume the saved setup",
        ),
    ];
    if model.cli_login.is_some() && model.progress.selected >= model.progress.saved.len() {
        keys.push(entry(
            &[Key::Char('a')],
            Action::SetItUp,
            "a",
            "set it up for me",
            "make the settings with your Salesforce CLI login (apply), then connect",
        ));
    }
    if model.progress.selected < model.progress.saved.len() {
        keys.push(entry(
            &[Key::Char('d')],
            Action::DeleteSaved,
            "d",
            "delete saved",
            "forget this saved setup",
        ));
    }
    keys.push(entry(&[Key::Esc], Action::Exit, "esc", "quit", "quit"));
    keys
}

fn step(model: &Model) -> Vec<KeyHelp> {
    let Screen::Step(screen) = &model.screen else {
        return Vec::new();
    };
    let fields = !screen.form.inputs.is_empty();
    let mut keys = vec![entry(
        &[Key::Enter],
        Action::ConfirmStep,
        "enter",
        "confirm step",
        "check the fields and confirm the step",
    )];
    if fields {
        keys.push(entry(
            &[Key::Tab, Key::BackTab, Key::Down, Key::Up],
            Action::MoveFocus,
            "tab",
            "next field",
            "next field (shift-tab, ↑↓ too)",
        ));
        keys.push(entry(
            STEP_SCROLL_KEYS,
            Action::Scroll,
            "ctrl-n/p",
            "scroll",
            "scroll the step's text down / up",
        ));
    } else {
        keys.push(entry(
            &[
                Key::Down,
                Key::Up,
                Key::Char('j'),
                Key::Char('k'),
                Key::Ctrl('n'),
                Key::Ctrl('p'),
            ],
            Action::Scroll,
            "↑↓",
            "scroll",
            "scroll the step's text (j/k, ctrl-n/p too)",
        ));
    }
    keys.push(entry(
        &[Key::PageDown, Key::PageUp],
        Action::TurnStep,
        "pgdn/pgup",
        "steps",
        "next / previous step without confirming (what you typed is kept)",
    ));
    keys.push(entry(
        &[Key::Ctrl('o')],
        Action::OpenSetup,
        "ctrl-o",
        "open Setup",
        "open this step's Setup page in the browser",
    ));
    if fields {
        keys.push(entry(
            &[Key::Ctrl('y')],
            Action::CopyField,
            "ctrl-y",
            "copy",
            "copy the field (OSC 52; works over SSH; never a secret)",
        ));
    }
    if screen.form.inputs.iter().any(|i| i.secret) {
        keys.push(entry(
            &[Key::Ctrl('r')],
            Action::RevealSecret,
            "ctrl-r",
            "reveal",
            "show or hide the secret",
        ));
    }
    keys.push(entry(
        &[Key::Esc],
        Action::Back,
        "esc",
        "back",
        "previous step (the org on the first)",
    ));
    keys
}

fn review(model: &Model) -> Vec<KeyHelp> {
    vec![
        if model.setup.as_ref().is_some_and(|s| s.by_apply) {
            entry(
                &[Key::Enter],
                Action::Apply,
                "enter",
                "apply",
                "make these settings with your Salesforce CLI login, then connect",
            )
        } else {
            entry(
                &[Key::Enter],
                Action::Connect,
                "enter",
                "connect",
                "connect to the org and run the checks",
            )
        },
        scroll_entry("scroll (pgup/pgdn, j/k, ctrl-n/p too)"),
        entry(
            &[Key::Char('e')],
            Action::EditAnswers,
            "e",
            "edit",
            "back to the first step to change an answer",
        ),
        entry(
            &[Key::Char('m')],
            Action::AskMetadataFolder,
            "m",
            "write metadata",
            "write a deployable metadata project for this app (asks where)",
        ),
        entry(
            &[Key::Esc],
            Action::Back,
            "esc",
            "back",
            "back to the last step",
        ),
    ]
}

fn connect(model: &Model, focus: ConnectFocus) -> Vec<KeyHelp> {
    if focus == ConnectFocus::PasteBox {
        return vec![
            entry(
                &[Key::Enter],
                Action::SubmitPaste,
                "enter",
                "submit",
                "submit what you pasted",
            ),
            entry(
                &[Key::Esc, Key::Tab],
                Action::LeavePaste,
                "esc",
                "leave paste box",
                "leave the paste box",
            ),
        ];
    }
    let browser = model.recipe().is_none_or(|r| r.flow == Flow::AuthCode);
    let url = model.connect.url.is_some();
    let mut keys = Vec::new();
    if browser && url {
        keys.push(entry(
            &[Key::Char('c')],
            Action::CopyUrl,
            "c",
            "copy URL",
            "copy the login URL (OSC 52)",
        ));
        keys.push(entry(
            &[Key::Char('o')],
            Action::OpenBrowser,
            "o",
            "open browser",
            "open the login URL in the browser",
        ));
        keys.push(entry(
            &[Key::Char('p'), Key::Tab],
            Action::FocusPaste,
            "p",
            "paste",
            "paste the address the browser ended on, the code, or its error",
        ));
    }
    if model.connect.waiting.is_some() {
        keys.push(entry(
            &[Key::Char('r')],
            Action::RetryNow,
            "r",
            "retry now",
            "try again now instead of waiting",
        ));
    }
    if url && model.demo.as_ref().is_some_and(|d| d.terminal_sign_in) {
        keys.push(entry(
            &[Key::Char('s')],
            Action::SignInHere,
            "s",
            "sign in here",
            "demo: sign in to the demo org from the terminal",
        ));
    }
    keys.push(entry(
        &[Key::Esc],
        Action::Cancel,
        "esc",
        "cancel",
        "cancel and go back to the review",
    ));
    keys
}

/// Whether the finished connect has a step to go back to.
pub fn fix_step(model: &Model) -> Option<usize> {
    model
        .setup
        .as_ref()?
        .marks
        .iter()
        .position(|m| *m == StepMark::NeedsFix)
}

fn status(model: &Model) -> Vec<KeyHelp> {
    let scroll = scroll_entry("scroll (pgup/pgdn, j/k, ctrl-n/p too)");
    if model.connect.running {
        return vec![
            scroll,
            entry(
                &[Key::Esc],
                Action::Cancel,
                "esc",
                "cancel",
                "stop checking and go back to the review",
            ),
        ];
    }
    let mut keys = Vec::new();
    if model.connected() {
        keys.push(entry(
            &[Key::Enter],
            Action::Finish,
            "enter",
            "finish",
            "finish: keep the connection",
        ));
        keys.push(entry(
            &[Key::Char('r')],
            Action::CheckAgain,
            "r",
            "check again",
            "connect and check again",
        ));
    } else {
        if fix_step(model).is_some() {
            keys.push(entry(
                &[Key::Char('f'), Key::Enter],
                Action::Fix,
                "f",
                "fix it",
                "go to the step that fixes it (enter too); confirming it reconnects",
            ));
        }
        keys.push(entry(
            &[Key::Char('r')],
            Action::CheckAgain,
            "r",
            "reconnect",
            "connect again",
        ));
        if model.has_other_causes() {
            keys.push(entry(
                &[Key::Char('o')],
                Action::OtherCauses,
                "o",
                "other causes",
                "show or hide the other possible causes",
            ));
        }
    }
    keys.push(scroll);
    keys.push(entry(
        &[Key::Esc],
        Action::ToReview,
        "esc",
        "review",
        "back to the review",
    ));
    keys
}

/// Whether `key` is one of the entries' keys.
pub fn listed(keys: &[KeyHelp], key: Key) -> bool {
    keys.iter().any(|k| k.keys.contains(&key))
}

/// Keys that edit the focused text field (any character too) while a screen takes typing.
pub const EDITING_KEYS: &[Key] = &[
    Key::Backspace,
    Key::Delete,
    Key::Left,
    Key::Right,
    Key::Home,
    Key::End,
    Key::Ctrl('a'),
    Key::Ctrl('e'),
    Key::Ctrl('w'),
    Key::Ctrl('u'),
    Key::Ctrl('k'),
];

/// Whether keys go into a text field on the model's screen now.
pub fn typing(model: &Model) -> bool {
    match &model.screen {
        Screen::Org(_) => true,
        Screen::Step(step) => !step.form.inputs.is_empty(),
        Screen::Connect(screen) => screen.focus == ConnectFocus::PasteBox,
        _ => false,
    }
}

/// Whether the screen on show is `kind`.
pub fn on(model: &Model, kind: ScreenKind) -> bool {
    model.kind() == kind
}
