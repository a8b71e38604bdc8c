//! The owned syntax tree of a policy file. Every node carries its span.

use std::sync::Arc;

use serde::Serialize;

use crate::source::{FileId, Span};

/// A parsed policy file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct File {
    /// The file's id in the source map.
    #[serde(skip)]
    pub id: FileId,
    /// Top-level statements, in source order.
    pub statements: Vec<Statement>,
    /// Every comment of the file, in source order.
    pub comments: Vec<Comment>,
}

/// A top-level statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Statement {
    /// `platform NAME`.
    Platform(Word),
    /// `plan NAME`.
    Plan(Word),
    /// `settings { ... }`.
    Settings(SettingsBlock),
    /// `profile "Name" extends ... { ... }`.
    Profile(Profile),
    /// `member "id" ...`.
    Member(Member),
}

impl Statement {
    /// The span of the whole statement.
    pub fn span(&self) -> Span {
        match self {
            Statement::Platform(w) | Statement::Plan(w) => w.statement,
            Statement::Settings(s) => s.span,
            Statement::Profile(p) => p.span,
            Statement::Member(m) => m.span,
        }
    }
}

/// A `platform` or `plan` declaration's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Word {
    /// The name.
    pub value: String,
    /// Span of the name.
    #[serde(skip)]
    pub span: Span,
    /// Span of the whole statement.
    #[serde(skip)]
    pub statement: Span,
}

/// A decoded string literal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Str {
    /// The text with escapes decoded.
    pub value: String,
    /// Span of the literal, quotes included.
    #[serde(skip)]
    pub span: Span,
}

/// `settings { ... }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SettingsBlock {
    /// The caps, in source order.
    pub settings: Vec<Setting>,
    /// Span of the whole block.
    #[serde(skip)]
    pub span: Span,
    /// Span of the `settings` keyword.
    #[serde(skip)]
    pub keyword: Span,
}

/// A `profile` block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Profile {
    /// The profile's name.
    pub name: Str,
    /// The `extends` clause, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extends: Option<Extends>,
    /// The `description`, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Str>,
    /// Settings, in source order.
    pub settings: Vec<Setting>,
    /// Span of the whole block.
    #[serde(skip)]
    pub span: Span,
    /// Span from `profile` to the end of its header (before `{`).
    #[serde(skip)]
    pub header: Span,
}

/// An `extends` clause.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Extends {
    /// The parents, in order.
    pub parents: Vec<Str>,
    /// Span of the whole clause, keyword included.
    #[serde(skip)]
    pub span: Span,
}

/// A `member` statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Member {
    /// The member's id, usually an e-mail address.
    pub id: Str,
    /// `profile "P"`, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<Str>,
    /// Span of the `profile "P"` clause, keyword included, when present.
    #[serde(skip)]
    pub profile_clause: Option<Span>,
    /// `team "T"`, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<Str>,
    /// The member's own values (limit-kind only, checked later).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub settings: Vec<Setting>,
    /// Whether the member has a `{ ... }` block, even an empty one.
    #[serde(skip)]
    pub has_block: bool,
    /// Span of the whole statement.
    #[serde(skip)]
    pub span: Span,
    /// Span from `member` to the end of its clauses (before `{`).
    #[serde(skip)]
    pub header: Span,
}

/// A permission id or value word, shared by the settings of a file that
/// spell it: one pointer wide, as the tree of a large set holds hundreds of
/// thousands of them. Reads as the `str` it holds.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shared(Arc<String>);

impl Shared {
    /// A new shared copy of `text`.
    pub fn new(text: &str) -> Self {
        Shared(Arc::new(text.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Shared {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Shared {
    /// As `str` shows: width and alignment are honoured.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.as_str(), f)
    }
}

impl Serialize for Shared {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

impl From<&str> for Shared {
    fn from(text: &str) -> Self {
        Shared::new(text)
    }
}

/// `permission.id = value`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Setting {
    /// The permission id as written (shared by the settings of a file
    /// that name the same permission).
    pub id: Shared,
    /// Span of the id.
    #[serde(skip)]
    pub id_span: Span,
    /// The value.
    pub value: Value,
    /// Span of the value.
    #[serde(skip)]
    pub value_span: Span,
}

impl Setting {
    /// Span of the whole setting, from its id to the end of its value.
    pub fn span(&self) -> Span {
        self.id_span.to(self.value_span)
    }
}

/// A setting's value as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// A word: `allow`, `deny` or a level name (shared like ids).
    Word(Shared),
    /// A non-negative integer.
    Integer(u64),
    /// An integer too large to represent, kept as written.
    TooLarge(Shared),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Word(w) => f.write_str(w),
            Value::Integer(n) => write!(f, "{n}"),
            Value::TooLarge(raw) => f.write_str(raw),
        }
    }
}

/// A comment, with its suppression when it is one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// Span from `#` to the end of the line (line end excluded); the text
    /// is read from the source ([`Comment::text`]) rather than copied.
    #[serde(skip)]
    pub span: Span,
    /// Whether nothing but blanks precedes the comment on its line.
    pub own_line: bool,
    /// The suppression this comment spells, if it starts with `rolecall:`
    /// (boxed: few comments are suppressions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<Box<Suppression>>,
}

impl Comment {
    /// The text after `#`, without the line end, in `source`, the text the
    /// comment was parsed from.
    pub fn text<'s>(&self, source: &'s str) -> &'s str {
        let start = (self.span.start as usize).saturating_add(1);
        source.get(start..self.span.end as usize).unwrap_or("")
    }
}

/// `# rolecall: allow(rule, ...) "reason"`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// The rules named, with their spans.
    pub rules: Vec<RuleRef>,
    /// The reason, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Whether the comment follows the suppression syntax; a malformed one
    /// has no rules and is reported by the linter.
    pub well_formed: bool,
}

/// A rule named in a suppression.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct RuleRef {
    /// The rule name as written.
    pub name: String,
    /// Its span.
    #[serde(skip)]
    pub span: Span,
}
