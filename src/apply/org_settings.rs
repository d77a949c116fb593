//! Org-wide settings, read with the Metadata API's SOAP `readMetadata` (the only read of a
//! Settings type: reference/deploy-and-mcp-apis.md §C, retrieve and read are SOAP-only). The
//! product reads what the org forces or allows before it changes anything that depends on it.

use crate::apply::session::Session;
use crate::net::SendLogged;
use crate::oauth::client::transport_detail;
use crate::terminal_safe::terminal_safe;

/// One checkbox of an org Settings type.
pub struct OrgFlag {
    /// The Settings type (`ExternalClientAppSettings`) and its member (`ExternalClientApp`).
    pub kind: &'static str,
    pub member: &'static str,
    pub field: &'static str,
    /// What Setup calls it.
    pub label: &'static str,
}

/// "Require PKCE for all apps": every app asks for PKCE, whatever its own checkbox
/// (`OauthOidcSettings.isPkceRequired`, API 59+; Metadata API `meta_oauthoidcsettings`,
/// field-facts-2026.md).
pub const PKCE_FOR_ALL_APPS: OrgFlag = OrgFlag {
    kind: "OauthOidcSettings",
    member: "OauthOidc",
    field: "isPkceRequired",
    label: "Require PKCE for all apps (OAuth and OpenID Connect Settings)",
};

/// Whether `flag` is on in the session's org.
pub async fn read(
    http: &reqwest::Client,
    session: &Session,
    version: &str,
    flag: &OrgFlag,
) -> anyhow::Result<bool> {
    let url = format!("{}/services/Soap/m/{version}", session.instance_url);
    let envelope = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:met="http://soap.sforce.com/2006/04/metadata">"#,
            "<soapenv:Header><met:SessionHeader><met:sessionId>{}</met:sessionId></met:SessionHeader></soapenv:Header>",
            "<soapenv:Body><met:readMetadata><met:type>{}</met:type>",
            "<met:fullNames>{}</met:fullNames></met:readMetadata></soapenv:Body></soapenv:Envelope>"
        ),
        crate::html::escape(session.token.expose()),
        flag.kind,
        flag.member,
    );
    let label = flag.label;
    let response = http
        .post(&url)
        .header("Content-Type", "text/xml; charset=UTF-8")
        .header("SOAPAction", "\"\"")
        .body(envelope)
        .send_logged()
        .await
        .map_err(|e| anyhow::anyhow!("reading {label} failed: {}", transport_detail(&e)))?;
    let status = response.status().as_u16();
    let body = crate::oauth::client::read_body(response)
        .await
        .map_err(|f| {
            anyhow::anyhow!(
                "reading {label} failed: {}",
                crate::oauth::client::unread(f)
            )
        })?;
    flag_in(&body, status, flag).map_err(|why| anyhow::anyhow!("reading {label} failed: {why}"))
}

/// The flag's value in a `readMetadata` answer. Only a record that is there and leaves the
/// field out means off (a Settings record lists its fields, one left out at its default);
/// anything else unreadable is an error, never "off": reading it as off would have the
/// setting turned on and then "back" off in an org that had it on.
fn flag_in(body: &str, status: u16, flag: &OrgFlag) -> Result<bool, String> {
    let document = roxmltree::Document::parse(body)
        .map_err(|_| format!("the answer (HTTP {status}) isn't the Metadata API's XML"))?;
    let element = |name: &str| {
        document
            .descendants()
            .find(|n| n.is_element() && n.tag_name().name() == name)
    };
    if let Some(fault) = element("faultstring") {
        return Err(terminal_safe(fault.text().unwrap_or_default().trim()));
    }
    if !(200..300).contains(&status) {
        return Err(format!("HTTP {status}"));
    }
    let record = element("records").ok_or("the answer holds no settings record")?;
    let value = record
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == flag.field)
        .map(|n| n.text().unwrap_or_default().trim().to_string());
    match value.as_deref() {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(format!("{} is {}", flag.field, terminal_safe(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRETS: OrgFlag = OrgFlag {
        kind: "ExternalClientAppSettings",
        member: "ExternalClientApp",
        field: "enableClientSecretInRestApiAccess",
        label: "the setting",
    };

    fn answer(record: &str) -> String {
        format!(
            r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><readMetadataResponse><result>{record}</result></readMetadataResponse></soapenv:Body></soapenv:Envelope>"#
        )
    }

    #[test]
    fn only_a_record_says_on_or_off_and_anything_unreadable_is_an_error() {
        let record = |fields: &str| {
            answer(&format!(
                r#"<records xsi:type="ExternalClientAppSettings"><fullName>ExternalClientApp</fullName>{fields}</records>"#
            ))
        };
        let on =
            record("<enableClientSecretInRestApiAccess>true</enableClientSecretInRestApiAccess>");
        assert_eq!(flag_in(&on, 200, &SECRETS), Ok(true));
        let off =
            record("<enableClientSecretInRestApiAccess>false</enableClientSecretInRestApiAccess>");
        assert_eq!(flag_in(&off, 200, &SECRETS), Ok(false));
        assert_eq!(
            flag_in(&record(""), 200, &SECRETS),
            Ok(false),
            "left out: its default"
        );
        let fault = r#"<e:Envelope xmlns:e="x"><e:Body><e:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>INVALID_SESSION_ID: Illegal Session</faultstring></e:Fault></e:Body></e:Envelope>"#;
        assert_eq!(
            flag_in(fault, 500, &SECRETS),
            Err("INVALID_SESSION_ID: Illegal Session".into())
        );
        for unreadable in [
            "<html><body>Log in</body></html>".to_string(),
            "not xml at all".to_string(),
            answer(""),
        ] {
            assert!(flag_in(&unreadable, 200, &SECRETS).is_err(), "{unreadable}");
        }
        let odd =
            record("<enableClientSecretInRestApiAccess>maybe</enableClientSecretInRestApiAccess>");
        assert!(flag_in(&odd, 200, &SECRETS).is_err());
    }
}
