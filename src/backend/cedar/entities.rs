//! `entities.json`: one `Profile` per profile, one `User` per member, in
//! Cedar's entity JSON with explicit `__entity` references, so that it
//! loads with and without the schema.

use std::collections::BTreeMap;

use serde::Serialize;

use super::super::decide::at_or_below;
use super::super::json::{BuildError, Bundle};
use crate::catalog::{Catalog, Kind};

/// One entity of the file.
#[derive(Debug, Serialize)]
struct Entity<'a> {
    attrs: BTreeMap<&'a str, Attr<'a>>,
    parents: [(); 0],
    uid: Uid<'a>,
}

#[derive(Debug, Serialize)]
struct Uid<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// An attribute value, as Cedar's entity JSON writes it.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Attr<'a> {
    Bool(bool),
    Set(&'a [String]),
    Text(&'a str),
    Entity {
        #[serde(rename = "__entity")]
        entity: Uid<'a>,
    },
    Longs(BTreeMap<&'a str, i64>),
}

/// The entities of `bundle`, as pretty JSON: profiles by name, then
/// members by id.
pub fn entities(bundle: &Bundle, catalog: &Catalog) -> Result<String, BuildError> {
    let mut out = Vec::with_capacity(bundle.profiles.len() + bundle.members.len());
    for (name, profile) in &bundle.profiles {
        let mut attrs = BTreeMap::new();
        for permission in catalog.permissions.iter().filter(|p| p.kind != Kind::Limit) {
            let Some(value) = profile.permissions.get(&permission.id) else {
                return Err(missing(&format!("profile `{name}`"), &permission.id));
            };
            let attr = match permission.kind {
                Kind::Toggle => Attr::Bool(value.as_level() == Some("allow")),
                _ => Attr::Set(at_or_below(permission, value)),
            };
            attrs.insert(permission.id.as_str(), attr);
        }
        out.push(Entity {
            attrs,
            parents: [],
            uid: Uid {
                id: name,
                kind: "Profile",
            },
        });
    }
    let has_limits = catalog.permissions.iter().any(|p| p.kind == Kind::Limit);
    for (id, member) in &bundle.members {
        let mut attrs = BTreeMap::new();
        let profile = Uid {
            id: &member.profile,
            kind: "Profile",
        };
        attrs.insert("profile", Attr::Entity { entity: profile });
        if let Some(team) = &member.team {
            attrs.insert("team", Attr::Text(team));
        }
        if has_limits {
            let mut limits = BTreeMap::new();
            for permission in catalog.permissions.iter().filter(|p| p.kind == Kind::Limit) {
                let Some(limit) = member.effective_limits.get(&permission.id) else {
                    return Err(missing(&format!("member `{id}`"), &permission.id));
                };
                limits.insert(
                    permission.id.as_str(),
                    i64::try_from(*limit).unwrap_or(i64::MAX),
                );
            }
            attrs.insert("limits", Attr::Longs(limits));
        }
        out.push(Entity {
            attrs,
            parents: [],
            uid: Uid { id, kind: "User" },
        });
    }
    let mut text = serde_json::to_string_pretty(&out).map_err(|e| BuildError {
        message: format!("cannot write the Cedar entities: {e}"),
    })?;
    text.push('\n');
    Ok(text)
}

fn missing(holder: &str, permission: &str) -> BuildError {
    BuildError {
        message: format!("{holder} has no value of `{permission}` in the bundle"),
    }
}
