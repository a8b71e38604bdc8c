//! The line table of a source file and the conversions between byte offsets
//! and `(line, column)` positions.
//!
//! Line ends are LF, CRLF and a lone CR. Columns count UTF-8 bytes, UTF-16
//! code units or characters ([`Encoding`]); a byte-order mark at the start
//! of the file is not a column, so the first character after it is at
//! column 1 whichever way columns are counted.

/// How a column is counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// UTF-8 bytes.
    Utf8,
    /// UTF-16 code units, as editors speaking the Language Server Protocol count.
    Utf16,
    /// Characters (Unicode scalar values), as the json, sarif and github formats count.
    #[default]
    Char,
}

impl Encoding {
    /// The width of `c` in this encoding's units.
    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Char => 1,
        }
    }

    /// The number of units of `text`.
    fn count(self, text: &str) -> usize {
        match self {
            Encoding::Utf8 => text.len(),
            Encoding::Utf16 => text.chars().map(char::len_utf16).sum(),
            Encoding::Char => text.chars().count(),
        }
    }
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in the units of the [`Encoding`] asked for
    /// (characters unless said otherwise).
    pub column: usize,
}

/// The UTF-8 byte-order mark.
const BOM: char = '\u{FEFF}';

/// Where every line of a text starts, found once when the file is loaded.
///
/// The index holds offsets only; the methods that count columns take the
/// text the index was built from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineIndex {
    /// Offset of the first byte of every line: 0, then the byte after each
    /// line end. Four bytes a line, as spans hold offsets.
    starts: Vec<u32>,
    /// Length of the byte-order mark that opens the text (0 without one).
    bom: usize,
}

impl LineIndex {
    /// The line index of `text`.
    pub fn new(text: &str) -> Self {
        LineIndex {
            starts: line_starts(text),
            bom: if text.starts_with(BOM) {
                BOM.len_utf8()
            } else {
                0
            },
        }
    }

    /// Offsets of the first byte of every line.
    pub fn starts(&self) -> &[u32] {
        &self.starts
    }

    /// Offset of the first byte of 0-based line `line`, when there is one.
    pub fn start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).map(|&s| s as usize)
    }

    /// Number of lines (a text without a line end has one).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line of a byte offset (offsets past the end are on the last line).
    pub fn line_index(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&start| start as usize <= offset)
            .saturating_sub(1)
    }

    /// The first byte of 0-based line `line` that is a column: the line's
    /// start, or the byte after the byte-order mark on the first line.
    fn first_column(&self, line: usize) -> usize {
        let start = self.start(line).unwrap_or(0);
        if line == 0 { start + self.bom } else { start }
    }

    /// One past the last byte of 0-based line `line`, its line end excluded.
    fn content_end(&self, text: &str, line: usize) -> usize {
        let Some(next) = self.start(line + 1) else {
            return text.len();
        };
        let bytes = text.as_bytes();
        // The byte before `next` is the LF or CR that ends the line.
        let mut end = next.saturating_sub(1);
        if bytes.get(end) == Some(&b'\n') && end > 0 && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        end.max(self.first_column(line))
    }

    /// Line and column of byte `offset` of `text`, counted in `encoding`.
    ///
    /// The offset is clamped to the text and moved back to the start of the
    /// character it falls in; an offset inside the byte-order mark is at
    /// column 1.
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_index(offset);
        let start = self.first_column(line).min(offset);
        let column = text.get(start..offset).map_or(0, |s| encoding.count(s));
        LineCol {
            line: line + 1,
            column: column + 1,
        }
    }

    /// The byte offset of `at` in `text`, its column counted in `encoding`.
    ///
    /// Never fails: line 0 is read as line 1 and column 0 as column 1; a
    /// line past the last is the end of the text; a column past the end of
    /// its line is the end of the line (before its line end); a column in
    /// the middle of a character is that character's start.
    pub fn offset(&self, text: &str, at: LineCol, encoding: Encoding) -> usize {
        let line = at.line.saturating_sub(1);
        if line >= self.starts.len() {
            return text.len();
        }
        let start = self.first_column(line).min(text.len());
        let end = self.content_end(text, line).min(text.len());
        let mut left = at.column.saturating_sub(1);
        let mut offset = start;
        for c in text.get(start..end).unwrap_or("").chars() {
            let width = encoding.width(c);
            if width > left {
                break;
            }
            left -= width;
            offset += c.len_utf8();
        }
        offset
    }
}

/// The largest character boundary of `text` at or before `offset`.
fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Offsets of the first byte of every line: 0, then the byte after each line
/// end (LF, CRLF or a lone CR). Counted first, so the table has no spare
/// capacity; offsets past `u32::MAX` are held as `u32::MAX`, as spans hold them.
pub(crate) fn line_starts(text: &str) -> Vec<u32> {
    let mut starts = Vec::with_capacity(1 + line_ends(text).count());
    starts.push(0);
    starts.extend(line_ends(text).map(|end| u32::try_from(end).unwrap_or(u32::MAX)));
    starts
}

/// Offsets of the first byte after each line end (LF, CRLF or a lone CR),
/// found with `memchr`'s vectorised search rather than byte by byte.
fn line_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', bytes).filter_map(move |i| {
        // A CR directly followed by LF ends its line at the LF.
        (bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n')).then_some(i + 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Char];

    fn at(line: usize, column: usize) -> LineCol {
        LineCol { line, column }
    }

    #[test]
    fn columns_in_each_encoding() {
        // `é` is 2 bytes and 1 UTF-16 unit; `😀` is 4 bytes and 2 units.
        let text = "aé😀b\r\nx";
        let index = LineIndex::new(text);
        let b = text.find('b').unwrap_or_default();
        assert_eq!(index.position(text, b, Encoding::Utf8), at(1, 8));
        assert_eq!(index.position(text, b, Encoding::Utf16), at(1, 5));
        assert_eq!(index.position(text, b, Encoding::Char), at(1, 4));
        let x = text.len() - 1;
        for encoding in ENCODINGS {
            assert_eq!(index.position(text, x, encoding), at(2, 1));
        }
    }

    #[test]
    fn the_byte_order_mark_is_no_column() {
        let text = "\u{FEFF}member\nm";
        let index = LineIndex::new(text);
        for encoding in ENCODINGS {
            for offset in 0..=3 {
                assert_eq!(index.position(text, offset, encoding), at(1, 1));
            }
            assert_eq!(index.position(text, 4, encoding), at(1, 2));
            assert_eq!(index.offset(text, at(1, 1), encoding), 3);
            assert_eq!(index.offset(text, at(1, 0), encoding), 3);
            // Only the first line starts after a mark.
            assert_eq!(index.position(text, 10, encoding), at(2, 1));
            assert_eq!(index.offset(text, at(2, 1), encoding), 10);
        }
    }

    #[test]
    fn lines_end_at_lf_crlf_and_a_lone_cr() {
        let text = "a\nb\r\nc\rd";
        let index = LineIndex::new(text);
        assert_eq!(index.starts(), &[0, 2, 5, 7]);
        assert_eq!(index.line_count(), 4);
        let lines: Vec<usize> = (0..text.len()).map(|o| index.line_index(o)).collect();
        assert_eq!(lines, [0, 0, 1, 1, 1, 2, 2, 3]);
        // A column past the end of a line stops before its line end.
        assert_eq!(index.offset(text, at(2, 9), Encoding::Char), 3);
        assert_eq!(index.offset(text, at(3, 9), Encoding::Char), 6);
        assert_eq!(index.offset(text, at(4, 9), Encoding::Char), 8);
    }

    #[test]
    fn positions_past_the_end_clamp() {
        let text = "ab\ncd";
        let index = LineIndex::new(text);
        for encoding in ENCODINGS {
            assert_eq!(index.position(text, 99, encoding), at(2, 3));
            assert_eq!(index.offset(text, at(9, 1), encoding), text.len());
            assert_eq!(index.offset(text, at(0, 0), encoding), 0);
            assert_eq!(index.offset(text, at(1, usize::MAX), encoding), 2);
        }
        let empty = LineIndex::new("");
        assert_eq!(empty.position("", 5, Encoding::Char), at(1, 1));
        assert_eq!(empty.offset("", at(3, 3), Encoding::Utf16), 0);
    }

    #[test]
    fn a_column_inside_a_character_is_its_start() {
        let text = "é😀";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, at(1, 2), Encoding::Utf8), 0);
        assert_eq!(index.offset(text, at(1, 3), Encoding::Utf8), 2);
        assert_eq!(index.offset(text, at(1, 3), Encoding::Utf16), 2);
        assert_eq!(index.offset(text, at(1, 4), Encoding::Utf16), 6);
        // And an offset inside a character is read at its start.
        assert_eq!(index.position(text, 1, Encoding::Char), at(1, 1));
        assert_eq!(index.position(text, 4, Encoding::Utf16), at(1, 2));
    }

    #[test]
    fn offsets_and_positions_round_trip() {
        for text in [
            "",
            "a\nbb\r\nccc\rdddd\n\n\u{e9}e\r\n\r\rx\nlast\n",
            "\u{FEFF}日本\r\n😀 = 1\r",
            "\u{FEFF}",
        ] {
            let index = LineIndex::new(text);
            for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
                // Offsets inside a line end or the mark have no column of their own.
                let line = index.line_index(offset);
                let inside_end = offset > index.content_end(text, line);
                if inside_end || offset < index.bom {
                    continue;
                }
                for encoding in ENCODINGS {
                    let position = index.position(text, offset, encoding);
                    assert_eq!(
                        index.offset(text, position, encoding),
                        offset,
                        "{text:?} {offset} {encoding:?}"
                    );
                }
            }
        }
    }
}
