//! A diagnosis as `connect` and `explain` print it: tied to a recipe's step, with the Setup
//! label of the setting and the value the recipe gives it.

use std::io::{self, Write};

use serde::Serialize;

use crate::recipe::{Recipe, SettingValue};
use crate::salesforce::diagnosis::{Diagnosis, Target};

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
    /// The value the recipe gives that setting.
    pub value: Option<String>,
    pub message: String,
}

impl DiagnosisView {
    pub fn new(diagnosis: &Diagnosis, recipe: &Recipe) -> DiagnosisView {
        let step = diagnosis
            .target
            .as_ref()
            .and_then(|t| recipe.step_for_target(t));
        let value = match &diagnosis.target {
            Some(Target::Setting(key)) => recipe.setting_value(*key).map(|v| match v {
                SettingValue::Checked(true) => "checked".to_string(),
                SettingValue::Checked(false) => "unchecked".to_string(),
                SettingValue::Text(text) => text.clone(),
                SettingValue::List(items) => items.join(", "),
            }),
            _ => None,
        };
        DiagnosisView {
            kind: diagnosis.kind.id(),
            error: diagnosis.error.clone(),
            step: step.map(|s| s.id.clone()),
            step_title: step.map(|s| s.title.clone()),
            setting: diagnosis.setting_label(),
            value,
            message: diagnosis.message.clone(),
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
            message,
        }
    }

    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{} ({})", self.message, self.kind)?;
        if let (Some(id), Some(title)) = (&self.step, &self.step_title) {
            writeln!(out, "  step:    {title} [{id}]")?;
        }
        if let Some(setting) = self.setting {
            match &self.value {
                Some(value) => writeln!(out, "  setting: {setting} -> {value}")?,
                None => writeln!(out, "  setting: {setting}")?,
            }
        }
        writeln!(out, "  error:   {}", self.error)
    }
}
