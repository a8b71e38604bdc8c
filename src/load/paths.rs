//! File names in the bundle: relative to the policy root, `/`-separated,
//! the same whatever the working directory or the machine.

use std::path::{Component, Path, PathBuf};

use super::config::LoadedConfig;
use super::provider::{Kind, Provider, normalize};

/// The policy root of a set, absolute: the folder of the `rolecall.yaml` in
/// use, else the first path if it is a folder, else that path's folder.
pub fn policy_root(
    tree: &dyn Provider,
    paths: &[PathBuf],
    config: Option<&LoadedConfig>,
) -> PathBuf {
    let root = match (config, paths.first()) {
        (Some(config), _) => config.dir().to_owned(),
        (None, Some(first)) if tree.kind(first) == Ok(Kind::Dir) => first.clone(),
        (None, Some(first)) => first
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_owned),
        (None, None) => PathBuf::from("."),
    };
    tree.absolute(&root)
}

/// Maps the source names of a compilation (relative to the display root) to
/// names relative to the policy root, as the bundle writes them.
#[derive(Clone, Debug)]
pub struct Naming {
    display_root: PathBuf,
    root: PathBuf,
}

impl Default for Naming {
    fn default() -> Self {
        Naming::identity()
    }
}

impl Naming {
    /// Names relative to `root`, for sources named relative to
    /// `display_root` (both absolute).
    pub fn new(display_root: &Path, root: &Path) -> Self {
        Naming {
            display_root: normalize(display_root),
            root: normalize(root),
        }
    }

    /// Names kept as they are: sources already named relative to the root.
    pub fn identity() -> Self {
        Naming::new(Path::new("/"), Path::new("/"))
    }

    /// The bundle's name for a source named `display`.
    pub fn name(&self, display: &str) -> String {
        if display.starts_with("prelude:") {
            return display.to_owned();
        }
        let path = normalize(&self.display_root.join(display));
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
        Naming::new(Path::new(cwd), Path::new(root))
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
