//! `recipes check FILE`: every problem of a file in one run, each at its line and column, in
//! the names the format documents, with the nearest valid name; the loader's rules included.

use crate::common::recipe_files::*;
use eca_wizard::recipe;

/// Ten mistakes of ten kinds, each on its own line: (what to find, what to put, what the
/// report says).
const MISTAKES: [(&str, &str, &str); 10] = [
    // An unknown key, near a real one.
    (
        "vendor = \"",
        "vendr = \"",
        "unknown key 'vendr' in the recipe; did you mean 'vendor'?",
    ),
    // A scope that isn't one.
    (
        "scopes = [\"full\", \"api\", \"openid\"]",
        "scopes = [\"full\", \"api\", \"opnid\"]",
        "'opnid' is not a scope; did you mean 'openid'?",
    ),
    // A callback that would send the code to a public host over http.
    (
        "callback_urls = [\"https://oauth.pstmn.io/v1/callback\"]",
        "callback_urls = [\"http://attacker.example/steal\"]",
        "callback URL refused",
    ),
    // A step kind out of the set.
    (
        "kind = \"flows\"",
        "kind = \"flow\"",
        "'flow' is not a step kind; did you mean 'flows'?",
    ),
    // A value of the wrong type.
    (
        "verifies = [\"rest-api\", \"object-access\"]",
        "verifies = \"rest-api\"",
        "'verifies' takes a list of text",
    ),
    // An object permission without what Salesforce requires beside it.
    (
        "access = [\"read\"], optional = true",
        "access = [\"edit\"], optional = true",
        "edit needs read",
    ),
    // A setting that reads a field no step has.
    (
        "from_field = \"integration_username\"",
        "from_field = \"integration_user\"",
        "did you mean 'integration_username'?",
    ),
    // Two steps with one id.
    (
        "id = \"security\"",
        "id = \"flows\"",
        "step id 'flows' is used twice",
    ),
    // The consumer secret marked not secret.
    ("secret = true", "secret = false", "always secret"),
    // A terminal escape in the text.
    (
        "why = \"They go in",
        "why = \"\\u001b]0;owned\\u0007They go in",
        "U+001B",
    ),
];

#[test]
fn ten_planted_problems_of_ten_kinds_are_all_reported_with_their_lines_in_one_run() {
    let Planted {
        bad,
        lines,
        problems,
    } = assert_planted_mistakes_reported(&acme_etl(), &MISTAKES);
    assert_eq!(problems.len(), 10, "one report per mistake: {problems:#?}");
    // No internal names: the documented ones only.
    for internal in [
        "RestApi",
        "TokenFormat",
        "ObjectAccess",
        "Read",
        "ModifyAll",
    ] {
        assert!(
            !problems.iter().any(|p| p.message.contains(internal)),
            "{internal}: {problems:#?}"
        );
    }

    // Through the command: FILE:LINE:COL per problem, exit 1, nothing raw on the terminal.
    let home = home("check-ten");
    let file = home.join("bad.toml");
    std::fs::write(&file, &bad).unwrap();
    let output = wizard(&home, &["recipes", "check", &file.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    let said = text(&output);
    assert!(!said.contains('\u{1b}'), "{said:?}");
    let name = file.display().to_string();
    for line in &lines {
        assert!(
            said.lines()
                .any(|l| l.starts_with(&format!("{name}:{line}:"))),
            "{line}: {said}"
        );
    }
    assert!(said.contains("10 problem(s)"), "{said}");
    // Loading names the first and counts the rest.
    let error = recipe::parse("bad.toml", &bad).unwrap_err().to_string();
    assert!(error.contains("and 9 more"), "{error}");
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn a_literal_string_holding_key_equals_value_is_text() {
    // What a line scanner took for unknown keys is one valid string.
    let text = acme_etl().replacen(
        "why = \"They go in",
        "guide_note = '''\nclient_id = the key\nclient_secret = the secret\n'''\nwhy = \"They go in",
        1,
    );
    assert_eq!(recipe::lint::lint("literal.toml", &text), Vec::new());
    let recipe = recipe::parse("literal.toml", &text).unwrap();
    let note = recipe.step("credentials").unwrap().guide_note.as_deref();
    assert!(note.unwrap().contains("client_secret = the secret"));
}

#[test]
fn missing_keys_wrong_types_and_setting_options_are_named_with_the_fix() {
    for (find, put, says) in [
        (
            "app_name = \"",
            "# app_name = \"",
            "the recipe has no 'app_name'",
        ),
        (
            "value = \"All users can self-authorize\"",
            "value = \"All users may self-authorize\"",
            "did you mean 'All users can self-authorize'?",
        ),
        (
            "format = 1",
            "format = \"one\"",
            "'format' takes a whole number",
        ),
        (
            "[[steps.fields]]",
            "[[steps.feilds]]",
            "did you mean '[[steps.fields]]'?",
        ),
    ] {
        let base = if find.starts_with("value = \"All") {
            include_str!("../../assets/recipes/mcp-claude-code.toml")
                .replace("id = \"mcp-claude-code\"", "id = \"x\"")
        } else {
            format!("format = 1\n{}", acme_etl())
        };
        assert!(base.contains(find), "{find}");
        let problems = recipe::lint::lint("x.toml", &base.replacen(find, put, 1));
        assert!(
            problems.iter().any(|p| p.message.contains(says)),
            "{says}: {problems:#?}"
        );
    }
}

#[test]
fn the_reference_lists_every_rule_page_scope_and_setting_value() {
    let docs = recipe::schema::markdown();
    for rule in recipe::RULES {
        assert!(
            docs.contains(&format!("| `{}` |", rule.name)),
            "{}",
            rule.name
        );
    }
    for needle in [
        "| `external-client-app-manager` |",
        "| `refresh_token` |",
        "\"Relax IP restrictions\"",
        "\"All users can self-authorize\"",
        "| `view-all` |",
        "| `token-format` |",
    ] {
        assert!(docs.contains(needle), "{needle}");
    }
}
