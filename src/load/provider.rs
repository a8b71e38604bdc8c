//! Where the text of a policy set is read from: the disk, memory, or any
//! other tree of files (a git revision), behind one small trait.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use super::discover::io_reason;

/// What a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A file.
    File,
    /// A folder.
    Dir,
}

/// A tree of files the loader reads a policy set from.
///
/// Paths are those of the tree: relative paths are resolved against the
/// tree's own working folder by [`Provider::absolute`]. Errors are short,
/// lower-case reasons ("no such file or directory").
pub trait Provider: Sync {
    /// The absolute form of `path`, with `.` and `..` removed.
    fn absolute(&self, path: &Path) -> PathBuf;
    /// What is at `path`.
    fn kind(&self, path: &Path) -> Result<Kind, String>;
    /// Every `*.perm` file under folder `dir`, in name order, hidden folders
    /// and `target/` left out; an unreadable entry is its path and reason.
    fn walk(&self, dir: &Path) -> Result<Vec<PathBuf>, (PathBuf, String)>;
    /// The bytes of file `path`.
    fn read(&self, path: &Path) -> Result<Vec<u8>, String>;
    /// A name that every path of one file shares (the disk resolves links).
    fn identity(&self, path: &Path) -> PathBuf {
        self.absolute(path)
    }
}

/// The file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct Disk;

impl Provider for Disk {
    fn absolute(&self, path: &Path) -> PathBuf {
        let path = if path.as_os_str().is_empty() {
            Path::new(".")
        } else {
            path
        };
        normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_owned()))
    }

    fn kind(&self, path: &Path) -> Result<Kind, String> {
        let meta = std::fs::metadata(path).map_err(|e| io_reason(&e))?;
        Ok(if meta.is_dir() { Kind::Dir } else { Kind::File })
    }

    fn walk(&self, dir: &Path) -> Result<Vec<PathBuf>, (PathBuf, String)> {
        let walker = walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !skipped_dir(e));
        let mut found = Vec::new();
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                // A symlink loop is survived: the looping link is skipped.
                Err(e) if e.loop_ancestor().is_some() => continue,
                Err(e) => {
                    let path = e.path().map_or_else(|| dir.to_owned(), Path::to_owned);
                    let reason = e.io_error().map_or_else(|| e.to_string(), io_reason);
                    return Err((path, reason));
                }
            };
            if is_policy_file(entry.path()) && entry.file_type().is_file() {
                found.push(entry.into_path());
            }
        }
        Ok(found)
    }

    fn read(&self, path: &Path) -> Result<Vec<u8>, String> {
        std::fs::read(path).map_err(|e| io_reason(&e))
    }

    fn identity(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| self.absolute(path))
    }
}

fn skipped_dir(entry: &walkdir::DirEntry) -> bool {
    entry.file_type().is_dir() && skipped_name(&entry.file_name().to_string_lossy())
}

fn skipped_name(name: &str) -> bool {
    name.starts_with('.') || name == "target"
}

fn is_policy_file(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "perm")
}

/// Files held in memory, under a root folder `/`: a test's policy set, or a
/// tree read from elsewhere (a git revision).
#[derive(Clone, Debug, Default)]
pub struct Memory {
    files: BTreeMap<PathBuf, Vec<u8>>,
    cwd: PathBuf,
}

impl Memory {
    /// An empty tree whose working folder is its root.
    pub fn new() -> Self {
        Memory {
            files: BTreeMap::new(),
            cwd: PathBuf::from("/"),
        }
    }

    /// The same tree, with relative paths resolved against `cwd` (a path
    /// inside the tree).
    pub fn with_cwd(mut self, cwd: impl AsRef<Path>) -> Self {
        self.cwd = normalize(&Path::new("/").join(cwd));
        self
    }

    /// Adds (or replaces) the file at `path` (relative to the root).
    pub fn insert(&mut self, path: impl AsRef<Path>, bytes: impl Into<Vec<u8>>) {
        let path = normalize(&Path::new("/").join(path));
        self.files.insert(path, bytes.into());
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the tree holds no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl Provider for Memory {
    fn absolute(&self, path: &Path) -> PathBuf {
        normalize(&self.cwd.join(path))
    }

    fn kind(&self, path: &Path) -> Result<Kind, String> {
        let path = self.absolute(path);
        if self.files.contains_key(&path) {
            return Ok(Kind::File);
        }
        let is_dir = path == Path::new("/")
            || self
                .files
                .range(path.clone()..)
                .next()
                .is_some_and(|(p, _)| p.starts_with(&path));
        if is_dir {
            Ok(Kind::Dir)
        } else {
            Err("no such file or directory".to_owned())
        }
    }

    fn walk(&self, dir: &Path) -> Result<Vec<PathBuf>, (PathBuf, String)> {
        let root = self.absolute(dir);
        let found = self
            .files
            .range(root.clone()..)
            .map(|(p, _)| p)
            .take_while(|p| p.starts_with(&root))
            .filter(|p| is_policy_file(p))
            .filter(|p| {
                let inside = p.strip_prefix(&root).unwrap_or(p);
                let folders = inside.parent().map(Path::components).into_iter().flatten();
                !folders
                    .into_iter()
                    .any(|c| skipped_name(&c.as_os_str().to_string_lossy()))
            })
            .cloned()
            .collect();
        Ok(found)
    }

    fn read(&self, path: &Path) -> Result<Vec<u8>, String> {
        self.files
            .get(&self.absolute(path))
            .cloned()
            .ok_or_else(|| "no such file or directory".to_owned())
    }
}

/// Removes `.` and resolves `..` without touching the file system.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_trees_walk_like_the_disk() {
        let mut tree = Memory::new();
        for p in [
            "set/b.perm",
            "set/a/z.perm",
            "set/a/y.txt",
            "set/.git/h.perm",
            "set/target/t.perm",
            "set/c.perm/inner.perm",
            "setx/other.perm",
        ] {
            tree.insert(p, "");
        }
        let found = tree.walk(Path::new("set")).expect("walk");
        let names: Vec<_> = found.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(
            names,
            ["/set/a/z.perm", "/set/b.perm", "/set/c.perm/inner.perm"]
        );
        assert_eq!(tree.kind(Path::new("set/a")), Ok(Kind::Dir));
        assert_eq!(tree.kind(Path::new("./set/b.perm")), Ok(Kind::File));
        assert!(tree.kind(Path::new("set/nothing")).is_err());
        assert!(tree.kind(Path::new("se")).is_err());
        let inside = tree.clone().with_cwd("set/a");
        assert_eq!(inside.read(Path::new("../b.perm")), Ok(Vec::new()));
    }
}
