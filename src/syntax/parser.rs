//! The pest binding and the lowering of pest pairs into the owned AST.
//! No pest type leaves this module.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use pest::Parser as _;
use pest::iterators::Pair;

use super::ast::{
    Comment, Extends, File, Member, Profile, RuleRef, Setting, SettingsBlock, Shared, Statement,
    Str, Suppression, Value, Word,
};
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, LineIndex, SourceFile, Span};

mod errors;

use errors::syntax_error;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/rolecall.pest"]
struct Grammar;

/// A parsed tree and the diagnostics of the checks that need no catalog,
/// or the syntax error.
type Parsed = Result<(File, Vec<Diagnostic>), Box<Diagnostic>>;

/// Parses `text` as file `file`. On a syntax error returns the diagnostic;
/// otherwise the tree and the diagnostics of checks that need no catalog.
pub fn parse(file: FileId, text: &str) -> Parsed {
    parse_with(file, text, None)
}

/// Like [`parse`], for a loaded source file: lowering reads where lines
/// start from the file's line index instead of finding them again.
pub fn parse_source(file: FileId, source: &SourceFile) -> Parsed {
    parse_with(file, &source.text, Some(source.lines()))
}

fn parse_with(file: FileId, text: &str, lines: Option<&LineIndex>) -> Parsed {
    let mut pairs =
        Grammar::parse(Rule::file, text).map_err(|e| Box::new(syntax_error(file, text, &e)))?;
    let root = pairs.next().ok_or_else(|| {
        Box::new(Diagnostic::error(
            "syntax",
            Span::new(file, 0, 0),
            "the file could not be parsed",
        ))
    })?;
    // Found only once the text parses, when no index was given.
    let found;
    let line_starts = match lines {
        Some(lines) => lines.starts(),
        None => {
            found = crate::source::line_starts(text);
            &found
        }
    };
    let mut lower = Lowering {
        file,
        text,
        names: HashMap::default(),
        line_starts,
        diagnostics: Vec::new(),
    };
    let mut comments: Vec<Comment> = root
        .clone()
        .into_inner()
        .flatten()
        .filter(|p| p.as_rule() == Rule::COMMENT)
        .map(|p| lower.comment(p))
        .collect();
    let mut statements = root
        .into_inner()
        .filter_map(|p| lower.statement(p))
        .collect::<Vec<_>>();
    // The tree lives until the end of the run: give back what growth reserved.
    comments.shrink_to_fit();
    statements.shrink_to_fit();
    lower.check_headers(&statements);
    let tree = File {
        id: file,
        statements,
        comments,
    };
    Ok((tree, lower.diagnostics))
}

/// Whether `text` is a policy file by the grammar alone: pest's recognition
/// and its token queue, without the lowering into the tree that [`parse`]
/// adds. The benchmarks compare the two to see what lowering costs.
pub fn recognize(text: &str) -> bool {
    Grammar::parse(Rule::file, text).is_ok()
}

struct Lowering<'t> {
    file: FileId,
    text: &'t str,
    /// Permission ids and value words met so far: a file repeats a few dozen
    /// of them thousands of times, so the tree shares one copy of each.
    names: HashMap<&'t str, Shared, BuildHasherDefault<NameHasher>>,
    /// Where each line starts, as the source map counts lines: finding the
    /// start of a line must not scan back along it, or a file of many
    /// statements on one long line would take quadratic time.
    line_starts: &'t [u32],
    diagnostics: Vec<Diagnostic>,
}

/// The children of a pair that carry meaning: comments and keywords dropped.
fn children(pair: Pair<'_, Rule>) -> impl Iterator<Item = Pair<'_, Rule>> {
    pair.into_inner().filter(|p| {
        !matches!(
            p.as_rule(),
            Rule::COMMENT
                | Rule::kw_platform
                | Rule::kw_plan
                | Rule::kw_settings
                | Rule::kw_profile
                | Rule::kw_extends
                | Rule::kw_description
                | Rule::kw_member
                | Rule::kw_team
                | Rule::open_brace
                | Rule::close_brace
                | Rule::comma
                | Rule::equals
        )
    })
}

impl<'t> Lowering<'t> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, s.start(), s.end())
    }

    fn statement(&mut self, pair: Pair<'t, Rule>) -> Option<Statement> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::platform_decl | Rule::plan_decl => {
                let is_platform = pair.as_rule() == Rule::platform_decl;
                let name = children(pair).next()?;
                let word = Word {
                    value: name.as_str().to_owned(),
                    span: self.span(&name),
                    statement: span,
                };
                Some(if is_platform {
                    Statement::Platform(word)
                } else {
                    Statement::Plan(word)
                })
            }
            Rule::settings_block => {
                let keyword = pair
                    .clone()
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::kw_settings)
                    .map_or(span, |k| self.span(&k));
                let mut settings: Vec<Setting> = children(pair).map(|p| self.setting(p)).collect();
                settings.shrink_to_fit();
                Some(Statement::Settings(SettingsBlock {
                    settings,
                    span,
                    keyword,
                }))
            }
            Rule::profile_block => Some(Statement::Profile(self.profile(pair))),
            Rule::member_decl => Some(Statement::Member(self.member(pair))),
            _ => None,
        }
    }

    fn profile(&mut self, pair: Pair<'t, Rule>) -> Profile {
        let span = self.span(&pair);
        let mut name = None;
        let mut extends = None;
        let mut description: Option<Str> = None;
        let mut settings = Vec::new();
        let mut header_end = span.end as usize;
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::string if name.is_none() => name = Some(self.string(child)),
                Rule::extends_clause => {
                    let whole = self.span(&child);
                    // The clause's pair ends after the blanks before `{`.
                    let end = self.trim_end(whole.end as usize);
                    let clause_span = Span::new(self.file, whole.start as usize, end);
                    let parents = children(child).map(|p| self.string(p)).collect();
                    extends = Some(Extends {
                        parents,
                        span: clause_span,
                    });
                }
                Rule::open_brace => header_end = child.as_span().start(),
                Rule::description => {
                    let span = self.span(&child);
                    if let Some(text) = children(child).next().map(|p| self.string(p)) {
                        if let Some(first) = &description {
                            self.diagnostics.push(
                                Diagnostic::error(
                                    "syntax",
                                    span,
                                    "a profile has one `description`",
                                )
                                .with_primary("second `description`")
                                .with_label(first.span, "first `description`")
                                .with_help("merge the two descriptions into one"),
                            );
                        } else {
                            description = Some(text);
                        }
                    }
                }
                Rule::setting => settings.push(self.setting(child)),
                _ => {}
            }
        }
        let name = name.unwrap_or_else(|| Str {
            value: String::new(),
            span,
        });
        // The tree lives until the end of the run: give back what growth reserved.
        settings.shrink_to_fit();
        Profile {
            header: Span::new(self.file, span.start as usize, self.trim_end(header_end)),
            name,
            extends,
            description,
            settings,
            span,
        }
    }

    fn member(&mut self, pair: Pair<'t, Rule>) -> Member {
        // The grammar lets a member's last clause be followed by comments
        // (the skip before an optional body keeps them): the statement ends
        // with its last token, not with a trailing comment.
        let whole = self.span(&pair);
        let end = pair
            .clone()
            .into_inner()
            .filter(|p| p.as_rule() != Rule::COMMENT)
            .map(|p| p.as_span().end())
            .max()
            .unwrap_or(whole.end as usize);
        let span = Span::new(self.file, whole.start as usize, end);
        let mut id = None;
        let mut profile: Option<Str> = None;
        let mut profile_clause: Option<Span> = None;
        let mut team: Option<Str> = None;
        let mut settings = Vec::new();
        let mut has_block = false;
        let mut header_end = span.end as usize;
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::string => id = Some(self.string(child)),
                Rule::member_profile | Rule::member_team => {
                    let is_profile = child.as_rule() == Rule::member_profile;
                    let clause = self.span(&child);
                    let Some(value) = children(child).next().map(|p| self.string(p)) else {
                        continue;
                    };
                    let (slot, keyword) = if is_profile {
                        (&mut profile, "profile")
                    } else {
                        (&mut team, "team")
                    };
                    match slot {
                        Some(first) => self.diagnostics.push(
                            Diagnostic::error(
                                "syntax",
                                clause,
                                format!("a member has one `{keyword}` clause"),
                            )
                            .with_primary(format!("second `{keyword}`"))
                            .with_label(first.span, format!("first `{keyword}`"))
                            .with_help(format!("keep one `{keyword}` clause")),
                        ),
                        None => {
                            *slot = Some(value);
                            if is_profile {
                                profile_clause = Some(clause);
                            }
                        }
                    }
                }
                Rule::member_body => {
                    has_block = true;
                    header_end = child.as_span().start();
                    settings.extend(children(child).map(|p| self.setting(p)));
                }
                _ => {}
            }
        }
        let id = id.unwrap_or_else(|| Str {
            value: String::new(),
            span,
        });
        settings.shrink_to_fit();
        Member {
            header: Span::new(self.file, span.start as usize, self.trim_end(header_end)),
            id,
            profile,
            profile_clause,
            team,
            settings,
            has_block,
            span,
        }
    }

    /// The start of the line holding `offset`, by binary search.
    fn line_start(&self, offset: usize) -> usize {
        let after = self
            .line_starts
            .partition_point(|&start| start as usize <= offset);
        after
            .checked_sub(1)
            .map_or(0, |i| self.line_starts[i] as usize)
    }

    /// The offset just after the last non-blank byte before `end`.
    fn trim_end(&self, end: usize) -> usize {
        let before = self.text.get(..end).unwrap_or(self.text);
        let mut cut = before.trim_end().len();
        // A comment may sit between the header and its brace; stop before it.
        let line_start = self.line_start(cut);
        if line_start > 0 && before[line_start..cut].trim_start().starts_with('#') {
            cut = before[..line_start].trim_end().len();
        }
        cut
    }

    /// The shared copy of `name`.
    fn intern(&mut self, name: &'t str) -> Shared {
        self.names
            .entry(name)
            .or_insert_with(|| Shared::new(name))
            .clone()
    }

    fn setting(&mut self, pair: Pair<'t, Rule>) -> Setting {
        let span = self.span(&pair);
        let mut parts = children(pair);
        let id = parts.next();
        let value = parts.next();
        let (id, id_span) = match id {
            Some(p) => (self.intern(p.as_str()), self.span(&p)),
            None => (Shared::new(""), span),
        };
        let (value, value_span) = match value {
            Some(v) if v.as_rule() == Rule::integer => {
                let digits: String = v.as_str().chars().filter(|c| *c != '_').collect();
                let parsed = digits
                    .parse::<u64>()
                    .map_or_else(|_| Value::TooLarge(Shared::new(v.as_str())), Value::Integer);
                (parsed, self.span(&v))
            }
            Some(v) => (Value::Word(self.intern(v.as_str())), self.span(&v)),
            None => (Value::Word(Shared::new("")), span),
        };
        Setting {
            id,
            id_span,
            value,
            value_span,
        }
    }

    fn string(&mut self, pair: Pair<'t, Rule>) -> Str {
        let span = self.span(&pair);
        let raw = pair.into_inner().next().map_or("", |p| p.as_str());
        self.check_control(raw, span.start as usize + 1);
        Str {
            value: unescape(raw),
            span,
        }
    }

    /// A control character (a tab aside) in a string is an `invalid-value`
    /// error at that character: it cannot be seen, so a name holding one
    /// would differ from the name it looks like.
    fn check_control(&mut self, raw: &str, start: usize) {
        for (at, c) in raw.char_indices() {
            if c.is_control() && c != '\t' {
                let from = start + at;
                let span = Span::new(self.file, from, from + c.len_utf8());
                self.diagnostics.push(
                    Diagnostic::error(
                        "invalid-value",
                        span,
                        format!(
                            "a string holds the control character `U+{:04X}`",
                            u32::from(c)
                        ),
                    )
                    .with_primary("control character")
                    .with_help("remove the character; strings hold printable text only"),
                );
            }
        }
    }

    fn comment(&self, pair: Pair<'t, Rule>) -> Comment {
        let span = self.span(&pair);
        let text = pair
            .into_inner()
            .next()
            .map_or("", |p| p.as_str())
            .trim_end_matches(['\r', '\n']);
        let start = span.start as usize;
        let line_start = self.line_start(start);
        let own_line = self.text[line_start..start]
            .trim_start_matches('\u{FEFF}')
            .trim()
            .is_empty();
        let text_start = start + 1;
        Comment {
            span: Span::new(self.file, start, text_start + text.len()),
            own_line,
            suppression: self.suppression(text, text_start).map(Box::new),
        }
    }

    /// The suppression spelt by a comment's text, if it starts with `rolecall:`.
    fn suppression(&self, text: &str, offset: usize) -> Option<Suppression> {
        if !text.trim_start().starts_with("rolecall:") {
            return None;
        }
        let Ok(mut pairs) = Grammar::parse(Rule::suppression, text) else {
            return Some(Suppression {
                rules: Vec::new(),
                reason: None,
                well_formed: false,
            });
        };
        let mut rules = Vec::new();
        let mut reason = None;
        for part in pairs.next().into_iter().flat_map(|p| p.into_inner()) {
            let s = part.as_span();
            let span = Span::new(self.file, offset + s.start(), offset + s.end());
            match part.as_rule() {
                Rule::rule_name => rules.push(RuleRef {
                    name: part.as_str().to_owned(),
                    span,
                }),
                Rule::string => {
                    let raw = part.into_inner().next().map_or("", |p| p.as_str());
                    let text = unescape(raw);
                    reason = (!text.trim().is_empty()).then_some(text);
                }
                _ => {}
            }
        }
        Some(Suppression {
            rules,
            reason,
            well_formed: true,
        })
    }

    /// `platform` and `plan`: at most once per file, before other statements.
    fn check_headers(&mut self, statements: &[Statement]) {
        let mut seen_platform: Option<Span> = None;
        let mut seen_plan: Option<Span> = None;
        let mut first_other: Option<Span> = None;
        for statement in statements {
            let (keyword, seen) = match statement {
                Statement::Platform(_) => ("platform", &mut seen_platform),
                Statement::Plan(_) => ("plan", &mut seen_plan),
                other => {
                    first_other.get_or_insert(other.span());
                    continue;
                }
            };
            let span = statement.span();
            if let Some(first) = *seen {
                self.diagnostics.push(
                    Diagnostic::error(
                        "syntax",
                        span,
                        format!("`{keyword}` is declared twice in this file"),
                    )
                    .with_primary(format!("second `{keyword}`"))
                    .with_label(first, format!("first `{keyword}`"))
                    .with_help(format!("keep one `{keyword}` declaration")),
                );
            } else if let Some(other) = first_other {
                self.diagnostics.push(
                    Diagnostic::error(
                        "syntax",
                        span,
                        format!("`{keyword}` must come before any other statement"),
                    )
                    .with_primary(format!("`{keyword}` declared here"))
                    .with_label(other, "first other statement")
                    .with_help(format!("move the `{keyword}` line to the top of the file")),
                );
            }
            seen.get_or_insert(span);
        }
    }
}

/// The hasher of the interned names: short ASCII ids from the file being
/// parsed, looked up once per setting, where the default SipHash was a
/// twentieth of the lowering. Not keyed: the table lives for one file and
/// only affects speed, and a file of colliding ids is still parsed in
/// time linear in its size times the number of distinct ids.
#[derive(Default)]
struct NameHasher(u64);

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        // FNV-1a over 8-byte words, then a multiplicative mix in `finish`.
        let mut hash = self.0 ^ 0xcbf2_9ce4_8422_2325;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            hash = (hash ^ u64::from_le_bytes(word)).wrapping_mul(0x0000_0100_0000_01b3);
            hash = hash.rotate_left(23);
        }
        for &byte in chunks.remainder() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = hash;
    }

    fn finish(&self) -> u64 {
        let hash = self.0.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        hash ^ (hash >> 29)
    }
}

/// Decodes `\"` and `\\`; the grammar admits no other escape.
fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}
