//! `diff`: who gains or loses what access between two policy sets.
//!
//! ```text
//!   old side ─┐  policy path: load ─► compile ─► View::from_model
//!             │  bundle:      from_json ─► verify ─► View::from_bundle
//!   new side ─┘
//!          └──► compare views ─► Diff ─► human | markdown | json
//! ```
//!
//! A side is a policy set (compiled like `check`) or a bundle. Both are
//! read into one [`View`]: every profile's effective values with their
//! provenance and every member's profile and own limits, as the bundle
//! holds them, so a bundle compares exactly as the policy set it was built
//! from. The comparison looks at effective values only: moving a profile to
//! another file, reformatting or editing comments changes nothing it
//! reports. Each changed value names its [`Cause`] (the profile whose own
//! setting gives the new value, and the parent it comes through), its
//! [`Direction`] and whether it is risky. Warnings introduced and resolved
//! come from the compilations, so only policy sides have them.
//!
//! The library prints nothing; `rolecall diff` renders a [`Diff`].

mod cause;
mod compare;
mod findings;
pub mod human;
pub mod markdown;
pub mod partial;
mod side;
mod types;
mod view;

pub use findings::Finding;
pub use partial::Partial;
pub use side::{Side, SideError, policy_pair};
pub use types::{
    AdminStatus, Admins, Cause, Change, Diff, Direction, FORMAT, Findings, Flag, MemberChange,
    ProfileChange, SideInfo, Status, Summary, ValueChange,
};
pub use view::{Place, View, ViewMember, ViewProfile};

use crate::lint::LintSettings;

/// Why two sides cannot be compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffError {
    /// The sides are policy sets of different platforms.
    Platform {
        /// The old side's platform.
        old: String,
        /// The new side's platform.
        new: String,
    },
    /// The old side cannot be read against the new side's catalog.
    Catalog(String),
    /// A side's revision could not be computed.
    Revision(String),
}

impl std::fmt::Display for DiffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DiffError::Platform { old, new } => write!(
                f,
                "the old side is an `{old}` policy set and the new side an `{new}` one: only sets of one platform can be compared"
            ),
            DiffError::Catalog(message) => write!(f, "cannot compare the sides: {message}"),
            DiffError::Revision(message) => write!(f, "cannot compute a revision: {message}"),
        }
    }
}

impl std::error::Error for DiffError {}

/// What makes `rolecall diff --fail-on` exit 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum FailOn {
    /// A value that grants more than before.
    Widened,
    /// A change flagged risky, or a profile turning admin-equivalent.
    Risky,
    /// Any change of access.
    Any,
}

/// Whether the sides' bundle revisions are computed for the diff: a policy
/// side must be built into its bundle for that, which costs more than the
/// comparison; only the JSON form shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Revisions {
    /// Compute them.
    Compute,
    /// Leave a policy side's revision out.
    Skip,
}

/// Compares `old` with `new`.
///
/// When the old side is partial (a policy set with errors), what it leaves
/// out is left out of the new side too, so that only what resolved on both
/// sides is compared, and its revision is not computed: it has no bundle.
pub fn diff(old: Side, mut new: Side, revisions: Revisions) -> Result<Diff, DiffError> {
    if old.view.platform != new.view.platform {
        return Err(DiffError::Platform {
            old: old.view.platform.clone(),
            new: new.view.platform.clone(),
        });
    }
    let old_partial = old.partial.clone().map(|mut partial| {
        let view = &mut new.view;
        view.profiles
            .retain(|name, _| partial.profiles.binary_search(name).is_err());
        // A member of the new side holding a profile left out goes too.
        let mut members: std::collections::BTreeSet<String> =
            partial.members.iter().cloned().collect();
        view.members.retain(|id, member| {
            let keep = !members.contains(id) && view_has(&partial.profiles, &member.profile);
            if !keep {
                members.insert(id.clone());
            }
            keep
        });
        partial.members = members.into_iter().collect();
        partial
    });
    let revision = |side: &Side| match (revisions, side.is_bundle()) {
        _ if side.partial.is_some() => Ok(None),
        (Revisions::Skip, false) => Ok(None),
        _ => side.revision().map(Some).map_err(DiffError::Revision),
    };
    let (compared, (old_revision, new_revision)) = rayon::join(
        || {
            let rebased = old
                .view
                .rebased(new.catalog())
                .map_err(DiffError::Catalog)?;
            Ok(compare::compare(&rebased, &new.view))
        },
        || rayon::join(|| revision(&old), || revision(&new)),
    );
    let compared = compared?;
    let settings = new.settings.clone().unwrap_or_default();
    let members = (old.view.members.len(), new.view.members.len());
    let admin_status = admin_status(&settings, members, compared.admins);
    let found = match (old.findings, new.findings) {
        (Some(old), Some(new)) => findings::compare(old, new),
        _ => Findings::default(),
    };
    Ok(Diff {
        format: FORMAT,
        platform: new.view.platform.clone(),
        old: SideInfo {
            label: old.label,
            revision: old_revision?,
        },
        old_partial,
        new: SideInfo {
            label: new.label,
            revision: new_revision?,
        },
        profiles: compared.profiles,
        members: compared.members,
        admins: compared.admins,
        findings: found,
        summary: compared.summary,
        admin_status,
    })
}

/// Whether `profile` is kept: not among those left out (sorted).
fn view_has(left_out: &[String], profile: &String) -> bool {
    left_out.binary_search(profile).is_err()
}

/// Teams this small are never told they have too many admins.
const SMALL_TEAM: usize = 4;

fn admin_status(settings: &LintSettings, members: (usize, usize), admins: Admins) -> AdminStatus {
    let too_few = |members: usize, admins: usize| members > 0 && admins < settings.min_admins;
    let too_many = |members: usize, admins: usize| {
        // The share lies in 0..=1, so the product fits `usize`.
        let allowed = (settings.max_admin_share * members as f64).floor() as usize;
        members > SMALL_TEAM && admins > allowed
    };
    AdminStatus {
        min_admins: settings.min_admins,
        max_admin_share: settings.max_admin_share,
        members,
        too_few: (
            too_few(members.0, admins.old),
            too_few(members.1, admins.new),
        ),
        too_many: (
            too_many(members.0, admins.old),
            too_many(members.1, admins.new),
        ),
    }
}

impl Diff {
    /// Whether the diff holds what `fail_on` fails on.
    pub fn fails(&self, fail_on: FailOn) -> bool {
        let values = || {
            self.profiles
                .iter()
                .flat_map(|p| p.changes.iter().map(|c| &c.value))
                .chain(self.members.iter().flat_map(|m| &m.changes))
        };
        match fail_on {
            FailOn::Any => !self.is_empty(),
            FailOn::Widened => values().any(|c| c.direction == Direction::Widened),
            FailOn::Risky => {
                self.profiles.iter().any(ProfileChange::risky) || values().any(|c| c.risky)
            }
        }
    }
}

#[cfg(test)]
mod tests;
