//! `--version` is one short line; `version` and `version --json` carry what support needs.

use std::process::Command;

fn wizard(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_eca-wizard"))
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn short_version_is_one_line() {
    let expected = format!("eca-wizard {}\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(wizard(&["--version"]), expected);
    assert_eq!(wizard(&["-V"]), expected);
}

/// The commit git reports for this checkout, or None outside a git work tree.
fn checkout_commit() -> Option<String> {
    let dir = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("git")
        .args(["rev-parse", "--show-toplevel", "HEAD"])
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let mut lines = text.lines();
    let top = lines.next()?;
    let same = std::fs::canonicalize(top).ok()? == std::fs::canonicalize(dir).ok()?;
    (out.status.success() && same).then(|| lines.next().unwrap_or_default()[..12].to_owned())
}

#[test]
fn version_json_names_commit_target_and_date() {
    let envelope: serde_json::Value =
        serde_json::from_str(&wizard(&["version", "--json"])).unwrap();
    assert_eq!(envelope["command"], "version");
    let info = &envelope["result"];
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    let expected_commit = checkout_commit().unwrap_or_else(|| "unknown".into());
    assert_eq!(info["commit"], expected_commit.as_str());

    let target = info["target"].as_str().unwrap();
    assert!(target.starts_with(std::env::consts::ARCH), "{target}");
    let os_word = match std::env::consts::OS {
        "macos" => "apple-darwin",
        other => other,
    };
    assert!(target.contains(os_word), "{target}");

    let date = info["build_date"].as_str().unwrap();
    let digits: Vec<&str> = date.split('-').collect();
    assert_eq!(
        digits.iter().map(|d| d.len()).collect::<Vec<_>>(),
        [4, 2, 2],
        "{date}"
    );
    assert!(date >= "2026-01-01", "{date}");

    let text = wizard(&["version"]);
    assert!(text.starts_with(&format!("eca-wizard {}\n", env!("CARGO_PKG_VERSION"))));
    assert!(text.contains(&format!("target      {target}\n")), "{text}");
    assert!(
        text.contains(&format!("commit      {expected_commit}\n")),
        "{text}"
    );
}
