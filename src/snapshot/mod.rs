//! Access snapshots (docs/testing.md, "Snapshots"): who can do what, as a deterministic
//! YAML file to commit next to the policies, so that every access change
//! shows in a pull request's own diff.
//!
//! ```text
//!  Model ──► Snapshot::of ──► to_yaml ──► access.snap.yaml
//!  access.snap.yaml ──► from_yaml ──► Snapshot::to_view ──► diff::View (old side)
//! ```
//!
//! A snapshot holds, per profile (custom and built-in), its `extends`,
//! `admin_equivalent` and every effective value that differs from the
//! catalog default; per member its profile, team and effective limits; and
//! the admin-equivalent members. It names no file and no line, so moving
//! or reformatting policies never changes it. Read back, it is the old side
//! of the same comparison `rolecall diff` makes ([`Snapshot::to_view`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_yaml::{Mapping, Value as Yaml};

use crate::catalog::{Catalog, Kind, PermId, Value};
use crate::diff::{View, ViewMember, ViewProfile};
use crate::resolve::Model;

/// The format tag of a snapshot file.
pub const FORMAT: &str = "rolecall.snapshot/v1";

/// The comment that opens every snapshot file.
const HEADER: &str = "# Access snapshot of a rolecall policy set: who can do what.\n# Written by `rolecall snapshot --update`; checked by `rolecall snapshot --check`.\n";

/// The resolved access of a policy set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Always [`FORMAT`].
    pub format: String,
    /// The platform's name.
    pub platform: String,
    /// Members holding an admin-equivalent profile, sorted.
    pub admins: Vec<String>,
    /// Every profile by name.
    pub profiles: BTreeMap<String, SnapshotProfile>,
    /// Every member (that holds an existing profile) by id.
    pub members: BTreeMap<String, SnapshotMember>,
}

/// One profile of a snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotProfile {
    /// Parents in `extends` order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extends: Vec<String>,
    /// Whether a holder can make itself an admin.
    pub admin_equivalent: bool,
    /// Effective values that differ from the catalog default, in catalog order.
    #[serde(default)]
    pub values: Mapping,
}

/// One member of a snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotMember {
    /// The profile held.
    pub profile: String,
    /// The team, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// The effective value of every limit, in catalog order.
    #[serde(default)]
    pub limits: Mapping,
}

fn yaml_of(value: Value) -> Yaml {
    match value {
        Value::Level(name) => Yaml::String(name),
        Value::Limit(n) => Yaml::Number(n.into()),
    }
}

impl Snapshot {
    /// The snapshot of a resolved, error-free model.
    pub fn of(model: &Model) -> Snapshot {
        let catalog = &model.catalog;
        let mut profiles = BTreeMap::new();
        for profile in &model.profiles {
            let mut values = Mapping::new();
            for (perm, permission) in catalog.iter() {
                let Some(raw) = profile.value(perm) else {
                    continue;
                };
                if raw != permission.default {
                    let value = Value::of(permission, raw);
                    values.insert(Yaml::String(permission.id.clone()), yaml_of(value));
                }
            }
            let entry = SnapshotProfile {
                extends: profile.extends.iter().map(|(n, _)| n.clone()).collect(),
                admin_equivalent: profile.admin_equivalent,
                values,
            };
            profiles.insert(profile.name.clone(), entry);
        }
        let limits: Vec<PermId> = catalog
            .iter()
            .filter(|(_, p)| p.kind == Kind::Limit)
            .map(|(id, _)| id)
            .collect();
        let mut members = BTreeMap::new();
        let mut admins = Vec::new();
        for member in &model.members {
            let Some(held) = member.profile else { continue };
            let profile = model.profile(held);
            if profile.admin_equivalent {
                admins.push(member.id.clone());
            }
            let mut own = Mapping::new();
            for &perm in &limits {
                if let Some(value) = model.member_value(member, perm) {
                    own.insert(
                        Yaml::String(catalog.get(perm).id.clone()),
                        Yaml::Number(value.into()),
                    );
                }
            }
            let entry = SnapshotMember {
                profile: profile.name.clone(),
                team: member.team.clone(),
                limits: own,
            };
            members.entry(member.id.clone()).or_insert(entry);
        }
        admins.sort_unstable();
        admins.dedup();
        Snapshot {
            format: FORMAT.to_owned(),
            platform: catalog.platform.clone(),
            admins,
            profiles,
            members,
        }
    }

    /// The snapshot's file text: a comment, then the YAML document.
    pub fn to_yaml(&self) -> String {
        // Plain data with string keys: serialising it cannot fail.
        let body = serde_yaml::to_string(self).unwrap_or_default();
        format!("{HEADER}{body}")
    }

    /// Reads a snapshot file's text.
    pub fn from_yaml(text: &str) -> Result<Snapshot, String> {
        let snapshot: Snapshot = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
        if snapshot.format != FORMAT {
            return Err(format!(
                "the format is `{}`, not `{FORMAT}`",
                snapshot.format
            ));
        }
        Ok(snapshot)
    }

    /// The snapshot as the old side of a diff, read against `catalog`. It
    /// names no places, and a member's own limits are those that differ
    /// from its profile's value (see [`comparable`]).
    pub fn to_view(&self, catalog: &Arc<Catalog>) -> Result<View, String> {
        if self.platform != catalog.platform {
            return Err(format!(
                "the snapshot is of the `{}` platform, the policy set of `{}`",
                self.platform, catalog.platform
            ));
        }
        let perm = |id: &Yaml| -> Result<PermId, String> {
            let id = id.as_str().unwrap_or_default();
            catalog.lookup(id).ok_or_else(|| {
                format!(
                    "`{id}` is not a permission of the `{}` catalog",
                    catalog.platform
                )
            })
        };
        let mut profiles = BTreeMap::new();
        for (name, profile) in &self.profiles {
            let mut values: Vec<u64> = catalog.iter().map(|(_, p)| p.default).collect();
            for (id, value) in &profile.values {
                let perm = perm(id)?;
                let permission = catalog.get(perm);
                let raw = match (permission.kind, value) {
                    (Kind::Limit, Yaml::Number(n)) => n.as_u64(),
                    (Kind::Limit, _) => None,
                    (_, Yaml::String(level)) => permission.level(level),
                    _ => None,
                };
                let raw = raw.ok_or_else(|| {
                    format!(
                        "profile `{name}` has a value of `{}` that is not one of its values",
                        permission.id
                    )
                })?;
                values[usize::from(perm.0)] = raw;
            }
            let entry = ViewProfile {
                extends: profile.extends.clone(),
                admin_equivalent: profile.admin_equivalent,
                places: vec![None; values.len()],
                values,
            };
            profiles.insert(name.clone(), entry);
        }
        let mut members = BTreeMap::new();
        for (id, member) in &self.members {
            let held = profiles.get(&member.profile);
            let mut limits = Vec::new();
            for (perm_id, value) in &member.limits {
                let perm = perm(perm_id)?;
                let value = value
                    .as_u64()
                    .ok_or_else(|| format!("member `{id}` has a limit that is not a number"))?;
                let inherited = held.and_then(|p| p.values.get(usize::from(perm.0)).copied());
                if inherited != Some(value) {
                    limits.push((perm, value));
                }
            }
            limits.sort_unstable();
            let entry = ViewMember {
                profile: member.profile.clone(),
                limits,
            };
            members.insert(id.clone(), entry);
        }
        Ok(View {
            catalog: Arc::clone(catalog),
            platform: self.platform.clone(),
            files: Vec::new(),
            profiles,
            members,
        })
    }
}

/// `view` with every member's own limit that equals its profile's value
/// left out: a snapshot records effective limits only, so a limit a member
/// sets to its profile's value cannot be told from no limit at all. Both
/// sides of `snapshot --check` are compared in this form.
pub fn comparable(mut view: View) -> View {
    let View {
        profiles, members, ..
    } = &mut view;
    for member in members.values_mut() {
        let held = profiles.get(&member.profile);
        member.limits.retain(|&(perm, value)| {
            held.and_then(|p| p.values.get(usize::from(perm.0)).copied()) != Some(value)
        });
    }
    view
}

/// A snapshot file's text as written, whatever a checkout did to it: a
/// leading byte order mark dropped and CRLF line endings read as LF (a
/// Windows clone with `core.autocrlf=true` has both). `rolecall` writes
/// neither, so the text it would write compares equal to the file's.
pub fn as_written(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains("\r\n") {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests;
