//! `explain` against real errors as users pasted them (tests/data/field_errors.toml: each case
//! with its source thread, the right kind and the words of the real fix). Only the pasted text is
//! given, as an admin running `eca-wizard explain` gives it. Prints the figure README reports:
//! `cargo test --test field_corpus -- --nocapture`.

use eca_wizard::commands::explain::explain;
use eca_wizard::salesforce::diagnosis::{Diagnosis, label_of};
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
    let text = include_str!("data/field_errors.toml");
    let corpus: Corpus = toml::from_str(text).unwrap();
    corpus.case
}

/// The first cause's words: what the admin reads first.
fn words_of(d: &Diagnosis) -> String {
    let mut words = d.message.clone();
    for part in [label_of(d.target.as_ref()), d.value.as_deref()].into_iter().flatten() {
        words.push(' ');
        words.push_str(part);
    }
    words.to_lowercase()
}

fn verdict(case: &Case) -> Result<(), String> {
    let d = explain(&case.text);
    let words = words_of(&d);
    let missing: Vec<&String> = case.fix.iter().filter(|w| !words.contains(&w.to_lowercase())).collect();
    if d.kind.id() != case.kind || !missing.is_empty() {
        return Err(format!(
            "{} ({}, {}): expected {} with {:?}, got {} missing {:?}: {}",
            case.id, case.flow, case.source, case.kind, case.fix, d.kind.id(), missing, d.message
        ));
    }
    Ok(())
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
        assert!(case.source.starts_with("https://"), "{}: a source address", case.id);
        assert!(!case.fix.is_empty() && !case.cause.is_empty(), "{}", case.id);
        assert!(!case.text.trim().is_empty(), "{}", case.id);
    }
}

#[test]
fn explain_gets_nine_in_ten_field_errors_right() {
    let cases = corpus();
    let failures: Vec<String> = cases.iter().filter_map(|c| verdict(c).err()).collect();
    let right = cases.len() - failures.len();
    let percent = right * 100 / cases.len();
    println!("field corpus: {right} of {} right ({percent}%)", cases.len());
    for failure in &failures {
        println!("  wrong: {failure}");
    }
    assert!(right * 10 >= cases.len() * 9, "{percent}% right:\n{}", failures.join("\n"));
}
