//! Why a profile holds the values it holds: the data behind `rolecall explain`.
//!
//! [`table`] lists every effective value of a profile with the setting it
//! comes from; [`chain`] follows one permission through the inheritance
//! graph, the way the resolver computed it: a profile's own setting wins,
//! else the join of its parents (the highest value, ties to the first parent
//! in `extends` order), else the catalog default. Both read the model's
//! effective view ([`crate::resolve::view`]) and only name what it says for
//! output. File names are those of the diagnostics: relative to the current
//! directory.

mod render;

use serde::{Serialize, Serializer};

use crate::catalog::{PermId, Value};
use crate::resolve::{Model, ProfileId, ProfileView, Provenance};
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
    /// The setting it comes from; `None`, written `default`, for the
    /// catalog default.
    #[serde(serialize_with = "set_or_default")]
    pub origin: Option<SetBy>,
}

/// A setting named for output: the profile holding it, its file and line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SetBy {
    /// The profile holding the setting.
    pub profile: String,
    /// Its file (`prelude:PLATFORM` for built-in profiles).
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

/// Writes a setting as an object and the catalog default as `"default"`.
fn set_or_default<S: Serializer>(origin: &Option<SetBy>, out: S) -> Result<S::Ok, S::Error> {
    match origin {
        Some(set) => set.serialize(out),
        None => out.serialize_str("default"),
    }
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
    /// Where the winning value was set; `None` for the catalog default.
    #[serde(serialize_with = "set_or_default")]
    pub origin: Option<SetBy>,
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
    /// Where it was set; `None` for the catalog default.
    #[serde(serialize_with = "set_or_default")]
    pub origin: Option<SetBy>,
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
    let view = model.view(id).ok_or(Missing::Unresolved)?;
    let names = Names { model, sources };
    let permissions = view
        .iter()
        .map(|(perm, _)| {
            let (value, origin) = names.held(&view, perm);
            Row {
                permission: model.catalog.get(perm).id.clone(),
                value,
                origin,
            }
        })
        .collect();
    let profile = view.profile();
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
    let view = model.view(id).ok_or(Missing::Unresolved)?;
    let names = Names { model, sources };
    let (value, origin) = names.held(&view, perm);
    let steps = view
        .chain(perm)
        .map(|link| names.step(&link.view, perm))
        .collect::<Result<_, _>>()?;
    let mut ancestors = Vec::new();
    for ancestor in ancestors_of(model, id) {
        let ancestor = model.view(ancestor).ok_or(Missing::Unresolved)?;
        ancestors.push(names.held_by(&ancestor, perm));
    }
    Ok(Chain {
        profile: view.profile().name.clone(),
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

/// Names what the effective view says: profiles, files and lines.
struct Names<'a> {
    model: &'a Model,
    sources: &'a SourceMap,
}

impl Names<'_> {
    fn value(&self, perm: PermId, raw: u64) -> Value {
        Value::of(self.model.catalog.get(perm), raw)
    }

    /// The setting a provenance points at; `None` for the catalog default.
    fn set_by(&self, provenance: Provenance) -> Option<SetBy> {
        let span = provenance.span()?;
        let profile = provenance.setter()?;
        Some(SetBy {
            profile: self.model.profile(profile).name.clone(),
            file: self.sources.get(span.file).name.clone(),
            line: self.sources.line(span),
        })
    }

    /// A profile's effective value of `perm` and where it was set.
    fn held(&self, view: &ProfileView<'_>, perm: PermId) -> (Value, Option<SetBy>) {
        let held = view.get(perm);
        (self.value(perm, held.value), self.set_by(held.provenance))
    }

    fn held_by(&self, view: &ProfileView<'_>, perm: PermId) -> Held {
        let (value, origin) = self.held(view, perm);
        Held {
            profile: view.profile().name.clone(),
            value,
            origin,
        }
    }

    /// Why a profile on the chain holds its value of `perm`.
    fn step(&self, view: &ProfileView<'_>, perm: PermId) -> Result<Step, Missing> {
        let held = view.get(perm);
        let because = match held.provenance {
            Provenance::Own { span, .. } | Provenance::MemberLimit { span } => Reason::OwnSetting {
                file: self.sources.get(span.file).name.clone(),
                line: self.sources.line(span),
                inherited: self.value(perm, view.inherited(perm).value),
            },
            Provenance::Inherited { through, .. }
            | Provenance::Default {
                through: Some(through),
            } => {
                let mut parents = Vec::with_capacity(view.profile().parents.len());
                for &parent in &view.profile().parents {
                    let parent = self.model.view(parent).ok_or(Missing::Unresolved)?;
                    parents.push(self.held_by(&parent, perm));
                }
                Reason::JoinOfParents {
                    parents,
                    winner: self.model.profile(through).name.clone(),
                    tie: view.inherited(perm).tie,
                }
            }
            Provenance::Default { through: None } => Reason::CatalogDefault,
        };
        Ok(Step {
            profile: view.profile().name.clone(),
            value: self.value(perm, held.value),
            because,
        })
    }
}

#[cfg(test)]
mod tests;
