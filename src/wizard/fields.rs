//! A text input with its field's rules: tui-input for editing, the recipe's validator for
//! checking as you type, masking for secrets.

use tui_input::{Input, InputRequest};

use crate::recipe::format2::Choice;
use crate::recipe::{Field, Validator};
use crate::wizard::msg::Key;

/// The most a paste may add to a field (16 Ki characters; any real value is far shorter).
pub const MAX_PASTE: usize = 16 * 1024;

#[derive(Debug, Clone, Default)]
pub struct FieldInput {
    pub input: Input,
    pub label: String,
    pub help: String,
    pub validator: Option<Validator>,
    pub required: bool,
    pub secret: bool,
    pub error: Option<String>,
    /// The id of the recipe field, when it is one.
    pub field_id: Option<String>,
    /// A recipe's choice (format 2): its id, and the options the value cycles through.
    pub choice: Option<Box<(String, Vec<String>)>>,
}

impl FieldInput {
    pub fn for_field(field: &Field, value: &str) -> FieldInput {
        FieldInput {
            input: Input::new(display_form(field.validator, value)),
            label: field.label.clone(),
            help: field.help.clone(),
            validator: Some(field.validator),
            required: field.required,
            secret: field.secret,
            error: None,
            field_id: Some(field.id.clone()),
            choice: None,
        }
    }

    /// A recipe's question, answered by picking one of its options (not typed).
    pub fn for_choice(choice: &Choice, answer: &str) -> FieldInput {
        let options = choice.options.join(", ");
        FieldInput {
            input: Input::new(answer.to_string()),
            label: choice.question.clone(),
            help: format!("←→ to change: {options}"),
            validator: None,
            required: true,
            secret: false,
            error: None,
            field_id: None,
            choice: Some(Box::new((choice.id.clone(), choice.options.clone()))),
        }
    }

    /// The option `step` places after the one chosen (−1: before), wrapping around.
    pub fn cycled(&self, step: isize) -> Option<String> {
        let (_, options) = &**self.choice.as_ref()?;
        let count = options.len() as isize;
        let at = options.iter().position(|o| o == self.value()).unwrap_or(0) as isize;
        options
            .get((at + step).rem_euclid(count.max(1)) as usize)
            .cloned()
    }

    pub fn plain(label: &str, help: &str, validator: Option<Validator>, value: &str) -> FieldInput {
        FieldInput {
            input: Input::new(value.to_string()),
            label: label.into(),
            help: help.into(),
            validator,
            required: true,
            secret: false,
            error: None,
            field_id: None,
            choice: None,
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// Replaces the value; an error about the old value goes with it.
    pub fn set(&mut self, value: &str) {
        self.input = Input::new(value.to_string());
        self.error = None;
    }

    /// Applies an editing key; true when the value changed. A choice isn't typed into.
    pub fn key(&mut self, key: Key) -> bool {
        if self.choice.is_some() {
            return false;
        }
        let request = match key {
            Key::Char(c) => InputRequest::InsertChar(c),
            Key::Backspace => InputRequest::DeletePrevChar,
            Key::Delete => InputRequest::DeleteNextChar,
            Key::Left => InputRequest::GoToPrevChar,
            Key::Right => InputRequest::GoToNextChar,
            Key::Home | Key::Ctrl('a') => InputRequest::GoToStart,
            Key::End | Key::Ctrl('e') => InputRequest::GoToEnd,
            Key::Ctrl('w') => InputRequest::DeletePrevWord,
            Key::Ctrl('u') => InputRequest::DeleteFromStart,
            Key::Ctrl('k') => InputRequest::DeleteTillEnd,
            _ => return false,
        };
        self.input
            .handle(request)
            .is_some_and(|changed| changed.value)
    }

    /// Inserts pasted text; line breaks become spaces so a paste never submits.
    /// At most `MAX_PASTE` characters are kept, and inserted in one step (one character at a
    /// time, a 1 MB paste took minutes).
    pub fn paste(&mut self, text: &str) {
        if self.choice.is_some() {
            return;
        }
        let cleaned: String = text
            .chars()
            .map(|c| {
                if c == '\n' || c == '\r' || c == '\t' {
                    ' '
                } else {
                    c
                }
            })
            .filter(|c| !c.is_control())
            .take(MAX_PASTE + 1)
            .collect();
        let cut = cleaned.chars().count() > MAX_PASTE;
        let cleaned: String = cleaned.chars().take(MAX_PASTE).collect();
        let cursor = self.input.cursor();
        let value = self.input.value();
        let at = value
            .char_indices()
            .nth(cursor)
            .map_or(value.len(), |(i, _)| i);
        let inserted = cleaned.chars().count();
        let joined = format!("{}{cleaned}{}", &value[..at], &value[at..]);
        self.input = Input::new(joined).with_cursor(cursor + inserted);
        if cut {
            self.error = Some(format!(
                "Only the first {} KiB of the paste were kept; paste the address or the code alone",
                MAX_PASTE / 1024
            ));
        }
    }

    /// The value as the validator reads it (callback URLs: one per line).
    pub fn checked_form(&self) -> String {
        match self.validator {
            Some(Validator::CallbackUrls) => self
                .value()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join("\n"),
            _ => self.value().to_string(),
        }
    }

    /// Checks the value; an empty optional field is fine.
    pub fn validate(&mut self, app_name: &str) -> Option<(String, Vec<String>)> {
        let value = self.checked_form();
        if value.trim().is_empty() && !self.required {
            self.error = None;
            return Some((String::new(), Vec::new()));
        }
        let Some(validator) = self.validator else {
            self.error = None;
            return Some((value, Vec::new()));
        };
        match validator.check(&value, app_name) {
            Ok(accepted) => {
                self.error = None;
                Some((accepted.value, accepted.notes))
            }
            Err(message) => {
                self.error = Some(message);
                None
            }
        }
    }

    /// What the screen shows: secrets masked unless revealed.
    pub fn shown(&self, reveal: bool) -> String {
        if self.choice.is_some() {
            format!("◀ {} ▶", self.value())
        } else if self.secret && !reveal {
            "•".repeat(self.value().chars().count())
        } else {
            self.value().to_string()
        }
    }
}

/// Callback URLs are edited on one line, separated by spaces.
fn display_form(validator: Validator, value: &str) -> String {
    match validator {
        Validator::CallbackUrls => value.split_whitespace().collect::<Vec<_>>().join(" "),
        _ => value.to_string(),
    }
}
