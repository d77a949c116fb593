//! `connect --save`: the secret store is chosen and probed before any login, and the report is
//! printed even when saving fails, with `save_error`.

use std::path::Path;
use std::process::{Output, Stdio};

use crate::common::*;

fn home(name: &str) -> crate::common::temp::Folder {
    let dir = crate::common::temp::folder(&format!("save-first-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&dir);
    dir
}

fn connect_and_save(home: &Path, login: &str) -> Output {
    crate::common::launch::wizard(home)
        .args(["connect", "--login-url", login, "--client-id", KEY])
        .args([
            "--flow",
            "client-credentials",
            "--save",
            "acme",
            "--secrets-file",
            "--json",
        ])
        .env("ECA_WIZARD_CLIENT_SECRET", SECRET)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn a_store_that_cannot_keep_anything_stops_before_the_login() {
    let home = home("blocked");
    std::fs::write(&home, "not a folder").unwrap();
    // A login URL nothing listens on: had anything been sent, the cause would be the network.
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = connect_and_save(&home, &format!("http://127.0.0.1:{port}"));
    let envelope = contract::envelope(&output.stdout, output.status.code());
    assert_eq!(
        envelope["error"]["kind"], "secret_store_unusable",
        "{envelope}"
    );
    assert!(
        envelope["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("nothing was sent")
    );
    assert_eq!(std::fs::read_to_string(&home).unwrap(), "not a folder");
    let _ = std::fs::remove_file(home);
}

#[tokio::test]
async fn a_failed_save_still_prints_the_report_with_save_error() {
    let emulator = start();
    let home = home("save-error");
    // The secrets file's name is taken by a folder: the probe passes, the write fails.
    std::fs::create_dir_all(home.join("secrets.toml")).unwrap();
    let login = emulator.my_domain_url().to_string();
    let output = tokio::task::spawn_blocking({
        let home = home.to_path_buf();
        move || connect_and_save(&home, &login)
    })
    .await
    .unwrap();
    let result = contract::result(&output.stdout, output.status.code());
    assert_eq!(output.status.code(), Some(1), "{result}");
    assert_eq!(result["outcome"], "connected");
    assert_eq!(result["profile"], serde_json::Value::Null);
    assert!(
        result["save_error"].as_str().is_some_and(|e| !e.is_empty()),
        "{result}"
    );
    assert!(!result.to_string().contains(SECRET));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("connected, but the profile wasn't saved"),
        "{said}"
    );
    let _ = std::fs::remove_dir_all(home);
}
