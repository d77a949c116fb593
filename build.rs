//! Records what support needs to know about a binary (`eca-wizard version`): the commit it was
//! built from, the target triple and the build time. No dependencies: git when the source is a
//! git checkout of this crate, else the commit `cargo package` wrote into `.cargo_vcs_info.json`
//! (a crates.io build), else "unknown".

use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let dir = Path::new(&manifest_dir);
    let commit = git_commit(dir)
        .or_else(|| packaged_commit(dir))
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=ECA_BUILD_COMMIT={commit}");
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".into());
    println!("cargo:rustc-env=ECA_BUILD_TARGET={target}");
    // Reproducible builds set SOURCE_DATE_EPOCH; otherwise the time this script ran.
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .or_else(|| Some(SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs()))
        .unwrap_or(0);
    println!("cargo:rustc-env=ECA_BUILD_EPOCH={epoch}");
    println!("cargo:rerun-if-changed=build.rs");
}

/// The checked-out commit, only when `dir` is the top of its own git work tree (a crate
/// unpacked inside some other repository must not report that repository's commit). Asks
/// cargo to run this again when HEAD moves.
fn git_commit(dir: &Path) -> Option<String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    if std::fs::canonicalize(&top).ok()? != std::fs::canonicalize(dir).ok()? {
        return None;
    }
    // The files that move when HEAD does. Without them cargo would keep the first commit it
    // saw; when they can't be named, the whole git folder is watched instead.
    match git(dir, &["rev-parse", "--absolute-git-dir"]) {
        Some(git_dir) => {
            let git_dir = Path::new(&git_dir);
            let mut watched = vec![git_dir.join("HEAD"), git_dir.join("packed-refs")];
            if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
                watched.push(git_dir.join(branch));
            }
            for file in watched {
                println!("cargo:rerun-if-changed={}", file.display());
            }
        }
        None => println!("cargo:rerun-if-changed={}", dir.join(".git").display()),
    }
    git(dir, &["rev-parse", "--short=12", "HEAD"])
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (output.status.success() && !text.is_empty()).then(|| text.to_owned())
}

/// `cargo package` records `"sha1": "<commit>"` in `.cargo_vcs_info.json`.
fn packaged_commit(dir: &Path) -> Option<String> {
    let info = std::fs::read_to_string(dir.join(".cargo_vcs_info.json")).ok()?;
    let after = &info[info.find("\"sha1\"")? + "\"sha1\"".len()..];
    let start = after.find('"')? + 1;
    let sha: String = after[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (sha.len() >= 12).then(|| sha[..12].to_owned())
}
