//! Which org a profile belongs to, and whether an admin session is for that org. A consultant's
//! Salesforce CLI may point at another client's org than the profile's: `rotate`,
//! `status --drift` and a second `apply` compare the two before they read or change anything.

use crate::apply::session::Session;
use crate::profile::Profile;
use crate::terminal_safe::terminal_safe;

/// Two org ids name the same org when their first 15 characters match: the 18-character form
/// only adds a case checksum, and a session id carries the 15-character one.
pub fn same_org(a: &str, b: &str) -> bool {
    match (a.get(..15), b.get(..15)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// The org id a Salesforce session id starts with, before its `!` (sfdx-core's
/// `matchesAccessToken`: `^(00D\w{12,15})![.\w]*$`).
fn token_org(token: &str) -> Option<&str> {
    let (prefix, _) = token.split_once('!')?;
    let shaped = (prefix.len() == 15 || prefix.len() == 18)
        && prefix.starts_with("00D")
        && prefix.chars().all(|c| c.is_ascii_alphanumeric());
    shaped.then_some(prefix)
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OrgError {
    #[error(
        "can't tell which org {0} is for (no org id from the Salesforce CLI and the token doesn't carry one): use --target-org with a Salesforce CLI login of the profile's org"
    )]
    Unknown(String),
    #[error(
        "the Salesforce CLI says org {display} but its token is for org {token}: log in again (sf org login web --alias ALIAS)"
    )]
    Disagree { display: String, token: String },
    #[error("{0}")]
    Mismatch(Box<Mismatch>),
    #[error(
        "the profile {0} doesn't record its org (its connect couldn't read the identity): connect again with --save {0}, then retry"
    )]
    ProfileUnbound(String),
}

/// A session for another org than the profile's, with both named.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "{session} is for org {session_org} ({session_url}), but the profile {profile} belongs to org {profile_org} ({profile_url}). Nothing was read or changed. Pass --target-org with a login of the profile's org (sf org list shows them)."
)]
pub struct Mismatch {
    /// Where the session came from (`the Salesforce CLI's login acme`).
    pub session: String,
    pub session_org: String,
    pub session_url: String,
    pub profile: String,
    pub profile_org: String,
    pub profile_url: String,
}

/// The org the session is for: `sf org display`'s id and the token's own prefix, which must
/// agree when both are there.
pub fn session_org(session: &Session) -> Result<String, OrgError> {
    let from_token = token_org(session.token.expose());
    match (session.org_id.as_deref(), from_token) {
        (Some(display), Some(token)) if !same_org(display, token) => Err(OrgError::Disagree {
            display: terminal_safe(display),
            token: token.to_string(),
        }),
        (Some(display), _) => Ok(terminal_safe(display)),
        (None, Some(token)) => Ok(token.to_string()),
        (None, None) => Err(OrgError::Unknown(session.source.clone())),
    }
}

/// Refuses a session for another org than the profile's, naming both.
pub fn check(profile: &Profile, session: &Session) -> Result<(), OrgError> {
    let Some(profile_org) = profile.org_id.as_deref() else {
        return Err(OrgError::ProfileUnbound(profile.name.clone()));
    };
    let session_org = session_org(session)?;
    if same_org(profile_org, &session_org) {
        return Ok(());
    }
    Err(OrgError::Mismatch(Box::new(Mismatch {
        session: session.source.clone(),
        session_org,
        session_url: terminal_safe(&session.instance_url),
        profile: profile.name.clone(),
        profile_org: terminal_safe(profile_org),
        profile_url: terminal_safe(
            profile
                .instance_url
                .as_deref()
                .unwrap_or(profile.login_url.as_str()),
        ),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn session(org_id: Option<&str>, token: &str) -> Session {
        Session {
            instance_url: "https://b.my.salesforce.com".into(),
            username: None,
            org_id: org_id.map(String::from),
            api_version: None,
            target: Some("client-b".into()),
            token: Secret::new(token.to_string()),
            source: "the Salesforce CLI's login client-b".into(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn ids_compare_on_fifteen_characters() {
        assert!(same_org("00D5g0000000001EAA", "00D5g0000000001"));
        assert!(!same_org("00D5g0000000001EAA", "00D5g0000000002EAA"));
        assert!(!same_org("00D5g", "00D5g"), "too short to be an org id");
    }

    #[test]
    fn the_session_org_comes_from_the_cli_and_the_token_which_must_agree() {
        let token = "00D5g0000000002!AQ0AQxyz";
        assert_eq!(
            session_org(&session(Some("00D5g0000000002EAA"), token)),
            Ok("00D5g0000000002EAA".into())
        );
        assert_eq!(
            session_org(&session(None, token)),
            Ok("00D5g0000000002".into())
        );
        assert!(matches!(
            session_org(&session(Some("00D5g0000000001EAA"), token)),
            Err(OrgError::Disagree { .. })
        ));
        assert!(matches!(
            session_org(&session(None, "eyJhbGciOi.jwt.token")),
            Err(OrgError::Unknown(_))
        ));
    }

    #[test]
    fn another_org_is_refused_naming_both() {
        let profile: Profile = toml::from_str(
            r#"format = 2
name = "acme"
recipe = "custom"
flow = "client-credentials"
login_url = "https://a.my.salesforce.com"
instance_url = "https://a.my.salesforce.com"
client_id = "3MVG9key"
org_id = "00D5g0000000001EAA"
secrets = "keychain"
"#,
        )
        .expect("a profile");
        let other = session(Some("00D5g0000000002EAA"), "00D5g0000000002!AQ0AQxyz");
        let refused = check(&profile, &other).expect_err("another org");
        let text = refused.to_string();
        for part in [
            "00D5g0000000002EAA",
            "https://b.my.salesforce.com",
            "00D5g0000000001EAA",
            "https://a.my.salesforce.com",
            "client-b",
        ] {
            assert!(text.contains(part), "{part} in {text}");
        }
        let same = session(Some("00D5g0000000001EAA"), "00D5g0000000001!AQ0AQxyz");
        assert_eq!(check(&profile, &same), Ok(()));
    }
}
