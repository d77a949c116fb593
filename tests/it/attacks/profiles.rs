//! Profiles under pressure: writers racing on the secrets file, refresh-token rotation across
//! every profile under `status --all`, a profile named `secrets`.

use eca_wizard::profile::{SecretKind, SecretStore};

use super::*;

#[test]
fn concurrent_writers_lose_no_secret() {
    // `status --all` refreshes profiles at once; cron and a person race the same way.
    let dir = home("race");
    std::fs::create_dir_all(&dir).unwrap();
    let store = SecretStore::File(dir.join("secrets.toml"));
    let writers: Vec<_> = (0..12)
        .map(|i| {
            let store = store.clone();
            std::thread::spawn(move || {
                for round in 0..20 {
                    let value = Secret::new(format!("5Aep861p{i}r{round}"));
                    store
                        .set(&format!("p{i}"), SecretKind::RefreshToken, &value)
                        .unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    for i in 0..12 {
        let kept = store
            .get(&format!("p{i}"), SecretKind::RefreshToken)
            .unwrap();
        assert_eq!(
            kept,
            Some(Secret::new(format!("5Aep861p{i}r19"))),
            "profile p{i}"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[tokio::test]
async fn rotation_keeps_every_profile_working_under_status_all() {
    let emulator = start();
    emulator
        .edit_app("ECA_Wizard_Demo", |app| app.refresh_token_rotation = true)
        .unwrap();
    let home = home("rotation");
    for i in 0..12u16 {
        let port = 17905 + i;
        emulator
            .edit_app("ECA_Wizard_Demo", |app| {
                app.callback_urls
                    .push(format!("http://localhost:{port}/callback"))
            })
            .unwrap();
        let mut command = wizard(&home);
        command.args([
            "connect",
            "--login-url",
            emulator.login_url(),
            "--client-id",
            KEY,
            "--callback-port",
            &port.to_string(),
            "--callback-url",
            &format!("http://localhost:{port}/callback"),
            "--save",
            &format!("web{i}"),
        ]);
        let out = run(command).await;
        // The rotation defect: verification used the access token the refresh had revoked.
        assert!(
            out.status.success(),
            "web{i}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for round in 0..3 {
        let mut command = wizard(&home);
        command.args(["status", "--all", "--json"]);
        let out = run(command).await;
        let all = crate::common::contract::result(&out.stdout, out.status.code());
        assert_eq!(all.as_array().unwrap().len(), 12);
        assert_eq!(out.status.code(), Some(0), "round {round}: {all:#}");
    }
}

#[tokio::test]
async fn a_profile_named_secrets_wipes_nothing() {
    let emulator = start();
    let home = home("named-secrets");
    for name in ["acme", "secrets"] {
        let command = connect_cc(&home, emulator.my_domain_url(), &["--save", name]);
        let out = run(command).await;
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut command = wizard(&home);
    command.args(["status", "--all", "--json"]);
    let out = run(command).await;
    let all = crate::common::contract::result(&out.stdout, out.status.code());
    assert_eq!(out.status.code(), Some(0), "{all:#}");
    let names: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["profile"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["acme", "secrets"]);
}
