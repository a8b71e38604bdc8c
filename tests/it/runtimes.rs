//! Differential tests of the runtime targets (docs/targets.md, "How it is tested"): for every
//! example policy set and each platform's prelude, the requests of
//! `runtimes/universe.rs` are decided by the Rust reader (the reference),
//! by regorus loading the emitted OPA bundle and by cedar-policy loading
//! the emitted Cedar files; all three must agree on every one. A property
//! test does the same on random Apollo policy sets, and seeded bugs show
//! that the comparison catches a wrong target.

use crate::common;
mod engines;
mod universe;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use rolecall::backend::{Bundle, Resource, cedar, opa};
use rolecall::catalog::Catalog;

use crate::common::properties::set;
use engines::{Cedar, Files, Opa, unpack};

/// The three artefacts of one policy set, and the catalog it was compiled against.
struct Artefacts {
    name: String,
    bundle: Bundle,
    catalog: Arc<Catalog>,
    opa: Files,
    cedar: Files,
}

/// The outcome of one comparison: decisions compared, and every mismatch.
struct Compared {
    decisions: usize,
    mismatches: Vec<String>,
}

/// Compiles the policy set under `paths` for its catalog.
fn catalog_of(paths: &[PathBuf]) -> Arc<Catalog> {
    let workspace = rolecall::load::load(paths, None).expect("the set loads");
    let compilation = rolecall::compile(&workspace);
    let model = compilation.model.expect("the set resolves");
    Arc::clone(&model.catalog)
}

/// Runs `rolecall build PATH --target TARGET -o OUT`; panics unless it succeeds.
fn build(path: &Path, target: &str, out: &Path) {
    let status = common::Run::new(["build"])
        .arg(path)
        .arg("--target")
        .arg(target)
        .arg("--format")
        .arg("json")
        .arg("-o")
        .arg(out)
        .output();
    assert!(
        status.status.success(),
        "build --target {target} of {} failed: {}",
        path.display(),
        String::from_utf8_lossy(&status.stderr)
    );
}

/// The artefacts `rolecall build` writes for the policy set at `path`.
fn emitted(path: &Path) -> Artefacts {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let json = dir.path().join("bundle.json");
    let archive = dir.path().join("bundle.tar.gz");
    let folder = dir.path().join("cedar");
    build(path, "json", &json);
    build(path, "opa", &archive);
    build(path, "cedar", &folder);
    let bundle = Bundle::from_json(&std::fs::read_to_string(&json).expect("the bundle"))
        .expect("the bundle reads");
    bundle.verify().expect("the bundle verifies");
    let opa = unpack(&std::fs::read(&archive).expect("the archive")).expect("the archive unpacks");
    let mut cedar = Files::new();
    for name in [
        cedar::SCHEMA_FILE,
        cedar::POLICIES_FILE,
        cedar::ENTITIES_FILE,
    ] {
        let bytes = std::fs::read(folder.join(name)).expect("a Cedar file");
        cedar.insert(name.to_owned(), bytes);
    }
    Artefacts {
        name: path.display().to_string(),
        bundle,
        catalog: catalog_of(&[path.to_path_buf()]),
        opa,
        cedar,
    }
}

/// The artefacts of an error-free compilation, made in memory.
fn in_memory(name: &str, bundle: Bundle, catalog: Arc<Catalog>) -> Artefacts {
    let archive = opa::archive(&bundle, &catalog).expect("an OPA bundle");
    let cedar = cedar::files(&bundle, &catalog).expect("Cedar files");
    Artefacts {
        name: name.to_owned(),
        opa: unpack(&archive).expect("the archive unpacks"),
        cedar: cedar.into_iter().collect(),
        bundle,
        catalog,
    }
}

/// Decides the universe of `artefacts` with the reader, regorus and Cedar.
fn compare(artefacts: &Artefacts) -> Result<Compared, String> {
    let requests = universe::requests(&artefacts.bundle, &artefacts.catalog);
    let resources: Vec<Resource> = requests.iter().map(|r| r.resource.clone()).collect();
    let mut rego = Opa::load(&artefacts.opa)?;
    let cedar = Cedar::load(&artefacts.cedar, &artefacts.catalog, &resources)?;
    let mut mismatches = Vec::new();
    for request in &requests {
        let reader = artefacts.bundle.decide_with(&artefacts.catalog, request);
        let (allowed, reason) = match &reader {
            Ok(decision) => (decision.allowed, None),
            Err(error) => (false, Some(error.reason())),
        };
        let input = request.to_input();
        let (by_rego, reasons) = rego.ask(&input)?;
        let by_cedar = cedar.ask(request);
        let reasons_agree = match reason {
            None => reasons.is_empty(),
            Some(reason) => reasons.contains(reason),
        };
        if by_rego != allowed || by_cedar != allowed || !reasons_agree {
            mismatches.push(format!(
                "{}: {input}: reader {allowed} {reason:?}, regorus {by_rego} {reasons:?}, cedar {by_cedar}",
                artefacts.name
            ));
        }
    }
    Ok(Compared {
        decisions: requests.len(),
        mismatches,
    })
}

/// Asserts that every target agrees on the universe of `artefacts`;
/// returns the number of decisions compared.
fn agree(artefacts: &Artefacts) -> usize {
    let compared = compare(artefacts).unwrap_or_else(|e| panic!("{}: {e}", artefacts.name));
    let shown: Vec<&String> = compared.mismatches.iter().take(10).collect();
    assert!(
        compared.mismatches.is_empty(),
        "{} mismatches of {} decisions, first ones: {shown:#?}",
        compared.mismatches.len(),
        compared.decisions
    );
    assert!(
        compared.decisions > 0,
        "{}: no decision compared",
        artefacts.name
    );
    compared.decisions
}

fn examples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/examples");
    let mut sets: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("the examples")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    sets.sort();
    sets
}

/// A policy set of `platform` whose members hold only built-in profiles,
/// in two teams and none, one with its own limit, one with the default.
fn prelude_set(platform: &str, dir: &Path) -> PathBuf {
    let empty = dir.join(format!("{platform}-empty.perm"));
    std::fs::write(&empty, format!("platform {platform}\n")).expect("writable");
    let bundle = rolecall::build_paths(std::slice::from_ref(&empty), None).expect("builds");
    let mut text = format!("platform {platform}\n\n");
    for (i, (name, _)) in bundle
        .profiles
        .iter()
        .filter(|(_, p)| p.builtin)
        .enumerate()
    {
        text.push_str(&format!(
            "member \"m{i}a@x.test\" profile \"{name}\" team \"Red\"\n"
        ));
        text.push_str(&format!(
            "member \"m{i}b@x.test\" profile \"{name}\" team \"Blue\"\n"
        ));
        text.push_str(&format!("member \"m{i}c@x.test\" profile \"{name}\"\n"));
    }
    text.push_str("member \"default@x.test\" team \"Red\"\n");
    text.push_str("member \"own@x.test\" team \"Blue\" {\n  mailbox.sending_limit = 120\n}\n");
    let folder = dir.join(platform);
    std::fs::create_dir_all(&folder).expect("writable");
    std::fs::write(folder.join("members.perm"), text).expect("writable");
    folder
}

#[test]
fn every_example_set_gets_the_same_decisions_from_every_target() {
    let mut total = 0;
    for set in examples() {
        let decisions = agree(&emitted(&set));
        eprintln!("{}: {decisions} decisions agree", set.display());
        total += decisions;
    }
    assert!(total > 1000, "only {total} decisions compared");
}

#[test]
fn every_prelude_gets_the_same_decisions_from_every_target() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for platform in rolecall::catalog::BUILTIN_PLATFORMS {
        let decisions = agree(&emitted(&prelude_set(platform, dir.path())));
        eprintln!("prelude of {platform}: {decisions} decisions agree");
        assert!(decisions > 100);
    }
}

const DIALER_CATALOG: &str = "platform: dialer
custom_profiles: true
default_profile: Agent
prelude: prelude.perm
permissions:
  - id: calls.listen
    kind: toggle
    levels: [deny, allow]
    default: deny
  - id: calls.recordings
    kind: scope
    levels: [nobody, own, desk, team, all]
    default: own
  - id: calls.reassign
    kind: scope
    levels: [all, team, own]
    default: team
  - id: calls.mode
    kind: enum
    levels: [silent, whisper, barge]
    default: silent
  - id: calls.daily_limit
    kind: limit
    default: 10
";

const DIALER_SET: &str = r#"profile "Coach" extends "Agent" {
  calls.listen     = allow
  calls.recordings = desk
  calls.mode       = whisper
}
profile "Lead" extends "Coach" {
  calls.recordings = team
  calls.reassign   = own
  calls.daily_limit = 40
}
member "a@x.test" profile "Coach" team "Red"
member "b@x.test" profile "Lead" team "Red" {
  calls.daily_limit = 0
}
member "c@x.test" team "Blue"
member "d@x.test" profile "Lead"
"#;

#[test]
fn a_custom_catalog_gets_the_same_decisions_from_every_target() {
    // Levels other than none/own/team/all cover nothing; an odd order of
    // levels is followed as written.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = dir.path();
    let write = |name: &str, text: &str| std::fs::write(root.join(name), text).expect("writable");
    write("rolecall.yaml", "platform: dialer\ncatalog: dialer.yaml\n");
    write("dialer.yaml", DIALER_CATALOG);
    write("prelude.perm", "profile \"Agent\" {}\n");
    write("team.perm", DIALER_SET);
    let artefacts = emitted(root);
    assert_eq!(artefacts.bundle.platform, "dialer");
    let decisions = agree(&artefacts);
    eprintln!("custom catalog: {decisions} decisions agree");
    assert!(decisions > 100);
}

/// The example set's artefacts with `file` of one target changed by `edit`.
fn seeded(target: &str, file: &str, from: &str, to: &str) -> Compared {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/examples/apollo-acme");
    let mut artefacts = emitted(&path);
    let files = if target == "opa" {
        &mut artefacts.opa
    } else {
        &mut artefacts.cedar
    };
    let text = String::from_utf8(files[file].clone()).expect("text");
    assert!(text.contains(from), "{file} has no `{from}`");
    files.insert(file.to_owned(), text.replace(from, to).into_bytes());
    compare(&artefacts).expect("the seeded artefacts still load")
}

#[test]
fn a_seeded_bug_in_the_rego_limit_comparison_is_caught() {
    let compared = seeded(
        "opa",
        opa::POLICY_PATH,
        "input.amount <= value",
        "input.amount < value",
    );
    // Exactly the requests for the limit itself: one per member.
    assert_eq!(compared.mismatches.len(), 30, "{:#?}", compared.mismatches);
}

#[test]
fn a_seeded_bug_in_the_cedar_team_clause_is_caught() {
    let compared = seeded(
        "cedar",
        cedar::POLICIES_FILE,
        "resource.team == principal.team",
        "resource.team != \"\"",
    );
    assert!(!compared.mismatches.is_empty());
    assert!(compared.mismatches.iter().all(|m| m.contains("cedar true")));
}

/// The shared case count, with failures kept beside this file.
fn config(default: u32) -> ProptestConfig {
    ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/it/runtimes.proptest-regressions",
        ))),
        ..common::properties::config(default)
    }
}

proptest! {
    #![proptest_config(config(24))]

    /// Random valid Apollo sets: the reader, regorus and Cedar agree.
    #[test]
    fn random_sets_get_the_same_decisions_from_every_target(set in set::valid_set()) {
        let workspace = set.project();
        let compilation = rolecall::compile(&workspace);
        prop_assume!(compilation.counts().errors == 0);
        let bundle = compilation.bundle(workspace.naming()).expect("a bundle");
        let catalog = Arc::clone(&compilation.model.as_ref().expect("a model").catalog);
        let compared = compare(&in_memory("random set", bundle, catalog)).map_err(TestCaseError::fail)?;
        prop_assert!(compared.decisions > 0);
        prop_assert!(compared.mismatches.is_empty(), "{:#?}", compared.mismatches);
    }
}
