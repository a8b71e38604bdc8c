//! Decisions: what a bundle answers to "may this member do this, here?"
//! (docs/targets.md, "What a request means"). This is the reference that every runtime target must
//! agree with.
//!
//! The JSON bundle holds each member's effective values but not the
//! catalog's kinds and level order, which a decision needs. The bundle names
//! its catalog exactly (`platform` and `catalog_digest`), so
//! [`Bundle::decide`] takes the built-in catalog of `platform` and refuses
//! to answer when its digest differs; a bundle of a custom catalog is asked
//! through [`Bundle::decide_with`], given that catalog. The bundle's format
//! and bytes stay as they are.

mod request;

use std::sync::OnceLock;

use serde::Serialize;

pub use request::{Amount, Request, Resource};

use super::json::{Bundle, Provenance, Value, sha256};
use crate::catalog::{BUILTIN_PLATFORMS, Catalog, Kind, Permission, builtin_platform};

/// The answer to a [`Request`], with its reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// Whether the request is allowed.
    pub allowed: bool,
    /// The member asked about.
    pub member: String,
    /// The permission asked about.
    pub permission: String,
    /// The permission's kind.
    pub kind: Kind,
    /// The profile the member holds.
    pub profile: String,
    /// The member's effective value of the permission.
    pub value: Value,
    /// Where that value was set.
    pub origin: Origin,
    /// For an allowed scope request, the level that covers the resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covered_by: Option<String>,
}

/// Where a member's effective value was set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Origin {
    /// The member's own limit, written on its `member` statement.
    Member(MemberTag),
    /// The value of the member's profile, with its provenance.
    Profile(Provenance),
}

/// The word `member`, the origin of a member's own limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum MemberTag {
    /// The member's own setting.
    #[serde(rename = "member")]
    Member,
}

/// Why a request gets no decision; every one of them means "deny".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecideError {
    /// The member is not in the bundle.
    UnknownMember(String),
    /// The permission is not in the catalog.
    UnknownPermission(String),
    /// The level is not a level of the enum.
    UnknownLevel {
        /// The enum permission.
        permission: String,
        /// The level asked for.
        level: String,
    },
    /// An enum request without a level.
    MissingLevel(String),
    /// A limit request without an amount.
    MissingAmount(String),
    /// A limit request whose amount is not a non-negative integer.
    BadAmount {
        /// The limit permission.
        permission: String,
        /// The amount as given.
        amount: String,
    },
    /// A request document with a field of the wrong type.
    Malformed(String),
    /// The catalog the bundle was compiled against is not at hand.
    Catalog(String),
}

impl DecideError {
    /// The short reason, the same string the OPA policy puts in `reasons`.
    pub fn reason(&self) -> &'static str {
        match self {
            DecideError::UnknownMember(_) => "unknown member",
            DecideError::UnknownPermission(_) => "unknown permission",
            DecideError::UnknownLevel { .. } => "unknown level",
            DecideError::MissingLevel(_) => "missing level",
            DecideError::MissingAmount(_) => "missing amount",
            DecideError::BadAmount { .. } => "bad amount",
            DecideError::Malformed(_) => "malformed request",
            DecideError::Catalog(_) => "unknown catalog",
        }
    }
}

impl std::fmt::Display for DecideError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecideError::UnknownMember(id) => write!(f, "unknown member `{id}`"),
            DecideError::UnknownPermission(id) => write!(f, "unknown permission `{id}`"),
            DecideError::UnknownLevel { permission, level } => {
                write!(f, "`{level}` is not a level of `{permission}`")
            }
            DecideError::MissingLevel(id) => write!(f, "`{id}` is an enum: a level is needed"),
            DecideError::MissingAmount(id) => write!(f, "`{id}` is a limit: an amount is needed"),
            DecideError::BadAmount { permission, amount } => write!(
                f,
                "the amount `{amount}` of `{permission}` is not a non-negative integer"
            ),
            DecideError::Malformed(message) => write!(f, "malformed request: {message}"),
            DecideError::Catalog(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for DecideError {}

impl Bundle {
    /// Decides `request` against this bundle and the built-in catalog it
    /// was compiled against (docs/targets.md, "What a request means").
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use rolecall::backend::{Bundle, Request};
    /// # let text = rolecall::build_paths(&["policies/examples/apollo-acme".into()], None)?.to_json();
    /// let bundle = Bundle::from_json(&text)?;
    /// bundle.verify()?;
    /// let ask = Request::new("noah.weber@acme.com", "mailbox.sending_limit").amount(120);
    /// let decision = bundle.decide(&ask)?;
    /// assert!(!decision.allowed); // Noah's limit is 100
    /// assert_eq!(decision.value.as_limit(), Some(100));
    /// let unknown = bundle.decide(&Request::new("nobody@acme.com", "records.export_csv"));
    /// assert_eq!(unknown.map_err(|e| e.reason()), Err("unknown member"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn decide(&self, request: &Request) -> Result<Decision, DecideError> {
        let catalog = builtin_catalog(&self.platform, &self.catalog_digest)?;
        self.decide_in(catalog, request)
    }

    /// Decides `request` against this bundle and `catalog`, which must be
    /// the catalog the bundle was compiled against (its digest is checked):
    /// for bundles of a custom catalog.
    pub fn decide_with(
        &self,
        catalog: &Catalog,
        request: &Request,
    ) -> Result<Decision, DecideError> {
        if !compiled_against(self, catalog) {
            return Err(DecideError::Catalog(format!(
                "the catalog of `{}` given is not the one the bundle was compiled against",
                catalog.platform
            )));
        }
        self.decide_in(catalog, request)
    }

    fn decide_in(&self, catalog: &Catalog, request: &Request) -> Result<Decision, DecideError> {
        let id = &request.permission;
        let member = self
            .members
            .get(&request.member)
            .ok_or_else(|| DecideError::UnknownMember(request.member.clone()))?;
        let permission = catalog
            .lookup(id)
            .map(|p| catalog.get(p))
            .ok_or_else(|| DecideError::UnknownPermission(id.clone()))?;
        let profile = self.profiles.get(&member.profile);
        let held = profile.and_then(|p| p.permissions.get(id));
        let (value, origin) = match member.effective_limits.get(id) {
            Some(limit) if member.limits.contains_key(id) => {
                (Value::Limit(*limit), Origin::Member(MemberTag::Member))
            }
            Some(limit) => (
                Value::Limit(*limit),
                profile_origin(self, &member.profile, id),
            ),
            None => match held {
                Some(value) => (value.clone(), profile_origin(self, &member.profile, id)),
                None => return Err(DecideError::UnknownPermission(id.clone())),
            },
        };
        let mut covered_by = None;
        let allowed = match permission.kind {
            Kind::Toggle => value.as_level() == Some("allow"),
            Kind::Enum => {
                let Some(level) = &request.level else {
                    return Err(DecideError::MissingLevel(id.clone()));
                };
                if !permission.levels.contains(level) {
                    return Err(DecideError::UnknownLevel {
                        permission: id.clone(),
                        level: level.clone(),
                    });
                }
                at_or_below(permission, &value).contains(level)
            }
            Kind::Scope => {
                let resource = &request.resource;
                covered_by = at_or_below(permission, &value)
                    .iter()
                    .find(|level| match level.as_str() {
                        "all" => true,
                        "team" => member.team.is_some() && resource.team == member.team,
                        "own" => resource.owner.as_ref() == Some(&request.member),
                        _ => false,
                    })
                    .cloned();
                covered_by.is_some()
            }
            Kind::Limit => match &request.amount {
                None => return Err(DecideError::MissingAmount(id.clone())),
                Some(Amount::Malformed(_)) => {
                    return Err(DecideError::BadAmount {
                        permission: id.clone(),
                        amount: request
                            .amount
                            .as_ref()
                            .map(Amount::to_string)
                            .unwrap_or_default(),
                    });
                }
                Some(Amount::Count(amount)) => value.as_limit().is_some_and(|l| *amount <= l),
            },
        };
        Ok(Decision {
            allowed,
            member: request.member.clone(),
            permission: id.clone(),
            kind: permission.kind,
            profile: member.profile.clone(),
            value,
            origin,
            covered_by,
        })
    }
}

fn profile_origin(bundle: &Bundle, profile: &str, id: &str) -> Origin {
    let provenance = bundle
        .profiles
        .get(profile)
        .and_then(|p| p.provenance.get(id))
        .cloned()
        .unwrap_or(Provenance::Default(super::json::DefaultTag::Default));
    Origin::Profile(provenance)
}

/// Whether `bundle` was compiled against `catalog`: same platform, same digest.
pub(crate) fn compiled_against(bundle: &Bundle, catalog: &Catalog) -> bool {
    catalog.platform == bundle.platform
        && sha256(catalog.source.as_bytes()) == bundle.catalog_digest
}

/// The levels of a levelled `permission` at or below `value`, least first;
/// empty for limits and for a value that is not one of its levels.
pub(crate) fn at_or_below<'p>(permission: &'p Permission, value: &Value) -> &'p [String] {
    let rank = value
        .as_level()
        .and_then(|name| permission.levels.iter().position(|l| l == name));
    match rank {
        Some(rank) => permission.levels.get(..=rank).unwrap_or_default(),
        None => &[],
    }
}

/// The built-in catalog of `platform`, when its digest is `digest`.
fn builtin_catalog(platform: &str, digest: &str) -> Result<&'static Catalog, DecideError> {
    static DIGESTS: [OnceLock<String>; BUILTIN_PLATFORMS.len()] =
        [const { OnceLock::new() }; BUILTIN_PLATFORMS.len()];
    let found = BUILTIN_PLATFORMS
        .iter()
        .position(|p| *p == platform)
        .zip(builtin_platform(platform));
    let Some((index, built)) = found else {
        return Err(DecideError::Catalog(format!(
            "`{platform}` is not a built-in platform: decide with its catalog"
        )));
    };
    let catalog: &'static Catalog = &built.catalog;
    let known = DIGESTS
        .get(index)
        .map(|cell| cell.get_or_init(|| sha256(catalog.source.as_bytes())));
    if known.map(String::as_str) == Some(digest) {
        Ok(catalog)
    } else {
        Err(DecideError::Catalog(format!(
            "the bundle was compiled against another version of the `{platform}` catalog (`{digest}`)"
        )))
    }
}

#[cfg(test)]
mod tests;
