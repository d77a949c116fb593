//! Restore markers: one that would run an option or touch another org, a real one that only
//! turns the setting off, and one that can't be read.

#[cfg(unix)]
use super::*;
#[cfg(unix)] // the markers' owner and mode checks
use crate::common::launch;

#[cfg(unix)]
fn write_marker(home: &Path, file: &str, org_id: &str, target: &str) {
    use std::os::unix::fs::PermissionsExt;
    let path = home.join(format!("restore-secret-setting-{file}.toml"));
    let text = format!(
        "org_id = \"{org_id}\"\ninstance_url = \"https://x.my.salesforce.com\"\ntarget = {}\nat_ms = 1\n",
        toml::Value::String(target.into())
    );
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

#[cfg(unix)]
fn markers(home: &Path) -> usize {
    std::fs::read_dir(home)
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("restore-secret-setting-")
        })
        .count()
}

/// Markers a command restores from: one naming an option as its login runs no `sf` with it,
/// one for another org than its login's changes nothing there (the admin's own setting, on in
/// org A, stays on), and a real one only ever turns the setting off.
#[cfg(unix)]
#[tokio::test]
async fn a_marker_runs_no_option_touches_no_other_org_and_only_turns_off() {
    let a = org_with_profile("markers").await;
    a.emulator.set_client_secret_in_rest_api(true);
    let log = a.home.join("sf.log");
    write_marker(&a.home, "opt", ORG_1, "--target-org=client-b");
    write_marker(&a.home, "dash", ORG_1, "-o");
    write_marker(&a.home, "other", ORG_2, "acme");
    let from = a.emulator.request_log().len();
    let status = |args: &[&str]| {
        sf_command(&a.sf, &a.emulator, &a.admin_token, "current", Some(&a.home))
            .env("FAKE_SF_LOG", &log)
            .args(args)
            .output()
            .unwrap()
    };
    let output = status(&["status", "sbs"]);
    let text = said(&output);
    assert!(
        a.emulator.org().client_secret_in_rest_api,
        "the admin's setting, on in A, is left on: {text}"
    );
    assert_eq!(org_work_since(&a.emulator, from), Vec::<String>::new());
    let calls = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        calls.lines().all(|l| !l.contains("--target-org -")),
        "an option reached sf: {calls}"
    );
    assert!(text.contains("points at another org"), "{text}");
    assert_eq!(
        text.matches("may still be on in org").count(),
        3,
        "each marker is named: {text}"
    );
    assert_eq!(markers(&a.home), 3, "none removed unrestored");

    // A marker of A's own login: the setting goes off, never on.
    for entry in std::fs::read_dir(&a.home).unwrap().flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with("restore-secret-setting-")
        {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    a.emulator.set_client_secret_in_rest_api(false);
    write_marker(&a.home, "00D5g0000000001", ORG_1, "acme");
    let output = status(&["status", "sbs"]);
    let text = said(&output);
    assert!(text.contains("off again in org"), "{text}");
    assert!(!a.emulator.org().client_secret_in_rest_api, "{text}");
    assert_eq!(markers(&a.home), 0, "{text}");
}

/// UNFIXED (reported): a marker that doesn't parse (here one field more, as another version of
/// eca-wizard might write) is skipped without a word, so the setting it stands for may stay on
/// with no command saying so.
#[cfg(unix)]
#[test]
fn an_unreadable_marker_is_named_not_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let home = home("marker-skew");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).unwrap();
    let path = home.join("restore-secret-setting-00D5g0000000001.toml");
    std::fs::write(
        &path,
        format!(
            "org_id = \"{ORG_1}\"\ninstance_url = \"https://acme.my.salesforce.com\"\ntarget = \"acme\"\nat_ms = 1\nversion = 2\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let output = launch::wizard(&home).arg("recipes").output().unwrap();
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("restore-secret-setting"),
        "nothing said: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
