//! Completion, read from the text before the cursor so that it works on a
//! buffer that does not parse yet: permission ids inside a block, levels
//! after `=`, profile names after `extends` or a member's `profile`, rule
//! names inside `# rolecall: allow(`.

use std::sync::Arc;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, CompletionTextEdit,
    TextEdit,
};

use super::convert;
use super::state::PolicySet;
use super::state::State;
use crate::catalog::{Catalog, Kind, builtin_platform};
use crate::syntax::ast::Statement;

/// What the cursor is in, found by scanning the text before it.
#[derive(Debug, PartialEq, Eq)]
enum Context {
    /// An id at the start of a setting, in a block opened by `keyword`.
    Id { keyword: String, start: usize },
    /// The value of setting `id`.
    Level { id: String, start: usize },
    /// A profile name, replacing `start..end`.
    Profile { start: usize, end: usize },
    /// A rule name in a suppression.
    Rule { start: usize },
}

/// The completions at a position.
pub fn completion(state: &State, params: &CompletionParams) -> Option<CompletionResponse> {
    let at = &params.text_document_position;
    let located = state.locate(&at.text_document.uri)?;
    let text = &located.source.text;
    let offset = convert::offset(located.source, at.position);
    let context = context(text, offset)?;
    let range = |start: usize, end: usize| convert::range(located.source, start, end);
    let item = |label: String, kind, detail: Option<String>, edit: TextEdit, order: usize| {
        CompletionItem {
            label,
            kind: Some(kind),
            detail,
            sort_text: Some(format!("{order:05}")),
            filter_text: Some(edit.new_text.clone()),
            text_edit: Some(CompletionTextEdit::Edit(edit)),
            ..CompletionItem::default()
        }
    };
    let items: Vec<CompletionItem> = match context {
        Context::Id { keyword, start } => {
            let catalog = catalog(located.set)?;
            let limits_only = keyword != "profile";
            catalog
                .iter()
                .filter(|(_, p)| !limits_only || p.kind == Kind::Limit)
                .enumerate()
                .map(|(i, (_, p))| {
                    let edit = TextEdit::new(range(start, offset), p.id.clone());
                    let detail = (!p.label.is_empty()).then(|| p.label.clone());
                    item(p.id.clone(), CompletionItemKind::FIELD, detail, edit, i)
                })
                .collect()
        }
        Context::Level { id, start } => {
            let catalog = catalog(located.set)?;
            let permission = catalog.get(catalog.lookup(&id)?);
            permission
                .levels
                .iter()
                .enumerate()
                .map(|(i, level)| {
                    let edit = TextEdit::new(range(start, offset), level.clone());
                    let default = permission.level(level) == Some(permission.default);
                    let detail = default.then(|| "default".to_owned());
                    item(
                        level.clone(),
                        CompletionItemKind::ENUM_MEMBER,
                        detail,
                        edit,
                        i,
                    )
                })
                .collect()
        }
        Context::Profile { start, end } => profile_names(located.set)
            .into_iter()
            .enumerate()
            .map(|(i, (name, detail))| {
                let quoted = format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""));
                let edit = TextEdit::new(range(start, end), quoted);
                item(name, CompletionItemKind::CLASS, Some(detail), edit, i)
            })
            .collect(),
        Context::Rule { start } => crate::lint::RULES
            .iter()
            .filter(|r| !r.is_error())
            .enumerate()
            .map(|(i, rule)| {
                let edit = TextEdit::new(range(start, offset), rule.name.to_owned());
                let detail = Some(rule.summary.to_owned());
                item(
                    rule.name.to_owned(),
                    CompletionItemKind::KEYWORD,
                    detail,
                    edit,
                    i,
                )
            })
            .collect(),
    };
    Some(CompletionResponse::Array(items))
}

/// The catalog of a set: its resolved model's, else the platform its
/// configuration or one of its files names.
fn catalog(set: &PolicySet) -> Option<Arc<Catalog>> {
    if let Some(model) = set.model_compilation().and_then(|c| c.model.as_ref()) {
        return Some(Arc::clone(&model.catalog));
    }
    if let Some(platform) = set.workspace.platform() {
        return Some(Arc::clone(&platform.catalog));
    }
    let configured = set
        .workspace
        .config()
        .and_then(|c| c.loaded.config.platform.clone());
    let declared = set.workspace.files().find_map(|(_, f)| {
        f.text.lines().find_map(|line| {
            let rest = line.trim_start().strip_prefix("platform")?;
            rest.starts_with(char::is_whitespace)
                .then(|| rest.split_whitespace().next().map(str::to_owned))
                .flatten()
        })
    });
    let name = configured.or(declared)?;
    builtin_platform(&name).map(|p| Arc::clone(&p.catalog))
}

/// Every profile name of the set with a short detail, built-in ones first.
fn profile_names(set: &PolicySet) -> Vec<(String, String)> {
    let mut names: Vec<(String, String)> = Vec::new();
    // The latest model that resolved knows the profiles of files that do
    // not parse at the moment; the latest trees know the newest names.
    if let Some(compilation) = set.model_compilation() {
        for profile in compilation.model.iter().flat_map(|m| &m.profiles) {
            let detail = if profile.builtin {
                "built-in profile".to_owned()
            } else {
                let file = compilation.sources.get(profile.name_span.file);
                format!("profile in {}", file.name)
            };
            names.push((profile.name.clone(), detail));
        }
    }
    if let Some(compilation) = &set.compilation {
        for file in &compilation.files {
            for statement in &file.statements {
                if let Statement::Profile(profile) = statement {
                    let name = &profile.name.value;
                    if !names.iter().any(|(n, _)| n == name) {
                        let shown = compilation.sources.get(file.id).name.clone();
                        names.push((name.clone(), format!("profile in {shown}")));
                    }
                }
            }
        }
    }
    names
}

/// What the cursor at `offset` of `text` is in.
fn context(text: &str, offset: usize) -> Option<Context> {
    let before = text.get(..offset)?;
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = &before[line_start..];
    let (code, comment) = split_comment(line);
    if let Some(comment) = comment {
        let inside = comment
            .trim_start_matches('#')
            .trim_start()
            .strip_prefix("rolecall:")?
            .trim_start()
            .strip_prefix("allow(")?;
        if inside.contains(')') {
            return None;
        }
        let word = inside.len()
            - inside
                .trim_end_matches(|c: char| c.is_ascii_lowercase() || c == '-')
                .len();
        return Some(Context::Rule {
            start: offset - word,
        });
    }
    if let Some(context) = profile_context(text, code, offset) {
        return Some(context);
    }
    let (depth, keyword) = block(&text[..line_start]);
    if let Some((id, value)) = code.split_once('=') {
        let id = id.trim();
        let partial = value.trim_start();
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        if depth > 0 && crate::catalog::valid_id(id) && partial.chars().all(word) {
            return Some(Context::Level {
                id: id.to_owned(),
                start: offset - partial.len(),
            });
        }
        return None;
    }
    let partial = code.trim_start();
    let id_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.';
    if depth > 0 && partial.chars().all(id_char) {
        return Some(Context::Id {
            keyword,
            start: offset - partial.len(),
        });
    }
    None
}

/// A profile name after `extends` (or a comma after it) or a member's
/// `profile`, with the range to replace: the string being typed, closing
/// quote included when the editor inserted it.
fn profile_context(text: &str, code: &str, offset: usize) -> Option<Context> {
    let quotes = code.matches('"').count() - code.matches("\\\"").count();
    let (head, start) = if quotes % 2 == 1 {
        let open = code.rfind('"')?;
        (&code[..open], offset - (code.len() - open))
    } else {
        (code, offset)
    };
    let head = head.trim_end();
    let words: Vec<&str> = head.split_whitespace().collect();
    let after_extends = head.ends_with("extends") && words.last() == Some(&"extends")
        || head.ends_with(',') && words.contains(&"extends");
    let after_profile = words.first() == Some(&"member") && words.last() == Some(&"profile");
    if !after_extends && !after_profile {
        return None;
    }
    let end = if quotes % 2 == 1 && text[offset..].starts_with('"') {
        offset + 1
    } else {
        offset
    };
    Some(Context::Profile { start, end })
}

/// A line's code and its comment, if any (a `#` outside a string).
fn split_comment(line: &str) -> (&str, Option<&str>) {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '#' if !in_string => return (&line[..i], Some(&line[i..])),
            _ => {}
        }
    }
    (line, None)
}

/// The brace depth at the end of `text` and the keyword of the statement
/// whose block is open there.
fn block(text: &str) -> (usize, String) {
    let mut depth = 0usize;
    let mut keyword = String::new();
    for line in text.lines() {
        let (code, _) = split_comment(line);
        // A statement starts with its keyword; a member's `profile` does not count.
        let first = code
            .split(|c: char| !c.is_ascii_alphabetic())
            .find(|w| !w.is_empty());
        if let Some(word) = first.filter(|w| matches!(*w, "profile" | "settings" | "member")) {
            if depth == 0 && code.trim_start().starts_with(word) {
                keyword = word.to_owned();
            }
        }
        let mut in_string = false;
        let mut escaped = false;
        for c in code.chars() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '{' if !in_string => depth += 1,
                '}' if !in_string => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    (depth, keyword)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The context at `|`, and where the replaced text starts: at `^`.
    fn at(marked: &str) -> (Option<Context>, usize) {
        let start = marked.find('^').expect("a start");
        let text = marked.replacen('^', "", 1);
        let offset = text.find('|').expect("a cursor");
        let text = text.replacen('|', "", 1);
        (context(&text, offset), start)
    }

    #[test]
    fn contexts_are_found_in_text_that_does_not_parse() {
        let (found, start) = at("profile \"A\" {\n  contacts.delete = ^t|\n");
        let id = "contacts.delete".to_owned();
        assert_eq!(found, Some(Context::Level { id, start }));
        let (found, start) = at("profile \"A\" {\n  ^cont|");
        let keyword = "profile".to_owned();
        assert_eq!(found, Some(Context::Id { keyword, start }));
        let (found, start) = at("member \"a@b\" profile \"SDR\" {\n  ^|");
        let keyword = "member".to_owned();
        assert_eq!(found, Some(Context::Id { keyword, start }));
        let (found, start) = at("profile \"A\" extends \"B\", ^\"|\" {");
        assert_eq!(
            found,
            Some(Context::Profile {
                start,
                end: start + 2
            })
        );
        let (found, start) = at("member \"a@b\" profile ^|");
        assert_eq!(found, Some(Context::Profile { start, end: start }));
        let (found, start) = at("  x = all  # rolecall: allow(see-all-emails, ^ri|");
        assert_eq!(found, Some(Context::Rule { start }));
        assert_eq!(at("^platform ap|").0, None);
        assert_eq!(at("profile \"A\" { x = 1 }\n^|").0, None);
        assert_eq!(at("profile \"A\" {\n  # a note ^|").0, None);
    }
}
