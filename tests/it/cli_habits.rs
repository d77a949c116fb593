//! The command line's habits: `-o` for the Salesforce CLI login (also to fill connect's login
//! URL), `--alias` and `--jwt-key-file` beside `--save` and `--private-key`, a man page per
//! subcommand with EXIT STATUS, ENVIRONMENT and FILES, and a closed pipe that ends no command
//! with a panic.

use std::process::{Command, Stdio};

use crate::common::*;

fn eca() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_eca-wizard"));
    command.stdin(Stdio::null());
    command
}

#[test]
fn every_subcommand_has_its_page_with_the_three_sections() {
    let main = eca().arg("manpage").output().unwrap();
    let main = String::from_utf8(main.stdout).unwrap();
    let mut pages = 0;
    for line in main.lines().filter(|l| l.starts_with("eca\\-wizard\\-")) {
        let sub = line
            .trim_start_matches("eca\\-wizard\\-")
            .trim_end_matches("(1)")
            .replace("\\-", "-");
        let page = eca().args(["manpage", &sub]).output().unwrap();
        assert_eq!(page.status.code(), Some(0), "{sub}");
        let text = String::from_utf8(page.stdout).unwrap();
        assert!(
            text.starts_with(".ie") || text.contains(&format!(".TH eca-wizard-{sub} 1")),
            "{sub}: {text}"
        );
        for section in [".SH \"EXIT STATUS\"", ".SH ENVIRONMENT", ".SH FILES"] {
            assert!(text.contains(section), "{sub} lacks {section}");
        }
        assert!(text.contains(".TP\n130\n"), "{sub}: the exit code table");
        pages += 1;
    }
    assert!(pages >= 15, "{pages} subcommand pages named:\n{main}");
    for section in [".SH \"EXIT STATUS\"", ".SH ENVIRONMENT", ".SH FILES"] {
        assert!(main.contains(section));
    }
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_no_command_with_a_panic() {
    for args in [
        "recipes show apideck --format toml",
        "recipes schema",
        "recipes",
        "manpage",
        "completions bash",
        "explain invalid_client_id",
    ] {
        let script = format!(
            "'{}' {args} | head -c 1 >/dev/null; echo \"${{PIPESTATUS[0]}}\"",
            env!("CARGO_BIN_EXE_eca-wizard")
        );
        let output = Command::new("bash").args(["-c", &script]).output().unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(!err.contains("panicked"), "{args}: {err}");
        let code = String::from_utf8_lossy(&output.stdout);
        assert_eq!(code.trim(), "0", "{args}: {err}");
    }
}

#[tokio::test]
async fn target_org_fills_the_login_url_and_the_sf_names_are_taken() {
    let emulator = start();
    let sf = sf_dir("habits");
    let home = crate::common::temp::folder("habits");
    let _ = std::fs::remove_dir_all(&home);
    let output = tokio::task::spawn_blocking({
        let (sf, home) = (sf.to_path_buf(), home.to_path_buf());
        let my_domain = emulator.my_domain_url().to_string();
        move || {
            let path = format!(
                "{}:{}",
                sf.display(),
                std::env::var("PATH").unwrap_or_default()
            );
            eca()
                .args([
                    "connect",
                    "-o",
                    "acme",
                    "--client-id",
                    KEY,
                    "--flow",
                    "client-credentials",
                ])
                .args(["--alias", "acme-cc", "--secrets-file", "--json"])
                .env("PATH", path)
                .env("FAKE_SF_INSTANCE_URL", &my_domain)
                .env("FAKE_SF_TOKEN", "unused")
                .env("FAKE_SF_MODE", "current")
                .env("ECA_WIZARD_HOME", &home)
                .env("ECA_WIZARD_CLIENT_SECRET", SECRET)
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    let result = contract::result(&output.stdout, output.status.code());
    assert_eq!(result["outcome"], "connected", "{result}");
    assert_eq!(result["instance_url"], emulator.my_domain_url());
    let profile = std::fs::read_to_string(home.join("profiles/acme-cc.toml")).unwrap();
    assert!(profile.contains("target_org = \"acme\""), "{profile}");
    let help = eca().args(["connect", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("jwt-key-file") && help.contains("alias"),
        "{help}"
    );
    let _ = std::fs::remove_dir_all(home);
    let _ = std::fs::remove_dir_all(sf);
}

/// Bash completes recipe ids after --recipe and profile names after `status`, asking the
/// binary for them.
#[cfg(unix)]
#[test]
fn bash_completion_offers_recipe_ids_and_profile_names() {
    let home = crate::common::temp::folder("habits-complete");
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(home.join("profiles")).unwrap();
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_eca-wizard"));
    let complete = |words: &str, index: usize| {
        let script = format!(
            "source <(eca-wizard completions bash); COMP_WORDS=({words}); COMP_CWORD={index}; _eca_wizard_names; echo \"${{COMPREPLY[@]}}\""
        );
        let path = format!(
            "{}:{}",
            bin.parent().unwrap().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let output = Command::new("bash")
            .args(["-c", &script])
            .env("PATH", path)
            .env("ECA_WIZARD_HOME", &home)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    assert_eq!(
        complete("eca-wizard connect --recipe apid", 3).trim(),
        "apideck"
    );
    assert!(
        complete("eca-wizard status ''", 2).trim().is_empty(),
        "no profiles yet"
    );
    let names = eca().args(["__complete", "recipes"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&names.stdout)
            .lines()
            .any(|l| l == "sf-cli-ci")
    );
    // A saved profile is offered after status.
    let profile = "format = 1\nname = \"acme-prod\"\nrecipe = \"apideck\"\nflow = \"auth-code\"\nlogin_url = \"https://acme.my.salesforce.com\"\nclient_id = \"K\"\nsecrets = \"keychain\"\n";
    std::fs::write(home.join("profiles/acme-prod.toml"), profile).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for (path, mode) in [
            (home.to_path_buf(), 0o700),
            (home.join("profiles"), 0o700),
            (home.join("profiles/acme-prod.toml"), 0o600),
        ] {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        }
    }
    assert_eq!(complete("eca-wizard status acme", 2).trim(), "acme-prod");
    let _ = std::fs::remove_dir_all(home);
}
