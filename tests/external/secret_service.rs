//! On a Linux desktop the secrets go to the Secret Service, which outlives the process (and the
//! restart the kernel keyring doesn't): a profile saved by one process is read back by another,
//! and `status` names the store. `.ci/run` runs the tests in a private D-Bus session with
//! gnome-keyring and sets `ECA_REQUIRE_SECRET_SERVICE=1`, so there this test can't skip.

use crate::common::{launch, temp};
use std::process::Output;

use crate::common::*;

/// The wizard with the session bus of the test's own environment (and nothing else of it).
fn wizard(home: &std::path::Path, args: &[&str]) -> Output {
    let mut command = launch::wizard(home);
    if let Some(bus) = std::env::var_os("DBUS_SESSION_BUS_ADDRESS") {
        command.env("DBUS_SESSION_BUS_ADDRESS", bus);
    }
    command
        .args(args)
        .env("ECA_WIZARD_CLIENT_SECRET", SECRET)
        .output()
        .unwrap()
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_kept_in_the_secret_service_is_read_by_the_next_process() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty());
    if !bus {
        assert!(
            std::env::var_os("ECA_REQUIRE_SECRET_SERVICE").is_none(),
            "no D-Bus session: .ci/run starts one with gnome-keyring"
        );
        eprintln!("skipped: no D-Bus session bus (run inside dbus-run-session with gnome-keyring)");
        return;
    }
    let emulator = start();
    let home = temp::folder("secret-service");
    let base = emulator.my_domain_url().to_string();
    let name = format!("ss-{}", std::process::id());
    let (home2, name2) = (home.to_path_buf(), name.clone());
    let saved = tokio::task::spawn_blocking(move || {
        wizard(
            &home2,
            &[
                "connect",
                "--login-url",
                &base,
                "--client-id",
                KEY,
                "--flow",
                "client-credentials",
                "--save",
                &name2,
            ],
        )
    })
    .await
    .unwrap();
    assert!(saved.status.success(), "{}", said(&saved));
    assert!(said(&saved).contains("Secret Service"), "{}", said(&saved));
    // Nothing secret on disk: the profile folder holds no secrets file.
    assert!(!home.join("secrets.toml").exists());
    let (home3, name3) = (home.to_path_buf(), name.clone());
    let status = tokio::task::spawn_blocking(move || wizard(&home3, &["status", &name3]))
        .await
        .unwrap();
    let text = said(&status);
    assert!(
        status.status.success(),
        "another process reads the secrets back:\n{text}"
    );
    assert!(text.contains("secrets in the Secret Service"), "{text}");
    // The profile keeps which keychain it was saved to; a run on another one says so.
    let file = home.join("profiles").join(format!("{name}.toml"));
    let kept = std::fs::read_to_string(&file).unwrap();
    assert!(kept.contains("keychain = \"secret-service\""), "{kept}");
    std::fs::write(
        &file,
        kept.replace("\"secret-service\"", "\"kernel-keyring\""),
    )
    .unwrap();
    let (home5, name5) = (home.to_path_buf(), name.clone());
    let moved = tokio::task::spawn_blocking(move || wizard(&home5, &["status", &name5]))
        .await
        .unwrap();
    assert!(
        said(&moved).contains("saved to the kernel-keyring store"),
        "{}",
        said(&moved)
    );
    let (home4, name4) = (home.to_path_buf(), name.clone());
    let out = tokio::task::spawn_blocking(move || wizard(&home4, &["logout", &name4]))
        .await
        .unwrap();
    assert!(out.status.success(), "{}", said(&out));
}
