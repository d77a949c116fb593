//! Every parser that reads untrusted text, fed arbitrary input: it answers (a value or a message
//! that says what to fix) and never panics or hangs. Runs a few hundred cases each, briefly.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on purpose

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
