//! Finding the `*.perm` files of a policy set.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// A policy file found on disk.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    /// The name shown in output: relative to the current directory, `/`-separated.
    pub display: String,
    /// The path to read.
    pub path: PathBuf,
}

/// Why discovery failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscoverError {
    /// What went wrong, naming the path.
    pub message: String,
}

/// Every `*.perm` file under `paths`, sorted by display name, each once.
///
/// Directories are walked recursively (symlinks followed, loops skipped,
/// hidden directories and `target/` left out); a path naming a file is taken
/// whatever its extension.
pub fn policy_files(paths: &[PathBuf]) -> Result<Vec<Found>, DiscoverError> {
    let cwd = std::env::current_dir().ok();
    let mut seen = BTreeSet::new();
    let mut found = BTreeSet::new();
    let mut add = |path: PathBuf| {
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if seen.insert(key) {
            found.insert(Found {
                display: display_name(&path, cwd.as_deref()),
                path,
            });
        }
    };
    for root in paths {
        let meta = std::fs::metadata(root).map_err(|e| DiscoverError {
            message: format!("cannot read `{}`: {}", root.display(), io_reason(&e)),
        })?;
        if !meta.is_dir() {
            add(root.clone());
            continue;
        }
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !skipped_dir(e));
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                // A symlink loop is survived: the looping link is skipped.
                Err(e) if e.loop_ancestor().is_some() => continue,
                Err(e) => {
                    let path = e.path().map_or_else(|| root.clone(), Path::to_owned);
                    let reason = e.io_error().map_or_else(|| e.to_string(), io_reason);
                    return Err(DiscoverError {
                        message: format!(
                            "cannot read `{}`: {reason}",
                            display_name(&path, cwd.as_deref())
                        ),
                    });
                }
            };
            let is_perm = entry.path().extension().is_some_and(|x| x == "perm");
            if is_perm && entry.file_type().is_file() {
                add(entry.into_path());
            }
        }
    }
    Ok(found.into_iter().collect())
}

fn skipped_dir(entry: &walkdir::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    entry.file_type().is_dir() && (name.starts_with('.') || name == "target")
}

/// A short, lower-case reason for an I/O error.
pub fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "no such file or directory".to_owned(),
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => {
            let text = error.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

/// `path` as shown to users: relative to `cwd` when under it, `/`-separated,
/// without `./`.
pub fn display_name(path: &Path, cwd: Option<&Path>) -> String {
    let relative = match cwd {
        Some(cwd) if path.is_absolute() => path.strip_prefix(cwd).unwrap_or(path),
        _ => path,
    };
    let parts: Vec<String> = relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| match c {
            Component::RootDir => String::new(),
            other => other.as_os_str().to_string_lossy().into_owned(),
        })
        .collect();
    let joined = parts.join("/");
    if joined.is_empty() {
        ".".to_owned()
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_are_relative_and_slashed() {
        let cwd = Path::new("/work/repo");
        assert_eq!(display_name(Path::new("./a/b.perm"), Some(cwd)), "a/b.perm");
        assert_eq!(
            display_name(Path::new("/work/repo/x.perm"), Some(cwd)),
            "x.perm"
        );
        assert_eq!(
            display_name(Path::new("/elsewhere/x.perm"), Some(cwd)),
            "/elsewhere/x.perm"
        );
    }

    #[test]
    fn walks_sorted_skipping_hidden_and_target() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        for p in [
            "b.perm",
            "a/z.perm",
            "a/y.txt",
            ".git/h.perm",
            "target/t.perm",
            "c.perm/inner.perm",
        ] {
            let path = root.join(p);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, "").expect("write");
        }
        let found = policy_files(&[root.to_owned()]).expect("walk");
        let names: Vec<_> = found
            .iter()
            .map(|f| {
                f.path
                    .strip_prefix(root)
                    .expect("under root")
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        assert_eq!(names, ["a/z.perm", "b.perm", "c.perm/inner.perm"]);
    }
}
