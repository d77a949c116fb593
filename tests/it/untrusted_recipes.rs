//! Recipe files are shared between consultants, so the tool treats them as untrusted input: a
//! bad file in the recipes folder is named and skipped while every command keeps working;
//! text that could drive a terminal, callbacks that send a code elsewhere, a consumer secret
//! marked not secret, a huge file, a folder others may write to, a borrowed id or title are
//! all refused.

use std::path::Path;

use crate::common::recipe_files::*;
use crate::common::*;

const POSTMAN: &str = include_str!("../../assets/recipes/postman-client-credentials.toml");
const CURSOR: &str = include_str!("../../assets/recipes/mcp-cursor.toml");

/// Asserts `recipes` still lists the built-in and good local recipes and warns about `bad`.
fn assert_skipped(home: &Path, bad: &str, says: &str) {
    let listed = wizard(home, &["recipes"]);
    let all = text(&listed);
    assert!(listed.status.success(), "{all}");
    let stderr = String::from_utf8_lossy(&listed.stderr);
    assert!(
        stderr.contains("warning: recipe skipped") && stderr.contains(bad) && stderr.contains(says),
        "{bad}: expected '{says}' in {stderr}"
    );
    let stdout = String::from_utf8_lossy(&listed.stdout);
    assert!(
        stdout.contains("apideck") && stdout.contains("acme-etl"),
        "{stdout}"
    );
    assert!(
        !all.contains('\u{1b}'),
        "no raw escape reaches the terminal: {all:?}"
    );
    // Under --json the skip is one of the envelope's warnings.
    let json = wizard(home, &["recipes", "--json"]);
    let envelope: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let warnings = envelope["warnings"].as_array().cloned().unwrap_or_default();
    assert!(
        warnings.iter().any(|w| w["kind"] == "recipe_skipped"
            && w["message"].as_str().is_some_and(|m| m.contains(bad))),
        "{bad}: {envelope}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_file_in_the_folder_is_named_and_everything_else_works() {
    let home = home("bad-file");
    std::fs::write(home.join("recipes/acme-etl.toml"), acme_etl()).unwrap();
    std::fs::write(
        home.join("recipes/broken.toml"),
        "id = \"broken\"\ntitle = [",
    )
    .unwrap();
    assert_skipped(&home, "broken.toml", "not valid TOML");

    // explain, metadata, demo and connect, with built-in and local recipes alike.
    let explained = wizard(
        &home,
        &["explain", "invalid_client_id", "--recipe", "apideck"],
    );
    assert!(explained.status.success(), "{}", text(&explained));
    let out = home.join("out");
    let metadata = wizard(
        &home,
        &[
            "metadata",
            "--recipe",
            "apideck",
            "--out",
            &out.display().to_string(),
        ],
    );
    assert!(metadata.status.success(), "{}", text(&metadata));
    let demo = wizard(&home, &["demo", "--fault", "no-such-fault"]);
    assert!(
        text(&demo).contains("no-run-as (service-board-sync, postman-client-credentials"),
        "the demo lists its faults by recipe: {}",
        text(&demo)
    );
    let emulator = start();
    for recipe in ["postman-client-credentials", "acme-etl"] {
        let report = connect_json(&home, &emulator, &["--recipe", recipe]).await;
        assert_eq!(report["outcome"], "connected", "{recipe}: {report}");
    }
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn terminal_controls_bidi_and_invisible_characters_are_refused_at_load() {
    let home = home("controls");
    std::fs::write(home.join("recipes/acme-etl.toml"), acme_etl()).unwrap();
    let cases = [
        ("osc52", "\\u001b]52;c;ZXZpbA==\\u0007", "U+001B"),
        ("clear", "\\u001b[2J", "U+001B"),
        ("csi", "\\u009b2J", "C1"),
        ("bidi", "admin\\u202Eresu", "bidi"),
        ("zero-width", "in\\u200Bvisible", "invisible"),
    ];
    for (name, planted, says) in cases {
        let file = home.join(format!("recipes/{name}.toml"));
        let recipe = acme_etl()
            .replace("id = \"acme-etl\"", &format!("id = \"{name}\""))
            .replacen("title = \"Acme", &format!("title = \"{planted} {name}"), 1);
        std::fs::write(&file, recipe).unwrap();
        assert_skipped(&home, &format!("{name}.toml"), says);
        // recipes check names the line.
        let checked = wizard(&home, &["recipes", "check", &file.display().to_string()]);
        assert_eq!(checked.status.code(), Some(1), "{}", text(&checked));
        assert!(text(&checked).contains(says), "{}", text(&checked));
        assert!(!text(&checked).contains('\u{1b}'));
        std::fs::remove_file(&file).unwrap();
    }
    // In a step's text too, and through --json.
    let file = home.join("recipes/what.toml");
    std::fs::write(
        &file,
        acme_etl()
            .replace("id = \"acme-etl\"", "id = \"what\"")
            .replacen("title = \"Acme", "title = \"What", 1)
            .replacen("what = \"", "what = \"\\u0085\\u2066", 1),
    )
    .unwrap();
    let json = wizard(&home, &["recipes", "--json"]);
    let out = String::from_utf8_lossy(&json.stdout);
    assert!(
        !out.contains('\u{85}') && !out.contains('\u{2066}'),
        "{out}"
    );
    assert!(!out.contains("\"what\""), "the file is skipped: {out}");
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn callbacks_are_validated_wherever_a_recipe_puts_them() {
    let home = home("callbacks");
    std::fs::write(home.join("recipes/acme-etl.toml"), acme_etl()).unwrap();
    let callback_line = "callback_urls = [\"https://oauth.pstmn.io/v1/callback\"]";
    let field = "[[steps.fields]]\nid = \"callback_urls\"\nrole = \"callback-urls\"";
    let cases: [(&str, &str, &str); 6] = [
        (
            callback_line,
            "callback_urls = [\"http://attacker.example/steal\"]",
            "https://",
        ),
        (
            callback_line,
            "callback_urls = [\"javascript:alert(1)//x\"]",
            "https://",
        ),
        (
            callback_line,
            "callback_urls = [\"file://host/etc/passwd\"]",
            "not supported",
        ),
        (
            callback_line,
            "callback_urls = [\"http://<tenant>.attacker.example/cb\"]",
            "https://",
        ),
        (
            field,
            &format!("{field}\ndefault = \"http://attacker.example/steal\""),
            "https://",
        ),
        (
            callback_line,
            "callback_urls = [\"https://<a b>.example.com/cb\"]",
            "placeholder",
        ),
    ];
    let cursor = CURSOR
        .replace("id = \"mcp-cursor\"", "id = \"evil\"")
        .replacen("title = \"", "title = \"Evil ", 1);
    for (n, (find, put, says)) in cases.iter().enumerate() {
        let base = if find.starts_with("[[") {
            &cursor
        } else {
            &acme_etl()
        };
        assert!(base.contains(find), "{find}");
        let recipe = base
            .replacen(find, put, 1)
            .replace("id = \"acme-etl\"", "id = \"evil\"")
            .replacen("title = \"Acme", "title = \"Evil", 1);
        let file = home.join(format!("recipes/evil{n}.toml"));
        std::fs::write(&file, recipe).unwrap();
        assert_skipped(&home, &format!("evil{n}.toml"), says);
        std::fs::remove_file(&file).unwrap();
    }
    // A saved callback or a typed one reaches the metadata through the same check.
    let out = home.join("out");
    let refused = wizard(
        &home,
        &[
            "metadata",
            "--recipe",
            "mcp-cursor",
            "--callback-url",
            "http://attacker.example/steal",
            "--out",
            &out.display().to_string(),
        ],
    );
    assert!(!refused.status.success());
    assert!(!out.exists());
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn the_consumer_secret_is_always_secret() {
    let home = home("secret");
    let plain = acme_etl().replace("secret = true", "secret = false");
    assert_ne!(plain, acme_etl());
    std::fs::write(home.join("recipes/acme-etl.toml"), acme_etl()).unwrap();
    std::fs::write(
        home.join("recipes/plain.toml"),
        plain
            .replace("id = \"acme-etl\"", "id = \"plain\"")
            .replacen("title = \"Acme", "title = \"Plain", 1),
    )
    .unwrap();
    assert_skipped(&home, "plain.toml", "always secret");
    // Left out, it is secret all the same.
    let unsaid = acme_etl().replace("secret = true\n", "");
    let recipe = eca_wizard::recipe::parse("unsaid.toml", &unsaid).unwrap();
    let field = recipe
        .field_for(eca_wizard::recipe::Role::ConsumerSecret)
        .unwrap();
    assert!(field.secret);
    let _ = std::fs::remove_dir_all(&home);
}

#[cfg(unix)]
#[test]
fn the_recipes_folder_is_checked_like_the_profiles_folder_and_files_are_capped() {
    use std::os::unix::fs::PermissionsExt;
    let home = home("folder");
    std::fs::write(home.join("recipes/acme-etl.toml"), acme_etl()).unwrap();
    // A huge file is refused after reading just past the cap.
    let mut huge = acme_etl()
        .replace("id = \"acme-etl\"", "id = \"huge\"")
        .replacen("title = \"Acme", "title = \"Huge", 1);
    huge.push_str(&format!("# {}\n", "x".repeat(300 * 1024)));
    std::fs::write(home.join("recipes/huge.toml"), huge).unwrap();
    assert_skipped(&home, "huge.toml", "over 256 KiB");
    let checked = wizard(
        &home,
        &[
            "recipes",
            "check",
            &home.join("recipes/huge.toml").display().to_string(),
        ],
    );
    assert_eq!(checked.status.code(), Some(2));
    assert!(
        text(&checked).contains("over 256 KiB"),
        "{}",
        text(&checked)
    );
    std::fs::remove_file(home.join("recipes/huge.toml")).unwrap();
    // A file others may write to.
    let file = home.join("recipes/open.toml");
    std::fs::write(
        &file,
        acme_etl()
            .replace("id = \"acme-etl\"", "id = \"open\"")
            .replacen("title = \"Acme", "title = \"Open", 1),
    )
    .unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o666)).unwrap();
    assert_skipped(&home, "open.toml", "chmod go-w");
    std::fs::remove_file(&file).unwrap();
    // The folder itself: every local recipe is left out, the built-in ones stay.
    let folder = home.join("recipes");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o777)).unwrap();
    let listed = wizard(&home, &["recipes"]);
    let said = text(&listed);
    assert!(listed.status.success(), "{said}");
    assert!(
        said.contains("chmod go-w") && !said.contains("acme-etl  "),
        "{said}"
    );
    assert!(said.contains("apideck"), "{said}");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn a_local_recipe_takes_neither_a_built_in_id_nor_a_built_in_title() {
    let home = home("taken");
    std::fs::write(home.join("recipes/acme-etl.toml"), acme_etl()).unwrap();
    std::fs::write(
        home.join("recipes/mine.toml"),
        acme_etl().replace("id = \"acme-etl\"", "id = \"apideck\""),
    )
    .unwrap();
    assert_skipped(&home, "mine.toml", "already taken");
    std::fs::remove_file(home.join("recipes/mine.toml")).unwrap();
    // Same title as a built-in one (case and spacing aside).
    std::fs::write(
        home.join("recipes/copycat.toml"),
        POSTMAN
            .replace("id = \"postman-client-credentials\"", "id = \"copycat\"")
            .replacen("title = \"Any API", "title = \"any  API", 1),
    )
    .unwrap();
    assert_skipped(&home, "copycat.toml", "title");
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn recipes_new_refuses_taken_ids_and_writes_the_format_once() {
    let home = home("new");
    for taken in ["apideck", "custom"] {
        let refused = wizard(&home, &["recipes", "new", taken]);
        assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
        assert!(
            text(&refused).contains("already taken"),
            "{}",
            text(&refused)
        );
        assert!(!home.join(format!("recipes/{taken}.toml")).exists());
    }
    let first = wizard(&home, &["recipes", "new", "a", "--from", "apideck"]);
    assert!(first.status.success(), "{}", text(&first));
    let second = wizard(&home, &["recipes", "new", "b", "--from", "a"]);
    assert!(second.status.success(), "{}", text(&second));
    let refused = wizard(&home, &["recipes", "new", "a", "--out", "x.toml"]);
    assert_eq!(refused.status.code(), Some(2), "a local id is taken too");
    let b = std::fs::read_to_string(home.join("recipes/b.toml")).unwrap();
    assert_eq!(
        b.matches("\nformat = ").count() + usize::from(b.starts_with("format = ")),
        1,
        "{b}"
    );
    assert_eq!(b.matches("# Recipe ").count(), 1, "{b}");
    let listed = wizard(&home, &["recipes"]);
    let said = text(&listed);
    assert!(!said.contains("warning"), "{said}");
    assert!(said.contains("\na ") && said.contains("\nb "), "{said}");
    let _ = std::fs::remove_dir_all(&home);
}
