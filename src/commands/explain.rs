//! `eca-wizard explain "<pasted text>"`: what a Salesforce error means and what to change.

use std::io::{self, Read};

use crate::commands::diagnosis_view::DiagnosisView;
use crate::salesforce::Flow;
use crate::salesforce::diagnosis::{
    self, Cause, Clues, Context, Diagnosis, Kind, Phase, Target, Window,
};
use crate::salesforce::extract::{self, MAX_PASTE};
use crate::salesforce::{catalogue, loose, status_line, transport_family};
use crate::terminal_safe::terminal_safe;

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
    // Without --recipe the paste stands alone: no recipe's step or value is offered as its fix.
    let recipe = recipe_id
        .map(crate::commands::failure::recipe_by_id)
        .transpose()?;
    let text = match text {
        Some(text) if text != "-" => text.to_string(),
        _ => read_stdin()?,
    };
    let given = Given {
        flow: recipe.map(|r| r.flow),
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

/// The catalogue's code for a permission a tool's message names as missing.
const MISSING_PERMISSION: &str = "missing_permission";

/// The catalogue's code for a loopback callback that got a code and answered nothing.
const CALLBACK_UNANSWERED: &str = "callback_listener_gone";

/// The catalogue's code for an event channel named without its leading slash.
const SLASHLESS_CHANNEL: &str = "event_channel_name";

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
/// causes of the others after its own. A Salesforce code or sentence tells most; then a
/// transport failure, then a bare HTTP status, then a client's generic words ("Login failed").
pub fn explain_with(text: &str, given: Given) -> Diagnosis {
    // Every reader below sees the same first 1 MiB, without terminal colour sequences.
    let cleaned = extract::without_escapes(extract::cap(text));
    let text = cleaned.as_ref();
    let signals = extract::signals(text, &diagnosis::known());
    let hints = extract::hints(text);
    let context = context_of(text, &hints, given);
    let (weak, strong): (Vec<_>, Vec<_>) =
        signals.iter().partition(|s| catalogue::is_weak(&s.error));
    let mut read: Vec<(bool, Diagnosis)> = strong
        .iter()
        .map(|s| {
            let family = diagnosis::through_family(&context, &s.error, &s.description);
            (
                family,
                diagnosis::diagnose_in(&context, &s.error, &s.description),
            )
        })
        .collect();
    // Known errors first, in the order they appear: an error a rule or written row covers before
    // a listed code read through its family (a guess of ours, where the written one ranks its
    // causes by the paste); errors the table doesn't know last.
    read.sort_by_key(|(family, d)| (d.kind == Kind::Unknown, *family));
    let mut diagnoses: Vec<Diagnosis> = read.into_iter().map(|(_, d)| d).collect();
    let below = [transport(text, &context), http_status(text, &context)];
    let known_first = diagnoses.first().is_some_and(|d| d.kind != Kind::Unknown);
    let mut rest: Vec<Diagnosis> = below.into_iter().flatten().collect();
    // What a tool's message names (a permission the user lacks, a channel written without its
    // slash) is the fix itself: more telling than a generic status around it.
    let named = [
        loose::named_permission(text).map(|name| (MISSING_PERMISSION, name)),
        loose::slashless_channel(text).map(|name| (SLASHLESS_CHANNEL, name)),
        loose::callback_unanswered(text).then(|| (CALLBACK_UNANSWERED, String::new())),
    ];
    rest.extend(
        named
            .into_iter()
            .flatten()
            .map(|(code, name)| diagnosis::diagnose_in(&context, code, &terminal_safe(&name))),
    );
    rest.extend(
        weak.iter()
            .map(|s| diagnosis::diagnose_in(&context, &s.error, &s.description)),
    );
    // A tool's own words for a Salesforce error, read last: a paraphrase of a particular error
    // ("IP address not allowed") before the generic phrases above, the vaguest words ("login
    // failed", "unauthorized") after them.
    let (vague, particular): (Vec<_>, Vec<_>) = loose::signals(text)
        .into_iter()
        .partition(|(code, _)| catalogue::is_weak(code) || code.starts_with("http_"));
    let particular: Vec<Diagnosis> = particular
        .into_iter()
        .map(|(code, description)| diagnosis::diagnose_in(&context, code, description))
        .collect();
    let at = rest.len() - weak.len();
    rest.splice(at..at, particular);
    rest.extend(
        vague
            .into_iter()
            .map(|(code, description)| diagnosis::diagnose_in(&context, code, description)),
    );
    if known_first {
        diagnoses.extend(rest);
    } else {
        rest.extend(diagnoses);
        diagnoses = rest;
    }
    if diagnoses.is_empty() {
        return Diagnosis::new(
            Kind::Unknown,
            NOTHING_FOUND,
            None,
            "No Salesforce error found in that text. Paste the error as it was shown: the JSON body (with \"error\" or \"errorCode\"), the address the browser ended on (with ?error=), or the text of Salesforce's error page.",
        );
    }
    let mut first = diagnoses.remove(0);
    for other in diagnoses {
        for cause in other.causes() {
            if !first.causes().iter().any(|c| c.message == cause.message) {
                first.others.push(cause);
            }
        }
    }
    // A named tool, or else a client's stack trace: the program itself may be at fault.
    let tool = context
        .seen
        .tool
        .or_else(|| hints.client_trace.then_some("The client program"));
    if let Some(tool) = tool
        && first.kind != Kind::Unknown
        && !first.causes().iter().any(|c| c.message.starts_with(tool))
    {
        first.others.push(Cause {
            kind: Kind::ClientBug,
            target: Some(Target::Client),
            value: None,
            message: format!(
                "{tool}: some versions of the tool end in this error through a defect of their own: check its release notes and upgrade to its current version."
            ),
        });
    }
    first
}

/// A connection failure the paste describes, naming the host when the paste does.
fn transport(text: &str, context: &Context) -> Option<Diagnosis> {
    let found = transport_family::classify(text)?;
    let mut d = diagnosis::diagnose_in(context, found.family.code(), "");
    if let Some(host) = found.host {
        d.message = format!("{} (host: {})", d.message, terminal_safe(&host));
    }
    Some(d)
}

/// An HTTP error status without a Salesforce body.
fn http_status(text: &str, context: &Context) -> Option<Diagnosis> {
    let status = status_line::status(text)?;
    let code = match status.code {
        500..=599 => "http_5xx".to_string(),
        407 => "proxy_auth_required".to_string(),
        code => format!("http_{code}"),
    };
    catalogue::find(&code)?;
    Some(diagnosis::diagnose_in(
        context,
        &code,
        &terminal_safe(&status.reason),
    ))
}

fn context_of(text: &str, hints: &extract::Hints, given: Given) -> Context {
    let window = match (given.saved_minutes_ago, hints.new_app) {
        (Some(minutes), _) if minutes < 15 => Window::Inside,
        (Some(_), _) => Window::After,
        (None, Some(true)) => Window::Inside,
        (None, Some(false)) => Window::After,
        (None, None) => Window::Unknown,
    };
    let mut context = Context::new(Phase::Unknown, window);
    context.flow = given.flow.or(hints.flow);
    context.seen = *hints;
    context.clues = Clues::of(&text.to_ascii_lowercase());
    context
}
