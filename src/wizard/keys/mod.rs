//! The keys each screen answers to, as data: the footer and the help overlay are drawn from this
//! table, and `update` dispatches a key through it to the entry's `Action` (a key no entry lists
//! goes into the focused text field, or nowhere). So a key does what the footer says, under the
//! same condition, by construction. Entries come most useful first; the footer drops from the
//! end when the terminal is narrow, but never drops a `keep` entry.

mod screens;

pub use screens::fix_step;
use screens::{connect, review, start, status, step};

use crate::wizard::model::{Dialog, Model};
use crate::wizard::msg::Key;
use crate::wizard::screen::{ConnectFocus, Screen};

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
    /// Opens the selected recipe's guide (its https `source`) in the browser.
    OpenGuide,
    /// Asks before a saved setup is forgotten.
    DeleteSaved,
    ConfirmDelete,
    UseOrg,
    Back,
    ConfirmStep,
    /// Move between fields (the key says which way).
    MoveFocus,
    /// The focused choice takes its next or previous option (the key says which).
    CycleChoice,
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
    /// From a step opened with `f`: back to the results, nothing changed.
    ToResults,
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

pub(super) const fn entry(
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

pub(super) const fn kept(mut help: KeyHelp) -> KeyHelp {
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

fn quit(typing: bool, start: bool) -> KeyHelp {
    if start {
        // The start screen has nothing to lose: esc quits too, named once in the footer.
        return kept(entry(
            &[Key::Char('q'), Key::Ctrl('q'), Key::Esc],
            Action::Quit,
            "q",
            "quit",
            "quit (esc too)",
        ));
    }
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

pub(super) const fn scroll_entry(long: &'static str) -> KeyHelp {
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
        Some(Dialog::ConfirmDelete(_)) => vec![
            entry(
                &[Key::Char('y'), Key::Char('Y')],
                Action::ConfirmDelete,
                "y",
                "delete",
                "forget the saved setup (nothing in the org changes)",
            ),
            entry(&[], Action::CloseDialog, "any other key", "keep", "keep it"),
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
                "finish",
                "finish and leave the wizard (esc too)",
            ));
            keys
        }
    };
    keys.push(help(typing));
    keys.push(quit(typing, matches!(model.screen, Screen::Start)));
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
