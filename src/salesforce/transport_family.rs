//! Failures below HTTP, by family: the words Node, Python, Java, .NET, Go, curl and OpenSSL use
//! for a name that doesn't resolve, a refused or reset connection, a timeout, a TLS version or
//! certificate problem, or a proxy that wants a login or refuses the host. Pure text in, family
//! out, so a pasted log (`explain`) and a live failure's detail can share it. Each family's
//! meaning and fixes are rows of the error catalogue (`assets/catalogue/errors.toml`).

/// How the connection failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Dns,
    Refused,
    Reset,
    Timeout,
    /// TLS spoken to something that isn't TLS, or a version the other side refuses.
    TlsVersion,
    /// A certificate not trusted (usually a proxy that inspects HTTPS).
    Certificate,
    /// A proxy answered 407.
    ProxyAuth,
    /// A proxy answered 403 to the tunnel.
    ProxyForbidden,
    /// A proxy is set and couldn't be used (no answer, or an answer that isn't a proxy's).
    ProxyUnreachable,
    /// A connection failed and the paste doesn't say how (a wrapper's words without the cause).
    Unreachable,
}

impl Family {
    /// The catalogue code of the family.
    pub fn code(self) -> &'static str {
        match self {
            Family::Dns => "dns_failure",
            Family::Refused => "connection_refused",
            Family::Reset => "connection_reset",
            Family::Timeout => "connection_timeout",
            Family::TlsVersion => "tls_version",
            Family::Certificate => "tls_untrusted",
            Family::ProxyAuth => "proxy_auth_required",
            Family::ProxyForbidden => "proxy_forbidden",
            Family::ProxyUnreachable => "proxy_unreachable",
            Family::Unreachable => "connection_failed",
        }
    }
}

/// A transport failure found in a text, with the host it names when it names one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub family: Family,
    pub host: Option<String>,
}

/// Lower-case words of each family, most specific family first (the first family with a match
/// wins).
const MARKERS: &[(Family, &[&str])] = &[
    (
        Family::TlsVersion,
        &[
            "wrong version number",
            "eproto",
            "unsupported protocol",
            "unknown protocol",
            "protocol_version",
            "protocol version",
            "no protocols available",
            "tls 1.0 has been disabled",
            // .NET before 4.6 offers TLS 1.0 by default; these are its words for the refusal.
            "an unexpected error occurred on a send",
            "could not create ssl/tls secure channel",
            "handshake_failure",
            "handshake failure",
            "remote host terminated the handshake",
            "ssl connect error",
        ],
    ),
    (
        Family::Certificate,
        &[
            "unable to get local issuer certificate",
            "self signed certificate",
            "self-signed certificate",
            "certificate_verify_failed",
            "certificate verify failed",
            "pkix path building failed",
            "unable to find valid certification path",
            "unable_to_verify_leaf_signature",
            "unable to verify the first certificate",
            "certificate has expired",
            "cert_has_expired",
            "certificate signed by unknown authority",
            "invalidcertificate",
            "unknownissuer",
            "does not match certificate",
            "err_tls_cert_altname_invalid",
            "remote certificate is invalid",
            "could not establish trust relationship",
            "ssl certificate problem",
            "unable_to_get_issuer_cert_locally",
            "depth_zero_self_signed_cert",
            "self_signed_cert_in_chain",
        ],
    ),
    (
        Family::Dns,
        &[
            "enotfound",
            "eai_again",
            "getaddrinfo",
            "name or service not known",
            "nodename nor servname",
            "no such host is known",
            "unknownhostexception",
            "could not resolve host",
            "couldn't resolve host",
            "failed to resolve",
            "name resolution",
            "nameresolutionerror",
            "dns error",
            "failed to lookup address",
            "no address associated with hostname",
            "remote name could not be resolved",
            "no such host",
        ],
    ),
    (
        Family::Refused,
        &[
            "econnrefused",
            "connection refused",
            "actively refused",
            "connectionrefusederror",
            "ehostunreach",
            "enetunreach",
            "network is unreachable",
            "unable to connect to the remote server",
        ],
    ),
    (
        Family::Reset,
        &[
            "econnreset",
            "socket hang up",
            "connection reset",
            "connectionreseterror",
            "forcibly closed",
            "broken pipe",
            "epipe",
            "remote end closed connection",
            "remotedisconnected",
            "connection aborted",
            "unexpected eof",
            "connection closed before message completed",
        ],
    ),
    (
        Family::Timeout,
        &[
            "etimedout",
            "esockettimedout",
            "timed out",
            "sockettimeoutexception",
            "connecttimeout",
            "readtimeout",
            "read timeout",
            "connect timeout",
            "connection timeout",
            "deadline exceeded",
            "i/o timeout",
            "econnaborted",
            "timeout exception",
            "timeoutexception",
        ],
    ),
    // Wrappers that keep the failure and drop its cause: read only when no family above matches.
    (
        Family::Unreachable,
        &[
            "could not connect to host",
            "max retries exceeded with url",
            "failed to establish a new connection",
            "unable to connect to salesforce",
            "connection error",
            "connectionerror",
            "network error",
            // Salesforce's Java client (WSC) wraps any connection failure in these words.
            "failed to send request to",
        ],
    ),
];

/// Words that say a proxy tunnel failed; the status next to them says which way.
const TUNNEL: &[&str] = &[
    "tunneling socket could not be established",
    "unable to tunnel through proxy",
    "tunnel failed",
    "proxy authentication required",
    "proxyerror",
    "cannot connect to proxy",
];

use crate::salesforce::scan;

/// How far around a marker a host or a proxy status is looked for.
const AROUND: usize = 200;

/// The transport failure a text describes, if any. Linear: each marker is searched once.
pub fn classify(text: &str) -> Option<Found> {
    let lower = text.to_ascii_lowercase();
    if let Some(found) = proxy(&lower) {
        return Some(found);
    }
    let needles: Vec<&str> = MARKERS
        .iter()
        .flat_map(|(_, n)| n.iter().copied())
        .collect();
    let starts = scan::first_starts(&lower, &needles);
    let mut offset = 0;
    let by_marker = MARKERS.iter().find_map(|(family, group)| {
        let firsts = &starts[offset..offset + group.len()];
        offset += group.len();
        let at = group
            .iter()
            .zip(firsts)
            .filter_map(|(n, at)| at.map(|i| (i, i + n.len())))
            .min()?;
        Some(Found {
            family: *family,
            host: host_near(&lower, at.1).or_else(|| first_url_host(&lower)),
        })
    });
    // A proxy tunnel that failed without a family of its own.
    by_marker.or_else(|| {
        TUNNEL.iter().any(|n| lower.contains(n)).then(|| Found {
            family: Family::ProxyUnreachable,
            host: first_url_host(&lower),
        })
    })
}

fn proxy(lower: &str) -> Option<Found> {
    let (start, end) = TUNNEL
        .iter()
        .zip(scan::first_starts(lower, TUNNEL))
        .filter_map(|(n, at)| at.map(|i| (i, i + n.len())))
        .min()?;
    let window = &lower[floor(lower, start.saturating_sub(AROUND))..floor(lower, end + AROUND)];
    let family = if window.contains("407") || window.contains("proxy authentication required") {
        Family::ProxyAuth
    } else if window.contains("403") {
        Family::ProxyForbidden
    } else {
        // A tunnel that failed some other way (refused, reset): the families below say which.
        return None;
    };
    Some(Found {
        family,
        host: first_url_host(lower),
    })
}

/// The first host name or address within `AROUND` bytes after `at`.
fn host_near(lower: &str, at: usize) -> Option<String> {
    let window = &lower[at..floor(lower, at + AROUND)];
    window
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .map(|w| w.trim_matches(['.', '-']))
        .find(|w| is_host(w))
        .map(str::to_string)
}

/// The host of the first `https://` or `http://` address in the text.
fn first_url_host(lower: &str) -> Option<String> {
    ["https://", "http://"]
        .iter()
        .filter_map(|scheme| lower.find(scheme).map(|i| i + scheme.len()))
        .min()
        .and_then(|start| {
            let host: String = lower[start..]
                .chars()
                .take(AROUND)
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
                .collect();
            is_host(&host).then_some(host)
        })
}

/// A dotted name whose last label is alphabetic (a domain), or an IPv4 address.
fn is_host(word: &str) -> bool {
    let labels: Vec<&str> = word.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) || word.len() > 253 {
        return false;
    }
    let ipv4 = labels.len() == 4
        && labels
            .iter()
            .all(|l| l.len() <= 3 && l.bytes().all(|b| b.is_ascii_digit()));
    let last = labels[labels.len() - 1];
    // A top-level domain is short (`com`, `cloud`, `salesforce`); a Java class or a JavaScript
    // function (`...suncertpathbuilderexception`, `tlssocket.onconnectsecurenotify`) isn't.
    let domain = (2..=10).contains(&last.len()) && last.bytes().all(|b| b.is_ascii_alphabetic());
    // File names and code (`index.js`, `http-api.js`, `e.g`) are not hosts.
    let file = [
        "js", "ts", "py", "rb", "java", "rs", "go", "cs", "log", "txt", "json", "xml", "php", "kt",
        "scala", "swift", "mjs", "cjs", "jsx", "tsx", "yml", "yaml", "jar", "dll", "class",
    ]
    .contains(&last);
    ipv4 || (domain && !file && labels[0].len() > 1)
}

/// The nearest char boundary at or below `at` (capped at the text's end).
fn floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn family(text: &str) -> (Family, Option<String>) {
        let found = classify(text).unwrap_or_else(|| panic!("nothing in {text}"));
        (found.family, found.host)
    }

    #[test]
    fn each_family_and_its_host() {
        let cases = [
            (
                "Error: getaddrinfo ENOTFOUND acme.my.salesforce.com",
                Family::Dns,
                Some("acme.my.salesforce.com"),
            ),
            (
                "curl: (6) Could not resolve host: login.salesforce.con",
                Family::Dns,
                Some("login.salesforce.con"),
            ),
            (
                "Error: connect ECONNREFUSED 127.0.0.1:8080",
                Family::Refused,
                Some("127.0.0.1"),
            ),
            (
                "FetchError: request to https://login.salesforce.com/services/oauth2/token failed, reason: socket hang up",
                Family::Reset,
                Some("login.salesforce.com"),
            ),
            (
                "Error: connect ETIMEDOUT 13.110.14.8:443",
                Family::Timeout,
                Some("13.110.14.8"),
            ),
            (
                "dial tcp 13.110.14.8:443: getsockopt: connection timed out",
                Family::Timeout,
                None,
            ),
            (
                "write EPROTO 140350430992256:error:1408F10B:SSL routines:ssl3_get_record:wrong version number",
                Family::TlsVersion,
                None,
            ),
            (
                "javax.net.ssl.SSLHandshakeException: PKIX path building failed",
                Family::Certificate,
                None,
            ),
            (
                "Error: tunneling socket could not be established, statusCode=407",
                Family::ProxyAuth,
                None,
            ),
            (
                "tunneling socket could not be established, statusCode=403 calling https://acme.my.salesforce.com",
                Family::ProxyForbidden,
                Some("acme.my.salesforce.com"),
            ),
        ];
        for (text, want, host) in cases {
            let (got, got_host) = family(text);
            assert_eq!(got, want, "{text}");
            if host.is_some() {
                assert_eq!(got_host.as_deref(), host, "{text}");
            }
        }
    }

    #[test]
    fn ordinary_errors_are_no_transport_failure() {
        assert_eq!(classify("invalid_grant: authentication failure"), None);
        assert_eq!(
            classify("INVALID_SESSION_ID: Session expired or invalid"),
            None
        );
    }

    #[test]
    fn file_names_are_not_hosts() {
        assert!(!is_host("http-api.js"));
        assert!(!is_host("e.g"));
        assert!(is_host("na85.salesforce.com"));
        assert!(is_host("10.0.0.1"));
    }

    #[test]
    fn class_and_function_names_are_no_hosts() {
        let java = classify(
            "javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path",
        );
        assert_eq!(java.map(|f| f.host), Some(None));
        let node = classify(
            "Error: self-signed certificate in certificate chain\n    at TLSSocket.onConnectSecure (node:_tls_wrap:1677:34)",
        );
        assert_eq!(node.map(|f| f.host), Some(None));
        let named = classify("getaddrinfo ENOTFOUND acme.my.salesforce.com");
        assert_eq!(
            named.and_then(|f| f.host).as_deref(),
            Some("acme.my.salesforce.com")
        );
    }
}
