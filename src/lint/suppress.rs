//! Suppression comments: which statement each one is attached to, which
//! diagnostics it silences, and the waivers it leaves for the bundle.
//!
//! A suppression alone on its line applies to the statement that starts on
//! the next line that is not itself a comment line; one at the end of a line
//! applies to the statement that starts on that line. It silences the named
//! rules for diagnostics whose primary span lies inside the statement's
//! scope: a profile's or member's header (name and `extends` clause
//! included), or a whole setting.

use std::collections::BTreeSet;

use super::rules::{unjustified_allow, unused_allow};
use super::{Context, find};
use crate::Waiver;
use crate::config::Level;
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{self, Comment, Statement, Suppression};

/// A valid suppression and the scopes it covers.
struct Active<'a> {
    comment: &'a Comment,
    suppression: &'a Suppression,
    scopes: Vec<Span>,
    /// For each named rule (by index), whether it silenced something.
    used: Vec<bool>,
}

/// Drops the diagnostics that suppressions silence; adds `unjustified-allow`
/// and `unused-allow` findings; returns the rest and the waivers.
pub fn apply(
    cx: &Context<'_>,
    diagnostics: Vec<Diagnostic>,
    has_errors: bool,
) -> (Vec<Diagnostic>, Vec<Waiver>) {
    let mut extra = Vec::new();
    let mut active = Vec::new();
    for file in cx.files {
        let anchors = anchors(cx, file);
        let comment_lines: BTreeSet<usize> = file
            .comments
            .iter()
            .filter(|c| c.own_line)
            .map(|c| line(cx, c.span))
            .collect();
        for comment in &file.comments {
            let Some(suppression) = &comment.suppression else {
                continue;
            };
            if !unjustified_allow::check(comment, suppression, &mut extra) {
                continue;
            }
            let mut target = line(cx, comment.span);
            if comment.own_line {
                target += 1;
                while comment_lines.contains(&target) {
                    target += 1;
                }
            }
            let scopes: Vec<Span> = anchors
                .iter()
                .filter(|(l, _)| *l == target)
                .map(|(_, s)| *s)
                .collect();
            if scopes.is_empty() {
                if !has_errors {
                    extra.push(unused_allow::detached(comment.span));
                }
                continue;
            }
            active.push(Active {
                comment,
                suppression,
                scopes,
                used: vec![false; suppression.rules.len()],
            });
        }
    }
    let mut kept = Vec::with_capacity(diagnostics.len());
    for diagnostic in diagnostics {
        let mut silenced = false;
        if find(diagnostic.rule).is_some_and(|r| !r.is_error()) {
            for a in &mut active {
                if !a
                    .scopes
                    .iter()
                    .any(|s| contains(*s, diagnostic.primary.span))
                {
                    continue;
                }
                for (i, rule) in a.suppression.rules.iter().enumerate() {
                    if rule.name == diagnostic.rule {
                        a.used[i] = true;
                        silenced = true;
                    }
                }
            }
        }
        if !silenced {
            kept.push(diagnostic);
        }
    }
    let mut waivers = Vec::new();
    for a in &active {
        for (rule, used) in a.suppression.rules.iter().zip(&a.used) {
            if *used {
                waivers.push(Waiver {
                    rule: rule.name.clone(),
                    span: a.comment.span,
                    reason: a.suppression.reason.clone().unwrap_or_default(),
                });
            } else if !has_errors && reportable(cx, &rule.name) {
                extra.push(unused_allow::unused(&rule.name, rule.span));
            }
        }
    }
    waivers.sort_by(|a, b| (a.span.key(), &a.rule).cmp(&(b.span.key(), &b.rule)));
    waivers.dedup_by(|a, b| a.span.same_place(&b.span) && a.rule == b.rule);
    kept.extend(extra);
    (kept, waivers)
}

/// Whether an unused mention of `name` is worth reporting: a suppressible
/// rule that is not turned off (others are `unjustified-allow`'s business).
fn reportable(cx: &Context<'_>, name: &str) -> bool {
    find(name).is_some_and(|r| !r.is_error() && !unjustified_allow::is_meta(r.name))
        && cx.settings.level(name) != Level::Off
}

/// Whether `inner` starts inside `outer`.
fn contains(outer: Span, inner: Span) -> bool {
    outer.file == inner.file
        && outer.start <= inner.start
        && inner.start < outer.end.max(outer.start + 1)
}

fn line(cx: &Context<'_>, span: Span) -> usize {
    cx.sources.get(span.file).line_of(span.start as usize)
}

/// Every statement a suppression can attach to: (first line, scope).
fn anchors(cx: &Context<'_>, file: &ast::File) -> Vec<(usize, Span)> {
    let mut out = Vec::new();
    let mut add = |span: Span| out.push((line(cx, span), span));
    for statement in &file.statements {
        match statement {
            Statement::Platform(word) | Statement::Plan(word) => add(word.statement),
            Statement::Settings(block) => {
                add(block.keyword);
                block.settings.iter().for_each(|s| add(s.span));
            }
            Statement::Profile(profile) => {
                add(profile.header);
                if let Some(description) = &profile.description {
                    add(description.span);
                }
                profile.settings.iter().for_each(|s| add(s.span));
            }
            Statement::Member(member) => {
                add(member.header);
                member.settings.iter().for_each(|s| add(s.span));
            }
        }
    }
    out
}
