//! The linter: warning rules over the resolved model, their configured
//! severities, and the suppression comments that silence them.
//!
//! ```text
//!   Model ──► rules/* ──► suppress ──► severities ──► diagnostics, waivers
//! ```
//!
//! Rules only look at profiles and members written by users, never at the
//! platform's prelude. Each rule reports at the statement that causes it: a
//! profile's own setting, or its `extends` clause (with a label at the
//! ancestor's setting) when the value is inherited.

mod errors;
mod registry;
pub mod rules;
mod settings;
mod suppress;

use rayon::prelude::*;

use crate::catalog::PermId;
use crate::diagnostics::{Diagnostic, Severity};
use crate::load::config::Level;
use crate::resolve::{Model, Profile, Provenance};
use crate::source::{SourceMap, Span};
use crate::syntax::ast;

pub use registry::{RULES, Rule, find, suggest};
pub use settings::{LintSettings, config_problems};

/// What the rules look at.
pub struct Context<'a> {
    /// The resolved set.
    pub model: &'a Model,
    /// The users' parsed files.
    pub files: &'a [std::sync::Arc<ast::File>],
    /// Every source, for line numbers.
    pub sources: &'a SourceMap,
    /// Thresholds and severities.
    pub settings: &'a LintSettings,
}

/// A suppression comment that silenced a diagnostic: kept in the bundle so
/// that reviewers see every accepted risk with its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiver {
    /// The rule silenced.
    pub rule: String,
    /// The suppression comment.
    pub span: Span,
    /// The reason written in the comment.
    pub reason: String,
}

/// The linter's findings.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Diagnostics left after suppressions, with configured severities.
    pub diagnostics: Vec<Diagnostic>,
    /// Suppressions that silenced something.
    pub waivers: Vec<Waiver>,
}

/// Runs every enabled rule, applies suppressions and severities.
///
/// `has_errors` tells whether the compiler found errors: they can hide what a
/// suppression would silence, so `unused-allow` stays quiet then.
pub fn lint(cx: &Context<'_>, has_errors: bool) -> Outcome {
    // The rules read the model only: they run on every core, and their
    // findings are joined in the rules' order, as one after another would.
    let found: Vec<Diagnostic> = rules::CHECKS
        .par_iter()
        .filter(|(rule, _)| cx.settings.level(rule.name) != Level::Off)
        .map(|(_, check)| {
            let mut found = Vec::new();
            check(cx, &mut found);
            found
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect();
    let (mut diagnostics, waivers) = suppress::apply(cx, found, has_errors);
    diagnostics.retain_mut(|d| {
        let severity = match cx.settings.level(d.rule) {
            Level::Off => return false,
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Note => Severity::Note,
        };
        d.severity = severity;
        true
    });
    Outcome {
        diagnostics,
        waivers,
    }
}

/// The statement a finding about a profile's effective value reports at:
/// the profile's own setting, its `extends` clause (or header) when an
/// ancestor sets the value, its name when the value is the catalog default.
pub(crate) fn reported_at(profile: &Profile, provenance: Provenance) -> Span {
    match provenance {
        Provenance::Own { span, .. } | Provenance::MemberLimit { span } => span,
        Provenance::Inherited { .. } => profile.extends_span.unwrap_or(profile.header),
        Provenance::Default { .. } => profile.name_span,
    }
}

/// `` `id = value` `` for messages.
pub fn setting_text(model: &Model, perm: PermId, value: u64) -> String {
    let permission = model.catalog.get(perm);
    format!("`{} = {}`", permission.id, permission.display(value))
}

/// Members whose profile is admin-equivalent, in file order.
pub fn admin_members(model: &Model) -> Vec<&crate::resolve::Member> {
    model
        .members
        .iter()
        .filter(|m| m.profile.is_some_and(|p| model.profile(p).admin_equivalent))
        .collect()
}
