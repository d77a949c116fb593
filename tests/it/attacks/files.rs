//! Files others could write or point elsewhere: a profile loaded from a shared folder, a
//! profile naming another home's secrets, a metadata project written through a symlink, open
//! folders and planted symlinks under the home, and a project written to a closed stdout.

use crate::common::launch;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

/// A loopback listener that only counts connections: any request reaching it is a leak.
async fn counting_listener() -> (Arc<AtomicUsize>, String) {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let count = Arc::new(AtomicUsize::new(0));
    let counted = count.clone();
    tokio::spawn(async move {
        while let Ok((_stream, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
        }
    });
    (count, base)
}

/// `profile` rewritten to log in at `base` with its secrets in `secrets`.
fn planted(profile: &str, base: &str, secrets: &Path) -> String {
    profile
        .lines()
        .map(|line| match line.split(" = ").next() {
            Some("login_url") => format!("login_url = \"{base}\""),
            Some("instance_url") => format!("instance_url = \"{base}\""),
            Some("file") => format!("file = \"{}\"", secrets.display()),
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn status(home: &Path, name: &str) -> (Option<i32>, String) {
    let mut command = wizard(home);
    command.args(["status", name]);
    let out = run(command).await;
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), said)
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[tokio::test]
async fn a_profile_from_a_shared_folder_or_naming_another_homes_secrets_is_refused() {
    let emulator = start();
    // The victim: a profile made against the emulator, its secrets in its own home.
    let victim = home("victim");
    let out = run(connect_cc(
        &victim,
        emulator.my_domain_url(),
        &["--save", "two"],
    ))
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let secrets = victim.join("secrets.toml");
    let original = std::fs::read_to_string(victim.join("profiles/two.toml")).unwrap();
    let (leaks, base) = counting_listener().await;
    let evil = planted(&original, &base, &secrets);
    assert!(evil.contains(&base) && evil.contains(&*secrets.to_string_lossy()));

    // A world-writable home with the profile planted in it.
    let shared = home("shared");
    std::fs::create_dir_all(shared.join("profiles")).unwrap();
    set_mode(&shared.join("profiles"), 0o700);
    std::fs::write(shared.join("profiles/two.toml"), &evil).unwrap();
    set_mode(&shared, 0o777);
    let (code, said) = status(&shared, "two").await;
    assert_ne!(code, Some(0), "{said}");
    assert!(said.contains("chmod go-w"), "{said}");

    // The same home made private: the profile still may not use another home's secrets.
    set_mode(&shared, 0o700);
    let (code, said) = status(&shared, "two").await;
    assert_ne!(code, Some(0), "{said}");
    assert!(
        said.contains("its secrets file is") && said.contains("only in its own home"),
        "{said}"
    );

    // Nor a profile file others can write, in a private home, with its own secrets file.
    let own = planted(&original, &base, &shared.join("secrets.toml"));
    std::fs::write(shared.join("profiles/two.toml"), &own).unwrap();
    set_mode(&shared.join("profiles/two.toml"), 0o666);
    let (code, said) = status(&shared, "two").await;
    assert_ne!(code, Some(0), "{said}");
    assert!(
        said.contains("chmod go-w") && said.contains("two.toml"),
        "{said}"
    );

    // Nor a secrets file others can read or write.
    set_mode(&shared.join("profiles/two.toml"), 0o600);
    std::fs::copy(&secrets, shared.join("secrets.toml")).unwrap();
    set_mode(&shared.join("secrets.toml"), 0o644);
    let (code, said) = status(&shared, "two").await;
    assert_ne!(code, Some(0), "{said}");
    assert!(said.contains("chmod 600"), "{said}");

    // Nor a profile whose file and name differ (it would use another name's keychain entry).
    std::fs::write(shared.join("profiles/other.toml"), &own).unwrap();
    let (code, said) = status(&shared, "other").await;
    assert_ne!(code, Some(0), "{said}");
    assert!(said.contains("names profile 'two'"), "{said}");

    assert_eq!(
        leaks.load(Ordering::SeqCst),
        0,
        "a request reached the listener"
    );
    // The victim's own profile, made against the emulator, keeps working.
    let (code, said) = status(&victim, "two").await;
    assert_eq!(code, Some(0), "{said}");
}

#[test]
fn metadata_force_writes_nothing_through_a_symlinked_subfolder() {
    let wizard_metadata = |out: &Path, force: bool| {
        let mut command = launch::fresh();
        command.args(["metadata", "--recipe", "apideck", "--out"]);
        command.arg(out);
        if force {
            command.arg("--force");
        }
        command.output().unwrap()
    };
    let project = home("linked-project");
    let elsewhere = home("linked-elsewhere");
    let out = wizard_metadata(&project, false);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // What the tool creates is owner-only: folders 0700, files 0600.
    for entry in walk(&project) {
        let mode = std::fs::symlink_metadata(&entry)
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        let expected = if entry.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode, expected, "{}", entry.display());
    }
    // force-app replaced by a symlink to a folder outside the project.
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::remove_dir_all(project.join("force-app")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, project.join("force-app")).unwrap();
    let readme = std::fs::read_to_string(project.join("README.md")).unwrap();
    std::fs::write(project.join("README.md"), "kept").unwrap();
    let out = wizard_metadata(&project, true);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("is a symlink"), "{said}");
    assert!(walk(&elsewhere).is_empty(), "written through the link");
    // Refused before the first write: the project is as it was.
    assert_eq!(
        std::fs::read_to_string(project.join("README.md")).unwrap(),
        "kept"
    );
    assert_ne!(readme, "kept");
}

#[test]
fn recipes_new_writes_an_owner_only_folder_and_file() {
    let home = home("recipes-new");
    let out = wizard(&home)
        .args(["recipes", "new", "acme-middleware", "--from", "apideck"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let folder = home.join("recipes");
    let file = folder.join("acme-middleware.toml");
    for (path, mode) in [(home.path(), 0o700), (&folder, 0o700), (&file, 0o600)] {
        let found = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(found, mode, "{}", path.display());
    }
}

#[tokio::test]
async fn open_folders_and_planted_symlinks_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let emulator = start();
    let save = |home: &Path| connect_cc(home, emulator.my_domain_url(), &["--save", "p"]);
    // A home other users can write to.
    let open = home("open");
    std::fs::create_dir_all(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = run(save(&open)).await;
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("can be written by other users"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!open.join("secrets.toml").exists());
    // A profiles folder replaced by a symlink to somewhere else.
    let linked = home("linked");
    let elsewhere = home("elsewhere");
    std::fs::create_dir_all(&linked).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, linked.join("profiles")).unwrap();
    let out = run(save(&linked)).await;
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read_dir(&elsewhere).unwrap().next().is_none(),
        "nothing was written through the link"
    );
    // Folders we create are owner-only whatever the umask.
    let fresh = home("fresh");
    assert!(run(save(&fresh)).await.status.success());
    for dir in [fresh.to_path_buf(), fresh.join("profiles")] {
        assert_eq!(
            std::fs::metadata(&dir).unwrap().permissions().mode() & 0o077,
            0,
            "{}",
            dir.display()
        );
    }
    // `metadata --out` at a dangling symlink creates nothing at its target.
    let target = home("dangling-target");
    let link = home("dangling-link");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = launch::fresh()
        .args(["metadata", "--recipe", "apideck", "--out"])
        .arg(&link)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!target.exists());
}

#[test]
fn a_closed_stdout_leaves_a_whole_project() {
    let out_dir = home("closed-stdout");
    let mut command = launch::fresh(); // kept while the child runs
    let mut child = command
        .args(["metadata", "--recipe", "apideck", "--out"])
        .arg(&out_dir)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // `| head -0`
    let status = child.wait().unwrap();
    assert!(status.success());
    let check = launch::fresh()
        .args(["metadata", "--check"])
        .arg(&out_dir)
        .args(["--recipe", "apideck"])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

/// Everything below `dir`, not following symlinks.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            found.extend(walk(&path));
        }
        found.push(path);
    }
    found
}
