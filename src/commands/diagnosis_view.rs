//! A diagnosis as `connect`, `status` and `explain` print it: tied to a recipe's step, with the
//! Setup label of the setting and the value the fix gives it. The top-level fields are the most
//! likely cause; `causes` lists every cause, that one first.

use std::io::{self, Write};

use serde::Serialize;

use crate::recipe::{Recipe, SettingValue};
use crate::salesforce::diagnosis::{Cause, Diagnosis, Target, label_of};
use crate::terminal_safe::terminal_safe;

#[derive(Debug, Serialize)]
pub struct DiagnosisView {
    pub kind: &'static str,
    pub error: String,
    /// The recipe step's id.
    pub step: Option<String>,
    #[serde(skip)]
    pub step_title: Option<String>,
    /// The Setup label of the setting to change.
    pub setting: Option<&'static str>,
    /// The value the fix gives that setting.
    pub value: Option<String>,
    pub message: String,
    /// Every possible cause, most likely first.
    pub causes: Vec<CauseView>,
    /// The check that tells the causes apart, when there are several.
    pub tell_apart: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CauseView {
    pub kind: &'static str,
    pub step: Option<String>,
    #[serde(skip)]
    pub step_title: Option<String>,
    pub setting: Option<&'static str>,
    pub value: Option<String>,
    pub message: String,
}

impl CauseView {
    /// Without a recipe (a paste explained alone) no step is named and no recipe's value given.
    pub fn new(cause: &Cause, recipe: Option<&Recipe>) -> CauseView {
        let step = cause
            .target
            .as_ref()
            .and_then(|t| recipe?.step_for_target(t));
        CauseView {
            kind: cause.kind.id(),
            step: step.map(|s| s.id.clone()),
            step_title: step.map(|s| s.title.clone()),
            setting: label_of(cause.target.as_ref()),
            value: value_of(cause, recipe),
            message: cause.message.clone(),
        }
    }
}

/// The value the cause names, else the value the recipe gives the setting.
fn value_of(cause: &Cause, recipe: Option<&Recipe>) -> Option<String> {
    if let Some(value) = &cause.value {
        return Some(value.clone());
    }
    let Some(Target::Setting(key)) = &cause.target else {
        return None;
    };
    recipe?.setting_value(*key).map(SettingValue::to_string)
}

impl DiagnosisView {
    pub fn new(diagnosis: &Diagnosis, recipe: Option<&Recipe>) -> DiagnosisView {
        let causes: Vec<CauseView> = diagnosis
            .causes()
            .iter()
            .map(|c| CauseView::new(c, recipe))
            .collect();
        let first = causes[0].clone();
        DiagnosisView {
            kind: first.kind,
            error: diagnosis.error.clone(),
            step: first.step,
            step_title: first.step_title,
            setting: first.setting,
            value: first.value,
            message: first.message,
            causes,
            tell_apart: diagnosis.tell_apart.clone(),
        }
    }

    /// A problem that is not a Salesforce error (a missing or unreadable profile).
    pub fn plain(error: &str, message: String) -> DiagnosisView {
        DiagnosisView {
            kind: "misconfigured",
            error: error.into(),
            step: None,
            step_title: None,
            setting: None,
            value: None,
            message: message.clone(),
            causes: vec![CauseView {
                kind: "misconfigured",
                step: None,
                step_title: None,
                setting: None,
                value: None,
                message,
            }],
            tell_apart: None,
        }
    }

    /// The diagnosis as plain lines; every text is made safe for a terminal and kept on its
    /// label's line (it may quote Salesforce or a paste).
    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{} ({})", terminal_safe(&self.message), self.kind)?;
        write_fix(
            out,
            self.step.as_ref().zip(self.step_title.as_ref()),
            self.setting,
            self.value.as_deref(),
        )?;
        writeln!(out, "  error:   {}", terminal_safe(&self.error))?;
        if self.causes.len() > 1 {
            writeln!(out, "Other possible causes:")?;
            for cause in &self.causes[1..] {
                writeln!(out, "- {} ({})", terminal_safe(&cause.message), cause.kind)?;
                write_fix(
                    out,
                    cause.step.as_ref().zip(cause.step_title.as_ref()),
                    cause.setting,
                    cause.value.as_deref(),
                )?;
            }
            if let Some(question) = &self.tell_apart {
                writeln!(out, "To tell them apart: {}", terminal_safe(question))?;
            }
        }
        Ok(())
    }
}

fn write_fix(
    out: &mut dyn Write,
    step: Option<(&String, &String)>,
    setting: Option<&str>,
    value: Option<&str>,
) -> io::Result<()> {
    if let Some((id, title)) = step {
        let (title, id) = (terminal_safe(title), terminal_safe(id));
        writeln!(out, "  step:    {title} [{id}]")?;
    }
    if let Some(setting) = setting {
        let setting = terminal_safe(setting);
        match value {
            Some(value) => writeln!(out, "  setting: {setting} -> {}", terminal_safe(value))?,
            None => writeln!(out, "  setting: {setting}")?,
        }
    }
    Ok(())
}
