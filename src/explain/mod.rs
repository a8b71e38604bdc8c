//! Why a profile holds the values it holds: the data behind `rolecall explain`.
//!
//! [`table`] lists every effective value of a profile with the setting it
//! comes from; [`chain`] follows one permission through the inheritance
//! graph, the way the resolver computed it: a profile's own setting wins,
//! else the join of its parents (the highest value, ties to the first parent
//! in `extends` order), else the catalog default. File names are those of
//! the diagnostics: relative to the current directory.

mod render;

use serde::Serialize;

use crate::backend::DefaultTag;
use crate::catalog::{PermId, Value};
use crate::resolve::{Model, Origin, ProfileId};
use crate::source::SourceMap;

pub use render::{render_chain, render_table};

/// Every effective value of one profile.
#[derive(Clone, Debug, Serialize)]
pub struct Table {
    /// The profile.
    pub profile: String,
    /// Whether it is a built-in profile.
    pub builtin: bool,
    /// Its parents, in `extends` order.
    pub extends: Vec<String>,
    /// One row per catalog permission, in catalog order.
    pub permissions: Vec<Row>,
}

/// One permission's effective value and where it was set.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// Permission id.
    pub permission: String,
    /// Effective value.
    pub value: Value,
    /// The setting it comes from, or `default`.
    pub origin: Source,
}

/// Where a value was set: a profile's setting, or the catalog default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Source {
    /// A setting of `profile` at `file:line`.
    Set {
        /// The profile holding the setting.
        profile: String,
        /// Its file (`prelude:PLATFORM` for built-in profiles).
        file: String,
        /// 1-based line.
        line: usize,
    },
    /// The catalog default.
    Default(DefaultTag),
}

/// How one permission's value reaches a profile.
#[derive(Clone, Debug, Serialize)]
pub struct Chain {
    /// The profile explained.
    pub profile: String,
    /// The permission explained.
    pub permission: String,
    /// Its effective value.
    pub value: Value,
    /// Where the winning value was set.
    pub origin: Source,
    /// From the profile up to the one whose setting (or default) won.
    pub steps: Vec<Step>,
    /// Every ancestor with its own effective value, nearest first.
    pub ancestors: Vec<Held>,
}

/// One profile on the winning path.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    /// The profile.
    pub profile: String,
    /// Its effective value.
    pub value: Value,
    /// Why it holds that value.
    pub because: Reason,
}

/// Why a profile holds its value.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// The profile sets the permission itself.
    OwnSetting {
        /// File of the setting.
        file: String,
        /// 1-based line.
        line: usize,
        /// What it would hold without the setting.
        inherited: Value,
    },
    /// The value comes from the parents: the highest of theirs.
    JoinOfParents {
        /// Each parent's value, in `extends` order.
        parents: Vec<Held>,
        /// The parent followed: the first holding the highest value.
        winner: String,
        /// Whether another parent holds the same highest value.
        tie: bool,
    },
    /// No parent and no setting: the catalog default.
    CatalogDefault,
}

/// A profile and its effective value.
#[derive(Clone, Debug, Serialize)]
pub struct Held {
    /// The profile.
    pub profile: String,
    /// Its effective value.
    pub value: Value,
    /// Where it was set.
    pub origin: Source,
}

/// What went wrong looking a profile up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
    /// No such profile.
    Profile,
    /// No such permission in the catalog.
    Permission,
    /// The profile sits in or under an inheritance cycle.
    Unresolved,
}

/// Every effective value of the profile named `name`.
pub fn table(model: &Model, sources: &SourceMap, name: &str) -> Result<Table, Missing> {
    let id = model.find(name).ok_or(Missing::Profile)?;
    let profile = model.profile(id);
    let view = View { model, sources };
    let mut permissions = Vec::with_capacity(model.catalog.len());
    for (perm, p) in model.catalog.iter() {
        let (value, origin) = view.held(id, perm).ok_or(Missing::Unresolved)?;
        permissions.push(Row {
            permission: p.id.clone(),
            value,
            origin,
        });
    }
    Ok(Table {
        profile: profile.name.clone(),
        builtin: profile.builtin,
        extends: profile.extends.iter().map(|(n, _)| n.clone()).collect(),
        permissions,
    })
}

/// How `permission` reaches the profile named `name`.
pub fn chain(
    model: &Model,
    sources: &SourceMap,
    name: &str,
    permission: &str,
) -> Result<Chain, Missing> {
    let id = model.find(name).ok_or(Missing::Profile)?;
    let perm = model
        .catalog
        .lookup(permission)
        .ok_or(Missing::Permission)?;
    let view = View { model, sources };
    let (value, origin) = view.held(id, perm).ok_or(Missing::Unresolved)?;
    let mut steps = Vec::new();
    let mut at = Some(id);
    // Each step moves to a parent, so the walk ends within `profiles` steps.
    while let Some(current) = at.take() {
        if steps.len() > model.profiles.len() {
            break;
        }
        let (step, next) = view.step(current, perm).ok_or(Missing::Unresolved)?;
        steps.push(step);
        at = next;
    }
    let mut ancestors = Vec::new();
    for ancestor in ancestors_of(model, id) {
        let (value, origin) = view.held(ancestor, perm).ok_or(Missing::Unresolved)?;
        ancestors.push(Held {
            profile: model.profile(ancestor).name.clone(),
            value,
            origin,
        });
    }
    Ok(Chain {
        profile: model.profile(id).name.clone(),
        permission: permission.to_owned(),
        value,
        origin,
        steps,
        ancestors,
    })
}

/// Every ancestor of `id`, breadth first, parents in `extends` order.
fn ancestors_of(model: &Model, id: ProfileId) -> Vec<ProfileId> {
    let mut seen = vec![false; model.profiles.len()];
    seen[id.0 as usize] = true;
    let mut order = Vec::new();
    let mut queue = std::collections::VecDeque::from([id]);
    while let Some(current) = queue.pop_front() {
        for &parent in &model.profile(current).parents {
            if !std::mem::replace(&mut seen[parent.0 as usize], true) {
                order.push(parent);
                queue.push_back(parent);
            }
        }
    }
    order
}

struct View<'a> {
    model: &'a Model,
    sources: &'a SourceMap,
}

impl View<'_> {
    fn value(&self, perm: PermId, raw: u64) -> Value {
        Value::of(self.model.catalog.get(perm), raw)
    }

    fn source(&self, origin: Option<Origin>) -> Source {
        match origin {
            None => Source::Default(DefaultTag::Default),
            Some(origin) => {
                let span = self.model.origin_span(origin);
                Source::Set {
                    profile: self.model.profile(origin.profile).name.clone(),
                    file: self.sources.get(span.file).name.clone(),
                    line: self.sources.line(span),
                }
            }
        }
    }

    /// A profile's effective value of `perm` and where it was set.
    fn held(&self, id: ProfileId, perm: PermId) -> Option<(Value, Source)> {
        let effective = self.model.profile(id).effective.as_ref()?;
        let index = usize::from(perm.0);
        let raw = *effective.values.get(index)?;
        let origin = effective.origins.get(index).copied().flatten();
        Some((self.value(perm, raw), self.source(origin)))
    }

    /// Why `id` holds its value of `perm`, and the parent to follow next.
    fn step(&self, id: ProfileId, perm: PermId) -> Option<(Step, Option<ProfileId>)> {
        let profile = self.model.profile(id);
        let (value, _) = self.held(id, perm)?;
        let mut parents = Vec::with_capacity(profile.parents.len());
        for &parent in &profile.parents {
            let (value, origin) = self.held(parent, perm)?;
            parents.push(Held {
                profile: self.model.profile(parent).name.clone(),
                value,
                origin,
            });
        }
        let inherited = self.model.view(id)?.inherited(perm);
        let own = profile.own.iter().rev().find(|s| s.perm == perm);
        let (because, next) = match (own, inherited.from) {
            (Some(setting), _) => {
                let reason = Reason::OwnSetting {
                    file: self.sources.get(setting.span.file).name.clone(),
                    line: self.sources.line(setting.span),
                    inherited: self.value(perm, inherited.value),
                };
                (reason, None)
            }
            (None, Some(winner)) => {
                let reason = Reason::JoinOfParents {
                    parents,
                    winner: self.model.profile(winner).name.clone(),
                    tie: inherited.tie,
                };
                (reason, Some(winner))
            }
            (None, None) => (Reason::CatalogDefault, None),
        };
        let step = Step {
            profile: profile.name.clone(),
            value,
            because,
        };
        Some((step, next))
    }
}

#[cfg(test)]
mod tests;
