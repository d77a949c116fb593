//! `metadata --check DIR`: a clean generated project passes; each defect that makes a deploy
//! fail or deploy wrong, planted in one, is found with its file, element and fix.

use crate::common::{launch, temp};
use std::path::{Path, PathBuf};
use std::process::Output;

const CERTIFICATE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/emulator/demo-jwt-cert.pem"
);

fn wizard(args: &[&str]) -> Output {
    launch::fresh().args(args).output().unwrap()
}

/// A fresh project of `recipe` in its own temp folder.
fn project(name: &str, recipe: &str, extra: &[&str]) -> temp::Folder {
    let dir = temp::folder(name);
    let mut args = vec![
        "metadata",
        "--recipe",
        recipe,
        "--out",
        dir.to_str().unwrap(),
    ];
    args.extend([
        "--run-as",
        "integration@example.com",
        "--callback-url",
        "https://app.example.com/cb",
    ]);
    args.extend(extra);
    let out = wizard(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn check(dir: &Path, recipe: Option<&str>) -> (i32, String) {
    let mut args = vec!["metadata", "--check", dir.to_str().unwrap()];
    if let Some(recipe) = recipe {
        args.extend(["--recipe", recipe]);
    }
    let out = wizard(&args);
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The one file under `dir` whose name ends with `suffix`.
fn file(dir: &Path, suffix: &str) -> PathBuf {
    fn walk(dir: &Path, suffix: &str) -> Option<PathBuf> {
        for entry in std::fs::read_dir(dir).ok()? {
            let path = entry.ok()?.path();
            if path.is_dir() {
                if let Some(found) = walk(&path, suffix) {
                    return Some(found);
                }
            } else if path.to_string_lossy().ends_with(suffix) {
                return Some(path);
            }
        }
        None
    }
    walk(dir, suffix).unwrap_or_else(|| panic!("no {suffix}"))
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn assert_found(dir: &Path, recipe: Option<&str>, needles: &[&str]) {
    let (code, out) = check(dir, recipe);
    assert_eq!(code, 1, "{out}");
    for needle in needles {
        assert!(
            out.lines()
                .any(|l| l.starts_with("problem: ") && l.contains(needle)),
            "{needle}:\n{out}"
        );
    }
}

#[test]
fn a_generated_project_passes_for_every_recipe() {
    for recipe in eca_wizard::recipe::builtin().unwrap() {
        let dir = project(&recipe.id, &recipe.id, &["--certificate", CERTIFICATE]);
        let (code, out) = check(&dir, Some(&recipe.id));
        assert_eq!(code, 0, "{}: {out}", recipe.id);
        assert!(out.contains("ok: "), "{out}");
    }
}

#[test]
fn a_force_ignored_global_settings_folder() {
    let dir = project("forceignore", "apideck", &[]);
    std::fs::write(dir.join(".forceignore"), "**/extlClntAppGlobalOauthSets/\n").unwrap();
    assert_found(
        &dir,
        None,
        &[".forceignore: **/extlClntAppGlobalOauthSets/: remove this line"],
    );
}

#[test]
fn global_settings_that_git_would_commit() {
    let dir = project("gitignore", "apideck", &[]);
    std::fs::write(dir.join(".gitignore"), "node_modules/\n").unwrap();
    assert_found(&dir, None, &[".gitignore: extlClntAppGlobalOauthSets: add"]);
}

#[test]
fn a_manifest_member_without_its_file() {
    let dir = project("manifest", "apideck", &[]);
    std::fs::remove_file(file(&dir, ".ecaGlblOauth-meta.xml")).unwrap();
    assert_found(
        &dir,
        None,
        &[
            "manifest/package.xml: ExtlClntAppGlobalOauthSettings",
            "not found",
        ],
    );
}

#[test]
fn packaged_policy_names_are_a_warning_only() {
    let dir = project("names", "apideck", &["--policy-names", "packaged"]);
    let (code, out) = check(&dir, None);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("warning: ")
            && out.contains("_oauthPlcy")
            && out.contains("duplicate value found"),
        "{out}"
    );
}

#[test]
fn an_object_without_object_permissions() {
    let dir = project("objects", "aptedge", &[]);
    edit(
        &file(&dir, ".permissionset-meta.xml"),
        "<object>Case</object>",
        "<object>CaseComment</object>",
    );
    assert_found(
        &dir,
        None,
        &["objectPermissions CaseComment: remove it", "parent Case"],
    );
}

#[test]
fn jwt_bearer_without_its_certificate() {
    let dir = project("jwt", "lightning-out", &["--no-jwt-certificate"]);
    assert_found(
        &dir,
        Some("lightning-out"),
        &["certificate: missing", "JWT bearer off"],
    );
}

#[test]
fn client_credentials_without_a_run_as_user() {
    let dir = project("runas", "service-board-sync", &[]);
    let policies = file(&dir, ".ecaOauthPlcy-meta.xml");
    let text = std::fs::read_to_string(&policies).unwrap();
    let start = text.find("    <clientCredentialsFlowUser>").unwrap();
    let end = text[start..].find('\n').unwrap() + start + 1;
    std::fs::write(&policies, format!("{}{}", &text[..start], &text[end..])).unwrap();
    assert_found(
        &dir,
        None,
        &[
            "clientCredentialsFlowUser: missing",
            "no client credentials user enabled",
        ],
    );
}

#[test]
fn a_satellite_linked_to_another_app() {
    let dir = project("link", "apideck", &[]);
    let settings = file(&dir, ".ecaOauth-meta.xml");
    let text = std::fs::read_to_string(&settings).unwrap();
    let start =
        text.find("<externalClientApplication>").unwrap() + "<externalClientApplication>".len();
    let end = text[start..].find('<').unwrap() + start;
    std::fs::write(
        &settings,
        format!("{}Some_Other_App{}", &text[..start], &text[end..]),
    )
    .unwrap();
    assert_found(
        &dir,
        None,
        &["externalClientApplication: names Some_Other_App"],
    );
}

#[test]
fn a_retrieved_consumer_key() {
    let dir = project("key", "apideck", &[]);
    edit(
        &file(&dir, ".ecaGlblOauth-meta.xml"),
        "<callbackUrl>",
        "<consumerKey>3MVG9REDACTED</consumerKey>\n    <callbackUrl>",
    );
    assert_found(&dir, None, &["consumerKey: remove it"]);
}

#[test]
fn a_setting_the_recipe_sets_otherwise() {
    // Apideck refreshes without the secret (seed 004): the most common mistake.
    let dir = project("toggle", "apideck", &[]);
    edit(
        &file(&dir, ".ecaGlblOauth-meta.xml"),
        "<isSecretRequiredForRefreshToken>false</isSecretRequiredForRefreshToken>",
        "<isSecretRequiredForRefreshToken>true</isSecretRequiredForRefreshToken>",
    );
    let (code, out) = check(&dir, None);
    assert_eq!(code, 0, "without a recipe this is a choice: {out}");
    assert_found(
        &dir,
        Some("apideck"),
        &[
            "isSecretRequiredForRefreshToken: is \"true\"; the apideck recipe sets \"false\" (Setup: Require secret for Refresh Token Flow)",
        ],
    );
}

#[test]
fn usage_mistakes_exit_two() {
    let out = wizard(&["metadata", "--check", "/nonexistent/eca-project"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a folder"));
    let out = wizard(&["metadata", "--out", "/tmp/x"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A copy of `tests/fixtures/retrieved-eca` (its ignore file stored as `gitignore`).
fn retrieved_project(name: &str) -> temp::Folder {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let target = to.join(if name == "gitignore" {
                ".gitignore"
            } else {
                &name
            });
            if path.is_dir() {
                copy(&path, &target);
            } else {
                std::fs::copy(&path, &target).unwrap();
            }
        }
    }
    let dir = temp::folder(name);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/retrieved-eca");
    copy(&fixture, &dir);
    dir
}

#[test]
fn org_bound_values_of_a_retrieved_project_are_found_in_the_files_that_hold_them() {
    let dir = retrieved_project("retrieved");
    let (code, out) = check(&dir, None);
    assert_eq!(code, 1, "{out}");
    let problems: Vec<&str> = out.lines().filter(|l| l.starts_with("problem: ")).collect();
    let link = "problem: force-app/main/default/extlClntAppOauthSettings/Acme_Sync_oauth.ecaOauth-meta.xml: oauthLink: remove it";
    let scoped = "problem: force-app/main/default/externalClientApps/Acme_Sync.eca-meta.xml: orgScopedExternalApp: remove it";
    assert!(
        problems
            .iter()
            .any(|l| l.starts_with(link) && l.contains("distribution state PACKAGED")),
        "{out}"
    );
    assert!(problems.iter().any(|l| l.starts_with(scoped)), "{out}");
    assert_eq!(
        problems.len(),
        2,
        "nothing else, the global settings least: {out}"
    );

    // Without them the retrieved project passes, Setup's member names and all.
    edit(
        &file(&dir, ".ecaOauth-meta.xml"),
        "    <oauthLink>00D000000000001:888000000000001</oauthLink>\n",
        "",
    );
    edit(
        &file(&dir, ".eca-meta.xml"),
        "    <orgScopedExternalApp>00D000000000001:Acme_Sync</orgScopedExternalApp>\n",
        "",
    );
    let (code, out) = check(&dir, None);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("warning: "), "{out}");
}
