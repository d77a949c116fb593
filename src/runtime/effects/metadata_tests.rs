//! The wizard's `m` key writes the metadata project through the `metadata` command's own
//! options builder: a certificate the command refuses, the wizard refuses too (it used to build
//! the options a second way that only read the file).

use crate::metadata::{Certificate, Choices};
use crate::recipe::Role;
use crate::wizard::SavedSetup;

/// A file that is no certificate, removed when dropped.
struct NotACertificate(std::path::PathBuf);

impl NotACertificate {
    fn new() -> NotACertificate {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let path = std::env::temp_dir().join(format!("eca-wizard-m-key-{nanos}.crt"));
        std::fs::write(
            &path,
            "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        NotACertificate(path)
    }
}

impl Drop for NotACertificate {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn the_m_key_refuses_the_certificate_the_metadata_command_refuses() {
    let recipe = crate::recipe::by_id("sf-cli-ci").unwrap();
    let certificate = NotACertificate::new();
    let path = certificate.0.display().to_string();

    // What `metadata --certificate PATH` builds (`commands::metadata::choices`), checked.
    let command = Choices {
        certificate: Some(Certificate::File(certificate.0.clone())),
        ..Choices::default()
    }
    .options()
    .unwrap_err();

    let field = recipe.field_id(Role::Certificate).unwrap();
    let saved: SavedSetup = serde_json::from_value(serde_json::json!({
        "version": 1,
        "recipe": recipe.id,
        "answers": { field: path },
        "marks": [],
        "current_step": 0,
    }))
    .unwrap();
    let into = std::env::temp_dir().join("eca-wizard-m-key-never-written");
    let wizard = super::write_metadata(&saved, &into).unwrap_err();

    assert!(
        command.to_string().starts_with(&path),
        "the command names the file: {command}"
    );
    assert_eq!(wizard.to_string(), command.to_string());
    assert!(!into.exists(), "nothing written");
}
