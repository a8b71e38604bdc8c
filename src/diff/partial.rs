//! An old side with errors, compared for what of it resolved: the diff of
//! a pull request that repairs a broken base still shows what it changes.
//!
//! A profile resolved when it has effective values, no error lies in its
//! statement and every ancestor resolved; a member resolved when no error
//! lies in its statement and its profile resolved. An error outside every
//! profile and member statement (a syntax error the parser could not place,
//! an unknown platform) leaves nothing known to be whole, and so does a set
//! of which no custom profile and no member resolved: such a side is not
//! compared at all.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::Compilation;
use crate::diagnostics::{Diagnostic, Severity};
use crate::resolve::Model;
use crate::source::Span;
use crate::text::plural;

/// What an old side with errors leaves out of the comparison.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Partial {
    /// The old side's errors.
    pub errors: usize,
    /// Profiles left out (unresolved on the old side), by name.
    pub profiles: Vec<String>,
    /// Members left out (unresolved on the old side, or holding a profile
    /// left out on either side), by id.
    pub members: Vec<String>,
}

impl Partial {
    /// What is left out, in a sentence, each name written by `name`:
    /// "the old side is partial (1 error): left out 2 profiles (A, B) and
    /// 1 member (c)".
    pub fn sentence(&self, name: impl Fn(&str) -> String) -> String {
        let list = |names: &[String], word: &str| {
            let mut shown: Vec<String> = names.iter().take(NAMES).map(|n| name(n)).collect();
            if names.len() > NAMES {
                shown.push(format!("and {} more", names.len() - NAMES));
            }
            let count = plural(names.len(), word);
            if names.is_empty() {
                count
            } else {
                format!("{count} ({})", shown.join(", "))
            }
        };
        format!(
            "the old side is partial ({}): left out {} and {}",
            plural(self.errors, "error"),
            list(&self.profiles, "profile"),
            list(&self.members, "member"),
        )
    }
}

/// Names listed before "and N more".
const NAMES: usize = 8;

/// The errors of `compilation`.
pub fn errors(compilation: &Compilation) -> impl Iterator<Item = &Diagnostic> {
    compilation
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
}

/// What of the model of `compilation`, which has errors, did not resolve;
/// `None` when too little is known to compare any of it.
pub fn unresolved(compilation: &Compilation) -> Option<Partial> {
    let model = compilation.model.as_ref()?;
    let errors: Vec<Span> = errors(compilation).map(|d| d.primary.span).collect();
    let statements = statements(model);
    let inside = |error: &Span, statement: &Span| {
        error.file == statement.file
            && statement.start <= error.start
            && error.start < statement.end.max(statement.start + 1)
    };
    let placed = |error: &Span| statements.iter().any(|s| inside(error, s));
    if !errors.iter().all(placed) {
        return None;
    }
    let broken = |span: &Span| errors.iter().any(|e| inside(e, span));
    let mut bad: Vec<bool> = model
        .profiles
        .iter()
        .map(|p| p.effective.is_none() || profile_span(p).is_some_and(|s| broken(&s)))
        .collect();
    // An ancestor's error reaches every descendant; as many rounds as there
    // are profiles settle the longest chain.
    for _ in 0..model.profiles.len() {
        let mut changed = false;
        for (i, profile) in model.profiles.iter().enumerate() {
            if !bad[i] && profile.parents.iter().any(|p| bad[p.0 as usize]) {
                bad[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let profiles: BTreeSet<String> = model
        .profiles
        .iter()
        .zip(&bad)
        .filter(|(_, bad)| **bad)
        .map(|(p, _)| p.name.clone())
        .collect();
    let members: BTreeSet<String> = model
        .members
        .iter()
        .filter(|m| broken(&m.span) || m.profile.is_none_or(|p| bad[p.0 as usize]))
        .map(|m| m.id.clone())
        .collect();
    let custom_left = model
        .profiles
        .iter()
        .zip(&bad)
        .any(|(p, bad)| !p.builtin && !bad);
    if !custom_left && members.len() == model.members.len() {
        return None;
    }
    Some(Partial {
        errors: errors.len(),
        profiles: profiles.into_iter().collect(),
        members: members.into_iter().collect(),
    })
}

/// The span of a profile's whole statement, when its tree is known.
fn profile_span(profile: &crate::resolve::Profile) -> Option<Span> {
    let (file, index) = profile.tree.as_ref()?;
    file.statements.get(*index as usize).map(|s| s.span())
}

/// Every profile and member statement of the model, for placing errors.
fn statements(model: &Model) -> Vec<Span> {
    let profiles = model
        .profiles
        .iter()
        .map(|p| profile_span(p).unwrap_or(p.header));
    profiles
        .chain(model.members.iter().map(|m| m.span))
        .collect()
}
