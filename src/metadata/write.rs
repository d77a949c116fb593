//! Writing a generated project to disk, whole or not at all.

use super::File;

/// Writes the project into `out`, whole or not at all: into a new sibling folder first, renamed
/// to `out` once every file is written. A symlink at `out` is refused, not followed. With
/// `force` an existing project is updated file by file, each file replaced atomically.
pub fn write_project(out: &std::path::Path, files: &[File], force: bool) -> std::io::Result<()> {
    let refuse = |why: String| std::io::Error::new(std::io::ErrorKind::AlreadyExists, why);
    match std::fs::symlink_metadata(out) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(refuse(format!(
                "{} is a symlink; give a real folder",
                out.display()
            )));
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(refuse(format!(
                "{} exists and is not a folder",
                out.display()
            )));
        }
        Ok(_) if force => {
            // Every path is checked before the first write: a refusal leaves the project as it was.
            for file in files {
                folders_below(out, std::path::Path::new(&file.path), false)?;
            }
            for file in files {
                let path = folders_below(out, std::path::Path::new(&file.path), true)?;
                crate::files::write_atomically(&path, file.contents.as_bytes())?;
            }
            return Ok(());
        }
        Ok(_) => {
            return Err(refuse(format!(
                "{} already exists; pass --force to update it, or choose another folder",
                out.display()
            )));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("project");
    let staging = out.with_file_name(format!(
        "{}{name}.{}",
        crate::files::TEMPORARY_PREFIX,
        std::process::id()
    ));
    let written = (|| {
        if let Some(parent) = staging.parent().filter(|p| !p.as_os_str().is_empty()) {
            crate::files::create_private_dir(parent)?;
        }
        // Not recursive: an existing name (a planted symlink included) fails instead of being used.
        crate::files::create_private_dir_new(&staging)?;
        for file in files {
            let path = folders_below(&staging, std::path::Path::new(&file.path), true)?;
            crate::files::write_new_private(&path, file.contents.as_bytes())?;
        }
        std::fs::rename(&staging, out)
    })();
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    written
}

/// `out` joined with `relative`, refusing a symlink (or a non-folder) at any folder below `out`
/// and at the file itself: `--force` into a project with `force-app -> elsewhere` would
/// otherwise write elsewhere. With `create`, missing folders are made, owner-only.
fn folders_below(
    out: &std::path::Path,
    relative: &std::path::Path,
    create: bool,
) -> std::io::Result<std::path::PathBuf> {
    use std::path::Component;
    let refuse = |why: String| std::io::Error::new(std::io::ErrorKind::AlreadyExists, why);
    let parts: Vec<_> = relative.components().collect();
    let mut at = out.to_path_buf();
    for (index, part) in parts.iter().enumerate() {
        let Component::Normal(name) = part else {
            return Err(refuse(format!("{} leaves the project", relative.display())));
        };
        at.push(name);
        let last = index + 1 == parts.len();
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(refuse(format!(
                    "{} is a symlink; nothing is written through it",
                    at.display()
                )));
            }
            Ok(meta) if !last && !meta.is_dir() => {
                return Err(refuse(format!("{} is not a folder", at.display())));
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if create && !last {
                    crate::files::create_private_dir_new(&at)?;
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(at)
}
