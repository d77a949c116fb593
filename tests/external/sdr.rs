//! Salesforce's own packaging library (`@salesforce/source-deploy-retrieve`, what the Salesforce
//! CLI deploys with) reads every recipe's generated project from the manifest and from the source
//! folder: every component resolves, nothing is force-ignored or dropped, and the converted
//! metadata keeps every element the generator wrote (`tests/sdr/check.mjs`).
//!
//! `.ci/run` installs the library (`tests/sdr/`, `npm ci`) and sets `ECA_REQUIRE_SDR=1`, so in CI
//! a missing install fails this test instead of skipping it.

use crate::common::{launch, temp};
use std::path::Path;
use std::process::Command;

const CERTIFICATE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/emulator/demo-jwt-cert.pem"
);

#[test]
fn every_recipe_packages_with_the_salesforce_cli_library() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdr");
    if !dir
        .join("node_modules/@salesforce/source-deploy-retrieve")
        .is_dir()
    {
        assert!(
            std::env::var_os("ECA_REQUIRE_SDR").is_none(),
            "source-deploy-retrieve is not installed: run `npm ci` in tests/sdr"
        );
        eprintln!("skipped: source-deploy-retrieve not installed (npm ci in tests/sdr)");
        return;
    }
    let out = temp::created("sdr");
    let recipes = eca_wizard::recipe::builtin().unwrap();
    for recipe in recipes {
        let project = out.join(&recipe.id);
        let mut generate = launch::wizard(&out);
        generate
            .args(["metadata", "--recipe", &recipe.id, "--out"])
            .arg(&project)
            .args(["--callback-url", "https://app.example.com/oauth/callback"])
            .args([
                "--run-as",
                "integration@example.com",
                "--certificate",
                CERTIFICATE,
            ]);
        let made = generate.output().unwrap();
        assert!(
            made.status.success(),
            "{}: {}",
            recipe.id,
            String::from_utf8_lossy(&made.stderr)
        );
        let checked = Command::new("node")
            .arg("check.mjs")
            .arg(&project)
            .current_dir(&dir)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&checked.stdout);
        let report: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
            panic!(
                "{}: {e}: {stdout}\n{}",
                recipe.id,
                String::from_utf8_lossy(&checked.stderr)
            )
        });
        assert_eq!(report["ok"], true, "{}: {report:#}", recipe.id);
        let components = report["components"].as_array().unwrap();
        assert_eq!(components.len(), 6, "{}: {report:#}", recipe.id);
        for component in components {
            for side in ["fromManifest", "fromSource", "converted"] {
                assert_eq!(component[side], true, "{}: {component}", recipe.id);
            }
        }
    }
}
