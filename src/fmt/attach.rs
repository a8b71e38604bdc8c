//! Attaching comments to the elements of the layout, and remembering the
//! blank lines a user put between things.
//!
//! One walk over elements and comments merged by position:
//!
//! - an own-line comment between elements goes before the next element (a
//!   comment before `}` stays inside its block; after the last element it is
//!   kept at the end of the file);
//! - an end-of-line comment stays on the line of the element it follows;
//! - comments in the middle of an element (a statement split over lines)
//!   follow that element: the first one stays at the end of its line if it
//!   was an end-of-line comment, the others move to their own lines after it,
//!   set apart from the next element by a blank line so that a suppression
//!   among them does not start to apply to that element.

use super::layout::{Element, Note, Role};
use crate::syntax::ast::Comment;

/// A comment found inside or right after an element, before it is placed.
struct After {
    text: String,
    own_line: bool,
}

/// Attaches every comment to an element; returns the comments that end the file.
pub(super) fn attach(elements: &mut [Element], comments: &[Comment], text: &str) -> Vec<Note> {
    let mut after: Vec<Vec<After>> = Vec::new();
    after.resize_with(elements.len(), Vec::new);
    let mut pending: Vec<Note> = Vec::new();
    let mut last_end = 0;
    let mut next_comment = 0;
    for index in 0..=elements.len() {
        let limit = elements.get(index).map_or(usize::MAX, |e| e.start);
        while let Some(comment) = comments.get(next_comment) {
            let (start, end) = (comment.span.start as usize, comment.span.end as usize);
            if start >= limit {
                break;
            }
            next_comment += 1;
            let body = comment.text(text).trim_end().to_owned();
            let current = index.checked_sub(1).filter(|&i| {
                let element = &elements[i];
                start < element.end || !comment.own_line
            });
            match current {
                Some(i) => after[i].push(After {
                    text: body,
                    own_line: comment.own_line,
                }),
                None => pending.push(Note {
                    text: body,
                    blank: blank_between(text, last_end, start),
                }),
            }
            last_end = last_end.max(end);
        }
        let Some(element) = elements.get_mut(index) else {
            break;
        };
        element.blank = blank_between(text, last_end, element.start);
        element.notes = std::mem::take(&mut pending);
        last_end = last_end.max(element.end);
    }
    let mut tail = pending;
    for (index, found) in after.into_iter().enumerate() {
        let mut found = found.into_iter().peekable();
        if let Some(first) = found.next_if(|c| !c.own_line) {
            elements[index].trailing = Some(first.text);
        }
        let mut moved: Vec<Note> = found
            .map(|c| Note {
                text: c.text,
                blank: false,
            })
            .collect();
        if moved.is_empty() {
            continue;
        }
        // Placed where they will be found again when the output is parsed:
        // before the next element, or at the end of the file. A blank line
        // after them keeps them apart from the next element: in the source
        // they were no comment of it, and a suppression among them must not
        // start to silence it.
        let target = match elements.get_mut(index + 1) {
            Some(next) => {
                if next.notes.is_empty() {
                    next.blank = true;
                }
                &mut next.notes
            }
            None => &mut tail,
        };
        if let Some(first) = target.first_mut() {
            first.blank = true;
        }
        moved.append(target);
        *target = moved;
    }
    tail
}

/// Whether the source between `from` and `to` holds at least two line ends.
fn blank_between(text: &str, from: usize, to: usize) -> bool {
    let Some(between) = text.get(from..to) else {
        return false;
    };
    let bytes = between.as_bytes();
    let line_ends = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    line_ends >= 2
}

/// Moves each profile's description (with its comments) first in its block.
///
/// It is followed by a blank line when the source had one right before or
/// right after it.
pub(super) fn hoist_descriptions(elements: &mut [Element]) {
    let mut open = None;
    for index in 0..elements.len() {
        match elements[index].role {
            Role::Open => open = Some(index),
            Role::Close => open = None,
            _ => {}
        }
        let Some(open) = open.filter(|_| elements[index].description) else {
            continue;
        };
        let first = open + 1;
        let before = index != first && first_blank(&elements[index]);
        let after = elements
            .get(index + 1)
            .filter(|next| next.role != Role::Close || !next.notes.is_empty())
            .is_some_and(first_blank);
        elements[first..=index].rotate_right(1);
        if let Some(next) = elements.get_mut(first + 1) {
            match next.notes.first_mut() {
                Some(note) => note.blank = before || after,
                None => next.blank = before || after,
            }
        }
    }
}

/// Whether a blank line came before an element or its first comment.
fn first_blank(element: &Element) -> bool {
    element.notes.first().map_or(element.blank, |n| n.blank)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_count_every_line_end_style() {
        assert!(blank_between("a\n\nb", 1, 3));
        assert!(blank_between("a\r\n\r\nb", 1, 5));
        assert!(blank_between("a\r\rb", 1, 3));
        assert!(!blank_between("a\r\nb", 1, 3));
        assert!(!blank_between("ab", 2, 1));
    }
}
