//! `eca-wizard explain "<pasted text>"`: what a Salesforce error means and what to change.

use std::io::{self, Write};

use crate::commands::diagnosis_view::DiagnosisView;
use crate::oauth::client::parse_error;
use crate::oauth::{Failure, Returned, callback};
use crate::recipe;
use crate::salesforce::diagnosis::{self, Diagnosis, Kind, Phase, Window};
use crate::secret::Secret;

pub fn run(text: &str, recipe_id: &str, json: bool) -> anyhow::Result<()> {
    let recipe = recipe::builtin_by_id(recipe_id)?;
    let diagnosis = explain(text);
    let view = DiagnosisView::new(&diagnosis, recipe);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if json {
        serde_json::to_writer(&mut out, &view)?;
        writeln!(out)?;
    } else {
        view.write_text(&mut out)?;
    }
    Ok(())
}

/// Reads a redirect URL, a form-encoded or JSON error body, or error-page text.
pub fn explain(text: &str) -> Diagnosis {
    let text = text.trim();
    // A redirect URL carries the error in its query (or fragment, for the user-agent flow).
    let body = match text
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once(['?', '#']))
    {
        Some((_, query)) => query,
        None => text,
    };
    let (error, description) = match parse_error(400, body) {
        Failure::OAuth {
            error, description, ..
        } => (error, description),
        _ => match callback::from_paste(text, &Secret::new("")) {
            Ok(Returned::Error { error, description }) => (error, description),
            _ => {
                return Diagnosis {
                    kind: Kind::Unknown,
                    error: "unrecognised".into(),
                    target: None,
                    message: "No Salesforce error found in that text. Paste the address the browser ended on, or the error as Salesforce showed it.".into(),
                };
            }
        },
    };
    diagnosis::diagnose(Phase::Unknown, &error, &description, Window::Unknown)
}
