//! A session for another org than the profile's: every form of an org id, case, tokens without
//! `!`, the CLI and its token disagreeing, a token on stdin, a profile that records no org.

use eca_wizard::apply::org_binding::{self, OrgError};

use super::*;

/// Every form of an org id binds only its own org: 15 and 18 characters agree, a case change
/// (another 15-character id), the CLI and its token disagreeing, a token that names no org, a
/// profile that records none, all refused.
#[test]
fn a_session_for_another_org_is_refused_in_every_form() {
    let bound = profile(Some(ORG_1));
    let base = "https://b.my.salesforce.com";
    let check =
        |org: Option<&str>, token: &str| org_binding::check(&bound, &session(base, token, org));
    // The same org, however written.
    assert_eq!(check(Some(ORG_1), "00D5g0000000001!AQ0x"), Ok(()));
    assert_eq!(
        check(Some("00D5g0000000001"), "00D5g0000000001EAA!AQ0x"),
        Ok(())
    );
    assert_eq!(check(None, "00D5g0000000001!AQ0x"), Ok(()));
    // Another org: by case (15-character ids are case-sensitive), by digit, by the token.
    for (org, token) in [
        (Some("00D5G0000000001EAA"), "opaque-token-without-an-org"),
        (Some(ORG_2), "00D5g0000000002!AQ0x"),
        (None, "00D5g0000000002!AQ0x"),
        (None, "00D5g0000000002EAA!AQ0x"),
        (Some("00d5g0000000001eaa"), "opaque"),
    ] {
        assert!(
            matches!(check(org, token), Err(OrgError::Mismatch(_))),
            "{org:?} {token}: {:?}",
            check(org, token)
        );
    }
    // The CLI says the profile's org but its token is another's (or the other way round).
    for (org, token) in [
        (Some(ORG_1), "00D5g0000000002!AQ0x"),
        (Some(ORG_2), "00D5g0000000001!AQ0x"),
        (Some("00D5G0000000001EAA"), "00D5g0000000001!AQ0x"),
        (Some(""), "00D5g0000000001!AQ0x"),
    ] {
        assert!(
            matches!(check(org, token), Err(OrgError::Disagree { .. })),
            "{org:?} {token}: {:?}",
            check(org, token)
        );
    }
    // Nothing says which org: refused, whatever the token looks like.
    for token in [
        "eyJhbGciOi.jwt.token",
        "00D5g0000000001",
        "00d5g0000000001!AQ0x",
        "00D5g000000001!AQ0x",
        "00D5g0000000001/x!AQ0x",
        "!00D5g0000000001",
    ] {
        assert!(
            matches!(check(None, token), Err(OrgError::Unknown(_))),
            "{token}: {:?}",
            check(None, token)
        );
    }
    // A profile that records no org (or an empty one) binds to none.
    let unbound = profile(None);
    assert!(matches!(
        org_binding::check(
            &unbound,
            &session(base, "00D5g0000000001!AQ0x", Some(ORG_1))
        ),
        Err(OrgError::ProfileUnbound(_))
    ));
    let empty = profile(Some(""));
    assert!(
        org_binding::check(&empty, &session(base, "00D5g0000000001!AQ0x", Some(ORG_1))).is_err()
    );
    // A hostile id from the CLI is named, never printed raw.
    let hostile = "00D5g0000000002\u{1b}]52;c;x\u{7}\n  ok   forged".to_string();
    let refused = check(Some(&hostile), "opaque").unwrap_err().to_string();
    assert!(
        !refused.contains('\u{1b}') && !refused.contains('\n'),
        "{refused}"
    );
}

/// `rotate sbs` given another org's session every way a command takes one: a token on stdin for
/// B (with A's or B's URL), a token naming no org, the CLI saying A while its token is B's, and a
/// profile edited to record no org. Each is refused before anything reaches either org.
#[tokio::test]
async fn rotate_with_another_orgs_session_reaches_no_org() {
    let a = org_with_profile("rotate-other").await;
    a.emulator.set_client_secret_in_rest_api(true);
    let mut other_org = eca_wizard::emulator::Org::demo();
    other_org.org_id = eca_wizard::emulator::ids::org_id(2);
    let b = start_with(other_org, true);
    b.set_client_secret_in_rest_api(true);
    let b_token = admin_token(&b).await;
    let (a_from, b_from) = (a.emulator.request_log().len(), b.request_log().len());
    let without_org = b_token.replace('!', "");
    let stdin_cases = [
        (
            a.emulator.my_domain_url(),
            b_token.as_str(),
            "belongs to org",
        ),
        (b.my_domain_url(), b_token.as_str(), "belongs to org"),
        (
            b.my_domain_url(),
            without_org.as_str(),
            "can't tell which org",
        ),
    ];
    for (url, token, expected) in stdin_cases {
        let mut child = sf_command(&a.sf, &a.emulator, &a.admin_token, "current", Some(&a.home))
            .args([
                "rotate",
                "sbs",
                "--allow-secret-access",
                "--instance-url",
                url,
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            writeln!(stdin, "{token}").unwrap();
        }
        let output = child.wait_with_output().unwrap();
        let text = said(&output);
        assert_ne!(output.status.code(), Some(0), "{text}");
        assert!(text.contains(expected), "{url}: {text}");
        assert!(
            !text.contains(&b_token) && !text.contains(&without_org),
            "{text}"
        );
    }
    // The CLI's `org display` says A, its token is B's.
    let output = sf_command(&a.sf, &a.emulator, &b_token, "current", Some(&a.home))
        .args([
            "rotate",
            "sbs",
            "--target-org",
            "acme",
            "--allow-secret-access",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", said(&output));
    assert!(
        said(&output).contains("its token is for org"),
        "{}",
        said(&output)
    );
    // A profile edited to record no org.
    let file = a.home.join("profiles/sbs.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let unbound: String = text
        .lines()
        .filter(|l| !l.starts_with("org_id"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(text, unbound, "the profile recorded its org");
    std::fs::write(&file, unbound).unwrap();
    let output = run_with_sf(
        &a.sf,
        &a.emulator,
        &a.admin_token,
        "current",
        Some(&a.home),
        &[
            "rotate",
            "sbs",
            "--target-org",
            "acme",
            "--allow-secret-access",
        ],
    );
    assert_ne!(output.status.code(), Some(0), "{}", said(&output));
    assert!(
        said(&output).contains("doesn't record its org"),
        "{}",
        said(&output)
    );
    assert_eq!(org_work_since(&a.emulator, a_from), Vec::<String>::new());
    assert_eq!(org_work_since(&b, b_from), Vec::<String>::new());
    assert_eq!(a.emulator.app(DEMO_APP).unwrap().consumer_key, KEY);
}
