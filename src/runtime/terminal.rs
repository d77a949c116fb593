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

impl TerminalGuard {
    /// Restores the terminal; one that is gone (its window closed) is forgotten, not dropped:
    /// ratatui's drop prints the failure, printing to a closed terminal panics, and ratatui's
    /// panic hook prints again and aborts the process, skipping every cleanup after it (the
    /// demo's folder).
    pub fn leave(mut self) {
        if self.restore().is_err() {
            std::mem::forget(self);
        }
    }

    fn restore(&mut self) -> std::io::Result<()> {
        let _ = execute!(std::io::stdout(), DisableBracketedPaste);
        // try_restore: restore prints its failure, which panics on a closed terminal.
        ratatui::try_restore()?;
        self.terminal.show_cursor()?;
        std::io::stdout().flush()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = self.restore();
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
