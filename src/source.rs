//! Source files, their ids and the byte spans that point into them.
//!
//! Spans are owned and `Copy`: a file id plus a byte range. Line and column
//! are computed only when a diagnostic is rendered, from the file's one
//! [`LineIndex`].

mod lines;

use std::sync::Arc;

pub(crate) use lines::line_starts;
pub use lines::{Encoding, LineCol, LineIndex};

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range in one source file.
///
/// Two spans are equal when they cover the same bytes of the same file.
/// Trees that must compare equal whatever their layout (the formatter's
/// round trip) are compared with their spans taken out, by the syntax
/// stage's `File::without_spans`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file the range is in.
    pub file: FileId,
    /// First byte of the range.
    pub start: u32,
    /// One past the last byte of the range.
    pub end: u32,
}

impl Span {
    /// A span over `start..end` of `file`.
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start: to_u32(start),
            end: to_u32(end),
        }
    }

    /// Whether two spans cover the same bytes of the same file: `==`, kept
    /// for the callers that predate it.
    pub fn same_place(&self, other: &Span) -> bool {
        self == other
    }

    /// The smallest span covering both `self` and `other` (same file).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The byte range as `usize` offsets.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    /// Whether the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// Sort key: file, then position.
    pub fn key(&self) -> (FileId, u32, u32) {
        (self.file, self.start, self.end)
    }
}

fn to_u32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// One loaded source file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in output: a relative path with `/`, or `prelude:NAME`.
    pub name: String,
    /// The full text (a BOM, if any, is kept so that spans stay byte-exact).
    pub text: Arc<str>,
    /// Found on first use, which for a policy file is its parse, so the
    /// files of a set are indexed on every core.
    lines: std::sync::OnceLock<LineIndex>,
}

impl SourceFile {
    /// A source file named `name` with `text`.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
            lines: std::sync::OnceLock::new(),
        }
    }

    /// The file's line index.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// Line and character column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.position(offset, Encoding::Char)
    }

    /// Line and column of a byte offset, the column counted in `encoding`
    /// (clamped to the text; see [`LineIndex::position`]).
    pub fn position(&self, offset: usize, encoding: Encoding) -> LineCol {
        self.lines().position(&self.text, offset, encoding)
    }

    /// The byte offset of a line and column counted in `encoding` (clamped
    /// to the text; see [`LineIndex::offset`]).
    pub fn offset(&self, at: LineCol, encoding: Encoding) -> usize {
        self.lines().offset(&self.text, at, encoding)
    }

    /// 1-based line number of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines().line_index(offset.min(self.text.len())) + 1
    }
}

/// miette reads a span of plain text by scanning it from its first byte, so
/// every snippet would cost the text before it, and merging the snippets of
/// many labels (which rereads the growing merged span) would cost their
/// square. This gives the same contents as miette's reader, computed from
/// the line-start table by binary search: line ends are LF, CRLF (counted at
/// its LF) and a lone CR in both. One thing differs on purpose: the column,
/// which miette prints in the header of a snippet, counts characters (and no
/// byte-order mark) where miette's reader counts bytes.
impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let bytes = self.text.as_bytes();
        let lines = self.lines();
        let starts = lines.starts();
        // Number of line ends before byte `at` (a CRLF counts at its LF).
        let ends_before = |at: usize| starts.partition_point(|&s| s as usize <= at) - 1;
        let (offset, len) = (span.offset(), span.len());
        // The line ends before the span: the index of the line it starts on.
        let before = ends_before(offset);
        let start_line = before.saturating_sub(context_lines_before);
        let last = offset.saturating_add(len).saturating_sub(1);
        // The first byte at or past the span's end (the LF of a CRLF there).
        let tail = (last < bytes.len()).then(|| {
            if bytes[last] == b'\r' && bytes.get(last + 1) == Some(&b'\n') {
                last + 1
            } else {
                last
            }
        });
        // Where the text is cut after the span: just past `tail`, or after
        // `context_lines_after` more line ends than the first one past it.
        let end = match tail {
            None if last > bytes.len() => return Err(miette::MietteError::OutOfBounds),
            None => bytes.len(),
            Some(tail) if context_lines_after == 0 => tail + 1,
            Some(tail) => {
                // The first line end after `tail`, as an index into `starts`.
                let next = starts.partition_point(|&s| s as usize <= tail + 1);
                lines
                    .start(next.saturating_add(context_lines_after))
                    .unwrap_or(bytes.len())
            }
        };
        let line_count = ends_before(end);
        let (start, column) = if context_lines_before == 0 {
            let line_start = lines.start(before).unwrap_or(0);
            // Bytes of the span's line before it; a CR whose LF starts the
            // span is read as the line end, and a line end after the span
            // resets the count, as in miette's reader.
            let mut column = offset.min(bytes.len()).saturating_sub(line_start);
            if offset > 0
                && bytes.get(offset - 1) == Some(&b'\r')
                && bytes.get(offset) == Some(&b'\n')
            {
                column = column.saturating_sub(1);
            }
            if let Some(tail) = tail
                && context_lines_after > 0
                && line_count > ends_before(tail + 1)
            {
                column = 0;
            }
            // miette shows this column in the snippet's header: count it in
            // characters, after any byte-order mark, as the other formats do.
            let column = self.position(line_start + column, Encoding::Char).column - 1;
            (offset, column)
        } else {
            (lines.start(start_line).unwrap_or(0), 0)
        };
        let data = bytes
            .get(start..end)
            .ok_or(miette::MietteError::OutOfBounds)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            data,
            miette::SourceSpan::new(start.into(), end - start),
            start_line,
            column,
            line_count,
        )))
    }
}

/// Ids from here up name files shared by every compilation of the process
/// (the built-in platforms' preludes); policy files get ids below.
pub const SHARED_IDS: u32 = u32::MAX - 64;

/// Every file of a compilation, indexed by [`FileId`].
///
/// Ids are stable names for files, not positions: a workspace keeps a file's
/// id while its text changes, so a map may have gaps where files were
/// removed. Files are shared (`Arc`) with the workspace they came from, so a
/// compilation holds no second copy of the text or of its line table.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<Option<Arc<SourceFile>>>,
    shared: Vec<(FileId, Arc<SourceFile>)>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        SourceMap::default()
    }

    /// Adds a file under the next free id and returns the id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> FileId {
        self.push(SourceFile::new(name, text))
    }

    /// Adds a file made beforehand under the next free id and returns the id.
    pub fn push(&mut self, file: SourceFile) -> FileId {
        let id = FileId(to_u32(self.files.len()));
        self.files.push(Some(Arc::new(file)));
        id
    }

    /// Puts `file` under `id`, replacing any file there.
    pub fn insert(&mut self, id: FileId, file: Arc<SourceFile>) {
        if id.0 >= SHARED_IDS {
            self.shared.retain(|(other, _)| *other != id);
            self.shared.push((id, file));
            return;
        }
        let index = id.0 as usize;
        if self.files.len() <= index {
            self.files.resize(index + 1, None);
        }
        self.files[index] = Some(file);
    }

    /// The file with id `id`.
    ///
    /// Ids are only ever made together with their file, so a missing id is a
    /// bug; it reads as an empty, unnamed file rather than a panic.
    pub fn get(&self, id: FileId) -> &SourceFile {
        self.find(id).unwrap_or_else(|| empty_file())
    }

    /// The file with id `id`, when the map has it.
    pub fn find(&self, id: FileId) -> Option<&SourceFile> {
        if id.0 >= SHARED_IDS {
            return self
                .shared
                .iter()
                .find(|(other, _)| *other == id)
                .map(|(_, f)| f.as_ref());
        }
        self.files.get(id.0 as usize)?.as_deref()
    }

    /// The text a span covers (empty if the span is out of range).
    pub fn snippet(&self, span: Span) -> &str {
        self.get(span.file).text.get(span.range()).unwrap_or("")
    }

    /// Line and column of the start of a span.
    pub fn start(&self, span: Span) -> LineCol {
        self.get(span.file).line_col(span.start as usize)
    }

    /// 1-based line of the start of a span, without counting columns.
    pub fn line(&self, span: Span) -> usize {
        self.get(span.file).line_of(span.start as usize)
    }

    /// Line and column of the end of a span.
    pub fn end(&self, span: Span) -> LineCol {
        self.get(span.file).line_col(span.end as usize)
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.iter().flatten().count() + self.shared.len()
    }

    /// Whether the map holds no file.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every file with its id, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        let mut shared: Vec<(FileId, &SourceFile)> = self
            .shared
            .iter()
            .map(|(id, f)| (*id, f.as_ref()))
            .collect();
        shared.sort_by_key(|(id, _)| *id);
        self.files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((FileId(to_u32(i)), f.as_deref()?)))
            .chain(shared)
    }
}

/// The file a missing id reads as.
fn empty_file() -> &'static SourceFile {
    static EMPTY: std::sync::OnceLock<SourceFile> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| SourceFile::new("", ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_lines_accept_crlf() {
        let file = SourceFile::new("a.perm", "ab\r\né = 1\rx");
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(4), LineCol { line: 2, column: 1 });
        // `é` is two bytes but one column.
        assert_eq!(file.line_col(6), LineCol { line: 2, column: 2 });
        assert_eq!(file.line_col(11), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn snippets_read_from_the_line_table_match_a_read_from_the_start() {
        for text in [
            "a\nbb\r\nccc\rdddd\n\n\u{e9}e\r\n\r\rx\nlast\n",
            "a\r\nb\r\n",
            "x\ry\r",
            "\u{FEFF}日本 = 1\r\nb",
        ] {
            read_like_miette(text);
        }
    }

    /// The column of miette's reader, counted in characters after any
    /// byte-order mark rather than in bytes.
    fn char_column(text: &str, contents: &dyn miette::SpanContents<'_>) -> usize {
        let start = LineIndex::new(text).start(contents.line()).unwrap_or(0);
        let bytes = contents.column();
        let line = &text[start..];
        line.char_indices()
            .filter(|&(i, c)| {
                i + c.len_utf8() <= bytes && !(start == 0 && i == 0 && c == '\u{FEFF}')
            })
            .count()
    }

    fn read_like_miette(text: &str) {
        use miette::{SourceCode, SourceSpan};
        let file = SourceFile::new("a.perm", text);
        for offset in 0..=text.len() + 1 {
            for len in [0, 1, 2, 3, 9] {
                for (before, after) in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 3), (5, 5), (0, 4)] {
                    let span = SourceSpan::new(offset.into(), len);
                    if offset + len > text.len() {
                        continue;
                    }
                    let expected = text.read_span(&span, before, after);
                    let got = file.read_span(&span, before, after);
                    match (expected, got) {
                        (Ok(e), Ok(g)) => {
                            let what = (offset, len, before, after);
                            assert_eq!(e.data(), g.data(), "{what:?}");
                            assert_eq!(e.span(), g.span(), "{what:?}");
                            assert_eq!(e.line(), g.line(), "{what:?}");
                            assert_eq!(char_column(text, &*e), g.column(), "{what:?}");
                            assert_eq!(e.line_count(), g.line_count(), "{what:?}");
                            assert_eq!(g.name(), Some("a.perm"));
                        }
                        (Err(_), Err(_)) => {}
                        (e, g) => {
                            panic!(
                                "{offset} {len} {before} {after}: {:?} {:?}",
                                e.is_ok(),
                                g.is_ok()
                            )
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn spans_are_equal_only_at_the_same_place() {
        let a = Span::new(FileId(0), 1, 2);
        assert_eq!(a, Span::new(FileId(0), 1, 2));
        assert_ne!(a, Span::new(FileId(1), 1, 2));
        assert_ne!(a, Span::new(FileId(0), 1, 3));
        assert_ne!(a, Span::new(FileId(0), 0, 2));
        assert!(a.same_place(&a));
        assert!(!a.same_place(&Span::new(FileId(0), 5, 9)));
    }

    #[test]
    fn line_of_agrees_with_line_col_everywhere() {
        let file = SourceFile::new("a.perm", "ab\r\né = 1\rx\n\n");
        for offset in 0..=file.text.len() + 2 {
            assert_eq!(file.line_of(offset), file.line_col(offset).line, "{offset}");
        }
    }
}
