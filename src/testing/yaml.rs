//! A located YAML tree: every key and value with the byte span it covers,
//! so that an error in a test file points at its line and column.
//!
//! The events of `yaml-rust2`'s parser carry a marker (a character index)
//! for every scalar and collection; this module builds a small tree from
//! them and turns the markers into byte spans of the file. Anchors,
//! aliases, tags and keys that are not plain values are refused: a test
//! file has no use for them, and refusing keeps the tree simple.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span};

/// A YAML node with its place in the file.
#[derive(Clone, Debug)]
pub enum Node {
    /// A scalar: a string, a number or a word, kept as its text.
    Scalar(Scalar),
    /// A mapping, its entries in file order.
    Map(Map),
    /// A sequence.
    Seq(Seq),
}

/// A scalar value.
#[derive(Clone, Debug)]
pub struct Scalar {
    /// The value as YAML reads it (quotes removed, escapes applied).
    pub text: String,
    /// Whether it was written without quotes (so `~` and `null` mean nothing).
    pub plain: bool,
    /// Where it is written.
    pub span: Span,
}

/// A mapping.
#[derive(Clone, Debug)]
pub struct Map {
    /// Keys and values in file order.
    pub entries: Vec<(Scalar, Node)>,
    /// From the first key to the end of the last value.
    pub span: Span,
}

/// A sequence.
#[derive(Clone, Debug)]
pub struct Seq {
    /// The items in file order.
    pub items: Vec<Node>,
    /// From the first item to the end of the last one.
    pub span: Span,
}

impl Node {
    /// Where the node is written.
    pub fn span(&self) -> Span {
        match self {
            Node::Scalar(s) => s.span,
            Node::Map(m) => m.span,
            Node::Seq(s) => s.span,
        }
    }

    /// What the node is, for messages: "a mapping", "a list", "a value".
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Scalar(_) => "a value",
            Node::Map(_) => "a mapping",
            Node::Seq(_) => "a list",
        }
    }

    /// Whether it is a plain `~`, `null` or empty value.
    pub fn is_null(&self) -> bool {
        matches!(self, Node::Scalar(s) if s.plain && matches!(s.text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }
}

impl Map {
    /// The entry with key `key`.
    pub fn get(&self, key: &str) -> Option<(&Scalar, &Node)> {
        self.entries
            .iter()
            .find(|(k, _)| k.text == key)
            .map(|(k, v)| (k, v))
    }
}

/// Parses `text` (file `file`) into a located tree; `None` for a file
/// without any document. A syntax error, or a construct test files do not
/// use, is an error diagnostic at its place.
pub fn parse(file: FileId, text: &str) -> Result<Option<Node>, Box<Diagnostic>> {
    let offsets = CharOffsets::new(text);
    let mut builder = Builder {
        file,
        text,
        offsets: &offsets,
        stack: Vec::new(),
        root: None,
        error: None,
    };
    let mut parser = Parser::new_from_str(text);
    if let Err(error) = parser.load(&mut builder, true) {
        let at = offsets.byte(error.marker().index());
        return Err(Box::new(invalid(
            Span::new(file, at, next_char(text, at)),
            format!("the file is not valid YAML: {}", error.info()),
        )));
    }
    if let Some(error) = builder.error {
        return Err(Box::new(error));
    }
    Ok(builder.root)
}

fn invalid(span: Span, message: String) -> Diagnostic {
    Diagnostic::error("test-file", span, message)
}

/// The byte offset just past the character at `at` (or `at` at the end).
fn next_char(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}

/// Byte offsets of character indices.
struct CharOffsets {
    bytes: Vec<usize>,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        bytes.push(text.len());
        CharOffsets { bytes }
    }

    fn byte(&self, index: usize) -> usize {
        self.bytes
            .get(index)
            .or(self.bytes.last())
            .copied()
            .unwrap_or(0)
    }
}

enum Frame {
    Map {
        start: usize,
        entries: Vec<(Scalar, Node)>,
        key: Option<Scalar>,
    },
    Seq {
        start: usize,
        items: Vec<Node>,
    },
}

struct Builder<'t> {
    file: FileId,
    text: &'t str,
    offsets: &'t CharOffsets,
    stack: Vec<Frame>,
    root: Option<Node>,
    error: Option<Diagnostic>,
}

impl Builder<'_> {
    fn fail(&mut self, at: usize, message: &str) {
        if self.error.is_none() {
            let span = Span::new(self.file, at, next_char(self.text, at));
            self.error = Some(invalid(span, message.to_owned()));
        }
    }

    /// Adds a finished node to the collection being built, or makes it the root.
    fn add(&mut self, node: Node) {
        let mut repeated = None;
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                } else {
                    let at = node.span().start as usize;
                    self.fail(
                        at,
                        "a test file holds one YAML document; this is a second one",
                    );
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => match node {
                    Node::Scalar(scalar) => {
                        if entries.iter().any(|(k, _)| k.text == scalar.text) {
                            repeated = Some((
                                scalar.span.start as usize,
                                format!("`{}` is given twice in this mapping", scalar.text),
                            ));
                        }
                        *key = Some(scalar);
                    }
                    other => {
                        let at = other.span().start as usize;
                        self.fail(at, "a key must be a plain value, not a mapping or a list");
                    }
                },
            },
        }
        if let Some((at, message)) = repeated {
            self.fail(at, &message);
        }
    }

    /// The end of a scalar written at `start` whose value is `value`.
    fn scalar_end(&self, start: usize, value: &str, style: TScalarStyle) -> usize {
        let rest = self.text.get(start..).unwrap_or("");
        let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let line = &rest[..line_end];
        let len = match style {
            TScalarStyle::Plain if line.starts_with(value) => value.len(),
            TScalarStyle::SingleQuoted => quoted_len(line, '\''),
            TScalarStyle::DoubleQuoted => quoted_len(line, '"'),
            _ => line.trim_end().len(),
        };
        start + len.max(usize::from(!line.is_empty()))
    }

    /// The span from `start` to the end of the last thing in `nodes`.
    fn spanning(&self, start: usize, last: Option<Span>) -> Span {
        let end = last.map_or(next_char(self.text, start), |s| s.end as usize);
        Span::new(self.file, start, end.max(start))
    }
}

/// Length of a quoted scalar at the start of `line`, quotes included.
fn quoted_len(line: &str, quote: char) -> usize {
    let mut chars = line.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek().map(|(_, c)| *c) == Some('\'') {
                chars.next();
                continue;
            }
            return i + 1;
        }
    }
    line.trim_end().len()
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        let at = self.offsets.byte(mark.index());
        match event {
            Event::Alias(_) => self.fail(at, "aliases are not supported in test files"),
            Event::Scalar(_, _, anchor, _)
            | Event::SequenceStart(anchor, _)
            | Event::MappingStart(anchor, _)
                if anchor != 0 =>
            {
                self.fail(at, "anchors are not supported in test files");
            }
            Event::Scalar(_, _, _, Some(_))
            | Event::SequenceStart(_, Some(_))
            | Event::MappingStart(_, Some(_)) => {
                self.fail(at, "tags are not supported in test files");
            }
            Event::Scalar(text, style, _, None) => {
                let end = self.scalar_end(at, &text, style);
                let scalar = Scalar {
                    plain: style == TScalarStyle::Plain,
                    span: Span::new(self.file, at, end),
                    text,
                };
                self.add(Node::Scalar(scalar));
            }
            Event::MappingStart(..) => self.stack.push(Frame::Map {
                start: at,
                entries: Vec::new(),
                key: None,
            }),
            Event::SequenceStart(..) => self.stack.push(Frame::Seq {
                start: at,
                items: Vec::new(),
            }),
            Event::MappingEnd => {
                if let Some(Frame::Map { start, entries, .. }) = self.stack.pop() {
                    let last = entries.last().map(|(_, v)| v.span());
                    let span = self.spanning(start, last);
                    self.add(Node::Map(Map { entries, span }));
                }
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq { start, items }) = self.stack.pop() {
                    let last = items.last().map(Node::span);
                    let span = self.spanning(start, last);
                    self.add(Node::Seq(Seq { items, span }));
                }
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Node {
        parse(FileId(0), text)
            .expect("parses")
            .expect("has a document")
    }

    #[test]
    fn a_key_given_twice_is_an_error_at_the_second() {
        let text = "tests: []\ntests:\n  - name: x\n";
        let error = parse(FileId(0), text).expect_err("a repeated key");
        assert_eq!(error.primary.span.start, 10);
        assert_eq!(error.message, "`tests` is given twice in this mapping");
        let nested = "tests:\n  - name: x\n    expect: {a: own}\n    expect: {a: all}\n";
        let error = parse(FileId(0), nested).expect_err("a repeated nested key");
        assert_eq!(&nested[error.primary.span.range()], "e");
        assert!(error.message.contains("`expect`"), "{}", error.message);
    }

    #[test]
    fn a_second_document_is_an_error() {
        let text = "tests: []\n---\ntests: []\n";
        let error = parse(FileId(0), text).expect_err("two documents");
        assert!(error.message.contains("second"), "{}", error.message);
    }

    #[test]
    fn keys_and_values_carry_their_byte_spans() {
        let text = "tests:\n  - name: 'it''s'\n    expect: {a.b: \"x\", c: 3}\n";
        let root = parsed(text);
        let Node::Map(root) = root else {
            panic!("a mapping")
        };
        let (key, tests) = root.get("tests").expect("tests");
        assert_eq!(&text[key.span.range()], "tests");
        let Node::Seq(tests) = tests else {
            panic!("a list")
        };
        let Node::Map(test) = &tests.items[0] else {
            panic!("a mapping")
        };
        let (_, Node::Scalar(name)) = test.get("name").expect("name") else {
            panic!("a value")
        };
        assert_eq!(name.text, "it's");
        assert_eq!(&text[name.span.range()], "'it''s'");
        let (_, Node::Map(expect)) = test.get("expect").expect("expect") else {
            panic!("a mapping")
        };
        let spans: Vec<&str> = expect
            .entries
            .iter()
            .flat_map(|(k, v)| [&text[k.span.range()], &text[v.span().range()]])
            .collect();
        assert_eq!(spans, ["a.b", "\"x\"", "c", "3"]);
    }

    #[test]
    fn spans_are_bytes_after_multibyte_text() {
        let text = "é: ü\nnext: ok\n";
        let Node::Map(root) = parsed(text) else {
            panic!("a mapping")
        };
        let (key, value) = root.get("next").expect("next");
        assert_eq!(&text[key.span.range()], "next");
        assert_eq!(&text[value.span().range()], "ok");
    }

    #[test]
    fn odd_inputs_are_errors_not_panics() {
        for text in [
            "a: &x 1\nb: *x\n",
            "? [a]\n: b\n",
            "a: !tag b\n",
            "a: [b\n",
            "\t- x",
            "a: 'open",
            "",
            "---\n...\n",
            "- - - -",
        ] {
            let _ = parse(FileId(0), text);
        }
        assert!(parse(FileId(0), "a: *x\n").is_err());
        assert!(parse(FileId(0), "").expect("empty is fine").is_none());
    }
}
