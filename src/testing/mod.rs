//! Access tests: `*.test.yaml` files that state what an organisation
//! intends ("reps never export", "between two and four admins") and are
//! checked against the resolved policy set (docs/testing.md).
//!
//! ```text
//!  *.test.yaml ──► yaml (located tree) ──► parse (names resolved,    ──► run ──► Suite ──► human | json | junit
//!                                          did-you-mean on errors)        ▲
//!  policy set ──► compile ──► Model + Bundle ─────────────────────────────┘
//! ```
//!
//! Test files join the compilation's [`SourceMap`], so an error or a
//! failure in one renders with the same renderers as a policy diagnostic,
//! pointing at the offending key or value. Values are read from the model
//! through its effective views (with provenance); `allow` and `deny`
//! requests are decided by the bundle ([`crate::backend::Bundle::decide_with`]).
//!
//! The library prints nothing; `rolecall test` renders a [`Suite`].

pub mod coverage;
mod model;
pub mod output;
pub mod parse;
mod run;
mod yaml;

use std::path::{Path, PathBuf};

pub use coverage::Coverage;
pub use model::{Asked, Condition, Expectation, Query, Subject, Test, TestFile, Want, WhoCheck};
pub use run::{Context, RULE as FAILED_RULE, Status, TestResult};

use crate::diagnostics::Diagnostic;
use crate::source::{FileId, SourceMap};

/// A test file's text, as read.
#[derive(Clone, Debug)]
pub struct Source {
    /// Its name in output.
    pub name: String,
    /// Its text.
    pub text: String,
    /// The offset of its first byte that is not UTF-8, when it has one:
    /// `text` then holds its bytes decoded with replacement characters, and
    /// the file is an `invalid-encoding` error instead of being read.
    pub not_utf8_at: Option<usize>,
}

impl Source {
    /// Test file `name` with `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
            not_utf8_at: None,
        }
    }

    /// Test file `name` as read from disk: its text when `bytes` are UTF-8,
    /// else the place of the first byte that is not.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        match String::from_utf8(bytes) {
            Ok(text) => Source::new(name, text),
            Err(error) => Source {
                name: name.into(),
                not_utf8_at: Some(error.utf8_error().valid_up_to()),
                text: String::from_utf8_lossy(error.as_bytes()).into_owned(),
            },
        }
    }
}

/// The results of one test file.
#[derive(Clone, Debug)]
pub struct FileResults {
    /// The file's name.
    pub name: String,
    /// Its id in [`Suite::sources`].
    pub file: FileId,
    /// The tests run, in file order.
    pub results: Vec<TestResult>,
    /// Errors of the file that are no one test's (YAML syntax, its shape).
    pub errors: Vec<Diagnostic>,
}

/// The results of a run.
#[derive(Clone, Debug)]
pub struct Suite {
    /// The policy files and the test files.
    pub sources: SourceMap,
    /// Each test file's results, in name order.
    pub files: Vec<FileResults>,
    /// Coverage of the risky permissions, when asked for.
    pub coverage: Option<Coverage>,
    /// The names of the tests the filter left out, sorted.
    pub filtered_out: Vec<String>,
}

/// Counts of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Tests whose every assertion held.
    pub passed: usize,
    /// Tests that failed or could not be read.
    pub failed: usize,
    /// Errors of test files outside any test.
    pub errors: usize,
}

impl Suite {
    /// Counts of passed and failed tests, and file errors.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for file in &self.files {
            counts.errors += file.errors.len();
            for result in &file.results {
                match result.status {
                    Status::Passed => counts.passed += 1,
                    Status::Failed | Status::Error => counts.failed += 1,
                }
            }
        }
        counts
    }

    /// How many tests the filter selected (all of them without one).
    pub fn selected(&self) -> usize {
        self.files.iter().map(|f| f.results.len()).sum()
    }

    /// Whether every test passed and every file read.
    pub fn passed(&self) -> bool {
        let counts = self.counts();
        counts.failed == 0 && counts.errors == 0
    }
}

/// What a run needs besides the test files.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    /// Run only the tests whose name contains this text.
    pub filter: Option<&'a str>,
    /// Compute the coverage of risky permissions.
    pub coverage: bool,
}

/// Runs the tests of `files` against `model`, an error-free compilation's
/// model with its `sources` (which the test files join), the `naming` of
/// its policy root and its `bundle`.
pub fn run(
    model: &crate::resolve::Model,
    sources: &SourceMap,
    naming: &crate::load::Naming,
    bundle: &crate::backend::Bundle,
    files: &[Source],
    options: Options<'_>,
) -> Suite {
    let mut all = sources.clone();
    let mut read = Vec::new();
    let mut filtered_out = Vec::new();
    let mut ordered: Vec<&Source> = files.iter().collect();
    ordered.sort_by(|a, b| a.name.cmp(&b.name));
    for source in ordered {
        let id = all.add(source.name.clone(), source.text.as_str());
        let (mut file, errors) = match source.not_utf8_at {
            Some(offset) => (
                TestFile {
                    file: id,
                    name: source.name.clone(),
                    tests: Vec::new(),
                },
                vec![Diagnostic::invalid_encoding(id, &source.text, offset)],
            ),
            None => parse::read(id, &source.name, &source.text, model),
        };
        if let Some(filter) = options.filter {
            let (kept, left): (Vec<Test>, Vec<Test>) = file
                .tests
                .into_iter()
                .partition(|t| t.name.contains(filter));
            file.tests = kept;
            filtered_out.extend(left.into_iter().map(|t| t.name));
        }
        read.push((file, errors));
    }
    let cx = Context {
        model,
        sources: &all,
        naming,
        bundle,
    };
    let results = read
        .iter()
        .map(|(file, errors)| FileResults {
            name: file.name.clone(),
            file: file.file,
            results: file.tests.iter().map(|t| run::run(cx, t)).collect(),
            errors: errors.clone(),
        })
        .collect();
    let coverage = options
        .coverage
        .then(|| coverage::measure(model, read.iter().map(|(f, _)| f)));
    filtered_out.sort();
    filtered_out.dedup();
    Suite {
        sources: all,
        files: results,
        coverage,
        filtered_out,
    }
}

/// The "did you mean" for a filter that selects none of the tests `names`:
/// the filter as the names spell it when only its case is off (the filter
/// is case-sensitive), else the names or words of names nearest to it.
pub fn filter_help<'a>(filter: &str, names: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let names: Vec<&str> = names.into_iter().collect();
    let mut spelt: Vec<&str> = names
        .iter()
        .filter_map(|name| spelt_as(name, filter))
        .collect();
    spelt.sort_unstable();
    spelt.dedup();
    if !spelt.is_empty() {
        return crate::diagnostics::did_you_mean(filter, spelt);
    }
    let mut candidates: Vec<&str> = names
        .iter()
        .flat_map(|name| {
            let words = name
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                .filter(|w| !w.is_empty());
            std::iter::once(*name).chain(words)
        })
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    crate::diagnostics::did_you_mean(filter, candidates)
}

/// The part of `name` that equals `filter` but for case, if any.
fn spelt_as<'a>(name: &'a str, filter: &str) -> Option<&'a str> {
    let wanted = filter.to_lowercase();
    let length = filter.chars().count();
    name.char_indices().find_map(|(start, _)| {
        let end = name[start..]
            .char_indices()
            .nth(length)
            .map_or(name.len(), |(i, _)| start + i);
        let part = &name[start..end];
        (part.chars().count() == length && part.to_lowercase() == wanted).then_some(part)
    })
}

/// Whether `path` names a test file: `*.test.yaml` (or `*.test.yml`).
pub fn is_test_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".test.yaml") || n.ends_with(".test.yml"))
}

/// Every test file under `paths` on disk, sorted, each once: folders are
/// walked as the loader walks them for `*.perm` (hidden folders and
/// `target/` left out); a path naming a file is taken when it is a test file.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut found = std::collections::BTreeSet::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| {
            format!(
                "cannot read `{}`: {}",
                path.display(),
                crate::load::discover::io_reason(&e)
            )
        })?;
        if !meta.is_dir() {
            if is_test_file(path) {
                found.insert(path.clone());
            }
            continue;
        }
        let walker = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0 || {
                    let name = e.file_name().to_string_lossy();
                    !(e.file_type().is_dir() && (name.starts_with('.') || name == "target"))
                }
            });
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) if e.loop_ancestor().is_some() => continue,
                Err(e) => {
                    let at = e.path().map_or_else(|| path.clone(), Path::to_owned);
                    return Err(format!("cannot read `{}`: {e}", at.display()));
                }
            };
            if entry.file_type().is_file() && is_test_file(entry.path()) {
                found.insert(entry.into_path());
            }
        }
    }
    Ok(found.into_iter().collect())
}

#[cfg(test)]
mod tests;
