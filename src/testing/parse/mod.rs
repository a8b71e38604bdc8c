//! Reading a test file: the located YAML tree checked for shape, and every
//! permission, level, profile and member resolved against the policy set.
//! Each problem is an error at its place, with a did-you-mean from the
//! known names; a test with problems is kept, with its errors, so that the
//! others still run.

use std::collections::HashMap;

mod assertions;

use super::model::{Subject, Test, TestFile, WhoCheck};
use super::yaml::{self, Map, Node, Scalar};
use crate::catalog::{Kind, PermId, Permission};
use crate::diagnostics::{Candidates, Diagnostic};
use crate::resolve::Model;
use crate::source::{FileId, Span};
use crate::text::code_list;

/// The rule name of an error in a test file.
pub const RULE: &str = "test-file";

/// The keys a test may have.
const KEYS: [&str; 10] = [
    "name",
    "profile",
    "member",
    "who",
    "none_hold",
    "expect",
    "allow",
    "deny",
    "exactly",
    "count",
];

/// The subjects, one of which each test has.
const SUBJECTS: [&str; 4] = ["profile", "member", "who", "none_hold"];

/// Reads test file `name` (id `file`) against `model`: its tests, and the
/// errors that are not any one test's (YAML syntax, the file's shape).
pub fn read(file: FileId, name: &str, text: &str, model: &Model) -> (TestFile, Vec<Diagnostic>) {
    let mut out = TestFile {
        file,
        name: name.to_owned(),
        tests: Vec::new(),
    };
    let whole = Span::new(file, 0, text.len().min(1));
    let root = match yaml::parse(file, text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            let error = Diagnostic::error(RULE, whole, "the test file is empty")
                .with_help("a test file is a mapping with a `tests` list");
            return (out, vec![error]);
        }
        Err(error) => return (out, vec![*error]),
    };
    let Node::Map(root) = root else {
        let error = Diagnostic::error(
            RULE,
            root.span(),
            format!(
                "a test file is a mapping with a `tests` list, not {}",
                root.kind()
            ),
        );
        return (out, vec![error]);
    };
    let mut errors = Vec::new();
    for (key, _) in &root.entries {
        if key.text != "tests" {
            errors.push(unknown_key(key, &["tests"], "a test file"));
        }
    }
    let tests = match root.get("tests") {
        Some((_, Node::Seq(tests))) => tests,
        Some((key, other)) => {
            errors.push(
                Diagnostic::error(
                    RULE,
                    other.span(),
                    format!("`tests` is a list of tests, not {}", other.kind()),
                )
                .with_label(key.span, "here"),
            );
            return (out, errors);
        }
        None => {
            errors.push(
                Diagnostic::error(RULE, root.span, "the test file has no `tests` list")
                    .with_help("a test file is a mapping with a `tests` list"),
            );
            return (out, errors);
        }
    };
    let names = Names::new(model);
    let mut seen: HashMap<String, Span> = HashMap::new();
    for item in &tests.items {
        let Node::Map(entry) = item else {
            errors.push(Diagnostic::error(
                RULE,
                item.span(),
                format!(
                    "a test is a mapping with a `name` and a subject, not {}",
                    item.kind()
                ),
            ));
            continue;
        };
        let Some((name_key, name_node)) = entry.get("name") else {
            errors.push(
                Diagnostic::error(RULE, entry.span, "the test has no `name`")
                    .with_primary("this test")
                    .with_help("give every test a `name`, unique in its file"),
            );
            continue;
        };
        let Node::Scalar(name) = name_node else {
            errors.push(Diagnostic::error(
                RULE,
                name_node.span(),
                format!("a test's `name` is a value, not {}", name_node.kind()),
            ));
            continue;
        };
        let mut problems = Vec::new();
        if name_node.is_null() || name.text.trim().is_empty() {
            // A value left out has no place of its own: its key stands for it.
            let at = if name.plain && name.text.is_empty() {
                name_key.span
            } else {
                name.span
            };
            problems.push(
                Diagnostic::error(RULE, at, "a test's `name` is empty")
                    .with_primary("no name")
                    .with_help("give every test a `name`, unique in its file"),
            );
        } else if let Some(first) = seen.get(&name.text) {
            problems.push(
                Diagnostic::error(
                    RULE,
                    name.span,
                    format!("a test named `{}` is already in this file", name.text),
                )
                .with_primary("second test of this name")
                .with_label(*first, "first here"),
            );
        } else {
            seen.insert(name.text.clone(), name.span);
        }
        let body = Reader {
            model,
            names: &names,
            problems: &mut problems,
        }
        .subject(entry, name);
        let body = match body {
            Some(subject) if problems.is_empty() => Ok(subject),
            _ => Err(problems),
        };
        out.tests.push(Test {
            name: name.text.clone(),
            name_span: name.span,
            body,
        });
    }
    (out, errors)
}

fn unknown_key(key: &Scalar, known: &[&str], what: &str) -> Diagnostic {
    Diagnostic::error(
        RULE,
        key.span,
        format!("`{}` is not a key of {what}", key.text),
    )
    .with_primary("unknown key")
    .with_help_opt(
        Candidates::new(known.iter().copied())
            .did_you_mean(&key.text)
            .or_else(|| Some(format!("the keys are {}", code_list(known)))),
    )
}

/// The names of the policy set, for did-you-mean.
struct Names {
    permissions: Candidates,
    profiles: Candidates,
    members: Candidates,
    member_index: HashMap<String, usize>,
}

impl Names {
    fn new(model: &Model) -> Self {
        Names {
            permissions: Candidates::new(model.catalog.iter().map(|(_, p)| p.id.as_str())),
            profiles: Candidates::new(model.profiles.iter().map(|p| p.name.as_str())),
            members: Candidates::new(model.members.iter().map(|m| m.id.as_str())),
            member_index: model
                .members
                .iter()
                .enumerate()
                .rev()
                .map(|(i, m)| (m.id.clone(), i))
                .collect(),
        }
    }
}

struct Reader<'a> {
    model: &'a Model,
    names: &'a Names,
    problems: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn error(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        self.problems.push(Diagnostic::error(RULE, span, message));
        let last = self.problems.len() - 1;
        &mut self.problems[last]
    }

    fn subject(&mut self, entry: &Map, name: &Scalar) -> Option<Subject> {
        for (key, _) in &entry.entries {
            if !KEYS.contains(&key.text.as_str()) {
                self.problems.push(unknown_key(key, &KEYS, "a test"));
            }
        }
        let (key, value) = self.subject_entry(entry, name)?;
        self.assertion_keys(entry, key);
        // The subject and every assertion are read, whichever is bad, so
        // that each bad entry is reported at once.
        match key.text.as_str() {
            "profile" => self.profile_test(entry, key, value),
            "member" => self.member_test(entry, key, value),
            "who" => self.who_test(entry, key, value),
            _ => self.none_hold_test(value),
        }
    }

    /// The one subject key of a test and its value; none or two are errors.
    fn subject_entry<'e>(
        &mut self,
        entry: &'e Map,
        name: &Scalar,
    ) -> Option<(&'e Scalar, &'e Node)> {
        let subjects: Vec<(&Scalar, &Node)> = entry
            .entries
            .iter()
            .filter(|(k, _)| SUBJECTS.contains(&k.text.as_str()))
            .map(|(k, v)| (k, v))
            .collect();
        match subjects.as_slice() {
            [one] => Some(*one),
            [] => {
                self.error(
                    name.span,
                    format!("the test `{}` has no subject", name.text),
                )
                .help = Some(format!("give it one of {}", code_list(&SUBJECTS)));
                None
            }
            [first, second, ..] => {
                let message = format!(
                    "the test `{}` has two subjects, `{}` and `{}`",
                    name.text, first.0.text, second.0.text
                );
                let diagnostic = self.error(second.0.span, message);
                diagnostic.labels.push(crate::diagnostics::Label::new(
                    first.0.span,
                    "first subject",
                ));
                diagnostic.help =
                    Some("a test has exactly one subject; split it in two".to_owned());
                None
            }
        }
    }

    /// Reports the assertion keys a test of subject `key` does not take.
    fn assertion_keys(&mut self, entry: &Map, key: &Scalar) {
        let allowed: &[&str] = match key.text.as_str() {
            "profile" => &["expect"],
            "member" => &["expect", "allow", "deny"],
            "who" => &["exactly", "count"],
            _ => &[],
        };
        for (k, _) in &entry.entries {
            let text = k.text.as_str();
            if text != "name"
                && !SUBJECTS.contains(&text)
                && KEYS.contains(&text)
                && !allowed.contains(&text)
            {
                let message = format!("a `{}` test has no `{text}`", key.text);
                let help = match allowed {
                    [] => "it lists its conditions only".to_owned(),
                    keys => format!("its assertions are {}", code_list(keys)),
                };
                self.error(k.span, message).help = Some(help);
            }
        }
    }

    fn profile_test(&mut self, entry: &Map, key: &Scalar, value: &Node) -> Option<Subject> {
        let assertion = |k: &str| entry.get(k).map(|(_, v)| v);
        let profile = self.profile(value);
        let Some(expect) = assertion("expect") else {
            self.error(key.span, "a `profile` test needs `expect`");
            return None;
        };
        let expect = self.expect(expect);
        Some(Subject::Profile {
            profile: profile?,
            expect: expect?,
        })
    }

    fn member_test(&mut self, entry: &Map, key: &Scalar, value: &Node) -> Option<Subject> {
        let assertion = |k: &str| entry.get(k).map(|(_, v)| v);
        let member = self.member(value);
        let id = member.map_or_else(String::new, |m| self.model.members[m].id.clone());
        let expect = match assertion("expect") {
            Some(node) => self.expect(node),
            None => Some(Vec::new()),
        };
        let mut requests = Some(Vec::new());
        for (word, allowed) in [("allow", true), ("deny", false)] {
            if let Some(node) = assertion(word) {
                let read = self.requests(node, &id, allowed);
                requests = requests.zip(read).map(|(mut all, more)| {
                    all.extend(more);
                    all
                });
            }
        }
        let (member, expect, requests) = (member?, expect?, requests?);
        if expect.is_empty() && requests.is_empty() {
            self.error(
                key.span,
                "a `member` test needs `expect`, `allow` or `deny`",
            );
            return None;
        }
        Some(Subject::Member {
            member,
            expect,
            requests,
        })
    }

    fn who_test(&mut self, entry: &Map, key: &Scalar, value: &Node) -> Option<Subject> {
        let query = self.query(value);
        let check = match (entry.get("exactly"), entry.get("count")) {
            (Some((_, list)), None) => self.exactly(list),
            (None, Some((_, bounds))) => self.count(bounds).map(|(min, max)| WhoCheck::Count {
                min,
                max,
                span: bounds.span(),
            }),
            (Some(_), Some((k, _))) => {
                self.error(k.span, "a `who` test has `exactly` or `count`, not both");
                None
            }
            (None, None) => {
                self.error(key.span, "a `who` test needs `exactly` or `count`");
                None
            }
        };
        Some(Subject::Who {
            query: query?,
            check: check?,
        })
    }

    fn none_hold_test(&mut self, value: &Node) -> Option<Subject> {
        let Node::Seq(list) = value else {
            self.error(
                value.span(),
                format!(
                    "`none_hold` is a list of `ID = VALUE` conditions, not {}",
                    value.kind()
                ),
            );
            return None;
        };
        let mut conditions = Vec::new();
        let mut ok = true;
        for item in &list.items {
            match self.condition(item) {
                Some(condition) => conditions.push(condition),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        if conditions.is_empty() {
            self.error(list.span, "`none_hold` needs at least one condition");
            return None;
        }
        Some(Subject::NoneHold {
            conditions,
            span: list.span,
        })
    }

    fn scalar<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n Scalar> {
        match node {
            Node::Scalar(s) => Some(s),
            other => {
                self.error(
                    other.span(),
                    format!("{what} is a value, not {}", other.kind()),
                );
                None
            }
        }
    }

    fn profile(&mut self, node: &Node) -> Option<crate::resolve::ProfileId> {
        let name = self.scalar(node, "a profile")?;
        if let Some(id) = self.model.find(&name.text) {
            return Some(id);
        }
        let help = self.names.profiles.did_you_mean(&name.text);
        self.error(name.span, format!("unknown profile `{}`", name.text))
            .primary
            .message = "not a profile of the policy set".to_owned();
        self.last_help(help);
        None
    }

    fn member(&mut self, node: &Node) -> Option<usize> {
        let id = self.scalar(node, "a member")?;
        self.member_id(id)
    }

    fn member_id(&mut self, id: &Scalar) -> Option<usize> {
        if let Some(&index) = self.names.member_index.get(&id.text) {
            return Some(index);
        }
        let help = self.names.members.did_you_mean(&id.text);
        self.error(id.span, format!("unknown member `{}`", id.text))
            .primary
            .message = "not a member of the policy set".to_owned();
        self.last_help(help);
        None
    }

    fn last_help(&mut self, help: Option<String>) {
        if let Some(last) = self.problems.last_mut() {
            last.help = help;
        }
    }

    fn permission(&mut self, id: &Scalar) -> Option<PermId> {
        if let Some(perm) = self.model.catalog.lookup(&id.text) {
            return Some(perm);
        }
        let help = self.names.permissions.did_you_mean(&id.text);
        self.error(id.span, format!("unknown permission `{}`", id.text))
            .primary
            .message = format!(
            "not a permission of the `{}` catalog",
            self.model.catalog.platform
        );
        self.last_help(help);
        None
    }

    /// The raw value `word` stands for in `perm`.
    fn value(&mut self, perm: PermId, word: &Scalar) -> Option<u64> {
        let permission: &Permission = self.model.catalog.get(perm);
        let found = match permission.kind {
            Kind::Limit => word.text.trim().parse::<u64>().ok(),
            _ => permission.level(&word.text),
        };
        if found.is_some() {
            return found;
        }
        let (message, help) = match permission.kind {
            Kind::Limit => (
                format!(
                    "`{}` is not a value of `{}`, a limit",
                    word.text, permission.id
                ),
                Some("a limit is a non-negative integer".to_owned()),
            ),
            _ => (
                format!("`{}` is not a level of `{}`", word.text, permission.id),
                Candidates::new(permission.levels.iter().map(String::as_str))
                    .did_you_mean(&word.text)
                    .or_else(|| Some(format!("its levels are {}", permission.accepted()))),
            ),
        };
        self.error(word.span, message).primary.message = "unknown value".to_owned();
        self.last_help(help);
        None
    }
}
