//! What the server holds: the open documents and, per policy set, its
//! workspace and latest compilation.
//!
//! A set is loaded from disk once, when the first of its files is opened;
//! after that each change replaces one buffer's text in the workspace
//! ([`Workspace::upsert`]), so a re-check parses only that file again and
//! reuses every other tree, the catalog and the prelude.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_types::{PublishDiagnosticsParams, Uri};

use super::convert::{self, Locate, path_to_uri, uri_to_path};
use crate::Compilation;
use crate::load::{Disk, Loader, Workspace, config};
use crate::source::{FileId, SourceFile};
use crate::syntax::ast;

/// An open document.
#[derive(Debug)]
pub struct Document {
    /// The editor's version of the text.
    pub version: i32,
    /// The policy set it belongs to (its key in [`State::sets`]).
    pub set: PathBuf,
    /// Its name in the set's workspace.
    pub name: String,
}

/// One policy set: its root folder, its sources and its latest check.
#[derive(Debug)]
pub struct PolicySet {
    /// The folder of its `rolecall.yaml`, or of the first file opened.
    pub root: PathBuf,
    /// Whether it was read from disk (a document that is not a file is a
    /// set of its own).
    pub on_disk: bool,
    /// The sources: files on disk with open buffers' text over them.
    pub workspace: Workspace,
    /// Diagnostics of a failed load, shown until the set is loaded again.
    pub load_failure: Vec<(Uri, lsp_types::Diagnostic)>,
    /// The latest compilation.
    pub compilation: Option<Arc<Compilation>>,
    /// The latest compilation that resolved, for hover while a file does
    /// not parse.
    pub resolved: Option<Arc<Compilation>>,
    /// Documents last published with at least one diagnostic.
    published: BTreeSet<String>,
    /// Addresses of documents that are not files, by name.
    virtual_uris: BTreeMap<String, Uri>,
}

impl Locate for PolicySet {
    fn uri_of(&self, name: &str) -> Option<Uri> {
        if name.starts_with("prelude:") {
            return None;
        }
        if !self.on_disk {
            return self.virtual_uris.get(name).cloned();
        }
        path_to_uri(&self.root.join(name))
    }
}

impl PolicySet {
    /// The policy set whose root is `root`, read from disk.
    fn load(root: &Path) -> PolicySet {
        let loader = Loader::new(&Disk, root);
        let mut set = PolicySet::empty(root.to_owned(), true);
        match loader.load(&[root.to_owned()], None) {
            Ok(workspace) => set.workspace = workspace,
            Err(failure) => {
                let compilation = Compilation::from(failure);
                // A folder with no policy file on disk yet (a new file) is
                // not a problem: the open buffers are the set.
                set.load_failure = compilation
                    .diagnostics
                    .iter()
                    .filter(|d| d.rule == "config")
                    .filter_map(|d| convert::diagnostic(&compilation, &set, d))
                    .collect();
            }
        }
        set
    }

    fn empty(root: PathBuf, on_disk: bool) -> PolicySet {
        PolicySet {
            root,
            on_disk,
            workspace: Workspace::new(),
            load_failure: Vec::new(),
            compilation: None,
            resolved: None,
            published: BTreeSet::new(),
            virtual_uris: BTreeMap::new(),
        }
    }

    /// The compilation with a resolved model: the latest, or the latest
    /// that resolved.
    pub fn model_compilation(&self) -> Option<&Arc<Compilation>> {
        match &self.compilation {
            Some(c) if c.model.is_some() => Some(c),
            _ => self.resolved.as_ref(),
        }
    }

    /// The parsed tree of file `id` in the latest compilation.
    pub fn tree(&self, id: FileId) -> Option<&Arc<ast::File>> {
        let compilation = self.compilation.as_ref()?;
        compilation.files.iter().find(|f| f.id == id)
    }

    /// Checks the set again and returns what to publish: every file with
    /// diagnostics, and an empty list for each file that had some before.
    pub fn check(&mut self, versions: &HashMap<String, i32>) -> Vec<PublishDiagnosticsParams> {
        let compilation = Arc::new(crate::compile(&self.workspace));
        let mut by_uri: BTreeMap<String, (Uri, Vec<lsp_types::Diagnostic>)> = BTreeMap::new();
        let found = compilation
            .diagnostics
            .iter()
            .filter_map(|d| convert::diagnostic(&compilation, self, d));
        for (uri, diagnostic) in self.load_failure.iter().cloned().chain(found) {
            by_uri
                .entry(uri.as_str().to_owned())
                .or_insert_with(|| (uri, Vec::new()))
                .1
                .push(diagnostic);
        }
        if compilation.model.is_some() {
            self.resolved = Some(Arc::clone(&compilation));
        }
        self.compilation = Some(compilation);
        let mut out = Vec::new();
        for stale in self.published.iter().filter(|k| !by_uri.contains_key(*k)) {
            if let Ok(uri) = stale.parse::<Uri>() {
                out.push(publish(uri, Vec::new(), versions));
            }
        }
        self.published = by_uri.keys().cloned().collect();
        for (_, (uri, diagnostics)) in by_uri {
            out.push(publish(uri, diagnostics, versions));
        }
        out
    }
}

fn publish(
    uri: Uri,
    diagnostics: Vec<lsp_types::Diagnostic>,
    versions: &HashMap<String, i32>,
) -> PublishDiagnosticsParams {
    let version = versions.get(uri.as_str()).copied();
    PublishDiagnosticsParams {
        uri,
        diagnostics,
        version,
    }
}

/// Every open document and every policy set one of them belongs to.
#[derive(Debug, Default)]
pub struct State {
    /// Open documents by address.
    pub documents: HashMap<String, Document>,
    /// Policy sets by root (or, for a document that is not a file, its address).
    pub sets: BTreeMap<PathBuf, PolicySet>,
}

/// A located document: its set, its id there and its source.
pub struct Located<'s> {
    /// The set.
    pub set: &'s PolicySet,
    /// The document's id in the set's workspace.
    pub id: FileId,
    /// Its current text.
    pub source: &'s SourceFile,
}

impl State {
    /// Opens (or replaces) document `uri` with `text`; returns what to
    /// publish after checking its set.
    pub fn open(&mut self, uri: &Uri, version: i32, text: &str) -> Vec<PublishDiagnosticsParams> {
        let (key, name) = match uri_to_path(uri) {
            Some(path) => {
                let root = set_root(&path);
                let name = Loader::new(&Disk, &root).name(&path);
                if !self.sets.contains_key(&root) {
                    self.sets.insert(root.clone(), PolicySet::load(&root));
                }
                (root, name)
            }
            None => {
                let key = PathBuf::from(uri.as_str());
                let name = uri
                    .as_str()
                    .rsplit('/')
                    .next()
                    .unwrap_or("untitled")
                    .to_owned();
                let set = self
                    .sets
                    .entry(key.clone())
                    .or_insert_with(|| PolicySet::empty(key.clone(), false));
                set.virtual_uris.insert(name.clone(), uri.clone());
                (key, name)
            }
        };
        let document = Document {
            version,
            set: key.clone(),
            name: name.clone(),
        };
        self.documents.insert(uri.as_str().to_owned(), document);
        self.change(uri, version, text)
    }

    /// Replaces the text of open document `uri`; returns what to publish.
    pub fn change(&mut self, uri: &Uri, version: i32, text: &str) -> Vec<PublishDiagnosticsParams> {
        let Some(document) = self.documents.get_mut(uri.as_str()) else {
            return Vec::new();
        };
        document.version = version;
        let key = document.set.clone();
        let name = document.name.clone();
        let versions = self.versions();
        let Some(set) = self.sets.get_mut(&key) else {
            return Vec::new();
        };
        set.workspace.upsert(&name, text.as_bytes());
        set.check(&versions)
    }

    /// Checks the set of open document `uri` again (on save).
    pub fn recheck(&mut self, uri: &Uri) -> Vec<PublishDiagnosticsParams> {
        let versions = self.versions();
        let Some(document) = self.documents.get(uri.as_str()) else {
            return Vec::new();
        };
        match self.sets.get_mut(&document.set) {
            Some(set) => set.check(&versions),
            None => Vec::new(),
        }
    }

    /// Reads again, from disk, every set that holds one of `paths` (a file
    /// added, removed or changed outside the editor, a `rolecall.yaml`
    /// edited); open buffers keep their text. Returns what to publish.
    pub fn reload(&mut self, paths: &[PathBuf]) -> Vec<PublishDiagnosticsParams> {
        let versions = self.versions();
        let roots: Vec<PathBuf> = self
            .sets
            .iter()
            .filter(|(_, set)| set.on_disk && paths.iter().any(|p| p.starts_with(&set.root)))
            .map(|(root, _)| root.clone())
            .collect();
        let mut out = Vec::new();
        for root in roots {
            let mut fresh = PolicySet::load(&root);
            let Some(old) = self.sets.remove(&root) else {
                continue;
            };
            fresh.published = old.published;
            fresh.resolved = old.resolved;
            for document in self.documents.values().filter(|d| d.set == root) {
                if let Some((_, source)) = old.workspace.file(&document.name) {
                    fresh
                        .workspace
                        .upsert(&document.name, source.text.as_bytes());
                }
            }
            out.extend(fresh.check(&versions));
            self.sets.insert(root, fresh);
        }
        out
    }

    /// Closes document `uri`: its set goes back to the text on disk (or
    /// forgets it when it is not on disk).
    pub fn close(&mut self, uri: &Uri) -> Vec<PublishDiagnosticsParams> {
        let Some(document) = self.documents.remove(uri.as_str()) else {
            return Vec::new();
        };
        let versions = self.versions();
        let Some(set) = self.sets.get_mut(&document.set) else {
            return Vec::new();
        };
        let on_disk = uri_to_path(uri).and_then(|p| std::fs::read(p).ok());
        match on_disk {
            Some(bytes) => {
                set.workspace.upsert(&document.name, bytes);
            }
            None => {
                set.workspace.remove(&document.name);
            }
        }
        let mut out = set.check(&versions);
        if !set.on_disk {
            // A document that is not a file has nothing left to show.
            out.push(publish(uri.clone(), Vec::new(), &HashMap::new()));
            self.sets.remove(&document.set);
        }
        out
    }

    /// The set, id and current text of open document `uri`.
    pub fn locate(&self, uri: &Uri) -> Option<Located<'_>> {
        let document = self.documents.get(uri.as_str())?;
        let set = self.sets.get(&document.set)?;
        let (id, source) = set.workspace.file(&document.name)?;
        Some(Located { set, id, source })
    }

    fn versions(&self) -> HashMap<String, i32> {
        self.documents
            .iter()
            .map(|(uri, d)| (uri.clone(), d.version))
            .collect()
    }
}

/// The root of the policy set of file `path`: the folder of the nearest
/// `rolecall.yaml` above it, or its own folder.
pub fn set_root(path: &Path) -> PathBuf {
    match config::find_upward(&Disk, path) {
        Some(config) => config
            .parent()
            .map_or_else(|| config.clone(), Path::to_owned),
        None => path
            .parent()
            .map_or_else(|| PathBuf::from("/"), Path::to_owned),
    }
}
