//! `check --write-baseline` and `--baseline`: recorded warnings are hidden,
//! new ones reported, entries that match nothing reported as stale, and
//! `build` lists the hidden findings among the bundle's waivers.

use std::process::Output;

use crate::common::rolecall;

/// (rule, file, line) of each diagnostic of `check --format json`.
fn findings(output: &Output) -> Vec<(String, String, u64)> {
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json report");
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_owned(),
                d["file"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

const POLICY: &str = r#"platform apollo
plan organization

profile "RevOps" extends "Non-admin" {
  integrations.edit = allow
  emails.visibility = all
}

profile "Sales Manager" extends "Non-admin" {
  contacts.delete = team
}

member "ana@acme.com" profile "Admin"
member "bo@acme.com" profile "Admin"
member "cy@acme.com" profile "RevOps"
member "di@acme.com" profile "Sales Manager"
"#;

#[test]
fn a_baseline_hides_what_it_recorded_and_reports_new_and_stale_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::write(root.join("policy.perm"), POLICY).expect("write");
    let before = rolecall(&["check", ".", "--format", "json"], Some(root));
    assert_eq!(
        findings(&before)
            .iter()
            .map(|f| f.0.as_str())
            .collect::<Vec<_>>(),
        ["risky-grant", "see-all-emails"]
    );

    let wrote = rolecall(
        &["check", ".", "--write-baseline", "baseline.json"],
        Some(root),
    );
    assert_eq!(wrote.status.code(), Some(0));
    let text = std::fs::read_to_string(root.join("baseline.json")).expect("baseline");
    insta::assert_snapshot!("baseline_file", text);
    // The same findings give the same bytes.
    rolecall(
        &["check", ".", "--write-baseline", "baseline.json"],
        Some(root),
    );
    let again = std::fs::read_to_string(root.join("baseline.json")).expect("baseline");
    assert_eq!(text, again);

    let hidden = rolecall(
        &[
            "check",
            ".",
            "--baseline",
            "baseline.json",
            "--deny-warnings",
        ],
        Some(root),
    );
    assert_eq!(
        hidden.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&hidden.stdout)
    );
    let human = String::from_utf8_lossy(&hidden.stdout).into_owned();
    assert!(
        human.ends_with("no problems\n2 findings hidden by the baseline `baseline.json`\n"),
        "{human}"
    );

    // An edit elsewhere moves every line: the entries still match.
    let moved = format!("# Reviewed by IT, see SEC-7.\n\n{POLICY}");
    std::fs::write(root.join("policy.perm"), &moved).expect("write");
    let after_edit = rolecall(
        &[
            "check",
            ".",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ],
        Some(root),
    );
    assert_eq!(findings(&after_edit), []);

    // One recorded warning fixed, one new warning added.
    let changed = moved
        .replace("integrations.edit = allow", "")
        .replace("contacts.delete = team", "contacts.delete = all");
    std::fs::write(root.join("policy.perm"), changed).expect("write");
    let after = rolecall(
        &[
            "check",
            ".",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ],
        Some(root),
    );
    assert_eq!(after.status.code(), Some(0));
    assert_eq!(
        findings(&after),
        [
            ("stale-baseline".to_owned(), "baseline.json".to_owned(), 4),
            ("risky-grant".to_owned(), "policy.perm".to_owned(), 12),
        ]
    );
    let denied = rolecall(
        &[
            "check",
            ".",
            "--baseline",
            "baseline.json",
            "--deny-warnings",
        ],
        Some(root),
    );
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn build_lists_the_baselined_findings_as_waivers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::write(root.join("policy.perm"), POLICY).expect("write");
    rolecall(
        &["check", ".", "--write-baseline", "baseline.json"],
        Some(root),
    );
    let built = rolecall(
        &[
            "build",
            ".",
            "--baseline",
            "baseline.json",
            "-o",
            "bundle.json",
            "--deny-warnings",
        ],
        Some(root),
    );
    assert_eq!(
        built.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let bundle: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("bundle.json")).expect("bundle"))
            .expect("json");
    insta::assert_json_snapshot!("baseline_waivers", bundle["waivers"]);
}

#[test]
fn a_bad_baseline_is_a_configuration_error_and_errors_write_no_baseline() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::write(root.join("policy.perm"), POLICY).expect("write");
    std::fs::write(root.join("bad.json"), "{\n  \"format\": 3\n}\n").expect("write");
    let bad = rolecall(&["check", ".", "--baseline", "bad.json"], Some(root));
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("bad.json:2:"), "{stderr}");
    let missing = rolecall(&["check", ".", "--baseline", "none.json"], Some(root));
    assert_eq!(missing.status.code(), Some(2));

    std::fs::write(root.join("policy.perm"), "platform apollo\nprofile \"A\" {").expect("write");
    let errors = rolecall(
        &["check", ".", "--write-baseline", "baseline.json"],
        Some(root),
    );
    assert_eq!(errors.status.code(), Some(1));
    assert!(!root.join("baseline.json").exists());
}
