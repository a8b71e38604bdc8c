//! Syntax errors: pest's error turned into a `syntax` diagnostic that says
//! what was expected and what was found, with a hint for common slips.

use pest::error::{ErrorVariant, InputLocation};

use super::Rule;
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span};

/// Turns pest's error into a `syntax` diagnostic saying what was expected.
pub(super) fn syntax_error(
    file: FileId,
    text: &str,
    error: &pest::error::Error<Rule>,
) -> Diagnostic {
    let offset = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let found = found_at(text, offset);
    let span = Span::new(file, offset, offset + found.len);
    let mut expected: Vec<String> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives
            .iter()
            .filter_map(|r| describe(*r))
            .map(str::to_owned)
            .collect(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.sort();
    expected.dedup();
    let expected_text = match expected.as_slice() {
        [] => "unexpected input".to_owned(),
        [one] => format!("expected {one}"),
        [init @ .., last] => format!("expected {} or {last}", init.join(", ")),
    };
    let message = format!("{expected_text}, found {}", found.what);
    let label = format!("unexpected {}", found.what);
    let help = hint(text, offset, &expected);
    Diagnostic::error("syntax", span, message)
        .with_primary(label)
        .with_help_opt(help)
}

/// A short description of what a grammar rule stands for in an error.
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "the end of the file",
        Rule::platform_decl | Rule::kw_platform => "`platform`",
        Rule::plan_decl | Rule::kw_plan => "`plan`",
        Rule::settings_block | Rule::kw_settings => "`settings`",
        Rule::profile_block | Rule::kw_profile | Rule::member_profile => "`profile`",
        Rule::member_decl | Rule::kw_member => "`member`",
        Rule::kw_extends | Rule::extends_clause => "`extends`",
        Rule::kw_description | Rule::description => "`description`",
        Rule::kw_team | Rule::member_team => "`team`",
        Rule::open_brace | Rule::member_body => "`{`",
        Rule::close_brace => "`}`",
        Rule::comma => "`,`",
        Rule::equals => "`=`",
        Rule::perm_id | Rule::setting => "a permission id",
        Rule::integer | Rule::word => "a value",
        Rule::name => "a name",
        Rule::string | Rule::string_inner => "a string",
        _ => return None,
    })
}

/// What stands where parsing failed.
struct Found {
    /// How the message names it.
    what: String,
    /// Its length in bytes, for the span.
    len: usize,
}

/// The token at `offset`: a word, one character, a line end or the end of the file.
fn found_at(text: &str, offset: usize) -> Found {
    let rest = text.get(offset..).unwrap_or("");
    let Some(first) = rest.chars().next() else {
        return Found {
            what: "the end of the file".to_owned(),
            len: 0,
        };
    };
    if first == '\n' || first == '\r' {
        return Found {
            what: "the end of the line".to_owned(),
            len: 0,
        };
    }
    let token: &str = if first.is_alphanumeric() || first == '_' {
        let end = rest
            .char_indices()
            .take_while(|(_, c)| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
            .take(40)
            .last()
            .map_or(first.len_utf8(), |(i, c)| i + c.len_utf8());
        &rest[..end]
    } else {
        &rest[..first.len_utf8()]
    };
    Found {
        what: format!("`{}`", token.escape_debug()),
        len: token.len(),
    }
}

/// A fix suggestion for common slips.
fn hint(text: &str, offset: usize, expected: &[String]) -> Option<String> {
    let rest = text.get(offset..).unwrap_or("");
    let wants = |what: &str| expected.iter().any(|e| e == what);
    if rest.starts_with('"') && wants("a string") {
        return Some("strings stay on one line and only `\\\"` and `\\\\` are escapes".to_owned());
    }
    if wants("a value") {
        return Some(
            "values are `allow`, `deny`, a level name such as `team`, or an integer".to_owned(),
        );
    }
    if rest.starts_with(|c: char| c.is_ascii_uppercase()) && wants("a permission id") {
        return Some("permission ids are lower case, e.g. `emails.visibility`".to_owned());
    }
    if wants("`}`") && rest.is_empty() {
        return Some("a block is not closed: add the missing `}`".to_owned());
    }
    None
}
