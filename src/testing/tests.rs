//! Unit tests of reading test files: shapes, names and their spans.

use std::path::Path;

use super::parse;
use crate::source::{FileId, SourceMap};

fn model() -> crate::Compilation {
    let paths = ["policies/examples/apollo-acme".into()];
    let workspace = crate::load::load(&paths, None).expect("the example loads");
    crate::compile(&workspace)
}

#[test]
fn test_files_are_named_test_yaml() {
    assert!(super::is_test_file(Path::new("a/access.test.yaml")));
    assert!(super::is_test_file(Path::new("x.test.yml")));
    assert!(!super::is_test_file(Path::new("access.snap.yaml")));
    assert!(!super::is_test_file(Path::new("rolecall.yaml")));
}

#[test]
fn every_error_has_a_span_on_the_text_at_fault() {
    let compilation = model();
    let model = compilation.model.as_ref().expect("resolved");
    let text = "tests:\n  - name: a\n    profile: SDR\n    expect:\n      contacts.delete: {min: al}\n  - name: b\n    who: {permission: mailbox.sending_limit, at_least: many}\n    count: 1\n  - name: c\n    member: noah.weber@acme.com\n    allow:\n      - {permission: calls.join_mode, level: shout}\n  - name: d\n    none_hold: [billing.manag = allow, users.manage = alow]\n";
    let mut sources = SourceMap::new();
    let id = sources.add("t.test.yaml", text);
    let (file, errors) = parse::read(id, "t.test.yaml", text, model);
    assert!(errors.is_empty());
    let snippets: Vec<&str> = file
        .tests
        .iter()
        .flat_map(|t| t.body.as_ref().err().into_iter().flatten())
        .map(|d| sources.snippet(d.primary.span))
        .collect();
    assert_eq!(snippets, ["al", "many", "shout", "billing.manag", "alow"]);
}

#[test]
fn a_file_that_is_not_a_test_file_says_what_it_needs() {
    let compilation = model();
    let model = compilation.model.as_ref().expect("resolved");
    for (text, message) in [
        ("", "the test file is empty"),
        (
            "- a\n",
            "a test file is a mapping with a `tests` list, not a list",
        ),
        ("test: []\n", "`test` is not a key of a test file"),
        ("tests: 3\n", "`tests` is a list of tests, not a value"),
    ] {
        let (_, errors) = parse::read(FileId(0), "t", text, model);
        assert_eq!(
            errors.first().map(|e| e.message.as_str()),
            Some(message),
            "{text:?}"
        );
    }
}

#[test]
fn a_filter_off_by_case_or_a_slip_gets_the_names_spelling() {
    let names = [
        "the agency deletes nothing",
        "between two and four admins (SEC-118)",
    ];
    assert_eq!(
        super::filter_help("AGENCY DEL", names).as_deref(),
        Some("did you mean `agency del`?")
    );
    assert_eq!(
        super::filter_help("sec-11", names).as_deref(),
        Some("did you mean `SEC-11`?")
    );
    assert_eq!(
        super::filter_help("admnis", names).as_deref(),
        Some("did you mean `admins`?")
    );
    assert_eq!(super::filter_help("zzzzzz", names), None);
    // Non-ASCII case folds by character, never splitting one.
    assert_eq!(
        super::filter_help("STRAẞE", ["ıİ straße"]).as_deref(),
        Some("did you mean `straße`?")
    );
}
