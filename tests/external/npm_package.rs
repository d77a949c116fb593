//! The npm packages (the `eca-wizard` launcher and the platform package holding the binary),
//! built from this build's binary by scripts/npm-packages.mjs, install offline with
//! `npm install -g` into a temporary prefix, and the installed command runs.
//!
//! `.ci/run` sets `ECA_REQUIRE_NPM=1`, so in CI a missing Node.js or npm fails this test
//! instead of skipping it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NPM: &str = if cfg!(windows) { "npm.cmd" } else { "npm" };

fn tools_present() -> bool {
    let works = |program: &str| {
        Command::new(program)
            .arg("--version")
            .output()
            .is_ok_and(|out| out.status.success())
    };
    works("node") && works(NPM)
}

fn run(command: &mut Command) -> Output {
    let out = command.output().expect("starts");
    assert!(
        out.status.success(),
        "{command:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Where `npm install -g --prefix P` puts a command.
fn installed_command(prefix: &Path) -> PathBuf {
    if cfg!(windows) {
        prefix.join("eca-wizard.cmd")
    } else {
        prefix.join("bin/eca-wizard")
    }
}

#[test]
fn npm_package_installs_offline_and_runs() {
    if !tools_present() {
        assert!(
            std::env::var_os("ECA_REQUIRE_NPM").is_none(),
            "Node.js and npm are needed to build and install the npm package"
        );
        eprintln!("skipped: node or npm not found");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = crate::common::temp::folder("npm-package");
    let _ = std::fs::remove_dir_all(&work);
    let (out, prefix, cache) = (work.join("out"), work.join("prefix"), work.join("cache"));
    std::fs::create_dir_all(&cache).unwrap();
    let userconfig = work.join("npmrc");
    std::fs::write(&userconfig, "").unwrap();

    let built = run(Command::new("node")
        .arg(root.join("scripts/npm-packages.mjs"))
        .arg("--out")
        .arg(&out)
        .arg(format!("host={}", env!("CARGO_BIN_EXE_eca-wizard"))));
    let tarballs: Vec<PathBuf> = String::from_utf8(built.stdout)
        .unwrap()
        .lines()
        .map(PathBuf::from)
        .collect();
    let version = env!("CARGO_PKG_VERSION");
    let platform_tarball = format!(
        "eca-wizard-cli-{}-{}-{version}.tgz",
        node_platform(),
        node_arch()
    );
    let names: Vec<String> = tarballs
        .iter()
        .map(|t| t.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [platform_tarball, format!("eca-wizard-{version}.tgz")]
    );

    // An empty cache and no user config: nothing can come from anywhere but the tarballs.
    run(Command::new(NPM)
        .args([
            "install",
            "-g",
            "--offline",
            "--no-audit",
            "--no-fund",
            "--prefix",
        ])
        .arg(&prefix)
        .args(&tarballs)
        .env("npm_config_cache", &cache)
        .env("npm_config_userconfig", &userconfig)
        .env_remove("ECA_WIZARD_BINARY"));

    let command = installed_command(&prefix);
    let version_line = run(Command::new(&command).arg("--version")).stdout;
    assert_eq!(
        String::from_utf8_lossy(&version_line),
        format!("eca-wizard {version}\n")
    );
    let help = run(Command::new(&command).args(["demo", "--help"])).stdout;
    assert!(
        String::from_utf8_lossy(&help).contains("Usage: eca-wizard demo"),
        "{}",
        String::from_utf8_lossy(&help)
    );
    // A failing command's status passes through the launcher.
    let bad = Command::new(&command)
        .arg("no-such-command")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2), "{bad:?}");

    std::fs::remove_dir_all(&work).unwrap();
}

/// Node's names for this OS and CPU (`process.platform`, `process.arch`).
fn node_platform() -> &'static str {
    match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        other => other,
    }
}

fn node_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => other,
    }
}
