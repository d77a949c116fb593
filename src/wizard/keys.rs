//! The keys each screen answers to, as data: the footer and the help overlay are drawn from this
//! table, and a test presses every key on every screen to check that whatever a screen handles
//! is listed here (the handlers sit beside it in `update/`). Entries come most useful first; the
//! footer drops from the end when the terminal is narrow, but never drops a `keep` entry.

use crate::salesforce::Flow;
use crate::wizard::model::{Dialog, Model, Screen, StepMark};
use crate::wizard::msg::Key;
use crate::wizard::update::is_typing;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHelp {
    /// Every key this entry stands for.
    pub keys: &'static [Key],
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
    label: &'static str,
    short: &'static str,
    long: &'static str,
) -> KeyHelp {
    KeyHelp {
        keys,
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
        kept(entry(&[Key::F(1)], "F1", "help", "the keys of this screen"))
    } else {
        kept(entry(
            &[Key::Char('?'), Key::F(1)],
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
            "ctrl-q",
            "quit",
            "quit (asks first; what you typed is kept)",
        ))
    } else {
        kept(entry(
            &[Key::Char('q'), Key::Ctrl('q')],
            "q",
            "quit",
            "quit (asks first when there is progress)",
        ))
    }
}

/// What the footer offers now: a dialog's own keys while one is open, else the screen's.
pub fn for_footer(model: &Model) -> Vec<KeyHelp> {
    match model.dialog {
        Some(Dialog::MetadataFolder) => vec![
            entry(
                &[Key::Enter],
                "enter",
                "write",
                "write the project into the folder",
            ),
            entry(&[Key::Esc], "esc", "cancel", "write nothing"),
        ],
        Some(Dialog::ConfirmQuit) => vec![
            entry(
                &[Key::Char('y'), Key::Enter],
                "y",
                "quit",
                "quit (progress is saved)",
            ),
            entry(&[], "any other key", "stay", "stay"),
        ],
        Some(Dialog::Help) => vec![entry(&[], "any key", "close", "close the help")],
        Some(Dialog::ApplyConsent) => vec![
            entry(
                &[Key::Char('y'), Key::Char('Y')],
                "y",
                "allow",
                "apply may turn on reading secrets over REST for a moment",
            ),
            entry(
                &[Key::Char('n'), Key::Char('N')],
                "n",
                "don't",
                "leave the setting; copy the secret from Setup",
            ),
            entry(&[], "any other key", "not now", "close; nothing runs"),
        ],
        None => for_screen(model),
    }
}

/// The keys that work on the model's screen (what its help lists), most useful first, help and
/// quit last.
pub fn for_screen(model: &Model) -> Vec<KeyHelp> {
    let typing = is_typing(model);
    let mut keys = match model.screen {
        Screen::Start => start(model),
        Screen::Org => vec![
            entry(
                &[Key::Enter],
                "enter",
                "continue",
                "use this org and go to the first step",
            ),
            entry(
                &[Key::Esc],
                "esc",
                "back",
                "back to the list of integrations",
            ),
        ],
        Screen::Step(_) => step(model),
        Screen::Review if model.apply.as_ref().is_some_and(|a| a.running) => vec![],
        Screen::Review => vec![
            if model.setup.as_ref().is_some_and(|s| s.by_apply) {
                entry(
                    &[Key::Enter],
                    "enter",
                    "apply",
                    "make these settings with your Salesforce CLI login, then connect",
                )
            } else {
                entry(
                    &[Key::Enter],
                    "enter",
                    "connect",
                    "connect to the org and run the checks",
                )
            },
            entry(
                SCROLL_KEYS,
                "↑↓",
                "scroll",
                "scroll (pgup/pgdn, j/k, ctrl-n/p too)",
            ),
            entry(
                &[Key::Char('e')],
                "e",
                "edit",
                "back to the first step to change an answer",
            ),
            entry(
                &[Key::Char('m')],
                "m",
                "write metadata",
                "write a deployable metadata project for this app (asks where)",
            ),
            entry(&[Key::Esc], "esc", "back", "back to the last step"),
        ],
        Screen::Connect => connect(model),
        Screen::Status => status(model),
        Screen::Done => {
            let mut keys = Vec::new();
            if model.offer_file {
                keys.push(entry(
                    &[Key::Char('k')],
                    "k",
                    "keep in a file",
                    "keep the secrets in an owner-only file (no keychain here)",
                ));
            }
            keys.push(entry(
                SCROLL_KEYS,
                "↑↓",
                "scroll",
                "scroll (pgup/pgdn, j/k, ctrl-n/p too)",
            ));
            keys.push(entry(
                &[Key::Enter, Key::Esc],
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
            "↑↓",
            "choose",
            "choose an integration (j/k and tab too)",
        ),
        entry(
            &[Key::Enter],
            "enter",
            "start",
            "start it, or resume the saved setup",
        ),
    ];
    if model.cli_login.is_some() && model.progress.selected >= model.progress.saved.len() {
        keys.push(entry(
            &[Key::Char('a')],
            "a",
            "set it up for me",
            "make the settings with your Salesforce CLI login (apply), then connect",
        ));
    }
    if model.progress.selected < model.progress.saved.len() {
        keys.push(entry(
            &[Key::Char('d')],
            "d",
            "delete saved",
            "forget this saved setup",
        ));
    }
    keys.push(entry(&[Key::Esc], "esc", "quit", "quit"));
    keys
}

fn step(model: &Model) -> Vec<KeyHelp> {
    let mut keys = vec![entry(
        &[Key::Enter],
        "enter",
        "confirm step",
        "check the fields and confirm the step",
    )];
    if !model.inputs.is_empty() {
        keys.push(entry(
            &[Key::Tab, Key::BackTab, Key::Down, Key::Up],
            "tab",
            "next field",
            "next field (shift-tab, ↑↓ too)",
        ));
        keys.push(entry(
            STEP_SCROLL_KEYS,
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
            "↑↓",
            "scroll",
            "scroll the step's text (j/k, ctrl-n/p too)",
        ));
    }
    keys.push(entry(
        &[Key::PageDown, Key::PageUp],
        "pgdn/pgup",
        "steps",
        "next / previous step without confirming (what you typed is kept)",
    ));
    keys.push(entry(
        &[Key::Ctrl('o')],
        "ctrl-o",
        "open Setup",
        "open this step's Setup page in the browser",
    ));
    if !model.inputs.is_empty() {
        keys.push(entry(
            &[Key::Ctrl('y')],
            "ctrl-y",
            "copy",
            "copy the field (OSC 52; works over SSH; never a secret)",
        ));
    }
    if model.inputs.iter().any(|i| i.secret) {
        keys.push(entry(
            &[Key::Ctrl('r')],
            "ctrl-r",
            "reveal",
            "show or hide the secret",
        ));
    }
    keys.push(entry(
        &[Key::Esc],
        "esc",
        "back",
        "previous step (the org on the first)",
    ));
    keys
}

fn connect(model: &Model) -> Vec<KeyHelp> {
    if model.focus == 1 {
        return vec![
            entry(&[Key::Enter], "enter", "submit", "submit what you pasted"),
            entry(
                &[Key::Esc, Key::Tab],
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
            "c",
            "copy URL",
            "copy the login URL (OSC 52)",
        ));
        keys.push(entry(
            &[Key::Char('o')],
            "o",
            "open browser",
            "open the login URL in the browser",
        ));
        keys.push(entry(
            &[Key::Char('p'), Key::Tab],
            "p",
            "paste",
            "paste the address the browser ended on, the code, or its error",
        ));
    }
    if model.connect.waiting.is_some() {
        keys.push(entry(
            &[Key::Char('r')],
            "r",
            "retry now",
            "try again now instead of waiting",
        ));
    }
    if url && model.demo.as_ref().is_some_and(|d| d.terminal_sign_in) {
        keys.push(entry(
            &[Key::Char('s')],
            "s",
            "sign in here",
            "demo: sign in to the demo org from the terminal",
        ));
    }
    keys.push(entry(
        &[Key::Esc],
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
    let scroll = entry(
        SCROLL_KEYS,
        "↑↓",
        "scroll",
        "scroll (pgup/pgdn, j/k, ctrl-n/p too)",
    );
    if model.connect.running {
        return vec![
            scroll,
            entry(
                &[Key::Esc],
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
            "enter",
            "finish",
            "finish: keep the connection",
        ));
        keys.push(entry(
            &[Key::Char('r')],
            "r",
            "check again",
            "connect and check again",
        ));
    } else {
        if fix_step(model).is_some() {
            keys.push(entry(
                &[Key::Char('f'), Key::Enter],
                "f",
                "fix it",
                "go to the step that fixes it (enter too); confirming it reconnects",
            ));
        }
        keys.push(entry(&[Key::Char('r')], "r", "reconnect", "connect again"));
        if model.has_other_causes() {
            keys.push(entry(
                &[Key::Char('o')],
                "o",
                "other causes",
                "show or hide the other possible causes",
            ));
        }
    }
    keys.push(scroll);
    keys.push(entry(&[Key::Esc], "esc", "review", "back to the review"));
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
    is_typing(model)
}
