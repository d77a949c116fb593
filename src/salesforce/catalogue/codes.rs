//! Every code of Salesforce's published lists (`assets/catalogue/codes.toml`): the Partner
//! WSDL's ExceptionCode and StatusCode values and the LOGIN_STATUS values of Login History, each
//! in a family of ours with the family's usual fix. A code `errors.toml` describes keeps that
//! hand-written row; the others become rows here, so no listed code is answered "unknown".

use serde::Deserialize;

use super::{Entry, EntryCause, Place};
use crate::salesforce::diagnosis::Kind;

pub(super) const DATA: &str = include_str!("../../../assets/catalogue/codes.toml");

/// Codes that share what they concern and what to check first.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    pub id: String,
    pub kind: Kind,
    pub target: Place,
    /// What its codes concern, completing "it concerns ...".
    pub about: String,
    pub fix: String,
}

/// One listed code.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    pub code: String,
    /// The lists it is in, comma-separated (`ExceptionCode, StatusCode`).
    pub list: String,
    pub family: String,
    /// The Login History status Salesforce shows for it (LOGIN_STATUS only).
    #[serde(default)]
    pub status: Option<String>,
    /// Our words for Salesforce's description, where one was read.
    #[serde(default)]
    pub meaning: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub family: Vec<Family>,
    pub codes: Vec<Code>,
}

pub fn parse(text: &str) -> Result<File, toml::de::Error> {
    toml::from_str(text)
}

/// The rows for listed codes `hand` (the hand-written rows) lacks. A status already standing for
/// another row stays with that row: one phrase, one code.
pub(super) fn entries(file: &File, hand: &[Entry]) -> Vec<Entry> {
    let mut phrases: Vec<String> = hand
        .iter()
        .flat_map(|e| e.phrases.iter().map(|p| p.to_ascii_lowercase()))
        .collect();
    let mut out = Vec::new();
    for code in &file.codes {
        if hand.iter().any(|e| e.code.eq_ignore_ascii_case(&code.code)) {
            continue;
        }
        let Some(family) = file.family.iter().find(|f| f.id == code.family) else {
            continue;
        };
        let mut entry = entry(code, family);
        if let Some(status) = &code.status {
            let lower = status.trim().to_ascii_lowercase();
            if !phrases.contains(&lower) {
                phrases.push(lower);
                entry.phrases.push(status.trim().to_string());
            }
        }
        out.push(entry);
    }
    out
}

fn entry(code: &Code, family: &Family) -> Entry {
    let lists = code.list.replace(", ", " and ");
    let listed = match (&code.status, &code.meaning) {
        (_, Some(meaning)) => {
            format!("One of Salesforce's {lists} codes; its description, in our words: {meaning}")
        }
        (Some(status), None) => format!(
            "The LOGIN_STATUS code behind the Login History status \"{}\".",
            status.trim()
        ),
        (None, None) => format!("One of Salesforce's {lists} codes, described nowhere we read."),
    };
    Entry {
        code: code.code.clone(),
        list: code.list.clone(),
        phrases: Vec::new(),
        // The family is our reading of the code: said as ours.
        meaning: format!("{listed} Our reading of it: it concerns {}.", family.about),
        source: format!(
            "codes.toml ({}); family '{}' is ours, UNCONFIRMED",
            code.list, family.id
        ),
        tell: None,
        weak: false,
        shared: false,
        cause: vec![EntryCause {
            kind: family.kind,
            target: family.target,
            fix: family.fix.clone(),
            evidence: None,
        }],
        family: Some(family.id.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_parse_without_repeats_and_every_family_exists() {
        let file = parse(DATA).unwrap();
        let mut codes: Vec<&str> = file.codes.iter().map(|c| c.code.as_str()).collect();
        codes.sort_unstable();
        let before = codes.len();
        codes.dedup();
        assert_eq!(before, codes.len(), "a code is listed once");
        assert!(codes.len() > 800, "{} codes", codes.len());
        for code in &file.codes {
            assert!(
                file.family.iter().any(|f| f.id == code.family),
                "{}: family {}",
                code.code,
                code.family
            );
            for list in code.list.split(", ") {
                assert!(
                    ["ExceptionCode", "StatusCode", "LOGIN_STATUS"].contains(&list),
                    "{}: {list}",
                    code.code
                );
            }
        }
        for family in &file.family {
            assert_ne!(family.kind, Kind::Unknown, "{}", family.id);
            assert!(family.fix.len() > 20, "{}", family.id);
            assert!(
                file.codes.iter().any(|c| c.family == family.id),
                "{} is used",
                family.id
            );
        }
    }

    #[test]
    fn a_family_row_says_its_reading_is_ours() {
        let file = parse(DATA).unwrap();
        let rows = entries(&file, &[]);
        let malformed = rows.iter().find(|e| e.code == "MALFORMED_ID").unwrap();
        assert!(!malformed.documented_by_salesforce());
        assert!(malformed.meaning.contains("Our reading"));
        assert_eq!(malformed.cause[0].kind, Kind::ClientBug);
    }
}
