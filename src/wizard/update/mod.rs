//! `update(model, msg) -> cmds`: the only place the model changes. A key becomes an `Action`
//! through the key table (`wizard::keys`), and each screen's module carries out its actions;
//! `show` is the one place the screen changes.

mod applying;
mod choices;
mod connecting;
mod files;
mod review;
mod setup;
mod start;

use crate::wizard::keys::{self, Action};
use crate::wizard::model::{Dialog, Model};
use crate::wizard::msg::{Cmd, Key, Msg};
use crate::wizard::screen::{Screen, ScreenKind};

/// How long a toast stays up.
const TOAST_MS: u64 = 4000;

pub fn update(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::Tick(now) => {
            model.now_ms = now;
            Vec::new()
        }
        Msg::Resize(width, height) => {
            model.viewport.width = width;
            model.viewport.height = height;
            Vec::new()
        }
        Msg::Layout { page, max_scroll } => {
            model.viewport.page = page;
            model.viewport.max_scroll = max_scroll;
            Vec::new()
        }
        Msg::MetadataHome(folder) => {
            model.environment.metadata_home = folder;
            Vec::new()
        }
        Msg::Timer(id) => {
            if model.toast.timer.is(id) {
                model.toast.text = None;
            }
            Vec::new()
        }
        Msg::Key(key) => key_pressed(model, key),
        Msg::Paste(text) => {
            match (&mut model.dialog, &model.screen) {
                (Some(Dialog::MetadataFolder(folder)), _) => folder.paste(&text),
                (Some(_), _) => {}
                (None, Screen::Org(_) | Screen::Step(_)) => setup::paste(model, &text),
                (None, Screen::Connect(_)) => connecting::paste(model, &text),
                (None, _) => {}
            }
            Vec::new()
        }
        Msg::Connect { run, event, at_ms } if model.connect.is_current(run) => {
            connecting::event(model, event, at_ms)
        }
        Msg::ConnectFinished { run, summary } if model.connect.is_current(run) => {
            connecting::finished(model, *summary)
        }
        Msg::SpareCallbackPort { run, port } if model.connect.run.is(run) => {
            model.connect.spare_port = Some(port);
            Vec::new()
        }
        Msg::Drift { run, result } if model.connect.run.is(run) => {
            model.connect.drift = Some(result);
            Vec::new()
        }
        // A cancelled or replaced run's late answers.
        Msg::Connect { .. }
        | Msg::ConnectFinished { .. }
        | Msg::Drift { .. }
        | Msg::SpareCallbackPort { .. } => Vec::new(),
        Msg::DemoAppRegistered {
            consumer_key,
            consumer_secret,
        } => setup::demo_registered(model, consumer_key, consumer_secret),
        Msg::DemoSecretRevealed {
            consumer_key,
            consumer_secret,
        } => applying::demo_secret_revealed(model, &consumer_key, &consumer_secret),
        Msg::CliLogin(login) => {
            model.cli_login = login;
            Vec::new()
        }
        Msg::ApplyLine { run, line } => applying::line(model, run, line),
        Msg::Applied { run, result } => applying::finished(model, run, result),
        Msg::Kept(kept) => {
            model.connect.kept = Some(kept);
            model.connect.offer_file = false;
            Vec::new()
        }
        Msg::OfferKeepInFile(why) => {
            model.connect.kept = Some(Err(why));
            model.connect.offer_file = true;
            Vec::new()
        }
        Msg::MetadataWritten(result) => {
            let message = match result {
                Ok(dir) => format!(
                    "Wrote the metadata project to {dir}; its README says how to deploy it."
                ),
                Err(why) => format!("No metadata written: {why}"),
            };
            toast(model, message)
        }
        Msg::Failed(message) => toast(model, message),
        Msg::FileInspected {
            field,
            path,
            result,
        } => files::file_inspected(model, field, path, result),
        Msg::Terminating => quit(model),
    }
}

/// Shows `screen` in place of the one on show, whose state is dropped.
fn show(model: &mut Model, screen: Screen) {
    model.screen = screen;
}

fn key_pressed(model: &mut Model, key: Key) -> Vec<Cmd> {
    // Ctrl-C is the terminal's interrupt: it quits from anywhere, dialogs too.
    if key == Key::Ctrl('c') {
        return quit(model);
    }
    let Some(action) = keys::action_for(model, key) else {
        type_key(model, key);
        return Vec::new();
    };
    match action {
        Action::Help => {
            model.dialog = Some(Dialog::Help);
            Vec::new()
        }
        Action::Quit => ask_quit(model),
        Action::Exit | Action::ConfirmQuit => quit(model),
        Action::ConfirmDelete => start::delete_saved(model),
        Action::CloseDialog => {
            model.dialog = None;
            Vec::new()
        }
        Action::WriteMetadata => review::write_metadata(model),
        Action::AllowSecretAccess => applying::consented(model, true),
        Action::DenySecretAccess => applying::consented(model, false),
        Action::Scroll => {
            scroll(model, key);
            Vec::new()
        }
        action => match model.kind() {
            ScreenKind::Start | ScreenKind::Org | ScreenKind::Step(_) => {
                setup::act(model, action, key)
            }
            ScreenKind::Review => review::act(model, action),
            ScreenKind::Connect | ScreenKind::Status => connecting::act(model, action),
            ScreenKind::Done => match action {
                Action::KeepInFile => {
                    model.connect.offer_file = false;
                    vec![Cmd::KeepInFile]
                }
                _ => Vec::new(),
            },
        },
    }
}

/// A key no entry lists: into the text field that has the focus, if one has it.
fn type_key(model: &mut Model, key: Key) {
    if !keys::typing(model) && !matches!(model.dialog, Some(Dialog::MetadataFolder(_))) {
        return;
    }
    match (&mut model.dialog, &model.screen) {
        (Some(Dialog::MetadataFolder(folder)), _) => {
            folder.key(key);
            folder.error = None;
        }
        (Some(_), _) => {}
        (None, Screen::Connect(_)) => connecting::type_key(model, key),
        (None, _) => setup::edit_focused(model, key),
    }
}

/// Scrolls the screen's text for a scrolling key; false for any other key. The offset stays
/// within what the text needs at the terminal's size (the UI measures it after each frame).
pub(crate) fn scroll(model: &mut Model, key: Key) -> bool {
    let page = i32::from(model.viewport.page).max(1);
    let delta = match key {
        Key::Down | Key::Char('j') | Key::Ctrl('n') => 1,
        Key::Up | Key::Char('k') | Key::Ctrl('p') => -1,
        Key::PageDown => page,
        Key::PageUp => -page,
        _ => return false,
    };
    let max = i32::from(model.viewport.max_scroll);
    let Some(pane) = model.screen.pane_mut() else {
        return false;
    };
    let next = (i32::from(pane.scroll) + delta).clamp(0, max);
    pane.scroll = u16::try_from(next).unwrap_or(0);
    true
}

/// `q` quits at once where nothing would be lost (the first screen, the last) and asks first
/// elsewhere.
fn ask_quit(model: &mut Model) -> Vec<Cmd> {
    if matches!(model.kind(), ScreenKind::Start | ScreenKind::Done) {
        return quit(model);
    }
    model.dialog = Some(Dialog::ConfirmQuit);
    Vec::new()
}

fn quit(model: &mut Model) -> Vec<Cmd> {
    model.quit = true;
    // Nothing typed is lost: the setup is saved with the current step's unconfirmed fields.
    let mut cmds: Vec<Cmd> = setup::saved_with_drafts(model)
        .map(Cmd::SaveProgress)
        .into_iter()
        .collect();
    if model.connect.running {
        cmds.push(Cmd::CancelConnect);
    }
    // What "Set it up for me" started in the org ends first (the runtime waits for it): said on
    // the last frame, since the wait can take a deploy's time.
    if model.applying.running() {
        cmds.extend(toast(
            model,
            "Finishing \"Set it up for me\" before quitting: what it started in the org ends first, and the secret setting goes back as it was.",
        ));
    }
    cmds.push(Cmd::Quit);
    cmds
}

/// Shows a short message and schedules its removal.
pub(crate) fn toast(model: &mut Model, message: impl Into<String>) -> Vec<Cmd> {
    let id = model.toast.timer.start();
    model.toast.text = Some(message.into());
    vec![Cmd::Timer {
        id,
        after_ms: TOAST_MS,
    }]
}
