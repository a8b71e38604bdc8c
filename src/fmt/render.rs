//! Printing the layout: indentation, aligned `=`, blank lines and comments.

use super::layout::{Content, Element, Note, Role};

/// Two spaces per level of nesting.
const INDENT: &str = "  ";

/// The lines of the canonical text, without line ends; `""` is a blank line.
pub(super) fn lines(elements: &[Element], tail: &[Note], widths: &[usize]) -> Vec<String> {
    let mut out = Vec::with_capacity(elements.len() * 2 + tail.len());
    // At the start of the file or of a block no blank line is printed.
    let mut at_start = true;
    let mut previous_was_block: Option<bool> = None;
    for element in elements {
        let starts_statement = matches!(element.role, Role::Line | Role::Open);
        let is_block = element.role == Role::Open;
        // Top-level blocks are set apart by one blank line, before their comments.
        let forced = starts_statement && previous_was_block.is_some_and(|p| p || is_block);
        let note_depth = usize::from(element.role != Role::Line && element.role != Role::Open);
        for (k, note) in element.notes.iter().enumerate() {
            if !at_start && (note.blank || (forced && k == 0)) {
                out.push(String::new());
            }
            out.push(comment_line(note_depth, &note.text));
            at_start = false;
        }
        let blank = element.blank || (forced && element.notes.is_empty());
        if blank && !at_start && element.role != Role::Close {
            out.push(String::new());
        }
        let depth = usize::from(element.role == Role::Item);
        let mut line = INDENT.repeat(depth);
        match &element.content {
            Content::Text(text) => line.push_str(text),
            Content::Setting { id, value, block } => {
                let width = widths.get(*block).copied().unwrap_or(0);
                line.push_str(&format!("{id:<width$} = {value}"));
            }
        }
        if let Some(comment) = &element.trailing {
            line.push_str("  #");
            line.push_str(comment);
        }
        out.push(line);
        at_start = is_block;
        if starts_statement {
            previous_was_block = Some(is_block);
        }
    }
    for note in tail {
        if note.blank && !at_start {
            out.push(String::new());
        }
        out.push(comment_line(0, &note.text));
        at_start = false;
    }
    out
}

fn comment_line(depth: usize, text: &str) -> String {
    format!("{}#{text}", INDENT.repeat(depth))
}
