//! RS256 JSON Web Tokens: signing (the emulator's id_token, the client's JWT bearer assertion)
//! and verifying (the emulator checks assertions against an app's uploaded certificate).
//! Keys come as PEM: PKCS#8 or PKCS#1 private keys and X.509 certificates.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{self, RsaKeyPair};
use serde::Serialize;
use serde::de::DeserializeOwned;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    #[error("no PEM block '{0}' found; expected a file starting with -----BEGIN {0}-----")]
    NoPem(&'static str),
    #[error("the PEM data is not valid base64")]
    Base64,
    #[error("the key is not an RSA private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)")]
    BadKey,
    #[error("the key is encrypted (BEGIN ENCRYPTED PRIVATE KEY); the signer needs it unencrypted")]
    Encrypted,
    #[error("the certificate could not be read as an X.509 RSA certificate")]
    BadCertificate,
    #[error("the token is not three dot-separated base64url parts")]
    Malformed,
    #[error("the token's header does not say RS256")]
    Algorithm,
    #[error("the token's signature does not match the certificate")]
    Signature,
    #[error("the token's claims are not valid JSON of the expected shape")]
    Claims,
    #[error("signing failed")]
    Signing,
}

/// Decodes the first PEM block with this label (`PRIVATE KEY`, `CERTIFICATE`).
pub fn pem_block(text: &str, label: &'static str) -> Result<Vec<u8>, JwtError> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text.find(&begin).ok_or(JwtError::NoPem(label))? + begin.len();
    let stop = text[start..].find(&end).ok_or(JwtError::NoPem(label))? + start;
    let body: String = text[start..stop]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    STANDARD.decode(body).map_err(|_| JwtError::Base64)
}

/// An RSA key pair that signs RS256.
pub struct Signer {
    key: RsaKeyPair,
}

impl Signer {
    /// PKCS#8 (`BEGIN PRIVATE KEY`, what OpenSSL 3 writes) or PKCS#1 (`BEGIN RSA PRIVATE KEY`,
    /// what OpenSSL 1.x and `-traditional` write); Salesforce only ever sees the certificate.
    pub fn from_pem(pem: &str) -> Result<Self, JwtError> {
        if pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            return Err(JwtError::Encrypted);
        }
        let key = match pem_block(pem, "RSA PRIVATE KEY") {
            Ok(der) => RsaKeyPair::from_der(&der).map_err(|_| JwtError::BadKey)?,
            Err(_) => {
                let der = pem_block(pem, "PRIVATE KEY")?;
                RsaKeyPair::from_pkcs8(&der).map_err(|_| JwtError::BadKey)?
            }
        };
        Ok(Signer { key })
    }

    /// `header.claims.signature`, with `kid` in the header when given.
    pub fn sign(&self, claims: &impl Serialize, kid: Option<&str>) -> Result<String, JwtError> {
        let header = match kid {
            Some(kid) => serde_json::json!({"alg": "RS256", "typ": "JWT", "kid": kid}),
            None => serde_json::json!({"alg": "RS256", "typ": "JWT"}),
        };
        self.sign_with_header(&header, claims)
    }

    /// Signs with a header of the caller's (it must say `alg: RS256`), for tokens whose
    /// header carries more than `kid` (Salesforce's JWT access tokens).
    pub fn sign_with_header(
        &self,
        header: &serde_json::Value,
        claims: &impl Serialize,
    ) -> Result<String, JwtError> {
        if header.get("alg").and_then(|a| a.as_str()) != Some("RS256") {
            return Err(JwtError::Algorithm);
        }
        let signing_input = format!("{}.{}", b64_json(header)?, b64_json(claims)?);
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                signing_input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| JwtError::Signing)?;
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        ))
    }

    /// The public key as PKCS#1 DER, what `verify` takes.
    pub fn public_key_der(&self) -> Vec<u8> {
        self.key.public().as_ref().to_vec()
    }

    /// The public key as a JWK (`kty`, `n`, `e`), for a JWKS endpoint.
    pub fn public_jwk(&self, kid: &str) -> serde_json::Value {
        let parts = ring::rsa::PublicKeyComponents::<Vec<u8>>::from(self.key.public());
        let (n, e) = (trim_zeros(&parts.n), trim_zeros(&parts.e));
        serde_json::json!({
            "kty": "RSA", "alg": "RS256", "use": "sig", "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(n), "e": URL_SAFE_NO_PAD.encode(e),
        })
    }
}

fn b64_json(value: &impl Serialize) -> Result<String, JwtError> {
    let bytes = serde_json::to_vec(value).map_err(|_| JwtError::Claims)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

fn trim_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[first..]
}

/// The RSA public key (PKCS#1 DER) inside a PEM X.509 certificate.
pub fn certificate_public_key(pem: &str) -> Result<Vec<u8>, JwtError> {
    let der = pem_block(pem, "CERTIFICATE")?;
    rsa_key_from_certificate(&der).ok_or(JwtError::BadCertificate)
}

/// Walks Certificate > tbsCertificate > subjectPublicKeyInfo > subjectPublicKey.
fn rsa_key_from_certificate(der: &[u8]) -> Option<Vec<u8>> {
    let (certificate, _) = der_element(der, 0x30)?;
    let (tbs, _) = der_element(certificate, 0x30)?;
    let mut rest = tbs;
    // An explicit [0] version tag comes first in v3 certificates.
    if rest.first() == Some(&0xa0) {
        rest = der_element(rest, 0xa0)?.1;
    }
    // serialNumber, signature, issuer, validity, subject.
    for tag in [0x02, 0x30, 0x30, 0x30, 0x30] {
        rest = der_element(rest, tag)?.1;
    }
    let (spki, _) = der_element(rest, 0x30)?;
    let (_algorithm, after) = der_element(spki, 0x30)?;
    let (bits, _) = der_element(after, 0x03)?;
    // A BIT STRING starts with the count of unused bits, zero here.
    (bits.first() == Some(&0)).then(|| bits[1..].to_vec())
}

/// Splits one DER element with the expected tag into (contents, rest).
fn der_element(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&first, rest) = input.split_first()?;
    if first != tag {
        return None;
    }
    let (&len_byte, rest) = rest.split_first()?;
    let (len, rest) = if len_byte < 0x80 {
        (usize::from(len_byte), rest)
    } else {
        let count = usize::from(len_byte & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let len = rest[..count]
            .iter()
            .fold(0usize, |acc, b| acc << 8 | usize::from(*b));
        (len, &rest[count..])
    };
    (rest.len() >= len).then(|| rest.split_at(len))
}

/// Checks an RS256 token against a PKCS#1 RSA public key and returns its claims.
pub fn verify<C: DeserializeOwned>(token: &str, rsa_public_key: &[u8]) -> Result<C, JwtError> {
    let mut parts = token.split('.');
    let (Some(header), Some(claims), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let header: serde_json::Value = decode_json(header)?;
    if header.get("alg").and_then(|a| a.as_str()) != Some("RS256") {
        return Err(JwtError::Algorithm);
    }
    let signature = URL_SAFE_NO_PAD
        .decode(sig)
        .map_err(|_| JwtError::Malformed)?;
    let signing_input = &token[..header_len(token)];
    signature::UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, rsa_public_key)
        .verify(signing_input.as_bytes(), &signature)
        .map_err(|_| JwtError::Signature)?;
    decode_json(claims)
}

/// Reads a token's header without checking the signature (to tell a JWT access token's kind).
pub fn peek_header(token: &str) -> Result<serde_json::Value, JwtError> {
    let header = token.split('.').next().ok_or(JwtError::Malformed)?;
    decode_json(header)
}

/// Reads a token's claims without checking the signature (to find which key to check with).
pub fn peek_claims<C: DeserializeOwned>(token: &str) -> Result<C, JwtError> {
    let claims = token.split('.').nth(1).ok_or(JwtError::Malformed)?;
    decode_json(claims)
}

fn header_len(token: &str) -> usize {
    token.rfind('.').unwrap_or(token.len())
}

fn decode_json<T: DeserializeOwned>(part: &str) -> Result<T, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| JwtError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| JwtError::Claims)
}

/// What a PEM file given to the wizard must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PemKind {
    Certificate,
    PrivateKey,
}

/// Checks that `text` (read from `path`) is what it must be. Ok carries a note worth showing;
/// Err says what to do instead, with the openssl command where one converts the file.
/// Commands: openssl-pkcs8(1) (`-topk8 -nocrypt` writes an unencrypted PKCS#8 key; Salesforce's
/// KB 000386133 uses the same); the DX guide's key and certificate steps (`openssl req`, `x509`).
pub fn inspect_pem(kind: PemKind, text: &str, path: &str) -> Result<Option<String>, String> {
    let has = |label: &str| text.contains(&format!("-----BEGIN {label}-----"));
    let is_key = has("PRIVATE KEY") || has("RSA PRIVATE KEY") || has("ENCRYPTED PRIVATE KEY");
    match kind {
        PemKind::Certificate => {
            if has("CERTIFICATE") {
                return certificate_public_key(text).map(|_| None).map_err(|_| {
                    format!("{path} has a certificate Salesforce can't use: it must be an X.509 certificate with an RSA key")
                });
            }
            if is_key {
                return Err(format!(
                    "{path} is a private key: upload the certificate made from it (e.g. server.crt), never the key. Make one: openssl req -new -x509 -key {path} -out server.crt -days 365"
                ));
            }
            Err(format!(
                "{path} is not a PEM certificate (it must start with -----BEGIN CERTIFICATE-----)"
            ))
        }
        PemKind::PrivateKey => match Signer::from_pem(text) {
            Ok(_) if has("RSA PRIVATE KEY") => Ok(Some(format!(
                "{path} is a PKCS#1 key (BEGIN RSA PRIVATE KEY); it is used as it is"
            ))),
            Ok(_) => Ok(None),
            Err(JwtError::Encrypted) => Err(format!(
                "{path} is encrypted: write an unencrypted copy, kept private, with openssl pkcs8 -in {path} -out server-unencrypted.key"
            )),
            Err(_) if has("CERTIFICATE") && !is_key => Err(format!(
                "{path} is a certificate: give the private key it was made from (e.g. server.key)"
            )),
            Err(_) if is_key => Err(format!(
                "{path} is not an RSA key this signer can read; convert it with openssl pkcs8 -topk8 -nocrypt -in {path} -out server-pkcs8.key"
            )),
            Err(_) => Err(format!(
                "{path} is not a PEM private key (it must start with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)"
            )),
        },
    }
}
