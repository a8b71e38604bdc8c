//! Loading: the sources of a policy set, gathered into a [`Workspace`].
//!
//! A [`Loader`] reads a policy set from a [`Provider`] — the disk, files in
//! memory, or any other tree — the way `check` does: the `*.perm` files under
//! the given paths, the nearest `rolecall.yaml` (or the one given), its
//! `include`/`exclude` globs and its custom catalog. Names in output are
//! relative to the loader's explicit display root; nothing here reads the
//! process's current directory. Failures are diagnostics under the rules
//! `config` (a configuration or catalog problem) and `load` (a path that
//! cannot be read, no policy files): the run stops with exit code 2.

pub mod config;
pub mod discover;
mod failure;
mod filter;
pub mod git;
mod paths;
mod provider;
mod workspace;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use failure::LoadFailure;
pub use paths::{Naming, policy_root};
pub use provider::{Disk, Kind, Memory, Provider};
pub use workspace::{ConfigSource, Parsed, Workspace};

use crate::catalog::{self, Platform};
use discover::shown;
use filter::FileFilter;

/// Reads policy sets from a tree, naming files relative to a display root.
pub struct Loader<'t> {
    tree: &'t dyn Provider,
    root: PathBuf,
}

impl<'t> Loader<'t> {
    /// A loader over `tree` whose names are relative to folder `root` of it
    /// (the command line gives its current directory).
    pub fn new(tree: &'t dyn Provider, root: &Path) -> Self {
        Loader {
            tree,
            root: tree.absolute(root),
        }
    }

    /// The name of `path` in output.
    pub fn name(&self, path: &Path) -> String {
        shown(self.tree, &self.root, path)
    }

    /// Reads the policy set under `paths` with the configuration at
    /// `config` (or the nearest `rolecall.yaml` above the first path).
    pub fn load(&self, paths: &[PathBuf], config: Option<&Path>) -> Result<Workspace, LoadFailure> {
        let tree = self.tree;
        let mut found = discover::policy_files(tree, &self.root, paths)
            .map_err(|e| LoadFailure::plain(&self.first_name(paths), e.message))?;
        let config_path = match config {
            Some(path) => Some(path.to_owned()),
            None => paths.first().and_then(|p| config::find_upward(tree, p)),
        };
        let (mut config, mut problems) = match config_path.as_deref().map(|p| config::read(tree, p))
        {
            None => (None, Vec::new()),
            Some(Ok((loaded, problems))) => (Some(loaded), problems),
            Some(Err(error)) => return Err(LoadFailure::config(&self.name(&error.path), error)),
        };
        // Every problem of the configuration is reported at once: those of
        // its text, then the checks of what it names (globs, rule names,
        // the platform and plan) on what of it could be read.
        let mut workspace = Workspace::new();
        let mut prelude_identity = None;
        if let Some(loaded) = &config {
            match FileFilter::new(loaded, tree.absolute(loaded.dir())) {
                Ok(filter) => found.retain(|f| filter.keeps(&tree.absolute(&f.path))),
                Err(globs) => problems.extend(globs),
            }
            let custom = match &loaded.config.catalog {
                None => Ok(None),
                Some(relative) => self
                    .catalog(&loaded.dir().join(relative), &mut workspace)
                    .map(Some),
            };
            match custom {
                Ok(custom) => {
                    let catalog = custom.as_ref().map(|(p, _)| p.catalog.as_ref());
                    problems.extend(config::platform_problems(loaded, catalog));
                    if let Some((platform, prelude_path)) = custom {
                        prelude_identity = prelude_path.map(|p| tree.identity(&p));
                        workspace.set_platform(Arc::new(platform));
                    }
                }
                // The configuration's own problems come before its catalog's.
                Err(failure) if problems.is_empty() => return Err(failure),
                Err(_) => {}
            }
        }
        // A configuration with problems stops loading here: they are
        // recorded, and `compile` reports them with those of its rule names.
        if let Some(loaded) = config.take_if(|_| !problems.is_empty()) {
            workspace.set_config(&self.name(&loaded.path), loaded);
            workspace.record_config_problems(problems);
            return Ok(workspace);
        }
        if found.is_empty() {
            let names: Vec<String> = paths.iter().map(|p| format!("`{}`", p.display())).collect();
            return Err(LoadFailure::plain(
                &self.first_name(paths),
                format!("no policy files (`*.perm`) under {}", names.join(", ")),
            ));
        }
        let root = policy_root(tree, paths, config.as_ref());
        workspace.set_naming(Naming::new(&self.root, &root));
        if let Some(loaded) = config {
            workspace.set_config(&self.name(&loaded.path), loaded);
        }
        for file in found {
            // A custom prelude inside the policy tree is the catalog's, not a policy file.
            if prelude_identity.is_some() && Some(tree.identity(&file.path)) == prelude_identity {
                continue;
            }
            let bytes = tree.read(&file.path).map_err(|reason| {
                LoadFailure::plain(
                    &file.display,
                    format!("cannot read `{}`: {reason}", file.display),
                )
            })?;
            workspace.upsert(&file.display, bytes);
        }
        Ok(workspace)
    }

    fn first_name(&self, paths: &[PathBuf]) -> String {
        paths
            .first()
            .map_or_else(|| ".".to_owned(), |p| self.name(p))
    }

    /// Reads a custom catalog and its prelude; returns the prelude's path too.
    fn catalog(
        &self,
        path: &Path,
        workspace: &mut Workspace,
    ) -> Result<(Platform, Option<PathBuf>), LoadFailure> {
        let name = self.name(path);
        let bytes = self.tree.read(path).map_err(|reason| {
            LoadFailure::plain(&name, format!("cannot read the catalog `{name}`: {reason}"))
        })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            LoadFailure::plain(
                &name,
                format!("cannot read the catalog `{name}`: the file is not UTF-8"),
            )
        })?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut prelude_path = None;
        let catalog = catalog::load(&text, |relative| {
            let path = dir.join(relative);
            prelude_path = Some(path.clone());
            let bytes = self
                .tree
                .read(&path)
                .map_err(|reason| format!("cannot read the prelude `{relative}`: {reason}"))?;
            String::from_utf8(bytes)
                .map_err(|_| format!("cannot read the prelude `{relative}`: the file is not UTF-8"))
        })
        .map_err(|errors| {
            let problems = errors.into_iter().map(|e| (e.message, e.offset)).collect();
            LoadFailure::located("config", &name, &text, problems)
        })?;
        let id = workspace.id_of(&format!("prelude:{}", catalog.platform));
        let platform = Platform::new(catalog, id);
        Ok((platform, prelude_path))
    }
}

/// Reads the policy set under `paths` from disk, as `check` does, with
/// names relative to the current directory.
pub fn load(paths: &[PathBuf], config: Option<&Path>) -> Result<Workspace, LoadFailure> {
    Loader::new(&Disk, Path::new(".")).load(paths, config)
}
