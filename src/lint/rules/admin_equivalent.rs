//! `admin-equivalent`: a profile can make itself an admin without saying so.

use crate::diagnostics::Diagnostic;
use crate::lint::registry::declare_rule;
use crate::lint::{Context, locate, setting_text};

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
        let mut granting: Vec<_> = model
            .catalog
            .iter()
            .filter_map(|(perm, p)| {
                let value = profile.value(perm)?;
                (p.grants_admin && value > p.default).then_some((perm, value))
            })
            .collect();
        // A grant the profile writes itself is the one to fix first.
        granting.sort_by_key(|&(perm, _)| locate(model, id, perm).inherited());
        let Some(&(perm, value)) = granting.first() else {
            continue;
        };
        let setting = setting_text(model, perm, value);
        let place = locate(model, id, perm);
        let mut diagnostic = match &place.ancestor {
            None => Diagnostic::warning(
                RULE.name,
                place.primary,
                format!(
                    "profile `{}` can make itself an admin through {setting} without extending `Admin`",
                    profile.name
                ),
            )
            .with_primary("grants admin rights"),
            Some((ancestor, span)) => Diagnostic::warning(
                RULE.name,
                place.primary,
                format!(
                    "profile `{}` can make itself an admin through {setting}, inherited from `{ancestor}`",
                    profile.name
                ),
            )
            .with_primary("inherited here")
            .with_label(*span, format!("`{ancestor}` sets {setting}")),
        };
        for &(other, value) in &granting[1..] {
            let place = locate(model, id, other);
            let span = place.ancestor.as_ref().map_or(place.primary, |(_, s)| *s);
            diagnostic = diagnostic.with_label(
                span,
                format!(
                    "{} grants admin rights too",
                    setting_text(model, other, value)
                ),
            );
        }
        let id_text = &model.catalog.get(perm).id;
        out.push(diagnostic.with_help(format!(
            "a holder of `{id_text}` can edit users or permission profiles and so grant itself anything; remove it, or extend `Admin` to make the admin rights explicit"
        )));
    }
}
