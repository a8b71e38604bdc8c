//! Comparing two views: profiles, members, admins and the counts.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::cause::{cause, direction, risky};
use super::types::{
    Admins, Change, Direction, Flag, MemberChange, ProfileChange, Status, Summary, ValueChange,
};
use super::view::{View, ViewMember, ViewProfile};
use crate::catalog::{Kind, PermId};

/// What changed between `old` and `new`, read against the same catalog.
#[derive(Debug)]
pub struct Compared {
    /// Profiles added, removed or changed, by name.
    pub profiles: Vec<ProfileChange>,
    /// Members whose own entry changed, by id.
    pub members: Vec<MemberChange>,
    /// Admin-equivalent members on each side.
    pub admins: Admins,
    /// Counts.
    pub summary: Summary,
}

/// Compares two views of the same catalog.
pub fn compare(old: &View, new: &View) -> Compared {
    let (old_holders, new_holders) = (holders(old), holders(new));
    let mut out = Compared {
        profiles: Vec::new(),
        members: Vec::new(),
        admins: Admins {
            old: admins(old),
            new: admins(new),
        },
        summary: Summary::default(),
    };
    // Members holding a profile whose values did not change need no closer
    // look.
    let mut moved: HashSet<&str> = HashSet::new();
    for (name, pair) in pairs(&old.profiles, &new.profiles) {
        if let Some(change) = profile_change(old, new, name, pair, &old_holders, &new_holders) {
            moved.insert(name);
            out.profiles.push(change);
        }
    }
    let mut affected = 0;
    for (id, pair) in pairs(&old.members, &new.members) {
        let (entry, access_changed) = member_change(old, new, id, pair, &moved);
        affected += usize::from(access_changed);
        out.members.extend(entry);
    }
    let mut summary = Summary {
        members_affected: affected,
        ..Summary::default()
    };
    for profile in &out.profiles {
        match profile.status {
            Status::Added => summary.profiles_added += 1,
            Status::Removed => summary.profiles_removed += 1,
            Status::Changed => summary.profiles_changed += 1,
        }
        for change in &profile.changes {
            count(&mut summary, &change.value);
        }
    }
    for member in &out.members {
        for change in &member.changes {
            let limit = new
                .catalog
                .lookup(&change.permission)
                .is_some_and(|p| new.catalog.get(p).kind == Kind::Limit);
            if limit {
                count(&mut summary, change);
            }
        }
    }
    out.summary = summary;
    out
}

fn count(summary: &mut Summary, change: &ValueChange) {
    match change.direction {
        Direction::Widened => summary.widened += 1,
        Direction::Narrowed => summary.narrowed += 1,
    }
    summary.risky += usize::from(change.risky);
}

/// Both maps' keys in byte order, with each side's entry.
fn pairs<'a, T>(
    old: &'a BTreeMap<String, T>,
    new: &'a BTreeMap<String, T>,
) -> impl Iterator<Item = (&'a str, (Option<&'a T>, Option<&'a T>))> {
    let mut names: Vec<&str> = old.keys().chain(new.keys()).map(String::as_str).collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .map(move |name| (name, (old.get(name), new.get(name))))
}

/// Members holding each profile directly.
fn holders(view: &View) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();
    for member in view.members.values() {
        *counts.entry(member.profile.as_str()).or_insert(0) += 1;
    }
    counts
}

/// Members whose profile is admin-equivalent.
pub fn admins(view: &View) -> usize {
    view.members
        .values()
        .filter(|m| {
            view.profiles
                .get(&m.profile)
                .is_some_and(|p| p.admin_equivalent)
        })
        .count()
}

fn profile_change(
    old: &View,
    new: &View,
    name: &str,
    (was, is): (Option<&ViewProfile>, Option<&ViewProfile>),
    old_holders: &HashMap<&str, usize>,
    new_holders: &HashMap<&str, usize>,
) -> Option<ProfileChange> {
    let catalog = &new.catalog;
    let flag = Flag {
        old: was.map(|p| p.admin_equivalent),
        new: is.map(|p| p.admin_equivalent),
    };
    let turns_admin = flag.new == Some(true) && flag.old != Some(true);
    let mut changes = Vec::new();
    let (status, members) = match (was, is) {
        (Some(was), Some(is)) => {
            if was.values == is.values && was.admin_equivalent == is.admin_equivalent {
                return None;
            }
            for (perm, permission) in catalog.iter() {
                let (before, after) = (value(was, perm), value(is, perm));
                if before == after {
                    continue;
                }
                changes.push(Change {
                    value: ValueChange {
                        permission: permission.id.clone(),
                        old: Some(new.value(perm, before)),
                        new: Some(new.value(perm, after)),
                        direction: direction(before, after),
                        risky: risky(catalog, perm, after, turns_admin),
                    },
                    cause: Some(cause(new, name, perm)),
                });
            }
            (Status::Changed, new_holders.get(name).copied().unwrap_or(0))
        }
        (None, Some(is)) => {
            for (perm, permission) in catalog.iter() {
                let after = value(is, perm);
                if after == permission.default {
                    continue;
                }
                changes.push(Change {
                    value: ValueChange {
                        permission: permission.id.clone(),
                        old: None,
                        new: Some(new.value(perm, after)),
                        direction: direction(permission.default, after),
                        risky: risky(catalog, perm, after, turns_admin),
                    },
                    cause: Some(cause(new, name, perm)),
                });
            }
            (Status::Added, new_holders.get(name).copied().unwrap_or(0))
        }
        (Some(was), None) => {
            for (perm, permission) in catalog.iter() {
                let before = value(was, perm);
                if before == permission.default {
                    continue;
                }
                changes.push(Change {
                    value: ValueChange {
                        permission: permission.id.clone(),
                        old: Some(old.value(perm, before)),
                        new: None,
                        direction: direction(before, permission.default),
                        risky: false,
                    },
                    cause: None,
                });
            }
            (Status::Removed, old_holders.get(name).copied().unwrap_or(0))
        }
        (None, None) => return None,
    };
    changes.sort_by(|a, b| a.value.permission.cmp(&b.value.permission));
    Some(ProfileChange {
        profile: name.to_owned(),
        status,
        members,
        admin_equivalent: flag,
        changes,
    })
}

fn value(profile: &ViewProfile, perm: PermId) -> u64 {
    profile
        .values
        .get(usize::from(perm.0))
        .copied()
        .unwrap_or_default()
}

/// A member's listed change, when its own entry changed in a way that
/// matters, and whether its effective access changed at all.
fn member_change(
    old: &View,
    new: &View,
    id: &str,
    (was, is): (Option<&ViewMember>, Option<&ViewMember>),
    moved: &HashSet<&str>,
) -> (Option<MemberChange>, bool) {
    let catalog = &new.catalog;
    let admin = |view: &View, m: Option<&ViewMember>| {
        m.and_then(|m| view.profiles.get(&m.profile))
            .is_some_and(|p| p.admin_equivalent)
    };
    let turns_admin = admin(new, is) && !admin(old, was);
    let effective = |view: &View, m: Option<&ViewMember>, perm: PermId| {
        m.and_then(|m| view.member_value(m, perm))
            .unwrap_or(catalog.get(perm).default)
    };
    let (status, own_changed) = match (was, is) {
        (Some(was), Some(is)) => {
            let own = was != is;
            let touched = moved.contains(was.profile.as_str());
            if !own && !touched {
                return (None, false);
            }
            (Status::Changed, own)
        }
        (None, Some(_)) => (Status::Added, true),
        (Some(_), None) => (Status::Removed, true),
        (None, None) => return (None, false),
    };
    let mut changes = Vec::new();
    let mut access_changed = status != Status::Changed;
    for (perm, permission) in catalog.iter() {
        let (before, after) = (effective(old, was, perm), effective(new, is, perm));
        if before == after {
            continue;
        }
        access_changed = true;
        if !own_changed {
            // Only the profile moved: counted, not listed.
            break;
        }
        changes.push(ValueChange {
            permission: permission.id.clone(),
            old: was.map(|_| new.value(perm, before)),
            new: is.map(|_| new.value(perm, after)),
            direction: direction(before, after),
            risky: is.is_some() && risky(catalog, perm, after, turns_admin),
        });
    }
    let profile_moved = was.map(|m| &m.profile) != is.map(|m| &m.profile);
    if !own_changed || (status == Status::Changed && changes.is_empty() && !profile_moved) {
        return (None, access_changed);
    }
    changes.sort_by(|a, b| a.permission.cmp(&b.permission));
    let entry = MemberChange {
        member: id.to_owned(),
        status,
        old_profile: was.map(|m| m.profile.clone()),
        new_profile: is.map(|m| m.profile.clone()),
        changes,
    };
    (Some(entry), access_changed)
}
