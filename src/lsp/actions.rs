//! Formatting and quick fixes.
//!
//! Formatting answers one edit replacing the document with what
//! `rolecall fmt` writes. Code actions offer, for each diagnostic of the
//! latest check under the cursor: the "did you mean" replacements of its
//! help, and for a warning a suppression comment with a reason to fill in.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, DocumentFormattingParams,
    TextEdit, WorkspaceEdit,
};

use super::convert;
use super::state::State;
use crate::diagnostics::{Diagnostic, Severity};
use crate::source::SourceFile;

/// The edits that format a document; none when it is formatted already or
/// does not parse.
pub fn formatting(state: &State, params: &DocumentFormattingParams) -> Option<Vec<TextEdit>> {
    let located = state.locate(&params.text_document.uri)?;
    let text = &located.source.text;
    let formatted = crate::fmt::format(located.id, text).ok()?;
    if formatted == **text {
        return Some(Vec::new());
    }
    Some(vec![TextEdit::new(
        convert::whole(located.source),
        formatted,
    )])
}

/// The quick fixes for the diagnostics in the requested range.
pub fn code_actions(state: &State, params: &CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
    let uri = &params.text_document.uri;
    let located = state.locate(uri)?;
    let compilation = located.set.compilation.as_ref()?;
    let source = located.source;
    let mut actions = Vec::new();
    let here = compilation
        .diagnostics
        .iter()
        .filter(|d| d.primary.span.file == located.id)
        .filter(|d| convert::overlaps(convert::span_range(source, d.primary.span), params.range));
    for found in here {
        let shown = convert::diagnostic(compilation, located.set, found).map(|(_, d)| vec![d]);
        let edit = |edit: TextEdit| WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
            ..WorkspaceEdit::default()
        };
        for (title, change, preferred) in fixes(source, found) {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: shown.clone(),
                edit: Some(edit(change)),
                is_preferred: Some(preferred),
                ..CodeAction::default()
            }));
        }
    }
    Some(actions)
}

/// Each fix of one diagnostic: a title, its edit and whether it is the
/// one to prefer.
fn fixes(source: &SourceFile, found: &Diagnostic) -> Vec<(String, TextEdit, bool)> {
    let mut out = Vec::new();
    let span = found.primary.span;
    let written = source.text.get(span.range()).unwrap_or("");
    if let (Some(help), Some(wrong)) = (&found.help, first_quoted(&found.message)) {
        let suggestions = if help.starts_with("did you mean") {
            quoted(help)
        } else if found.rule == "invalid-value" {
            // The help lists the accepted levels after the id.
            let levels = quoted(help).into_iter().skip(1);
            crate::diagnostics::nearest(wrong, levels, 3)
        } else {
            Vec::new()
        };
        if let Some(at) = written.find(wrong) {
            let start = span.start as usize + at;
            let range = convert::range(source, start, start + wrong.len());
            for (i, suggestion) in suggestions.iter().enumerate() {
                let edit = TextEdit::new(range, (*suggestion).to_owned());
                out.push((format!("replace with `{suggestion}`"), edit, i == 0));
            }
        }
    }
    let warning_rule = crate::lint::find(found.rule).is_some_and(|r| !r.is_error());
    if found.severity != Severity::Error && warning_rule {
        let before = source.text.get(..span.start as usize).unwrap_or("");
        let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let indent: String = source
            .text
            .get(line_start..)
            .unwrap_or("")
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        let newline = crate::fmt::line_ending(&source.text);
        let comment = format!(
            "{indent}# rolecall: allow({}) \"reason\"{newline}",
            found.rule
        );
        let at = convert::range(source, line_start, line_start);
        out.push((
            format!("suppress `{}` here, with a reason", found.rule),
            TextEdit::new(at, comment),
            false,
        ));
    }
    out
}

/// Every `quoted` word of a text.
fn quoted(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// The first `quoted` word of a text.
fn first_quoted(text: &str) -> Option<&str> {
    quoted(text).into_iter().next()
}
