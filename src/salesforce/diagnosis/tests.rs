use super::*;
use crate::salesforce::oauth_errors::ALL;

#[test]
fn every_known_error_has_a_diagnosis() {
    for error in ALL {
        let diagnosis = diagnose(
            Phase::Unknown,
            error.error,
            error.description,
            Window::Inside,
        );
        assert_ne!(diagnosis.kind, Kind::Unknown, "{error:?} has no rule");
        assert!(!diagnosis.message.is_empty());
    }
}

#[test]
fn the_phase_decides_which_secret_is_meant() {
    let target = |phase| {
        diagnose(
            phase,
            "invalid_client",
            "invalid client credentials",
            Window::Inside,
        )
        .target
    };
    assert_eq!(
        target(Phase::Refresh { secret_sent: false }),
        Some(Target::Setting(SettingKey::RequireSecretRefresh))
    );
    assert_eq!(
        target(Phase::CodeExchange { secret_sent: false }),
        Some(Target::Setting(SettingKey::RequireSecretWebServer))
    );
    assert_eq!(
        target(Phase::Refresh { secret_sent: true }),
        Some(Target::ConsumerSecret),
        "a secret was sent and refused: the secret is wrong, the key is right"
    );
}

#[test]
fn propagation_depends_on_the_window() {
    let kind = |window| diagnose(Phase::AuthorizePage, "invalid_client_id", "", window).kind;
    assert_eq!(kind(Window::Inside), Kind::Propagating);
    assert_eq!(kind(Window::After), Kind::Misconfigured);
    assert_eq!(kind(Window::Unknown), Kind::Propagating);
    let unknown = diagnose(Phase::Rest, "SOMETHING_NEW", "odd", Window::Inside);
    assert_eq!(unknown.kind, Kind::Unknown);
    assert!(unknown.message.contains("SOMETHING_NEW"));
}

#[test]
fn ambiguous_errors_rank_their_causes_by_what_is_known() {
    let mut context = Context::new(Phase::Unknown, Window::Unknown);
    let approved = |context: &Context| {
        diagnose_in(
            context,
            "invalid_grant",
            "user hasn't approved this consumer",
        )
    };
    context.flow = Some(Flow::JwtBearer);
    let for_jwt = approved(&context);
    assert_eq!(
        for_jwt.target,
        Some(Target::Setting(SettingKey::PermittedUsers))
    );
    assert!(!for_jwt.others.is_empty());
    assert!(for_jwt.tell_apart.is_some());
    context.flow = Some(Flow::AuthCode);
    let for_code = approved(&context);
    assert_eq!(for_code.kind, Kind::UserAction);

    let mut context = Context::new(Phase::Unknown, Window::Unknown);
    context.seen.password = true;
    let failure = diagnose_in(&context, "invalid_grant", "authentication failure");
    assert!(failure.message.contains("security token"), "{failure:?}");
    context.seen.password = false;
    context.flow = Some(Flow::JwtBearer);
    let failure = diagnose_in(&context, "invalid_grant", "authentication failure");
    assert_eq!(failure.target, Some(Target::LoginUrl), "{failure:?}");
}

#[test]
fn ip_restrictions_for_jwt_are_the_users_not_the_apps() {
    let jwt = diagnose(
        Phase::JwtBearer,
        "invalid_grant",
        "ip restricted",
        Window::After,
    );
    assert_eq!(jwt.target, Some(Target::IntegrationUser));
    let code = diagnose(
        Phase::CodeExchange { secret_sent: true },
        "invalid_grant",
        "ip restricted",
        Window::After,
    );
    assert_eq!(code.target, Some(Target::Setting(SettingKey::IpRelaxation)));
    assert_eq!(code.value.as_deref(), Some("Relax IP restrictions"));
}

#[test]
fn client_bugs_name_no_setting() {
    let verifier = diagnose(
        Phase::CodeExchange { secret_sent: true },
        "invalid_grant",
        "invalid code verifier",
        Window::After,
    );
    assert_eq!(verifier.kind, Kind::ClientBug);
    assert!(verifier.message.contains('~'));
    assert!(!verifier.kind.is_retryable());
}

#[test]
fn a_my_domain_audience_is_blamed_first_only_when_the_paste_shows_it() {
    let paste = "Error authenticating with JWT. Errors encountered: user hasn't approved this consumer [audience=https://acme.my.salesforce.com login=https://acme.my.salesforce.com]";
    let hints = crate::salesforce::extract::hints(paste);
    assert!(hints.my_domain_audience);
    assert!(
        !crate::salesforce::extract::hints("aud=https://login.salesforce.com").my_domain_audience
    );
    let mut context = Context::new(Phase::JwtBearer, Window::Unknown);
    let plain = diagnose_in(
        &context,
        "invalid_grant",
        "user hasn't approved this consumer",
    );
    assert_ne!(plain.kind, Kind::ClientBug, "{plain:?}");
    assert!(plain.others.iter().any(|c| c.kind == Kind::ClientBug));
    context.seen.my_domain_audience = true;
    let shown = diagnose_in(
        &context,
        "invalid_grant",
        "user hasn't approved this consumer",
    );
    assert_eq!(shown.kind, Kind::ClientBug, "{shown:?}");
}

/// During a code-flow login the question that tells the causes apart is about the code, not
/// about JWT bearer (issue 26); with the flow unknown, the JWT reading stays on offer.
#[test]
fn an_expired_code_asks_about_jwt_only_when_the_flow_is_unknown() {
    let mut context = Context::new(Phase::Unknown, Window::Unknown);
    context.flow = Some(Flow::AuthCode);
    let code = diagnose_in(&context, "invalid_grant", "expired authorization code");
    let question = code.tell_apart.clone().unwrap_or_default();
    assert!(question.contains("15 minutes"), "{code:?}");
    assert!(!question.contains("JWT"), "{code:?}");
    assert!(
        code.others.iter().all(|c| !c.message.contains("JWT")),
        "{code:?}"
    );
    context.flow = None;
    let unknown = diagnose_in(&context, "invalid_grant", "expired authorization code");
    assert!(unknown.tell_apart.is_some_and(|q| q.contains("JWT")));
}

#[test]
fn an_unknown_error_s_sentence_ends_once() {
    let d = diagnose(
        Phase::Rest,
        "SOMETHING_NEW",
        "Not currently enabled for this org.",
        Window::After,
    );
    assert_eq!(d.kind, Kind::Unknown);
    assert!(
        d.message.contains("for this org. This tool"),
        "{}",
        d.message
    );
    assert!(!d.message.contains(".."), "{}", d.message);
}
