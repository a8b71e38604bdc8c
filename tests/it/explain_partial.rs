//! `explain` on a profile that resolved answers even when other parts of
//! the set have errors, then shows them and exits 1.

use crate::common;

use std::path::Path;
use std::process::Output;

/// `rolecall explain ARGS` in `root`.
fn explain(root: &Path, args: &[&str]) -> Output {
    common::rolecall(&[&["explain"], args].concat(), Some(root))
}

const SET: &str = r#"platform apollo
plan organization

profile "Sales Manager" extends "Non-admin" {
  contacts.delete = team
}

member "ana@acme.com" profile "Admin"
member "bo@acme.com" profile "Admin"
member "cy@acme.com" profile "Sales Manager"
"#;

fn set_with(broken: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("team.perm"), SET).expect("write");
    std::fs::write(dir.path().join("broken.perm"), broken).expect("write");
    dir
}

#[test]
fn an_unrelated_error_is_shown_after_the_answer() {
    let dir = set_with(
        "profile \"Ops\" extends \"Non-admin\" {\n  deals.veiw = allow\n}\nmember \"di@acme.com\" profile \"Ops\"\n",
    );
    let out = explain(dir.path(), &["Sales Manager", "contacts.delete"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("unrelated_error", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_file_that_does_not_parse_is_left_out_of_the_answer() {
    let dir = set_with("profile \"Ops\" {\n  deals.view =\n}\n");
    let out = explain(dir.path(), &["Sales Manager", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let table: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(table["profile"], "Sales Manager");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("rolecall::syntax"), "{stderr}");
}

#[test]
fn an_error_in_the_profile_or_its_ancestors_gives_no_answer() {
    for broken in [
        "profile \"Sales Manager\" {\n}\n",
        "profile \"Sales Manager\" extends \"Nobody\" {\n}\n",
    ] {
        let dir = set_with(broken);
        let out = explain(dir.path(), &["Sales Manager", "contacts.delete"]);
        assert_eq!(out.status.code(), Some(1));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stdout.contains("how it got there"), "{stdout}");
        assert!(stdout.contains("×"), "{stdout}");
    }
    // An error in an ancestor's block.
    let dir = tempfile::tempdir().expect("temp dir");
    let text = SET.replace(
        "profile \"Sales Manager\" extends \"Non-admin\" {",
        "profile \"Lead\" extends \"Non-admin\" {\n  deals.veiw = allow\n}\n\nprofile \"Sales Manager\" extends \"Lead\" {",
    );
    std::fs::write(dir.path().join("team.perm"), text).expect("write");
    let out = explain(dir.path(), &["Sales Manager"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("contacts.delete"));
}
