//! The linter seen from outside: configured severities, `--deny-warnings`,
//! suppressions and waivers, SARIF and GitHub output, `rules` and `rule`.

use std::path::Path;

use crate::common::{rolecall, stdout};

/// A policy set in a temporary folder: (file name, text) pairs.
fn policy_set(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

const SEES_ALL: &str = "platform apollo\nplan organization\n\nprofile \"Lead\" extends \"Non-admin\" {\n  emails.visibility = all\n}\n";

fn json(dir: &Path, extra: &[&str]) -> (Option<i32>, serde_json::Value) {
    let path = dir.to_string_lossy().into_owned();
    let mut args = vec!["check", path.as_str(), "--format", "json"];
    args.extend_from_slice(extra);
    let output = rolecall(&args, None);
    let value = serde_json::from_slice(&output.stdout).expect("json output");
    (output.status.code(), value)
}

#[test]
fn warnings_exit_0_unless_denied() {
    let dir = policy_set(&[("a.perm", SEES_ALL)]);
    let (code, report) = json(dir.path(), &[]);
    assert_eq!(code, Some(0));
    assert_eq!(report["diagnostics"][0]["rule"], "see-all-emails");
    assert_eq!(report["diagnostics"][0]["severity"], "warning");
    let (code, _) = json(dir.path(), &["--deny-warnings"]);
    assert_eq!(code, Some(1));
}

#[test]
fn configured_severities_change_and_silence_rules() {
    for (level, code, count) in [("error", 1, 1), ("note", 0, 1), ("off", 0, 0)] {
        let config = format!("rules:\n  see-all-emails: {level}\n");
        let dir = policy_set(&[("a.perm", SEES_ALL), ("rolecall.yaml", &config)]);
        let (exit, report) = json(dir.path(), &["--deny-warnings"]);
        assert_eq!(exit, Some(code), "{level}: {report}");
        let found = report["diagnostics"].as_array().expect("array");
        assert_eq!(found.len(), count, "{level}: {report}");
        if count > 0 {
            assert_eq!(found[0]["severity"], level);
        }
    }
}

#[test]
fn unknown_and_error_rules_in_the_configuration_exit_2_with_their_place() {
    let config = "platform: apollo\nrules:\n  see-all-email: off\n  syntax: warning\n";
    let dir = policy_set(&[("a.perm", SEES_ALL), ("rolecall.yaml", config)]);
    let output = rolecall(&["check", &dir.path().to_string_lossy()], None);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("unknown rule `see-all-email`"), "{err}");
    assert!(err.contains("did you mean `see-all-emails`?"), "{err}");
    assert!(err.contains("`syntax` is an error rule"), "{err}");
    assert!(err.contains(":3:3]"), "the location of the key: {err}");
}

#[test]
fn include_and_exclude_pick_the_policy_files() {
    let config = "include: [\"profiles/**\"]\nexclude: [\"profiles/draft-*.perm\"]\n";
    let dir = policy_set(&[
        ("rolecall.yaml", config),
        ("profiles/lead.perm", SEES_ALL),
        ("profiles/draft-x.perm", "this does not parse"),
        ("scratch/y.perm", "nor does this"),
    ]);
    let (code, report) = json(dir.path(), &[]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["summary"]["files"], 1);
}

#[test]
fn suppressions_silence_one_statement_and_become_waivers() {
    let text = "platform apollo\nplan organization\n\n\
        # rolecall: allow(risky-grant) \"seat budget, FIN-212\"\n\
        profile \"Director\" extends \"Non-admin\", \"Billing and Seat Manager\" {\n  \
        emails.visibility = all  # rolecall: allow(see-all-emails) \"reviews, SEC-142\"\n}\n\n\
        profile \"Lead\" extends \"Director\" {\n  calls.view_active = allow\n}\n";
    let project = rolecall::load::Workspace::from_files([("a.perm", text)]);
    let compilation = rolecall::compile(&project);
    let waivers: Vec<(String, usize, String)> = compilation
        .waivers
        .iter()
        .map(|w| {
            let line = compilation.sources.start(w.span).line;
            (w.rule.clone(), line, w.reason.clone())
        })
        .collect();
    assert_eq!(
        waivers,
        [
            (
                "risky-grant".to_owned(),
                4,
                "seat budget, FIN-212".to_owned()
            ),
            (
                "see-all-emails".to_owned(),
                6,
                "reviews, SEC-142".to_owned()
            ),
        ]
    );
    // The child profile is not covered by its parent's waivers.
    let left: Vec<(&str, usize)> = compilation
        .diagnostics
        .iter()
        .map(|d| (d.rule, compilation.sources.start(d.primary.span).line))
        .collect();
    assert_eq!(left, [("risky-grant", 9), ("see-all-emails", 9)]);
}

#[test]
fn sarif_output_is_sarif_2_1_0_with_rule_metadata() {
    let output = rolecall(
        &[
            "check",
            "tests/inputs/fixtures/see-all-emails/set-and-inherited",
            "--format",
            "sarif",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0));
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["$schema"], rolecall::diagnostics::render::SARIF_SCHEMA);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), rolecall::lint::RULES.len());
    let see_all = rules
        .iter()
        .find(|r| r["id"] == "see-all-emails")
        .expect("rule metadata");
    assert_eq!(see_all["defaultConfiguration"]["level"], "warning");
    assert!(
        see_all["help"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("## Why is this bad?"))
    );
    insta::assert_json_snapshot!("sarif_results", run["results"]);
}

#[test]
fn the_examples_give_valid_sarif_without_results() {
    for example in [
        "policies/examples/apollo-acme",
        "policies/examples/amplemarket-team",
    ] {
        let output = rolecall(
            &["check", example, "--format", "sarif", "--deny-warnings"],
            None,
        );
        assert_eq!(output.status.code(), Some(0), "{example}");
        let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(
            log["runs"][0]["results"],
            serde_json::json!([]),
            "{example}"
        );
    }
}

#[test]
fn github_output_is_workflow_commands() {
    let output = rolecall(
        &[
            "check",
            "tests/inputs/fixtures/unused-allow/stale-and-detached",
            "--format",
            "github",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!("github_annotations", stdout(&output));
}

#[test]
fn rule_prints_documentation_and_rules_lists_every_rule() {
    let page = rolecall(&["rule", "see-all-emails"], None);
    assert_eq!(page.status.code(), Some(0));
    let text = stdout(&page);
    assert!(
        text.starts_with("# see-all-emails (warning by default)"),
        "{text}"
    );
    assert!(text.contains("## Example"));
    let error = rolecall(&["rule", "inheritance-cycle"], None);
    assert!(stdout(&error).contains("cannot be configured or suppressed"));
    let unknown = rolecall(&["rule", "see-all-email"], None);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `see-all-emails`?"));
    let list = stdout(&rolecall(&["rules"], None));
    for rule in rolecall::lint::RULES {
        assert!(list.contains(rule.name), "`{}` is not listed", rule.name);
    }
}
