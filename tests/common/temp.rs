//! Temporary folders that go away with the test, passed or failed (`tempfile`): no folder named
//! by process id, nothing left behind in the system's temporary folder.

use std::ffi::OsStr;
use std::ops::Deref;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// A path `name` inside a fresh temporary folder; the path itself does not exist yet (the code
/// under test creates it, as on a first run). Both go when this is dropped.
pub struct Folder {
    _root: TempDir,
    path: PathBuf,
}

pub fn folder(name: &str) -> Folder {
    let root = tempfile::Builder::new()
        .prefix(&format!("eca-test-{name}-"))
        .tempdir()
        .unwrap();
    let path = root.path().join(name);
    Folder { _root: root, path }
}

/// `folder(name)`, created.
pub fn created(name: &str) -> Folder {
    let folder = folder(name);
    std::fs::create_dir(&folder.path).unwrap();
    folder
}

impl Folder {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The same temporary folder, pointing at `relative` below this path.
    pub fn child(self, relative: &str) -> Folder {
        Folder {
            path: self.path.join(relative),
            _root: self._root,
        }
    }
}

impl Deref for Folder {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for Folder {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<OsStr> for Folder {
    fn as_ref(&self) -> &OsStr {
        self.path.as_os_str()
    }
}
