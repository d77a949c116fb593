//! Words in a paste that point at one cause of an error among several: a paste that names
//! `127.0.0.1` points at the loopback-address cause of `redirect_uri_mismatch`, one that names a
//! sandbox at the sandbox cause of `invalid_grant`. A clue counts for a cause when the paste
//! shows it and the cause's own message speaks of it; among causes that fit equally well, the
//! one with more clues comes first. The vocabulary is general (what each cause's fix is about),
//! not a list of pastes. Scanning is a fixed number of substring searches: linear in the paste.

/// The clues a paste shows, one bit each (`CLUES` order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Clues(u32);

/// One clue: what in a paste shows it, and what in a cause's message speaks of it (lower case).
struct Clue {
    in_paste: &'static [&'static str],
    in_cause: &'static [&'static str],
}

const CLUES: &[Clue] = &[
    Clue {
        in_paste: &["127.0.0.1"],
        in_cause: &["127.0.0.1"],
    },
    Clue {
        in_paste: &["sandbox", "test.salesforce.com", ".sandbox.my."],
        in_cause: &["sandbox"],
    },
    Clue {
        in_paste: &["code_challenge", "pkce", "code_verifier", "code verifier"],
        in_cause: &["pkce", "code_challenge", "verifier"],
    },
    Clue {
        in_paste: &[
            "ip address",
            "ip restrict",
            "restricted ip",
            "ip range",
            "trusted ip",
            "another ip",
            "different ip",
            "vpn",
        ],
        in_cause: &[" ip ", " ip,", " ip.", "ip restrictions", "ip ranges"],
    },
    // Not the bare word: nearly every authorize URL carries `&scope=`.
    Clue {
        in_paste: &[
            "invalid_scope",
            "invalid scope",
            "scope is",
            "scope not",
            "missing scope",
            "no scope",
            "insufficient scope",
        ],
        in_cause: &["scope"],
    },
    Clue {
        in_paste: &[
            "authorization header",
            "auth header",
            "invalid header",
            "missing header",
            "header missing",
        ],
        in_cause: &["header"],
    },
    Clue {
        in_paste: &[
            "instance_url",
            "instance url",
            "instanceurl",
            "instance endpoint",
        ],
        in_cause: &["instance"],
    },
    Clue {
        in_paste: &["certificate", "x509", "keystore", ".pem", ".crt"],
        in_cause: &["certificate"],
    },
    Clue {
        in_paste: &["audience", "\"aud\"", "aud="],
        in_cause: &["aud"],
    },
    Clue {
        in_paste: &["client_secret", "client secret", "consumer secret"],
        in_cause: &["secret"],
    },
    Clue {
        in_paste: &["my domain", "mydomain", ".my.salesforce.com"],
        in_cause: &["my domain"],
    },
    Clue {
        in_paste: &["rotat"],
        in_cause: &["rotation", "rotat"],
    },
    Clue {
        in_paste: &[
            "upgrade",
            "regression",
            "after updating",
            "new version",
            "since version",
        ],
        in_cause: &["upgrade", "version"],
    },
    Clue {
        in_paste: &[
            "mfa",
            "high assurance",
            "verify your identity",
            "verification",
        ],
        in_cause: &["high assurance", "mfa", "verif"],
    },
    Clue {
        in_paste: &["concurrent"],
        in_cause: &["concurrent"],
    },
    Clue {
        in_paste: &[
            "username-password",
            "grant_type=password",
            "password flow",
            "password grant",
        ],
        in_cause: &["username-password", "password flow"],
    },
    Clue {
        in_paste: &["cookie"],
        in_cause: &["cookie"],
    },
    Clue {
        in_paste: &[
            "api access control",
            "allowlist",
            "not installed",
            "install the app",
        ],
        in_cause: &["api access control", "install"],
    },
    Clue {
        in_paste: &["undefined", "{{", "${", "=null", ": null", "client_id=&"],
        in_cause: &["empty"],
    },
    Clue {
        in_paste: &["lightning.force.com"],
        in_cause: &["lightning"],
    },
    Clue {
        in_paste: &["scratch org", "scratchorg", "scratch_org"],
        in_cause: &["scratch org"],
    },
    Clue {
        in_paste: &["permission set"],
        in_cause: &["permission set"],
    },
    Clue {
        in_paste: &["profile"],
        in_cause: &["profile"],
    },
];

impl Clues {
    /// The clues `lower` (a lower-cased paste) shows.
    pub fn of(lower: &str) -> Clues {
        let bits = CLUES.iter().enumerate().fold(0u32, |bits, (i, clue)| {
            if clue.in_paste.iter().any(|p| lower.contains(p)) {
                bits | (1 << i)
            } else {
                bits
            }
        });
        Clues(bits)
    }

    /// How many of the paste's clues the cause's message speaks of.
    pub fn shared_with(self, message: &str) -> u8 {
        if self.0 == 0 {
            return 0;
        }
        let padded = format!(" {} ", message.to_ascii_lowercase());
        let count = CLUES
            .iter()
            .enumerate()
            .filter(|(i, clue)| {
                self.0 & (1 << i) != 0 && clue.in_cause.iter().any(|c| padded.contains(c))
            })
            .count();
        u8::try_from(count).unwrap_or(u8::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clue_counts_when_paste_and_cause_share_it() {
        let clues = Clues::of("redirect_uri=http://127.0.0.1:8080/callback");
        assert_eq!(
            clues.shared_with("register 127.0.0.1 or localhost exactly"),
            1
        );
        assert_eq!(clues.shared_with("wait ten minutes"), 0);
        assert_eq!(Clues::default().shared_with("127.0.0.1"), 0);
        let ip = Clues::of("session locked to the ip address of the login");
        assert_eq!(
            ip.shared_with("Relax IP restrictions on the Policies tab"),
            1
        );
        assert_eq!(ip.shared_with("ship it"), 0);
    }

    #[test]
    fn there_is_room_for_every_clue() {
        assert!(CLUES.len() <= 32);
    }
}
