//! Salesforce-shaped identifiers and tokens: 18-character record ids with their case-safe
//! suffix, access tokens `00D…!…`, refresh tokens `5Aep…`, authorization codes `aPrx…`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};

const SUFFIX_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The 18-character form of a 15-character id.
pub fn to_18(id15: &str) -> String {
    let mut suffix = String::with_capacity(3);
    for chunk in id15.as_bytes().chunks(5) {
        let bits = chunk
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_ascii_uppercase())
            .fold(0usize, |acc, (i, _)| acc | 1 << i);
        suffix.push(char::from(SUFFIX_ALPHABET[bits]));
    }
    format!("{id15}{suffix}")
}

/// A valid 18-character id with this key prefix, or None.
pub fn widen(id: &str, prefix: &str) -> Option<String> {
    let ok = id.starts_with(prefix) && id.chars().all(|c| c.is_ascii_alphanumeric());
    match id.len() {
        15 if ok => Some(to_18(id)),
        18 if ok && to_18(&id[..15]) == id => Some(id.to_string()),
        _ => None,
    }
}

fn make(prefix: &str, n: u64) -> String {
    to_18(&format!("{prefix}5g{n:010}"))
}

pub fn org_id(n: u64) -> String {
    make("00D", n)
}

pub fn user_id(n: u64) -> String {
    make("005", n)
}

/// `len` random base62 characters.
pub fn random_base62(len: usize) -> String {
    let mut bytes = vec![0u8; len];
    // The system RNG only fails when the OS has no entropy source at all.
    if SystemRandom::new().fill(&mut bytes).is_err() {
        bytes.iter_mut().enumerate().for_each(|(i, b)| *b = i as u8);
    }
    bytes
        .iter()
        .map(|b| char::from(BASE62[usize::from(*b) % 62]))
        .collect()
}

/// An opaque access token shaped like a Salesforce session id: `<15-char org id>!<random>`.
pub fn access_token(org_id: &str) -> String {
    format!("{}!AQ0AQ{}", &org_id[..15], random_base62(96))
}

pub fn refresh_token() -> String {
    format!("5Aep861{}", random_base62(80))
}

/// Authorization codes end in `==` like Salesforce's, so clients must URL-encode them.
pub fn authorization_code() -> String {
    let mut bytes = [0u8; 48];
    if SystemRandom::new().fill(&mut bytes).is_err() {
        bytes = [7; 48];
    }
    let body = URL_SAFE_NO_PAD.encode(bytes);
    format!("aPrx{}==", &body[..60])
}
