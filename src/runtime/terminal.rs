//! Entering and leaving the full-screen terminal. The guard restores the terminal however the
//! wizard ends: normal exit, an error, a panic (ratatui's hook), or SIGTERM (the loop exits and
//! the guard drops).

use std::io::Write;

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use ratatui::DefaultTerminal;

pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    pub fn enter() -> anyhow::Result<TerminalGuard> {
        // Raw mode, the alternate screen and a panic hook that undoes both.
        let terminal = ratatui::try_init()?;
        // Bracketed paste: a pasted newline arrives inside the paste, never as Enter.
        execute!(std::io::stdout(), EnableBracketedPaste)?;
        Ok(TerminalGuard { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        ratatui::restore();
        let _ = std::io::stdout().flush();
    }
}

/// Puts text on the clipboard through the terminal (OSC 52): works locally and over SSH in
/// terminals that allow it.
pub fn copy_osc52(text: &str) -> std::io::Result<()> {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout();
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}
