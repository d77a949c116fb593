//! `explain` against real errors as users pasted them (tests/data/field_errors*.toml: each case
//! with its source, the right kind and the words of the real fix). `explain` gets the
//! pasted text and, where the case names one, the flow (what `--recipe` tells it). A case is right
//! when the first cause has the right kind and every fix word, or, for an error with several
//! real causes, when one of the causes listed does. Prints the figures README reports:
//! `cargo test --test it field_corpus -- --nocapture`.

use eca_wizard::commands::explain::{Given, explain_with};
use eca_wizard::salesforce::Flow;
use eca_wizard::salesforce::diagnosis::{Cause, Kind, label_of};
use serde::Deserialize;

#[derive(Deserialize)]
struct Corpus {
    case: Vec<Case>,
}

#[derive(Deserialize)]
pub(crate) struct Case {
    pub(crate) id: String,
    text: String,
    source: String,
    flow: String,
    kind: String,
    fix: Vec<String>,
    cause: String,
    #[serde(default)]
    tags: Vec<String>,
}

impl Case {
    /// Whether the paste holds an error (the cases every figure counts).
    pub(crate) fn has_error(&self) -> bool {
        self.kind != "unknown" && !self.tags.iter().any(|t| t == "no-error")
    }
}

/// One file of the corpus and the floors its figures must stay above (the level reached, less a
/// little, so a regression fails).
pub(crate) struct Part {
    name: &'static str,
    /// Its name in README's table.
    pub(crate) row: &'static str,
    pub(crate) file: &'static str,
    /// Held out: rules are never written from it, and its cases are never printed one by one.
    pub(crate) held_out: bool,
    /// Floors, in percent: error found, right first, among the causes.
    floors: [usize; 3],
}

pub(crate) const PARTS: &[Part] = &[
    Part {
        name: "own (80 cases the rules grew from)",
        row: "own",
        file: "field_errors.toml",
        held_out: false,
        floors: [96, 63, 95],
    },
    Part {
        name: "train (new sources; rules may be written from it)",
        row: "train",
        file: "field_errors_train.toml",
        held_out: false,
        floors: [94, 54, 83],
    },
    Part {
        name: "held-out (new sources; never read while writing rules)",
        row: "held-out",
        file: "field_errors_heldout.toml",
        held_out: true,
        floors: [72, 27, 38],
    },
];

pub(crate) fn corpus(file: &str) -> Vec<Case> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let corpus: Corpus = toml::from_str(&text).unwrap();
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
pub(crate) enum Verdict {
    First,
    /// Right among the causes, not first.
    Listed(String),
    /// Something found, wrong.
    Wrong(String),
    /// No error recognised in a paste that holds one.
    NotFound(String),
}

pub(crate) fn verdict(case: &Case) -> Verdict {
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
    let why = || {
        format!(
            "{} ({}, {}): expected {} with {:?}, got {}: {}",
            case.id,
            case.flow,
            case.source,
            case.kind,
            case.fix,
            d.kind.id(),
            d.message
        )
    };
    if fits(case, &causes[0]) {
        Verdict::First
    } else if causes.iter().any(|c| fits(case, c)) {
        Verdict::Listed(why())
    } else if d.kind == Kind::Unknown {
        Verdict::NotFound(why())
    } else {
        Verdict::Wrong(why())
    }
}

#[test]
fn the_corpus_is_real_data() {
    for part in PARTS {
        let cases = corpus(part.file);
        assert!(cases.len() >= 50, "{}: {} cases", part.file, cases.len());
        let mut ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), cases.len(), "{}: ids are unique", part.file);
        for (n, case) in cases.iter().enumerate() {
            // Held-out cases are named by their position only.
            let name = if part.held_out {
                format!("case {n}")
            } else {
                case.id.clone()
            };
            assert!(
                case.source.starts_with("https://") || case.source.starts_with("http://"),
                "{}: {name}: a source address",
                part.file
            );
            assert!(
                !case.fix.is_empty() && !case.cause.is_empty(),
                "{}: {name}",
                part.file
            );
            assert!(!case.text.trim().is_empty(), "{}: {name}", part.file);
        }
    }
}

/// Each part's figures: an error found (among pastes that hold one), the first cause right (kind
/// and every fix word), and the right cause among those listed. Misses are printed for the parts
/// rules may be written from, never for the held-out one.
#[test]
fn explain_finds_and_answers_field_errors() {
    let mut below = Vec::new();
    let mut rows = Vec::new();
    for part in PARTS {
        let cases = corpus(part.file);
        let with_error: Vec<&Case> = cases.iter().filter(|c| c.has_error()).collect();
        let verdicts: Vec<Verdict> = with_error.iter().map(|c| verdict(c)).collect();
        let total = verdicts.len();
        let count = |f: fn(&Verdict) -> bool| verdicts.iter().filter(|v| f(v)).count();
        let found = count(|v| !matches!(v, Verdict::NotFound(_)));
        let first = count(|v| *v == Verdict::First);
        let among = count(|v| matches!(v, Verdict::First | Verdict::Listed(_)));
        let percent = |n: usize| n * 100 / total.max(1);
        println!(
            "field corpus, {}: {} cases; error found in {found} of {total} ({}%), right first in {first} ({}%), right among the causes in {among} ({}%)",
            part.name,
            cases.len(),
            percent(found),
            percent(first),
            percent(among)
        );
        if !part.held_out {
            for v in &verdicts {
                match v {
                    Verdict::Wrong(why) => println!("  wrong: {why}"),
                    Verdict::NotFound(why) => println!("  not found: {why}"),
                    Verdict::Listed(why) => println!("  not first: {why}"),
                    _ => {}
                }
            }
        }
        let figures = [percent(found), percent(first), percent(among)];
        rows.push(format!(
            "| {} | {} | {}% | {}% | {}% |",
            part.row,
            cases.len(),
            figures[0],
            figures[1],
            figures[2]
        ));
        for ((figure, floor), what) in
            figures
                .iter()
                .zip(part.floors)
                .zip(["found", "right first", "among the causes"])
        {
            if *figure < floor {
                below.push(format!("{}: {what} {figure}% < {floor}%", part.name));
            }
        }
    }
    assert!(below.is_empty(), "below the floors: {below:?}");
    // README's figures are this test's, never typed: a change in them fails until README has them.
    let table = rows.join("\n");
    let readme = include_str!("../../README.md");
    assert!(
        readme.contains(&table),
        "README.md's field-corpus table must be (copy these rows):\n{table}"
    );
}
