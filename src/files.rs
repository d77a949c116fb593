//! Files that hold state: written whole or not at all, readable by their owner only, never
//! through a planted symlink, and changed by one writer at a time.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `bytes` to a new owner-only temporary file beside `path`, then renames it over
/// `path`: a reader sees the old file or the new one, never half of either. The temporary name
/// is unique per write (process, counter, clock) and created exclusively, so a symlink planted
/// under that name is never followed; on any error it is removed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = temporary_beside(path);
    let written =
        write_new_private(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// The prefix of every temporary file, so leftovers can be found and swept.
pub const TEMPORARY_PREFIX: &str = ".eca-tmp.";

fn temporary_beside(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    path.with_file_name(format!(
        "{TEMPORARY_PREFIX}{name}.{}.{count}.{nanos}",
        std::process::id()
    ))
}

/// Writes a new owner-only file; an existing name, a symlink included, is an error.
pub fn write_new_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = OpenOptions::new();
    // create_new: O_CREAT|O_EXCL, which fails on any existing name, a symlink included.
    options.write(true).create_new(true);
    private(&mut options);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Owner-only (0600) on Unix. Windows has no modes: our files live in the user's profile
/// (`%APPDATA%`, `%LOCALAPPDATA%`), whose inherited ACL already admits only the user, SYSTEM and
/// Administrators; secrets themselves go to the Credential Manager. Setting ACLs of our own would
/// need Win32 calls through unsafe code, which this crate forbids.
fn private(options: &mut OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = options;
}

/// Removes temporary files a killed process left in `dir` (they may hold tokens). Only those
/// older than a minute: a younger one may be another process's write in progress.
pub fn sweep_temporaries(dir: &Path) {
    let stale = |entry: &std::fs::DirEntry| {
        entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(60))
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let is_ours = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(TEMPORARY_PREFIX));
        if is_ours && entry.file_type().is_ok_and(|t| t.is_file()) && stale(&entry) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// An exclusive advisory lock on `path.lock`, held until dropped: one read-modify-write of
/// `path` at a time, across threads and processes.
pub struct Lock {
    _file: std::fs::File,
}

fn lock_path(path: &Path) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    path.with_file_name(format!(".{name}.lock"))
}

/// The lock of `path` when no one else holds it; None while another process does.
pub fn try_lock(path: &Path) -> std::io::Result<Option<Lock>> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    private(&mut options);
    let file = options.open(lock_path(path))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(Lock { _file: file })),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

/// Removes the lock file of `path` once `path` itself goes away.
pub fn remove_lock(path: &Path) {
    let _ = std::fs::remove_file(lock_path(path));
}

pub fn lock(path: &Path) -> std::io::Result<Lock> {
    let lock_path = lock_path(path);
    if let Some(dir) = lock_path.parent() {
        create_private_dir(dir)?;
    }
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    private(&mut options);
    let file = options.open(&lock_path)?;
    file.lock()?;
    Ok(Lock { _file: file })
}

/// Creates `dir` and its missing parents owner-only (0700), whatever the umask.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Creates the one folder `dir` owner-only; one that exists (a symlink included) is an error.
pub fn create_private_dir_new(dir: &Path) -> std::io::Result<()> {
    #[cfg_attr(not(unix), allow(unused_mut))] // only Unix sets a mode
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Creates `dir` owner-only if needed, then refuses it, as ssh does, when another user owns it
/// or group or others may write to it: whoever can write there can swap our files.
pub fn ensure_private_dir(dir: &Path) -> std::io::Result<()> {
    create_private_dir(dir)?;
    check_private_dir(dir)
}

fn refuse(why: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::PermissionDenied, why)
}

/// The check of `ensure_private_dir` without creating anything: every load runs it on the
/// folders it reads, so a file planted where others can write is never used.
pub fn check_private_dir(dir: &Path) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        return Err(refuse(format!(
            "{} is not a folder (a symlink?)",
            dir.display()
        )));
    }
    check_owner_and_mode(dir, &meta, false)
}

/// Refuses a file another user owns or others may write to; with `secret`, also one others
/// may read (ssh's rule for private keys). `meta` is the opened file's, so the check is of
/// what is read.
pub fn check_private_file(
    path: &Path,
    meta: &std::fs::Metadata,
    secret: bool,
) -> std::io::Result<()> {
    if !meta.is_file() {
        return Err(refuse(format!("{} is not a regular file", path.display())));
    }
    check_owner_and_mode(path, meta, secret)
}

#[cfg(unix)]
fn check_owner_and_mode(
    path: &Path,
    meta: &std::fs::Metadata,
    secret: bool,
) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let shown = path.display();
    let quoted = crate::shell_quote::posix(&path.to_string_lossy());
    if meta.mode() & 0o022 != 0 {
        return Err(refuse(format!(
            "{shown} can be written by other users; run `chmod go-w {quoted}`"
        )));
    }
    if secret && meta.mode() & 0o077 != 0 {
        return Err(refuse(format!(
            "{shown} can be read by other users; run `chmod 600 {quoted}`"
        )));
    }
    if our_uid()? != meta.uid() {
        return Err(refuse(format!(
            "{shown} belongs to another user; use a folder of your own (ECA_WIZARD_HOME)"
        )));
    }
    Ok(())
}

/// Windows: no owner or mode bits to check (see [`private`] for what protects the files there).
#[cfg(not(unix))]
fn check_owner_and_mode(_: &Path, _: &std::fs::Metadata, _: bool) -> std::io::Result<()> {
    Ok(())
}

/// Our user id, found once (std has no getuid and unsafe code is forbidden): the owner of
/// `/proc/self` on Linux, elsewhere of a file we create in the temporary folder.
#[cfg(unix)]
fn our_uid() -> std::io::Result<u32> {
    use std::os::unix::fs::MetadataExt;
    static UID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    if let Some(uid) = UID.get() {
        return Ok(*uid);
    }
    let uid = match std::fs::metadata("/proc/self") {
        Ok(meta) if cfg!(target_os = "linux") => meta.uid(),
        _ => {
            let probe = temporary_beside(&std::env::temp_dir().join("eca-wizard-owner-probe"));
            write_new_private(&probe, b"")?;
            let uid = std::fs::metadata(&probe).map(|m| m.uid());
            let _ = std::fs::remove_file(&probe);
            uid?
        }
    };
    Ok(*UID.get_or_init(|| uid))
}

/// A new owner-only folder under a random name in the temporary folder (a name no one can
/// guess and plant first), removed with everything in it when dropped: on return, error or
/// panic alike.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new(prefix: &str) -> std::io::Result<TempDir> {
        use ring::rand::SecureRandom;
        let random = ring::rand::SystemRandom::new();
        for _ in 0..8 {
            let mut bytes = [0u8; 12];
            random
                .fill(&mut bytes)
                .map_err(|_| std::io::Error::other("no random numbers on this system"))?;
            let name: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let path = std::env::temp_dir().join(format!("{prefix}{name}"));
            match create_private_dir_new(&path) {
                Ok(()) => return Ok(TempDir { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::other("no free temporary folder name"))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// A path as typed by a person: a leading `~/` is their home folder (no shell expands it here).
pub fn expand_home(path: &str) -> std::path::PathBuf {
    let path = path.trim();
    match (path.strip_prefix("~/"), directories::BaseDirs::new()) {
        (Some(rest), Some(dirs)) => dirs.home_dir().join(rest),
        _ => std::path::PathBuf::from(path),
    }
}

/// Where eca-wizard keeps its files: `ECA_WIZARD_HOME`, or the platform's data folder.
pub fn data_home() -> anyhow::Result<std::path::PathBuf> {
    if let Some(home) = std::env::var_os("ECA_WIZARD_HOME").filter(|h| !h.is_empty()) {
        return Ok(std::path::PathBuf::from(home));
    }
    directories::ProjectDirs::from("", "", "eca-wizard")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or_else(|| anyhow::anyhow!("no home folder found; set ECA_WIZARD_HOME"))
}
