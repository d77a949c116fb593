//! `update(model, msg) -> cmds`: the only place the model changes. Global keys and dialogs are
//! handled here; each screen's keys live in its own module.

mod applying;
mod connecting;
mod files;
mod review;
mod setup;

use crate::wizard::model::{Dialog, Model, Screen};
use crate::wizard::msg::{Cmd, Key, Msg};

/// How long a toast stays up.
const TOAST_MS: u64 = 4000;

pub fn update(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    let before = model.screen;
    let cmds = apply(model, msg);
    if model.screen != before {
        model.scroll = 0;
    }
    // Fix mode lasts while its step is on screen.
    if model
        .fix
        .as_ref()
        .is_some_and(|f| model.screen != Screen::Step(f.step))
    {
        model.fix = None;
    }
    cmds
}

fn apply(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::Tick(now) => {
            model.now_ms = now;
            Vec::new()
        }
        Msg::Resize(width, height) => {
            model.size = (width, height);
            Vec::new()
        }
        Msg::Timer(id) => {
            if model
                .toast
                .as_ref()
                .is_some_and(|(toast_id, _)| *toast_id == id)
            {
                model.toast = None;
            }
            Vec::new()
        }
        Msg::Key(key) => key_pressed(model, key),
        Msg::Paste(text) if model.dialog == Some(Dialog::MetadataFolder) => {
            model.folder.paste(&text);
            Vec::new()
        }
        Msg::Paste(text) => {
            if model.dialog.is_none() {
                match model.screen {
                    Screen::Org | Screen::Step(_) => setup::paste(model, &text),
                    Screen::Connect => connecting::paste(model, &text),
                    _ => {}
                }
            }
            Vec::new()
        }
        Msg::Connect { run, event, at_ms } if connecting::is_current(model, run) => {
            connecting::event(model, event, at_ms)
        }
        Msg::ConnectFinished { run, summary } if connecting::is_current(model, run) => {
            connecting::finished(model, *summary)
        }
        // A cancelled or replaced run's late answers.
        Msg::Connect { .. } | Msg::ConnectFinished { .. } => Vec::new(),
        Msg::DemoAppRegistered {
            consumer_key,
            consumer_secret,
        } => setup::demo_registered(model, consumer_key, consumer_secret),
        Msg::CliLogin(login) => {
            model.cli_login = login;
            Vec::new()
        }
        Msg::ApplyLine { run, line } => applying::line(model, run, line),
        Msg::Drift { run, result } if run == model.connect.run => {
            model.drift = Some(result);
            Vec::new()
        }
        // An earlier connect's reading: the current one's is on its way.
        Msg::Drift { .. } => Vec::new(),
        Msg::Applied { run, result } => applying::finished(model, run, result),
        Msg::Kept(kept) => {
            model.kept = Some(kept);
            model.offer_file = false;
            Vec::new()
        }
        Msg::OfferKeepInFile(why) => {
            model.kept = Some(Err(why));
            model.offer_file = true;
            Vec::new()
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

fn key_pressed(model: &mut Model, key: Key) -> Vec<Cmd> {
    if key == Key::Ctrl('c') {
        return quit(model);
    }
    if let Some(dialog) = model.dialog {
        return match (dialog, key) {
            (Dialog::MetadataFolder, key) => review::folder_key(model, key),
            (Dialog::ApplyConsent, key) => applying::consent_key(model, key),
            (Dialog::ConfirmQuit, Key::Char('y' | 'Y') | Key::Enter) => quit(model),
            (Dialog::Help | Dialog::ConfirmQuit, _) => {
                model.dialog = None;
                Vec::new()
            }
        };
    }
    let typing = is_typing(model);
    match key {
        Key::F(1) => {
            model.dialog = Some(Dialog::Help);
            return Vec::new();
        }
        Key::Char('?') if !typing => {
            model.dialog = Some(Dialog::Help);
            return Vec::new();
        }
        Key::Ctrl('q') => return ask_quit(model),
        Key::Char('q') if !typing => return ask_quit(model),
        _ => {}
    }
    match model.screen {
        Screen::Start => setup::start_key(model, key),
        Screen::Org => setup::org_key(model, key),
        Screen::Step(index) => setup::step_key(model, index, key),
        Screen::Review => review::review_key(model, key),
        Screen::Connect => connecting::connect_key(model, key),
        Screen::Status => connecting::status_key(model, key),
        Screen::Done => match key {
            Key::Enter | Key::Esc => quit(model),
            Key::Char('k') if model.offer_file => {
                model.offer_file = false;
                vec![Cmd::KeepInFile]
            }
            key => {
                scroll(model, key);
                Vec::new()
            }
        },
    }
}

/// Scrolls the screen's text for a scrolling key; false for any other key. The offset stays
/// within what the text needs at the terminal's size.
pub(crate) fn scroll(model: &mut Model, key: Key) -> bool {
    let page = i32::from(model.size.1.saturating_sub(4)).max(1);
    let delta = match key {
        Key::Down | Key::Char('j') | Key::Ctrl('n') => 1,
        Key::Up | Key::Char('k') | Key::Ctrl('p') => -1,
        Key::PageDown => page,
        Key::PageUp => -page,
        _ => return false,
    };
    let max = i32::from(crate::ui::max_scroll(model));
    let next = (i32::from(model.scroll) + delta).clamp(0, max);
    model.scroll = u16::try_from(next).unwrap_or(0);
    true
}

/// Whether keys go into a text input on this screen.
pub fn is_typing(model: &Model) -> bool {
    match model.screen {
        Screen::Org => true,
        Screen::Step(_) => !model.inputs.is_empty(),
        Screen::Connect => model.focus == 1,
        _ => false,
    }
}

/// `q` quits at once where nothing would be lost (the first screen, the last) and asks first
/// elsewhere.
fn ask_quit(model: &mut Model) -> Vec<Cmd> {
    if matches!(model.screen, Screen::Start | Screen::Done) {
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
    if model.apply.as_ref().is_some_and(|a| a.running) {
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
    let id = model.next_timer;
    model.next_timer += 1;
    model.toast = Some((id, message.into()));
    vec![Cmd::Timer {
        id,
        after_ms: TOAST_MS,
    }]
}
