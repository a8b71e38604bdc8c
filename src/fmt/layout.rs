//! From the syntax tree to the elements of the canonical layout: one element
//! per output line (a one-line statement, a block's opening line, an item of
//! a block, a closing brace), each with the byte range of the source tokens
//! it stands for, so that comments can be attached by position.

use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{self, Statement};

/// What an element is in the layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    /// A top-level statement on one line: `platform`, `plan`, a member without a block.
    Line,
    /// The opening line of a top-level block, ending with `{`.
    Open,
    /// A line inside a block: a setting or a description.
    Item,
    /// The `}` of a block.
    Close,
}

/// What an element prints.
#[derive(Clone, Debug)]
pub(super) enum Content {
    /// Text printed as is.
    Text(String),
    /// `id = value`, the `=` aligned within its block.
    Setting {
        /// The permission id.
        id: ast::Shared,
        /// The value as it is printed.
        value: String,
        /// The block the setting belongs to, for alignment.
        block: usize,
    },
}

/// A comment on a line of its own, printed before an element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Note {
    /// The comment's text after `#`, trailing blanks removed.
    pub text: String,
    /// Whether a blank line preceded it in the source.
    pub blank: bool,
}

/// One line of the canonical layout, with the comments attached to it.
#[derive(Clone, Debug)]
pub(super) struct Element {
    /// First byte of the element's first token in the source.
    pub start: usize,
    /// One past the last byte of its last token.
    pub end: usize,
    /// Its role.
    pub role: Role,
    /// What it prints.
    pub content: Content,
    /// Whether it is a profile's `description`.
    pub description: bool,
    /// Own-line comments printed before it.
    pub notes: Vec<Note>,
    /// The end-of-line comment printed after it.
    pub trailing: Option<String>,
    /// Whether a blank line preceded it (or its first comment) in the source.
    pub blank: bool,
}

impl Element {
    fn new(start: usize, end: usize, role: Role, content: Content) -> Self {
        Element {
            start,
            end,
            role,
            content,
            description: false,
            notes: Vec::new(),
            trailing: None,
            blank: false,
        }
    }

    fn text(start: usize, end: usize, role: Role, text: String) -> Self {
        Element::new(start, end, role, Content::Text(text))
    }
}

/// The elements of a file in source order, and the `=` column of each block.
pub(super) fn elements(
    file: &ast::File,
    text: &str,
) -> Result<(Vec<Element>, Vec<usize>), Box<Diagnostic>> {
    let mut builder = Builder {
        text,
        elements: Vec::new(),
        widths: Vec::new(),
    };
    for statement in &file.statements {
        builder.statement(statement)?;
    }
    Ok((builder.elements, builder.widths))
}

struct Builder<'t> {
    text: &'t str,
    elements: Vec<Element>,
    widths: Vec<usize>,
}

impl Builder<'_> {
    fn statement(&mut self, statement: &Statement) -> Result<(), Box<Diagnostic>> {
        match statement {
            Statement::Platform(word) | Statement::Plan(word) => {
                let keyword = match statement {
                    Statement::Platform(_) => "platform",
                    _ => "plan",
                };
                let span = word.statement;
                self.elements.push(Element::text(
                    span.start as usize,
                    word.span.end as usize,
                    Role::Line,
                    format!("{keyword} {}", word.value),
                ));
            }
            Statement::Settings(block) => {
                let brace = self.brace_after(block.keyword.end as usize, block.span)?;
                let open = Element::text(
                    block.keyword.start as usize,
                    brace + 1,
                    Role::Open,
                    "settings {".to_owned(),
                );
                self.block(open, &block.settings, None, brace, block.span)?;
            }
            Statement::Profile(profile) => self.profile(profile)?,
            Statement::Member(member) => self.member(member)?,
        }
        Ok(())
    }

    fn profile(&mut self, profile: &ast::Profile) -> Result<(), Box<Diagnostic>> {
        let mut header = format!("profile {}", quote(&profile.name.value));
        let mut last = profile.name.span.end;
        if let Some(extends) = &profile.extends {
            let parents: Vec<String> = extends.parents.iter().map(|p| quote(&p.value)).collect();
            header.push_str(" extends ");
            header.push_str(&parents.join(", "));
            last = extends
                .parents
                .iter()
                .map(|p| p.span.end)
                .fold(last, u32::max);
        }
        header.push_str(" {");
        let brace = self.brace_after(last as usize, profile.span)?;
        let open = Element::text(profile.span.start as usize, brace + 1, Role::Open, header);
        let description = profile.description.as_ref();
        self.block(open, &profile.settings, description, brace, profile.span)
    }

    fn member(&mut self, member: &ast::Member) -> Result<(), Box<Diagnostic>> {
        let mut header = format!("member {}", quote(&member.id.value));
        let mut last = member.id.span.end;
        if let Some(profile) = &member.profile {
            header.push_str(&format!(" profile {}", quote(&profile.value)));
            last = last.max(profile.span.end);
        }
        if let Some(team) = &member.team {
            header.push_str(&format!(" team {}", quote(&team.value)));
            last = last.max(team.span.end);
        }
        let start = member.span.start as usize;
        if !member.has_block {
            let line = Element::text(start, last as usize, Role::Line, header);
            self.elements.push(line);
            return Ok(());
        }
        header.push_str(" {");
        let brace = self.brace_after(last as usize, member.span)?;
        let open = Element::text(start, brace + 1, Role::Open, header);
        self.block(open, &member.settings, None, brace, member.span)
    }

    /// Pushes a block: its opening line, its items in source order, its `}`.
    fn block(
        &mut self,
        open: Element,
        settings: &[ast::Setting],
        description: Option<&ast::Str>,
        brace: usize,
        span: Span,
    ) -> Result<(), Box<Diagnostic>> {
        let block = self.widths.len();
        let width = settings.iter().map(|s| s.id.chars().count()).max();
        self.widths.push(width.unwrap_or(0));
        self.elements.push(open);
        // The description is an item like the others here, in its source place;
        // it is moved first once comments are attached.
        let mut description = description;
        let mut previous_end = brace + 1;
        for setting in settings {
            if let Some(text) = description.filter(|d| d.span.start < setting.span().start) {
                self.description(text, previous_end);
                description = None;
            }
            let value = match &setting.value {
                ast::Value::Word(word) => word.to_string(),
                _ => self.integer(setting),
            };
            let content = Content::Setting {
                id: setting.id.clone(),
                value,
                block,
            };
            let (start, end) = (setting.span().start as usize, setting.span().end as usize);
            self.elements
                .push(Element::new(start, end, Role::Item, content));
            previous_end = end;
        }
        if let Some(text) = description {
            self.description(text, previous_end);
        }
        let close = (span.end as usize).saturating_sub(1);
        if self.text.as_bytes().get(close) != Some(&b'}') {
            return Err(unexpected(span, "`}`"));
        }
        let end = Element::text(close, close + 1, Role::Close, "}".to_owned());
        self.elements.push(end);
        Ok(())
    }

    /// Pushes a description: its keyword is the first token after `previous_end`.
    fn description(&mut self, text: &ast::Str, previous_end: usize) {
        let end = text.span.end as usize;
        let start = skip_trivia(self.text, previous_end).min(text.span.start as usize);
        let line = format!("description {}", quote(&text.value));
        let mut element = Element::text(start, end, Role::Item, line);
        element.description = true;
        self.elements.push(element);
    }

    /// An integer value as written (`1_000` stays), or as parsed if the source
    /// slice is somehow not digits.
    fn integer(&self, setting: &ast::Setting) -> String {
        match self.text.get(setting.value_span.range()) {
            Some(raw) if !raw.is_empty() && raw.chars().all(|c| c.is_ascii_digit() || c == '_') => {
                raw.to_owned()
            }
            _ => setting.value.to_string(),
        }
    }

    /// The offset of the `{` that follows `at`, past blanks and comments.
    fn brace_after(&self, at: usize, span: Span) -> Result<usize, Box<Diagnostic>> {
        let brace = skip_trivia(self.text, at);
        if self.text.as_bytes().get(brace) == Some(&b'{') {
            Ok(brace)
        } else {
            Err(unexpected(span, "`{`"))
        }
    }
}

/// The first offset at or after `at` that is neither a blank nor in a comment.
pub(super) fn skip_trivia(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b' ' | b'\t' | b'\r' | b'\n' => at += 1,
            b'#' => {
                while bytes.get(at).is_some_and(|&b| b != b'\n' && b != b'\r') {
                    at += 1;
                }
            }
            _ => break,
        }
    }
    at
}

/// A string literal with `"` and `\` escaped, nothing else.
pub(super) fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A parsed tree whose spans do not match the text: a bug, reported, not a panic.
fn unexpected(span: Span, what: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            "syntax",
            span,
            format!("the formatter could not find the {what} of this block"),
        )
        .with_primary("in this block"),
    )
}
