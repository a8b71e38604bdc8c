//! Regression tests for what the fuzz targets under `fuzz/` found; each
//! finding is described in `docs/robustness.md`.

use std::time::{Duration, Instant};

use rolecall::source::FileId;
use rolecall::syntax::{self, ast};

/// Many statements on one long line: finding where each header ends used to
/// scan back to the start of the line, so the time grew with the square of
/// the line's length: this test ran for minutes before the fix. The bound
/// below is a hang guard far above the linear time (under a second in a
/// debug build), not a performance measurement.
#[test]
fn statements_sharing_one_long_line_parse_in_linear_time() {
    let count = 10_000;
    let text: String = (0..count)
        .map(|i| format!("profile \"P{i}\" {{}} member \"m{i}\" profile \"P{i}\" {{}} "))
        .collect();
    let started = Instant::now();
    let (tree, diagnostics) = syntax::parse(FileId(0), &text).expect("the line parses");
    let elapsed = started.elapsed();
    assert!(diagnostics.is_empty());
    assert_eq!(tree.statements.len(), 2 * count);
    assert!(
        elapsed < Duration::from_secs(60),
        "{} KB on one line took {elapsed:?}",
        text.len() / 1024
    );
    // Each header still ends at its last token, before the blank and the `{`.
    for statement in &tree.statements {
        let header = match statement {
            ast::Statement::Profile(p) => p.header,
            ast::Statement::Member(m) => m.header,
            _ => continue,
        };
        assert!(
            text[header.range()].ends_with('"'),
            "{:?}",
            &text[header.range()]
        );
    }
}

/// An own-line comment between a header and its brace stays out of the
/// header, also when the header is not on the file's first line.
#[test]
fn a_comment_line_before_the_brace_is_not_part_of_the_header() {
    let text = "platform apollo\nprofile \"A\" extends \"Admin\"\n  # why\n{\n}\n";
    let (tree, _) = syntax::parse(FileId(0), text).expect("parses");
    let Some(ast::Statement::Profile(profile)) = tree.statements.get(1) else {
        panic!("a profile second: {:?}", tree.statements);
    };
    assert_eq!(
        &text[profile.header.range()],
        "profile \"A\" extends \"Admin\""
    );
}
