//! `too-many-admins`: admin rights are spread over too many members.

use crate::diagnostics::{Diagnostic, Subject};
use crate::lint::registry::declare_rule;
use crate::lint::{Context, admin_members};

/// Below this many members, any admin share is acceptable.
const SMALL_TEAM: usize = 4;

declare_rule! {
    /// ## What it does
    /// Reports a policy set of more than four members in which the share of
    /// members holding an admin-equivalent profile exceeds `max_admin_share`
    /// (default 0.25, set in `rolecall.yaml`). The report points at the first
    /// admin over the limit.
    ///
    /// ## Why is this bad?
    /// Every admin can export data, change billing and grant access; the more
    /// of them, the larger the blast radius of one phished password, and the
    /// harder access reviews become.
    ///
    /// ## Example
    /// ```text
    /// member "a@acme.com" profile "Admin"
    /// member "b@acme.com" profile "Admin"
    /// member "c@acme.com" profile "Admin"
    /// member "d@acme.com" profile "SDR"
    /// member "e@acme.com" profile "SDR"
    /// ```
    /// Keep admin rights to the people who administer the platform:
    /// ```text
    /// member "c@acme.com" profile "Sales Manager"
    /// ```
    pub static RULE = "too-many-admins", Warning, "admin-equivalent members exceed the allowed share";
}

/// Reports when admin-equivalent members exceed the configured share.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    let total = model.members.len();
    if total <= SMALL_TEAM {
        return;
    }
    let share = cx.settings.max_admin_share;
    // The share is checked to lie in 0..=1, so the product fits `usize`.
    let allowed = (share * total as f64).floor() as usize;
    let admins = admin_members(model);
    let Some(over) = admins.get(allowed) else {
        return;
    };
    let percent = (share * 100.0).round();
    let mut diagnostic = Diagnostic::warning(
        RULE.name,
        over.header,
        format!(
            "{} of {total} members hold admin-equivalent profiles, more than the {percent}% allowed ({allowed})",
            admins.len()
        ),
    )
    .with_primary("one admin too many");
    for (i, admin) in admins.iter().enumerate() {
        if i != allowed {
            diagnostic = diagnostic.with_label(admin.header, "an admin");
        }
    }
    out.push(diagnostic.with_subject(Subject::default()).with_help(
        "give members who do not administer the platform a narrower profile, or raise `max_admin_share` in `rolecall.yaml`",
    ));
}
