//! Failures below HTTP, by family: each has its own words and fix, and its own retry budget.
//! A mistyped host or a proxy that refuses won't pass by waiting, so they get a couple of quick
//! tries or none; a reset or a timeout may pass, so it gets a few more; a body past the cap
//! is never read again.

use std::error::Error as StdError;

use crate::salesforce::diagnosis::{Diagnosis, Kind};
use crate::salesforce::transport_family::Family;

/// What went wrong on the way to Salesforce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// The host name doesn't resolve (a typo in the My Domain, no network, a proxy's name).
    Dns,
    /// Nothing listens there.
    Refused,
    /// The connection was cut (a firewall, a proxy, the server going away).
    Reset,
    /// No answer in time.
    Timeout,
    /// The TLS handshake failed for another reason than an untrusted certificate.
    Tls,
    /// The proxy asked for credentials (407 to CONNECT).
    ProxyAuth,
    /// The proxy refused the tunnel (any other status than 200 to CONNECT, 403 most often).
    ProxyRefused,
    /// The answer was past the cap (`oauth::client::MAX_BODY`).
    TooLarge,
    /// The answer stopped half way.
    CutOff,
    /// Anything else below HTTP.
    Other,
}

/// Every family, for reading a detail back.
const ALL: [Transport; 10] = [
    Transport::Dns,
    Transport::Refused,
    Transport::Reset,
    Transport::Timeout,
    Transport::Tls,
    Transport::ProxyAuth,
    Transport::ProxyRefused,
    Transport::TooLarge,
    Transport::CutOff,
    Transport::Other,
];

impl Transport {
    /// The family of a reqwest error, from its chain of causes (hyper-util's connect and tunnel
    /// errors say which step failed only in their text).
    pub fn of(error: &reqwest::Error) -> Transport {
        let mut cause: Option<&(dyn StdError + 'static)> = Some(error);
        let mut family = None;
        while let Some(now) = cause {
            family = family.or_else(|| family_of(now));
            cause = now.source();
        }
        match family {
            Some(family) => family,
            None if error.is_timeout() => Transport::Timeout,
            None if error.is_body() || error.is_decode() => Transport::CutOff,
            None => Transport::Other,
        }
    }

    /// The family a `Failure::Transport` detail names (`detail` gives it).
    pub fn from_detail(detail: &str) -> Option<Transport> {
        ALL.into_iter().find(|t| t.detail() == detail)
    }

    /// The code scripts read (`diagnosis.error`): the same as a pasted failure of that family
    /// gets from `explain` (`salesforce::transport_family`), so one failure has one name.
    pub fn code(self) -> &'static str {
        match self.family() {
            Some(family) => family.code(),
            None => match self {
                Transport::TooLarge => "answer_too_large",
                Transport::CutOff => "network_cut_off",
                _ => "network",
            },
        }
    }

    /// The family of pasted failures this one belongs to, when there is one.
    fn family(self) -> Option<Family> {
        match self {
            Transport::Dns => Some(Family::Dns),
            Transport::Refused => Some(Family::Refused),
            Transport::Reset => Some(Family::Reset),
            Transport::Timeout => Some(Family::Timeout),
            Transport::Tls => Some(Family::TlsVersion),
            Transport::ProxyAuth => Some(Family::ProxyAuth),
            Transport::ProxyRefused => Some(Family::ProxyForbidden),
            Transport::TooLarge | Transport::CutOff | Transport::Other => None,
        }
    }

    /// What happened, in a few words (no host, no URL: a URL's query may hold a code).
    pub fn detail(self) -> &'static str {
        match self {
            Transport::Dns => "the host name doesn't resolve (DNS)",
            Transport::Refused => "the connection was refused",
            Transport::Reset => "the connection was reset",
            Transport::Timeout => "no answer in time",
            Transport::Tls => "the TLS handshake failed",
            Transport::ProxyAuth => "the proxy asks for credentials (407)",
            Transport::ProxyRefused => "the proxy refused to open a tunnel to Salesforce",
            Transport::TooLarge => {
                "the answer was larger than 1 MiB, far more than Salesforce sends"
            }
            Transport::CutOff => "the answer was cut off",
            Transport::Other => "the request failed",
        }
    }

    /// What to do about it.
    pub fn fix(self) -> &'static str {
        match self {
            Transport::Dns => {
                "Check the spelling of the login URL (a My Domain is NAME.my.salesforce.com) and of the proxy in HTTPS_PROXY, and that this machine is online."
            }
            Transport::Refused => {
                "Nothing listens at that address: check the login URL's port, or the proxy address in HTTPS_PROXY."
            }
            Transport::Reset | Transport::CutOff => {
                "A firewall or proxy may be cutting connections; if it keeps happening, ask for *.salesforce.com to be allowed."
            }
            Transport::Timeout => {
                "The network is slow or drops the packets; if it keeps happening, check the proxy settings (HTTPS_PROXY, NO_PROXY)."
            }
            Transport::Tls => {
                "Something between here and Salesforce speaks TLS differently (an old proxy, a captive portal): try another network, or ask for *.salesforce.com to be exempted from inspection."
            }
            Transport::ProxyAuth => {
                "Give the proxy's user and password in HTTPS_PROXY (http://USER:PASSWORD@HOST:PORT), or ask for an exemption."
            }
            Transport::ProxyRefused => {
                "The proxy blocks that host: ask for *.salesforce.com and *.force.com to be allowed, or list the host in NO_PROXY if it should be reached directly."
            }
            Transport::TooLarge => {
                "That isn't Salesforce answering: check the login URL. The answer was not read again."
            }
            Transport::Other => {
                "Try again; if it keeps failing, run with --debug and keep the log."
            }
        }
    }

    /// Attempts in all (the first included) before giving up: none more where waiting can't
    /// help, a couple of quick ones for what a moment may fix, a few for what passes.
    pub fn tries(self) -> u32 {
        match self {
            Transport::Tls
            | Transport::ProxyAuth
            | Transport::ProxyRefused
            | Transport::TooLarge => 1,
            Transport::Dns | Transport::Refused => 2,
            Transport::Reset | Transport::Timeout | Transport::CutOff | Transport::Other => 6,
        }
    }

    /// The diagnosis: transient while a retry may pass, misconfigured when only a change does.
    pub fn diagnose(self) -> Diagnosis {
        let kind = if self.tries() > 1 {
            Kind::Transient
        } else {
            Kind::Misconfigured
        };
        let message = format!(
            "Couldn't reach Salesforce: {}. {}",
            self.detail(),
            self.fix()
        );
        Diagnosis::new(kind, self.code(), None, message)
    }

    /// The most attempts a diagnosis' family gets, when it is a transport family.
    pub fn tries_for(diagnosis: &Diagnosis) -> Option<u32> {
        ALL.into_iter()
            .find(|t| t.code() == diagnosis.error)
            .map(Transport::tries)
    }
}

/// The family one cause names, if it names one.
fn family_of(cause: &(dyn StdError + 'static)) -> Option<Transport> {
    if let Some(io) = cause.downcast_ref::<std::io::Error>() {
        use std::io::ErrorKind;
        match io.kind() {
            ErrorKind::ConnectionRefused => return Some(Transport::Refused),
            ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe => {
                return Some(Transport::Reset);
            }
            ErrorKind::TimedOut => return Some(Transport::Timeout),
            _ => {}
        }
    }
    if cause.downcast_ref::<rustls::Error>().is_some() {
        return Some(Transport::Tls);
    }
    // hyper-util's connect and tunnel errors are private types: their text is all there is.
    let text = cause.to_string();
    if text.starts_with("dns error") {
        Some(Transport::Dns)
    } else if text == "tunnel error: proxy authorization required" {
        Some(Transport::ProxyAuth)
    } else if text == "tunnel error: unsuccessful" {
        Some(Transport::ProxyRefused)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_reads_back_and_has_its_own_words() {
        for family in ALL {
            assert_eq!(Transport::from_detail(family.detail()), Some(family));
            assert_eq!(
                Transport::tries_for(&family.diagnose()),
                Some(family.tries())
            );
        }
        let details: std::collections::BTreeSet<_> = ALL.iter().map(|t| t.detail()).collect();
        assert_eq!(details.len(), ALL.len());
        let codes: std::collections::BTreeSet<_> = ALL.iter().map(|t| t.code()).collect();
        assert_eq!(codes.len(), ALL.len());
        // A live failure and the same failure pasted into explain have one name.
        assert_eq!(Transport::Dns.code(), Family::Dns.code());
        assert_eq!(
            Transport::ProxyRefused.code(),
            Family::ProxyForbidden.code()
        );
    }

    #[test]
    fn only_what_can_pass_is_retried() {
        for family in [
            Transport::ProxyAuth,
            Transport::ProxyRefused,
            Transport::TooLarge,
        ] {
            assert_eq!(family.tries(), 1, "{family:?}");
            assert_eq!(family.diagnose().kind, Kind::Misconfigured);
        }
        assert!(Transport::Dns.tries() <= 2 && Transport::Refused.tries() <= 2);
        assert_eq!(Transport::Reset.diagnose().kind, Kind::Transient);
    }
}
