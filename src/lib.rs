//! rolecall: a compiler and linter for the permission profiles of sales
//! platforms.
//!
//! ```text
//!   *.perm files ──► parse ──► resolve ──► lint ──► diagnostics, waivers ──► emit (bundle)
//!                    syntax    resolve     lint
//!                                  ▲          ▲
//!   rolecall.yaml ──► platform, plan, catalog │ (+ prelude)
//!                 ──► severities, thresholds ─┘
//! ```
//!
//! - [`syntax::parse`] turns text into an owned tree with spans;
//! - [`resolve::resolve`] links `extends` on a graph, computes every
//!   profile's effective permissions with provenance, members and caps;
//! - [`lint::lint`] runs the warning rules on the resolved model, applies
//!   suppression comments and the severities of `rolecall.yaml`;
//! - [`compile`] chains the stages over a [`project::Project`] and returns
//!   every diagnostic, sorted, with the resolved model when there is one;
//! - [`resolve::view`] is the effective view of every profile and member:
//!   each value with its provenance, read by lint, explain and the bundle;
//! - [`Compilation::bundle`] (over [`backend::build`]) turns an error-free
//!   compilation into the JSON bundle that services enforce, and
//!   [`backend::Bundle`] reads it back;
//! - [`explain`] tells where each effective value of a profile comes from.
//!
//! The library prints nothing; the `cli` module does.

pub mod backend;
pub mod catalog;
pub mod cli;
pub mod diagnostics;
pub mod explain;
pub mod fmt;
pub mod lint;
pub mod load;
pub mod resolve;
pub mod source;
pub mod syntax;

pub use lint::Waiver;

use diagnostics::{Counts, Diagnostic};
use load::Project;
use rayon::prelude::*;
use resolve::Model;
use source::{FileId, SourceFile, SourceMap, Span};
use syntax::ast;

/// The result of compiling a policy set.
#[derive(Debug)]
pub struct Compilation {
    /// Every source: policy files, the configuration and the prelude.
    pub sources: SourceMap,
    /// Parsed policy files (those that parsed).
    pub files: Vec<ast::File>,
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
    /// Counts of the diagnostics by severity.
    pub fn counts(&self) -> Counts {
        Counts::of(&self.diagnostics)
    }

    /// The JSON bundle of a compilation without error diagnostics; file
    /// names in it are made relative to the policy root by `naming`.
    pub fn bundle(&self, naming: &load::Naming) -> Result<backend::Bundle, backend::BuildError> {
        let errors = self.counts().errors;
        if errors > 0 {
            return Err(backend::BuildError {
                message: format!("the policy set has {errors} error(s), so no bundle is made"),
            });
        }
        let Some(model) = &self.model else {
            return Err(backend::BuildError {
                message: "the policy set was not resolved".to_owned(),
            });
        };
        backend::build(model, &self.sources, &self.waivers, naming)
    }
}

/// Loads, compiles and bundles the policy set under `paths`, as
/// `rolecall build` does, without writing anything.
pub fn build_paths(
    paths: &[std::path::PathBuf],
    config: Option<&std::path::Path>,
) -> Result<backend::Bundle, backend::BuildError> {
    let mut project = load::load(paths, config).map_err(|e| backend::BuildError {
        message: e
            .render(diagnostics::HumanStyle::default())
            .trim_end()
            .to_owned(),
    })?;
    let compilation = compile_taking_files(&mut project);
    let naming = load::Naming::new(&load::policy_root(paths, &project));
    compilation.bundle(&naming)
}

/// Parses, then resolves a policy set; collects every diagnostic.
pub fn compile(project: &Project) -> Compilation {
    // Files are decoded, indexed and parsed in parallel; the results are
    // gathered in file order, so ids and diagnostics do not depend on timing.
    let loaded: Vec<Loaded> = project
        .files
        .par_iter()
        .enumerate()
        .map(|(index, input)| load(FileId(index as u32), input.name.clone(), &input.bytes))
        .collect();
    finish(project, loaded)
}

/// Like [`compile`], but moves the policy files out of `project`, leaving
/// its `files` empty: each file's bytes are freed as soon as its text is
/// decoded, so the policy text is held once rather than twice. The
/// command-line tool compiles this way.
pub fn compile_taking_files(project: &mut Project) -> Compilation {
    let inputs = std::mem::take(&mut project.files);
    let loaded: Vec<Loaded> = inputs
        .into_par_iter()
        .enumerate()
        .map(|(index, input)| load(FileId(index as u32), input.name, &input.bytes))
        .collect();
    finish(project, loaded)
}

/// Resolves and lints the parsed files of `project`.
fn finish(project: &Project, loaded: Vec<Loaded>) -> Compilation {
    let file_count = loaded.len();
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let mut files = Vec::with_capacity(file_count);
    for loaded in loaded {
        sources.push(loaded.source);
        match loaded.parsed {
            Ok((tree, found)) => {
                diagnostics.extend(found);
                files.push(tree);
            }
            Err(error) => diagnostics.push(*error),
        }
    }
    let summary = Summary {
        files: file_count,
        profiles: count(&files, |s| matches!(s, ast::Statement::Profile(_))),
        members: count(&files, |s| matches!(s, ast::Statement::Member(_))),
    };
    let config_file = project.config.as_ref().map(|c| {
        let name = load::discover::display_name(&c.path, std::env::current_dir().ok().as_deref());
        (sources.add(name, c.text.as_str()), c)
    });
    let mut model = None;
    let mut waivers = Vec::new();
    if diagnostics.is_empty() {
        model =
            resolve::platform::select(project, config_file, &files, &mut sources, &mut diagnostics);
    }
    if let Some(model) = &model {
        let settings = lint::LintSettings::from_config(project.config.as_ref().map(|c| &c.config));
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

/// One policy file, decoded and parsed.
struct Loaded {
    source: SourceFile,
    parsed: Result<(ast::File, Vec<Diagnostic>), Box<Diagnostic>>,
}

/// Decodes and parses policy file `id`.
fn load(id: FileId, name: String, bytes: &[u8]) -> Loaded {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let source = SourceFile::new(name, text);
            let parsed = syntax::parse(id, &source.text);
            Loaded { source, parsed }
        }
        Err(error) => {
            let offset = error.valid_up_to();
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            let source = SourceFile::new(name, lossy);
            let error = invalid_encoding(id, offset, &source);
            Loaded {
                source,
                parsed: Err(Box::new(error)),
            }
        }
    }
}

fn count(files: &[ast::File], predicate: impl Fn(&ast::Statement) -> bool) -> usize {
    files
        .iter()
        .map(|f| f.statements.iter().filter(|s| predicate(s)).count())
        .sum()
}

fn invalid_encoding(file: FileId, offset: usize, source: &SourceFile) -> Diagnostic {
    // The lossy text keeps every byte before `offset` in place.
    let text = &source.text;
    let end = text[offset..]
        .chars()
        .next()
        .map_or(offset, |c| offset + c.len_utf8());
    Diagnostic::error(
        "invalid-encoding",
        Span::new(file, offset, end),
        format!("the file is not valid UTF-8 (first bad byte at offset {offset})"),
    )
    .with_primary("not UTF-8")
    .with_help("save the file as UTF-8")
}
