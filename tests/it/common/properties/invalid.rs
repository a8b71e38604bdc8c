//! Invalid ingredients mixed into generated sets: unknown parents, cycles,
//! unknown permissions, bad values, duplicates, wrong headers, junk lines,
//! truncated files and bytes that are not UTF-8.

use proptest::prelude::*;
use proptest::sample::{Index, select};

use super::render::{Layout, render};
use super::set::Set;

/// Lines added inside a profile block that parse but do not check.
const PROFILE_LINES: &[&str] = &[
    "emails.visiblity = all",
    "foo.bar = allow",
    "mailbox.sending_limit = allow",
    "billing.manage = 5",
    "contacts.delete = everything",
    "mailbox.sending_limit = 99999999999999999999999",
    "mailbox.sending_limit = 1_000_000",
    "users.manage = deny",
    "credits.view_usage = deny # rolecall: allow(risky-grant) \"locked\"",
    "emails.visibility = own\n  emails.visibility = all",
    "# rolecall: allow(no-such-rule) \"x\"\n  emails.visibility = all",
    "# rolecall: allow(see-all-emails\n  emails.visibility = all",
    "# rolecall: allow(see-all-emails)\n  emails.visibility = all",
    "# rolecall: allow(min-admins, inheritance-cycle) \"errors are not suppressible\"",
];

/// Lines added inside a member block that parse but do not check.
const MEMBER_LINES: &[&str] = &[
    "billing.manage = allow",
    "mailbox.sending_limit = 1_000_000",
    "mailbox.sending_limit = team",
    "ghost.limit = 3",
    "mailbox.sending_limit = 1\n  mailbox.sending_limit = 2",
];

/// Statements added to a file that parse but do not check.
const STATEMENTS: &[&str] = &[
    "profile \"Admin\" { }",
    "profile \"Non-admin\" extends \"Admin\" { }",
    "member \"m0@acme.test\" { }",
    "member \"m1@acme.test\" profile \"Ghost\"",
    "profile \"Loop\" extends \"Loop\" { }",
    "profile \"Ping\" extends \"Pong\" { }\nprofile \"Pong\" extends \"Ping\" { }",
    "profile \"Under\" extends \"Ping\" { emails.visibility = all }",
    "settings {\n  emails.visibility = all\n}",
    "settings {\n  mailbox.sending_limit = 10\n}",
    "settings {\n  mailbox.sending_limit = 0\n}",
    "profile \"\" { }",
];

/// Headers written instead of `platform apollo` and `plan`.
const HEADERS: &[&str] = &[
    "platform amplemarket",
    "platform hubspot",
    "platform apollo\nplan basic",
    "platform apollo\nplan gold",
    "plan organization\nplatform apollo",
    "",
    "# no platform here",
];

/// Lines or statements that do not parse.
const SYNTAX: &[&str] = &[
    "description \"twice\"\n  description \"thrice\"",
    "Emails.Visibility = all",
    "= allow",
    "contacts.delete =",
    "mailbox.sending_limit = 1__0",
    "mailbox.sending_limit = -1",
    "{",
    "}",
    "member \"m9@acme.test\" team \"A\" team \"B\"",
    "member \"m8@acme.test\" profile \"Admin\" profile \"Admin\"",
    "platform apollo",
    "plan custom",
    "profile \"Unclosed\" {",
    "profile Unquoted { }",
    "member",
    "\"dangling string",
];

/// Pieces of junk lines.
const SOUP: &[&str] = &[
    "profile",
    "member",
    "extends",
    "settings",
    "team",
    "\"P\"",
    "{",
    "}",
    "=",
    ",",
    "allow",
    "1_0",
    "a.b",
    " ",
    "\t",
    "\r",
    "\r\n",
    "#",
    "\"",
    "\\",
    "é",
    "🦀",
    "\u{202e}",
    "\u{feff}",
    "\0",
    "rolecall: allow(",
    ")",
];

/// One invalid ingredient.
#[derive(Clone, Debug)]
pub enum Ingredient {
    /// Profile `profile` also extends profile `target` (maybe later, maybe
    /// itself: a cycle) or, past the end, a profile that does not exist.
    Parent { profile: Index, target: Index },
    /// A line inside a profile block.
    ProfileLine { profile: Index, line: &'static str },
    /// A line inside a member block.
    MemberLine { member: Index, line: &'static str },
    /// A statement added to a file.
    Statement { file: Index, text: &'static str },
    /// A file's header replaced.
    Header { file: Index, text: &'static str },
    /// A line of junk inserted into a file's text.
    Junk {
        file: Index,
        at: Index,
        pieces: Vec<&'static str>,
    },
    /// A file cut short.
    Truncate { file: Index, at: Index },
    /// Bytes spliced into a file, perhaps not UTF-8.
    Bytes {
        file: Index,
        at: Index,
        bytes: Vec<u8>,
    },
}

/// Any ingredient; those that keep every file parsing are five times as
/// likely as the others, so that resolution and linting see them.
pub fn ingredient() -> impl Strategy<Value = Ingredient> {
    prop_oneof![
        5 => checked(),
        1 => unparsed(),
    ]
}

/// Ingredients that keep every file parsing.
fn checked() -> impl Strategy<Value = Ingredient> {
    prop_oneof![
        2 => (any::<Index>(), any::<Index>())
            .prop_map(|(profile, target)| Ingredient::Parent { profile, target }),
        3 => (any::<Index>(), select(PROFILE_LINES))
            .prop_map(|(profile, line)| Ingredient::ProfileLine { profile, line }),
        2 => (any::<Index>(), select(MEMBER_LINES))
            .prop_map(|(member, line)| Ingredient::MemberLine { member, line }),
        2 => (any::<Index>(), select(STATEMENTS))
            .prop_map(|(file, text)| Ingredient::Statement { file, text }),
        1 => (any::<Index>(), select(HEADERS))
            .prop_map(|(file, text)| Ingredient::Header { file, text }),
    ]
}

/// Ingredients that break parsing, or the encoding.
fn unparsed() -> impl Strategy<Value = Ingredient> {
    prop_oneof![
        (any::<Index>(), select(SYNTAX))
            .prop_map(|(profile, line)| Ingredient::ProfileLine { profile, line }),
        (any::<Index>(), select(SYNTAX))
            .prop_map(|(file, text)| Ingredient::Statement { file, text }),
        (
            any::<Index>(),
            any::<Index>(),
            prop::collection::vec(select(SOUP), 1..8)
        )
            .prop_map(|(file, at, pieces)| Ingredient::Junk { file, at, pieces }),
        (any::<Index>(), any::<Index>()).prop_map(|(file, at)| Ingredient::Truncate { file, at }),
        (
            any::<Index>(),
            any::<Index>(),
            prop::collection::vec(any::<u8>(), 1..4)
        )
            .prop_map(|(file, at, bytes)| Ingredient::Bytes { file, at, bytes }),
    ]
}

/// `set` with `ingredients` mixed in: the files as `(name, bytes)`.
pub fn spoil(set: &Set, ingredients: &[Ingredient]) -> Vec<(String, Vec<u8>)> {
    let mut set = set.clone();
    for ingredient in ingredients {
        match ingredient {
            Ingredient::Parent { profile, target } if !set.profiles.is_empty() => {
                let n = set.profiles.len();
                let name = match target.index(n + 1) {
                    t if t < n => set.profiles[t].name.clone(),
                    _ => "Sales Manger".to_owned(),
                };
                set.profiles[profile.index(n)].parents.push(name);
            }
            Ingredient::ProfileLine { profile, line } if !set.profiles.is_empty() => {
                let n = set.profiles.len();
                set.profiles[profile.index(n)].junk.push((*line).to_owned());
            }
            Ingredient::MemberLine { member, line } if !set.members.is_empty() => {
                let n = set.members.len();
                let m = &mut set.members[member.index(n)];
                m.block = true;
                m.junk.push((*line).to_owned());
            }
            Ingredient::Statement { file, text } => {
                let n = set.files.len();
                set.files[file.index(n)].junk.push((*text).to_owned());
            }
            Ingredient::Header { file, text } => {
                let n = set.files.len();
                set.files[file.index(n)].header = Some((*text).to_owned());
            }
            _ => {}
        }
    }
    let rendered = render(&set, &Layout::natural(&set));
    let mut files: Vec<(String, Vec<u8>)> = rendered
        .files
        .into_iter()
        .map(|(name, text)| (name, text.into_bytes()))
        .collect();
    for ingredient in ingredients {
        match ingredient {
            Ingredient::Junk { file, at, pieces } => {
                let n = files.len();
                let bytes = &mut files[file.index(n)].1;
                let starts: Vec<usize> = std::iter::once(0)
                    .chain(
                        bytes
                            .iter()
                            .enumerate()
                            .filter(|(_, b)| **b == b'\n')
                            .map(|(i, _)| i + 1),
                    )
                    .collect();
                let at = starts[at.index(starts.len())];
                let line = format!("{}\n", pieces.concat());
                bytes.splice(at..at, line.into_bytes());
            }
            Ingredient::Truncate { file, at } => {
                let n = files.len();
                let bytes = &mut files[file.index(n)].1;
                let at = at.index(bytes.len() + 1);
                bytes.truncate(at);
            }
            Ingredient::Bytes {
                file,
                at,
                bytes: extra,
            } => {
                let n = files.len();
                let bytes = &mut files[file.index(n)].1;
                let at = at.index(bytes.len() + 1);
                bytes.splice(at..at, extra.iter().copied());
            }
            _ => {}
        }
    }
    files
}
