//! No diagnosis contradicts itself: for every rule, in every context and for every recipe, the
//! value shown next to the setting is the value the message tells the admin to set.

use eca_wizard::commands::diagnosis_view::{CauseView, DiagnosisView};
use eca_wizard::recipe;
use eca_wizard::salesforce::Flow;
use eca_wizard::salesforce::diagnosis::{self, Context, Phase, Window, diagnose_in};
use eca_wizard::salesforce::extract::HostHint;
use eca_wizard::salesforce::settings::{self, Control};
use proptest::prelude::*;

/// Why a cause contradicts itself, if it does.
fn contradiction(cause: &CauseView) -> Option<String> {
    let (Some(label), Some(value)) = (cause.setting, cause.value.as_deref()) else {
        return None;
    };
    let info = settings::SettingKey::ALL
        .iter()
        .filter_map(|k| settings::lookup(*k))
        .find(|s| s.label == label)?;
    let message = cause.message.as_str();
    match info.control {
        Control::Checkbox => {
            let says_uncheck = message.contains("uncheck") || message.contains("unchecked");
            let says_check = message.replace("uncheck", "").contains("check");
            match value {
                "checked" if says_uncheck => {
                    Some(format!("{label}: checked, but the message unchecks"))
                }
                "unchecked" if !says_uncheck && says_check => {
                    Some(format!("{label}: unchecked, but the message checks"))
                }
                _ => None,
            }
        }
        Control::Choice(options) => options
            .iter()
            .find(|o| message.contains(**o) && !value.contains(**o))
            .map(|o| format!("{label}: value {value:?}, but the message says {o:?}")),
        Control::Text
        | Control::List
        | Control::Minutes(_)
        | Control::Period(_)
        | Control::SystemPermissions => None,
    }
}

fn contexts() -> impl Strategy<Value = Context> {
    let phase = prop_oneof![
        Just(Phase::Unknown),
        Just(Phase::AuthorizePage),
        Just(Phase::AuthorizeRedirect),
        any::<bool>().prop_map(|s| Phase::CodeExchange { secret_sent: s }),
        any::<bool>().prop_map(|s| Phase::Refresh { secret_sent: s }),
        Just(Phase::ClientCredentials),
        Just(Phase::JwtBearer),
        Just(Phase::Identity),
        Just(Phase::Rest),
    ];
    let window = prop_oneof![
        Just(Window::Inside),
        Just(Window::After),
        Just(Window::Unknown)
    ];
    let flow = prop_oneof![
        Just(None),
        Just(Some(Flow::AuthCode)),
        Just(Some(Flow::ClientCredentials)),
        Just(Some(Flow::JwtBearer))
    ];
    let host = prop_oneof![
        Just(None),
        Just(Some(HostHint::Login)),
        Just(Some(HostHint::Test)),
        Just(Some(HostHint::MyDomain))
    ];
    (
        phase,
        window,
        flow,
        host,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(phase, window, flow, host, mcp, password, refresh)| {
            let mut context = Context::new(phase, window);
            context.flow = flow;
            context.seen.host = host;
            context.seen.mcp = mcp;
            context.seen.password = password;
            context.seen.refresh = refresh;
            context
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn no_rule_contradicts_itself(context in contexts()) {
        let recipes = recipe::builtin().unwrap();
        for known in diagnosis::known() {
            let d = diagnose_in(&context, known.error, known.description);
            prop_assert!(!d.message.is_empty());
            for recipe in recipes {
                let view = DiagnosisView::new(&d, Some(recipe));
                for cause in &view.causes {
                    let wrong = contradiction(cause);
                    prop_assert!(wrong.is_none(), "{} {:?} in {}: {:?}", known.error, known.description, recipe.id, wrong);
                }
            }
        }
    }
}

#[test]
fn the_check_catches_the_contradictions_it_exists_for() {
    let view = |setting: &'static str, value: &str, message: &str| CauseView {
        kind: "misconfigured",
        step: None,
        step_title: None,
        setting: Some(setting),
        value: Some(value.into()),
        message: message.into(),
    };
    // The two the issue found: "relax" with Enforce, "admin approved" with self-authorize.
    assert!(
        contradiction(&view(
            "IP Relaxation",
            "Enforce IP restrictions",
            "relax: set IP Relaxation to Relax IP restrictions"
        ))
        .is_some()
    );
    assert!(
        contradiction(&view(
            "Permitted Users",
            settings::PERMITTED_SELF,
            "set Permitted Users to Admin approved users are pre-authorized"
        ))
        .is_some()
    );
    assert!(
        contradiction(&view(
            "Require secret for Refresh Token Flow",
            "checked",
            "uncheck Require secret for Refresh Token Flow"
        ))
        .is_some()
    );
    assert!(
        contradiction(&view(
            "Require secret for Refresh Token Flow",
            "unchecked",
            "uncheck Require secret for Refresh Token Flow"
        ))
        .is_none()
    );
}
