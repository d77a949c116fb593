//! Checking a recipe file, all of it at once: the TOML is read with the position of every key
//! and value; the format's tables (`structure.rs`) judge keys, types and fixed-set values and
//! repair what they can; every loader rule (`check.rs`) then runs on that best-effort recipe.
//! Each problem comes back with its line and column, what is wrong and the fix. The loader
//! uses the same function, so `recipes check` and loading never disagree.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::recipe::check::check_recipe;
use crate::recipe::format2;
use crate::recipe::model::Recipe;
use crate::recipe::structure::{Found, check_and_repair};

/// One problem in a recipe file (lines and columns count from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Every problem of the file, in the file's order; empty when the loader accepts it.
pub fn lint(_file: &str, text: &str) -> Vec<Problem> {
    analyse(text).0
}

/// The problems, and the recipe as written (every alternative) when there are none.
pub(crate) fn analyse(text: &str) -> (Vec<Problem>, Option<Recipe>) {
    let (mut doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        // What follows a syntax error can't be judged reliably; the syntax comes first.
        let problems = errors
            .iter()
            .map(|e| {
                let offset = e.span().map_or(0, |s| s.start);
                problem(text, offset, format!("not valid TOML: {}", e.message()))
            })
            .collect();
        return (problems, None);
    }
    let mut found: Vec<Found> = crate::recipe::text::unsafe_text(doc.get_ref())
        .into_iter()
        .map(|(span, message)| Found {
            span,
            loc: String::new(),
            message,
        })
        .collect();
    let original = doc.get_ref().clone();
    check_and_repair(&mut doc, &mut found);
    let recipe = match Recipe::deserialize(toml::de::Deserializer::from(doc)) {
        Ok(mut recipe) => {
            settle_secrets(&mut recipe);
            Some(recipe)
        }
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            found.push(Found {
                span,
                loc: String::new(),
                message: e.message().to_string(),
            });
            None
        }
    };
    let mut problems: Vec<Problem> = found
        .iter()
        .map(|f| problem(text, f.span.start, f.message.clone()))
        .collect();
    if let Some(raw) = &recipe {
        // Every combination of the admin's answers is a recipe of its own; each is checked.
        let mut reported = std::collections::HashSet::new();
        let as_written = (Vec::new(), crate::recipe::check_format2::check_whens(raw));
        let mut runs = vec![as_written];
        for selection in format2::combinations(raw) {
            let (resolved, kept) = format2::resolve_mapped(raw, &selection);
            let findings = check_recipe(&resolved)
                .into_iter()
                .map(|f| crate::recipe::check::Finding {
                    loc: kept.file_loc(&f.loc),
                    message: f.message,
                })
                .collect();
            runs.push((selection, findings));
        }
        let defaults = format2::defaults(raw);
        let everywhere = in_every_combination(&runs[1..]);
        for (selection, findings) in runs {
            for finding in findings {
                let loc = finding.loc.clone();
                // What the format's tables already reported (and repaired) isn't reported again.
                let said = found.iter().any(|f| {
                    !f.loc.is_empty() && (loc == f.loc || loc.starts_with(&format!("{}.", f.loc)))
                });
                if said || !reported.insert((loc.clone(), finding.message.clone())) {
                    continue;
                }
                let common = everywhere.contains(&(loc.clone(), finding.message.clone()));
                let message = if selection.is_empty() || selection == defaults || common {
                    finding.message
                } else {
                    format!(
                        "with {}: {}",
                        format2::describe(&selection),
                        finding.message
                    )
                };
                let span = locate(&original, &loc);
                problems.push(problem(text, span.start, message));
            }
        }
    }
    problems.sort_by_key(|p| (p.line, p.column));
    problems.dedup();
    let recipe = recipe.filter(|_| problems.is_empty());
    (problems, recipe)
}

/// The problems every combination has: they aren't about one answer, so no answer is named.
fn in_every_combination(
    runs: &[(format2::Selection, Vec<crate::recipe::check::Finding>)],
) -> std::collections::HashSet<(String, String)> {
    let key = |f: &crate::recipe::check::Finding| (f.loc.clone(), f.message.clone());
    let mut runs = runs.iter();
    let mut common: std::collections::HashSet<_> = runs
        .next()
        .map(|(_, findings)| findings.iter().map(key).collect())
        .unwrap_or_default();
    for (_, findings) in runs {
        let here: std::collections::HashSet<_> = findings.iter().map(key).collect();
        common.retain(|k| here.contains(k));
    }
    common
}

/// A field is secret when its file says so; the consumer secret always is (a file that says
/// otherwise is refused by the `secrets` rule).
fn settle_secrets(recipe: &mut Recipe) {
    for field in recipe.steps.iter_mut().flat_map(|s| s.fields.iter_mut()) {
        let always = field.role == Some(crate::recipe::Role::ConsumerSecret);
        field.secret = always || field.secret_given.unwrap_or(false);
    }
}

fn problem(text: &str, offset: usize, message: String) -> Problem {
    let (line, column) = position(text, offset);
    Problem {
        line,
        column,
        message,
    }
}

/// Where the key at a dotted path (`steps.3.fields.0.default`) is: its value, or the nearest
/// enclosing one that exists.
fn locate(doc: &DeTable<'_>, loc: &str) -> Range<usize> {
    let mut span = 0..0;
    let mut table = Some(doc);
    let mut array: Option<&[Spanned<DeValue<'_>>]> = None;
    for segment in loc.split('.').filter(|s| !s.is_empty()) {
        let next = match (table, array, segment.parse::<usize>()) {
            (_, Some(items), Ok(index)) => items.get(index),
            (Some(t), _, _) => t
                .iter()
                .find(|(k, _)| k.get_ref() == segment)
                .map(|(_, v)| v),
            _ => None,
        };
        let Some(value) = next else { break };
        span = value.span();
        table = value.get_ref().as_table();
        array = value.get_ref().as_array().map(|a| &a[..]);
    }
    span
}

/// Line and column (from 1, in characters) of a byte offset.
pub(crate) fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
