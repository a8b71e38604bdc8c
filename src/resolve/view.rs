//! The effective view: for every catalog permission of a profile or a
//! member, its value and where it comes from.
//!
//! This is the one answer to "what does this profile hold, and why" that
//! every consumer reads — the lint rules, `explain`, the JSON bundle — so
//! that they agree with each other and with the resolver. The rule is the
//! resolver's:
//!
//! - a profile's own setting wins;
//! - else the join (maximum) of its parents' values, a tie going to the
//!   first parent in `extends` order;
//! - else, without parents, the catalog default;
//! - limits are clamped to the organisation caps (defaults and prelude
//!   values silently; a user's value above a cap is an error, kept as written);
//! - a member's own limit wins over its profile's value.
//!
//! Views borrow the tables the resolver filled ([`EffectiveTable`]): taking
//! one allocates nothing, and reading a permission costs a look at its
//! value and origin plus, for an inherited value, one look per parent to
//! name the parent it came through.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use rolecall::resolve::Provenance;
//! let paths = ["policies/examples/apollo-acme".into()];
//! let project = rolecall::load::load(&paths, None).map_err(|_| "cannot load")?;
//! let compilation = rolecall::compile(&project);
//! let model = compilation.model.as_ref().ok_or("not resolved")?;
//! let id = model.find("SDR").ok_or("no SDR")?;
//! let view = model.view(id).ok_or("in a cycle")?;
//! let perm = model.catalog.lookup("prospecting.search").ok_or("unknown")?;
//! let held = view.get(perm);
//! assert_eq!(held.to_value(model, perm).as_level(), Some("allow"));
//! // SDR does not set it: Non-admin's prelude setting gives it.
//! let Provenance::Inherited { through, origin, span } = held.provenance else {
//!     return Err("expected an inherited value".into());
//! };
//! assert_eq!(model.profile(through).name, "Non-admin");
//! assert_eq!(through, origin);
//! assert_eq!(compilation.sources.get(span.file).name, "prelude:apollo");
//! # Ok(())
//! # }
//! ```

use super::{EffectiveTable, Member, MemberLimit, Model, Origin, Profile, ProfileId};
use crate::catalog::{PermId, Value};
use crate::source::{SourceMap, Span};

/// One permission's effective value and where it comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Effective {
    /// The value: a level's index, or the limit (see [`Effective::to_value`]).
    pub value: u64,
    /// Where the value comes from.
    pub provenance: Provenance,
}

/// Where an effective value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provenance {
    /// The profile's own setting.
    Own {
        /// The profile holding the setting: the one viewed.
        profile: ProfileId,
        /// The setting statement.
        span: Span,
    },
    /// An ancestor's own setting, reached through a parent.
    Inherited {
        /// The parent it came through: the first in `extends` order that
        /// holds the highest value.
        through: ProfileId,
        /// The profile whose setting won, `through` or one of its ancestors.
        origin: ProfileId,
        /// That setting statement.
        span: Span,
    },
    /// No profile on the way sets it: the catalog default, a limit clamped
    /// to its cap.
    Default {
        /// The parent it came through, as for an inherited value; `None`
        /// for a profile without parents.
        through: Option<ProfileId>,
    },
    /// A member's own limit.
    MemberLimit {
        /// The limit's setting statement.
        span: Span,
    },
}

impl Provenance {
    /// The setting statement the value comes from; `None` for a default.
    pub fn span(&self) -> Option<Span> {
        match *self {
            Provenance::Own { span, .. }
            | Provenance::Inherited { span, .. }
            | Provenance::MemberLimit { span } => Some(span),
            Provenance::Default { .. } => None,
        }
    }

    /// 1-based line of the setting statement; `None` for a default.
    pub fn line(&self, sources: &SourceMap) -> Option<usize> {
        self.span().map(|span| sources.line(span))
    }

    /// The profile whose setting gives the value; `None` for a default or a
    /// member's limit.
    pub fn setter(&self) -> Option<ProfileId> {
        match *self {
            Provenance::Own { profile, .. } => Some(profile),
            Provenance::Inherited { origin, .. } => Some(origin),
            Provenance::Default { .. } | Provenance::MemberLimit { .. } => None,
        }
    }

    /// The parent the value came through; `None` when the profile's own
    /// setting, a member's limit or a parentless default gives it.
    pub fn through(&self) -> Option<ProfileId> {
        match *self {
            Provenance::Inherited { through, .. } => Some(through),
            Provenance::Default { through } => through,
            Provenance::Own { .. } | Provenance::MemberLimit { .. } => None,
        }
    }

    /// Whether an ancestor's setting gives the value.
    pub fn is_inherited(&self) -> bool {
        matches!(self, Provenance::Inherited { .. })
    }
}

impl Effective {
    /// The value as policy files write it, for permission `perm` of `model`.
    pub fn to_value(&self, model: &Model, perm: PermId) -> Value {
        Value::of(model.catalog.get(perm), self.value)
    }
}

/// What a profile would hold for a permission without its own setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Inherited {
    /// The value: the highest among the parents, or the capped default.
    pub value: u64,
    /// The parent it comes from (the first holding it); `None` without parents.
    pub from: Option<ProfileId>,
    /// Whether a later parent holds the same highest value.
    pub tie: bool,
}

/// The effective permissions of one resolved profile, borrowed from the model.
///
/// Permissions are named by the ids of the model's catalog
/// ([`crate::catalog::Catalog::lookup`], [`crate::catalog::Catalog::iter`]);
/// like [`crate::catalog::Catalog::get`], reading an id of another catalog
/// may index past the end.
#[derive(Clone, Copy, Debug)]
pub struct ProfileView<'m> {
    model: &'m Model,
    id: ProfileId,
    profile: &'m Profile,
    table: &'m EffectiveTable,
}

impl Model {
    /// The effective view of profile `id`; `None` when it sits in or under
    /// an inheritance cycle and so has no effective permissions.
    pub fn view(&self, id: ProfileId) -> Option<ProfileView<'_>> {
        let profile = self.profiles.get(id.index())?;
        let table = profile.effective.as_ref()?;
        Some(ProfileView {
            model: self,
            id,
            profile,
            table,
        })
    }

    /// The effective view of a member: its own limits over its profile's values.
    pub fn member_view<'m>(&'m self, member: &'m Member) -> MemberView<'m> {
        MemberView {
            member,
            profile: member.profile.and_then(|p| self.view(p)),
        }
    }

    /// A member's effective value of `perm`: its own limit, else its profile's.
    pub fn member_value(&self, member: &Member, perm: PermId) -> Option<u64> {
        self.member_view(member).get(perm).map(|e| e.value)
    }
}

impl<'m> ProfileView<'m> {
    /// The profile's id.
    pub fn id(&self) -> ProfileId {
        self.id
    }

    /// The profile.
    pub fn profile(&self) -> &'m Profile {
        self.profile
    }

    /// The model viewed.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// The effective value of `perm`, a permission of the model's catalog.
    pub fn value(&self, perm: PermId) -> u64 {
        self.table.value(perm)
    }

    /// The effective value of `perm` and where it comes from.
    pub fn get(&self, perm: PermId) -> Effective {
        let index = usize::from(perm.0);
        let value = self.table.value_at(index);
        let provenance = match self.model.origin_at(self.table, index) {
            Some(Origin { profile, setting }) if profile == self.id => Provenance::Own {
                profile,
                span: self.setting_span(profile, setting),
            },
            Some(Origin { profile, setting }) => Provenance::Inherited {
                // An origin from elsewhere means the profile has parents.
                through: self.through(index, value).unwrap_or(profile),
                origin: profile,
                span: self.setting_span(profile, setting),
            },
            None => Provenance::Default {
                through: self.through(index, value),
            },
        };
        Effective { value, provenance }
    }

    /// Every catalog permission with its effective value, in catalog order.
    pub fn iter(&self) -> impl Iterator<Item = (PermId, Effective)> + 'm {
        let view = *self;
        self.model
            .catalog
            .iter()
            .map(move |(perm, _)| (perm, view.get(perm)))
    }

    /// What the profile would hold for `perm` without its own setting: the
    /// join of its parents (ties to the first), or the capped default
    /// without parents.
    pub fn inherited(&self, perm: PermId) -> Inherited {
        let index = usize::from(perm.0);
        let mut best: Option<(u64, ProfileId)> = None;
        let mut tie = false;
        for (parent, table) in self.parents() {
            let value = table.value_at(index);
            match best {
                Some((top, _)) if value < top => {}
                Some((top, _)) if value == top => tie = true,
                _ => {
                    best = Some((value, parent));
                    tie = false;
                }
            }
        }
        match best {
            Some((value, parent)) => Inherited {
                value,
                from: Some(parent),
                tie,
            },
            None => Inherited {
                value: self.model.default_value(perm),
                from: None,
                tie: false,
            },
        }
    }

    /// The way `perm`'s value reaches the profile: the profile itself, then
    /// each parent it came through, up to the profile whose own setting
    /// gives it or, for a default, the ancestor without parents.
    pub fn chain(&self, perm: PermId) -> Chain<'m> {
        Chain {
            next: Some(*self),
            perm,
            // Each step moves to a parent of an acyclic graph; the bound
            // only guards the walk against a model built by hand.
            left: self.model.profiles.len(),
        }
    }

    /// The resolved parents with their tables, in `extends` order.
    fn parents(&self) -> impl Iterator<Item = (ProfileId, &'m EffectiveTable)> + 'm {
        let model = self.model;
        self.profile.parents.iter().filter_map(move |&parent| {
            let table = model.profiles.get(parent.index())?.effective.as_ref()?;
            Some((parent, table))
        })
    }

    /// The first parent holding `value` at `index`: the one the resolver's
    /// join took it from.
    fn through(&self, index: usize, value: u64) -> Option<ProfileId> {
        self.parents()
            .find(|(_, table)| table.value_at(index) == value)
            .map(|(parent, _)| parent)
    }

    fn setting_span(&self, profile: ProfileId, setting: u32) -> Span {
        self.model
            .profiles
            .get(profile.index())
            .and_then(|p| Some(p.own_span(p.own.get(setting as usize)?)))
            .unwrap_or(self.profile.header)
    }
}

/// The profiles one permission's value passes through; see [`ProfileView::chain`].
#[derive(Clone, Debug)]
pub struct Chain<'m> {
    next: Option<ProfileView<'m>>,
    perm: PermId,
    left: usize,
}

/// One profile on a [`Chain`], with its effective value of the permission.
#[derive(Clone, Copy, Debug)]
pub struct Link<'m> {
    /// The profile.
    pub view: ProfileView<'m>,
    /// Its effective value and where it comes from.
    pub effective: Effective,
}

impl<'m> Iterator for Chain<'m> {
    type Item = Link<'m>;

    fn next(&mut self) -> Option<Link<'m>> {
        let view = self.next.take()?;
        let effective = view.get(self.perm);
        if let Some(left) = self.left.checked_sub(1) {
            self.left = left;
            self.next = effective
                .provenance
                .through()
                .and_then(|parent| view.model.view(parent));
        }
        Some(Link { view, effective })
    }
}

/// The effective permissions of one member: its own limits over the values
/// of its profile.
#[derive(Clone, Copy, Debug)]
pub struct MemberView<'m> {
    member: &'m Member,
    profile: Option<ProfileView<'m>>,
}

impl<'m> MemberView<'m> {
    /// The member.
    pub fn member(&self) -> &'m Member {
        self.member
    }

    /// The view of the member's profile; `None` when it names an unknown
    /// profile or one in an inheritance cycle.
    pub fn profile(&self) -> Option<ProfileView<'m>> {
        self.profile
    }

    /// The member's own limit of `perm`, when it sets one.
    pub fn limit(&self, perm: PermId) -> Option<&'m MemberLimit> {
        self.member.limits.iter().find(|l| l.perm == perm)
    }

    /// The effective value of `perm`: the member's own limit, else its
    /// profile's value with the provenance it has there. `None` without
    /// either.
    pub fn get(&self, perm: PermId) -> Option<Effective> {
        match self.limit(perm) {
            Some(limit) => Some(Effective {
                value: limit.value,
                provenance: Provenance::MemberLimit { span: limit.span },
            }),
            None => self.profile.map(|view| view.get(perm)),
        }
    }
}

#[cfg(test)]
mod tests;
