//! Reading a secret from a terminal without echoing it. Raw mode is always left again, even
//! when reading fails.

use std::io::Write;

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::terminal;

struct RawMode;

impl RawMode {
    fn enter() -> std::io::Result<RawMode> {
        terminal::enable_raw_mode()?;
        Ok(RawMode)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = terminal::disable_raw_mode();
    }
}

/// A yes/no question on the terminal; no terminal (a script) is a no.
pub fn confirm(question: &str) -> anyhow::Result<bool> {
    use std::io::{BufRead, IsTerminal};
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    eprint!("{question} [y/N] ");
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

/// Prompts on stderr and reads a line, showing one `*` per character typed.
pub fn read_masked(prompt: &str) -> anyhow::Result<String> {
    let mut err = std::io::stderr();
    write!(err, "{prompt}")?;
    err.flush()?;
    let mut value = String::new();
    {
        let _raw = RawMode::enter()?;
        loop {
            match event::read()? {
                Event::Key(key) if key.kind != KeyEventKind::Release => match key.code {
                    KeyCode::Enter => break,
                    KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                        anyhow::bail!("cancelled");
                    }
                    KeyCode::Backspace if value.pop().is_some() => {
                        write!(err, "\u{8} \u{8}")?;
                    }
                    KeyCode::Char(c) => {
                        value.push(c);
                        write!(err, "*")?;
                    }
                    _ => {}
                },
                Event::Paste(text) => {
                    let text = text.trim_end_matches(['\r', '\n']);
                    value.push_str(text);
                    write!(err, "{}", "*".repeat(text.chars().count()))?;
                }
                _ => {}
            }
            err.flush()?;
        }
    }
    writeln!(err)?;
    Ok(value)
}
