//! The terminal's side of the loop: keys, pastes and resizes read on their own thread, and the
//! signals that end the program.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{self, Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tokio::sync::mpsc;

use crate::wizard::{Key, Msg};

/// Terminal events on their own thread, polled so the thread can stop.
pub(super) fn read_terminal(
    tx: mpsc::UnboundedSender<Msg>,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            match event::poll(Duration::from_millis(200)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(_) => break,
            }
            let msg = match event::read() {
                Ok(TermEvent::Key(key)) => key_msg(key),
                Ok(TermEvent::Paste(text)) => Some(Msg::Paste(text)),
                Ok(TermEvent::Resize(w, h)) => Some(Msg::Resize(w, h)),
                Ok(_) => None,
                Err(_) => break,
            };
            if let Some(msg) = msg
                && tx.send(msg).is_err()
            {
                break;
            }
        }
    })
}

fn key_msg(key: KeyEvent) -> Option<Msg> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let key = match key.code {
        KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
        KeyCode::Tab => Key::Tab,
        KeyCode::BackTab => Key::BackTab,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::Backspace => Key::Backspace,
        KeyCode::Delete => Key::Delete,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::F(n) => Key::F(n),
        _ => return None,
    };
    Some(Msg::Key(key))
}

/// Every signal that ends a terminal program: SIGTERM, SIGHUP (the terminal closed), SIGINT and
/// SIGQUIT from `kill` (the keys arrive as keys in raw mode). Listening replaces their default
/// action, so the loop ends and the terminal guard restores the screen.
#[cfg(unix)]
pub(super) struct Terminating {
    term: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
    interrupt: tokio::signal::unix::Signal,
    quit: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Terminating {
    pub fn listen() -> std::io::Result<Terminating> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Terminating {
            term: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
            interrupt: signal(SignalKind::interrupt())?,
            quit: signal(SignalKind::quit())?,
        })
    }

    pub async fn recv(&mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.hangup.recv() => {}
            _ = self.interrupt.recv() => {}
            _ = self.quit.recv() => {}
        }
    }
}
