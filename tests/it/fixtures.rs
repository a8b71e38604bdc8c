//! Snapshot tests over `tests/fixtures/<rule>/<case>/`.
//!
//! Each case folder is a policy set (its `*.perm` files and, optionally, a
//! `rolecall.yaml`). The rendered human output of `check` is snapshotted, and
//! the rule named by the parent folder must be reported — or, for cases whose
//! name starts with `silent`, must not be. A case with a `baseline.json`
//! is checked with it, as `check --baseline` does.

use std::path::{Path, PathBuf};

use rolecall::diagnostics::render::{
    HumanStyle, github_report, human_report, json_report, sarif_report,
};

use crate::common::sorted_dirs;

/// Every case folder, sorted: (rule, case, path).
fn cases() -> Vec<(String, String, PathBuf)> {
    let root = Path::new("tests/inputs/fixtures");
    let mut cases = Vec::new();
    for rule in sorted_dirs(root) {
        for case in sorted_dirs(&rule) {
            let name = |p: &Path| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            };
            cases.push((name(&rule), name(&case), case));
        }
    }
    cases
}

/// The human output of `check` on a case, or its load error (exit 2).
fn check(case: &Path) -> (String, Vec<String>) {
    let loaded = rolecall::load::load(&[case.to_owned()], None);
    // Loading records a configuration's problems; compiling reports them.
    let loaded = loaded.and_then(|project| {
        let compilation = rolecall::compile(&project);
        compilation.load_failure().map_or(Ok(compilation), Err)
    });
    match loaded {
        Ok(mut compilation) => {
            let baseline = case.join("baseline.json");
            if let Ok(text) = std::fs::read_to_string(&baseline) {
                let parsed = rolecall::baseline::Baseline::parse(&text).expect("baseline parses");
                let settings = rolecall::lint::LintSettings::default();
                let name = baseline.to_string_lossy().replace('\\', "/");
                parsed.apply(&mut compilation, &name, &text, &settings);
            }
            let rules = json_report(&compilation)
                .diagnostics
                .iter()
                .map(|d| d.rule.to_owned())
                .collect();
            (human_report(&compilation, HumanStyle::default()), rules)
        }
        Err(failure) => (
            rolecall::diagnostics::render::render_load_failure(&failure, HumanStyle::default()),
            failure
                .diagnostics
                .iter()
                .map(|d| d.rule.to_owned())
                .collect(),
        ),
    }
}

#[test]
fn every_fixture_matches_its_snapshot_and_reports_its_rule() {
    let cases = cases();
    assert!(
        cases.len() >= 17,
        "expected a fixture for every error rule, found {}",
        cases.len()
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/fixtures");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (rule, case, path) in &cases {
            let (human, rules) = check(path);
            insta::assert_snapshot!(format!("{rule}__{case}"), human);
            let fires = rules.iter().any(|r| r == rule);
            if case.starts_with("silent") {
                assert!(
                    !fires,
                    "{rule}/{case}: `{rule}` must stay silent, got {rules:?}"
                );
            } else {
                assert!(
                    fires,
                    "{rule}/{case}: `{rule}` must be reported, got {rules:?}"
                );
            }
        }
    });
}

#[test]
fn json_output_of_a_cycle_across_files() {
    let project = rolecall::load::load(
        &[PathBuf::from(
            "tests/inputs/fixtures/inheritance-cycle/across-files",
        )],
        None,
    )
    .expect("fixture loads");
    let report = json_report(&rolecall::compile(&project));
    insta::assert_json_snapshot!(report);
}

/// Fixtures whose positions were once reported wrongly: a byte-order mark
/// counted as a column, a member running over its trailing comment, and a
/// human header counting bytes where json counts characters.
const POSITION_CASES: [&str; 3] = [
    "min-admins/byte-order-mark",
    "min-admins/trailing-comment",
    "redundant-setting/wide-characters",
];

/// Every format gives each diagnostic the same start and end, in
/// characters; the snapshot lists them.
#[test]
fn every_format_reports_the_same_positions_in_characters() {
    for case in POSITION_CASES {
        let path = Path::new("tests/inputs/fixtures").join(case);
        let project = rolecall::load::load(&[path], None).expect("fixture loads");
        let compilation = rolecall::compile(&project);
        let json = json_report(&compilation);
        let sarif = serde_json::to_value(sarif_report(&compilation)).expect("sarif serialises");
        let github: Vec<String> = github_report(&compilation)
            .lines()
            .map(str::to_owned)
            .collect();
        let human = human_report(&compilation, HumanStyle::default());
        let mut table = String::new();
        for (i, d) in json.diagnostics.iter().enumerate() {
            let (from, to) = ((d.line, d.column), (d.end_line, d.end_column));
            let region =
                &sarif["runs"][0]["results"][i]["locations"][0]["physicalLocation"]["region"];
            let at = |key: &str| region[key].as_u64().map_or(0, |n| n as usize);
            let sarif_at = (
                (at("startLine"), at("startColumn")),
                (at("endLine"), at("endColumn")),
            );
            assert_eq!(sarif_at, (from, to), "{case}: sarif of {}", d.rule);
            let command = format!(
                "line={},col={},endLine={},endColumn={}",
                d.line, d.column, d.end_line, d.end_column
            );
            assert!(github[i].contains(&command), "{case}: {}", github[i]);
            let header = format!("[{}:{}:{}]", d.file, d.line, d.column);
            assert!(human.contains(&header), "{case}: no `{header}` in\n{human}");
            table.push_str(&format!(
                "{}: {}:{}:{} to {}:{}\n",
                d.rule, d.file, d.line, d.column, d.end_line, d.end_column
            ));
        }
        let name = case.replace('/', "__");
        insta::assert_snapshot!(format!("positions_{name}"), table);
    }
}
