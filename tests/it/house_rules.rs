//! The house rules of `../shared/DESIGN.md` that a machine can check, read off `src/`: the pure
//! core (`src/wizard`, `src/ui`) does no I/O and reads no clock; no source file is over 600
//! lines; the wizard doesn't import the UI; the library doesn't import the command line. Each
//! checker is tried on sample text first, so none is a check that cannot fail.

use std::path::Path;

/// A source file: its path from the crate root and its code, comments and literals blanked.
struct Source {
    path: String,
    code: String,
    lines: usize,
}

/// Every `.rs` file under `dir` (from the crate root), in path order.
fn sources(dir: &str) -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let mut pending = vec![root.join(dir)];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                found.push(Source {
                    path: path
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                    code: code_only(&text),
                    lines: text.lines().count(),
                });
            }
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// `text` with comments, strings and character literals turned to spaces (newlines kept), so
/// a rule matches code only: a doc comment or a message may name `std::fs`.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let rest = &chars[i..];
        let skip = if rest.starts_with(&['/', '/']) {
            rest.iter().position(|&c| c == '\n').unwrap_or(rest.len())
        } else if rest.starts_with(&['/', '*']) {
            block_comment_len(rest)
        } else if rest[0] == '"' || rest.starts_with(&['b', '"']) {
            string_len(rest)
        } else if let Some(len) = raw_string_len(rest) {
            len
        } else if rest[0] == '\'' {
            char_literal_len(rest)
        } else {
            0
        };
        if skip == 0 {
            out.push(rest[0]);
            i += 1;
        } else {
            out.extend(rest[..skip].iter().map(|&c| blank(c)));
            i += skip;
        }
    }
    out
}

/// A `/* */` comment's length; they nest in Rust.
fn block_comment_len(rest: &[char]) -> usize {
    let (mut depth, mut i) = (0, 0);
    while i < rest.len() {
        if rest[i..].starts_with(&['/', '*']) {
            depth += 1;
            i += 2;
        } else if rest[i..].starts_with(&['*', '/']) {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    rest.len()
}

/// A `"..."` or `b"..."` literal's length, escapes included.
fn string_len(rest: &[char]) -> usize {
    let mut i = rest.iter().position(|&c| c == '"').unwrap_or(0) + 1;
    while i < rest.len() {
        match rest[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    rest.len()
}

/// An `r"..."`, `r#"..."#` (or `br`) literal's length; None if `rest` doesn't start one.
fn raw_string_len(rest: &[char]) -> Option<usize> {
    let start = match rest {
        ['r', '"' | '#', ..] => 1,
        ['b', 'r', '"' | '#', ..] => 2,
        _ => return None,
    };
    let hashes = rest[start..].iter().take_while(|&&c| c == '#').count();
    if rest.get(start + hashes) != Some(&'"') {
        return None;
    }
    let body = start + hashes + 1;
    let close: Vec<char> = std::iter::once('"')
        .chain(std::iter::repeat_n('#', hashes))
        .collect();
    let end = (body..rest.len()).find(|&i| rest[i..].starts_with(&close));
    Some(end.map_or(rest.len(), |i| i + close.len()))
}

/// A character literal's length, or 0 for a lifetime (`'a`).
fn char_literal_len(rest: &[char]) -> usize {
    match rest {
        // An escape is two characters at least: `'\''`, `'\n'`, `'\u{1F600}'`.
        ['\'', '\\', _, ..] => rest[3..]
            .iter()
            .position(|&c| c == '\'')
            .map_or(rest.len(), |i| i + 4),
        ['\'', _, '\'', ..] => 3,
        _ => 0,
    }
}

/// `use a::{b, c::{d, e}}` written out as the paths `a::b`, `a::c::d`, `a::c::e`, so a rule
/// about a path finds it however it was imported.
fn expand_groups(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(open) = rest.find("::{") {
        let prefix_start = rest[..open]
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .map_or(0, |i| i + 1);
        let prefix = &rest[prefix_start..open];
        let Some(close) = matching_brace(&rest[open + 2..]) else {
            break;
        };
        let inner = &rest[open + 3..open + 2 + close];
        out.push_str(&rest[..prefix_start]);
        for item in split_top_level(inner) {
            let item = item.trim();
            if !item.is_empty() {
                out.push_str(&expand_groups(&format!("{prefix}::{item}")));
                out.push(' ');
            }
        }
        rest = &rest[open + 3 + close..];
    }
    out.push_str(rest);
    out
}

/// The index of the `}` closing the `{` that `text` starts with.
fn matching_brace(text: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `a, b::{c, d}, e` split at the commas outside braces.
fn split_top_level(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Whether `code` names `needle` as a whole path or word: `std::fs` matches `std::fs::read`
/// and `std::fs;`, not `mystd::fs` or `std::fsx`; `SystemTime` matches `time::SystemTime`.
fn names(code: &str, needle: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let starts_word = needle.starts_with(word);
    let ends_word = needle.ends_with(word);
    code.match_indices(needle).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + needle.len()..].chars().next();
        let clean_before = !starts_word || before.is_none_or(|c| !word(c));
        let clean_after = !ends_word || after.is_none_or(|c| !word(c));
        clean_before && clean_after
    })
}

/// What counts as I/O or a clock in the pure core, and what each reaches.
const IO_OR_CLOCK: &[(&str, &str)] = &[
    ("std::fs", "files"),
    ("std::io", "streams"),
    ("std::net", "sockets"),
    ("std::env", "the environment"),
    ("std::process", "other programs"),
    ("std::thread", "threads and sleeping"),
    ("SystemTime", "the wall clock"),
    ("Instant::now", "the monotonic clock"),
    ("tokio", "the async runtime"),
    ("reqwest", "HTTP"),
    ("hyper", "HTTP"),
    ("crossterm::event", "the terminal's input"),
    ("crossterm::terminal", "the terminal"),
    ("directories", "the user's folders"),
    ("keyring", "the keychain"),
    ("ring::rand", "entropy"),
    ("println!", "stdout"),
    ("print!", "stdout"),
    ("eprintln!", "stderr"),
    ("eprint!", "stderr"),
    (".exists()", "the file system, through Path"),
    (".is_file()", "the file system, through Path"),
    (".is_dir()", "the file system, through Path"),
    (".metadata()", "the file system, through Path"),
    (".read_dir()", "the file system, through Path"),
    ("crate::clock", "the wall clock"),
    ("crate::files", "files"),
    ("crate::net", "HTTP"),
    ("crate::runtime", "the effects"),
    ("crate::browser", "the browser"),
];

/// `path: name (what it reaches)` for every I/O or clock name in the pure core's `sources`.
fn io_or_clock_in(sources: &[(String, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, code) in sources {
        let code = expand_groups(code);
        for &(name, reaches) in IO_OR_CLOCK {
            if names(&code, name) {
                found.push(format!("{path}: {name} ({reaches})"));
            }
        }
    }
    found
}

/// Source files are short: past this many lines a file is split by what it does.
const MAX_LINES: usize = 600;

fn too_long(sources: &[(String, usize)]) -> Vec<String> {
    sources
        .iter()
        .filter(|(_, lines)| *lines > MAX_LINES)
        .map(|(path, lines)| format!("{path}: {lines} lines"))
        .collect()
}

/// `src/wizard` decides without the UI: the layout comes back to it as a message.
fn wizard_imports_ui(sources: &[(String, String)]) -> Vec<String> {
    importers(sources, "crate::ui", |path| path.starts_with("src/wizard/"))
}

/// The library has requests of its own: only `main.rs`, `src/commands` and `src/cli.rs` speak
/// the command line's argument structs.
fn library_imports_cli(sources: &[(String, String)]) -> Vec<String> {
    importers(sources, "crate::cli", |path| {
        !(path == "src/main.rs" || path == "src/cli.rs" || path.starts_with("src/commands/"))
    })
}

/// The files among `sources` that `applies` to and that name `module`.
fn importers(
    sources: &[(String, String)],
    module: &str,
    applies: impl Fn(&str) -> bool,
) -> Vec<String> {
    sources
        .iter()
        .filter(|(path, code)| applies(path) && names(&expand_groups(code), module))
        .map(|(path, _)| format!("{path} uses {module}"))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Rule {
    PureCore,
    ShortFiles,
    WizardWithoutUi,
    LibraryWithoutCli,
}

impl Rule {
    const ALL: [Rule; 4] = [
        Rule::PureCore,
        Rule::ShortFiles,
        Rule::WizardWithoutUi,
        Rule::LibraryWithoutCli,
    ];

    /// What breaks the rule in the tree as it is.
    fn breaches(self) -> Vec<String> {
        let code = |dirs: &[&str]| -> Vec<(String, String)> {
            dirs.iter()
                .flat_map(|d| sources(d))
                .map(|s| (s.path, s.code))
                .collect()
        };
        match self {
            Rule::PureCore => io_or_clock_in(&code(&["src/wizard", "src/ui"])),
            Rule::ShortFiles => too_long(
                &sources("src")
                    .into_iter()
                    .map(|s| (s.path, s.lines))
                    .collect::<Vec<_>>(),
            ),
            Rule::WizardWithoutUi => wizard_imports_ui(&code(&["src/wizard"])),
            Rule::LibraryWithoutCli => library_imports_cli(&code(&["src"])),
        }
    }
}

#[test]
fn the_house_rules_hold() {
    for rule in Rule::ALL {
        let breaches = rule.breaches();
        assert!(breaches.is_empty(), "{rule:?} is broken:\n{breaches:#?}");
    }
}

fn sample(path: &str, text: &str) -> Vec<(String, String)> {
    vec![(path.to_string(), code_only(text))]
}

#[test]
fn io_and_clocks_are_found_however_they_are_written() {
    let caught = [
        "use std::fs;",
        "use std::{collections::BTreeMap, fs::read};",
        "use std::{io::{self, Write}};",
        "let now = std::time::SystemTime::now();",
        "use std::time::{Duration, Instant};\nlet t = Instant::now();",
        "tokio::spawn(async {});",
        "println!(\"hi\");",
        "if path.exists() {}",
        "use crate::{clock, recipe};\nlet t = clock::now_ms();",
        "let quote = '\\''; let tab = '\\t'; std::fs::read(p);",
    ];
    for text in caught {
        let found = io_or_clock_in(&sample("src/wizard/x.rs", text));
        assert!(!found.is_empty(), "missed: {text}");
    }
    let pure = [
        "use std::collections::BTreeSet;",
        "use std::path::MAIN_SEPARATOR;",
        "use std::time::Duration;",
        "// std::fs is for the runtime\nlet x = 1;",
        "/* tokio /* nested */ too */ let y = 2;",
        "let message = \"std::fs failed: println!(x)\";",
        "let raw = r#\"tokio \"reqwest\" \"#;",
        "fn f<'a>(x: &'a str) -> char { 'y' }",
        "let mystd_fs = mystd::fsx::now;",
    ];
    for text in pure {
        let found = io_or_clock_in(&sample("src/ui/x.rs", text));
        assert!(found.is_empty(), "{text}: {found:?}");
    }
}

#[test]
fn a_long_file_is_named() {
    let files = [
        ("src/a.rs".to_string(), MAX_LINES),
        ("src/b.rs".to_string(), MAX_LINES + 1),
    ];
    assert_eq!(too_long(&files), ["src/b.rs: 601 lines"]);
}

#[test]
fn the_wizard_may_not_reach_the_ui() {
    let ui = "let max = i32::from(crate::ui::max_scroll(model));";
    assert_eq!(
        wizard_imports_ui(&sample("src/wizard/update/mod.rs", ui)).len(),
        1
    );
    let grouped = "use crate::{recipe, ui::Viewport};";
    assert_eq!(
        wizard_imports_ui(&sample("src/wizard/model.rs", grouped)).len(),
        1
    );
    // The UI reading the wizard is the right way round, and `uid` is not `ui`.
    assert!(wizard_imports_ui(&sample("src/ui/mod.rs", ui)).is_empty());
    let other = "use crate::uid::Id; // crate::ui is elsewhere";
    assert!(wizard_imports_ui(&sample("src/wizard/model.rs", other)).is_empty());
}

#[test]
fn only_the_commands_speak_the_command_line() {
    let uses = "use crate::cli::{ApplyArgs, ConnectArgs};";
    assert_eq!(
        library_imports_cli(&sample("src/apply/run.rs", uses)).len(),
        1
    );
    assert_eq!(
        library_imports_cli(&sample("src/runtime/apply.rs", uses)).len(),
        1
    );
    for allowed in ["src/commands/apply.rs", "src/main.rs", "src/cli.rs"] {
        assert!(
            library_imports_cli(&sample(allowed, uses)).is_empty(),
            "{allowed}"
        );
    }
    let request = "use crate::apply::ApplyRequest; // not crate::cli";
    assert!(library_imports_cli(&sample("src/apply/run.rs", request)).is_empty());
}
