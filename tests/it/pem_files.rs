//! The certificate and private key files a JWT bearer setup names: what is accepted, and what
//! is refused with the command that fixes it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use eca_wizard::emulator::org::{DEMO_JWT_CERTIFICATE, DEMO_JWT_KEY};
use eca_wizard::jwt::{PemKind, Signer, inspect_pem, pem_block};

/// One DER element: (tag, contents, rest).
fn element(der: &[u8]) -> (u8, &[u8], &[u8]) {
    let tag = der[0];
    let (len, at) = if der[1] < 0x80 {
        (der[1] as usize, 2)
    } else {
        let n = (der[1] & 0x7f) as usize;
        (
            der[2..2 + n].iter().fold(0, |a, b| a << 8 | *b as usize),
            2 + n,
        )
    };
    (tag, &der[at..at + len], &der[at + len..])
}

fn pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

/// The demo key as OpenSSL 1.x writes it: the RSAPrivateKey inside the PKCS#8 wrapper.
fn demo_key_pkcs1() -> String {
    let pkcs8 = pem_block(DEMO_JWT_KEY, "PRIVATE KEY").unwrap();
    let (_, info, _) = element(&pkcs8);
    let (_, _version, rest) = element(info);
    let (_, _algorithm, rest) = element(rest);
    let (tag, rsa_private_key, _) = element(rest);
    assert_eq!(tag, 0x04, "the private key is an OCTET STRING");
    pem("RSA PRIVATE KEY", rsa_private_key)
}

#[test]
fn a_pkcs1_key_signs_like_its_pkcs8_form() {
    let pkcs1 = demo_key_pkcs1();
    assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    let claims = serde_json::json!({"iss": "3MVG9", "sub": "u@acme.example"});
    let one = Signer::from_pem(&pkcs1)
        .unwrap()
        .sign(&claims, None)
        .unwrap();
    let other = Signer::from_pem(DEMO_JWT_KEY)
        .unwrap()
        .sign(&claims, None)
        .unwrap();
    // RSA PKCS#1 v1.5 signatures are deterministic: the same key gives the same token.
    assert_eq!(one, other);
    let note = inspect_pem(PemKind::PrivateKey, &pkcs1, "server.key").unwrap();
    assert!(
        note.unwrap().contains("PKCS#1"),
        "the admin is told, nothing to do"
    );
    assert_eq!(
        inspect_pem(PemKind::PrivateKey, DEMO_JWT_KEY, "k.pem"),
        Ok(None)
    );
}

#[test]
fn wrong_files_are_refused_with_what_to_do() {
    let refused = |kind, text: &str| inspect_pem(kind, text, "server.key").unwrap_err();
    let encrypted = refused(
        PemKind::PrivateKey,
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n",
    );
    assert!(
        encrypted.contains("openssl pkcs8 -in server.key"),
        "{encrypted}"
    );
    let cert_as_key = refused(PemKind::PrivateKey, DEMO_JWT_CERTIFICATE);
    assert!(cert_as_key.contains("is a certificate"), "{cert_as_key}");
    let broken = refused(
        PemKind::PrivateKey,
        "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
    );
    assert!(
        broken.contains("openssl pkcs8 -topk8 -nocrypt -in server.key"),
        "{broken}"
    );
    let key_as_cert = refused(PemKind::Certificate, DEMO_JWT_KEY);
    assert!(
        key_as_cert.contains("never the key") && key_as_cert.contains("openssl req"),
        "{key_as_cert}"
    );
    let text = refused(PemKind::Certificate, "hello");
    assert!(text.contains("BEGIN CERTIFICATE"), "{text}");
    assert_eq!(
        inspect_pem(PemKind::Certificate, DEMO_JWT_CERTIFICATE, "c.crt"),
        Ok(None)
    );
}
