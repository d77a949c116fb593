//! What format 2 adds to a recipe: named choices the admin makes on the first step (the flow is
//! one of them when a guide offers several), steps, fields and settings that apply only `when`
//! a choice has a given answer, recommended and optional settings, vendor-side steps with named
//! fields whose values come from the app or the org, a note for guides written for a Connected
//! App, and how long the vendor says a new app takes to work. A recipe with choices is checked
//! in every combination; the rest of the code sees one combination at a time (`resolve`), the
//! defaults unless told otherwise.

use serde::{Deserialize, Serialize};

use crate::recipe::model::Recipe;
use crate::salesforce::Flow;

/// A question the admin answers on the first step, e.g. which flow, or which client.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// `flow` makes the answer the recipe's flow (its options are flow ids).
    pub id: String,
    pub question: String,
    pub options: Vec<String>,
    pub default: String,
}

/// How much a setting matters to the guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// The guide requires it (format 1's only kind).
    #[default]
    Required,
    /// The guide recommends it; deployed like a required one.
    Recommended,
    /// The guide says "if you need it": shown, never deployed or checked.
    Optional,
}

/// A step in the vendor's product, with the fields the admin fills there.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VendorStep {
    pub title: String,
    /// Where in the vendor's product, as a breadcrumb.
    #[serde(rename = "where")]
    pub place: Vec<String>,
    pub what: String,
    #[serde(default)]
    pub fields: Vec<VendorField>,
    #[serde(default)]
    pub when: Option<String>,
    /// The button that ends the step in the vendor's product ("Save Connection").
    #[serde(default)]
    pub finish: Option<String>,
}

/// A field in the vendor's product: its label there, and its value, fixed or taken from the app
/// or the org (`from`, one of `VENDOR_SOURCES`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VendorField {
    pub label: String,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
}

/// Where a vendor field's value can come from: a field's role, or the org.
pub const ORG_SOURCES: &[(&str, &str)] = &[
    (
        "my-domain-url",
        "the org's My Domain URL, e.g. https://acme.my.salesforce.com",
    ),
    (
        "my-domain-host",
        "the My Domain host without https://, e.g. acme.my.salesforce.com",
    ),
    ("my-domain-name", "the My Domain name alone, e.g. acme"),
    ("instance-url", "the instance URL the token came with"),
    ("org-type", "Production or Sandbox"),
];

/// One thing a guide written for a Connected App asks for, and its External Client App
/// equivalent (or why there is none).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectedAppNote {
    /// The Connected App label the guide uses.
    pub label: String,
    /// What the guide sets it to.
    pub value: String,
    /// What to do in an External Client App instead.
    pub eca: String,
}

/// One answer per choice.
pub type Selection = Vec<(String, String)>;

/// The default answers.
pub fn defaults(recipe: &Recipe) -> Selection {
    recipe
        .choices
        .iter()
        .map(|c| (c.id.clone(), c.default.clone()))
        .collect()
}

/// Every combination of answers (the first is the defaults), at most `MAX_COMBINATIONS`.
pub fn combinations(recipe: &Recipe) -> Vec<Selection> {
    let mut all: Vec<Selection> = vec![Vec::new()];
    for choice in &recipe.choices {
        let mut next = Vec::new();
        for partial in &all {
            for option in &choice.options {
                let mut selection = partial.clone();
                selection.push((choice.id.clone(), option.clone()));
                next.push(selection);
            }
        }
        all = next;
        all.truncate(MAX_COMBINATIONS);
    }
    // A default that isn't among its options is the only problem to report (the `choices`
    // rule does), not a combination to check.
    let first = defaults(recipe);
    all.retain(|s| *s != first);
    if recipe
        .choices
        .iter()
        .all(|c| c.options.contains(&c.default))
    {
        all.insert(0, first);
    }
    all
}

/// Recipes with more combinations than this are refused (the check runs on each).
pub const MAX_COMBINATIONS: usize = 16;

/// Whether a `when` condition (`CHOICE=OPTION`, or `CHOICE=A|B`) holds for the answers.
pub fn holds(when: Option<&str>, selection: &Selection) -> bool {
    let Some((choice, options)) = when.and_then(|w| w.split_once('=')) else {
        return true;
    };
    selection
        .iter()
        .find(|(id, _)| id == choice.trim())
        .is_some_and(|(_, answer)| options.split('|').any(|o| o.trim() == answer))
}

/// The recipe as the admin's answers make it: the flow chosen, and only the steps, fields,
/// settings and vendor steps whose `when` holds.
pub fn resolve(raw: &Recipe, selection: &Selection) -> Recipe {
    resolve_mapped(raw, selection).0
}

/// Where each kept step, field and setting was in the file, for reporting problems there.
#[derive(Debug, Default)]
pub struct Kept {
    steps: Vec<usize>,
    fields: Vec<Vec<usize>>,
    settings: Vec<Vec<usize>>,
    vendor_steps: Vec<usize>,
}

impl Kept {
    /// A dotted path in the resolved recipe (`steps.2.fields.0.default`) as a path in the file.
    pub fn file_loc(&self, loc: &str) -> String {
        let mut parts: Vec<String> = loc.split('.').map(String::from).collect();
        let index = |s: &String| s.parse::<usize>().ok();
        if parts.first().map(String::as_str) == Some("vendor_steps")
            && let Some(i) = parts.get(1).and_then(index)
        {
            parts[1] = self.vendor_steps.get(i).copied().unwrap_or(i).to_string();
        }
        if parts.first().map(String::as_str) == Some("steps")
            && let Some(i) = parts.get(1).and_then(index)
        {
            let table = match parts.get(2).map(String::as_str) {
                Some("fields") => self.fields.get(i),
                Some("settings") => self.settings.get(i),
                _ => None,
            };
            if let (Some(table), Some(j)) = (table, parts.get(3).and_then(index)) {
                parts[3] = table.get(j).copied().unwrap_or(j).to_string();
            }
            parts[1] = self.steps.get(i).copied().unwrap_or(i).to_string();
        }
        parts.join(".")
    }
}

fn kept<T>(items: &mut Vec<T>, keep: impl Fn(&T) -> bool) -> Vec<usize> {
    let indices: Vec<usize> = (0..items.len()).filter(|i| keep(&items[*i])).collect();
    let mut i = 0;
    items.retain(|_| {
        let keep = indices.contains(&i);
        i += 1;
        keep
    });
    indices
}

/// `resolve`, with where each kept item was.
pub fn resolve_mapped(raw: &Recipe, selection: &Selection) -> (Recipe, Kept) {
    let mut recipe = raw.clone();
    if let Some((_, flow)) = selection.iter().find(|(id, _)| id == "flow")
        && let Some(flow) = Flow::ALL.iter().find(|f| f.id() == flow)
    {
        recipe.flow = *flow;
    }
    let mut map = Kept {
        steps: kept(&mut recipe.steps, |s| holds(s.when.as_deref(), selection)),
        vendor_steps: kept(&mut recipe.vendor_steps, |v| {
            holds(v.when.as_deref(), selection)
        }),
        ..Kept::default()
    };
    for step in &mut recipe.steps {
        map.fields.push(kept(&mut step.fields, |f| {
            holds(f.when.as_deref(), selection)
        }));
        map.settings.push(kept(&mut step.settings, |s| {
            holds(s.when.as_deref(), selection)
        }));
    }
    recipe.selection = selection.clone();
    (recipe, map)
}

/// How the answers read in a message: `flow=jwt-bearer, client=desktop`.
pub fn describe(selection: &Selection) -> String {
    selection
        .iter()
        .map(|(c, o)| format!("{c}={o}"))
        .collect::<Vec<_>>()
        .join(", ")
}
