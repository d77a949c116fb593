//! `/services/Soap/m/NN.0`: the Metadata API's SOAP endpoint, for the one call the product
//! makes there: `readMetadata` of org settings (a read is SOAP-only; reference/
//! deploy-and-mcp-apis.md §B.4, §C.4): `ExternalClientAppSettings` (member `ExternalClientApp`),
//! whether "Allow access to External Client App consumer secrets via REST API" is on before
//! changing it, and `OauthOidcSettings` (member `OauthOidc`), whether the org requires PKCE for
//! every app. The session goes in the `SessionHeader`; faults come as SOAP faults with HTTP 500.

use crate::emulator::Ctx;
use crate::emulator::http::{HostRole, Reply, Req};

const ENVELOPE_OPEN: &str = r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>"#;
const ENVELOPE_CLOSE: &str = "</soapenv:Body></soapenv:Envelope>";

fn xml(status: u16, body: &str) -> Reply {
    Reply {
        status,
        content_type: "text/xml;charset=UTF-8",
        headers: vec![],
        body: format!("{ENVELOPE_OPEN}{body}{ENVELOPE_CLOSE}").into_bytes(),
    }
}

/// A SOAP fault as the Metadata API sends one (`sf:` code, "CODE: message" string).
fn fault(code: &str, message: &str) -> Reply {
    xml(
        500,
        &format!(
            "<soapenv:Fault><faultcode xmlns:sf=\"http://soap.sforce.com/2006/04/metadata\">sf:{code}</faultcode><faultstring>{code}: {message}</faultstring></soapenv:Fault>"
        ),
    )
}

/// The text of the first element named `name` (any namespace) in the request.
fn element(document: &roxmltree::Document, name: &str) -> Option<String> {
    document
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == name)
        .map(|n| n.text().unwrap_or_default().trim().to_string())
}

pub fn handle(ctx: &mut Ctx, req: &Req) -> Reply {
    if req.method != "POST" {
        return fault(
            "INVALID_OPERATION",
            "The Metadata API takes SOAP requests as POST",
        );
    }
    let body = String::from_utf8_lossy(&req.body);
    let Ok(document) = roxmltree::Document::parse(&body) else {
        return fault("INVALID_XML", "The request isn't well-formed XML");
    };
    // "INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session" is the
    // fault users quote for a missing or dead session (e.g. forcedotcom/cli issues).
    let invalid = || {
        fault(
            "INVALID_SESSION_ID",
            "Invalid Session ID found in SessionHeader: Illegal Session",
        )
    };
    let Some(token) = element(&document, "sessionId") else {
        return invalid();
    };
    let Some(access) = ctx
        .store
        .access_token(&token, ctx.now)
        .filter(|_| req.host == HostRole::MyDomain)
    else {
        return invalid();
    };
    let admin = ctx
        .store
        .org
        .user_by_id(&access.user_id)
        .is_some_and(|u| u.active && u.api_enabled && u.admin);
    if !admin {
        // Reading settings needs Modify Metadata or Customize Application (wording UNCONFIRMED).
        return fault(
            "INSUFFICIENT_ACCESS",
            "insufficient access rights on cross-reference id",
        );
    }
    if !document
        .descendants()
        .any(|n| n.tag_name().name() == "readMetadata")
    {
        return fault("INVALID_OPERATION", "Only readMetadata is served here");
    }
    let kind = element(&document, "type").unwrap_or_default();
    let name = element(&document, "fullNames").unwrap_or_default();
    ctx.store.api_requests += 1;
    let org = &ctx.store.org;
    let fields = match (kind.as_str(), name.as_str()) {
        ("ExternalClientAppSettings", "ExternalClientApp") => format!(
            "<enableClientSecretInRestApiAccess>{}</enableClientSecretInRestApiAccess><enablePackageEcaOauthFromDevOrg>false</enablePackageEcaOauthFromDevOrg>",
            org.client_secret_in_rest_api
        ),
        ("OauthOidcSettings", "OauthOidc") => format!(
            "<isPkceRequired>{}</isPkceRequired>",
            org.pkce_required_org_wide
        ),
        // An unknown member reads as an empty record list.
        _ => {
            return xml(
                200,
                "<readMetadataResponse><result/></readMetadataResponse>",
            );
        }
    };
    xml(
        200,
        &format!(
            "<readMetadataResponse><result><records xsi:type=\"{kind}\"><fullName>{name}</fullName>{fields}</records></result></readMetadataResponse>"
        ),
    )
}
