//! Cost of one decision with each runtime target, on generated Apollo
//! policy sets of 10 and 10,000 profiles (as many members;
//! `examples/generate`, seed 1):
//!
//! - `reader`: [`Bundle::decide`] on the bundle in memory;
//! - `regorus`: the emitted OPA bundle loaded into regorus, then for each
//!   request the input set and `data.rolecall.authz.allow` evaluated;
//! - `cedar`: the emitted Cedar files loaded into cedar-policy, then for
//!   each request a `Request` built (context checked against the schema)
//!   and authorised.
//!
//! Each iteration decides one request of a fixed sample of 512 drawn from
//! the set's universe of docs/targets.md, "How it is tested", so the figure is the time per
//! decision. Loading is not measured. Run with `cargo bench --bench decide`.

#[path = "../tests/it/runtimes/engines.rs"]
#[allow(dead_code, reason = "shared with the differential tests")]
mod engines;
#[path = "../examples/generate/policy_set/mod.rs"]
mod policy_set;
#[path = "../tests/it/runtimes/universe.rs"]
mod universe;

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::Criterion;
use rolecall::backend::{Bundle, Request, Resource, cedar, opa};
use rolecall::catalog::Catalog;

use engines::{Cedar, Opa, unpack};

/// A generated set with every target loaded.
struct Loaded {
    label: &'static str,
    bundle: Bundle,
    rego: Opa,
    cedar: Cedar,
    sample: Vec<(Request, serde_json::Value)>,
}

fn load(label: &'static str, profiles: usize) -> Loaded {
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
    let workspace = rolecall::load::load(std::slice::from_ref(&root), None).expect("loads");
    let compilation = rolecall::compile(&workspace);
    let bundle = compilation.bundle(workspace.naming()).expect("a bundle");
    let catalog: Arc<Catalog> = Arc::clone(&compilation.model.expect("a model").catalog);
    let all = universe::requests(&bundle, &catalog);
    // Every n-th request, so that the sample spans members and kinds.
    let step = (all.len() / 512).max(1);
    let sample: Vec<Request> = all.into_iter().step_by(step).take(512).collect();
    let resources: Vec<Resource> = sample.iter().map(|r| r.resource.clone()).collect();
    let archive = opa::archive(&bundle, &catalog).expect("an OPA bundle");
    let rego = Opa::load(&unpack(&archive).expect("unpacks")).expect("regorus loads it");
    let files = cedar::files(&bundle, &catalog).expect("Cedar files");
    let cedar = Cedar::load(&files.into_iter().collect(), &catalog, &resources)
        .expect("cedar-policy loads it");
    let sample = sample
        .into_iter()
        .map(|r| {
            let input = r.to_input();
            (r, input)
        })
        .collect();
    Loaded {
        label,
        bundle,
        rego,
        cedar,
        sample,
    }
}

fn decisions(c: &mut Criterion) {
    let mut sets = [load("10", 10), load("10000", 10_000)];
    let mut group = c.benchmark_group("decide");
    for set in &mut sets {
        let mut next = 0;
        group.bench_function(format!("reader/{}", set.label), |b| {
            b.iter(|| {
                next = (next + 1) % set.sample.len();
                black_box(set.bundle.decide(black_box(&set.sample[next].0)).ok());
            })
        });
        let mut next = 0;
        group.bench_function(format!("regorus/{}", set.label), |b| {
            b.iter(|| {
                next = (next + 1) % set.sample.len();
                black_box(set.rego.allowed(black_box(&set.sample[next].1)).ok());
            })
        });
        let mut next = 0;
        group.bench_function(format!("cedar/{}", set.label), |b| {
            b.iter(|| {
                next = (next + 1) % set.sample.len();
                black_box(set.cedar.ask(black_box(&set.sample[next].0)));
            })
        });
    }
    group.finish();
}

fn main() {
    let mut criterion = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    decisions(&mut criterion);
    criterion.final_summary();
}
