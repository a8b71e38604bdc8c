//! The formatter: a policy file's text in canonical form.
//!
//! The file is parsed, its statements laid out one element per line
//! ([`layout`]), every comment attached to the element it belongs to
//! ([`attach`]), and the lines printed ([`render`]). Nothing here prints or
//! touches the disk; `rolecall fmt` does. The layout is described in
//! `docs/formatting.md`.

mod attach;
mod layout;
mod render;

use crate::diagnostics::{Diagnostic, Severity};
use crate::source::FileId;
use crate::syntax;

/// The UTF-8 byte-order mark, kept when a file starts with it.
const BOM: char = '\u{FEFF}';

/// Formats the text of policy file `file`.
///
/// Returns the canonical text, or the file's syntax errors: a file that does
/// not parse cleanly is never formatted.
pub fn format(file: FileId, text: &str) -> Result<String, Vec<Diagnostic>> {
    let (tree, found) = syntax::parse(file, text).map_err(|error| vec![*error])?;
    let errors: Vec<Diagnostic> = found
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let (mut elements, widths) = layout::elements(&tree, text).map_err(|error| vec![*error])?;
    let tail = attach::attach(&mut elements, &tree.comments, text);
    attach::hoist_descriptions(&mut elements);
    let lines = render::lines(&elements, &tail, &widths);
    let newline = line_ending(text);
    let mut out = String::with_capacity(text.len() + text.len() / 8 + 8);
    if text.starts_with(BOM) {
        out.push(BOM);
    }
    for line in lines {
        out.push_str(&line);
        out.push_str(newline);
    }
    Ok(out)
}

/// The line end of the output: CRLF when the first line of `text` ends with
/// one, LF otherwise.
pub fn line_ending(text: &str) -> &'static str {
    match text.find(['\n', '\r']) {
        Some(i) if text[i..].starts_with("\r\n") => "\r\n",
        _ => "\n",
    }
}

#[cfg(test)]
mod tests;
