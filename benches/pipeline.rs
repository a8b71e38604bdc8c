//! Throughput of each stage of the pipeline on generated policy sets of
//! 1,000 and 10,000 profiles (as many members; `examples/generate`, seed 1):
//!
//! - `pest`: pest's recognition of every file, no tree built;
//! - `parse`: [`syntax::parse`], recognition and lowering to the tree;
//! - `resolve`: [`resolve::resolve`] on the parsed files;
//! - `lint`: [`lint::lint`] on the resolved model;
//! - `check`: [`rolecall::compile`], all of the above from the read bytes;
//! - `build`: [`Compilation::bundle_json`], the bundle's JSON text and
//!   revision written from the model, as `rolecall build` does;
//! - `fmt`: [`rolecall::fmt::format`] of every file (already canonical);
//! - `diff`: `rolecall diff` of the 10,000-profile set against a copy that
//!   differs in one parent profile, next to one `check` of the set: files
//!   under the same names as `--base` gives them (`diff/10k`), the same
//!   with the bundle revisions of the JSON form (`diff-json/10k`), and
//!   under other names, so that no parse is shared (`diff-apart/10k`).
//!
//! Each stage is measured twice: `bytes/SIZE` reports megabytes of policy
//! text per second, `profiles/SIZE` profiles per second. Run one with
//! `cargo bench --bench pipeline -- 'parse/bytes'`. Whole-process figures
//! come from `benches/measure.sh`.

#[path = "../examples/generate/policy_set/mod.rs"]
mod policy_set;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkGroup, Criterion, Throughput};
use rolecall::catalog;
use rolecall::diff::{self, Revisions};
use rolecall::lint::{self, LintSettings};
use rolecall::load::{self, Workspace};
use rolecall::source::FileId;
use rolecall::syntax;
use rolecall::{Compilation, resolve};

/// A generated set, loaded as `rolecall check` loads it.
struct Set {
    label: &'static str,
    profiles: u64,
    bytes: u64,
    project: Workspace,
    compilation: Compilation,
    _dir: tempfile::TempDir,
}

impl Set {
    fn new(label: &'static str, profiles: usize) -> Set {
        let options = policy_set::Options {
            platform: policy_set::Platform::Apollo,
            profiles,
            members: profiles,
            seed: 1,
        };
        let files = policy_set::generate(&options).expect("the generator works");
        let dir = tempfile::tempdir().expect("a temporary directory");
        for file in &files {
            let path = dir.path().join(&file.path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("directories");
            std::fs::write(&path, &file.text).expect("written");
        }
        let root = dir.path().to_owned();
        let project = load::load(std::slice::from_ref(&root), None).expect("the set loads");
        let compilation = rolecall::compile(&project);
        assert_eq!(
            compilation.counts().errors,
            0,
            "the generated set has errors"
        );
        let bytes = project.files().map(|(_, f)| f.text.len() as u64).sum();
        Set {
            label,
            profiles: profiles as u64,
            bytes,
            project,
            compilation,
            _dir: dir,
        }
    }

    fn texts(&self) -> Vec<&str> {
        self.project.files().map(|(_, f)| &*f.text).collect()
    }
}

/// Measures `routine` on `set` under both throughputs.
fn measure<M: criterion::measurement::Measurement>(
    group: &mut BenchmarkGroup<'_, M>,
    set: &Set,
    mut routine: impl FnMut(),
) {
    for (unit, throughput) in [
        ("bytes", Throughput::BytesDecimal(set.bytes)),
        ("profiles", Throughput::Elements(set.profiles)),
    ] {
        group.throughput(throughput);
        group.bench_function(format!("{unit}/{}", set.label), |b| b.iter(&mut routine));
    }
}

fn stages(c: &mut Criterion) {
    let sets = [Set::new("1k", 1_000), Set::new("10k", 10_000)];
    let catalog = catalog::builtin("apollo").expect("the apollo catalog");
    let prelude_id = FileId(u32::MAX);
    let (prelude, _) = syntax::parse(prelude_id, &catalog.prelude).expect("the prelude parses");
    let prelude = std::sync::Arc::new(prelude);

    let mut group = c.benchmark_group("pest");
    for set in &sets {
        let texts = set.texts();
        measure(&mut group, set, || {
            for text in &texts {
                assert!(syntax::recognize(black_box(text)));
            }
        });
    }
    group.finish();

    let mut group = c.benchmark_group("parse");
    for set in &sets {
        let texts = set.texts();
        measure(&mut group, set, || {
            for (i, text) in texts.iter().enumerate() {
                black_box(syntax::parse(FileId(i as u32), black_box(text)).is_ok());
            }
        });
    }
    group.finish();

    let mut group = c.benchmark_group("resolve");
    for set in &sets {
        let plan = Some(("organization".to_owned(), None));
        measure(&mut group, set, || {
            let (model, diagnostics) = resolve::resolve(
                catalog.clone(),
                plan.clone(),
                std::slice::from_ref(&prelude),
                black_box(&set.compilation.files),
            );
            black_box((model, diagnostics));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("lint");
    for set in &sets {
        let model = set.compilation.model.as_ref().expect("a resolved model");
        let config = set.project.config().map(|c| &c.loaded.config);
        let settings = LintSettings::from_config(config);
        let cx = lint::Context {
            model,
            files: &set.compilation.files,
            sources: &set.compilation.sources,
            settings: &settings,
        };
        measure(&mut group, set, || {
            black_box(lint::lint(black_box(&cx), false));
        });
    }
    group.finish();

    // A fresh workspace each time, so that every file is parsed, as a run
    // of `rolecall check` does.
    let mut group = c.benchmark_group("check");
    for set in &sets {
        let names: Vec<(String, String)> = set
            .project
            .files()
            .map(|(_, f)| (f.name.clone(), f.text.to_string()))
            .collect();
        measure(&mut group, set, || {
            let mut workspace = Workspace::from_files(names.iter().map(|(n, t)| (n, t.as_bytes())));
            if let Some(config) = set.project.config() {
                workspace.set_config(&config.source.name, config.loaded.clone());
            }
            black_box(rolecall::compile(black_box(&workspace)));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("build");
    for set in &sets {
        let naming = set.project.naming();
        measure(&mut group, set, || {
            // What `rolecall build` does: the text and revision, streamed.
            let written = black_box(&set.compilation).bundle_json(naming);
            black_box(written.expect("a bundle").text);
        });
    }
    group.finish();

    let mut group = c.benchmark_group("fmt");
    for set in &sets {
        let texts = set.texts();
        measure(&mut group, set, || {
            for (i, text) in texts.iter().enumerate() {
                let formatted = rolecall::fmt::format(FileId(i as u32), black_box(text));
                assert!(formatted.is_ok_and(|f| f.len() == text.len()));
            }
        });
    }
    group.finish();
}

/// The set's files with one setting added to the first profile of the
/// first profile file, which many later profiles extend.
fn changed_parent(names: &[(String, String)]) -> Vec<(String, String)> {
    let mut changed = names.to_vec();
    let first = changed
        .iter_mut()
        .find(|(name, _)| name.contains("profiles-"))
        .expect("a profile file");
    let end = first.1.find("\n}\n").expect("a profile block");
    first.1.insert_str(end, "\n  mailbox.sending_limit = 42");
    changed
}

/// A workspace of `files` with the set's configuration, named under `prefix`.
fn workspace(set: &Set, files: &[(String, String)], prefix: &str) -> Workspace {
    let mut workspace = Workspace::from_files(
        files
            .iter()
            .map(|(n, t)| (format!("{prefix}{n}"), t.as_bytes())),
    );
    if let Some(config) = set.project.config() {
        workspace.set_config(&config.source.name, config.loaded.clone());
    }
    workspace
}

/// What `rolecall diff` does once both sides are loaded: compile (the
/// second side reusing the first one's parses), compare, render.
fn run_diff(old: &Workspace, new: Workspace, revisions: Revisions) -> String {
    let (old, new) = diff::policy_pair(("old", old), ("new", new));
    let (old, new) = (old.expect("no errors"), new.expect("no errors"));
    let found = diff::diff(old, new, revisions).expect("comparable");
    assert!(!found.is_empty(), "the sides differ");
    match revisions {
        Revisions::Compute => found.to_json(),
        Revisions::Skip => diff::human::render(&found, diff::human::Style::default()),
    }
}

fn diffs(c: &mut Criterion) {
    let set = Set::new("10k", 10_000);
    let names: Vec<(String, String)> = set
        .project
        .files()
        .map(|(_, f)| (f.name.clone(), f.text.to_string()))
        .collect();
    let changed = changed_parent(&names);
    let mut group = c.benchmark_group("diff");
    group.throughput(Throughput::Elements(set.profiles));
    group.bench_function("check/10k", |b| {
        b.iter(|| black_box(rolecall::compile(black_box(&workspace(&set, &names, "")))));
    });
    for (label, prefix, revisions) in [
        ("diff/10k", "", Revisions::Skip),
        ("diff-json/10k", "", Revisions::Compute),
        ("diff-apart/10k", "new/", Revisions::Skip),
    ] {
        group.bench_function(label, |b| {
            b.iter(|| {
                let old = workspace(&set, &names, "");
                let new = workspace(&set, &changed, prefix);
                black_box(run_diff(&old, new, revisions))
            });
        });
    }
    group.finish();
}

fn config() -> Criterion {
    // A 10,000-profile stage takes a good fraction of a second: ten samples
    // over a few seconds keep a full run within minutes.
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
}

fn main() {
    let mut criterion = config().configure_from_args();
    stages(&mut criterion);
    diffs(&mut criterion);
    criterion.final_summary();
}
