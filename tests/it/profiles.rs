//! Profiles and their secrets on disk, in a temporary folder.

use crate::common::temp;
use std::path::PathBuf;

use eca_wizard::profile::{self, Profile, ProfileError, SecretKind, SecretStore};
use eca_wizard::salesforce::Flow;
use eca_wizard::secret::Secret;

/// A profiles folder in its own home: loads refuse a home others can write to (as `/tmp` is).
fn dir(name: &str) -> temp::Folder {
    temp::folder(name).child("profiles")
}

fn home_of(dir: &std::path::Path) -> PathBuf {
    dir.parent().unwrap().to_path_buf()
}

fn sample(name: &str, secrets: SecretStore) -> Profile {
    Profile {
        format: 1,
        name: name.into(),
        recipe: "apideck".into(),
        flow: Flow::AuthCode,
        login_url: "https://login.salesforce.com".into(),
        instance_url: Some("https://acme.my.salesforce.com".into()),
        client_id: "3MVG9Key".into(),
        callback_urls: vec!["http://localhost:7717/callback".into()],
        api_name: None,
        app_name: None,
        username: Some("integration@acme.example".into()),
        org_id: Some("00D000000000001AAA".into()),
        target_org: None,
        private_key_path: None,
        mcp_url: None,
        choices: Default::default(),
        last_verified: None,
        secrets,
        keychain: Some("kernel-keyring".into()),
    }
}

#[test]
fn save_load_list_delete() {
    let dir = dir("roundtrip");
    let store = SecretStore::File(home_of(&dir).join("secrets.toml"));
    let profile = sample("acme-prod", store.clone());
    profile::save(&dir, &profile).unwrap();
    profile::save(&dir, &sample("beta", store)).unwrap();
    assert_eq!(profile::load(&dir, "acme-prod").unwrap(), profile);
    assert_eq!(profile::list(&dir).unwrap(), ["acme-prod", "beta"]);
    profile::delete(&dir, "beta").unwrap();
    assert!(matches!(
        profile::load(&dir, "beta"),
        Err(ProfileError::Missing(_))
    ));
    assert!(matches!(
        profile::delete(&dir, "beta"),
        Err(ProfileError::Missing(_))
    ));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("acme-prod.toml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "owner-only");
    }
}

#[test]
fn corrupt_newer_and_badly_named_profiles_are_explained() {
    let dir = dir("bad");
    eca_wizard::files::ensure_private_dir(&dir).unwrap();
    std::fs::write(dir.join("broken.toml"), "format = 1\nname = [").unwrap();
    let error = profile::load(&dir, "broken").unwrap_err().to_string();
    assert!(
        error.contains("broken.toml") && error.contains("Fix or delete"),
        "{error}"
    );
    std::fs::write(dir.join("future.toml"), "format = 9\nsomething_new = true").unwrap();
    let error = profile::load(&dir, "future").unwrap_err().to_string();
    assert!(error.contains("newer eca-wizard"), "{error}");
    std::fs::write(dir.join("noversion.toml"), "name = \"x\"").unwrap();
    assert!(
        profile::load(&dir, "noversion")
            .unwrap_err()
            .to_string()
            .contains("format version")
    );
    for bad in ["", "../etc/passwd", "a b", ".hidden", &"x".repeat(65)] {
        assert!(
            matches!(profile::check_name(bad), Err(ProfileError::BadName(_))),
            "{bad:?}"
        );
    }
}

#[test]
fn secrets_stay_out_of_profiles_and_leave_with_delete_all() {
    let dir = dir("secrets");
    let path = home_of(&dir).join("secrets.toml");
    let store = SecretStore::File(path.clone());
    profile::save(&dir, &sample("acme", store.clone())).unwrap();
    store
        .set(
            "acme",
            SecretKind::ConsumerSecret,
            &Secret::new("CONSUMER-SECRET-1"),
        )
        .unwrap();
    store
        .set(
            "acme",
            SecretKind::RefreshToken,
            &Secret::new("5Aep861REFRESH"),
        )
        .unwrap();
    store
        .set(
            "other",
            SecretKind::RefreshToken,
            &Secret::new("5Aep861OTHER"),
        )
        .unwrap();
    assert_eq!(
        store.get("acme", SecretKind::RefreshToken).unwrap(),
        Some(Secret::new("5Aep861REFRESH"))
    );
    assert_eq!(store.get("acme", SecretKind::AccessToken).unwrap(), None);
    let profile_text = std::fs::read_to_string(dir.join("acme.toml")).unwrap();
    assert!(!profile_text.contains("CONSUMER-SECRET") && !profile_text.contains("5Aep861"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    store.delete_all("acme").unwrap();
    assert_eq!(store.get("acme", SecretKind::ConsumerSecret).unwrap(), None);
    assert_eq!(
        store.get("other", SecretKind::RefreshToken).unwrap(),
        Some(Secret::new("5Aep861OTHER"))
    );
}

#[test]
fn the_file_is_only_chosen_with_consent() {
    let dir = dir("consent");
    let chosen = SecretStore::choose(&dir, true).unwrap();
    // Beside the profiles folder, not in it: a profile named `secrets` can't clash with it.
    assert_eq!(
        chosen,
        SecretStore::File(dir.parent().unwrap().join("secrets.toml"))
    );
    // Without consent it is the keychain or a clear refusal, never the file.
    match SecretStore::choose(&dir, false) {
        Ok(store) => assert_eq!(store, SecretStore::Keychain),
        Err(e) => assert!(e.to_string().contains("--secrets-file")),
    }
}
