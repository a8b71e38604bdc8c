//! `redundant-setting`: a setting repeats what would be inherited anyway.

use crate::diagnostics::{Diagnostic, Subject};
use crate::lint::registry::declare_rule;
use crate::lint::{Context, setting_text};

declare_rule! {
    /// ## What it does
    /// Reports a profile setting equal to the value the profile would
    /// inherit without it (the join of its parents, or the catalog default
    /// without parents), and a member limit equal to its profile's value.
    ///
    /// ## Why is this bad?
    /// The line changes nothing today but reads like a decision. When the
    /// parent later changes, the copy silently pins the old value, and
    /// reviewers cannot tell what a profile really adds.
    ///
    /// ## Example
    /// ```text
    /// profile "SDR" extends "Non-admin" {
    ///   prospecting.search = allow
    ///   enrichment.waterfall = allow
    /// }
    /// ```
    /// `Non-admin` already allows `prospecting.search`; keep only what differs:
    /// ```text
    /// profile "SDR" extends "Non-admin" {
    ///   enrichment.waterfall = allow
    /// }
    /// ```
    pub static RULE = "redundant-setting", Warning, "a setting equals the value it would inherit anyway";
}

/// Reports redundant profile settings and member limits.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    for (id, profile) in model.custom_profiles() {
        let Some(view) = model.view(id) else {
            continue;
        };
        for own in &profile.own {
            let inherited = view.inherited(own.perm);
            if own.value != inherited.value {
                continue;
            }
            let from = inherited.from.and_then(|p| model.view(p));
            let setting = setting_text(model, own.perm, own.value);
            let (message, note) = match from {
                Some(parent) => (
                    format!(
                        "{setting} is what profile `{}` inherits from `{}` anyway",
                        profile.name,
                        parent.profile().name
                    ),
                    "the inherited value is set here".to_owned(),
                ),
                None => (format!("{setting} is the catalog default"), String::new()),
            };
            let subject =
                Subject::profile(&profile.name).permission(&model.catalog.get(own.perm).id);
            let mut diagnostic = Diagnostic::warning(RULE.name, profile.own_span(own), message)
                .with_primary("changes nothing")
                .with_subject(subject)
                .with_help("remove the setting");
            // The label points at the winning parent's setting, when it has one.
            if let Some(span) = from.and_then(|p| p.get(own.perm).provenance.span()) {
                diagnostic = diagnostic.with_label(span, note);
            }
            out.push(diagnostic);
        }
    }
    for member in &model.members {
        let Some(view) = model.member_view(member).profile() else {
            continue;
        };
        let profile = view.profile();
        for limit in &member.limits {
            if view.value(limit.perm) != limit.value {
                continue;
            }
            out.push(
                Diagnostic::warning(
                    RULE.name,
                    limit.span,
                    format!(
                        "{} is what member `{}` gets from profile `{}` anyway",
                        setting_text(model, limit.perm, limit.value),
                        member.id,
                        profile.name
                    ),
                )
                .with_primary("changes nothing")
                .with_subject(
                    Subject::member(&member.id).permission(&model.catalog.get(limit.perm).id),
                )
                .with_help("remove the setting"),
            );
        }
    }
}
