//! Finding a program on PATH as an absolute path, once, before anything is started: an empty or
//! relative PATH entry would run a program of that name from the current folder, and on Windows
//! `Command::new("sf")` finds only `sf.exe`, never the CLI's `sf.cmd` (Rust adds `.exe` alone,
//! rust-lang/rust#37381; field-facts-2026.md, "Windows"). The search is a pure function of PATH,
//! PATHEXT and a file check, with Windows' rules chosen by a parameter, so both sets of rules are
//! tested on every platform.

use std::path::{Path, PathBuf};

/// What Windows uses when PATHEXT is unset (cmd.exe's default list).
const DEFAULT_PATHEXT: &str = ".COM;.EXE;.BAT;.CMD";

/// The first runnable `name` in the folders of `path`. Only absolute folders are searched.
/// With `windows`, PATH is `;`-separated (entries may be quoted) and `name` is tried with each
/// PATHEXT extension, never bare: a bare `sf` beside `sf.cmd` is the npm shim for POSIX shells,
/// which Windows can't start.
pub fn find(
    name: &str,
    path: &str,
    pathext: Option<&str>,
    windows: bool,
    runnable: &dyn Fn(&Path) -> bool,
) -> Option<PathBuf> {
    let separator = if windows { ';' } else { ':' };
    let names: Vec<String> = if windows {
        pathext
            .filter(|e| !e.trim().is_empty())
            .unwrap_or(DEFAULT_PATHEXT)
            .split(';')
            .map(str::trim)
            .filter(|ext| ext.len() > 1 && ext.starts_with('.'))
            // Windows file names ignore case; lowering keeps a test's `sf.cmd` found elsewhere.
            .map(|ext| format!("{name}{}", ext.to_ascii_lowercase()))
            .collect()
    } else {
        vec![name.to_string()]
    };
    path.split(separator)
        .map(|entry| {
            if windows {
                entry.trim_matches('"')
            } else {
                entry
            }
        })
        .filter(|entry| !entry.is_empty())
        .map(Path::new)
        .filter(|dir| dir.is_absolute())
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|candidate| runnable(candidate))
}

/// The real check: a file (following links) that, on Unix, someone may execute.
pub fn runnable(candidate: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(candidate) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// `name` found on this process's PATH with this platform's rules.
pub fn on_path(name: &str) -> Option<PathBuf> {
    // A PATH that isn't UTF-8 is read lossily: a folder with such a name is then not searched.
    let path = std::env::var_os("PATH")?.to_string_lossy().into_owned();
    let pathext = std::env::var_os("PATHEXT").map(|e| e.to_string_lossy().into_owned());
    find(name, &path, pathext.as_deref(), cfg!(windows), &runnable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("eca-program-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn windows_rules_find_sf_cmd_through_pathext_and_skip_relative_entries() {
        let dir = temp("windows");
        // The npm shims: `sf` (for POSIX shells) and `sf.cmd`; only `sf.cmd` can be started.
        std::fs::write(dir.join("sf"), "#!/bin/sh\n").unwrap();
        std::fs::write(dir.join("sf.cmd"), "@echo off\r\n").unwrap();
        let is_file = |p: &Path| p.is_file();
        let path = format!(";.;relative;\"{}\"", dir.display());
        let found = find("sf", &path, Some(".COM;.EXE;.BAT;.CMD"), true, &is_file);
        assert_eq!(found, Some(dir.join("sf.cmd")));
        // Unset PATHEXT: cmd.exe's default list.
        assert_eq!(
            find("sf", &path, None, true, &is_file),
            Some(dir.join("sf.cmd"))
        );
        // No extension that names it: not found, and the bare `sf` is never taken.
        assert_eq!(find("sf", &path, Some(".EXE"), true, &is_file), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn empty_and_relative_entries_never_mean_the_current_folder() {
        let seen = std::cell::RefCell::new(Vec::new());
        let record = |p: &Path| {
            seen.borrow_mut().push(p.to_path_buf());
            false
        };
        assert_eq!(find("sf", "::.:bin:./x", None, false, &record), None);
        assert_eq!(find("sf", ";;.;bin", None, true, &record), None);
        assert!(seen.borrow().is_empty(), "{:?}", seen.borrow());
    }

    #[cfg(unix)]
    #[test]
    fn unix_rules_take_the_first_folder_with_the_program() {
        let first = temp("unix-a");
        let second = temp("unix-b");
        std::fs::write(second.join("sf"), "").unwrap();
        let path = format!("{}:{}", first.display(), second.display());
        let found = find("sf", &path, Some(".CMD"), false, &|p: &Path| p.is_file());
        assert_eq!(found, Some(second.join("sf")));
        let _ = std::fs::remove_dir_all(&first);
        let _ = std::fs::remove_dir_all(&second);
    }

    #[cfg(unix)]
    #[test]
    fn on_unix_a_file_nobody_may_execute_is_not_run() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp("exec");
        let file = dir.join("sf");
        std::fs::write(&file, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(!runnable(&file));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(runnable(&file));
        assert!(!runnable(&dir));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
