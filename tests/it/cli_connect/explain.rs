//! `eca-wizard explain` as a user runs it: pasted errors of every form, ranked causes in
//! `--json`, a paste on stdin, and how long ago the app was saved.

use super::*;

#[test]
fn explain_diagnoses_pasted_errors() {
    let cases = [
        (
            "error=invalid_client_id&error_description=client%20identifier%20invalid",
            "propagating",
            Some("credentials"),
            None,
        ),
        (
            "http://localhost:7717/callback?error=OAUTH_APP_ACCESS_DENIED&error_description=user%20is%20not%20admin%20approved%20to%20access%20this%20app&state=x",
            "misconfigured",
            Some("policies"),
            Some("Selected Permission Sets"),
        ),
        (
            r#"{"error":"invalid_client","error_description":"invalid client credentials"}"#,
            "misconfigured",
            Some("credentials"),
            None,
        ),
        (
            r#"{"error":"invalid_grant","error_description":"expired authorization code"}"#,
            "user-action",
            None,
            None,
        ),
        (
            r#"{"error":"invalid_grant","error_description":"login rate exceeded"}"#,
            "transient",
            None,
            None,
        ),
        (
            r#"{"error":"invalid_grant","error_description":"no client credentials user enabled"}"#,
            "misconfigured",
            Some("policies"),
            Some("Run As (Username)"),
        ),
        (
            r#"[{"message":"The REST API is not enabled for this Organization.","errorCode":"API_DISABLED_FOR_ORG"}]"#,
            "misconfigured",
            Some("permissions"),
            Some("API Enabled"),
        ),
        (
            "Salesforce said: redirect_uri_mismatch while logging in",
            "propagating",
            Some("oauth-settings"),
            Some("Callback URL"),
        ),
        ("no idea what happened", "unknown", None, None),
    ];
    // The step is a recipe's: named with --recipe (here the custom walk-through), never for a
    // paste explained alone; the Setup label is named either way.
    for (text, kind, step, setting) in cases {
        for recipe in [None, Some("custom")] {
            let mut command = wizard();
            command.args(["explain", text, "--json"]);
            if let Some(recipe) = recipe {
                command.args(["--recipe", recipe]);
            }
            let output = command.output().unwrap();
            remember(&output);
            // Nothing found is exit 1 (the table's "explain found no Salesforce error").
            let found = kind != "unknown";
            assert_eq!(output.status.success(), found, "{text}");
            let view = json_of(&output);
            assert_eq!(view["kind"], kind, "{text}: {view}");
            let expected_step = recipe.and(step);
            assert_eq!(
                view["step"].as_str(),
                expected_step,
                "{text} {recipe:?}: {view}"
            );
            assert_eq!(view["setting"].as_str(), setting, "{text}: {view}");
        }
    }
    let text = wizard()
        .args(["explain", "error=invalid_client_id", "--recipe", "apideck"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("15 minutes"), "the propagation note: {text}");
    assert!(text.contains("Copy the Consumer Key and Secret"), "{text}");
}

#[test]
fn explain_json_lists_ranked_causes_and_reads_stdin() {
    let ambiguous = r#"sync failed: 401 [{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#;
    let output = wizard()
        .args(["explain", ambiguous, "--json"])
        .output()
        .unwrap();
    remember(&output);
    let view = json_of(&output);
    let causes = view["causes"].as_array().unwrap();
    assert!(causes.len() > 1, "{view}");
    // The top-level fields stay the first cause, so scripts keep working.
    for field in ["kind", "step", "setting", "value", "message"] {
        assert_eq!(view[field], causes[0][field], "{field}: {view}");
    }
    assert!(view["tell_apart"].is_string(), "{view}");

    let mut child = wizard()
        .args(["explain", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"error":"invalid_grant","error_description":"invalid code verifier"}"#)
        .unwrap();
    let output = child.wait_with_output().unwrap();
    remember(&output);
    assert_eq!(json_of(&output)["kind"], "client-bug");
}

#[test]
fn explain_uses_how_long_ago_the_app_was_saved() {
    let kind = |minutes: &str| {
        let output = wizard()
            .args([
                "explain",
                "error=invalid_client_id",
                "--saved-minutes-ago",
                minutes,
                "--json",
            ])
            .output()
            .unwrap();
        remember(&output);
        json_of(&output)["kind"].as_str().unwrap().to_string()
    };
    assert_eq!(kind("3"), "propagating");
    assert_eq!(kind("45"), "misconfigured");
}
