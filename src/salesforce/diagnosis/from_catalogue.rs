//! A diagnosis from a catalogue row (`salesforce::catalogue`): what Salesforce documents the code
//! means, then its usual fixes, the one the paste's evidence points at first.

use crate::salesforce::Flow;
use crate::salesforce::catalogue::{Entry, EntryCause, Evidence, Place};
use crate::salesforce::extract::HostHint;
use crate::salesforce::settings::SettingKey;

use super::{Cause, Context, Diagnosis, Phase, Target};

pub(super) fn diagnose(
    entry: &Entry,
    context: &Context,
    error: &str,
    description: &str,
) -> Diagnosis {
    let mut ranked: Vec<(u8, &EntryCause)> =
        entry.cause.iter().map(|c| (fit(c, context), c)).collect();
    // Fit, then the paste's clues; among equals the row's order (its most common cause first).
    ranked.sort_by_cached_key(|(score, c)| {
        std::cmp::Reverse((*score, context.clues.shared_with(&c.fix)))
    });
    let mut causes: Vec<Cause> = ranked
        .into_iter()
        .map(|(_, c)| Cause {
            kind: c.kind,
            target: target(c.target),
            value: None,
            message: match (c.evidence, context.seen.tool) {
                // The tool the paste names, with the row's version advice.
                (Some(Evidence::Tool), Some(tool)) => format!("{tool}: {}", c.fix),
                _ => c.fix.clone(),
            },
        })
        .collect();
    let first = causes.remove(0);
    let said = if description.is_empty() {
        String::new()
    } else {
        format!(" (\"{}\")", description.trim_end_matches('.'))
    };
    let tell = entry.tell.clone().or_else(|| {
        (!causes.is_empty()).then(|| {
            "Which of these fits? Login History (Setup > Users > the user) and the full error text tell."
                .to_string()
        })
    });
    Diagnosis {
        kind: first.kind,
        error: error.to_string(),
        target: first.target,
        value: None,
        message: if entry.documented_by_salesforce() {
            format!(
                "Salesforce documents {error}{said} as: {} {}",
                entry.meaning, first.message
            )
        } else {
            // A client's words or a network failure: the meaning is ours, not Salesforce's.
            format!("{error}{said}: {} {}", entry.meaning, first.message)
        },
        others: causes,
        tell_apart: tell,
    }
}

/// 3 where the paste shows this cause's evidence, 2 for a cause that needs none, 1 otherwise.
fn fit(cause: &EntryCause, x: &Context) -> u8 {
    let Some(evidence) = cause.evidence else {
        return 2;
    };
    let flow = x.flow();
    let shown = match evidence {
        Evidence::Password => x.seen.password,
        Evidence::Jwt => flow == Some(Flow::JwtBearer) || x.phase == Phase::JwtBearer,
        Evidence::ClientCredentials => flow == Some(Flow::ClientCredentials),
        Evidence::AuthCode => flow == Some(Flow::AuthCode),
        Evidence::Refresh => x.seen.refresh || matches!(x.phase, Phase::Refresh { .. }),
        Evidence::LoginHost => matches!(x.seen.host, Some(HostHint::Login | HostHint::Test)),
        Evidence::SandboxOnLogin => x.seen.sandbox_on_login,
        Evidence::OauthPath => x.seen.oauth_path,
        Evidence::Proxy => x.seen.proxy,
        Evidence::Tool => x.seen.tool.is_some(),
        Evidence::LightningHost => x.seen.lightning_host,
        Evidence::InstanceHost => x.seen.instance_host,
        Evidence::SoapPath => x.seen.soap_path,
        Evidence::IdentityPath => x.seen.identity_path,
    };
    if shown { 3 } else { 1 }
}

fn target(place: Place) -> Option<Target> {
    match place {
        Place::User => Some(Target::IntegrationUser),
        Place::LoginUrl => Some(Target::LoginUrl),
        Place::Client => Some(Target::Client),
        Place::Credentials => Some(Target::Credentials),
        Place::Secret => Some(Target::ConsumerSecret),
        Place::Mcp => Some(Target::McpServer),
        Place::ApiEnabled => Some(Target::Setting(SettingKey::ApiEnabled)),
        Place::Scopes => Some(Target::Setting(SettingKey::OauthScopes)),
        Place::ObjectAccess => Some(Target::ObjectAccess("the object".to_string())),
        Place::None => None,
    }
}
