//! How well each cause fits what is known of a failure: 0 impossible here, 1 possible, 2 likely,
//! 3 near certain (4 where the paste's own evidence names the cause).

use crate::salesforce::Flow;
use crate::salesforce::extract::HostHint;

use super::{Context, Phase, Window};

pub(super) fn always(_: &Context) -> bool {
    true
}
pub(super) fn possible(_: &Context) -> u8 {
    1
}
pub(super) fn refresh_without_secret(x: &Context) -> bool {
    x.phase == Phase::Refresh { secret_sent: false }
}
pub(super) fn code_without_secret(x: &Context) -> bool {
    x.phase == Phase::CodeExchange { secret_sent: false }
}
pub(super) fn only(flow: Flow, x: &Context) -> u8 {
    match x.flow() {
        Some(f) if f == flow => 3,
        Some(_) => 0,
        None => 1,
    }
}
pub(super) fn jwt(x: &Context) -> u8 {
    only(Flow::JwtBearer, x)
}
pub(super) fn client_credentials(x: &Context) -> u8 {
    only(Flow::ClientCredentials, x)
}
/// First only when the paste shows a My Domain audience (restforce#886: one gave "user hasn't
/// approved this consumer"); otherwise a JWT's last possibility, since the Salesforce CLI
/// itself tries that audience and this tool does as a last resort.
pub(super) fn my_domain_audience(x: &Context) -> u8 {
    match (x.seen.my_domain_audience, jwt(x)) {
        (true, _) => 4,
        (false, 0) => 0,
        (false, _) => 1,
    }
}
/// The login is known to be the authorization code flow.
pub(super) fn code_flow(x: &Context) -> bool {
    x.flow() == Some(Flow::AuthCode)
}

pub(super) fn not_jwt(x: &Context) -> u8 {
    u8::from(x.flow() != Some(Flow::JwtBearer))
}
pub(super) fn new_app(x: &Context) -> u8 {
    match x.window {
        Window::Inside => 3,
        Window::Unknown => 2,
        Window::After => 0,
    }
}
pub(super) fn old_app(x: &Context) -> u8 {
    match x.window {
        Window::After => 3,
        _ => 1,
    }
}
pub(super) fn wrong_host(x: &Context) -> u8 {
    match x.seen.host {
        Some(HostHint::Login | HostHint::Test) => 3,
        Some(HostHint::MyDomain) => 0,
        None => 1,
    }
}
/// The paste shows the login went to login.salesforce.com or test.salesforce.com.
pub(super) fn login_host(x: &Context) -> u8 {
    match x.seen.host {
        Some(HostHint::Login | HostHint::Test) => 3,
        _ => 1,
    }
}
/// A login shown off the org's My Domain: a login host, or client credentials, which works only on
/// the My Domain (ref salesforce-oauth.md: "Client credentials must use the My Domain host").
pub(super) fn off_my_domain(x: &Context) -> u8 {
    match (x.seen.host, x.flow()) {
        (Some(HostHint::MyDomain), _) => 0,
        (Some(_), _) | (None, Some(Flow::ClientCredentials)) => 3,
        (None, _) => 1,
    }
}
pub(super) fn salesforce_cli(x: &Context) -> u8 {
    if x.seen.tool == Some("the Salesforce CLI") {
        4
    } else {
        1
    }
}
/// A connector or tool that sends its own login host (claude-ai-mcp#986, n8n#28990): blamed first
/// when the paste shows one of them on login.salesforce.com or test.salesforce.com.
pub(super) fn fixed_host_client(x: &Context) -> u8 {
    let tool = x.seen.mcp || x.seen.tool.is_some();
    match (tool, x.seen.host) {
        (true, Some(HostHint::Login | HostHint::Test)) => 4,
        _ => 1,
    }
}
/// A sandbox (its user name or host) shown going to login.salesforce.com.
pub(super) fn sandbox_on_login(x: &Context) -> u8 {
    if x.seen.sandbox_on_login { 4 } else { 1 }
}
/// A data call shown going to a login host: the token is used where it wasn't issued.
pub(super) fn data_on_login_host(x: &Context) -> u8 {
    if x.seen.data_on_login_host { 3 } else { 1 }
}
/// An error pasted from another client (`explain`) rather than met by the wizard's own request.
pub(super) fn pasted(x: &Context) -> u8 {
    if x.phase == Phase::Unknown { 2 } else { 1 }
}
/// Salesforce refreshes a Named Credential's token itself when a callout answers 401 (Salesforce
/// KB 000381864), so a REST callout's refused session is not one left to expire: it is refused.
/// A SOAP callout answers 500 and is never refreshed (the same article): there it did expire.
fn refreshed_by_salesforce(x: &Context) -> bool {
    x.seen.named_credential && !x.seen.soap_path
}
/// A pasted client that didn't renew its session: not Salesforce's own callout.
pub(super) fn pasted_client(x: &Context) -> u8 {
    if refreshed_by_salesforce(x) {
        0
    } else {
        pasted(x)
    }
}
/// The session's IP checks: what is left when Salesforce itself renewed the token.
pub(super) fn refused_session(x: &Context) -> u8 {
    if refreshed_by_salesforce(x) {
        3
    } else {
        pasted(x)
    }
}
/// A Named Credential's SOAP callout, which Salesforce never refreshes.
pub(super) fn soap_callout(x: &Context) -> u8 {
    if x.seen.named_credential && x.seen.soap_path {
        4
    } else {
        0
    }
}
/// A pasted error from a server-to-server flow (JWT bearer, client credentials): every login is
/// the other client's own. Live, the wizard is the client and reuses its token, so the limit is
/// waited out as usual.
pub(super) fn machine_flow(x: &Context) -> u8 {
    match (x.phase, x.flow()) {
        (Phase::Unknown, Some(Flow::JwtBearer | Flow::ClientCredentials)) => 2,
        _ => 1,
    }
}
/// A gRPC client checks the server's certificate against the roots its own library ships
/// (grpc/grpc#8393: gRPC core uses its bundled roots.pem, not the system's; grpc/grpc#37602: an
/// old roots.pem lacks newer roots): with no proxy named, the client's list comes first.
pub(super) fn own_ca_list(x: &Context) -> u8 {
    if x.seen.grpc && !x.seen.proxy { 3 } else { 1 }
}
/// A proxy named in the paste makes the proxy's address the likely one Salesforce saw.
pub(super) fn proxied(x: &Context) -> u8 {
    if x.seen.proxy { 3 } else { 1 }
}
pub(super) fn mcp(x: &Context) -> u8 {
    if x.seen.mcp { 3 } else { 0 }
}
pub(super) fn password(x: &Context) -> u8 {
    match (x.seen.password, x.flow()) {
        (true, _) => 3,
        (false, Some(_)) => 0,
        (false, None) => 1,
    }
}
pub(super) fn not_password(x: &Context) -> u8 {
    if x.seen.password { 0 } else { 1 }
}
/// The client may send no secret here: a refresh or code exchange that sent one rules it out.
pub(super) fn refreshing(x: &Context) -> u8 {
    match x.phase {
        Phase::Refresh { secret_sent: true } | Phase::CodeExchange { .. } => 0,
        Phase::Refresh { secret_sent: false } => 3,
        _ if x.seen.refresh => 3,
        _ => 1,
    }
}
pub(super) fn exchanging(x: &Context) -> u8 {
    match x.phase {
        Phase::CodeExchange { secret_sent: true } | Phase::Refresh { .. } => 0,
        Phase::CodeExchange { secret_sent: false } => 3,
        _ if x.seen.refresh => 0,
        _ => 1,
    }
}
