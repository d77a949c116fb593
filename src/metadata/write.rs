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
            for file in files {
                let path = out.join(&file.path);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
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
            std::fs::create_dir_all(parent)?;
        }
        std::fs::create_dir(&staging)?;
        for file in files {
            let path = staging.join(&file.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, &file.contents)?;
        }
        std::fs::rename(&staging, out)
    })();
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    written
}
