//! Resolution: profiles and their `extends` edges on a petgraph graph,
//! effective permissions with provenance, members, caps and the plan gate.
//!
//! Every catalog permission of every profile gets an effective value: the
//! pointwise join (maximum) of the parents' values, or the catalog default
//! without parents, overridden by the profile's own settings. Work is
//! proportional to profiles × permissions, in topological order, without
//! recursion.
//!
//! The resolver stores each profile's values and origins in an
//! [`EffectiveTable`]; [`view`] reads them back as one effective view per
//! profile or member, with provenance and spans, for every consumer.

mod graph;
mod members;
pub(crate) mod platform;
mod profiles;
mod values;
pub mod view;

use std::collections::HashMap;
use std::sync::Arc;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::catalog::{Catalog, PermId};
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::ast;

pub use values::check as check_setting;
pub use view::{Chain, Effective, Inherited, Link, MemberView, ProfileView, Provenance};

/// Index of a profile in [`Model::profiles`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProfileId(pub u32);

impl ProfileId {
    fn index(self) -> usize {
        self.0 as usize
    }
}

/// Where an effective value comes from: a setting of some profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The profile whose setting it is.
    pub profile: ProfileId,
    /// Index into that profile's [`Profile::own`].
    pub setting: u32,
}

/// A profile's own, checked setting.
#[derive(Clone, Debug)]
pub struct OwnSetting {
    /// The permission.
    pub perm: PermId,
    /// The value as written (prelude values clamped to caps).
    pub value: u64,
    /// Index of the setting among those of its block in the syntax tree,
    /// where its spans are ([`Profile::own_span`]).
    pub index: u32,
}

/// Effective permissions of a profile as the resolver stores them: one value
/// and origin per catalog permission. Read them through [`Model::view`].
///
/// Held compactly, as every profile has one: a byte per value (levels and
/// most limits are small) with the larger values apart, and an origin in
/// four bytes, the number of its setting among all the model's own
/// settings (read back through [`Model::origin`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffectiveTable {
    /// Values below [`WIDE`] as themselves, larger ones as [`WIDE`]; indexed by [`PermId`].
    small: Box<[u8]>,
    /// The values of [`WIDE`] or more, by permission index, sorted.
    wide: Box<[(u16, u64)]>,
    /// Origins as numbers of settings (see [`Model::origin`]), indexed by
    /// [`PermId`]; [`NO_ORIGIN`] for the catalog default.
    origins: Box<[u32]>,
}

/// The byte of a value held in [`EffectiveTable::wide`].
const WIDE: u8 = u8::MAX;

/// The origin of a default value (no setting has this number).
pub(crate) const NO_ORIGIN: u32 = u32::MAX;

impl EffectiveTable {
    /// The table of `values` and `origins`, indexed by [`PermId`] (the two
    /// have the catalog's length); an origin is a number of
    /// [`Model::origin`], or [`NO_ORIGIN`].
    pub(crate) fn new(values: &[u64], origins: &[u32]) -> Self {
        let small = values
            .iter()
            .map(|&v| u8::try_from(v).ok().filter(|&b| b < WIDE).unwrap_or(WIDE))
            .collect();
        let wide = values
            .iter()
            .enumerate()
            .filter(|&(_, &v)| v >= u64::from(WIDE))
            .map(|(i, &v)| (u16::try_from(i).unwrap_or(u16::MAX), v))
            .collect();
        EffectiveTable {
            small,
            wide,
            origins: origins.into(),
        }
    }

    /// Number of permissions.
    pub fn len(&self) -> usize {
        self.small.len()
    }

    /// Whether the table holds no permission (an empty catalog).
    pub fn is_empty(&self) -> bool {
        self.small.is_empty()
    }

    /// The value of permission index `index` (0 past the end).
    pub(crate) fn value_at(&self, index: usize) -> u64 {
        match self.small.get(index) {
            Some(&WIDE) => self
                .wide
                .binary_search_by_key(&index, |&(i, _)| usize::from(i))
                .map_or(0, |at| self.wide[at].1),
            Some(&small) => u64::from(small),
            None => 0,
        }
    }

    /// The effective value of `perm`.
    pub fn value(&self, perm: PermId) -> u64 {
        self.value_at(usize::from(perm.0))
    }

    /// The number of the setting permission index `index` comes from
    /// ([`NO_ORIGIN`] for a default or past the end).
    pub(crate) fn origin_number(&self, index: usize) -> u32 {
        self.origins.get(index).copied().unwrap_or(NO_ORIGIN)
    }

    /// Every value, in catalog order.
    pub fn values(&self) -> impl Iterator<Item = u64> + '_ {
        (0..self.len()).map(|i| self.value_at(i))
    }
}

/// A profile of the set, built-in or written by users.
#[derive(Clone, Debug)]
pub struct Profile {
    /// Name.
    pub name: String,
    /// Span of the name string.
    pub name_span: Span,
    /// Span of the header (`profile "X" extends ...`).
    pub header: Span,
    /// Span of the `extends` clause, when present.
    pub extends_span: Option<Span>,
    /// Whether it comes from the platform's prelude.
    pub builtin: bool,
    /// Parent names as written, with their spans.
    pub extends: Vec<(String, Span)>,
    /// The parents that exist, in `extends` order.
    pub parents: Vec<ProfileId>,
    /// Description, when given.
    pub description: Option<String>,
    /// Own settings that passed the catalog check, in source order.
    pub own: Vec<OwnSetting>,
    /// Effective permissions; `None` when the profile sits in or under a cycle.
    pub effective: Option<EffectiveTable>,
    /// Whether Admin is among its ancestors (or it is Admin).
    pub extends_admin: bool,
    /// Whether its effective permissions let it make itself an admin.
    pub admin_equivalent: bool,
    /// The file tree the profile is written in and the index of its
    /// statement, where its own settings' spans are.
    pub tree: Option<(Arc<ast::File>, u32)>,
}

impl Profile {
    /// The setting of the syntax tree that `own`, one of [`Profile::own`], is.
    pub fn written(&self, own: &OwnSetting) -> Option<&ast::Setting> {
        let (file, statement) = self.tree.as_ref()?;
        match file.statements.get(*statement as usize)? {
            ast::Statement::Profile(profile) => profile.settings.get(own.index as usize),
            _ => None,
        }
    }

    /// The span of own setting `own`, the profile's header should the tree
    /// not hold it (a model built by hand).
    pub fn own_span(&self, own: &OwnSetting) -> Span {
        self.written(own).map_or(self.header, ast::Setting::span)
    }

    /// The span of own setting `own`'s value, as [`Profile::own_span`].
    pub fn own_value_span(&self, own: &OwnSetting) -> Span {
        self.written(own).map_or(self.header, |s| s.value_span)
    }

    /// Effective value of `perm`, when resolved.
    pub fn value(&self, perm: PermId) -> Option<u64> {
        self.effective.as_ref().map(|e| e.value(perm))
    }
}

/// A member's own limit value.
#[derive(Clone, Debug)]
pub struct MemberLimit {
    /// The permission (limit-kind).
    pub perm: PermId,
    /// The value.
    pub value: u64,
    /// The setting statement.
    pub span: Span,
}

/// A member of the organisation.
#[derive(Clone, Debug)]
pub struct Member {
    /// Member id, usually an e-mail address.
    pub id: String,
    /// Span of the `member` statement.
    pub span: Span,
    /// Span of the member's header.
    pub header: Span,
    /// The profile held (named, or the catalog's default), when it exists.
    pub profile: Option<ProfileId>,
    /// Whether the profile was named explicitly.
    pub profile_named: bool,
    /// Span of the `profile "X"` clause, when the profile is named.
    pub profile_clause: Option<Span>,
    /// Team, when given.
    pub team: Option<String>,
    /// Own limit values.
    pub limits: Vec<MemberLimit>,
}

/// An organisation cap from a `settings` block.
#[derive(Clone, Debug)]
pub struct Cap {
    /// The cap.
    pub value: u64,
    /// The setting statement.
    pub span: Span,
}

/// The resolved policy set.
#[derive(Debug)]
pub struct Model {
    /// The catalog of the set's platform, shared with every compilation.
    pub catalog: Arc<Catalog>,
    /// The plan, when declared.
    pub plan: Option<String>,
    /// Every profile: the prelude's first, then users', in file order.
    pub profiles: Vec<Profile>,
    /// Profiles by name.
    pub by_name: HashMap<String, ProfileId>,
    /// `extends` edges, parent → child, weighted with the span of the
    /// parent's name in the child's `extends` clause; node `i` is profile `i`.
    pub graph: DiGraph<ProfileId, Span>,
    /// Members, in file order.
    pub members: Vec<Member>,
    /// Caps, indexed by [`PermId`].
    pub caps: Vec<Option<Cap>>,
    /// The prelude's Admin profile, when the prelude has one.
    pub admin: Option<ProfileId>,
    /// For each profile, the number of the first of its own settings among
    /// all profiles' own settings, in profile order: an origin's number in
    /// an [`EffectiveTable`] is read back through it.
    first_setting: Vec<u32>,
}

impl Model {
    /// The profile with id `id`.
    pub fn profile(&self, id: ProfileId) -> &Profile {
        &self.profiles[id.index()]
    }

    /// The profile named `name`.
    pub fn find(&self, name: &str) -> Option<ProfileId> {
        self.by_name.get(name).copied()
    }

    /// Where the value of `perm` in `table` (a table of this model) comes
    /// from; `None` for the catalog default.
    pub fn origin(&self, table: &EffectiveTable, perm: PermId) -> Option<Origin> {
        self.origin_at(table, usize::from(perm.0))
    }

    /// Every origin of `table` (a table of this model), in catalog order.
    pub fn origins<'a>(
        &'a self,
        table: &'a EffectiveTable,
    ) -> impl Iterator<Item = Option<Origin>> + 'a {
        (0..table.len()).map(|i| self.origin_at(table, i))
    }

    pub(crate) fn origin_at(&self, table: &EffectiveTable, index: usize) -> Option<Origin> {
        let number = table.origin_number(index);
        if number == NO_ORIGIN {
            return None;
        }
        // The last profile whose first setting is at or before `number`: a
        // profile without settings shares its number with the next one.
        let profile = self
            .first_setting
            .partition_point(|&first| first <= number)
            .checked_sub(1)?;
        Some(Origin {
            profile: ProfileId(u32::try_from(profile).ok()?),
            setting: number - self.first_setting[profile],
        })
    }

    /// The number an [`EffectiveTable`] holds for setting `setting` of
    /// profile `profile`.
    fn setting_number(&self, profile: ProfileId, setting: usize) -> u32 {
        let first = self.first_setting.get(profile.index()).copied();
        first
            .and_then(|first| first.checked_add(u32::try_from(setting).ok()?))
            .filter(|&n| n != NO_ORIGIN)
            .unwrap_or(NO_ORIGIN)
    }

    /// The span of the setting an origin points at.
    pub fn origin_span(&self, origin: Origin) -> Span {
        let profile = self.profile(origin.profile);
        profile
            .own
            .get(origin.setting as usize)
            .map_or(profile.header, |own| profile.own_span(own))
    }

    /// Every profile with its id, built-in ones first.
    pub fn profiles_with_ids(&self) -> impl Iterator<Item = (ProfileId, &Profile)> {
        self.profiles
            .iter()
            .enumerate()
            .map(|(i, p)| (ProfileId(i as u32), p))
    }

    /// User-written profiles.
    pub fn custom_profiles(&self) -> impl Iterator<Item = (ProfileId, &Profile)> {
        self.profiles_with_ids().filter(|(_, p)| !p.builtin)
    }

    /// The graph node of a profile.
    pub fn node(id: ProfileId) -> NodeIndex {
        NodeIndex::new(id.index())
    }

    /// The catalog default of `perm`, a limit clamped to its cap: the value
    /// of a profile without parents that does not set `perm`.
    pub fn default_value(&self, perm: PermId) -> u64 {
        let permission = self.catalog.get(perm);
        match (&self.caps[perm.0 as usize], permission.kind) {
            (Some(cap), crate::catalog::Kind::Limit) => permission.default.min(cap.value),
            _ => permission.default,
        }
    }
}

/// Resolves a policy set: the prelude's files and the users' files.
pub fn resolve(
    catalog: impl Into<Arc<Catalog>>,
    plan: Option<(String, Option<Span>)>,
    prelude: &[Arc<ast::File>],
    files: &[Arc<ast::File>],
) -> (Model, Vec<Diagnostic>) {
    let catalog: Arc<Catalog> = catalog.into();
    let mut diagnostics = Vec::new();
    let caps = profiles::caps(&catalog, files, &mut diagnostics);
    // Sized once: the tables live as long as the model, and growing them
    // would leave up to half of each unused.
    let statements = |files: &[Arc<ast::File>], member: bool| {
        files
            .iter()
            .flat_map(|f| &f.statements)
            .filter(|s| match s {
                ast::Statement::Profile(_) => !member,
                ast::Statement::Member(_) => member,
                _ => false,
            })
            .count()
    };
    let profile_count = statements(prelude, false) + statements(files, false);
    let mut model = Model {
        plan: plan.as_ref().map(|(name, _)| name.clone()),
        catalog,
        profiles: Vec::with_capacity(profile_count),
        by_name: HashMap::with_capacity(profile_count),
        graph: DiGraph::new(),
        members: Vec::with_capacity(statements(files, true)),
        caps,
        admin: None,
        first_setting: Vec::new(),
    };
    profiles::collect(&mut model, prelude, true, &mut diagnostics);
    model.admin = model.find("Admin");
    profiles::collect(&mut model, files, false, &mut diagnostics);
    let mut help = graph::ProfileHelp::new();
    graph::link(&mut model, &mut help, &mut diagnostics);
    graph::check_cycles(&model, &mut diagnostics);
    graph::compute(&mut model);
    profiles::check_locked(&model, &mut diagnostics);
    profiles::check_plan(
        &model,
        plan.as_ref().and_then(|(_, span)| *span),
        &mut diagnostics,
    );
    members::collect(&mut model, files, &mut help, &mut diagnostics);
    (model, diagnostics)
}

#[cfg(test)]
mod tests;
