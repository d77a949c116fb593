//! A path printed for pasting into a shell comes out quoted for the platform's shell, so a
//! folder with a space (`My Recipes`, `C:\Users\Jane Doe`) survives the paste.

use std::process::Command;

#[test]
fn recipes_new_prints_a_check_command_that_pastes_whole() {
    let dir = crate::common::temp::folder("pasted paths");
    let _ = std::fs::remove_dir_all(&dir);
    let file = dir.join("My Recipes").join("mine.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_eca-wizard"))
        .args(["recipes", "new", "mine", "--out"])
        .arg(&file)
        .env("ECA_WIZARD_HOME", dir.join("home"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8(out.stdout).unwrap();
    let shown = file.display().to_string();
    let quoted = if cfg!(windows) {
        format!("\"{shown}\"")
    } else {
        format!("'{shown}'")
    };
    assert!(
        said.trim_end()
            .ends_with(&format!("Check it with: eca-wizard recipes check {quoted}")),
        "{said}"
    );
    // The pasted command works: the same path, as the shell hands it over, checks clean.
    let check = Command::new(env!("CARGO_BIN_EXE_eca-wizard"))
        .args(["recipes", "check"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn the_pasted_command_runs_in_sh() {
    let dir = crate::common::temp::folder("pasted it's");
    let _ = std::fs::remove_dir_all(&dir);
    let file = dir.join("a b $x.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_eca-wizard"))
        .args(["recipes", "new", "mine", "--out"])
        .arg(&file)
        .env("ECA_WIZARD_HOME", dir.join("home"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8(out.stdout).unwrap();
    let command = said.split("Check it with: ").nth(1).unwrap().trim();
    let command = command.replacen("eca-wizard", env!("CARGO_BIN_EXE_eca-wizard"), 1);
    let run = Command::new("sh").args(["-c", &command]).output().unwrap();
    assert!(run.status.success(), "{command}: {run:?}");
    assert!(String::from_utf8_lossy(&run.stdout).contains(": ok: recipe mine"));
    std::fs::remove_dir_all(&dir).unwrap();
}
