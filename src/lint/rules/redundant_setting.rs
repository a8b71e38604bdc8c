//! `redundant-setting`: a setting repeats what would be inherited anyway.

use crate::catalog::PermId;
use crate::diagnostics::Diagnostic;
use crate::lint::registry::declare_rule;
use crate::lint::{Context, setting_text};
use crate::resolve::{Model, Profile};

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
    for (_, profile) in model.custom_profiles() {
        if profile.effective.is_none() {
            continue;
        }
        for own in &profile.own {
            let Some((inherited, from)) = inherited(model, profile, own.perm) else {
                continue;
            };
            if own.value != inherited {
                continue;
            }
            let setting = setting_text(model, own.perm, own.value);
            let (message, note) = match &from {
                Some(parent) => (
                    format!(
                        "{setting} is what profile `{}` inherits from `{parent}` anyway",
                        profile.name
                    ),
                    "the inherited value is set here".to_owned(),
                ),
                None => (format!("{setting} is the catalog default"), String::new()),
            };
            let mut diagnostic = Diagnostic::warning(RULE.name, own.span, message)
                .with_primary("changes nothing")
                .with_help("remove the setting");
            if let Some(span) = from.as_ref().and(origin_span(model, profile, own.perm)) {
                diagnostic = diagnostic.with_label(span, note);
            }
            out.push(diagnostic);
        }
    }
    for member in &model.members {
        let Some(held) = member.profile else {
            continue;
        };
        let profile = model.profile(held);
        for limit in &member.limits {
            if profile.value(limit.perm) != Some(limit.value) {
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
                .with_help("remove the setting"),
            );
        }
    }
}

/// The value `profile` would hold for `perm` without its own setting, and
/// the parent it would come from (`None`: the catalog default).
fn inherited(model: &Model, profile: &Profile, perm: PermId) -> Option<(u64, Option<String>)> {
    if profile.parents.is_empty() {
        let default = model.catalog.get(perm).default;
        let cap = model.caps.get(perm.0 as usize).and_then(|c| c.as_ref());
        return Some((cap.map_or(default, |c| default.min(c.value)), None));
    }
    let mut best: Option<(u64, &str)> = None;
    for &parent in &profile.parents {
        let parent = model.profile(parent);
        let value = parent.value(perm)?;
        // The first parent wins ties, as provenance does.
        if best.is_none_or(|(v, _)| value > v) {
            best = Some((value, parent.name.as_str()));
        }
    }
    best.map(|(v, name)| (v, Some(name.to_owned())))
}

/// Where the inherited value was set, when some ancestor set it.
fn origin_span(model: &Model, profile: &Profile, perm: PermId) -> Option<crate::source::Span> {
    profile.parents.iter().find_map(|&parent| {
        let p = model.profile(parent);
        let origin = p
            .effective
            .as_ref()?
            .origins
            .get(perm.0 as usize)
            .copied()??;
        (p.value(perm) == profile.value(perm)).then(|| model.origin_span(origin))
    })
}
