//! `eca-wizard explain "<pasted text>"`: what a Salesforce error means and what to change.

use std::io::{self, Read};

use crate::commands::diagnosis_view::DiagnosisView;
use crate::salesforce::Flow;
use crate::salesforce::diagnosis::{self, Context, Diagnosis, Kind, Phase, Window};
use crate::salesforce::extract::{self, MAX_PASTE};

/// What `explain` knows besides the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Given {
    /// The flow of the recipe the admin named.
    pub flow: Option<Flow>,
    /// Minutes since the app was created or last edited.
    pub saved_minutes_ago: Option<u64>,
}

pub fn run(
    text: Option<&str>,
    recipe_id: Option<&str>,
    saved_minutes_ago: Option<u64>,
    json: bool,
) -> anyhow::Result<u8> {
    let recipe = crate::commands::failure::recipe_by_id(recipe_id.unwrap_or("custom"))?;
    let text = match text {
        Some(text) if text != "-" => text.to_string(),
        _ => read_stdin()?,
    };
    let given = Given {
        flow: recipe_id.map(|_| recipe.flow),
        saved_minutes_ago,
    };
    let diagnosis = explain_with(&text, given);
    let view = DiagnosisView::new(&diagnosis, recipe);
    // Nothing found is no answer: a script must not take the advice for a diagnosis.
    let code = if diagnosis.error == NOTHING_FOUND {
        crate::commands::output::exit::FAILED
    } else {
        crate::commands::output::exit::OK
    };
    if json {
        crate::commands::output::print("explain", code, &view, &[])?;
        return Ok(code);
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    view.write_text(&mut out)?;
    Ok(code)
}

/// The diagnosis' code when the text holds no Salesforce error.
pub const NOTHING_FOUND: &str = "unrecognised";

fn read_stdin() -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(MAX_PASTE as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > MAX_PASTE {
        eprintln!("Read the first 1 MiB of the paste; the rest was ignored.");
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Reads any paste with nothing else known.
pub fn explain(text: &str) -> Diagnosis {
    explain_with(text, Given::default())
}

/// Finds every Salesforce error in the text and diagnoses them: the most telling one first, the
/// causes of the others after its own.
pub fn explain_with(text: &str, given: Given) -> Diagnosis {
    let signals = extract::signals(text, &diagnosis::known());
    if signals.is_empty() {
        return Diagnosis::new(
            Kind::Unknown,
            NOTHING_FOUND,
            None,
            "No Salesforce error found in that text. Paste the error as it was shown: the JSON body (with \"error\" or \"errorCode\"), the address the browser ended on (with ?error=), or the text of Salesforce's error page.",
        );
    }
    let context = context_of(text, given);
    let mut diagnoses: Vec<Diagnosis> = signals
        .iter()
        .map(|s| diagnosis::diagnose_in(&context, &s.error, &s.description))
        .collect();
    // Known errors first, in the order they appear; errors the table doesn't know last.
    diagnoses.sort_by_key(|d| d.kind == Kind::Unknown);
    let mut first = diagnoses.remove(0);
    for other in diagnoses {
        for cause in other.causes() {
            if !first.causes().iter().any(|c| c.message == cause.message) {
                first.others.push(cause);
            }
        }
    }
    first
}

fn context_of(text: &str, given: Given) -> Context {
    let hints = extract::hints(text);
    let window = match given.saved_minutes_ago {
        Some(minutes) if minutes < 15 => Window::Inside,
        Some(_) => Window::After,
        None => Window::Unknown,
    };
    let mut context = Context::new(Phase::Unknown, window);
    context.refresh = hints.refresh;
    context.flow = given.flow.or(hints.flow);
    context.host = hints.host;
    context.mcp = hints.mcp;
    context.password = hints.password;
    context.my_domain_audience = hints.my_domain_audience;
    context
}
