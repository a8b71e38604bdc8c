//! The warning rules, one file each. Every rule module holds its documented
//! [`Rule`](super::Rule) as `RULE`; those found on the model also hold a
//! `check` listed in [`CHECKS`].

pub mod admin_equivalent;
pub mod min_admins;
pub mod redundant_setting;
pub mod risky_grant;
pub mod see_all_emails;
pub mod stale_baseline;
pub mod too_many_admins;
pub mod unjustified_allow;
pub mod unused_allow;
pub mod unused_profile;

use super::{Context, Rule};
use crate::diagnostics::Diagnostic;

/// A rule's check over the model.
pub type Check = fn(&Context<'_>, &mut Vec<Diagnostic>);

/// The rules found on the model; `unjustified-allow` and `unused-allow` are
/// found by the suppression pass instead, `stale-baseline` by the baseline.
pub static CHECKS: &[(&Rule, Check)] = &[
    (&see_all_emails::RULE, see_all_emails::check),
    (&risky_grant::RULE, risky_grant::check),
    (&admin_equivalent::RULE, admin_equivalent::check),
    (&min_admins::RULE, min_admins::check),
    (&too_many_admins::RULE, too_many_admins::check),
    (&redundant_setting::RULE, redundant_setting::check),
    (&unused_profile::RULE, unused_profile::check),
];
