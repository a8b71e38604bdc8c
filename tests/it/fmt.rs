//! The formatter: snapshots of `tests/fmt/*.perm`, its properties over every
//! policy file of the repository and over generated programs, and the
//! behaviour of `rolecall fmt` on the command line.

mod cli;
mod generated;
mod properties;

use std::path::Path;

use crate::common::sorted_dirs;
use properties::{assert_properties, format_ok};

/// CR LF and the BOM made visible: snapshots normalise line ends.
fn visible(text: &str) -> String {
    text.replace('\u{FEFF}', "<bom>").replace("\r\n", "␍\n")
}

#[test]
fn formatted_fixtures_match_their_snapshots() {
    insta::glob!("../inputs/fmt", "*.perm", |path| {
        let text = read(path);
        let formatted = format_ok(&text, path);
        insta::assert_snapshot!(visible(&formatted));
    });
}

#[test]
fn formatted_fixtures_keep_every_property() {
    insta::glob!("../inputs/fmt", "*.perm", |path| {
        assert_properties(&read(path), path);
    });
}

#[test]
fn every_policy_file_that_parses_keeps_every_property() {
    let mut checked = 0;
    for root in ["tests/inputs/fixtures", "policies"] {
        let found = rolecall::load::discover::policy_files(
            &rolecall::load::Disk,
            Path::new("/"),
            &[root.into()],
        )
        .expect("walk");
        for file in found {
            let Ok(bytes) = std::fs::read(&file.path) else {
                continue;
            };
            let Ok(text) = String::from_utf8(bytes) else {
                continue;
            };
            if rolecall::fmt::format(rolecall::source::FileId(0), &text).is_ok() {
                assert_properties(&text, &file.path);
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} files checked");
}

#[test]
fn formatted_policy_sets_resolve_to_the_same_values() {
    let mut sets = vec![
        "policies/examples/apollo-acme".to_owned(),
        "policies/examples/amplemarket-team".to_owned(),
    ];
    for rule in sorted_dirs(Path::new("tests/inputs/fixtures")) {
        for case in sorted_dirs(&rule) {
            sets.push(case.to_string_lossy().into_owned());
        }
    }
    for set in &sets {
        properties::assert_same_resolution(Path::new(set));
    }
}

fn read(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("fixture readable");
    String::from_utf8(bytes).expect("fixture is UTF-8")
}

#[test]
fn the_layout_example_in_the_docs_is_canonical() {
    let doc = read(Path::new("docs/formatting.md"));
    let section = doc
        .split("## The canonical layout")
        .nth(1)
        .expect("section");
    let example = section.split("```\n").nth(1).expect("example block");
    assert_eq!(format_ok(example, Path::new("docs/formatting.md")), example);
}
