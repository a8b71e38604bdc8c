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
    /// The whole setting statement.
    pub span: Span,
    /// The value's span.
    pub value_span: Span,
}

/// Effective permissions of a profile as the resolver stores them: one value
/// and origin per catalog permission. Read them through [`Model::view`].
#[derive(Clone, Debug)]
pub struct EffectiveTable {
    /// Values, indexed by [`PermId`].
    pub values: Vec<u64>,
    /// Origins, indexed by [`PermId`]; `None` is the catalog default.
    pub origins: Vec<Option<Origin>>,
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
}

impl Profile {
    /// Effective value of `perm`, when resolved.
    pub fn value(&self, perm: PermId) -> Option<u64> {
        self.effective.as_ref().map(|e| e.values[perm.0 as usize])
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

    /// The span of the setting an origin points at.
    pub fn origin_span(&self, origin: Origin) -> Span {
        self.profile(origin.profile).own[origin.setting as usize].span
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
    let mut model = Model {
        plan: plan.as_ref().map(|(name, _)| name.clone()),
        catalog,
        profiles: Vec::new(),
        by_name: HashMap::new(),
        graph: DiGraph::new(),
        members: Vec::new(),
        caps,
        admin: None,
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
