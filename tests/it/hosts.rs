//! Host normalisation: every form an admin may type or paste.

use eca_wizard::salesforce::Flow;
use eca_wizard::salesforce::hosts::{HostError, HostKind, normalize_login_url};

/// (input, expected login URL, whether the user must be told something changed)
const ACCEPTED: &[(&str, &str, bool)] = &[
    (
        "https://login.salesforce.com",
        "https://login.salesforce.com",
        false,
    ),
    ("login.salesforce.com", "https://login.salesforce.com", true),
    ("production", "https://login.salesforce.com", false),
    ("PROD", "https://login.salesforce.com", false),
    (
        "https://test.salesforce.com/",
        "https://test.salesforce.com",
        false,
    ),
    ("sandbox", "https://test.salesforce.com", false),
    (
        "https://acme.my.salesforce.com",
        "https://acme.my.salesforce.com",
        false,
    ),
    (
        "HTTPS://ACME.MY.SALESFORCE.COM/",
        "https://acme.my.salesforce.com",
        false,
    ),
    (
        "  https://acme.my.salesforce.com  ",
        "https://acme.my.salesforce.com",
        true,
    ),
    (
        "http://acme.my.salesforce.com",
        "https://acme.my.salesforce.com",
        true,
    ),
    (
        "acme.my.salesforce.com:443",
        "https://acme.my.salesforce.com",
        true,
    ),
    (
        "https://acme.lightning.force.com/lightning/setup/SetupOneHome/home",
        "https://acme.my.salesforce.com",
        true,
    ),
    (
        "https://aptedgepbo.lightning.force.com",
        "https://aptedgepbo.my.salesforce.com",
        true,
    ),
    (
        "https://acme--uat.sandbox.lightning.force.com/lightning/page/home",
        "https://acme--uat.sandbox.my.salesforce.com",
        true,
    ),
    (
        "https://acme--uat.sandbox.my.salesforce.com",
        "https://acme--uat.sandbox.my.salesforce.com",
        false,
    ),
    (
        "https://orgfarm-1a2b-dev-ed.develop.lightning.force.com/one/one.app",
        "https://orgfarm-1a2b-dev-ed.develop.my.salesforce.com",
        true,
    ),
    (
        "https://acme.develop.my.salesforce.com",
        "https://acme.develop.my.salesforce.com",
        false,
    ),
    (
        "https://acme.scratch.my.salesforce.com",
        "https://acme.scratch.my.salesforce.com",
        false,
    ),
    (
        "https://acme.patch.my.salesforce.com",
        "https://acme.patch.my.salesforce.com",
        false,
    ),
    (
        "https://acme.trailblaze.lightning.force.com",
        "https://acme.trailblaze.my.salesforce.com",
        true,
    ),
    (
        "https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home",
        "https://acme.my.salesforce.com",
        true,
    ),
    (
        "https://acme--c.vf.force.com/apex/Page",
        "https://acme.my.salesforce.com",
        true,
    ),
    (
        "https://acme--uat--c.sandbox.vf.force.com/apex/Page",
        "https://acme--uat.sandbox.my.salesforce.com",
        true,
    ),
    (
        "https://agency.lightning.crmforce.mil",
        "https://agency.my.salesforce.mil",
        true,
    ),
    (
        "https://agency.my.salesforce.mil",
        "https://agency.my.salesforce.mil",
        false,
    ),
    (
        "https://acme.my-lightning.com/lightning",
        "https://acme.my-salesforce.com",
        true,
    ),
    (
        "https://acme.my-salesforce.com",
        "https://acme.my-salesforce.com",
        false,
    ),
    (
        "https://acme.lightning.sfcrmapps.cn",
        "https://acme.my.sfcrmproducts.cn",
        true,
    ),
    ("http://127.0.0.1:8443", "http://127.0.0.1:8443", false),
    ("localhost:9000", "http://localhost:9000", true),
    (
        "http://[::1]:7000/services/oauth2/token",
        "http://[::1]:7000",
        true,
    ),
];

#[test]
fn accepted_forms_normalise_to_the_login_host() {
    for (input, expected, changed) in ACCEPTED {
        let normalized =
            normalize_login_url(input).unwrap_or_else(|e| panic!("{input:?} was refused: {e}"));
        assert_eq!(normalized.host.url(), *expected, "input {input:?}");
        assert_eq!(
            !normalized.changes.is_empty(),
            *changed,
            "input {input:?} changes {:?}",
            normalized.changes
        );
    }
}

#[test]
fn lightning_urls_say_what_changed() {
    let n = normalize_login_url("https://acme.lightning.force.com/lightning/setup/x").unwrap();
    let said = n.changes.join(" ");
    assert!(said.contains("Lightning"), "{said}");
    assert!(said.contains("path"), "{said}");
}

#[test]
fn host_kinds_are_classified() {
    let kind = |s: &str| normalize_login_url(s).unwrap().host.kind().clone();
    assert_eq!(kind("login.salesforce.com"), HostKind::Production);
    assert_eq!(kind("test.salesforce.com"), HostKind::Sandbox);
    assert_eq!(
        kind("acme--uat.sandbox.my.salesforce.com"),
        HostKind::MyDomain {
            name: "acme--uat".into(),
            partition: Some("sandbox".into())
        }
    );
    assert_eq!(
        kind("acme.my.salesforce.com"),
        HostKind::MyDomain {
            name: "acme".into(),
            partition: None
        }
    );
    assert_eq!(kind("127.0.0.1:1"), HostKind::Loopback);
}

#[test]
fn refused_forms_say_what_to_enter() {
    let cases: &[(&str, HostError)] = &[
        ("", HostError::Empty),
        ("   \t ", HostError::Empty),
        ("https://acme .my.salesforce.com", HostError::Whitespace),
        ("https://açme.my.salesforce.com", HostError::NotAscii),
        (
            "https://user:hunter2@acme.my.salesforce.com",
            HostError::Credentials,
        ),
        (
            "ftp://acme.my.salesforce.com",
            HostError::Scheme("ftp".into()),
        ),
        (
            "https://na123.salesforce.com",
            HostError::Instanced("na123.salesforce.com".into()),
        ),
        (
            "https://example.com",
            HostError::NotSalesforce("example.com".into()),
        ),
        (
            "https://acme.my.site.com",
            HostError::ExperienceSite("acme.my.site.com".into()),
        ),
        ("https:///services", HostError::NoHost),
        (
            "https://acme.my.salesforce.com:notaport",
            HostError::Unparseable("acme.my.salesforce.com:notaport".into()),
        ),
        (
            "https://a.b.my.salesforce.com",
            HostError::NotSalesforce("a.b.my.salesforce.com".into()),
        ),
    ];
    for (input, expected) in cases {
        let error = normalize_login_url(input).expect_err(input);
        assert_eq!(&error, expected, "input {input:?}");
        let message = error.to_string();
        assert!(message.len() < 200, "message too long: {message}");
    }
}

#[test]
fn huge_and_unicode_input_is_refused_without_echo() {
    let huge = format!("https://{}.my.salesforce.com", "a".repeat(10 * 1024));
    let error = normalize_login_url(&huge).unwrap_err();
    assert!(matches!(error, HostError::TooLong(_)));
    assert!(error.to_string().len() < 200);
    for input in [
        "🦀",
        "https://🦀.my.salesforce.com",
        "ｈｔｔｐｓ://acme.my.salesforce.com",
    ] {
        assert_eq!(
            normalize_login_url(input).unwrap_err(),
            HostError::NotAscii,
            "{input}"
        );
    }
}

#[test]
fn credentials_in_a_pasted_url_are_never_echoed() {
    let error = normalize_login_url("https://admin:S3cretPass@acme.my.salesforce.com").unwrap_err();
    assert!(!error.to_string().contains("S3cretPass"));
}

#[test]
fn client_credentials_is_refused_on_generic_hosts() {
    for generic in ["production", "sandbox"] {
        let host = normalize_login_url(generic).unwrap().host;
        let error = host.check_flow(Flow::ClientCredentials).unwrap_err();
        assert!(error.to_string().contains("My Domain"), "{error}");
        assert!(host.check_flow(Flow::AuthCode).is_ok());
        assert!(host.check_flow(Flow::JwtBearer).is_ok());
    }
    let my_domain = normalize_login_url("acme.my.salesforce.com").unwrap().host;
    assert!(my_domain.check_flow(Flow::ClientCredentials).is_ok());
}

#[test]
fn lightning_origin_is_derived_for_setup_pages() {
    let host = normalize_login_url("acme--uat.sandbox.my.salesforce.com")
        .unwrap()
        .host;
    assert_eq!(
        host.lightning_origin().as_deref(),
        Some("https://acme--uat.sandbox.lightning.force.com")
    );
    assert_eq!(
        normalize_login_url("production")
            .unwrap()
            .host
            .lightning_origin(),
        None
    );
}

/// The Salesforce CLI's `instanceUrl` is untrusted: only an origin on a My Domain (or instanced)
/// host, or loopback, may receive the admin's token.
#[test]
fn an_instance_url_is_reduced_to_a_my_domain_origin() {
    use eca_wizard::salesforce::instance::{InstanceError, instance_origin};
    let accepted = [
        (
            "https://acme.my.salesforce.com",
            "https://acme.my.salesforce.com",
        ),
        (
            "https://acme.my.salesforce.com/",
            "https://acme.my.salesforce.com",
        ),
        (
            "https://ACME.My.Salesforce.com:443/",
            "https://acme.my.salesforce.com",
        ),
        (
            "https://acme--uat.sandbox.my.salesforce.com",
            "https://acme--uat.sandbox.my.salesforce.com",
        ),
        (
            "https://acme.my.salesforce.mil",
            "https://acme.my.salesforce.mil",
        ),
        ("https://na1.salesforce.com", "https://na1.salesforce.com"),
        ("http://127.0.0.1:4711", "http://127.0.0.1:4711"),
        ("http://localhost:4711/", "http://localhost:4711"),
        ("http://[::1]:4711", "http://[::1]:4711"),
    ];
    for (input, origin) in accepted {
        let found = instance_origin(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(found.url, origin, "{input}");
        assert!(found.changes.is_empty(), "{input}: {:?}", found.changes);
    }
    // A UI host maps to the org's My Domain, and says so.
    let mapped = instance_origin("https://acme.lightning.force.com").unwrap();
    assert_eq!(mapped.url, "https://acme.my.salesforce.com");
    assert!(!mapped.changes.is_empty());

    let refused = [
        ("https://acme.my.salesforce.com/steal?x=", "path"),
        ("https://acme.my.salesforce.com?x=1", "query"),
        ("https://acme.my.salesforce.com/#frag", "fragment"),
        ("https://admin:pw@acme.my.salesforce.com", "user name"),
        ("https://acme.force.com", "Site"),
        ("https://acme.secure.force.com", "Site"),
        ("https://acme.my.site.com", "Site"),
        ("https://acme.my.salesforce-sites.com", "Site"),
        ("https://acme--c.visualforce.com", "Site"),
        ("http://acme.my.salesforce.com", "https only"),
        ("ftp://acme.my.salesforce.com", "https only"),
        ("https://acme.my.salesforce.com:8443", "port 8443"),
        ("https://login.salesforce.com", "shared login host"),
        ("https://evil.example.com", "not a Salesforce"),
        (
            "https://acme.my.salesforce.com.evil.example",
            "not a Salesforce",
        ),
        ("acme.my.salesforce.com", "not a URL"),
        ("", "not a URL"),
    ];
    for (input, said) in refused {
        let error = instance_origin(input).expect_err(input);
        let message = error.to_string();
        assert!(message.contains(said), "{input}: {message}");
        assert!(
            !message.contains("steal") && !message.contains("pw"),
            "{message}"
        );
    }
    assert_eq!(
        instance_origin("https://x@acme.my.salesforce.com"),
        Err(InstanceError::Credentials)
    );
}

/// JWT audiences follow the org type a host names (sfdx-core's order: the documented one first).
#[test]
fn jwt_audiences_follow_the_host_s_org_type() {
    let audiences = |url: &str| {
        eca_wizard::salesforce::hosts::normalize_login_url(url)
            .unwrap()
            .host
            .jwt_audiences()
    };
    assert_eq!(
        audiences("login.salesforce.com"),
        ["https://login.salesforce.com"]
    );
    assert_eq!(
        audiences("test.salesforce.com"),
        ["https://test.salesforce.com"]
    );
    assert_eq!(
        audiences("acme--uat.sandbox.my.salesforce.com"),
        [
            "https://test.salesforce.com",
            "https://login.salesforce.com",
            "https://acme--uat.sandbox.my.salesforce.com"
        ]
    );
    assert_eq!(
        audiences("acme.my.salesforce.com")[..2],
        [
            "https://login.salesforce.com",
            "https://test.salesforce.com"
        ]
    );
}
