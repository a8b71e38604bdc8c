//! `include` and `exclude` globs of `rolecall.yaml`, matched against policy
//! file paths relative to the policy root (the configuration's folder).

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::load::config::LoadedConfig;

/// Which policy files a configuration keeps.
#[derive(Debug)]
pub struct FileFilter {
    root: PathBuf,
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl FileFilter {
    /// The filter of `loaded`, whose folder is `root` (absolute), or its
    /// problems with their byte offsets.
    pub fn new(loaded: &LoadedConfig, root: PathBuf) -> Result<Self, Vec<(String, Option<usize>)>> {
        let mut problems = Vec::new();
        let config = &loaded.config;
        let include = set(loaded, "include", &config.include, &mut problems);
        let exclude = set(loaded, "exclude", &config.exclude, &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(FileFilter {
            root,
            include: (!config.include.is_empty()).then_some(include),
            exclude,
        })
    }

    /// Whether the file at absolute `path` belongs to the policy set. Files
    /// outside the policy root are kept: the globs only speak about the root.
    pub fn keeps(&self, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(&self.root) else {
            return true;
        };
        let included = self.include.as_ref().is_none_or(|s| s.is_match(relative));
        included && !self.exclude.is_match(relative)
    }
}

/// A glob set of the entries of key `key`; `*` stops at `/`, `**` does not.
fn set(
    loaded: &LoadedConfig,
    key: &str,
    globs: &[String],
    problems: &mut Vec<(String, Option<usize>)>,
) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        match GlobBuilder::new(glob).literal_separator(true).build() {
            Ok(glob) => {
                builder.add(glob);
            }
            Err(error) => problems.push((
                format!("`{glob}` in `{key}` is not a valid glob: {}", error.kind()),
                loaded.offset_in_section(key, glob),
            )),
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::config::Config;

    fn loaded(include: &[&str], exclude: &[&str]) -> LoadedConfig {
        LoadedConfig {
            path: PathBuf::from("/policies/rolecall.yaml"),
            text: String::new(),
            config: Config {
                include: include.iter().map(|s| s.to_string()).collect(),
                exclude: exclude.iter().map(|s| s.to_string()).collect(),
                ..Config::default()
            },
        }
    }

    #[test]
    fn globs_match_relative_to_the_root() {
        let filter = FileFilter::new(
            &loaded(&["profiles/*.perm"], &["**/old-*.perm"]),
            PathBuf::from("/policies"),
        )
        .expect("valid globs");
        assert!(filter.keeps(Path::new("/policies/profiles/sales.perm")));
        assert!(!filter.keeps(Path::new("/policies/profiles/deep/x.perm")));
        assert!(!filter.keeps(Path::new("/policies/profiles/old-sales.perm")));
        assert!(!filter.keeps(Path::new("/policies/members/amer.perm")));
        assert!(filter.keeps(Path::new("/elsewhere/x.perm")));
    }

    #[test]
    fn invalid_globs_are_reported() {
        let problems = FileFilter::new(&loaded(&[], &["a[.perm"]), PathBuf::from("/policies"))
            .expect_err("invalid");
        assert!(
            problems[0].0.starts_with("`a[.perm` in `exclude`"),
            "{problems:?}"
        );
    }
}
