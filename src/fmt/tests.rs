use super::format;
use crate::source::FileId;

fn fmt(text: &str) -> String {
    match format(FileId(0), text) {
        Ok(out) => out,
        Err(errors) => panic!("format failed: {:?}", errors[0].message),
    }
}

#[test]
fn aligns_equals_within_each_block() {
    let out = fmt("profile \"A\" {\n  a = allow\n     bb.cc=1_000\n}\n");
    assert_eq!(
        out,
        "profile \"A\" {\n  a     = allow\n  bb.cc = 1_000\n}\n"
    );
}

#[test]
fn keeps_comments_where_they_belong() {
    let text = "# head\nplatform apollo # eol\n\n\n# before\nprofile \"A\" { # open\n  # inside\n  a = allow # why\n  # dangling\n}\n# end\n";
    let expected = "# head\nplatform apollo  # eol\n\n# before\nprofile \"A\" {  # open\n  # inside\n  a = allow  # why\n  # dangling\n}\n# end\n";
    assert_eq!(fmt(text), expected);
    assert_eq!(fmt(expected), expected);
}

#[test]
fn blocks_are_set_apart_and_one_line_statements_kept_together() {
    let text = "platform apollo\nplan basic\nmember \"a\"\nmember \"b\"\n\n\nmember \"c\"\nsettings {}\nmember \"d\"";
    let expected = "platform apollo\nplan basic\nmember \"a\"\nmember \"b\"\n\nmember \"c\"\n\nsettings {\n}\n\nmember \"d\"\n";
    assert_eq!(fmt(text), expected);
}

#[test]
fn description_moves_first_with_its_blank_line() {
    let text = "profile \"A\" {\n  a = allow\n\n  description \"d\"\n  b = deny\n}\n";
    let expected = "profile \"A\" {\n  description \"d\"\n\n  a = allow\n  b = deny\n}\n";
    assert_eq!(fmt(text), expected);
    assert_eq!(fmt(expected), expected);
}

#[test]
fn comments_inside_a_split_statement_follow_it() {
    let text = "profile \"A\" # one\n# two\nextends \"B\" # three\n{ a = allow }";
    let expected = "profile \"A\" extends \"B\" {  # one\n  # two\n  # three\n\n  a = allow\n}\n";
    assert_eq!(fmt(text), expected);
    assert_eq!(fmt(expected), expected);
}

#[test]
fn keeps_crlf_bom_and_canonical_escapes() {
    let text = "\u{FEFF}member  \"a\\\\b\\\"c\"   team \"T\" profile \"P\"\r\n\r\n";
    let expected = "\u{FEFF}member \"a\\\\b\\\"c\" profile \"P\" team \"T\"\r\n";
    assert_eq!(fmt(text), expected);
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n\n  \n"), "");
    assert_eq!(fmt("#a   \n\n\n#b"), "#a\n\n#b\n");
}

#[test]
fn refuses_files_with_syntax_errors() {
    assert!(format(FileId(0), "profile {").is_err());
    // Parsed, but with a second description the tree would lose.
    assert!(
        format(
            FileId(0),
            "profile \"A\" { description \"a\" description \"b\" }"
        )
        .is_err()
    );
}
