//! Generated programs: random valid statements written with random blanks,
//! comments (suppressions among them) and line ends; every property holds.

use std::path::Path;

use proptest::prelude::*;
use proptest::sample::select;
use rolecall::load::Workspace;

use super::properties::{assert_properties, assert_same_project};

const NAMES: &[&str] = &[
    "Rep",
    "Sales \\\"Lead\\\"",
    "Back\\\\slash",
    "A rather long profile name with many words in it",
    "Non-admin",
];
const IDS: &[&str] = &[
    "emails.visibility",
    "mailbox.sending_limit",
    "contacts.delete",
    "billing.manage",
    "prospecting.outside_territory",
];
const WORDS: &[&str] = &["allow", "deny", "own", "team", "all", "outbound", "none"];
const NUMBERS: &[&str] = &["0", "5", "1_000", "007", "250"];
const COMMENTS: &[&str] = &[
    " note",
    "",
    "no space",
    " trailing blanks   ",
    " rolecall: allow(see-all-emails) \"audited\"",
    " rolecall: allow(risky-grant)",
    "\tindented # with a hash",
];

/// One `id = value`.
fn setting() -> impl Strategy<Value = Vec<String>> {
    (select(IDS), select(WORDS), select(NUMBERS), any::<bool>()).prop_map(|(id, w, n, num)| {
        vec![
            id.to_owned(),
            "=".to_owned(),
            (if num { n } else { w }).to_owned(),
        ]
    })
}

fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}

/// One statement as its tokens.
fn statement() -> impl Strategy<Value = Vec<String>> {
    let settings = || prop::collection::vec(setting(), 0..4);
    let settings_block = settings().prop_map(|items| {
        let mut t = vec!["settings".to_owned(), "{".to_owned()];
        t.extend(items.into_iter().flatten());
        t.push("}".to_owned());
        t
    });
    let profile = (
        select(NAMES),
        prop::collection::vec(select(NAMES), 0..3),
        prop::option::of((select(COMMENTS), 0usize..4)),
        settings(),
    )
        .prop_map(|(name, parents, description, items)| {
            let mut t = vec!["profile".to_owned(), quoted(name)];
            for (i, parent) in parents.iter().enumerate() {
                t.push(if i == 0 { "extends" } else { "," }.to_owned());
                t.push(quoted(parent));
            }
            t.push("{".to_owned());
            let at = description.map(|(_, at)| at.min(items.len()));
            for (i, item) in items.iter().enumerate() {
                if at == Some(i) {
                    t.extend(["description".to_owned(), quoted("what it is for")]);
                }
                t.extend(item.iter().cloned());
            }
            if at == Some(items.len()) {
                t.extend(["description".to_owned(), quoted("what it is for")]);
            }
            t.push("}".to_owned());
            t
        });
    let member = (
        select(&["a@x.io", "b.c@x.io", "q\\\"uote@x.io"][..]),
        prop::option::of(select(NAMES)),
        prop::option::of(select(&["EMEA", "Sales Ops"][..])),
        any::<bool>(),
        prop::option::of(prop::collection::vec(setting(), 0..3)),
    )
        .prop_map(|(id, profile, team, team_first, block)| {
            let mut t = vec!["member".to_owned(), quoted(id)];
            let mut clauses = Vec::new();
            if let Some(p) = profile {
                clauses.push(vec!["profile".to_owned(), quoted(p)]);
            }
            if let Some(team) = team {
                clauses.push(vec!["team".to_owned(), quoted(team)]);
            }
            if team_first {
                clauses.reverse();
            }
            t.extend(clauses.into_iter().flatten());
            if let Some(items) = block {
                t.push("{".to_owned());
                t.extend(items.into_iter().flatten());
                t.push("}".to_owned());
            }
            t
        });
    prop_oneof![settings_block, profile, member]
}

/// A whole program: tokens, then the gaps between them and the line end.
fn program() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(statement(), 0..6),
        prop::collection::vec((0u8..9, select(COMMENTS)), 1..64),
        any::<bool>(),
    )
        .prop_map(|(crlf, plan, statements, gaps, bom)| {
            let newline = if crlf { "\r\n" } else { "\n" };
            let mut tokens = vec!["platform".to_owned(), "apollo".to_owned()];
            if plan {
                tokens.extend(["plan".to_owned(), "organization".to_owned()]);
            }
            tokens.extend(statements.into_iter().flatten());
            let mut out = String::from(if bom { "\u{FEFF}" } else { "" });
            for (i, token) in tokens.iter().enumerate() {
                let (kind, comment) = gaps[i % gaps.len()];
                out.push_str(&gap(kind, comment, newline, i == 0));
                out.push_str(token);
            }
            let (kind, comment) = gaps[tokens.len() % gaps.len()];
            out.push_str(&gap(kind, comment, newline, false));
            out
        })
}

/// Blanks (and maybe a comment) between two tokens; never empty.
fn gap(kind: u8, comment: &str, newline: &str, first: bool) -> String {
    match kind {
        0 if !first => " ".to_owned(),
        1 => "  \t ".to_owned(),
        2 => newline.to_owned(),
        3 => format!("{newline}{newline}{newline}"),
        4 => format!(" #{comment}{newline}"),
        5 => format!("{newline}  #{comment}{newline}\t"),
        6 => format!("{newline}{newline}#{comment}{newline}#{comment}{newline}{newline}"),
        7 => format!("\t#{comment}{newline}{newline}  "),
        _ => format!("{newline}  "),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn generated_programs_keep_every_property(text in program()) {
        let name = Path::new("generated.perm");
        // Generated programs may repeat a description or a member clause,
        // which the parser reports; those are left alone by design.
        if rolecall::fmt::format(rolecall::source::FileId(0), &text).is_ok() {
            assert_properties(&text, name);
            let project = Workspace::from_files([("generated.perm", text)]);
            assert_same_project(&project, name);
        }
    }
}

const SOUP: &[&str] = &[
    "platform",
    "apollo",
    "profile",
    "\"P\"",
    "extends",
    ",",
    "{",
    "}",
    "=",
    "allow",
    "1_0",
    "a.b",
    "member",
    "team",
    "description",
    "settings",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "# c\n",
    "#\r\n",
    "\u{FEFF}",
    "\"\\\"\"",
    "é",
    "\"",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_token_soup_formats_or_is_refused_without_panicking(
        tokens in prop::collection::vec(select(SOUP), 0..40)
    ) {
        let text: String = tokens.concat();
        if let Ok(formatted) = rolecall::fmt::format(rolecall::source::FileId(0), &text) {
            assert_properties(&text, Path::new("soup.perm"));
            prop_assert!(rolecall::fmt::format(rolecall::source::FileId(0), &formatted).is_ok());
        }
    }
}
