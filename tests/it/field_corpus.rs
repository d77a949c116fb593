//! `explain` against real errors as users pasted them (tests/data/field_errors.toml: each case
//! with its source thread, the right kind and the words of the real fix). `explain` gets the
//! pasted text and, where the case names one, the flow (what `--recipe` tells it). A case is right
//! when the first cause has the right kind and every fix word, or, for an error with several
//! real causes, when one of the causes listed does. Prints the figures README reports:
//! `cargo test --test it field_corpus -- --nocapture`.

use eca_wizard::commands::explain::{Given, explain_with};
use eca_wizard::salesforce::Flow;
use eca_wizard::salesforce::diagnosis::{Cause, label_of};
use serde::Deserialize;

#[derive(Deserialize)]
struct Corpus {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    id: String,
    text: String,
    source: String,
    flow: String,
    kind: String,
    fix: Vec<String>,
    cause: String,
}

fn corpus() -> Vec<Case> {
    let text = include_str!("../data/field_errors.toml");
    let corpus: Corpus = toml::from_str(text).unwrap();
    corpus.case
}

/// What the admin reads of a cause: its message, the setting and the value.
fn words_of(cause: &Cause) -> String {
    let mut words = cause.message.clone();
    for part in [label_of(cause.target.as_ref()), cause.value.as_deref()]
        .into_iter()
        .flatten()
    {
        words.push(' ');
        words.push_str(part);
    }
    words.to_lowercase()
}

fn fits(case: &Case, cause: &Cause) -> bool {
    let words = words_of(cause);
    cause.kind.id() == case.kind && case.fix.iter().all(|w| words.contains(&w.to_lowercase()))
}

#[derive(Debug, PartialEq)]
enum Verdict {
    First,
    Listed,
    Wrong(String),
}

fn verdict(case: &Case) -> Verdict {
    let flow = match case.flow.as_str() {
        "auth-code" => Some(Flow::AuthCode),
        "client-credentials" => Some(Flow::ClientCredentials),
        "jwt-bearer" => Some(Flow::JwtBearer),
        _ => None,
    };
    let given = Given {
        flow,
        saved_minutes_ago: None,
    };
    let d = explain_with(&case.text, given);
    let causes = d.causes();
    if fits(case, &causes[0]) {
        Verdict::First
    } else if causes.iter().any(|c| fits(case, c)) {
        Verdict::Listed
    } else {
        Verdict::Wrong(format!(
            "{} ({}, {}): expected {} with {:?}, got {}: {}",
            case.id,
            case.flow,
            case.source,
            case.kind,
            case.fix,
            d.kind.id(),
            d.message
        ))
    }
}

#[test]
fn the_corpus_is_real_data() {
    let cases = corpus();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let mut ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), cases.len(), "ids are unique");
    for case in &cases {
        assert!(
            case.source.starts_with("https://"),
            "{}: a source address",
            case.id
        );
        assert!(
            !case.fix.is_empty() && !case.cause.is_empty(),
            "{}",
            case.id
        );
        assert!(!case.text.trim().is_empty(), "{}", case.id);
    }
}

#[test]
fn explain_gets_nine_in_ten_field_errors_right() {
    let cases = corpus();
    let verdicts: Vec<Verdict> = cases.iter().map(verdict).collect();
    let first = verdicts.iter().filter(|v| **v == Verdict::First).count();
    let failures: Vec<&String> = verdicts
        .iter()
        .filter_map(|v| match v {
            Verdict::Wrong(why) => Some(why),
            _ => None,
        })
        .collect();
    let right = cases.len() - failures.len();
    let percent = right * 100 / cases.len();
    println!(
        "field corpus: {right} of {} right ({percent}%); first cause right in {first} ({}%)",
        cases.len(),
        first * 100 / cases.len()
    );
    for failure in &failures {
        println!("  wrong: {failure}");
    }
    let failures: Vec<String> = failures.into_iter().cloned().collect();
    assert!(
        right * 10 >= cases.len() * 9,
        "{percent}% right:\n{}",
        failures.join("\n")
    );
}
