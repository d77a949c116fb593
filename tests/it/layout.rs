//! The tests build as a few binaries (`tests/it`, `tests/pty`, `tests/external`), each linking
//! the library once. A file under a binary's folder that no `mod` reaches would never compile
//! or run, silently; a new `tests/NAME.rs` would be one more binary linking everything. Both
//! fail here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The test binaries: each folder's `main.rs` is one.
const BINARIES: [&str; 3] = ["it", "pty", "external"];

/// What else `tests/` holds: shared support, data, and the npm projects of the external tests.
const OTHER_FOLDERS: [&str; 6] = ["common", "data", "fixtures", "jsforce", "sdr", "sfcli"];

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// The files a `mod NAME;` (with or without `#[path = "..."]`) in `file` stands for.
fn declared_modules(file: &Path) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(file).unwrap();
    let own_folder = match file.file_name().and_then(|n| n.to_str()) {
        Some("main.rs" | "mod.rs") => file.parent().unwrap().to_path_buf(),
        _ => file.with_extension(""),
    };
    let mut path_attribute = None;
    let mut found = Vec::new();
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("#[path = \"") {
            path_attribute = rest.strip_suffix("\"]").map(str::to_string);
            continue;
        }
        let declaration = line.strip_prefix("pub ").unwrap_or(line);
        let Some(name) = declaration
            .strip_prefix("mod ")
            .and_then(|d| d.strip_suffix(';'))
        else {
            path_attribute = None;
            continue;
        };
        found.push(match path_attribute.take() {
            Some(path) => file.parent().unwrap().join(path),
            None if own_folder.join(format!("{name}.rs")).is_file() => {
                own_folder.join(format!("{name}.rs"))
            }
            None => own_folder.join(name).join("mod.rs"),
        });
    }
    found
}

/// Every file reachable through `mod` declarations from `root`, normalised.
fn reachable(root: &Path) -> BTreeSet<PathBuf> {
    let mut seen = BTreeSet::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(file) = pending.pop() {
        let file = file
            .canonicalize()
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if seen.insert(file.clone()) {
            pending.extend(declared_modules(&file));
        }
    }
    seen
}

/// Every `.rs` file under `folder`, normalised.
fn rust_files(folder: &Path) -> BTreeSet<PathBuf> {
    let mut found = BTreeSet::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.insert(path.canonicalize().unwrap());
            }
        }
    }
    found
}

#[test]
fn every_test_file_is_a_module_of_its_binary() {
    let common = rust_files(&tests_dir().join("common"));
    for binary in BINARIES {
        let folder = tests_dir().join(binary);
        let modules = reachable(&folder.join("main.rs"));
        let missing: Vec<_> = rust_files(&folder).difference(&modules).cloned().collect();
        assert!(
            missing.is_empty(),
            "not in tests/{binary}/main.rs's module list (add `mod NAME;`): {missing:#?}"
        );
        let support: Vec<_> = common.difference(&modules).cloned().collect();
        assert!(
            support.is_empty(),
            "tests/common files tests/{binary} doesn't reach: {support:#?}"
        );
    }
}

#[test]
fn tests_holds_the_binaries_and_nothing_that_would_be_another() {
    for entry in std::fs::read_dir(tests_dir()).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() {
            assert!(
                BINARIES.contains(&name.as_str()) || OTHER_FOLDERS.contains(&name.as_str()),
                "tests/{name}/: a new folder; tests go in tests/it (or pty, external) as modules"
            );
            assert!(
                BINARIES.contains(&name.as_str()) || !path.join("main.rs").exists(),
                "tests/{name}/main.rs would be another test binary: make it a module of tests/it"
            );
        } else {
            assert!(
                !name.ends_with(".rs"),
                "tests/{name} would be another test binary: move it to tests/it/{name} and add \
                 `mod {};` to tests/it/main.rs",
                name.trim_end_matches(".rs")
            );
        }
    }
}

/// The module walk itself, on a folder made for it: a file no `mod` names is missed.
#[test]
fn an_unlisted_file_is_noticed() {
    let folder = crate::common::temp::created("layout");
    std::fs::create_dir_all(folder.join("nested")).unwrap();
    let write = |path: &str, text: &str| std::fs::write(folder.join(path), text).unwrap();
    write(
        "main.rs",
        "mod listed;\n#[path = \"../elsewhere.rs\"]\nmod moved;\nmod nested;\n",
    );
    write("listed.rs", "fn f() {}\n");
    write("nested.rs", "mod inner;\n");
    write("nested/inner.rs", "");
    write("forgotten.rs", "#[test]\nfn never_runs() {}\n");
    std::fs::write(folder.parent().unwrap().join("elsewhere.rs"), "").unwrap();
    let modules = reachable(&folder.join("main.rs"));
    let unlisted: Vec<_> = rust_files(&folder)
        .difference(&modules)
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(unlisted, ["forgotten.rs"]);
    assert_eq!(modules.len(), 5, "{modules:#?}");
}
