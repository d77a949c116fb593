//! How far any diagnosis that reads only the paste can get on the field corpus, and how far
//! `explain` gets within that. tests/data/field_errors_ceiling.toml labels each own and train
//! case, blind to the tool's answers: `paste` (the paste decides the real fix: an expert names
//! it first), `among` (the paste narrows it to a few documented causes, this one among them) or
//! `thread` (only the discussion around the paste reveals it). The held-out part has its own file
//! (field_errors_ceiling_heldout.toml, ids and levels only), labelled blind by a session that
//! writes no rules; like the held-out cases it is never read while writing rules, and only its
//! totals are printed. Prints the figures README reports:
//! `cargo test --test it field_ceiling -- --nocapture`.

use std::collections::HashMap;

use serde::Deserialize;

use crate::field_corpus::{PARTS, Part, Verdict, corpus, verdict};

#[derive(Deserialize)]
struct Labels {
    case: Vec<Label>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Label {
    id: String,
    part: String,
    level: Level,
    why: String,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[serde(rename_all = "lowercase")]
enum Level {
    Paste,
    Among,
    Thread,
}

fn labels() -> Vec<Label> {
    let text = include_str!("../data/field_errors_ceiling.toml");
    let labels: Labels = toml::from_str(text).unwrap();
    labels.case
}

/// The held-out part's labels: ids and levels only, so the file describes no case.
#[derive(Deserialize)]
struct HeldOutLabels {
    case: Vec<HeldOutLabel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeldOutLabel {
    id: String,
    level: Level,
}

/// Each case's level in `part`.
fn levels(part: &Part) -> HashMap<String, Level> {
    if part.held_out {
        let text = include_str!("../data/field_errors_ceiling_heldout.toml");
        let labels: HeldOutLabels = toml::from_str(text).unwrap();
        labels.case.into_iter().map(|l| (l.id, l.level)).collect()
    } else {
        labels()
            .into_iter()
            .filter(|l| l.part == part.row)
            .map(|l| (l.id, l.level))
            .collect()
    }
}

/// The parts rules may be written from, whose labels say why.
fn labelled_parts() -> impl Iterator<Item = &'static Part> {
    PARTS.iter().filter(|p| !p.held_out)
}

#[test]
fn every_case_with_an_error_has_one_label() {
    let labels = labels();
    for part in labelled_parts() {
        let cases = corpus(part.file);
        let mine: Vec<&Label> = labels.iter().filter(|l| l.part == part.row).collect();
        for case in cases.iter().filter(|c| c.has_error()) {
            let n = mine.iter().filter(|l| l.id == case.id).count();
            assert_eq!(n, 1, "{}: {} has {n} ceiling labels", part.file, case.id);
        }
        for label in &mine {
            assert!(
                cases.iter().any(|c| c.id == label.id && c.has_error()),
                "{}: a label for {}, which is no case with an error there",
                part.file,
                label.id
            );
            assert!(!label.why.trim().is_empty(), "{}: why", label.id);
        }
    }
    assert!(
        labels
            .iter()
            .all(|l| labelled_parts().any(|p| p.row == l.part)),
        "labels name only own and train"
    );
}

/// Every held-out case with an error has one label, and no label names anything else; a case is
/// named by its position only.
#[test]
fn every_held_out_case_with_an_error_has_one_label() {
    for part in PARTS.iter().filter(|p| p.held_out) {
        let text = include_str!("../data/field_errors_ceiling_heldout.toml");
        let labels: HeldOutLabels = toml::from_str(text).unwrap();
        let cases = corpus(part.file);
        let with_error: Vec<_> = cases.iter().filter(|c| c.has_error()).collect();
        for (n, case) in with_error.iter().enumerate() {
            let count = labels.case.iter().filter(|l| l.id == case.id).count();
            assert_eq!(count, 1, "held-out case {n} has {count} ceiling labels");
        }
        assert_eq!(
            labels.case.len(),
            with_error.len(),
            "a held-out label names no case with an error"
        );
    }
}

/// Per part: the ceiling (how many cases the paste decides, decides or lists, leaves to the
/// thread) and `explain`'s right answers within each level. A right first answer where only the
/// thread shows the fix is a rule fitted to its case, not to what the paste says.
#[test]
fn field_ceiling_figures() {
    let mut rows = Vec::new();
    for part in PARTS {
        let level = levels(part);
        let cases = corpus(part.file);
        let judged: Vec<(Level, Verdict)> = cases
            .iter()
            .filter(|c| c.has_error())
            .enumerate()
            .map(|(n, c)| {
                // A held-out case is named by its position only.
                let name = if part.held_out {
                    format!("case {n}")
                } else {
                    c.id.clone()
                };
                let l = level.get(&c.id).copied();
                (
                    l.unwrap_or_else(|| panic!("{}: {name}: no ceiling label", part.file)),
                    verdict(c),
                )
            })
            .collect();
        let count = |f: &dyn Fn(&(Level, Verdict)) -> bool| judged.iter().filter(|j| f(j)).count();
        let total = judged.len();
        let paste = count(&|(l, _)| *l == Level::Paste);
        let listed = count(&|(l, _)| *l != Level::Thread);
        let thread = total - listed;
        let first_where_decided = count(&|(l, v)| *l == Level::Paste && *v == Verdict::First);
        let among_where_listed = count(&|(l, v)| {
            *l != Level::Thread && matches!(v, Verdict::First | Verdict::Listed(_))
        });
        let first_where_thread = count(&|(l, v)| *l == Level::Thread && *v == Verdict::First);
        let percent = |n: usize, of: usize| n * 100 / of.max(1);
        rows.push(format!(
            "| {} | {total} | {}% | {}% | {}% | {first_where_decided} of {paste} | {among_where_listed} of {listed} | {first_where_thread} of {thread} |",
            part.row,
            percent(paste, total),
            percent(listed, total),
            percent(thread, total),
        ));
    }
    let table = rows.join("\n");
    println!("{table}");
    let readme = include_str!("../../README.md");
    assert!(
        readme.contains(&table),
        "README.md's ceiling table must be (copy these rows):\n{table}"
    );
}
