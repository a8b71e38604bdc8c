//! File names in the bundle: relative to the policy root, `/`-separated,
//! the same whatever the working directory or the machine.

use std::path::{Component, Path, PathBuf};

use crate::load::Project;

/// The policy root of a set: the folder of the `rolecall.yaml` in use, else
/// the first path if it is a folder, else that path's folder.
pub fn policy_root(paths: &[PathBuf], project: &Project) -> PathBuf {
    let root = match (&project.config, paths.first()) {
        (Some(config), _) => config.dir().to_owned(),
        (None, Some(first)) if first.is_dir() => first.clone(),
        (None, Some(first)) => first
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_owned),
        (None, None) => PathBuf::from("."),
    };
    absolute(&root)
}

/// Maps the source names of a compilation (relative to the current
/// directory) to names relative to a policy root.
#[derive(Clone, Debug)]
pub struct Naming {
    cwd: PathBuf,
    root: PathBuf,
}

impl Naming {
    /// Names relative to `root`, for sources named relative to the current directory.
    pub fn new(root: &Path) -> Self {
        Naming {
            cwd: std::env::current_dir().unwrap_or_default(),
            root: absolute(root),
        }
    }

    /// The bundle's name for a source named `display`.
    pub fn name(&self, display: &str) -> String {
        if display.starts_with("prelude:") {
            return display.to_owned();
        }
        let path = normalize(&self.cwd.join(display));
        if let Ok(inside) = path.strip_prefix(&self.root) {
            return slashed(inside);
        }
        // A root reached through a symlink: compare the resolved paths.
        if let (Ok(real), Ok(real_root)) = (path.canonicalize(), self.root.canonicalize()) {
            if let Ok(inside) = real.strip_prefix(&real_root) {
                return slashed(inside);
            }
        }
        relative(&path, &self.root).unwrap_or_else(|| display.replace('\\', "/"))
    }
}

/// `path` made absolute against the current directory, with `.` and `..` removed.
fn absolute(path: &Path) -> PathBuf {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    normalize(&joined)
}

/// Removes `.` and resolves `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
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

/// `path` relative to `base` with `..` steps, when both share a root.
fn relative(path: &Path, base: &Path) -> Option<String> {
    let ours: Vec<Component> = path.components().collect();
    let theirs: Vec<Component> = base.components().collect();
    if ours.first() != theirs.first() {
        return None;
    }
    let common = ours.iter().zip(&theirs).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); theirs.len() - common];
    parts.extend(
        ours[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(parts.join("/"))
}

fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naming(cwd: &str, root: &str) -> Naming {
        Naming {
            cwd: PathBuf::from(cwd),
            root: PathBuf::from(root),
        }
    }

    #[test]
    fn names_are_relative_to_the_root_whatever_the_working_directory() {
        let from_root = naming("/w/set", "/w/set");
        let from_above = naming("/w", "/w/set");
        let from_elsewhere = naming("/w/other", "/w/set");
        assert_eq!(from_root.name("profiles/a.perm"), "profiles/a.perm");
        assert_eq!(from_above.name("set/profiles/a.perm"), "profiles/a.perm");
        assert_eq!(
            from_elsewhere.name("../set/./profiles/a.perm"),
            "profiles/a.perm"
        );
        assert_eq!(from_root.name("/w/set/x.perm"), "x.perm");
    }

    #[test]
    fn files_outside_the_root_climb_and_preludes_keep_their_name() {
        let n = naming("/w", "/w/set");
        assert_eq!(n.name("extra/b.perm"), "../extra/b.perm");
        assert_eq!(n.name("prelude:apollo"), "prelude:apollo");
    }
}
