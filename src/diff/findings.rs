//! Warnings introduced and resolved, matched by what they are about.
//!
//! A finding's identity is its rule, the profile or member it concerns and
//! the permission it is about — never its line, so moving or reformatting a
//! statement neither resolves nor introduces anything. The subject is the
//! statement the finding points into (for a suppression comment, the
//! statement it is attached to); the permission is the setting it points
//! at, else the one its message names. Set-wide rules (`min-admins`,
//! `too-many-admins`) have neither. Findings with the same identity are
//! matched one for one.

use std::collections::HashMap;
use std::sync::Arc;

use super::types::Findings;
use crate::Compilation;
use crate::catalog::Catalog;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::render::JsonDiagnostic;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{self, Statement};

/// A warning of one side, with its identity.
#[derive(Debug)]
pub struct Finding {
    /// The rule.
    pub rule: &'static str,
    /// `profile NAME`, `member ID` or `settings`, when the finding has one.
    pub subject: Option<String>,
    /// The permission id, when the finding is about one.
    pub permission: Option<String>,
    /// The diagnostic, as `check --format json` writes it.
    pub diagnostic: JsonDiagnostic,
}

impl Finding {
    fn key(&self) -> (&str, Option<&str>, Option<&str>) {
        (
            self.rule,
            self.subject.as_deref(),
            self.permission.as_deref(),
        )
    }
}

/// Every diagnostic of an error-free compilation, with its identity.
pub fn findings(compilation: &Compilation, catalog: &Catalog) -> Vec<Finding> {
    compilation
        .diagnostics
        .iter()
        .map(|d| {
            let (subject, permission) = identity(d, compilation, catalog);
            Finding {
                rule: d.rule,
                subject,
                permission,
                diagnostic: JsonDiagnostic::new(d, &compilation.sources),
            }
        })
        .collect()
}

/// The findings of `new` without a match in `old` (introduced) and the
/// other way round (resolved), each in its side's order.
pub fn compare(old: Vec<Finding>, new: Vec<Finding>) -> Findings {
    let unmatched = |of: &[Finding], against: &[Finding]| -> Vec<bool> {
        let mut counts: HashMap<_, usize> = HashMap::new();
        for finding in against {
            *counts.entry(finding.key()).or_insert(0) += 1;
        }
        of.iter()
            .map(|f| match counts.get_mut(&f.key()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            })
            .collect()
    };
    let keep_new = unmatched(&new, &old);
    let keep_old = unmatched(&old, &new);
    let pick = |side: Vec<Finding>, keep: Vec<bool>| {
        side.into_iter()
            .zip(keep)
            .filter(|(_, keep)| *keep)
            .map(|(f, _)| f.diagnostic)
            .collect()
    };
    Findings {
        introduced: pick(new, keep_new),
        resolved: pick(old, keep_old),
    }
}

fn identity(
    diagnostic: &Diagnostic,
    compilation: &Compilation,
    catalog: &Catalog,
) -> (Option<String>, Option<String>) {
    if matches!(diagnostic.rule, "min-admins" | "too-many-admins") {
        return (None, None);
    }
    let span = diagnostic.primary.span;
    let file = compilation.files.iter().find(|f| f.id == span.file);
    let statement = file.and_then(|f| statement_at(f, span, &compilation.sources));
    let subject = statement.and_then(|s| match s {
        Statement::Profile(p) => Some(format!("profile {}", p.name.value)),
        Statement::Member(m) => Some(format!("member {}", m.id.value)),
        Statement::Settings(_) => Some("settings".to_owned()),
        Statement::Platform(_) | Statement::Plan(_) => None,
    });
    // A comment before a statement is attached to its header, not to a
    // setting.
    let settings = match statement {
        Some(s) if s.span().start > span.start => None,
        Some(Statement::Profile(p)) => Some(p.settings.as_slice()),
        Some(Statement::Member(m)) => Some(m.settings.as_slice()),
        Some(Statement::Settings(s)) => Some(s.settings.as_slice()),
        _ => None,
    };
    let permission = file
        .zip(settings)
        .and_then(|(file, settings)| setting_at(file, settings, span, &compilation.sources))
        .map(|s| s.id.to_string())
        .or_else(|| named_permission(&diagnostic.message, catalog))
        .or_else(|| (diagnostic.rule == "see-all-emails").then(|| "emails.visibility".to_owned()));
    (subject, permission)
}

/// The statement `span` lies in; for a comment outside every statement,
/// the one starting on its line or the next one (a suppression's target).
fn statement_at<'f>(
    file: &'f Arc<ast::File>,
    span: Span,
    sources: &SourceMap,
) -> Option<&'f Statement> {
    let at = span.start;
    let inside = file.statements.iter().find(|s| {
        let range = s.span();
        range.start <= at && at < range.end.max(range.start.saturating_add(1))
    });
    if inside.is_some() {
        return inside;
    }
    let line = |offset: u32| sources.get(span.file).line_of(offset as usize);
    let here = line(at);
    file.statements
        .iter()
        .rev()
        .find(|s| s.span().end <= at && line(s.span().start) == here)
        .or_else(|| file.statements.iter().find(|s| s.span().start >= at))
}

/// The setting `span` lies in, or the one a suppression comment at `span`
/// is attached to: the setting on its line, or for a comment alone on its
/// line the next one.
fn setting_at<'s>(
    file: &ast::File,
    settings: &'s [ast::Setting],
    span: Span,
    sources: &SourceMap,
) -> Option<&'s ast::Setting> {
    let at = span.start;
    let inside = |s: Span| s.start <= at && at < s.end.max(s.start.saturating_add(1));
    if let Some(setting) = settings.iter().find(|s| inside(s.span())) {
        return Some(setting);
    }
    let comment = file.comments.iter().find(|c| inside(c.span))?;
    if comment.own_line {
        return settings.iter().find(|s| s.span().start > comment.span.end);
    }
    let source = sources.get(span.file);
    let line = source.line_of(at as usize);
    settings
        .iter()
        .find(|s| source.line_of(s.span().start as usize) == line)
}

/// The first permission id the message names in backticks (`id` or
/// `id = value`).
fn named_permission(message: &str, catalog: &Catalog) -> Option<String> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|quoted| quoted.split(" = ").next().unwrap_or(quoted).trim())
        .find(|id| catalog.lookup(id).is_some())
        .map(str::to_owned)
}
