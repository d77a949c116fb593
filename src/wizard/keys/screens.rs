//! Each screen's entries of the key table: what its keys do and when they apply.

use crate::salesforce::Flow;
use crate::wizard::keys::{Action, KeyHelp, STEP_SCROLL_KEYS, entry, scroll_entry};
use crate::wizard::model::{Model, StepMark};
use crate::wizard::msg::Key;
use crate::wizard::screen::{ConnectFocus, Screen};

pub(super) fn start(model: &Model) -> Vec<KeyHelp> {
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
    if model.selected_guide().is_some() {
        keys.push(entry(
            &[Key::Char('g')],
            Action::OpenGuide,
            "g",
            "guide",
            "open the vendor's guide this recipe mirrors in the browser",
        ));
    }
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
            "forget this saved setup (asks first)",
        ));
    }
    keys
}

pub(super) fn step(model: &Model) -> Vec<KeyHelp> {
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
    if screen.form.focused().is_some_and(|i| i.choice.is_some()) {
        keys.push(super::kept(entry(
            &[Key::Left, Key::Right, Key::Char(' ')],
            Action::CycleChoice,
            "←→",
            "change answer",
            "change the answer to the question (space too); the steps follow it",
        )));
    }
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
    let step = model.recipe().and_then(|r| r.steps.get(screen.index));
    let installs = step.is_some_and(|s| s.kind == crate::recipe::StepKind::InstallPackage);
    let open_setup = if installs {
        entry(
            &[Key::Ctrl('o')],
            Action::OpenSetup,
            "ctrl-o",
            "open install page",
            "open the package's install page in the org, in the browser",
        )
    } else {
        entry(
            &[Key::Ctrl('o')],
            Action::OpenSetup,
            "ctrl-o",
            "open Setup",
            "open this step's Setup page in the browser",
        )
    };
    // Where the step has a page, opening it is what the admin does next: always shown.
    let has_page = installs || step.is_some_and(|s| s.page.is_some());
    keys.push(if has_page {
        super::kept(open_setup)
    } else {
        open_setup
    });
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
    keys.push(if screen.fix.is_some() {
        entry(
            &[Key::Esc],
            Action::ToResults,
            "esc",
            "results",
            "back to the results, nothing changed",
        )
    } else {
        entry(
            &[Key::Esc],
            Action::Back,
            "esc",
            "back",
            "previous step (the org on the first)",
        )
    });
    keys
}

pub(super) fn review(model: &Model) -> Vec<KeyHelp> {
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

pub(super) fn connect(model: &Model, focus: ConnectFocus) -> Vec<KeyHelp> {
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

pub(super) fn status(model: &Model) -> Vec<KeyHelp> {
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
