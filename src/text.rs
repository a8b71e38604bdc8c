//! Small text helpers shared by every output: pretty JSON, counted nouns,
//! lists of names, markdown and XML escaping and ANSI painting.
//!
//! This is a leaf: it uses no other module of the crate, so the backend, the
//! renderers and the consumers can all lean on it without reaching into each
//! other.

use serde::Serialize;
use std::fmt::Write as _;

/// `value` as pretty JSON (two-space indentation) with a final newline.
pub fn pretty_json(value: &impl Serialize) -> String {
    // The values rendered here are plain data, whose serialisation to a
    // string cannot fail; an empty document would show it if it did.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// `1 file`, `3 files`: a count with its noun in the right number.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Names as code, separated by commas: `` `a`, `b` ``.
pub fn code_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub mod markdown;

/// `text` escaped for XML text and attribute values; characters XML 1.0
/// cannot hold are left out.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => {
                let _ = write!(out, "&#{};", c as u32);
            }
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// ANSI painting of terminal text.
pub mod ansi {
    /// `text` in the SGR style `code` (`"1"` bold, `"31"` red...) when
    /// `color` is on, else as it is.
    pub fn paint(color: bool, text: &str, code: &str) -> String {
        if color {
            format!("\u{1b}[{code}m{text}\u{1b}[0m")
        } else {
            text.to_owned()
        }
    }

    /// `text` without the SGR escapes [`paint`] adds.
    pub fn strip(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut escape = false;
        for c in text.chars() {
            match (escape, c) {
                (false, '\u{1b}') => escape = true,
                (true, 'm') => escape = false,
                (true, _) => {}
                (false, c) => out.push(c),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plural_counts() {
        assert_eq!(plural(0, "file"), "0 files");
        assert_eq!(plural(1, "file"), "1 file");
        assert_eq!(plural(2, "member"), "2 members");
    }

    #[test]
    fn code_list_joins_names_as_code() {
        assert_eq!(code_list(&["a", "b"]), "`a`, `b`");
        assert_eq!(code_list(&[]), "");
    }

    #[test]
    fn xml_escapes_and_drops_what_xml_cannot_hold() {
        assert_eq!(xml("<a & 'b'>\n"), "&lt;a &amp; &apos;b&apos;&gt;&#10;");
        assert_eq!(xml("a\u{1b}b\tc"), "ab&#9;c");
    }

    #[test]
    fn painting_round_trips_through_strip() {
        let painted = ansi::paint(true, "risky", "31");
        assert_eq!(painted, "\u{1b}[31mrisky\u{1b}[0m");
        assert_eq!(ansi::strip(&painted), "risky");
        assert_eq!(ansi::paint(false, "risky", "31"), "risky");
    }

    #[test]
    fn pretty_json_ends_with_a_newline() {
        assert_eq!(
            pretty_json(&serde_json::json!({"a": 1})),
            "{\n  \"a\": 1\n}\n"
        );
    }
}
