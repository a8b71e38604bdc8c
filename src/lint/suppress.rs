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
use super::{Context, Waiver, find};
use crate::diagnostics::Diagnostic;
use crate::load::config::Level;
use crate::source::{FileId, Span};
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
        let mut anchors = anchors(cx, file);
        // By line, keeping source order within a line, for binary search.
        anchors.sort_by_key(|&(line, _)| line);
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
            let from = anchors.partition_point(|&(l, _)| l < target);
            let scopes: Vec<Span> = anchors[from..]
                .iter()
                .take_while(|&&(l, _)| l == target)
                .map(|&(_, s)| s)
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
    let scopes = ScopeIndex::new(&active);
    let mut kept = Vec::with_capacity(diagnostics.len());
    let mut covering = Vec::new();
    for diagnostic in diagnostics {
        let mut silenced = false;
        if find(diagnostic.rule).is_some_and(|r| !r.is_error()) {
            scopes.covering(diagnostic.primary.span, &mut covering);
            for &index in &covering {
                let a = &mut active[index];
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

/// The scopes of the active suppressions, sorted by file and start, so that
/// finding those a diagnostic starts in costs a binary search, not a walk
/// over every suppression.
struct ScopeIndex {
    /// (file, start, end, index into the active suppressions); an empty
    /// scope covers its first byte.
    scopes: Vec<(FileId, u32, u32, usize)>,
    /// For each scope, the greatest end among it and the scopes before it.
    reach: Vec<(FileId, u32)>,
}

impl ScopeIndex {
    fn new(active: &[Active<'_>]) -> Self {
        let mut scopes: Vec<(FileId, u32, u32, usize)> = active
            .iter()
            .enumerate()
            .flat_map(|(i, a)| {
                a.scopes
                    .iter()
                    .map(move |s| (s.file, s.start, s.end.max(s.start.saturating_add(1)), i))
            })
            .collect();
        scopes.sort_unstable();
        let mut reach = Vec::with_capacity(scopes.len());
        let mut far = (FileId(0), 0);
        for &(file, _, end, _) in &scopes {
            far = if far.0 == file {
                (file, far.1.max(end))
            } else {
                (file, end)
            };
            reach.push(far);
        }
        ScopeIndex { scopes, reach }
    }

    /// The active suppressions with a scope that `span` starts in, each once,
    /// in increasing order.
    fn covering(&self, span: Span, out: &mut Vec<usize>) {
        out.clear();
        let at = (span.file, span.start);
        let mut i = self
            .scopes
            .partition_point(|&(file, start, _, _)| (file, start) <= at);
        while i > 0 {
            i -= 1;
            let (file, _, end, index) = self.scopes[i];
            if file != span.file || self.reach[i].1 <= span.start {
                break;
            }
            if span.start < end {
                out.push(index);
            }
        }
        out.sort_unstable();
        out.dedup();
    }
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
                block.settings.iter().for_each(|s| add(s.span()));
            }
            Statement::Profile(profile) => {
                add(profile.header);
                if let Some(description) = &profile.description {
                    add(description.span);
                }
                profile.settings.iter().for_each(|s| add(s.span()));
            }
            Statement::Member(member) => {
                add(member.header);
                member.settings.iter().for_each(|s| add(s.span()));
            }
        }
    }
    out
}
