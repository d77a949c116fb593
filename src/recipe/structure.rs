//! The first half of checking a recipe file: its TOML document, with every key's and value's
//! position, judged against the format's tables (`schema.rs`). Each unknown key, missing key,
//! wrong type and value outside a fixed set is reported where it is, with the nearest valid
//! name, and then repaired (a near-miss key renamed, a value replaced by the nearest valid one,
//! a placeholder for what is missing) so the loader's rules can still run on the rest.

use std::borrow::Cow;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use crate::recipe::schema::{Key, Shape, TOP};

/// A problem found in the document: where (bytes), the dotted path of what it is about (for
/// leaving out what the loader's rules would say again about the same thing), and what.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub span: Range<usize>,
    pub loc: String,
    pub message: String,
}

/// Judges the whole document and repairs it in place.
pub(crate) fn check_and_repair(doc: &mut Spanned<DeTable<'_>>, found: &mut Vec<Found>) {
    let span = 0..0;
    walk_table(doc.get_mut(), TOP, "the recipe", "", span, found);
}

fn walk_table(
    table: &mut DeTable<'_>,
    spec: &'static [Key],
    what: &str,
    loc: &str,
    span: Range<usize>,
    found: &mut Vec<Found>,
) {
    unknown_keys(table, spec, what, loc, found);
    let mut unusable = Vec::new();
    for key in spec {
        let here = join(loc, key.name);
        let entry = table.iter_mut().find(|(k, _)| k.get_ref() == key.name);
        match entry {
            Some((_, value)) => {
                let usable = check_value(value, key, &here, found);
                if !usable {
                    unusable.push(key.name);
                }
            }
            None if key.required => {
                found.push(Found {
                    span: span.clone(),
                    loc: here,
                    message: format!("{what} has no '{}' ({})", key.name, key.meaning),
                });
                table.insert(
                    Spanned::new(span.clone(), Cow::Borrowed(key.name)),
                    Spanned::new(span.clone(), placeholder(key)),
                );
            }
            None => {}
        }
    }
    // An optional key of the wrong type is left out (its default stands in).
    for name in unusable {
        table.remove(name);
    }
}

/// Reports keys the table doesn't have; one a near miss of a key the table lacks is renamed to
/// it (one mistake, one report), the others are dropped.
fn unknown_keys(
    table: &mut DeTable<'_>,
    spec: &'static [Key],
    what: &str,
    loc: &str,
    found: &mut Vec<Found>,
) {
    let names: Vec<&str> = spec.iter().map(|k| k.name).collect();
    let unknown: Vec<(String, Range<usize>)> = table
        .iter()
        .filter(|(k, _)| !names.contains(&k.get_ref().as_ref()))
        .map(|(k, _)| (k.get_ref().to_string(), k.span()))
        .collect();
    for (name, span) in unknown {
        let nearest = nearest(&name, &names);
        let message = match nearest.and_then(|n| spec.iter().find(|k| k.name == n)) {
            Some(Key {
                shape: Shape::Tables(header, _),
                ..
            }) => format!("unknown table '{name}' in {what}; did you mean '{header}'?"),
            Some(near) => format!(
                "unknown key '{name}' in {what}; did you mean '{}'?",
                near.name
            ),
            None => format!(
                "unknown key '{name}' in {what}; valid: {}",
                names.join(", ")
            ),
        };
        found.push(Found {
            span,
            loc: join(loc, &name),
            message,
        });
        let taken = nearest.is_some_and(|n| table.iter().any(|(k, _)| k.get_ref() == n));
        let moved = table.remove_entry(name.as_str());
        if let (Some(target), false, Some((key, value))) = (nearest, taken, moved) {
            table.insert(Spanned::new(key.span(), Cow::Borrowed(target)), value);
        }
    }
}

/// Judges one value; false when it has the wrong type and the key is optional (to be left out).
fn check_value(
    value: &mut Spanned<DeValue<'_>>,
    key: &Key,
    loc: &str,
    found: &mut Vec<Found>,
) -> bool {
    let span = value.span();
    let wrong = |wants: &str, found: &mut Vec<Found>| {
        found.push(Found {
            span: span.clone(),
            loc: loc.to_string(),
            message: format!("'{}' takes {wants}", key.name),
        });
    };
    match (key.shape, value.get_mut()) {
        (Shape::Text, DeValue::String(text)) => {
            if let Some(values) = key.values {
                one_of(text, &values(), key, span.clone(), loc, found);
            }
        }
        (Shape::TextList, DeValue::Array(items)) => text_items(items, key, loc, found),
        (Shape::Bool, DeValue::Boolean(_)) | (Shape::Integer, DeValue::Integer(_)) => {}
        (Shape::SettingValue, DeValue::Boolean(_) | DeValue::String(_) | DeValue::Integer(_)) => {}
        (Shape::SettingValue, DeValue::Array(items))
            if items.iter().all(|i| i.get_ref().is_str()) => {}
        (
            Shape::Tables(header, spec) | Shape::InlineTables(header, spec),
            DeValue::Array(items),
        ) => {
            for (i, item) in items.iter_mut().enumerate() {
                let item_span = item.span();
                match item.get_mut() {
                    DeValue::Table(table) => walk_table(
                        table,
                        spec,
                        header,
                        &join(loc, &i.to_string()),
                        item_span,
                        found,
                    ),
                    _ => {
                        wrong("tables", found);
                        *item = Spanned::new(item_span, DeValue::Table(DeTable::new()));
                    }
                }
            }
        }
        (Shape::Table(header, spec), DeValue::Table(table)) => {
            walk_table(table, spec, header, loc, span.clone(), found);
        }
        (shape, _) => {
            wrong(describe(shape), found);
            if !key.required {
                return false;
            }
            *value = Spanned::new(span.clone(), placeholder(key));
        }
    }
    true
}

fn text_items(items: &mut DeArray<'_>, key: &Key, loc: &str, found: &mut Vec<Found>) {
    let values = key.values.map(|values| values());
    for (i, item) in items.iter_mut().enumerate() {
        let span = item.span();
        let here = join(loc, &i.to_string());
        match item.get_mut() {
            DeValue::String(text) => {
                if let Some(values) = &values {
                    one_of(text, values, key, span, &here, found);
                }
            }
            _ => {
                found.push(Found {
                    span: span.clone(),
                    loc: here,
                    message: format!("'{}' is a list of text in quotes", key.name),
                });
                *item = Spanned::new(span, DeValue::String(Cow::Borrowed("")));
            }
        }
    }
}

/// A value outside the key's fixed set: reported with the nearest valid one, which stands in
/// for it from here on.
fn one_of(
    text: &mut Cow<'_, str>,
    values: &[&'static str],
    key: &Key,
    span: Range<usize>,
    loc: &str,
    found: &mut Vec<Found>,
) {
    if values.contains(&text.as_ref()) {
        return;
    }
    let near = nearest(text, values);
    let hint = match near {
        Some(near) => format!("did you mean '{near}'?"),
        None => format!("valid: {}", values.join(", ")),
    };
    found.push(Found {
        span,
        loc: loc.to_string(),
        message: format!("'{text}' is not a {}; {hint}", noun(key.name, loc)),
    });
    if let Some(first) = near.or(values.first().copied()) {
        *text = Cow::Borrowed(first);
    }
}

/// What one value of a key is called in a message (`kind` is a step's or a prerequisite's).
fn noun<'a>(key: &'a str, loc: &str) -> &'a str {
    match key {
        "kind" if loc.contains("prerequisites") => "prerequisite kind",
        "scopes" => "scope",
        "verifies" => "verification",
        "key" => "setting key",
        "access" => "object permission",
        "page" => "Setup page",
        "kind" => "step kind",
        other => other,
    }
}

fn describe(shape: Shape) -> &'static str {
    match shape {
        Shape::Text => "text in quotes",
        Shape::TextList => "a list of text, e.g. [\"a\", \"b\"]",
        Shape::Bool => "true or false",
        Shape::Integer => "a whole number",
        Shape::SettingValue => "true/false, text in quotes, a whole number, or a list of text",
        Shape::Tables(..) | Shape::InlineTables(..) => "a list of tables",
        Shape::Table(..) => "a table",
    }
}

/// What stands in for a missing or unusable value so the rules can run.
fn placeholder(key: &Key) -> DeValue<'static> {
    let first = key.values.and_then(|values| values().first().copied());
    match key.shape {
        Shape::Text => DeValue::String(Cow::Borrowed(first.unwrap_or(""))),
        Shape::TextList | Shape::Tables(..) | Shape::InlineTables(..) => {
            DeValue::Array(DeArray::new())
        }
        // Only optional keys have these shapes; a wrong one is left out instead.
        Shape::Bool | Shape::Integer | Shape::SettingValue | Shape::Table(..) => {
            DeValue::Boolean(false)
        }
    }
}

fn join(loc: &str, name: &str) -> String {
    if loc.is_empty() {
        name.to_string()
    } else {
        format!("{loc}.{name}")
    }
}

/// The candidate nearest `word`, if it is near enough to be what was meant: one it begins
/// (a value cut short), else the fewest edits.
pub(crate) fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if word.chars().count() >= 4
        && let Some(longer) = candidates
            .iter()
            .filter(|c| c.starts_with(word))
            .min_by_key(|c| c.len())
    {
        return Some(longer);
    }
    candidates
        .iter()
        .copied()
        .min_by_key(|c| distance(word, c))
        .filter(|c| distance(word, c) <= word.chars().count().max(3) / 2 + 1)
}

/// Edit distance (insertions, deletions, substitutions), case and '-'/'_' ignored.
fn distance(a: &str, b: &str) -> usize {
    let fold = |c: char| {
        if c == '_' {
            '-'
        } else {
            c.to_ascii_lowercase()
        }
    };
    let b: Vec<char> = b.chars().map(fold).collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().map(fold).enumerate() {
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
