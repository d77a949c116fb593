//! API-name, email, username and callback URL rules, and validators under hostile input.

use eca_wizard::recipe::Validator;
use eca_wizard::salesforce::callback::{check_callback_url, check_callback_urls};
use eca_wizard::salesforce::naming::{
    ApiNameRule, check_api_name, check_app_name, check_email, check_username, suggest_api_name,
};

#[test]
fn api_name_rules_each_have_a_message_and_a_valid_suggestion() {
    let cases: &[(&str, ApiNameRule, &str)] = &[
        ("", ApiNameRule::Empty, "Acme_Sync"),
        ("Acme Sync", ApiNameRule::Space, "Acme_Sync"),
        ("Acme-Sync", ApiNameRule::Character('-'), "Acme_Sync"),
        ("Acme.Sync", ApiNameRule::Character('.'), "Acme_Sync"),
        ("Äcme", ApiNameRule::Character('Ä'), "cme"),
        ("1Acme", ApiNameRule::FirstNotLetter, "App_1Acme"),
        ("_Acme", ApiNameRule::FirstNotLetter, "Acme"),
        ("Acme_", ApiNameRule::TrailingUnderscore, "Acme"),
        ("Acme__Sync", ApiNameRule::DoubleUnderscore, "Acme_Sync"),
    ];
    for (input, rule, suggestion) in cases {
        let problem = check_api_name(input, "Acme Sync").expect_err(input);
        assert_eq!(&problem.rule, rule, "input {input:?}");
        assert_eq!(
            problem.suggestion.as_deref(),
            Some(*suggestion),
            "input {input:?}"
        );
        let message = problem.to_string();
        assert!(message.starts_with("API Name"), "{message}");
        assert!(message.contains(suggestion), "{message}");
    }
}

#[test]
fn valid_api_names_pass() {
    for name in ["Acme", "Acme_Sync", "A1", "Aptedge_ECA", "x"] {
        assert!(check_api_name(name, "").is_ok(), "{name}");
    }
}

#[test]
fn too_long_api_name_is_cut_to_a_valid_one() {
    let long = "A".repeat(81);
    let problem = check_api_name(&long, "").unwrap_err();
    assert_eq!(problem.rule, ApiNameRule::TooLong);
    let suggestion = problem.suggestion.unwrap();
    assert_eq!(suggestion.len(), 80);
    assert!(check_api_name(&suggestion, "").is_ok());
}

#[test]
fn api_name_suggestions_follow_setup() {
    assert_eq!(suggest_api_name("Aptedge ECA"), "Aptedge_ECA");
    assert_eq!(suggest_api_name("Client App Test"), "Client_App_Test");
    assert_eq!(suggest_api_name("  Acme -- Sync!  "), "Acme_Sync");
    assert_eq!(suggest_api_name("🦀🦀"), "App");
}

#[test]
fn emails_and_usernames() {
    assert!(check_email("support@aptedge.io").is_ok());
    assert!(check_username("aptedge.integration@yourcompany.com.prod").is_ok());
    let refused: &[(&str, &str)] = &[
        ("", "required"),
        ("   ", "required"),
        ("support", "needs an @"),
        ("@aptedge.io", "before the @"),
        ("a@b@c.io", "only one @"),
        ("a@localhost", "domain"),
        ("a@b..io", "domain"),
        ("a b@c.io", "spaces"),
        ("jürgen@acme.de", "ASCII"),
    ];
    for (input, hint) in refused {
        let message = check_email(input).expect_err(input);
        assert!(message.contains(hint), "{input:?}: {message}");
    }
    assert!(
        check_username("someone")
            .unwrap_err()
            .starts_with("Username")
    );
}

#[test]
fn app_names() {
    assert!(check_app_name("Aptedge ECA").is_ok());
    assert!(check_app_name("  ").unwrap_err().contains("required"));
    assert!(check_app_name("a\tb").unwrap_err().contains("tabs"));
    assert!(check_app_name(&"x".repeat(81)).unwrap_err().contains("80"));
}

#[test]
fn callback_urls_https_or_loopback_http() {
    for ok in [
        "https://unify.apideck.com/vault/callback",
        "http://localhost:7717/callback",
        "http://127.0.0.1:7717/callback",
        "http://[::1]:7717/callback",
        "https://oauth.pstmn.io/v1/callback",
        // A desktop app's own scheme, as the hosted MCP guide registers for Cursor.
        "cursor://anysphere.cursor-mcp/oauth/callback",
        "myapp://callback",
    ] {
        assert!(check_callback_url(ok).is_ok(), "{ok}");
    }
    let refused: &[(&str, &str)] = &[
        ("http://example.com/cb", "Use https://"),
        ("http://192.168.1.5/cb", "Use https://"),
        ("example.com/cb", "needs https://"),
        ("javascript://alert(1)", "not supported"),
        ("file://server/etc/passwd", "not supported"),
        ("https://x.io/cb#frag", "fragment"),
        (
            "https://<your_instance_name>.aptedge.io/salesforce/callback",
            "placeholder",
        ),
        ("https:///cb", "no host"),
        ("https://u:p@x.io/cb", "user name"),
    ];
    for (input, hint) in refused {
        let message = check_callback_url(input).expect_err(input);
        assert!(message.contains(hint), "{input:?}: {message}");
    }
}

#[test]
fn callback_box_lines_duplicates_and_length() {
    let urls =
        check_callback_urls("https://a.io/cb\n\n  http://localhost:7717/callback \n").unwrap();
    assert_eq!(urls, ["https://a.io/cb", "http://localhost:7717/callback"]);
    assert!(
        check_callback_urls("https://a.io/cb\nhttps://a.io/cb")
            .unwrap_err()
            .contains("twice")
    );
    assert!(
        check_callback_urls("https://a.io/cb\nhttp://b.io")
            .unwrap_err()
            .starts_with("Line 2")
    );
    assert!(
        check_callback_urls(" \n ")
            .unwrap_err()
            .contains("at least one")
    );
    let many: Vec<String> = (0..80)
        .map(|i| format!("https://host{i}.example.com/cb"))
        .collect();
    assert!(
        check_callback_urls(&many.join("\n"))
            .unwrap_err()
            .contains("2000")
    );
}

const ALL_VALIDATORS: [Validator; 15] = Validator::ALL;

#[test]
fn every_validator_refuses_malformed_input_with_a_message() {
    let huge = "x".repeat(10 * 1024);
    for validator in ALL_VALIDATORS {
        for input in ["", "   ", "\u{0}\u{1b}[2J", huge.as_str()] {
            let message = validator
                .check(input, "Acme")
                .map(|a| a.value)
                .expect_err(&format!("{validator:?} accepted {:?}", input.get(..20)));
            assert!(
                !message.is_empty() && message.len() < 300,
                "{validator:?}: {message}"
            );
            assert!(
                !message.contains(&huge),
                "{validator:?} echoed 10 KB of input"
            );
        }
    }
}

#[test]
fn validators_survive_unicode() {
    for validator in ALL_VALIDATORS {
        for input in ["🦀🦀🦀", "e\u{301}", "\u{202e}evil", "名前@例え.jp"] {
            // Accepting is fine for free text; what matters is no panic and a clear answer.
            if let Err(message) = validator.check(input, "Acme") {
                assert!(!message.is_empty(), "{validator:?}");
            }
        }
    }
}

#[test]
fn secrets_are_never_echoed_by_their_validators() {
    let secret = "S3CR3T value with spaces";
    for validator in [Validator::ConsumerSecret, Validator::ConsumerKey] {
        let message = validator.check(secret, "").unwrap_err();
        assert!(!message.contains("S3CR3T"), "{message}");
    }
    let accepted = Validator::ConsumerSecret
        .check("  ABCDEF0123456789  ", "")
        .unwrap();
    assert_eq!(accepted.value, "ABCDEF0123456789");
}

#[test]
fn login_url_validator_reports_changes() {
    let accepted = Validator::LoginUrl
        .check("acme.lightning.force.com", "")
        .unwrap();
    assert_eq!(accepted.value, "https://acme.my.salesforce.com");
    assert!(!accepted.notes.is_empty());
}
