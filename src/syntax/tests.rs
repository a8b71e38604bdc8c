use super::ast::Statement;
use super::{Node, node_at, nodes_at, parse};
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

/// The kind of the innermost node at the first byte of `needle` (plus `skip` bytes).
fn kind_at(tree: &super::ast::File, text: &str, needle: &str, skip: usize) -> String {
    let offset = text.find(needle).expect("needle in text") + skip;
    match node_at(tree, offset) {
        Some(node) => {
            let debug = format!("{node:?}");
            let kind = debug.split('(').next().unwrap_or_default().to_owned();
            // The node's span holds the offset.
            let span = node.span();
            assert!(
                span.start as usize <= offset && offset < span.end as usize,
                "{kind}"
            );
            kind
        }
        None => "none".to_owned(),
    }
}

#[test]
fn node_at_finds_the_innermost_node() {
    let text = "\u{FEFF}platform apollo\nplan basic\n\nsettings { deals.limit = 10 }\n\n\
        profile \"Sales\" extends \"Admin\", \"Non-admin\" {\n  description \"sells\"\n  \
        deals.view = allow # rolecall: allow(risky-grant) \"ok\"\n}\n\n\
        member \"a@x\" profile \"Sales\" team \"T\" { deals.limit = 5 }\n";
    let (tree, _) = parse(FileId(0), text).expect("parses");
    let at = |needle: &str, skip: usize| kind_at(&tree, text, needle, skip);
    assert_eq!(at("platform", 0), "Platform");
    assert_eq!(at("apollo", 2), "PlatformName");
    assert_eq!(at("plan", 0), "Plan");
    assert_eq!(at("basic", 0), "PlanName");
    assert_eq!(at("settings", 0), "Settings");
    assert_eq!(at("deals.limit = 10", 0), "SettingId");
    assert_eq!(at("= 10", 0), "Setting");
    assert_eq!(at("10", 1), "SettingValue");
    assert_eq!(at("profile \"Sales\"", 0), "Profile");
    assert_eq!(at("\"Sales\" extends", 3), "ProfileName");
    assert_eq!(at("extends", 0), "Extends");
    assert_eq!(at(", \"Non", 0), "Extends");
    assert_eq!(at("\"Admin\"", 1), "Parent");
    assert_eq!(at("\"Non-admin\"", 0), "Parent");
    assert_eq!(at("\"sells\"", 1), "Description");
    assert_eq!(at("description", 0), "Profile");
    assert_eq!(at("deals.view", 4), "SettingId");
    assert_eq!(at("allow #", 0), "SettingValue");
    assert_eq!(at("# rolecall", 0), "Comment");
    assert_eq!(at("risky-grant", 3), "RuleRef");
    assert_eq!(at("member", 0), "Member");
    assert_eq!(at("\"a@x\"", 2), "MemberId");
    assert_eq!(at("\"Sales\" team", 1), "MemberProfile");
    assert_eq!(at("\"T\"", 0), "MemberTeam");
    assert_eq!(at("deals.limit = 5", 0), "SettingId");
    assert_eq!(at("5 }", 0), "SettingValue");
    // Between statements, in the mark, just past a statement, past the end.
    assert_eq!(at("\n\nsettings", 1), "none");
    assert_eq!(at("\u{FEFF}", 1), "none");
    assert_eq!(at("5 }\n", 3), "none");
    assert_eq!(node_at(&tree, text.len() + 10), None);
    assert_eq!(node_at(&tree, usize::MAX), None);
}

#[test]
fn nodes_at_lists_the_path_outermost_first() {
    let text =
        "profile \"P\" { a.b = allow } # rolecall: allow(x) \"why\"\nmember \"m\" profile \"P\"";
    let (tree, _) = parse(FileId(0), text).expect("parses");
    let Some(Statement::Profile(profile)) = tree.statements.first() else {
        panic!("a profile first");
    };
    let setting = &profile.settings[0];
    let value = text.find("allow").expect("value");
    assert_eq!(
        nodes_at(&tree, value),
        [
            Node::Profile(profile),
            Node::Setting(setting),
            Node::SettingValue(setting)
        ]
    );
    let rule = text.find("(x)").expect("rule") + 1;
    let comment = &tree.comments[0];
    let rules = &comment.suppression.as_ref().expect("a suppression").rules;
    assert_eq!(
        nodes_at(&tree, rule),
        [Node::Comment(comment), Node::RuleRef(&rules[0])]
    );
    let Some(Statement::Member(member)) = tree.statements.get(1) else {
        panic!("a member second");
    };
    let held = text.rfind("\"P\"").expect("profile clause");
    assert_eq!(node_at(&tree, held), Some(Node::MemberProfile(member)));
    assert_eq!(Node::MemberProfile(member).span().start as usize, held);
}

#[test]
fn parsing_a_source_file_reads_its_line_index_to_the_same_tree() {
    use crate::source::SourceFile;
    for text in [
        "\u{FEFF}member \"a\" # one\r\n  profile \"P\"\r\n# two\rprofile \"P\" # x\n{ a = 1 }",
        "profile \"A\" { a = allow } member \"b\" # c",
    ] {
        let source = SourceFile::new("a.perm", text);
        let (from_text, _) = parse(FileId(3), text).expect("parses");
        let (from_source, _) = super::parse_source(FileId(3), &source).expect("parses");
        assert_eq!(from_text, from_source);
    }
}

/// The kinds of the statements of `text`, with each member's profile.
fn statement_kinds(text: &str) -> Vec<String> {
    let (tree, _) = parse(FileId(0), text).expect("parses");
    tree.statements
        .iter()
        .map(|s| match s {
            Statement::Member(m) => format!(
                "member {} profile {:?}",
                m.id.value,
                m.profile.as_ref().map(|p| p.value.as_str())
            ),
            Statement::Profile(p) => format!("profile {}", p.name.value),
            other => format!("{other:?}")
                .split('(')
                .next()
                .unwrap_or_default()
                .to_owned(),
        })
        .collect()
}

#[test]
fn a_member_without_a_block_then_a_profile_is_two_statements() {
    let extends = "member \"a@x.io\" team \"T\"\nprofile \"Q\" extends \"Non-admin\" {\n  deals.view = allow\n}\n";
    assert_eq!(
        statement_kinds(extends),
        ["member a@x.io profile None", "profile Q"]
    );
    // On one line too: a member's clause is never followed by `extends`.
    let same_line = "member \"a\" profile \"Q\" extends \"R\" { }";
    assert_eq!(
        statement_kinds(same_line),
        ["member a profile None", "profile Q"]
    );
    let block = "member \"a@x.io\"\n\n# next\nprofile \"Q\" {\n  deals.view = allow\n}\n";
    assert_eq!(
        statement_kinds(block),
        ["member a@x.io profile None", "profile Q"]
    );
    // A member's own block still follows its profile on the same line, and
    // its clauses may still continue on the next lines.
    let own = "member \"a\" profile \"Q\" {\n  mailbox.sending_limit = 20\n}\n";
    assert_eq!(statement_kinds(own), ["member a profile Some(\"Q\")"]);
    let split = "member \"a\"\n  profile \"Q\"\n  team \"T\"\nmember \"b\"\n";
    assert_eq!(
        statement_kinds(split),
        ["member a profile Some(\"Q\")", "member b profile None"]
    );
}

#[test]
fn a_control_character_in_a_string_is_an_invalid_value_at_it() {
    let text = "member \"bo\u{0}@x\" team \"a\u{7}b\tc\"";
    let (_, found) = parse(FileId(0), text).expect("parses");
    let at: Vec<_> = found
        .iter()
        .map(|d| (d.rule, d.primary.span.start, d.primary.span.end))
        .collect();
    assert_eq!(at, [("invalid-value", 10, 11), ("invalid-value", 22, 23)]);
}
