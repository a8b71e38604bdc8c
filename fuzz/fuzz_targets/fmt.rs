//! The formatter on every input it accepts: formatting is idempotent, the
//! formatted text parses to the same statements (spans aside) and keeps
//! every comment, and the output follows the layout's line rules.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rolecall::source::FileId;
use rolecall::syntax::{self, ast};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(formatted) = rolecall::fmt::format(FileId(0), text) else {
        return;
    };
    let again = match rolecall::fmt::format(FileId(0), &formatted) {
        Ok(again) => again,
        Err(errors) => panic!("the formatted text does not format: {}", errors[0].message),
    };
    assert_eq!(again, formatted, "formatting is not idempotent");

    let before = tree(text);
    let after = tree(&formatted);
    assert_eq!(after.statements, before.statements, "the tree changed");
    let (mut was, mut is) = (comments(&before), comments(&after));
    if description_moves(&before) {
        // The description moves first with its comments: order may change.
        was.sort();
        is.sort();
    }
    assert_eq!(is, was, "comments changed");
    assert_layout(text, &formatted);
});

fn tree(text: &str) -> ast::File {
    match syntax::parse(FileId(0), text) {
        Ok((tree, _)) => tree,
        Err(error) => panic!("does not parse: {}", error.message),
    }
}

/// Comment texts in source order, trailing blanks aside.
fn comments(tree: &ast::File) -> Vec<String> {
    tree.comments
        .iter()
        .map(|c| c.text.trim_end().to_owned())
        .collect()
}

fn description_moves(tree: &ast::File) -> bool {
    tree.statements.iter().any(|s| match s {
        ast::Statement::Profile(p) => match (&p.description, p.settings.first()) {
            (Some(d), Some(first)) => d.span.start > first.span.start,
            _ => false,
        },
        _ => false,
    })
}

/// One line end style, no trailing blanks, no two blank lines in a row, one
/// final line end, the byte-order mark kept.
fn assert_layout(text: &str, formatted: &str) {
    assert_eq!(
        formatted.starts_with('\u{FEFF}'),
        text.starts_with('\u{FEFF}'),
        "byte-order mark"
    );
    let body = formatted.strip_prefix('\u{FEFF}').unwrap_or(formatted);
    if body.is_empty() {
        return;
    }
    let newline = rolecall::fmt::line_ending(text);
    let Some(body) = body.strip_suffix(newline) else {
        panic!("no final line end");
    };
    let lines: Vec<&str> = body.split(newline).collect();
    for line in &lines {
        assert!(!line.contains(['\r', '\n']), "mixed line ends");
        assert_eq!(line.trim_end(), *line, "trailing blanks");
    }
    assert!(
        lines.first().is_some_and(|l| !l.is_empty()),
        "blank first line"
    );
    assert!(
        lines.last().is_some_and(|l| !l.is_empty()),
        "blank last line"
    );
    for pair in lines.windows(2) {
        assert!(
            !(pair[0].is_empty() && pair[1].is_empty()),
            "two blank lines"
        );
    }
}
