//! Why a profile holds a value, and whether the value is risky.
//!
//! The cause is read from provenance the way the resolver computed it: a
//! profile's own setting wins; else the join of its parents (the highest
//! value by level order, ties to the first parent in `extends` order); else
//! the catalog default. A profile whose value and provenance equal those
//! of its winning parent inherits the value through that parent.

use super::types::{Cause, Direction};

/// The setting a cause names, whatever parent it arrives through: what
/// changes are grouped by. The catalog default sorts last.
pub type Origin<'a> = (bool, Option<&'a str>, Option<&'a str>, Option<u64>);

/// The [`Origin`] of a change's cause.
pub fn origin(cause: Option<&Cause>) -> Origin<'_> {
    let cause = cause.filter(|c| c.profile.is_some());
    (
        cause.is_none(),
        cause.and_then(|c| c.profile.as_deref()),
        cause.and_then(|c| c.file.as_deref()),
        cause.and_then(|c| c.line),
    )
}
use super::view::View;
use crate::catalog::{Catalog, PermId};

/// What gives profile `name` its value of `perm` in `view`.
pub fn cause(view: &View, name: &str, perm: PermId) -> Cause {
    let index = usize::from(perm.0);
    let mut current = name;
    let mut via = None;
    // A bundle edited by hand may hold a cycle: never walk further than
    // there are profiles.
    for _ in 0..=view.profiles.len() {
        let Some(profile) = view.profiles.get(current) else {
            break;
        };
        let value = profile.values.get(index).copied();
        let place = profile.places.get(index).copied().flatten();
        let winner = profile
            .extends
            .iter()
            .filter_map(|p| Some((p.as_str(), view.profiles.get(p)?)))
            .fold(None, |best: Option<(&str, u64)>, (parent, held)| {
                let held_value = held.values.get(index).copied().unwrap_or_default();
                match best {
                    Some((_, top)) if held_value <= top => best,
                    _ => Some((parent, held_value)),
                }
            });
        let inherited = winner.and_then(|(parent, held_value)| {
            let parent_place = *view.profiles.get(parent)?.places.get(index)?;
            (Some(held_value) == value && parent_place == place).then_some(parent)
        });
        match inherited {
            Some(parent) => {
                via.get_or_insert_with(|| parent.to_owned());
                current = parent;
            }
            None => {
                return match place {
                    Some((file, line)) => Cause {
                        profile: Some(current.to_owned()),
                        file: Some(view.file(file).to_owned()),
                        line: Some(line),
                        via,
                    },
                    None => Cause {
                        profile: None,
                        file: None,
                        line: None,
                        via,
                    },
                };
            }
        }
    }
    Cause {
        profile: None,
        file: None,
        line: None,
        via,
    }
}

/// `widened` when `new` grants more than `old`, else `narrowed`.
pub fn direction(old: u64, new: u64) -> Direction {
    if new > old {
        Direction::Widened
    } else {
        Direction::Narrowed
    }
}

/// Whether holding `value` of `perm` is risky: at or above the catalog's
/// `risk_at`, every email, or, when the holder turns admin-equivalent, a
/// permission that grants admin above its least value.
pub fn risky(catalog: &Catalog, perm: PermId, value: u64, turns_admin: bool) -> bool {
    let permission = catalog.get(perm);
    permission.risk_at.is_some_and(|at| value >= at)
        || (permission.id == "emails.visibility" && permission.display(value) == "all")
        || (turns_admin && permission.grants_admin && value > 0)
}
