//! Org-wide settings, read with the Metadata API's SOAP `readMetadata` (the only read of a
//! Settings type: reference/deploy-and-mcp-apis.md §C, retrieve and read are SOAP-only). The
//! product reads what the org forces or allows before it changes anything that depends on it.

use crate::apply::session::Session;
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
        .send()
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
    if let Some(fault) = between(&body, "faultstring") {
        anyhow::bail!("reading {label} failed: {}", terminal_safe(&fault));
    }
    if !(200..300).contains(&status) {
        anyhow::bail!("reading {label} failed: HTTP {status}");
    }
    // A Settings record lists every field; one left out is at its default, off.
    Ok(between(&body, flag.field).as_deref() == Some("true"))
}

/// The text of the first element named `name` (any namespace) in an XML answer.
fn between(body: &str, name: &str) -> Option<String> {
    let document = roxmltree::Document::parse(body).ok()?;
    let node = document
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == name)?;
    Some(node.text().unwrap_or_default().trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_is_read_from_a_read_metadata_answer() {
        let on = r#"<soapenv:Body><readMetadataResponse><result><records xsi:type="ExternalClientAppSettings"><fullName>ExternalClientApp</fullName><enableClientSecretInRestApiAccess>true</enableClientSecretInRestApiAccess></records></result></readMetadataResponse>"#;
        let on = format!(
            r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{on}</soapenv:Body></soapenv:Envelope>"#
        );
        assert_eq!(
            between(&on, "enableClientSecretInRestApiAccess").as_deref(),
            Some("true")
        );
        let fault = r#"<e:Envelope xmlns:e="x" xmlns:sf="y"><e:Body><e:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>INVALID_SESSION_ID: Illegal Session</faultstring></e:Fault></e:Body></e:Envelope>"#;
        assert_eq!(
            between(fault, "faultstring").as_deref(),
            Some("INVALID_SESSION_ID: Illegal Session")
        );
        assert_eq!(
            between("<result/>", "enableClientSecretInRestApiAccess"),
            None
        );
    }
}
