use super::ast::Statement;
use super::parse;
use crate::source::FileId;

fn member_span(text: &str) -> (u32, u32) {
    let (tree, _) = parse(FileId(0), text).expect("parses");
    match tree.statements.first() {
        Some(Statement::Member(member)) => (member.span.start, member.span.end),
        other => panic!("not a member: {other:?}"),
    }
}

#[test]
fn a_member_ends_with_its_last_token_not_a_trailing_comment() {
    let text = "member \"a@x\" profile \"Admin\"   # the only admin";
    assert_eq!(member_span(text), (0, 28));
    assert_eq!(member_span(&format!("{text}\nmember \"b\"\n")), (0, 28));
    // A comment between clauses stays inside the statement.
    let split = "member \"a\" # why\n  team \"T\" # where\n";
    assert_eq!(member_span(split), (0, 27));
    let block = "member \"a\" { a = 1 } # done";
    assert_eq!(member_span(block), (0, 20));
}

#[test]
fn trees_differ_by_their_spans_unless_spans_are_cleared() {
    let tight = "profile \"A\" extends \"B\" { a = allow } # rolecall: allow(x) \"y\"";
    let loose =
        "\n\nprofile  \"A\"\n  extends \"B\"\n{\n  a   =   allow\n}   # rolecall: allow(x) \"y\"\n";
    let (a, _) = parse(FileId(0), tight).expect("parses");
    let (b, _) = parse(FileId(0), loose).expect("parses");
    assert_ne!(a, b);
    assert_eq!(a.without_spans(), b.without_spans());
    assert_eq!(
        a.statements[0].without_spans(),
        b.statements[0].without_spans()
    );
    let (c, _) = parse(FileId(0), "profile \"A\" extends \"C\" { a = allow }").expect("parses");
    assert_ne!(
        a.statements[0].without_spans(),
        c.statements[0].without_spans()
    );
}
