//! The inheritance graph: linking `extends` names, reporting cycles and
//! computing effective permissions in topological order.

use std::collections::{HashMap, VecDeque};

use petgraph::algo::kosaraju_scc;

use super::{EffectiveTable, Model, NO_ORIGIN, ProfileId};
use crate::diagnostics::{Candidates, Diagnostic};

/// Resolves parent names to profiles and builds the graph's edges.
pub(super) fn link(model: &mut Model, help: &mut ProfileHelp, diagnostics: &mut Vec<Diagnostic>) {
    model.graph.clear();
    for i in 0..model.profiles.len() {
        model.graph.add_node(ProfileId(i as u32));
    }
    for i in 0..model.profiles.len() {
        let child = ProfileId(i as u32);
        let mut parents = Vec::with_capacity(model.profiles[i].extends.len());
        for (name, span) in &model.profiles[i].extends {
            match model.by_name.get(name) {
                Some(&parent) => {
                    if !parents.contains(&parent) {
                        parents.push(parent);
                        model
                            .graph
                            .add_edge(Model::node(parent), Model::node(child), *span);
                    }
                }
                None => diagnostics.push(unknown_profile(model, help, name, *span)),
            }
        }
        model.profiles[i].parents = parents;
    }
}

/// Compared pairs of names that the "did you mean" searches of one
/// resolution may spend in all; see [`ProfileHelp`].
pub(super) const SEARCH_BUDGET: usize = 250_000;

/// "Did you mean" help for unknown profile names.
///
/// A search compares the name with every profile, so a set with many
/// unknown names would cost unknowns × profiles. Each distinct name is
/// searched once, and searches stop once they would compare more than
/// [`SEARCH_BUDGET`] pairs in all: thousands of unknown names among tens of
/// thousands of profiles get the plain help, in time that stays linear.
#[derive(Debug)]
pub(super) struct ProfileHelp {
    /// Every profile's name, built at the first unknown name.
    candidates: Option<Candidates>,
    /// The help found for each name searched.
    found: HashMap<String, Option<String>>,
    /// Pairs still allowed.
    budget: usize,
}

impl ProfileHelp {
    /// Help for a model whose profiles are all collected.
    pub(super) fn new() -> Self {
        ProfileHelp {
            candidates: None,
            found: HashMap::new(),
            budget: SEARCH_BUDGET,
        }
    }

    fn help(&mut self, model: &Model, name: &str) -> String {
        if let Some(found) = self.found.get(name) {
            return plain(found.clone());
        }
        let candidates = self
            .candidates
            .get_or_insert_with(|| Candidates::new(model.profiles.iter().map(|p| p.name.as_str())));
        let found = if candidates.len() <= self.budget {
            self.budget -= candidates.len();
            candidates.did_you_mean(name)
        } else {
            None
        };
        self.found.insert(name.to_owned(), found.clone());
        plain(found)
    }
}

fn plain(found: Option<String>) -> String {
    found.unwrap_or_else(|| "define the profile, or name one that exists".to_owned())
}

/// `unknown-profile` for `name` at `span`, with the nearest names as help.
pub(super) fn unknown_profile(
    model: &Model,
    help: &mut ProfileHelp,
    name: &str,
    span: crate::source::Span,
) -> Diagnostic {
    let help = help.help(model, name);
    Diagnostic::error(
        "unknown-profile",
        span,
        format!("profile `{name}` is not defined"),
    )
    .with_primary("unknown profile")
    .with_help(help)
}

/// One `inheritance-cycle` diagnostic per loop, showing the whole loop.
pub(super) fn check_cycles(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    let mut components = kosaraju_scc(&model.graph);
    for component in &mut components {
        component.sort_unstable();
    }
    components.sort_unstable();
    for component in components {
        let start = ProfileId(component[0].index() as u32);
        let looped = component.len() > 1 || model.profile(start).parents.contains(&start);
        if !looped {
            continue;
        }
        let members: std::collections::HashSet<ProfileId> = component
            .iter()
            .map(|n| ProfileId(n.index() as u32))
            .collect();
        let path = loop_through(model, start, &members);
        diagnostics.push(cycle_diagnostic(model, &path));
    }
}

/// The shortest loop from `start` back to itself along `extends` edges within `members`.
fn loop_through(
    model: &Model,
    start: ProfileId,
    members: &std::collections::HashSet<ProfileId>,
) -> Vec<ProfileId> {
    let mut came_from: HashMap<ProfileId, ProfileId> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(current) = queue.pop_front() {
        for &parent in &model.profile(current).parents {
            if parent == start {
                // Walk back to `start`, then read the loop in `extends` order.
                let mut path = vec![current];
                let mut at = current;
                while at != start {
                    at = came_from[&at];
                    path.push(at);
                }
                path.reverse();
                path.push(start);
                return path;
            }
            if members.contains(&parent) && !came_from.contains_key(&parent) {
                came_from.insert(parent, current);
                queue.push_back(parent);
            }
        }
    }
    vec![start, start]
}

fn cycle_diagnostic(model: &Model, path: &[ProfileId]) -> Diagnostic {
    let names: Vec<&str> = path
        .iter()
        .map(|&p| model.profile(p).name.as_str())
        .collect();
    // Each edge holds the span of the parent's name in the child's clause.
    let edge_span = |child: ProfileId, parent: ProfileId| {
        model
            .graph
            .find_edge(Model::node(parent), Model::node(child))
            .and_then(|edge| model.graph.edge_weight(edge))
            .copied()
            .unwrap_or(model.profile(child).header)
    };
    let first = model.profile(path[0]);
    let mut diagnostic = Diagnostic::error(
        "inheritance-cycle",
        first.header,
        format!(
            "profiles extend each other in a loop: {}",
            names.join(" → ")
        ),
    )
    .with_primary(format!("`{}` extends `{}`", names[0], names[1]))
    .with_help(if path.len() == 2 {
        format!("remove `{}` from its own `extends` list", names[0])
    } else {
        "remove one of the `extends` clauses in the loop".to_owned()
    });
    for pair in path.windows(2).skip(1) {
        diagnostic = diagnostic.with_label(
            edge_span(pair[0], pair[1]),
            format!(
                "`{}` extends `{}`",
                model.profile(pair[0]).name,
                model.profile(pair[1]).name
            ),
        );
    }
    diagnostic
}

/// Effective permissions of every profile not in or under a cycle, parents first.
pub(super) fn compute(model: &mut Model) {
    let count = model.profiles.len();
    let mut first = 0u32;
    model.first_setting = model
        .profiles
        .iter()
        .map(|p| {
            let at = first;
            first = first.saturating_add(u32::try_from(p.own.len()).unwrap_or(u32::MAX));
            at
        })
        .collect();
    let mut pending: Vec<usize> = model.profiles.iter().map(|p| p.parents.len()).collect();
    let mut children: Vec<Vec<ProfileId>> = vec![Vec::new(); count];
    for (i, profile) in model.profiles.iter().enumerate() {
        for &parent in &profile.parents {
            children[parent.0 as usize].push(ProfileId(i as u32));
        }
    }
    let mut ready: VecDeque<ProfileId> = (0..count)
        .filter(|&i| pending[i] == 0)
        .map(|i| ProfileId(i as u32))
        .collect();
    let defaults = defaults(model);
    let mut scratch = Scratch::default();
    while let Some(id) = ready.pop_front() {
        let effective = effective_of(model, id, &defaults, &mut scratch);
        let profile = &model.profiles[id.0 as usize];
        let extends_admin = Some(id) == model.admin
            || profile
                .parents
                .iter()
                .any(|&p| model.profile(p).extends_admin);
        let admin_equivalent = model
            .catalog
            .iter()
            .any(|(perm, p)| p.grants_admin && effective.value(perm) > p.default);
        let profile = &mut model.profiles[id.0 as usize];
        profile.effective = Some(effective);
        profile.extends_admin = extends_admin;
        profile.admin_equivalent = admin_equivalent;
        for &child in &children[id.0 as usize] {
            pending[child.0 as usize] -= 1;
            if pending[child.0 as usize] == 0 {
                ready.push_back(child);
            }
        }
    }
}

/// Catalog defaults, limits clamped to their caps.
fn defaults(model: &Model) -> Vec<u64> {
    model
        .catalog
        .iter()
        .map(|(perm, _)| model.default_value(perm))
        .collect()
}

/// The working values and origins of the profile being resolved, used
/// again from profile to profile.
#[derive(Default)]
struct Scratch {
    values: Vec<u64>,
    origins: Vec<u32>,
}

/// Join of the parents (first parent wins ties), then own settings.
fn effective_of(
    model: &Model,
    id: ProfileId,
    defaults: &[u64],
    scratch: &mut Scratch,
) -> EffectiveTable {
    let profile = model.profile(id);
    let Scratch { values, origins } = scratch;
    values.clear();
    values.extend_from_slice(defaults);
    origins.clear();
    origins.resize(defaults.len(), NO_ORIGIN);
    let mut parents = profile
        .parents
        .iter()
        .filter_map(|&p| model.profile(p).effective.as_ref());
    if let Some(first) = parents.next() {
        for (i, value) in first.values().enumerate() {
            values[i] = value;
            origins[i] = first.origin_number(i);
        }
        for parent in parents {
            for (i, value) in parent.values().enumerate() {
                if value > values[i] {
                    values[i] = value;
                    origins[i] = parent.origin_number(i);
                }
            }
        }
    }
    for (index, setting) in profile.own.iter().enumerate() {
        values[setting.perm.0 as usize] = setting.value;
        origins[setting.perm.0 as usize] = model.setting_number(id, index);
    }
    EffectiveTable::new(values, origins)
}
