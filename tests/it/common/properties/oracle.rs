//! The meaning of a generated set, computed here from the language's rules
//! (docs/language.md, "Meaning") without the resolver: the join of the parents, or the
//! capped catalog default, then the profile's own settings; ties to the
//! first parent for provenance.

use std::collections::BTreeMap;

use rolecall::catalog::PermId;
use rolecall::syntax::ast::{Statement, Value};

use super::render::{Rendered, setting_key};
use super::set::{BUILTINS, CATALOG, Set};

/// Where an effective value was set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum From {
    /// No profile on the way sets it.
    Default,
    /// A prelude setting, on this line of the prelude.
    Prelude(u64),
    /// A setting of a policy file: file name and line.
    File(String, u64),
}

/// Effective values of one profile, indexed by permission.
#[derive(Clone, Debug)]
pub struct Effective {
    /// Values: level indices or limits.
    pub values: Vec<u64>,
    /// Provenance of each value.
    pub from: Vec<From>,
}

/// A prelude setting: permission, value and line.
type PreludeSetting = (PermId, u64, u64);

/// Own settings of the prelude's profiles, by name.
fn prelude() -> Vec<(String, Vec<PreludeSetting>)> {
    let text = CATALOG.prelude.as_str();
    let (file, _) =
        rolecall::syntax::parse(rolecall::source::FileId(0), text).expect("the prelude parses");
    let mut out = Vec::new();
    for statement in file.statements {
        let Statement::Profile(profile) = statement else {
            continue;
        };
        let settings = profile
            .settings
            .iter()
            .map(|s| {
                let perm = CATALOG
                    .lookup(&s.id)
                    .expect("prelude ids are in the catalog");
                let value = match &s.value {
                    Value::Word(w) => CATALOG.get(perm).level(w).expect("a level"),
                    Value::Integer(n) => *n,
                    Value::TooLarge(raw) => panic!("prelude value {raw} too large"),
                };
                let line = text[..s.span().start as usize].matches('\n').count() as u64 + 1;
                (perm, value, line)
            })
            .collect();
        out.push((profile.name.value.clone(), settings));
    }
    out
}

/// Capped catalog defaults.
fn defaults(cap: impl Fn(PermId) -> Option<u64>) -> Effective {
    let values = CATALOG
        .iter()
        .map(|(id, p)| match cap(id) {
            Some(cap) => p.default.min(cap),
            None => p.default,
        })
        .collect();
    Effective {
        values,
        from: vec![From::Default; CATALOG.len()],
    }
}

/// Effective values of built-in profile `name` without caps.
pub fn builtin(name: &str) -> Effective {
    builtins(|_| None).remove(name).expect("a built-in profile")
}

fn builtins(cap: impl Fn(PermId) -> Option<u64> + Copy) -> BTreeMap<String, Effective> {
    let mut out = BTreeMap::new();
    for (name, settings) in prelude() {
        let mut effective = defaults(cap);
        for (perm, value, line) in settings {
            let i = usize::from(perm.0);
            // Values the user did not write are clamped to the cap.
            effective.values[i] = cap(perm).map_or(value, |c| value.min(c));
            effective.from[i] = From::Prelude(line);
        }
        out.insert(name, effective);
    }
    assert_eq!(out.len(), BUILTINS.len(), "the prelude's profiles");
    out
}

/// Effective values of every profile of `set`, built-in ones included;
/// provenance lines are those of `rendered`.
pub fn effective(set: &Set, rendered: &Rendered) -> BTreeMap<String, Effective> {
    let cap = |perm: PermId| set.cap_of(perm);
    let mut out = builtins(cap);
    for profile in &set.profiles {
        let parents: Vec<&Effective> = profile.parents.iter().map(|p| &out[p]).collect();
        let mut effective = match parents.split_first() {
            None => defaults(cap),
            Some((first, rest)) => {
                let mut joined = (*first).clone();
                for parent in rest {
                    for i in 0..CATALOG.len() {
                        // Strictly higher: on a tie the earlier parent stays.
                        if parent.values[i] > joined.values[i] {
                            joined.values[i] = parent.values[i];
                            joined.from[i] = parent.from[i].clone();
                        }
                    }
                }
                joined
            }
        };
        for s in &profile.settings {
            let i = usize::from(s.perm.0);
            effective.values[i] = s.value;
            let (file, line) = rendered.places[&setting_key(&profile.name, s.perm)].clone();
            effective.from[i] = From::File(file, line);
        }
        out.insert(profile.name.clone(), effective);
    }
    out
}

/// Whether a profile with these values can make itself an admin.
pub fn admin_equivalent(effective: &Effective) -> bool {
    CATALOG
        .iter()
        // Values are level indices, so the least level is 0.
        .any(|(id, p)| p.grants_admin && effective.values[usize::from(id.0)] > 0)
}
