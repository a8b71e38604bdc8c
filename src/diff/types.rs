//! What a diff holds, in the shape of its JSON form (`rolecall.diff/v1`).

use serde::Serialize;

use crate::backend::Value;
use crate::diagnostics::render::JsonDiagnostic;

/// The format tag of the JSON form.
pub const FORMAT: &str = "rolecall.diff/v1";

/// The access changes between two policy sets.
#[derive(Debug, Serialize)]
pub struct Diff {
    /// Always [`FORMAT`].
    pub format: &'static str,
    /// The platform of both sides.
    pub platform: String,
    /// The old side.
    pub old: SideInfo,
    /// What a partial old side (a policy set with errors) leaves out of
    /// the comparison; absent when the old side is whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_partial: Option<super::Partial>,
    /// The new side.
    pub new: SideInfo,
    /// Profiles added, removed or changed, by name.
    pub profiles: Vec<ProfileChange>,
    /// Members whose own entry changed, by id.
    pub members: Vec<MemberChange>,
    /// Admin-equivalent members on each side.
    pub admins: Admins,
    /// Warnings introduced and resolved.
    pub findings: Findings,
    /// Counts.
    pub summary: Summary,
    /// `min-admins` and `too-many-admins` on each side (not in the JSON
    /// form, where the findings carry them).
    #[serde(skip)]
    pub admin_status: AdminStatus,
}

/// A side as the diff names it.
#[derive(Clone, Debug, Serialize)]
pub struct SideInfo {
    /// What was given: a path, a bundle file or a git revision.
    pub label: String,
    /// The revision of its bundle; `None` when not computed (a policy set
    /// must be built into its bundle for it, which only JSON output asks).
    pub revision: Option<String>,
}

/// Whether a profile or member was added, removed or changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Only on the new side.
    Added,
    /// Only on the old side.
    Removed,
    /// On both sides, different.
    Changed,
}

impl Status {
    /// The lower-case word.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Changed => "changed",
        }
    }
}

/// Whether a new value grants more or less than the old one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// More access: a higher level or a larger limit.
    Widened,
    /// Less access.
    Narrowed,
}

impl Direction {
    /// The lower-case word.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Widened => "widened",
            Direction::Narrowed => "narrowed",
        }
    }
}

/// A profile whose effective permissions changed.
#[derive(Clone, Debug, Serialize)]
pub struct ProfileChange {
    /// Its name.
    pub profile: String,
    /// Added, removed or changed.
    pub status: Status,
    /// Members holding it directly (on the old side for a removed profile).
    pub members: usize,
    /// Whether it is admin-equivalent on each side (`None`: absent there).
    pub admin_equivalent: Flag,
    /// Every permission whose effective value changed, by permission id.
    pub changes: Vec<Change>,
}

impl ProfileChange {
    /// Whether it turns admin-equivalent.
    pub fn becomes_admin(&self) -> bool {
        self.admin_equivalent.new == Some(true) && self.admin_equivalent.old != Some(true)
    }

    /// Whether it stops being admin-equivalent while it still exists.
    pub fn stops_being_admin(&self) -> bool {
        self.admin_equivalent.old == Some(true) && self.admin_equivalent.new == Some(false)
    }

    /// Whether a change is risky or it turns admin-equivalent.
    pub fn risky(&self) -> bool {
        self.becomes_admin() || self.changes.iter().any(|c| c.value.risky)
    }
}

/// A boolean on each side; `None` where the profile does not exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// On the old side.
    pub old: Option<bool>,
    /// On the new side.
    pub new: Option<bool>,
}

/// One permission's effective value, before and after.
#[derive(Clone, Debug, Serialize)]
pub struct ValueChange {
    /// The permission id.
    pub permission: String,
    /// The old value (`None` for an added profile or member).
    pub old: Option<Value>,
    /// The new value (`None` for a removed one).
    pub new: Option<Value>,
    /// More or less access.
    pub direction: Direction,
    /// Whether the new value is at or above the catalog's `risk_at`, sees
    /// every email, or makes the profile admin-equivalent.
    pub risky: bool,
}

/// A change of a profile's value, with what gives the new value.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    /// The values.
    #[serde(flatten)]
    pub value: ValueChange,
    /// What gives the new value; `None` for a removed profile.
    pub cause: Option<Cause>,
}

/// The profile whose own setting gives a value, and the parent it comes
/// through.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Cause {
    /// The profile that sets the value; `None` for the catalog default.
    pub profile: Option<String>,
    /// The setting's file, relative to the policy root (`prelude:PLATFORM`
    /// for a built-in profile).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The setting's 1-based line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// For an inherited value: the direct parent it arrives through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

impl Cause {
    /// The parent worth naming in a sentence: `via`, unless it is the
    /// profile that sets the value, which the cause names already.
    pub fn via_shown(&self) -> Option<&str> {
        self.via
            .as_deref()
            .filter(|via| self.profile.as_deref() != Some(*via))
    }
}

/// A member whose own entry changed.
#[derive(Clone, Debug, Serialize)]
pub struct MemberChange {
    /// The member id.
    pub member: String,
    /// Added, removed or changed.
    pub status: Status,
    /// The profile held before (`None` when added).
    pub old_profile: Option<String>,
    /// The profile held after (`None` when removed).
    pub new_profile: Option<String>,
    /// The member's effective values that changed, by permission id.
    pub changes: Vec<ValueChange>,
}

/// Admin-equivalent members, old and new.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Admins {
    /// On the old side.
    pub old: usize,
    /// On the new side.
    pub new: usize,
}

/// The admin thresholds and whether each side meets them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AdminStatus {
    /// The fewest admins required (`min_admins`).
    pub min_admins: usize,
    /// The largest admin share allowed (`max_admin_share`).
    pub max_admin_share: f64,
    /// Members on each side.
    pub members: (usize, usize),
    /// Whether each side has fewer admins than required (with members).
    pub too_few: (bool, bool),
    /// Whether each side has more admins than its share allows.
    pub too_many: (bool, bool),
}

/// Warnings of the new side only (introduced) and of the old side only
/// (resolved), in the shape of `check --format json`. A bundle side has
/// none: a bundle keeps no diagnostics.
#[derive(Debug, Default, Serialize)]
pub struct Findings {
    /// On the new side only.
    pub introduced: Vec<JsonDiagnostic>,
    /// On the old side only.
    pub resolved: Vec<JsonDiagnostic>,
}

/// Counts of a diff.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Profiles on both sides whose effective permissions differ.
    pub profiles_changed: usize,
    /// Profiles only on the new side.
    pub profiles_added: usize,
    /// Profiles only on the old side.
    pub profiles_removed: usize,
    /// Widened values: one per (profile, permission) and (member, limit).
    pub widened: usize,
    /// Narrowed values, counted the same way.
    pub narrowed: usize,
    /// Risky changes, counted the same way.
    pub risky: usize,
    /// Members whose effective access changed at all.
    pub members_affected: usize,
}

impl Diff {
    /// Whether no access changed.
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty() && self.members.is_empty()
    }

    /// The JSON form, pretty-printed with a final newline.
    pub fn to_json(&self) -> String {
        crate::text::pretty_json(self)
    }
}
