//! `risky-grant`: a non-admin profile holds a permission the catalog flags.

use crate::diagnostics::{Diagnostic, Subject};
use crate::lint::registry::declare_rule;
use crate::lint::{Context, reported_at, setting_text};
use crate::resolve::Provenance;

declare_rule! {
    /// ## What it does
    /// Reports a profile that is not an admin (does not extend Admin and is
    /// not admin-equivalent) yet holds a permission at or above the level the
    /// catalog marks as risky (`risk_at`): billing, bulk CRM pushes, CSV
    /// exports, deleting or reassigning everyone's records, sending as other
    /// users, turning off the opt-out message.
    ///
    /// ## Why is this bad?
    /// These permissions move money, data or reputation: one CSV export takes
    /// the whole contact base out of the building, one bulk push overwrites
    /// the CRM, one missing opt-out breaks anti-spam law. Outside the admin
    /// team each such grant deserves a named reason.
    ///
    /// ## Example
    /// ```text
    /// profile "SDR" extends "Non-admin" {
    ///   records.export_csv = allow
    /// }
    /// ```
    /// Remove the grant, or keep it with the approval that allowed it:
    /// ```text
    /// profile "SDR" extends "Non-admin" {
    ///   records.export_csv = allow  # rolecall: allow(risky-grant) "list exports for events, OPS-88"
    /// }
    /// ```
    pub static RULE = "risky-grant", Warning, "a non-admin profile holds a permission flagged as risky";
}

/// Reports each risky value held by each non-admin user profile.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    for (id, profile) in model.custom_profiles() {
        if profile.admin_equivalent || profile.extends_admin {
            continue;
        }
        let Some(view) = model.view(id) else {
            continue;
        };
        for (perm, permission) in model.catalog.iter() {
            let Some(risk_at) = permission.risk_at else {
                continue;
            };
            let held = view.get(perm);
            if held.value < risk_at {
                continue;
            }
            let setting = setting_text(model, perm, held.value);
            let at = reported_at(profile, held.provenance);
            let diagnostic = match held.provenance {
                Provenance::Inherited { origin, span, .. } => {
                    let ancestor = &model.profile(origin).name;
                    Diagnostic::warning(
                        RULE.name,
                        at,
                        format!(
                            "profile `{}` inherits the risky permission {setting} from `{ancestor}`",
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
                        "profile `{}` holds the risky permission {setting}",
                        profile.name
                    ),
                )
                .with_primary("risky grant"),
            };
            let label = if permission.label.is_empty() {
                String::new()
            } else {
                format!(" ({})", permission.label)
            };
            let subject = Subject::profile(&profile.name).permission(&permission.id);
            out.push(diagnostic.with_subject(subject).with_help(format!(
                "the catalog flags `{}` from `{}` up{label}; remove the grant or keep it with a suppression and a reason",
                permission.id,
                permission.display(risk_at)
            )));
        }
    }
}
