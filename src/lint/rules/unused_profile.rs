//! `unused-profile`: a profile nobody holds or builds on.

use crate::diagnostics::{Diagnostic, Subject};
use crate::lint::Context;
use crate::lint::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a custom profile that no member holds and no profile extends,
    /// when the policy set declares members (a set of profiles only, shared
    /// by several workspaces, is left alone).
    ///
    /// ## Why is this bad?
    /// Unused profiles still sit in the vendor's admin screens, get picked by
    /// mistake for new hires, and make every access review longer. Often they
    /// are what is left of a team or contractor that is gone.
    ///
    /// ## Example
    /// ```text
    /// profile "Summer Interns" extends "Non-admin" { deals.view = deny }
    /// member "ana@acme.com" profile "SDR"
    /// ```
    /// Delete the profile, or assign it:
    /// ```text
    /// member "ian@acme.com" profile "Summer Interns"
    /// ```
    pub static RULE = "unused-profile", Warning, "a custom profile has no members and no descendants";
}

/// Reports custom profiles without members or children.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    if model.members.is_empty() {
        return;
    }
    // One pass over members and parents, not one per profile.
    let mut used = vec![false; model.profiles.len()];
    let held = model.members.iter().filter_map(|m| m.profile);
    let extended = model
        .profiles
        .iter()
        .flat_map(|p| p.parents.iter().copied());
    for id in held.chain(extended) {
        used[id.0 as usize] = true;
    }
    for (id, profile) in model.custom_profiles() {
        if used[id.0 as usize] {
            continue;
        }
        out.push(
            Diagnostic::warning(
                RULE.name,
                profile.name_span,
                format!(
                    "profile `{}` has no members and no profile extends it",
                    profile.name
                ),
            )
            .with_primary("unused")
            .with_subject(Subject::profile(&profile.name))
            .with_help("remove the profile, or give it to the members who need it"),
        );
    }
}
