//! `admin-equivalent`: a profile can make itself an admin without saying so.

use crate::diagnostics::{Diagnostic, Subject};
use crate::lint::registry::declare_rule;
use crate::lint::{Context, reported_at, setting_text};
use crate::resolve::Provenance;

declare_rule! {
    /// ## What it does
    /// Reports a profile that does not extend Admin yet holds a permission
    /// the catalog marks `grants_admin` (editing users or permission
    /// profiles), naming the permission and where it comes from.
    ///
    /// ## Why is this bad?
    /// Whoever can edit users or profiles can grant themselves anything: the
    /// profile is an admin in all but name. It is a privilege-escalation path
    /// that admin counts, access reviews and `risky-grant` do not see.
    ///
    /// ## Example
    /// ```text
    /// profile "Team Lead" extends "Non-admin" {
    ///   users.manage = allow
    /// }
    /// ```
    /// Remove the grant and let admins manage users, or make the admin rights
    /// explicit:
    /// ```text
    /// profile "Team Lead" extends "Admin" {
    ///   emails.visibility = own
    /// }
    /// ```
    pub static RULE = "admin-equivalent", Warning, "a profile that does not extend Admin can make itself an admin";
}

/// Reports every user profile that is admin-equivalent without extending Admin.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    for (id, profile) in model.custom_profiles() {
        if !profile.admin_equivalent || profile.extends_admin {
            continue;
        }
        let Some(view) = model.view(id) else {
            continue;
        };
        let mut granting: Vec<_> = model
            .catalog
            .iter()
            .filter(|(_, p)| p.grants_admin)
            .map(|(perm, p)| (perm, p, view.get(perm)))
            .filter(|(_, p, held)| held.value > p.default)
            .map(|(perm, _, held)| (perm, held))
            .collect();
        // A grant the profile writes itself is the one to fix first.
        granting.sort_by_key(|(_, held)| held.provenance.is_inherited());
        let Some(&(perm, held)) = granting.first() else {
            continue;
        };
        let setting = setting_text(model, perm, held.value);
        let at = reported_at(profile, held.provenance);
        let mut diagnostic = match held.provenance {
            Provenance::Inherited { origin, span, .. } => {
                let ancestor = &model.profile(origin).name;
                Diagnostic::warning(
                    RULE.name,
                    at,
                    format!(
                        "profile `{}` can make itself an admin through {setting}, inherited from `{ancestor}`",
                        profile.name
                    ),
                )
                .with_primary("inherited here")
                .with_label(span, format!("`{ancestor}` sets {setting}"))
            }
            _ => Diagnostic::warning(
                RULE.name,
                at,
                format!(
                    "profile `{}` can make itself an admin through {setting} without extending `Admin`",
                    profile.name
                ),
            )
            .with_primary("grants admin rights"),
        };
        for &(other, held) in &granting[1..] {
            let span = held
                .provenance
                .span()
                .unwrap_or_else(|| reported_at(profile, held.provenance));
            diagnostic = diagnostic.with_label(
                span,
                format!(
                    "{} grants admin rights too",
                    setting_text(model, other, held.value)
                ),
            );
        }
        let id_text = &model.catalog.get(perm).id;
        let subject = Subject::profile(&profile.name).permission(id_text);
        out.push(diagnostic.with_subject(subject).with_help(format!(
            "a holder of `{id_text}` can edit users or permission profiles and so grant itself anything; remove it, or extend `Admin` to make the admin rights explicit"
        )));
    }
}
