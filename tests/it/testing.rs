//! Access tests (`rolecall test`) over the fixtures of `tests/testing/`,
//! each run against the `apollo-acme` example: one passing and one failing
//! file per assertion form, and files with errors. The rendered failures
//! and the JUnit XML are snapshotted; the JUnit XML is parsed back.

use std::path::Path;

use rolecall::Compilation;
use rolecall::backend::Bundle;
use rolecall::diagnostics::render::HumanStyle;
use rolecall::load::Workspace;
use rolecall::testing::{self, Options, Source, Status, Suite, output};

struct Example {
    workspace: Workspace,
    compilation: Compilation,
    bundle: Bundle,
}

fn example() -> Example {
    let paths = ["policies/examples/apollo-acme".into()];
    let workspace = rolecall::load::load(&paths, None).expect("the example loads");
    let compilation = rolecall::compile(&workspace);
    let bundle = compilation
        .bundle(workspace.naming())
        .expect("the example has no errors");
    Example {
        workspace,
        compilation,
        bundle,
    }
}

fn run(example: &Example, files: &[Source], options: Options<'_>) -> Suite {
    let model = example.compilation.model.as_ref().expect("resolved");
    testing::run(
        model,
        &example.compilation.sources,
        example.workspace.naming(),
        &example.bundle,
        files,
        options,
    )
}

fn source(path: &Path) -> Source {
    let relative = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path);
    Source::new(
        relative.display().to_string().replace('\\', "/"),
        std::fs::read_to_string(path).expect("a fixture"),
    )
}

#[test]
fn every_fixture_passes_fails_or_errs_as_its_name_says() {
    let example = example();
    insta::glob!("../inputs/testing", "*.test.yaml", |path| {
        let file = source(path);
        let suite = run(&example, std::slice::from_ref(&file), Options::default());
        let statuses: Vec<Status> = suite.files[0].results.iter().map(|r| r.status).collect();
        let stem = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if stem.contains("-pass") {
            assert!(
                suite.passed(),
                "{}",
                output::human(&suite, HumanStyle::default())
            );
            assert!(!statuses.is_empty());
        } else if stem.contains("-fail") {
            assert!(
                statuses.iter().all(|s| *s == Status::Failed),
                "{statuses:?}"
            );
        } else {
            let errors = suite.counts().errors;
            assert!(
                errors > 0 || statuses.iter().all(|s| *s == Status::Error),
                "{statuses:?}"
            );
        }
        insta::assert_snapshot!(output::human(&suite, HumanStyle::default()));
    });
}

#[test]
fn failures_name_expected_actual_and_provenance() {
    let example = example();
    let file = source(Path::new(
        "tests/inputs/testing/profile-expect-fail.test.yaml",
    ));
    let suite = run(&example, &[file], Options::default());
    let failure = &suite.files[0].results[0].diagnostics[0];
    assert_eq!(
        failure.message,
        "test `an exact value that is not the effective one`: `contacts.delete` of profile `Sales Director` is `team`, expected `own`"
    );
    assert_eq!(
        failure.help.as_deref(),
        Some("`team` is set by `Sales Manager` at profiles/sales.perm:52")
    );
    // The failure points at the `expect` entry: line 5, column 7.
    let at = suite.sources.start(failure.primary.span);
    assert_eq!((at.line, at.column), (5, 7));
    assert_eq!(
        suite.sources.snippet(failure.primary.span),
        "contacts.delete: own"
    );
}

#[test]
fn errors_point_at_the_name_and_suggest_the_right_one() {
    let example = example();
    let file = source(Path::new("tests/inputs/testing/errors-names.test.yaml"));
    let suite = run(&example, &[file], Options::default());
    let helps: Vec<(String, Option<String>)> = suite.files[0]
        .results
        .iter()
        .flat_map(|r| &r.diagnostics)
        .map(|d| {
            (
                suite.sources.snippet(d.primary.span).to_owned(),
                d.help.clone(),
            )
        })
        .collect();
    let help = |snippet: &str| {
        helps
            .iter()
            .find(|(s, _)| s == snippet)
            .and_then(|(_, h)| h.clone())
            .unwrap_or_else(|| panic!("no error at `{snippet}` in {helps:?}"))
    };
    assert_eq!(help("Sales Manger"), "did you mean `Sales Manager`?");
    assert_eq!(
        help("contacts.delet"),
        "did you mean one of `contacts.delete`, `contacts.merge`?"
    );
    assert_eq!(help("barg"), "did you mean `barge`?");
    assert_eq!(
        help("tom.okafr@acme.com"),
        "did you mean `tom.okafor@acme.com`?"
    );
    assert_eq!(
        help("noah.webber@acme.com"),
        "did you mean `noah.weber@acme.com`?"
    );
    assert_eq!(
        help("everything"),
        "its levels are `own`, `outbound`, `all`"
    );
}

#[test]
fn every_bad_entry_is_an_error_and_so_is_an_empty_name() {
    let example = example();
    let file = source(Path::new("tests/inputs/testing/errors-entries.test.yaml"));
    let suite = run(&example, &[file], Options::default());
    let errors: Vec<Vec<(&str, String)>> = suite.files[0]
        .results
        .iter()
        .map(|r| {
            assert_eq!(r.status, Status::Error, "{}", r.name);
            r.diagnostics
                .iter()
                .map(|d| {
                    let at = suite.sources.start(d.primary.span);
                    let place = format!("{}:{}", at.line, at.column);
                    (suite.sources.snippet(d.primary.span), place)
                })
                .collect()
        })
        .collect();
    let at =
        |snippet: &'static str, line: usize, column: usize| (snippet, format!("{line}:{column}"));
    assert_eq!(
        errors,
        [
            vec![at("billing.manag", 3, 17), at("everything", 3, 55)],
            vec![
                at("contacts.delet", 8, 22),
                at("owner", 10, 42),
                at("mailbox.sending_limt", 12, 22),
            ],
            vec![
                at("contacts.delet", 17, 7),
                at("records.export_cvs", 19, 22)
            ],
            vec![at("Sales Manger", 22, 14), at("everyone", 24, 24)],
            vec![at("\"\"", 26, 11)],
            vec![at("\"   \"", 30, 11)],
            vec![at("name", 34, 5)],
        ]
    );
    let empty = &suite.files[0].results[4].diagnostics[0];
    assert_eq!(empty.message, "a test's `name` is empty");
}

#[test]
fn the_filter_keeps_the_tests_whose_name_contains_it() {
    let example = example();
    let file = source(Path::new("tests/inputs/testing/who-pass.test.yaml"));
    let options = Options {
        filter: Some("admins"),
        ..Options::default()
    };
    let suite = run(&example, &[file], options);
    let names: Vec<&str> = suite.files[0]
        .results
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(names, ["the admins, exactly"]);
    assert_eq!(output::summary_line(&suite), "1 passed, 0 failed");
}

fn fixtures() -> Vec<Source> {
    let mut paths: Vec<_> = std::fs::read_dir("tests/inputs/testing")
        .expect("the fixtures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| testing::is_test_file(p))
        .collect();
    paths.sort();
    paths.iter().map(|p| source(p)).collect()
}

#[test]
fn junit_has_one_suite_per_file_and_one_case_per_test() {
    let example = example();
    let files = fixtures();
    let suite = run(&example, &files, Options::default());
    let xml = output::junit(&suite);
    let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), files.len());
    let mut failures = 0;
    for (node, file) in suites.iter().zip(&suite.files) {
        assert_eq!(node.attribute("name"), Some(file.name.as_str()));
        let cases: Vec<_> = node
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        let expected = file.results.len() + usize::from(!file.errors.is_empty());
        assert_eq!(cases.len(), expected, "{}", file.name);
        assert_eq!(node.attribute("tests"), Some(expected.to_string().as_str()));
        for case in &cases {
            let failed = case
                .children()
                .filter(|n| n.has_tag_name("failure"))
                .count();
            failures += failed;
            if let Some(failure) = case.children().find(|n| n.has_tag_name("failure")) {
                assert!(
                    failure
                        .attribute("message")
                        .is_some_and(|m| m.starts_with("test `"))
                );
                assert!(
                    failure
                        .text()
                        .is_some_and(|t| t.contains("rolecall::test-failed"))
                );
            }
        }
    }
    let failed_tests = suite
        .files
        .iter()
        .flat_map(|f| &f.results)
        .filter(|r| r.status == Status::Failed)
        .count();
    assert_eq!(failures, failed_tests);
    assert_eq!(
        root.attribute("failures"),
        Some(failed_tests.to_string().as_str())
    );
    let failing: Vec<Source> = files
        .into_iter()
        .filter(|f| f.name.contains("-fail") || f.name.contains("errors-yaml"))
        .collect();
    insta::assert_snapshot!(output::junit(&run(&example, &failing, Options::default())));
}

#[test]
fn json_lists_every_test_with_its_status_and_place() {
    let example = example();
    let suite = run(&example, &fixtures(), Options::default());
    let json: serde_json::Value = serde_json::from_str(&output::json(&suite)).expect("json");
    assert_eq!(json["format"], "rolecall.test/v1");
    let counts = suite.counts();
    assert_eq!(json["summary"]["passed"], counts.passed);
    assert_eq!(json["summary"]["failed"], counts.failed);
    let first = &json["files"][0]["tests"][0];
    assert_eq!(
        json["files"][0]["file"],
        "tests/inputs/testing/decisions-fail.test.yaml"
    );
    assert_eq!(
        first["name"],
        "requests decided otherwise than the test says"
    );
    assert_eq!(first["status"], "failed");
    assert!(first["diagnostics"][0]["line"].as_u64() > Some(2));
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(2), Some(11))
    );
}

#[test]
fn coverage_counts_custom_profile_and_risky_permission_pairs() {
    let example = example();
    let file = Source::new(
        "coverage.test.yaml",
        "tests:\n  - name: p\n    profile: SDR\n    expect:\n      records.export_csv: deny\n      emails.visibility: own\n      prospecting.search: allow\n  - name: m\n    member: ethan.brooks@acme.com\n    deny:\n      - {permission: records.export_csv}\n",
    );
    let options = Options {
        coverage: true,
        ..Options::default()
    };
    let suite = run(&example, &[file], options);
    let coverage = suite.coverage.expect("measured");
    let model = example.compilation.model.as_ref().expect("resolved");
    let custom = model.custom_profiles().count();
    let risky = testing::coverage::risky(model).len();
    assert_eq!(coverage.pairs, custom * risky);
    // SDR: records.export_csv and emails.visibility (prospecting.search is
    // not risky); Account Executive: records.export_csv through ethan.
    assert_eq!(coverage.covered, 3);
    assert!(!coverage.uncovered["SDR"].contains(&"records.export_csv".to_owned()));
    assert!(coverage.uncovered["SDR"].contains(&"billing.manage".to_owned()));
    assert!(coverage.below(5.0) == (coverage.percent < 5.0));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

    /// Reading and running any text never panics, and every output renders:
    /// random YAML-ish text, and the shipped suite with a slice cut out and
    /// other text put in its place.
    #[test]
    fn any_test_file_reads_without_panicking(
        noise in "[ -~\n\t\u{e9}\u{1F600}]{0,160}",
        cut in 0usize..4000,
        len in 0usize..40,
    ) {
        use std::sync::OnceLock;
        static EXAMPLE: OnceLock<std::sync::Mutex<Option<Example>>> = OnceLock::new();
        let shipped = include_str!("../../policies/examples/apollo-acme/access.test.yaml");
        let at = (cut % shipped.len()..shipped.len())
            .find(|i| shipped.is_char_boundary(*i))
            .unwrap_or(0);
        let end = (at + len..=shipped.len()).find(|i| shipped.is_char_boundary(*i)).unwrap_or(shipped.len());
        let mutated = format!("{}{noise}{}", &shipped[..at], &shipped[end..]);
        let lock = EXAMPLE.get_or_init(|| std::sync::Mutex::new(None));
        let mut guard = lock.lock().unwrap_or_else(|e| e.into_inner());
        let example = guard.get_or_insert_with(example);
        for text in [noise.clone(), mutated] {
            let file = Source::new("fuzz.test.yaml", text);
            let options = Options { coverage: true, ..Options::default() };
            let suite = run(example, &[file], options);
            let _ = output::human(&suite, HumanStyle::default());
            let _ = output::json(&suite);
            let xml = output::junit(&suite);
            proptest::prop_assert!(roxmltree::Document::parse(&xml).is_ok(), "{xml}");
        }
    }
}
