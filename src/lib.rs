//! rolecall: a compiler and linter for the permission profiles of sales
//! platforms.
//!
//! ```text
//!  disk / memory / git ──► load ──► syntax ──► resolve ──► lint ──► backend   (bundle)
//!  (load::Provider)       Workspace  parse     + platform   rules    json/
//!                         sources    AST        catalog      waivers
//!                         config     (cached)   view                 explain  (why a value)
//!                                                                    render   (human, json,
//!                                                                              sarif, github)
//! ```
//!
//! - [`load`] gathers the sources of a policy set into a
//!   [`load::Workspace`]: policy files under stable ids, `rolecall.yaml`
//!   and a custom catalog, from any [`load::Provider`] (the disk, memory);
//!   names are relative to an explicit root. Failures are diagnostics.
//! - [`syntax::parse`] turns text into an owned tree with spans; the
//!   workspace keeps each tree while its text is unchanged.
//! - [`catalog`] holds the permissions of each platform; the built-in
//!   platforms and their preludes are parsed once per process.
//! - [`resolve::resolve`] links `extends` on a graph, computes every
//!   profile's effective permissions with provenance, members and caps.
//! - [`lint::lint`] runs the warning rules on the resolved model, applies
//!   suppression comments and the severities of `rolecall.yaml`.
//! - [`baseline`] records a set's warnings and hides them from later runs,
//!   reporting the entries that match nothing any more;
//! - [`compile`] chains the stages over a workspace and returns every
//!   diagnostic, sorted, with the resolved model when there is one.
//! - [`resolve::view`] is the effective view of every profile and member:
//!   each value with its provenance, read by lint, explain and the bundle;
//! - [`Compilation::bundle`] (over [`backend::build`]) turns an error-free
//!   compilation into the JSON bundle that services enforce, and
//!   [`backend::Bundle`] reads it back and decides requests;
//!   [`backend::opa`] and [`backend::cedar`] compile it for Open Policy
//!   Agent and Cedar;
//! - [`explain`] tells where each effective value of a profile comes from;
//! - [`diagnostics::render`] renders the diagnostics of a compilation: human, json,
//!   sarif or github;
//! - [`diff`] compares two resolved policy sets (or bundles): who gains or
//!   loses what access, and why;
//! - [`testing`] runs access tests (`*.test.yaml`) against a compiled set,
//!   and [`snapshot`] writes its access snapshot and reads one back as the
//!   old side of a diff;
//! - [`report`] is the access review of a policy set for auditors: the
//!   who-can-do-what matrix, the inheritance graph, members, findings and
//!   waivers, as an HTML page, markdown or CSV;
//! - [`lsp`] serves all of this to editors while they type.
//!
//! Each stage uses only the stages before it. The library prints nothing
//! and reads no ambient state; the `cli` module does both.

pub mod backend;
pub mod baseline;
pub mod catalog;
pub mod cli;
pub mod diagnostics;
pub mod diff;
pub mod explain;
pub mod fmt;
pub mod lint;
pub mod load;
pub mod lsp;
pub mod markdown;
pub mod report;
pub mod resolve;
pub mod snapshot;
pub mod source;
pub mod syntax;
pub mod testing;

pub use lint::Waiver;

use diagnostics::{Counts, Diagnostic};
use load::{LoadFailure, Workspace};
use resolve::Model;
use source::SourceMap;
use std::sync::Arc;
use syntax::ast;

/// The result of compiling a policy set.
#[derive(Debug)]
pub struct Compilation {
    /// Every source: policy files, the configuration and the prelude.
    pub sources: SourceMap,
    /// Parsed policy files (those that parsed), shared with the workspace.
    pub files: Vec<Arc<ast::File>>,
    /// All diagnostics, sorted by file, position and rule.
    pub diagnostics: Vec<Diagnostic>,
    /// The resolved set; `None` when parsing or platform selection failed.
    pub model: Option<Model>,
    /// Suppressions that silenced at least one diagnostic, sorted by place.
    pub waivers: Vec<Waiver>,
    /// Counts for the summary line.
    pub summary: Summary,
}

/// What a compilation looked at.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Policy files.
    pub files: usize,
    /// Profiles written in the policy files.
    pub profiles: usize,
    /// Members declared in the policy files.
    pub members: usize,
}

impl Compilation {
    /// The load or configuration failure this compilation stopped at, when
    /// it stopped there: a usage error (exit 2) rather than a finding.
    pub fn load_failure(&self) -> Option<LoadFailure> {
        let stopped = self.model.is_none()
            && !self.diagnostics.is_empty()
            && self
                .diagnostics
                .iter()
                .all(|d| matches!(d.rule, "config" | "load"));
        stopped.then(|| LoadFailure {
            sources: self.sources.clone(),
            diagnostics: self.diagnostics.clone(),
        })
    }

    /// Counts of the diagnostics by severity.
    pub fn counts(&self) -> Counts {
        Counts::of(&self.diagnostics)
    }

    /// The JSON bundle of a compilation without error diagnostics; file
    /// names in it are made relative to the policy root by `naming`.
    pub fn bundle(&self, naming: &load::Naming) -> Result<backend::Bundle, backend::BuildError> {
        let model = self.bundled_model()?;
        backend::build(model, &self.sources, &self.waivers, naming)
    }

    /// The JSON text and revision of [`Compilation::bundle`], written
    /// straight from the model without making the bundle (the same bytes as
    /// its [`backend::Bundle::to_json`], in a fraction of the time and
    /// memory).
    pub fn bundle_json(
        &self,
        naming: &load::Naming,
    ) -> Result<backend::Written, backend::BuildError> {
        let model = self.bundled_model()?;
        backend::json::write(model, &self.sources, &self.waivers, naming)
    }

    /// Writes the text of [`Compilation::bundle_json`] to `sink` as it is
    /// made, never holding the whole bundle; returns its revision.
    pub fn write_bundle_json(
        &self,
        naming: &load::Naming,
        sink: &mut (dyn std::io::Write + Send),
    ) -> Result<String, backend::json::WriteFailure> {
        let model = self
            .bundled_model()
            .map_err(backend::json::WriteFailure::Build)?;
        backend::json::write_to(model, &self.sources, &self.waivers, naming, sink)
    }

    /// The revision of [`Compilation::bundle`], hashed straight from the
    /// model without making the bundle or its text.
    pub fn bundle_revision(&self, naming: &load::Naming) -> Result<String, backend::BuildError> {
        let model = self.bundled_model()?;
        backend::json::revision(model, &self.sources, &self.waivers, naming)
    }

    /// The model a bundle is made from: that of a compilation without errors.
    fn bundled_model(&self) -> Result<&Model, backend::BuildError> {
        let errors = self.counts().errors;
        if errors > 0 {
            return Err(backend::BuildError {
                message: format!("the policy set has {errors} error(s), so no bundle is made"),
            });
        }
        self.model.as_ref().ok_or_else(|| backend::BuildError {
            message: "the policy set was not resolved".to_owned(),
        })
    }
}

/// Loads, compiles and bundles the policy set under `paths`, as
/// `rolecall build` does, without writing anything.
pub fn build_paths(
    paths: &[std::path::PathBuf],
    config: Option<&std::path::Path>,
) -> Result<backend::Bundle, backend::BuildError> {
    let failed = |failure: &LoadFailure| backend::BuildError {
        message: diagnostics::render::render_load_failure(
            failure,
            diagnostics::render::HumanStyle::default(),
        )
        .trim_end()
        .to_owned(),
    };
    let workspace = load::load(paths, config).map_err(|e| failed(&e))?;
    let compilation = compile(&workspace);
    if let Some(failure) = compilation.load_failure() {
        return Err(failed(&failure));
    }
    compilation.bundle(workspace.naming())
}

/// Parses, resolves and lints the policy set of `workspace`; collects every
/// diagnostic. Files parsed by an earlier compilation of the same workspace
/// and not changed since are not parsed again.
pub fn compile(workspace: &Workspace) -> Compilation {
    // The loader reports these with the configuration's other problems; a
    // workspace given its configuration some other way is checked here.
    if let Some(config) = workspace.config() {
        let problems = lint::config_problems(&config.loaded);
        if !problems.is_empty() {
            let name = &config.source.name;
            let text = &config.loaded.text;
            return LoadFailure::located("config", name, text, problems).into();
        }
    }
    let parsed = workspace.parsed();
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let mut files = Vec::with_capacity(parsed.len());
    for (id, source, parsed) in &parsed {
        sources.insert(*id, Arc::clone(source));
        match parsed {
            Ok((tree, found)) => {
                diagnostics.extend(found.iter().cloned());
                files.push(Arc::clone(tree));
            }
            Err(error) => diagnostics.push((**error).clone()),
        }
    }
    let summary = Summary {
        files: parsed.len(),
        profiles: count(&files, |s| matches!(s, ast::Statement::Profile(_))),
        members: count(&files, |s| matches!(s, ast::Statement::Member(_))),
    };
    let config = workspace.config();
    if let Some(config) = config {
        sources.insert(config.id, Arc::clone(&config.source));
    }
    let mut model = None;
    let mut waivers = Vec::new();
    if diagnostics.is_empty() {
        let platform = workspace.platform().map(Arc::as_ref);
        let config = config.map(|c| (c.id, &c.loaded));
        model = resolve::platform::select(platform, config, &files, &mut sources, &mut diagnostics);
    }
    if let Some(model) = &model {
        let settings = lint::LintSettings::from_config(config.map(|c| &c.loaded.config));
        let cx = lint::Context {
            model,
            files: &files,
            sources: &sources,
            settings: &settings,
        };
        let outcome = lint::lint(&cx, !diagnostics.is_empty());
        diagnostics.extend(outcome.diagnostics);
        waivers = outcome.waivers;
    }
    diagnostics::sort(&mut diagnostics, &sources);
    Compilation {
        sources,
        files,
        diagnostics,
        model,
        waivers,
        summary,
    }
}

impl From<LoadFailure> for Compilation {
    /// The compilation of a set that could not be loaded: its load or
    /// configuration diagnostics alone, so every format can show them.
    fn from(failure: LoadFailure) -> Self {
        let mut diagnostics = failure.diagnostics;
        diagnostics::sort(&mut diagnostics, &failure.sources);
        Compilation {
            sources: failure.sources,
            files: Vec::new(),
            diagnostics,
            model: None,
            waivers: Vec::new(),
            summary: Summary::default(),
        }
    }
}

fn count(files: &[Arc<ast::File>], predicate: impl Fn(&ast::Statement) -> bool) -> usize {
    files
        .iter()
        .map(|f| f.statements.iter().filter(|s| predicate(s)).count())
        .sum()
}
