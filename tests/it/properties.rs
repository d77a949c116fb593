//! Every parser that reads untrusted text, fed arbitrary input: it answers (a value or a message
//! that says what to fix) and never panics or hangs. Runs a few hundred cases each, briefly.

use eca_wizard::emulator::{Emulator, HostRole, Org, Req};
use eca_wizard::oauth::PasteError;
use eca_wizard::oauth::callback::{from_paste, from_query};
use eca_wizard::oauth::client::parse_error;
use eca_wizard::recipe::{self, Validator};
use eca_wizard::salesforce::hosts::normalize_login_url;
use eca_wizard::secret::Secret;
use proptest::prelude::*;

const VALIDATORS: [Validator; 15] = Validator::ALL;

/// Text that looks like what users paste: URLs, query strings, unicode, control characters.
fn pasted() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z]{1,12}://[a-zA-Z0-9.\\-:@\\[\\]%]{0,40}(/[a-zA-Z0-9%?=&#._\\-]{0,40})?",
        "(code|state|error|error_description)=[a-zA-Z0-9%+=\\-_.]{0,30}(&(code|state|error)=[^&]{0,20}){0,3}",
        "\\PC{0,200}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn login_urls_are_normalised_or_explained(input in pasted()) {
        match normalize_login_url(&input) {
            Ok(n) => {
                let url = n.host.url();
                prop_assert!(url.starts_with("https://") || url.starts_with("http://"));
                prop_assert!(!url.contains('?') && !url.contains('#') && !url.contains('@'));
            }
            Err(e) => prop_assert!(!e.to_string().is_empty() && e.to_string().len() < 300),
        }
    }

    #[test]
    fn validators_answer_every_input(input in pasted(), app in "\\PC{0,40}") {
        for validator in VALIDATORS {
            match validator.check(&input, &app) {
                Ok(accepted) => prop_assert!(accepted.value.len() <= input.len() + 64),
                Err(message) => prop_assert!(!message.is_empty() && message.len() < 400, "{validator:?}: {message}"),
            }
        }
    }

    #[test]
    fn pastes_and_callbacks_never_echo_a_code(input in pasted()) {
        let state = Secret::new("the-state");
        for result in [from_paste(&input, &state), from_query(&input, &state)] {
            // Refusals are fixed sentences: nothing of the paste (a code, a state) is echoed.
            if let Err(e) = result {
                let fixed = [PasteError::Empty, PasteError::WrongState, PasteError::NoCode, PasteError::Unrecognised, PasteError::ErrorWithoutState];
                prop_assert!(fixed.iter().any(|f| f.to_string() == e.to_string()), "{e}");
            }
        }
    }

    #[test]
    fn error_bodies_parse_or_fall_back(status in 100u16..600, body in pasted()) {
        let _ = parse_error(status, &body);
        let _ = eca_wizard::commands::explain::explain(&body);
    }

    #[test]
    fn recipe_and_org_files_refuse_garbage_clearly(text in pasted()) {
        if let Err(e) = recipe::parse("fuzz.toml", &text) {
            prop_assert!(e.to_string().starts_with("recipe fuzz.toml"));
        }
        let _ = Org::from_toml(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn the_emulator_answers_any_request_with_a_salesforce_shape(
        method in prop_oneof![Just("GET".to_string()), Just("POST".to_string()), Just("DELETE".to_string()), "[A-Z]{1,8}"],
        path in prop_oneof![
            Just("/services/oauth2/token".to_string()),
            Just("/services/oauth2/authorize".to_string()),
            Just("/services/oauth2/revoke".to_string()),
            Just("/services/oauth2/introspect".to_string()),
            Just("/services/oauth2/userinfo".to_string()),
            "/services/data/[a-zA-Z0-9./?=&%]{0,40}",
            "/id/[a-zA-Z0-9/]{0,40}",
            "/[\\x21-\\x7e]{0,40}",
        ],
        query in "[a-zA-Z0-9=&%_+.\\-]{0,60}",
        body in pasted(),
        form in any::<bool>(),
    ) {
        let emulator = EMULATOR.with(|e| e.clone());
        let mut headers = vec![("authorization".to_string(), format!("Bearer {}", body.chars().take(20).collect::<String>()))];
        if form {
            headers.push(("content-type".to_string(), "application/x-www-form-urlencoded".to_string()));
        }
        let target = if query.is_empty() { path.clone() } else { format!("{path}?{query}") };
        let req = Req::new(&method, HostRole::MyDomain, &target, headers, body.into_bytes());
        let reply = emulator.handle(&req);
        prop_assert!((200..600).contains(&reply.status));
        if reply.status >= 400 && reply.content_type.starts_with("application/json") {
            let value: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
            prop_assert!(value.get("error").is_some() || value.get(0).and_then(|v| v.get("errorCode")).is_some(), "{value}");
        }
    }
}

thread_local! {
    static EMULATOR: std::rc::Rc<Emulator> = std::rc::Rc::new(Emulator::start(eca_wizard::emulator::Config { org: Org::demo(), login_port: 0, my_domain_port: 0,
        mcp_port: 0, auto_approve: true }).unwrap());
}

/// Untrusted text at its worst for a line printer: every kind of line break, forged labels.
fn untrusted() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\u{0b}\u{0c}\u{85}".to_string()),
        Just("\u{2028}".to_string()),
        Just("\u{2029}".to_string()),
        Just("  ok   token  fine".to_string()),
        Just("Connected as admin@acme.com (6 checks passed).".to_string()),
        "\\PC{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|p| p.concat())
}

/// Renders with `make(text)` for each untrusted text and for a placeholder: the same number
/// of lines, each starting with the label the placeholder's line starts with (everything before
/// the placeholder). So no line appears that didn't start as a label line.
fn same_lines(evil: &str, benign: &str) {
    let placeholder = '◊';
    let evil_lines: Vec<&str> = evil.split('\n').collect();
    let benign_lines: Vec<&str> = benign.split('\n').collect();
    assert_eq!(
        evil_lines.len(),
        benign_lines.len(),
        "{evil:?}\nvs\n{benign:?}"
    );
    for (e, b) in evil_lines.iter().zip(&benign_lines) {
        let label = b.split(placeholder).next().unwrap_or_default();
        assert!(e.starts_with(label), "{e:?} should start with {label:?}");
    }
    let breaks = ['\r', '\u{0b}', '\u{0c}', '\u{85}', '\u{2028}', '\u{2029}'];
    assert!(!evil.contains(breaks), "{evil:?}");
}

mod printers {
    use super::*;
    use eca_wizard::commands::connect::{check_line, write_summary};
    use eca_wizard::commands::diagnosis_view::{CauseView, DiagnosisView};
    use eca_wizard::commands::status::{ProfileStatus, write_block};
    use eca_wizard::connect::{Outcome, Report};
    use eca_wizard::salesforce::diagnosis::{Diagnosis, Kind};
    use eca_wizard::verify::{Check, Identity, Status};

    fn view(t: &str) -> DiagnosisView {
        let cause = CauseView {
            kind: "misconfigured",
            step: Some(t.into()),
            step_title: Some(t.into()),
            setting: Some("Callback URL"),
            value: Some(t.into()),
            message: t.into(),
        };
        DiagnosisView {
            kind: "misconfigured",
            error: t.into(),
            step: Some(t.into()),
            step_title: Some(t.into()),
            setting: Some("Callback URL"),
            value: Some(t.into()),
            message: t.into(),
            causes: vec![cause.clone(), cause],
            tell_apart: Some(t.into()),
        }
    }

    fn checks(t: &str) -> Vec<Check> {
        [Status::Passed, Status::Failed, Status::Warning]
            .into_iter()
            .map(|status| Check {
                name: eca_wizard::verify::CheckName::object(t),
                status,
                detail: t.into(),
                diagnosis: None,
            })
            .collect()
    }

    fn written(write: impl Fn(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        write(&mut out);
        String::from_utf8(out).unwrap()
    }

    fn diagnosis_text(t: &str) -> String {
        written(|out| view(t).write_text(out).unwrap())
    }

    fn status_text(t: &str) -> String {
        let status = ProfileStatus {
            profile: t.into(),
            ok: false,
            choices: Default::default(),
            secrets_store: None,
            checks: checks(t),
            diagnosis: Some(view(t)),
        };
        written(|out| write_block(out, &status).unwrap())
    }

    fn connect_text(t: &str, diagnosed: bool) -> String {
        let recipe = recipe::builtin_by_id("aptedge").unwrap();
        let report = Report {
            outcome: Outcome::Connected,
            checks: checks(t),
            diagnosis: diagnosed.then(|| Diagnosis::new(Kind::Unknown, t, None, t)),
            instance_url: Some(t.into()),
            identity: Some(Identity {
                username: t.into(),
                user_id: t.into(),
                org_id: t.into(),
            }),
            attempts: 1,
            tokens: None,
        };
        let mut text: String = report.checks.iter().map(|c| check_line(c) + "\n").collect();
        text += &written(|out| write_summary(out, &report, recipe).unwrap());
        text
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn no_untrusted_text_starts_a_line(t in untrusted()) {
            let p = "◊";
            same_lines(&diagnosis_text(&t), &diagnosis_text(p));
            same_lines(&status_text(&t), &status_text(p));
            same_lines(&connect_text(&t, false), &connect_text(p, false));
            same_lines(&connect_text(&t, true), &connect_text(p, true));
        }

        #[test]
        fn explain_keeps_each_text_on_its_label_line(t in untrusted(), code in "[a-z_]{1,12}") {
            let encoded: String = url::form_urlencoded::byte_serialize(t.as_bytes()).collect();
            for paste in [
                format!("https://x.my.salesforce.com/cb?error={code}&error_description={encoded}"),
                format!("{{\"error\":\"{code}\",\"error_description\":\"{t}\"}}"),
                t.clone(),
            ] {
                let diagnosis = eca_wizard::commands::explain::explain(&paste);
                let recipe = recipe::builtin_by_id("aptedge").unwrap();
                let text = written(|out| DiagnosisView::new(&diagnosis, Some(recipe)).write_text(out).unwrap());
                let labels = ["  step:", "  setting:", "  error:", "Other possible causes:", "- ", "To tell them apart:"];
                for line in text.lines().skip(1) {
                    prop_assert!(labels.iter().any(|l| line.starts_with(l)), "{line:?} in {text:?}");
                }
                let breaks = ['\r', '\u{0b}', '\u{0c}', '\u{85}', '\u{2028}', '\u{2029}'];
                prop_assert!(!text.contains(breaks));
            }
        }
    }
}

mod pastes {
    use super::*;
    use eca_wizard::salesforce::extract::{signals, unescape};

    /// The first `unescape`, obviously right and quadratic: at each backslash, the whole run is
    /// counted again.
    fn reference_unescape(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if c == '\\' {
                let slashes = rest.bytes().take_while(|b| *b == b'\\').count();
                if let Some(&b) = rest
                    .as_bytes()
                    .get(slashes)
                    .filter(|b| matches!(b, b'"' | b'/'))
                {
                    out.push(b as char);
                    rest = &rest[slashes + 1..];
                    continue;
                }
            } else if c == '&' {
                let entities = [
                    ("&quot;", '"'),
                    ("&#34;", '"'),
                    ("&#39;", '\''),
                    ("&#x27;", '\''),
                    ("&amp;", '&'),
                    ("&lt;", '<'),
                    ("&gt;", '>'),
                ];
                if let Some((e, ch)) = entities.into_iter().find(|(e, _)| rest.starts_with(e)) {
                    out.push(ch);
                    rest = &rest[e.len()..];
                    continue;
                }
            }
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
        out
    }

    /// Pastes built from runs of what scanners count: backslashes, quotes, `%`, `{`, `&`
    /// entities, keys.
    fn adversarial() -> impl Strategy<Value = String> {
        let run = prop_oneof![
            (1..300usize).prop_map(|n| "\\".repeat(n)),
            (1..50usize).prop_map(|n| "\"".repeat(n)),
            (1..50usize).prop_map(|n| "\\\"".repeat(n)),
            (1..100usize).prop_map(|n| "%".repeat(n)),
            (1..100usize).prop_map(|n| "{".repeat(n)),
            (1..20usize).prop_map(|n| "&quot;&amp;&#x27;&".repeat(n)),
            (1..20usize).prop_map(|n| "error=".repeat(n)),
            (1..20usize).prop_map(|n| "aud=".repeat(n)),
            Just("\"error\":\"invalid_grant\",\"error_description\":\"x\"".to_string()),
            Just("invalid_grant: ".to_string()),
            Just("/".to_string()),
            "\\PC{0,8}",
        ];
        prop::collection::vec(run, 0..20).prop_map(|r| r.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn unescape_matches_its_reference(text in adversarial()) {
            prop_assert_eq!(unescape(&text), reference_unescape(&text));
        }

        #[test]
        fn runs_around_a_real_error_still_find_it(prefix in adversarial(), suffix in adversarial()) {
            let error = r#"{"error":"invalid_client_id","error_description":"client identifier invalid"}"#;
            let paste = format!("{prefix}\n{error}\n{suffix}");
            let known = eca_wizard::salesforce::diagnosis::known();
            let found = signals(&paste, &known);
            // Whatever the runs hold, nothing found is longer than a description may be.
            prop_assert!(found.iter().all(|s| s.error.chars().count() <= 2_001));
            let plain = signals(error, &known);
            prop_assert!(!plain.is_empty());
            if !prefix.contains(['"', '\\', '&', '\'']) && !suffix.contains(['"', '\\', '&', '\'']) {
                prop_assert!(found.iter().any(|s| s.error == "invalid_client_id"), "{found:?}");
            }
        }
    }
}
