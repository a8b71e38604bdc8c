//! Finding the `*.perm` files of a policy set.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use super::provider::{Kind, Provider};

/// A policy file found on disk.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    /// The name shown in output: relative to the display root, `/`-separated.
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

/// Every `*.perm` file under `paths` in `tree`, sorted by display name
/// (relative to `root`), each once.
///
/// Folders are walked recursively (on disk symlinks are followed and loops
/// skipped; hidden folders and `target/` are left out); a path naming a file
/// is taken whatever its extension.
pub fn policy_files(
    tree: &dyn Provider,
    root: &Path,
    paths: &[PathBuf],
) -> Result<Vec<Found>, DiscoverError> {
    let mut seen = BTreeSet::new();
    let mut found = BTreeSet::new();
    let mut add = |path: PathBuf| {
        if seen.insert(tree.identity(&path)) {
            found.insert(Found {
                display: shown(tree, root, &path),
                path,
            });
        }
    };
    for path in paths {
        let kind = tree.kind(path).map_err(|reason| DiscoverError {
            message: format!("cannot read `{}`: {reason}", path.display()),
        })?;
        if kind == Kind::File {
            add(path.clone());
            continue;
        }
        let files = tree.walk(path).map_err(|(at, reason)| DiscoverError {
            message: format!("cannot read `{}`: {reason}", shown(tree, root, &at)),
        })?;
        for file in files {
            add(file);
        }
    }
    Ok(found.into_iter().collect())
}

/// How `path` of `tree` is named in output: relative to the absolute
/// `root` when it lies under it, else as written.
pub fn shown(tree: &dyn Provider, root: &Path, path: &Path) -> String {
    let absolute = tree.absolute(path);
    if absolute.starts_with(root) {
        display_name(&absolute, Some(root))
    } else {
        display_name(path, None)
    }
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
        let found = policy_files(
            &crate::load::Disk,
            &crate::load::Disk.absolute(root),
            &[root.to_owned()],
        )
        .expect("walk");
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
