//! PKCE (RFC 7636, S256) and the `state` value that ties a callback to the login that asked.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::digest;
use ring::rand::{SecureRandom, SystemRandom};

use crate::secret::Secret;

/// A verifier (kept secret until the code exchange) and its S256 challenge (sent openly).
#[derive(Debug, Clone)]
pub struct Pkce {
    pub verifier: Secret,
    pub challenge: String,
}

impl Pkce {
    /// 64 random bytes make an 86-character verifier, inside RFC 7636's 43..=128.
    pub fn generate() -> anyhow::Result<Pkce> {
        let verifier = URL_SAFE_NO_PAD.encode(random_bytes::<64>()?);
        Ok(Pkce::from_verifier(verifier))
    }

    pub fn from_verifier(verifier: String) -> Pkce {
        let challenge =
            URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()));
        Pkce {
            verifier: Secret::new(verifier),
            challenge,
        }
    }
}

/// A fresh `state`: 32 random bytes, base64url.
pub fn new_state() -> anyhow::Result<Secret> {
    Ok(Secret::new(URL_SAFE_NO_PAD.encode(random_bytes::<32>()?)))
}

fn random_bytes<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| anyhow::anyhow!("the system random number generator failed"))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_example() {
        let pkce = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into());
        assert_eq!(
            pkce.challenge,
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn generated_values_are_fresh_and_well_formed() {
        let (a, b) = (Pkce::generate().unwrap(), Pkce::generate().unwrap());
        assert_ne!(a.verifier.expose(), b.verifier.expose());
        assert_eq!(a.verifier.expose().len(), 86);
        assert_ne!(new_state().unwrap().expose(), new_state().unwrap().expose());
    }
}
