//! A workspace: the sources of one policy set, each under a stable id.
//!
//! Sources are keyed by name. A name keeps its [`FileId`] for the life of
//! the workspace, whatever else is added or removed, so spans, diagnostics
//! and cached trees stay valid. A source whose text did not change keeps its
//! parsed tree: compiling again parses only what was edited.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use super::config::LoadedConfig;
use super::paths::Naming;
use crate::catalog::Platform;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, SHARED_IDS, SourceFile};
use crate::syntax::{self, ast};

/// A parsed policy file: its tree and warnings, or the error that stopped it.
pub type Parsed = Result<(Arc<ast::File>, Vec<Diagnostic>), Box<Diagnostic>>;

/// One source of a workspace.
#[derive(Clone, Debug)]
struct Slot {
    id: FileId,
    source: Arc<SourceFile>,
    /// Filled on first compilation, kept while the text stays the same.
    parsed: OnceLock<Parsed>,
}

/// The configuration of a workspace, with its source for diagnostics.
#[derive(Clone, Debug)]
pub struct ConfigSource {
    /// Its file id.
    pub id: FileId,
    /// Its text, named as shown in output.
    pub source: Arc<SourceFile>,
    /// What it says.
    pub loaded: LoadedConfig,
    /// What the loader found wrong with it (its globs, platform and plan),
    /// with byte offsets into its text; [`crate::compile`] reports them with
    /// the problems of its rule names.
    pub problems: Vec<(String, Option<usize>)>,
}

/// The sources of a policy set: policy files, configuration and custom
/// platform, from disk, from memory or from any other tree. A clone shares
/// the texts and parsed trees.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    files: BTreeMap<String, Slot>,
    ids: HashMap<String, FileId>,
    next: u32,
    config: Option<ConfigSource>,
    platform: Option<Arc<Platform>>,
    naming: Naming,
}

impl Workspace {
    /// An empty workspace whose names are relative to the policy root.
    pub fn new() -> Self {
        Workspace::default()
    }

    /// A workspace of the given policy files (name, bytes).
    pub fn from_files<N, B>(files: impl IntoIterator<Item = (N, B)>) -> Self
    where
        N: AsRef<str>,
        B: Into<Vec<u8>>,
    {
        let mut workspace = Workspace::new();
        for (name, bytes) in files {
            workspace.upsert(name.as_ref(), bytes);
        }
        workspace
    }

    /// The id of `name`, given on its first use and kept for ever.
    pub fn id_of(&mut self, name: &str) -> FileId {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = FileId(self.next.min(SHARED_IDS - 1));
        self.next += 1;
        self.ids.insert(name.to_owned(), id);
        id
    }

    /// Adds policy file `name`, or replaces its text; returns its id. A
    /// file whose text is unchanged keeps its parsed tree.
    pub fn upsert(&mut self, name: &str, bytes: impl Into<Vec<u8>>) -> FileId {
        let id = self.id_of(name);
        let bytes = bytes.into();
        if let Some(slot) = self.files.get(name)
            && slot.source.text.as_bytes() == bytes.as_slice()
        {
            return id;
        }
        let slot = match String::from_utf8(bytes) {
            Ok(text) => Slot {
                id,
                source: Arc::new(SourceFile::new(name, text)),
                parsed: OnceLock::new(),
            },
            Err(error) => {
                let offset = error.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
                let source = Arc::new(SourceFile::new(name, lossy));
                let parsed = OnceLock::new();
                let _ = parsed.set(Err(Box::new(Diagnostic::invalid_encoding(
                    id,
                    &source.text,
                    offset,
                ))));
                Slot { id, source, parsed }
            }
        };
        self.files.insert(name.to_owned(), slot);
        id
    }

    /// Removes policy file `name`; whether it was there. Its id stays
    /// reserved for the name.
    pub fn remove(&mut self, name: &str) -> bool {
        self.files.remove(name).is_some()
    }

    /// Sets the configuration, named `name` in output.
    pub fn set_config(&mut self, name: &str, loaded: LoadedConfig) {
        let id = self.id_of(name);
        let source = Arc::new(SourceFile::new(name, loaded.text.as_str()));
        self.config = Some(ConfigSource {
            id,
            source,
            loaded,
            problems: Vec::new(),
        });
    }

    /// Records what the loader found wrong with the configuration.
    pub fn record_config_problems(&mut self, problems: Vec<(String, Option<usize>)>) {
        if let Some(config) = &mut self.config {
            config.problems = problems;
        }
    }

    /// Drops the configuration.
    pub fn clear_config(&mut self) {
        self.config = None;
    }

    /// The configuration, when there is one.
    pub fn config(&self) -> Option<&ConfigSource> {
        self.config.as_ref()
    }

    /// Sets the custom platform named by the configuration's `catalog:`.
    pub fn set_platform(&mut self, platform: Arc<Platform>) {
        self.platform = Some(platform);
    }

    /// The custom platform, when the configuration names a catalog.
    pub fn platform(&self) -> Option<&Arc<Platform>> {
        self.platform.as_ref()
    }

    /// Sets how source names map to the bundle's names.
    pub fn set_naming(&mut self, naming: Naming) {
        self.naming = naming;
    }

    /// How source names map to the bundle's names (relative to the root).
    pub fn naming(&self) -> &Naming {
        &self.naming
    }

    /// The policy files, by name.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.values().map(|s| (s.id, s.source.as_ref()))
    }

    /// The policy file named `name`.
    pub fn file(&self, name: &str) -> Option<(FileId, &SourceFile)> {
        self.files.get(name).map(|s| (s.id, s.source.as_ref()))
    }

    /// Number of policy files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the workspace holds no policy file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Every policy file with its parse, in name order; files not parsed
    /// yet are parsed now, in parallel.
    pub fn parsed(&self) -> Vec<(FileId, &Arc<SourceFile>, &Parsed)> {
        self.files
            .par_iter()
            .map(|(_, slot)| {
                let parsed = slot.parsed.get_or_init(|| {
                    syntax::parse_source(slot.id, &slot.source)
                        .map(|(tree, found)| (Arc::new(tree), found))
                });
                (slot.id, &slot.source, parsed)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_by_name_and_unchanged_text_keeps_its_tree() {
        let mut ws = Workspace::from_files([("b.perm", "platform apollo\n"), ("a.perm", "")]);
        let b = ws.file("b.perm").map(|f| f.0);
        let first = ws.parsed();
        let tree = match first[1].2 {
            Ok((tree, _)) => Arc::clone(tree),
            Err(e) => panic!("{e:?}"),
        };
        drop(first);
        ws.upsert("c.perm", "");
        assert!(ws.remove("a.perm"));
        ws.upsert("b.perm", "platform apollo\n");
        assert_eq!(ws.file("b.perm").map(|f| f.0), b);
        let again = ws.parsed();
        let names: Vec<_> = again.iter().map(|(_, s, _)| s.name.as_str()).collect();
        assert_eq!(names, ["b.perm", "c.perm"]);
        match again[0].2 {
            Ok((same, _)) => assert!(
                Arc::ptr_eq(same, &tree),
                "an unchanged file is parsed again"
            ),
            Err(e) => panic!("{e:?}"),
        }
        drop(again);
        ws.upsert("a.perm", "x");
        assert_eq!(ws.file("a.perm").map(|f| f.0), Some(FileId(1)));
    }

    #[test]
    fn bytes_that_are_not_utf8_are_reported_once_parsed() {
        let ws = Workspace::from_files([("a.perm", b"ok \xff".to_vec())]);
        let parsed = ws.parsed();
        match parsed[0].2 {
            Err(d) => assert_eq!(d.rule, "invalid-encoding"),
            Ok(_) => panic!("bad bytes parsed"),
        }
    }
}
