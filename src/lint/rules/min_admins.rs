//! `min-admins`: too few members can administer the platform.

use crate::diagnostics::{Diagnostic, Subject};
use crate::lint::registry::declare_rule;
use crate::lint::{Context, admin_members};

declare_rule! {
    /// ## What it does
    /// Reports a policy set that declares members but gives fewer of them
    /// than `min_admins` (default 2, set in `rolecall.yaml`) an
    /// admin-equivalent profile.
    ///
    /// ## Why is this bad?
    /// With a single admin, a holiday, a departure or a lost phone locks the
    /// whole sales team out of seat changes, integrations and billing until
    /// the vendor's support steps in.
    ///
    /// ## Example
    /// ```text
    /// member "maya@acme.com" profile "Admin"
    /// member "tom@acme.com"  profile "Sales Manager"
    /// ```
    /// Give a second, trusted member the Admin profile:
    /// ```text
    /// member "maya@acme.com" profile "Admin"
    /// member "tom@acme.com"  profile "Admin"
    /// ```
    pub static RULE = "min-admins", Warning, "fewer members than required hold admin-equivalent profiles";
}

/// Reports when fewer members than required are admin-equivalent.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = cx.model;
    let required = cx.settings.min_admins;
    let Some(first) = model.members.first() else {
        return;
    };
    let admins = admin_members(model);
    if admins.len() >= required {
        return;
    }
    let message = match admins.len() {
        0 => format!("no member holds an admin-equivalent profile, and {required} are required"),
        1 => {
            format!("only 1 member holds an admin-equivalent profile, and {required} are required")
        }
        n => {
            format!("only {n} members hold admin-equivalent profiles, and {required} are required")
        }
    };
    let diagnostic = match admins.split_first() {
        None => Diagnostic::warning(RULE.name, first.header, message)
            .with_primary("no admin among the members declared from here"),
        Some((only, rest)) => {
            let mut d = Diagnostic::warning(RULE.name, only.header, message).with_primary(
                if rest.is_empty() {
                    "the only admin"
                } else {
                    "an admin"
                },
            );
            for other in rest {
                d = d.with_label(other.header, "an admin");
            }
            d
        }
    };
    out.push(diagnostic.with_subject(Subject::default()).with_help(
        "give another trusted member the `Admin` profile so that the team is never locked out, or lower `min_admins` in `rolecall.yaml`",
    ));
}
