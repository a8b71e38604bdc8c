//! `see-all-emails`: a profile reads the mailbox of every user.

use crate::diagnostics::{Diagnostic, Subject};
use crate::lint::registry::declare_rule;
use crate::lint::{Context, reported_at};
use crate::resolve::Provenance;

declare_rule! {
    /// ## What it does
    /// Reports a profile whose effective `emails.visibility` is `all`, where
    /// it is set, or at its `extends` clause when it is inherited.
    ///
    /// ## Why is this bad?
    /// `all` lets every holder read every email of every user: replies from
    /// customers, pricing threads, HR conversations that went through a rep's
    /// mailbox. Apollo recommends `outbound`, which shows what was sent
    /// through Apollo and its replies. Each profile that holds `all` is
    /// reported, so a waiver for one profile never spreads silently to the
    /// profiles built on it.
    ///
    /// ## Example
    /// ```text
    /// profile "Team Lead" extends "Non-admin" {
    ///   emails.visibility = all
    /// }
    /// ```
    /// Use the recommended level:
    /// ```text
    /// profile "Team Lead" extends "Non-admin" {
    ///   emails.visibility = outbound
    /// }
    /// ```
    /// When a profile truly needs it (an auditor, say), keep it and say why:
    /// `emails.visibility = all  # rolecall: allow(see-all-emails) "SOC 2 review, LEG-57"`.
    pub static RULE = "see-all-emails", Warning, "a profile sees the emails of every user";
}

/// Reports every user profile whose `emails.visibility` is `all`.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    let Some(perm) = model.catalog.lookup("emails.visibility") else {
        return;
    };
    let Some(all) = model.catalog.get(perm).level("all") else {
        return;
    };
    for (id, profile) in model.custom_profiles() {
        let Some(view) = model.view(id) else {
            continue;
        };
        let held = view.get(perm);
        if held.value != all {
            continue;
        }
        let at = reported_at(profile, held.provenance);
        let diagnostic = match held.provenance {
            Provenance::Inherited { origin, span, .. } => {
                let ancestor = &model.profile(origin).name;
                Diagnostic::warning(
                    RULE.name,
                    at,
                    format!(
                        "profile `{}` inherits `emails.visibility = all` from `{ancestor}` and sees the emails of every user",
                        profile.name
                    ),
                )
                .with_primary("inherited here")
                .with_label(span, format!("`{ancestor}` sets `emails.visibility = all`"))
            }
            _ => Diagnostic::warning(
                RULE.name,
                at,
                format!("profile `{}` sees the emails of every user", profile.name),
            )
            .with_primary("every user's emails"),
        };
        let subject = Subject::profile(&profile.name).permission("emails.visibility");
        out.push(diagnostic.with_subject(subject).with_help(
            "use `emails.visibility = outbound` unless this profile must read every mailbox; then keep it with a suppression and a reason",
        ));
    }
}
