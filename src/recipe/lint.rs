//! `recipes check FILE`: every problem of a recipe file at once, each with its line and column,
//! what is wrong and the fix. A line scan finds unknown keys and values outside the known sets
//! (with the nearest valid one); then the loader's own rules run on what is left.

use crate::recipe::model::{Role, StepKind};
use crate::recipe::{Validator, parse, schema};
use crate::salesforce::Flow;
use crate::salesforce::settings::SettingKey;

/// One problem in a recipe file (lines and columns count from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

pub const TABLES: &[&str] = &["[[steps]]", "[[steps.fields]]", "[[steps.settings]]"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Table {
    Top,
    Step,
    Field,
    Setting,
    /// After an unknown header: its keys aren't judged (the header is the one problem).
    Unknown,
}

impl Table {
    fn keys(self) -> Vec<&'static str> {
        let keys = match self {
            Table::Top => schema::TOP,
            Table::Step => schema::STEP,
            Table::Field => schema::FIELD,
            Table::Setting => schema::SETTING,
            Table::Unknown => &[],
        };
        keys.iter().map(|(key, _)| *key).collect()
    }

    fn name(self) -> &'static str {
        match self {
            Table::Top => "the recipe",
            Table::Step => "[[steps]]",
            Table::Field => "[[steps.fields]]",
            Table::Setting => "[[steps.settings]]",
            Table::Unknown => "an unknown table",
        }
    }

    /// The values a key of this table may take, when they are a fixed set.
    fn values(self, key: &str) -> Option<Vec<&'static str>> {
        match (self, key) {
            (Table::Top, "flow") => Some(Flow::ALL.iter().map(|f| f.id()).collect()),
            (Table::Step, "kind") => Some(StepKind::ALL.iter().map(|k| k.id()).collect()),
            (Table::Field, "validator") => Some(Validator::ALL.iter().map(|v| v.id()).collect()),
            (Table::Field, "role") => Some(Role::ALL.iter().map(|r| r.id()).collect()),
            (Table::Setting, "key") => Some(SettingKey::ALL.iter().map(|k| k.id()).collect()),
            _ => None,
        }
    }
}

/// Every problem of the file, in line order; empty when the loader accepts it.
pub fn lint(file: &str, text: &str) -> Vec<Problem> {
    let mut problems = scan(text);
    if !problems.is_empty() {
        return problems;
    }
    if let Err(error) = toml::from_str::<toml::Table>(text) {
        let (line, column) = error
            .span()
            .map_or((1, 1), |span| position(text, span.start));
        return vec![Problem {
            line,
            column,
            message: format!("not valid TOML: {}", error.message()),
        }];
    }
    if let Err(error) = parse(file, text) {
        let (line, column) = locate(text, &error.message);
        problems.push(Problem {
            line,
            column,
            message: error.message,
        });
    }
    problems
}

/// The first key-level problem of the file, if the line scan finds one.
pub fn scan_first(text: &str) -> Option<Problem> {
    scan(text).into_iter().next()
}

/// The line scan: tables, keys and fixed-set values, skipping multi-line strings and arrays.
fn scan(text: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut table = Table::Top;
    let mut in_string = false;
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        if in_string {
            in_string = raw.matches("\"\"\"").count() % 2 == 0;
            continue;
        }
        let trimmed = raw.trim_start();
        let column = raw.len() - trimmed.len() + 1;
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if trimmed.starts_with('[') {
            let header = trimmed.split('#').next().unwrap_or("").trim();
            table = match header {
                "[[steps]]" => Table::Step,
                "[[steps.fields]]" => Table::Field,
                "[[steps.settings]]" => Table::Setting,
                _ => {
                    problems.push(Problem {
                        line,
                        column,
                        message: format!(
                            "unknown table {header}; {}",
                            nearest_hint(header, TABLES)
                        ),
                    });
                    Table::Unknown
                }
            };
            continue;
        }
        let Some((key, rest)) = trimmed.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            continue;
        }
        let rest = rest.trim();
        if rest.starts_with("\"\"\"") && rest.matches("\"\"\"").count() % 2 == 1 {
            in_string = true;
        }
        if table == Table::Unknown {
            continue;
        }
        if !table.keys().contains(&key) {
            problems.push(Problem {
                line,
                column,
                message: format!(
                    "unknown key '{key}' in {}; {}",
                    table.name(),
                    nearest_hint(key, &table.keys())
                ),
            });
            continue;
        }
        if let (Some(allowed), Some(value)) = (table.values(key), quoted(rest))
            && !allowed.contains(&value)
        {
            let value_column = column + raw.trim_start().find(value).unwrap_or(0);
            problems.push(Problem {
                line,
                column: value_column,
                message: format!(
                    "'{value}' is not a {key}; {}",
                    nearest_hint(value, &allowed)
                ),
            });
        }
    }
    problems
}

/// The value of `"text"` (with an optional comment after it).
fn quoted(rest: &str) -> Option<&str> {
    let inner = rest.strip_prefix('"')?;
    let end = inner.find('"')?;
    Some(&inner[..end])
}

fn nearest_hint(word: &str, candidates: &[&str]) -> String {
    let best = candidates
        .iter()
        .min_by_key(|c| distance(word, c))
        .filter(|c| distance(word, c) <= word.len().max(3) / 2 + 1);
    match best {
        Some(best) => format!("did you mean '{best}'?"),
        None => format!("valid: {}", candidates.join(", ")),
    }
}

/// Edit distance (insertions, deletions, substitutions).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (row[j] + 1)
                .min(current + 1)
                .min(previous + usize::from(ca != *cb));
            previous = current;
        }
    }
    row[b.len()]
}

pub(crate) fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Where a loader message points: the first quoted name in it ('x') found in the file.
fn locate(text: &str, message: &str) -> (usize, usize) {
    let name = message.split('\'').nth(1).filter(|n| !n.is_empty());
    let at = name.and_then(|name| text.find(&format!("\"{name}\"")));
    at.map_or((1, 1), |offset| position(text, offset))
}
