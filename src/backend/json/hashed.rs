//! A JSON writer that makes two texts from the same events: the pretty
//! text (two-space indentation, as serde_json writes it), kept or sent to a
//! sink as it is made, and the compact text, hashed with SHA-256 as it is
//! written and never held. Parts of an object can be written on other
//! threads and appended in order by an [`Appender`]. It knows nothing of
//! bundles: [`super::stream`] drives it with the bundle's plan.

use std::io::Write;

use sha2::{Digest, Sha256};

use super::bundle;

/// `"sha256:"` and 64 hex digits.
const REVISION_LEN: usize = 7 + 64;

/// `text` as a JSON string, escaped as serde_json escapes it.
pub(super) fn quoted(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 2);
    escape_into(&mut out, text);
    out
}

/// Appends `text` as a JSON string: quotes, backslashes and control
/// characters escaped (`\b`, `\t`, `\n`, `\f`, `\r`, else `\u00XX` in lower
/// case), everything else as it is, as serde_json does.
pub(super) fn escape_into(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    out.push(b'"');
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x09 => b"\\t",
            0x0a => b"\\n",
            0x0c => b"\\f",
            0x0d => b"\\r",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        start = i + 1;
        if escape.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xf)]);
        } else {
            out.extend_from_slice(escape);
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Appends the decimal digits of `n`.
pub(super) fn number_into(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// An object key at a known depth with what comes before it, as
/// [`Out::key`] writes it, made once: `[first entry, later entry]`.
pub(super) struct FixedKey {
    quoted: Vec<u8>,
    depth: usize,
    pretty: [Vec<u8>; 2],
    compact: [Vec<u8>; 2],
}

impl FixedKey {
    pub(super) fn new(quoted: &[u8], depth: usize) -> Self {
        let pretty = |separator: &[u8]| {
            let mut text = separator.to_vec();
            text.resize(text.len() + 2 * depth, b' ');
            text.extend_from_slice(quoted);
            text.extend_from_slice(b": ");
            text
        };
        let compact = |separator: &[u8]| [separator, quoted, b":"].concat();
        FixedKey {
            quoted: quoted.to_vec(),
            depth,
            pretty: [pretty(b"\n"), pretty(b",\n")],
            compact: [compact(b""), compact(b",")],
        }
    }
}

/// A part of the profiles: its pretty text and its compact text.
pub(super) type Part = (Vec<u8>, Vec<u8>);

/// The two writers fed by the same events: the pretty text (when kept) and
/// the compact canonical text, hashed in blocks.
pub(super) struct Out<'s> {
    pretty: Option<Vec<u8>>,
    /// Where the revision's placeholder starts in the pretty text.
    revision_at: Option<usize>,
    compact: Vec<u8>,
    /// `None` for a part, whose compact text is hashed where it is appended.
    hasher: Option<Sha256>,
    /// For each open object or array, whether it has an entry yet.
    nonempty: Vec<bool>,
    /// Where the pretty text goes as it is made, when not kept.
    sink: Option<&'s mut (dyn Write + Send)>,
    /// The sink's first failure; nothing more is written after it.
    error: Option<std::io::Error>,
}

/// What appends the parts of the profiles, in order, on a thread of its
/// own: the hasher, and the kept text or the sink.
pub(super) struct Appender<'s> {
    hasher: Option<Sha256>,
    text: Option<Vec<u8>>,
    sink: Option<&'s mut (dyn Write + Send)>,
    error: Option<std::io::Error>,
}

impl Appender<'_> {
    pub(super) fn append(&mut self, text: &[u8], compact: &[u8]) {
        if let Some(hasher) = &mut self.hasher {
            hasher.update(compact);
        }
        match (&mut self.sink, &mut self.text) {
            (Some(sink), _) => {
                if self.error.is_none()
                    && let Err(error) = sink.write_all(text)
                {
                    self.error = Some(error);
                }
            }
            (None, Some(kept)) => kept.extend_from_slice(text),
            (None, None) => {}
        }
    }
}

pub(super) const BLOCK: usize = 1 << 16;

impl<'s> Out<'s> {
    pub(super) fn new(pretty: Option<Vec<u8>>) -> Self {
        Out {
            pretty,
            revision_at: None,
            compact: Vec::with_capacity(BLOCK + 4096),
            hasher: Some(Sha256::new()),
            nonempty: Vec::with_capacity(8),
            sink: None,
            error: None,
        }
    }

    /// The writer, sending its pretty text to `sink` as it is made.
    pub(super) fn with_sink(mut self, sink: &'s mut (dyn Write + Send)) -> Self {
        self.sink = Some(sink);
        self
    }

    /// Whether the pretty text is written (kept or sent), not the compact alone.
    pub(super) fn keeps_text(&self) -> bool {
        self.pretty.is_some()
    }

    /// How many objects and arrays are open.
    pub(super) fn depth(&self) -> usize {
        self.nonempty.len()
    }

    /// Records that the innermost open object has entries, written as parts
    /// elsewhere.
    pub(super) fn mark_nonempty(&mut self) {
        if let Some(nonempty) = self.nonempty.last_mut() {
            *nonempty = true;
        }
    }

    /// The pretty and compact text of a part made by [`Out::part`].
    pub(super) fn into_part(self) -> Part {
        (self.pretty.unwrap_or_default(), self.compact)
    }

    /// A writer of entries of an object open at `depth` (counting it) that
    /// already has entries, into the given (empty) buffers.
    pub(super) fn part(pretty: Option<Vec<u8>>, compact: Vec<u8>, depth: usize) -> Self {
        Out {
            pretty,
            revision_at: None,
            compact,
            hasher: None,
            nonempty: vec![true; depth],
            sink: None,
            error: None,
        }
    }

    /// Hands the hasher and the text so far to an [`Appender`], after
    /// hashing the compact text so far and sending the pretty text so far to
    /// the sink (unless the revision's placeholder is in it).
    pub(super) fn appender(&mut self) -> Appender<'s> {
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&self.compact);
            self.compact.clear();
        }
        let streaming = self.sink.is_some() && self.revision_at.is_none();
        let mut appender = Appender {
            hasher: self.hasher.take(),
            text: None,
            sink: None,
            error: self.error.take(),
        };
        if streaming {
            if let Some(text) = &mut self.pretty {
                appender.sink = self.sink.take();
                appender.append(text, b"");
                text.clear();
            }
        } else {
            appender.text = self.pretty.take();
        }
        appender
    }

    /// Takes back what [`Out::appender`] handed over.
    pub(super) fn take_back(&mut self, appender: Appender<'s>) {
        self.hasher = appender.hasher;
        self.error = appender.error;
        if let Some(text) = appender.text {
            self.pretty = Some(text);
        }
        if appender.sink.is_some() {
            self.sink = appender.sink;
        }
    }

    /// Makes the next entry the first of its object.
    pub(super) fn first_entry(&mut self) {
        if let Some(last) = self.nonempty.last_mut() {
            *last = false;
        }
    }

    pub(super) fn hash_full_blocks(&mut self) {
        if self.compact.len() >= BLOCK {
            if let Some(hasher) = &mut self.hasher {
                hasher.update(&self.compact);
                self.compact.clear();
            }
        }
    }

    /// Starts an entry of the innermost object or array: a separator and,
    /// in the pretty text, a new line and the indentation.
    pub(super) fn entry(&mut self) {
        let depth = self.nonempty.len();
        let first = match self.nonempty.last_mut() {
            Some(nonempty) => !std::mem::replace(nonempty, true),
            None => true,
        };
        if !first {
            self.compact.push(b',');
        }
        if let Some(pretty) = &mut self.pretty {
            pretty.extend_from_slice(if first { b"\n" } else { b",\n" });
            pretty.resize(pretty.len() + 2 * depth, b' ');
        }
    }

    pub(super) fn open(&mut self, bracket: u8) {
        self.compact.push(bracket);
        if let Some(pretty) = &mut self.pretty {
            pretty.push(bracket);
        }
        self.nonempty.push(false);
    }

    pub(super) fn close(&mut self, bracket: u8) {
        let nonempty = self.nonempty.pop().unwrap_or(false);
        self.compact.push(bracket);
        if let Some(pretty) = &mut self.pretty {
            if nonempty {
                pretty.push(b'\n');
                pretty.resize(pretty.len() + 2 * self.nonempty.len(), b' ');
            }
            pretty.push(bracket);
        }
        self.hash_full_blocks();
    }

    /// An object key, quoted and escaped.
    pub(super) fn key(&mut self, quoted: &[u8]) {
        self.entry();
        self.compact.extend_from_slice(quoted);
        self.compact.push(b':');
        if let Some(pretty) = &mut self.pretty {
            pretty.extend_from_slice(quoted);
            pretty.extend_from_slice(b": ");
        }
    }

    /// The key `key`, as [`Out::key`] writes it, from its prepared text.
    pub(super) fn fixed_key(&mut self, key: &FixedKey) {
        if self.nonempty.len() != key.depth {
            return self.key(&key.quoted);
        }
        let first = match self.nonempty.last_mut() {
            Some(nonempty) => !std::mem::replace(nonempty, true),
            None => true,
        };
        let which = usize::from(!first);
        self.compact.extend_from_slice(&key.compact[which]);
        if let Some(pretty) = &mut self.pretty {
            pretty.extend_from_slice(&key.pretty[which]);
        }
    }

    pub(super) fn key_str(&mut self, key: &str) {
        self.entry();
        let start = self.compact.len();
        escape_into(&mut self.compact, key);
        if let Some(pretty) = &mut self.pretty {
            pretty.extend_from_slice(&self.compact[start..]);
            pretty.extend_from_slice(b": ");
        }
        self.compact.push(b':');
    }

    /// Starts an element of an array.
    pub(super) fn item(&mut self) {
        self.entry();
    }

    /// A value already in JSON form.
    pub(super) fn raw_value(&mut self, json: &[u8]) {
        self.compact.extend_from_slice(json);
        if let Some(pretty) = &mut self.pretty {
            pretty.extend_from_slice(json);
        }
        self.hash_full_blocks();
    }

    pub(super) fn string(&mut self, text: &str) {
        let start = self.compact.len();
        escape_into(&mut self.compact, text);
        if let Some(pretty) = &mut self.pretty {
            pretty.extend_from_slice(&self.compact[start..]);
        }
        self.hash_full_blocks();
    }

    pub(super) fn number(&mut self, n: u64) {
        let start = self.compact.len();
        number_into(&mut self.compact, n);
        if let Some(pretty) = &mut self.pretty {
            pretty.extend_from_slice(&self.compact[start..]);
        }
    }

    /// The `revision` entry, in the pretty text only, with room for the
    /// digest.
    pub(super) fn revision_placeholder(&mut self) {
        let Some(pretty) = &mut self.pretty else {
            return;
        };
        let depth = self.nonempty.len();
        let first = match self.nonempty.last_mut() {
            Some(nonempty) => !std::mem::replace(nonempty, true),
            None => true,
        };
        pretty.extend_from_slice(if first { b"\n" } else { b",\n" });
        pretty.resize(pretty.len() + 2 * depth, b' ');
        pretty.extend_from_slice(b"\"revision\": \"");
        self.revision_at = Some(pretty.len());
        pretty.resize(pretty.len() + REVISION_LEN, b'0');
        pretty.push(b'"');
    }

    /// The pretty text with its revision and final newline, and the revision.
    pub(super) fn finish(self) -> (Option<Vec<u8>>, String) {
        let mut hasher = self.hasher.unwrap_or_default();
        hasher.update(&self.compact);
        let revision = bundle::hex_digest(&hasher.finalize());
        let mut pretty = self.pretty;
        if let Some(text) = &mut pretty {
            if let Some(at) = self.revision_at {
                text[at..at + REVISION_LEN].copy_from_slice(revision.as_bytes());
            }
            text.push(b'\n');
        }
        (pretty, revision)
    }

    /// Like [`Out::finish`], sending the rest of the text to the sink; the
    /// revision and the sink's first failure.
    pub(super) fn finish_into_sink(mut self) -> (String, Option<std::io::Error>) {
        let sink = self.sink.take();
        let mut error = self.error.take();
        let (text, revision) = self.finish();
        if let (Some(sink), Some(text), None) = (sink, text, &error) {
            if let Err(failure) = sink.write_all(&text).and_then(|()| sink.flush()) {
                error = Some(failure);
            }
        }
        (revision, error)
    }
}
