//! A profile keeps the answers to its recipe's choices: `apply --save` with the non-default
//! answer (JWT bearer in a recipe whose default is client credentials) writes them, and
//! `profiles`, `status`, `status --drift` and `export` then work on that combination, not the
//! recipe's defaults. An answer the recipe doesn't offer is refused naming the profile and the
//! fix; a profile file written before answers existed still loads.

use std::process::Output;

use crate::common::*;
use eca_wizard::emulator::Emulator;
use eca_wizard::emulator::org::{DEMO_JWT_CERTIFICATE, DEMO_JWT_KEY};

const EXAMPLE: &str = include_str!("../data/format2-example.toml");

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("{}", text(output)))
}

struct Saved {
    emulator: Emulator,
    token: String,
    sf: temp::Folder,
    home: temp::Folder,
}

impl Saved {
    fn run(&self, args: &[&str]) -> Output {
        run_with_sf(
            &self.sf,
            &self.emulator,
            &self.token,
            "current",
            Some(&self.home),
            args,
        )
    }
}

/// The example recipe in the home's recipes folder, applied with `flow=jwt-bearer` and saved
/// as profile `etl`.
async fn applied_with_jwt() -> Saved {
    let emulator = start();
    let token = admin_token(&emulator).await;
    let sf = sf_dir("choices-sf");
    let home = temp::folder("choices-home");
    std::fs::create_dir_all(home.join("recipes")).unwrap();
    std::fs::write(home.join("recipes/etl.toml"), EXAMPLE).unwrap();
    let (cert, key) = (home.join("server.crt"), home.join("server.key"));
    std::fs::write(&cert, DEMO_JWT_CERTIFICATE).unwrap();
    std::fs::write(&key, DEMO_JWT_KEY).unwrap();
    let (cert, key) = (cert.display().to_string(), key.display().to_string());
    let saved = Saved {
        emulator,
        token,
        sf,
        home,
    };
    let output = saved.run(&[
        "apply",
        "--recipe",
        "etl-either-flow",
        "--choice",
        "flow=jwt-bearer",
        "--target-org",
        "acme",
        "--name",
        "ETL_Jwt",
        "--create-user",
        "etl@acme.example",
        "--contact-email",
        "admin@acme.example",
        "--certificate",
        &cert,
        "--private-key",
        &key,
        "--save",
        "etl",
        "--secrets-file",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        text(&output).contains("connecting with JWT bearer"),
        "{}",
        text(&output)
    );
    saved
}

#[tokio::test]
async fn a_profile_saved_with_a_non_default_answer_is_checked_as_that_combination() {
    let s = applied_with_jwt().await;
    let file = std::fs::read_to_string(s.home.join("profiles/etl.toml")).unwrap();
    assert!(
        file.contains("[choices]") && file.contains("flow = \"jwt-bearer\""),
        "{file}"
    );

    let listed = json(&s.run(&["profiles", "--json"]));
    assert_eq!(
        listed["result"][0]["choices"]["flow"], "jwt-bearer",
        "{listed}"
    );

    let status = s.run(&["status", "etl", "--json"]);
    let report = json(&status);
    assert_eq!(status.status.code(), Some(0), "{report}");
    assert_eq!(
        report["result"][0]["choices"]["flow"], "jwt-bearer",
        "{report}"
    );

    // The default combination wants client credentials on, a Run As user and no JWT: the app
    // made with JWT bearer would all be drift.
    let drift = s.run(&["status", "etl", "--drift", "--target-org", "acme"]);
    assert_eq!(drift.status.code(), Some(0), "{}", text(&drift));
    assert!(text(&drift).contains("no drift"), "{}", text(&drift));

    let export = s.run(&["export", "etl", "--format", "sf-jwt"]);
    assert_eq!(export.status.code(), Some(0), "{}", text(&export));
    assert!(
        text(&export).contains("sf org login jwt"),
        "{}",
        text(&export)
    );

    // `metadata --from` the profile makes its app again, with its answers.
    let out = s.home.join("project");
    let made = s.run(&[
        "metadata",
        "--recipe",
        "etl-either-flow",
        "--from",
        "etl",
        "--no-jwt-certificate",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(
        json(&made)["result"]["choices"]["flow"],
        "jwt-bearer",
        "{}",
        text(&made)
    );

    // A second apply to the profile makes the app its answers made, without --choice: JWT
    // bearer asks for its certificate (the default would ask for a Run As user).
    let again = s.run(&[
        "apply",
        "--recipe",
        "etl-either-flow",
        "--target-org",
        "acme",
        "--name",
        "ETL_Jwt",
        "--dry-run",
        "--save",
        "etl",
        "--json",
    ]);
    let said = text(&again);
    assert_eq!(again.status.code(), Some(2), "{said}");
    assert!(
        said.contains(
            "the etl-either-flow recipe uses JWT bearer, which needs the app's certificate"
        ),
        "{said}"
    );
}

#[tokio::test]
async fn an_answer_the_recipe_does_not_offer_is_refused_naming_the_profile_and_the_fix() {
    let s = applied_with_jwt().await;
    let path = s.home.join("profiles/etl.toml");
    let file = std::fs::read_to_string(&path).unwrap();
    for (edited, said) in [
        (
            file.replace(
                "[choices]\nflow = \"jwt-bearer\"",
                "[choices]\nflow = \"jwt-barer\"",
            ),
            "its answer flow = \"jwt-barer\" is not an option of recipe 'etl-either-flow' (its options: client-credentials, jwt-bearer)",
        ),
        (
            file.replace("[choices]\n", "[choices]\nclient = \"desktop\"\n"),
            "it answers choice 'client', which recipe 'etl-either-flow' doesn't ask (its choices: flow)",
        ),
        (
            file.replace(
                "[choices]\nflow = \"jwt-bearer\"",
                "[choices]\nflow = \"client-credentials\"",
            ),
            "contradicts its own flow jwt-bearer",
        ),
    ] {
        assert_ne!(edited, file);
        write_private(&path, &edited);
        for args in [
            &["status", "etl", "--json"][..],
            &["export", "etl", "--format", "sf-jwt"],
            &["token", "etl"],
            &["status", "etl", "--drift", "--target-org", "acme"],
        ] {
            let output = s.run(args);
            // JSON escapes the quotes the message holds.
            let all = text(&output).replace("\\\"", "\"");
            assert_ne!(output.status.code(), Some(0), "{args:?}: {all}");
            assert!(
                all.contains("profile 'etl' can't be checked as it was connected")
                    && all.contains(said)
                    && all.contains("Fix `choices` in")
                    && all.contains("--choice ID=OPTION --save etl"),
                "{args:?}: {all}"
            );
        }
    }
}

/// A profile written before answers existed (format 2, no `choices`) still loads and is
/// checked with its own flow as the answer to the recipe's `flow` choice.
#[tokio::test]
async fn a_profile_without_answers_still_loads_and_answers_flow_with_its_own() {
    let s = applied_with_jwt().await;
    let path = s.home.join("profiles/etl.toml");
    let file = std::fs::read_to_string(&path).unwrap();
    let old = file
        .replace("format = 3", "format = 2")
        .replace("[choices]\nflow = \"jwt-bearer\"\n", "");
    assert!(!old.contains("[choices]"), "{old}");
    write_private(&path, &old);
    let loaded = eca_wizard::profile::load(&s.home.join("profiles"), "etl").unwrap();
    assert!(loaded.choices.is_empty());
    let status = s.run(&["status", "etl", "--json"]);
    let report = json(&status);
    assert_eq!(status.status.code(), Some(0), "{report}");
    assert_eq!(
        report["result"][0]["choices"]["flow"], "jwt-bearer",
        "{report}"
    );
}

/// Writes a profile file as eca-wizard does: owner-only.
fn write_private(path: &std::path::Path, text: &str) {
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}
