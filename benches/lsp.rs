//! Latency of the language server's re-check: one edit of one file,
//! applied to the set's workspace, the whole set compiled again and every
//! diagnostic publication built and encoded as it is sent. Measured on the
//! shipped Apollo example and on a generated set of 1,000 profiles (as many
//! members; `examples/generate`, seed 1). Targets: under 30 ms and under
//! 300 ms. Run with `cargo bench --bench lsp`.

#[path = "../examples/generate/policy_set/mod.rs"]
mod policy_set;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use criterion::Criterion;
use lsp_types::Uri;
use rolecall::lsp::State;

/// A server with one file of a set open, and two texts of that file to
/// switch between so that every edit changes it.
struct Session {
    state: State,
    uri: Uri,
    texts: [String; 2],
    version: i32,
}

impl Session {
    fn new(file: &Path) -> Session {
        let text = std::fs::read_to_string(file).expect("the file to edit");
        let address = url::Url::from_file_path(file).expect("an absolute path");
        let uri = Uri::from_str(address.as_str()).expect("an address");
        let mut state = State::default();
        let published = state.open(&uri, 1, &text);
        assert!(
            published.iter().all(|p| p.diagnostics.is_empty()),
            "the set has diagnostics"
        );
        // The edit a user makes: a setting's value changed, then changed back.
        let edited = text.replacen("= allow", "= deny", 1);
        assert_ne!(edited, text, "nothing to edit");
        Session {
            state,
            uri,
            texts: [edited, text],
            version: 1,
        }
    }

    /// One keystroke: the change, the re-check, the publications encoded.
    fn edit(&mut self) -> usize {
        self.version += 1;
        let text = &self.texts[self.version as usize % 2];
        let published = self.state.change(&self.uri, self.version, text);
        published
            .iter()
            .map(|p| serde_json::to_string(p).map_or(0, |s| s.len()))
            .sum()
    }
}

fn generated(dir: &Path) -> PathBuf {
    let options = policy_set::Options {
        platform: policy_set::Platform::Apollo,
        profiles: 1_000,
        members: 1_000,
        seed: 1,
    };
    let files = policy_set::generate(&options).expect("the generator works");
    for file in &files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("directories");
        std::fs::write(&path, &file.text).expect("written");
    }
    let first = files
        .iter()
        .find(|f| f.path.starts_with("profiles/") && f.text.contains("= allow"))
        .expect("a profiles file");
    dir.join(&first.path)
}

fn recheck(c: &mut Criterion) {
    let example = std::path::absolute("policies/examples/apollo-acme/profiles/sales.perm")
        .expect("the example");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let large = generated(dir.path());
    let mut group = c.benchmark_group("lsp-edit");
    for (label, file) in [("apollo-example", example), ("1k", large)] {
        let mut session = Session::new(&file);
        group.bench_function(label, |b| b.iter(|| black_box(session.edit())));
    }
    group.finish();
}

fn main() {
    let mut criterion = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    recheck(&mut criterion);
    criterion.final_summary();
}
