//! The resolved policy set as `diff` compares it: what a bundle says, read
//! either from a compiled model or from a bundle, indexed by the catalog.
//!
//! Both readings give the same [`View`] for the same set (a test holds them
//! to it), so comparing a bundle with a policy path is comparing two
//! bundles. Values are the catalog's raw numbers (a level's index or a
//! limit), so their order is the permission's level order.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::backend::{Bundle, Provenance, Value};
use crate::catalog::{Catalog, Kind, PermId};
use crate::load::Naming;
use crate::resolve::{Model, Origin};
use crate::source::{FileId, SourceMap};

/// Where a value was set: a file (its index in [`View::files`]) and a
/// 1-based line; `None` for the catalog default.
pub type Place = Option<(u32, u64)>;

/// A resolved policy set.
#[derive(Clone, Debug)]
pub struct View {
    /// The catalog the values refer to.
    pub catalog: Arc<Catalog>,
    /// The platform's name.
    pub platform: String,
    /// The files of provenance: relative to the policy root with `/`, or
    /// `prelude:PLATFORM`.
    pub files: Vec<String>,
    /// Every profile by name.
    pub profiles: BTreeMap<String, ViewProfile>,
    /// Every member by id.
    pub members: BTreeMap<String, ViewMember>,
}

/// One profile's effective permissions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewProfile {
    /// Parents in `extends` order.
    pub extends: Vec<String>,
    /// Whether a holder can make itself an admin.
    pub admin_equivalent: bool,
    /// Values by [`PermId`].
    pub values: Vec<u64>,
    /// Where each value was set, by [`PermId`].
    pub places: Vec<Place>,
}

/// One member: its profile and its own limits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewMember {
    /// The profile held.
    pub profile: String,
    /// Own limit values, by [`PermId`], in catalog order.
    pub limits: Vec<(PermId, u64)>,
}

impl PartialEq for View {
    /// The same catalog text, platform, members, and profiles with the same
    /// values set at the same places (files compared by name).
    fn eq(&self, other: &Self) -> bool {
        fn named(view: &View, place: Place) -> Option<(&str, u64)> {
            place.map(|(file, line)| (view.file(file), line))
        }
        let same_profile = |(a, b): (&ViewProfile, &ViewProfile)| {
            a.extends == b.extends
                && a.admin_equivalent == b.admin_equivalent
                && a.values == b.values
                && a.places.len() == b.places.len()
                && a.places
                    .iter()
                    .zip(&b.places)
                    .all(|(x, y)| named(self, *x) == named(other, *y))
        };
        self.catalog.source == other.catalog.source
            && self.platform == other.platform
            && self.members == other.members
            && self.profiles.len() == other.profiles.len()
            && self
                .profiles
                .iter()
                .zip(&other.profiles)
                .all(|((n, a), (m, b))| n == m && same_profile((a, b)))
    }
}

impl Eq for View {}

impl View {
    /// The view of a compiled, error-free model; provenance files are named
    /// relative to the policy root by `naming`, as in the bundle.
    pub fn from_model(model: &Model, sources: &SourceMap, naming: &Naming) -> View {
        // The files settings sit in, each named once.
        let mut ids: Vec<FileId> = Vec::new();
        let mut files: Vec<String> = Vec::new();
        for profile in &model.profiles {
            let Some(setting) = profile.own.first() else {
                continue;
            };
            // A profile's settings are in the file of its statement.
            let id = profile.own_span(setting).file;
            if ids.last() != Some(&id) && !ids.contains(&id) {
                ids.push(id);
                files.push(naming.name(&sources.get(id).name));
            }
        }
        let file_of = |id: FileId| {
            let index = ids.iter().position(|&f| f == id).unwrap_or(usize::MAX);
            u32::try_from(index).unwrap_or(u32::MAX)
        };
        // Each own setting's place, found once: origins point at them.
        let own: Vec<Vec<Place>> = model
            .profiles
            .par_iter()
            .map(|profile| {
                let mut file = None;
                profile
                    .own
                    .iter()
                    .map(|setting| {
                        let span = profile.own_span(setting);
                        let id = span.file;
                        let index = match file {
                            Some((seen, index)) if seen == id => index,
                            _ => file.insert((id, file_of(id))).1,
                        };
                        let line = u64::try_from(sources.line(span)).unwrap_or(u64::MAX);
                        Some((index, line))
                    })
                    .collect()
            })
            .collect();
        let place_of = |origin: Origin| -> Place {
            *own.get(origin.profile.0 as usize)?
                .get(origin.setting as usize)?
        };
        let count = model.catalog.len();
        let profiles = model
            .profiles
            .par_iter()
            .map(|profile| {
                let (values, places) = match &profile.effective {
                    Some(effective) => (
                        effective.values().collect(),
                        model
                            .origins(effective)
                            .map(|o| o.and_then(place_of))
                            .collect(),
                    ),
                    None => (vec![0; count], vec![None; count]),
                };
                let entry = ViewProfile {
                    extends: profile.extends.iter().map(|(n, _)| n.clone()).collect(),
                    admin_equivalent: profile.admin_equivalent,
                    values,
                    places,
                };
                (profile.name.clone(), entry)
            })
            .collect();
        let mut members = BTreeMap::new();
        for member in &model.members {
            let Some(held) = member.profile else { continue };
            let mut limits: Vec<(PermId, u64)> =
                member.limits.iter().map(|l| (l.perm, l.value)).collect();
            limits.sort_unstable();
            limits.dedup_by_key(|l| l.0);
            let entry = ViewMember {
                profile: model.profile(held).name.clone(),
                limits,
            };
            members.insert(member.id.clone(), entry);
        }
        View {
            platform: model.catalog.platform.clone(),
            catalog: Arc::clone(&model.catalog),
            files,
            profiles,
            members,
        }
    }

    /// The view of a (verified) bundle, read against `catalog`.
    pub fn from_bundle(bundle: &Bundle, catalog: Arc<Catalog>) -> Result<View, String> {
        let mut files = Vec::new();
        let mut index: HashMap<&str, u32> = HashMap::new();
        let mut profiles = BTreeMap::new();
        for (name, profile) in &bundle.profiles {
            let mut values: Vec<u64> = catalog.iter().map(|(_, p)| p.default).collect();
            let mut places = vec![None; catalog.len()];
            for (id, value) in &profile.permissions {
                let perm = lookup(&catalog, id)?;
                values[usize::from(perm.0)] = raw(&catalog, perm, value).ok_or_else(|| {
                    format!("profile `{name}` has `{id} = {value}`, which is not a value of `{id}`")
                })?;
            }
            for (id, from) in &profile.provenance {
                let perm = lookup(&catalog, id)?;
                places[usize::from(perm.0)] = match from {
                    Provenance::Default(_) => None,
                    Provenance::Set(at) => {
                        let file = *index.entry(at.file.as_str()).or_insert_with(|| {
                            files.push(at.file.clone());
                            u32::try_from(files.len() - 1).unwrap_or(u32::MAX)
                        });
                        Some((file, at.line))
                    }
                };
            }
            let entry = ViewProfile {
                extends: profile.extends.clone(),
                admin_equivalent: profile.admin_equivalent,
                values,
                places,
            };
            profiles.insert(name.clone(), entry);
        }
        let mut members = BTreeMap::new();
        for (id, member) in &bundle.members {
            let mut limits = Vec::with_capacity(member.limits.len());
            for (perm, value) in &member.limits {
                limits.push((lookup(&catalog, perm)?, *value));
            }
            limits.sort_unstable();
            let entry = ViewMember {
                profile: member.profile.clone(),
                limits,
            };
            members.insert(id.clone(), entry);
        }
        Ok(View {
            platform: bundle.platform.clone(),
            catalog,
            files,
            profiles,
            members,
        })
    }

    /// The same set read against another version of its catalog, matching
    /// permissions by id and levels by name; a permission the new catalog
    /// lacks is left out, one it adds holds its default.
    pub fn rebased(&self, catalog: &Arc<Catalog>) -> Result<Cow<'_, View>, String> {
        if Arc::ptr_eq(&self.catalog, catalog) || self.catalog.source == catalog.source {
            return Ok(Cow::Borrowed(self));
        }
        let mut view = View {
            catalog: Arc::clone(catalog),
            platform: self.platform.clone(),
            files: self.files.clone(),
            profiles: BTreeMap::new(),
            members: BTreeMap::new(),
        };
        for (name, profile) in &self.profiles {
            let mut values: Vec<u64> = catalog.iter().map(|(_, p)| p.default).collect();
            let mut places = vec![None; catalog.len()];
            for (old, permission) in self.catalog.iter() {
                let Some(perm) = catalog.lookup(&permission.id) else {
                    continue;
                };
                let value = Value::of(permission, profile.values[usize::from(old.0)]);
                values[usize::from(perm.0)] = raw(catalog, perm, &value).ok_or_else(|| {
                    format!("profile `{name}` holds `{} = {value}`, which the new catalog does not have", permission.id)
                })?;
                places[usize::from(perm.0)] = profile.places[usize::from(old.0)];
            }
            let entry = ViewProfile {
                values,
                places,
                ..profile.clone()
            };
            view.profiles.insert(name.clone(), entry);
        }
        for (id, member) in &self.members {
            let limits = member
                .limits
                .iter()
                .filter_map(|&(perm, value)| {
                    let perm = catalog.lookup(&self.catalog.get(perm).id)?;
                    Some((perm, value))
                })
                .collect();
            let entry = ViewMember {
                profile: member.profile.clone(),
                limits,
            };
            view.members.insert(id.clone(), entry);
        }
        Ok(Cow::Owned(view))
    }

    /// Member `id`'s effective value of `perm`: its own limit, else its
    /// profile's value (`None` when the profile is not in the set).
    pub fn member_value(&self, member: &ViewMember, perm: PermId) -> Option<u64> {
        if let Some(&(_, value)) = member.limits.iter().find(|l| l.0 == perm) {
            return Some(value);
        }
        let profile = self.profiles.get(&member.profile)?;
        profile.values.get(usize::from(perm.0)).copied()
    }

    /// The name of file `index` of a [`Place`].
    pub fn file(&self, index: u32) -> &str {
        self.files.get(index as usize).map_or("", String::as_str)
    }

    /// The value as the bundle writes it.
    pub fn value(&self, perm: PermId, raw: u64) -> Value {
        Value::of(self.catalog.get(perm), raw)
    }
}

fn lookup(catalog: &Catalog, id: &str) -> Result<PermId, String> {
    catalog.lookup(id).ok_or_else(|| {
        format!(
            "`{id}` is not a permission of the `{}` catalog",
            catalog.platform
        )
    })
}

/// The raw value of `value` for `perm`, when it is one of its values.
fn raw(catalog: &Catalog, perm: PermId, value: &Value) -> Option<u64> {
    let permission = catalog.get(perm);
    match (permission.kind, value) {
        (Kind::Limit, Value::Limit(n)) => Some(*n),
        (Kind::Limit, Value::Level(_)) | (_, Value::Limit(_)) => None,
        (_, Value::Level(name)) => permission.level(name),
    }
}
