//! The inheritance graph of generated profiles, their settings, and the
//! suppressions that their warnings need.
//!
//! Profiles come in two families that never mix: admin profiles, below the
//! built-in `Admin`, and everyone else's, below the other built-in profiles.
//! A regular profile never grants admin rights, and an admin profile never
//! lowers a locked permission, so neither `admin-equivalent` nor
//! `locked-setting` can fire. Effective values are computed as the resolver
//! does (the higher parent value, then the profile's own settings), which
//! tells exactly where `risky-grant` and `see-all-emails` report; each such
//! place gets a suppression with a reason, so none is left unused.

use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rolecall::catalog::{Catalog, Kind, PermId};

use super::{MAX_DEPTH, pick, suppression, ticket, words};

/// Share of profiles in the admin family.
const ADMIN_SHARE: f64 = 0.025;
/// Chance that a setting is allowed to grant a risky level (then suppressed).
const RISKY_CHANCE: f64 = 0.02;
/// Chance that an inherited risky value is narrowed rather than suppressed.
const NARROW_CHANCE: f64 = 0.6;
/// Recent eligible parents a new profile prefers: teams build on their own profiles.
const WINDOW: usize = 64;
/// Values written for limits, filtered by the cap.
const LIMITS: &[u64] = &[
    0, 20, 25, 30, 40, 50, 60, 75, 80, 100, 120, 150, 200, 250, 300, 350, 400, 450, 500, 600, 750,
];

/// A profile of the graph: built-in or generated.
pub struct Node {
    /// Name.
    pub name: String,
    /// Whether it is `Admin` or below it.
    pub admin: bool,
    /// Longest chain of parents down to a built-in profile.
    depth: u8,
    /// Whether another profile extends it.
    pub extended: bool,
}

/// A setting of a generated profile.
pub struct Own {
    /// The permission.
    pub perm: PermId,
    /// Its value.
    pub value: u64,
    /// A comment at the end of the line: a remark or a suppression.
    pub trailing: Option<String>,
    /// A comment on the line above.
    pub above: Option<String>,
}

/// A generated profile, ready to print.
pub struct Draft {
    /// Index of its node.
    pub node: usize,
    /// Parents, by node index, in `extends` order.
    pub parents: Vec<usize>,
    /// The description.
    pub description: String,
    /// Settings, in catalog order.
    pub settings: Vec<Own>,
    /// Comment lines above the header.
    pub above: Vec<String>,
    /// Suppression at the end of the header line.
    pub header: Option<String>,
}

/// Generated profiles over the built-in ones.
pub struct Dag {
    /// The platform's catalog.
    pub catalog: Catalog,
    caps: Vec<Option<u64>>,
    /// Every profile, built-in ones first.
    pub nodes: Vec<Node>,
    /// Effective values: `catalog.len()` per node.
    values: Vec<u64>,
    /// Built-in profiles: the first nodes.
    pub builtins: usize,
    /// Generated profiles, in order: draft `i` is node `builtins + i`.
    pub drafts: Vec<Draft>,
    /// Generated regular and admin profiles that may still be extended.
    regular: Vec<usize>,
    admins: Vec<usize>,
    /// Built-in parents of regular profiles, with weights.
    roots: Vec<(usize, u32)>,
    /// The built-in `Admin`.
    admin_root: Option<usize>,
    /// The permission whose `all` level `see-all-emails` reports, and that level.
    all_emails: Option<(PermId, u64)>,
}

impl Dag {
    /// The built-in profiles with their effective values.
    pub fn new(
        catalog: &Catalog,
        caps: &[(PermId, u64)],
        builtins: Vec<(String, Vec<u64>)>,
    ) -> Self {
        let mut cap_of = vec![None; catalog.len()];
        for &(perm, cap) in caps {
            cap_of[usize::from(perm.0)] = Some(cap);
        }
        let mut dag = Dag {
            catalog: catalog.clone(),
            caps: cap_of,
            nodes: Vec::new(),
            values: Vec::new(),
            builtins: builtins.len(),
            drafts: Vec::new(),
            regular: Vec::new(),
            admins: Vec::new(),
            roots: Vec::new(),
            admin_root: None,
            all_emails: catalog
                .lookup("emails.visibility")
                .and_then(|perm| catalog.get(perm).level("all").map(|all| (perm, all))),
        };
        for (index, (name, values)) in builtins.into_iter().enumerate() {
            let admin = name == "Admin";
            let weight = match name.as_str() {
                "Admin" => 0,
                "Non-admin" | "Sales Rep" => 16,
                "Call Assistant" => 3,
                _ => 1,
            };
            if admin {
                dag.admin_root = Some(index);
            } else {
                dag.roots.push((index, weight));
            }
            dag.values.extend(values);
            dag.nodes.push(Node {
                name,
                admin,
                depth: 0,
                extended: false,
            });
        }
        dag
    }

    /// The organisation cap of limit `perm`.
    pub fn cap(&self, perm: PermId) -> u64 {
        self.caps[usize::from(perm.0)].unwrap_or(1_000)
    }

    /// Effective values of node `index`.
    pub fn values(&self, index: usize) -> &[u64] {
        let n = self.catalog.len();
        &self.values[index * n..(index + 1) * n]
    }

    /// Adds generated profile number `index` (from 0).
    pub fn add(&mut self, index: usize, rng: &mut ChaCha8Rng) {
        let admin = self.admin_root.is_some() && rng.random_bool(ADMIN_SHARE);
        let parents = if admin {
            self.admin_parents(rng)
        } else {
            self.regular_parents(rng)
        };
        let inherited = self.join(&parents);
        let settings = self.settings(&inherited, admin, rng);
        let mut values = inherited;
        for own in &settings {
            values[usize::from(own.perm.0)] = own.value;
        }
        let settings = self.annotate(settings, admin, rng);
        let header = self.header(&values, &settings, admin, rng);
        let depth = 1 + parents
            .iter()
            .map(|&p| self.nodes[p].depth)
            .max()
            .unwrap_or(0);
        for &p in &parents {
            self.nodes[p].extended = true;
        }
        let node = self.nodes.len();
        let (name, description) = naming(index, admin, rng);
        let mut above = Vec::new();
        if rng.random_bool(0.2) {
            above.push(format!(" {}: {}", ticket(rng), pick(rng, words::REMARKS)));
        }
        self.nodes.push(Node {
            name,
            admin,
            depth,
            extended: false,
        });
        self.values.extend(values);
        if depth < MAX_DEPTH {
            if admin {
                self.admins.push(node);
            } else {
                self.regular.push(node);
            }
        }
        self.drafts.push(Draft {
            node,
            parents,
            description,
            settings,
            above,
            header,
        });
    }

    fn admin_parents(&self, rng: &mut ChaCha8Rng) -> Vec<usize> {
        let root = self.admin_root.into_iter();
        let pool: Vec<usize> = root.chain(self.admins.iter().copied()).collect();
        let count = if rng.random_bool(0.3) { 2 } else { 1 };
        let mut parents = Vec::new();
        for _ in 0..count {
            let parent = *pick(rng, &pool);
            if !parents.contains(&parent) {
                parents.push(parent);
            }
        }
        parents
    }

    fn regular_parents(&self, rng: &mut ChaCha8Rng) -> Vec<usize> {
        let count = match rng.random_range(0..20) {
            0..10 => 1,
            10..17 => 2,
            _ => 3,
        };
        let mut parents = Vec::new();
        for slot in 0..count {
            let parent = if self.regular.is_empty() || (slot == 0 && rng.random_bool(0.08)) {
                self.root(rng)
            } else if rng.random_bool(0.7) {
                let start = self.regular.len().saturating_sub(WINDOW);
                *pick(rng, &self.regular[start..])
            } else {
                *pick(rng, &self.regular)
            };
            if !parents.contains(&parent) {
                parents.push(parent);
            }
        }
        parents
    }

    fn root(&self, rng: &mut ChaCha8Rng) -> usize {
        let total: u32 = self.roots.iter().map(|&(_, w)| w).sum();
        let mut draw = rng.random_range(0..total.max(1));
        for &(node, weight) in &self.roots {
            if draw < weight {
                return node;
            }
            draw -= weight;
        }
        self.roots.first().map_or(0, |&(node, _)| node)
    }

    /// What a profile with these parents holds before its own settings.
    fn join(&self, parents: &[usize]) -> Vec<u64> {
        let mut out = self.values(parents[0]).to_vec();
        for &p in &parents[1..] {
            for (mine, theirs) in out.iter_mut().zip(self.values(p)) {
                *mine = (*mine).max(*theirs);
            }
        }
        out
    }

    /// Whether holding `value` of `perm` is reported by `risky-grant` for a
    /// profile of this family.
    fn risky(&self, perm: PermId, value: u64, admin: bool) -> bool {
        !admin && self.catalog.get(perm).risk_at.is_some_and(|r| value >= r)
    }

    fn sees_all(&self, perm: PermId, value: u64) -> bool {
        self.all_emails == Some((perm, value))
    }

    /// Own settings: first narrowing some inherited risky values, then
    /// changes of random permissions, never equal to the inherited value.
    fn settings(&self, inherited: &[u64], admin: bool, rng: &mut ChaCha8Rng) -> Vec<Own> {
        let target = rng.random_range(10..=40);
        let mut chosen: Vec<Option<u64>> = vec![None; inherited.len()];
        let mut count = 0;
        for (perm, &value) in self.catalog.iter().zip(inherited).map(|((p, _), v)| (p, v)) {
            let flagged = self.risky(perm, value, admin) || self.sees_all(perm, value);
            if flagged && rng.random_bool(NARROW_CHANCE) {
                // The highest level that is not flagged: the usual narrowing.
                let safe = (0..value)
                    .rev()
                    .find(|&v| !self.risky(perm, v, admin) && !self.sees_all(perm, v));
                if let Some(v) = safe {
                    chosen[usize::from(perm.0)] = Some(v);
                    count += 1;
                }
            }
        }
        let mut order: Vec<usize> = (0..inherited.len()).collect();
        order.shuffle(rng);
        for i in order {
            if count >= target {
                break;
            }
            if chosen[i].is_some() {
                continue;
            }
            let perm = PermId(i as u16);
            if let Some(v) = self.value_for(perm, inherited[i], admin, rng) {
                chosen[i] = Some(v);
                count += 1;
            }
        }
        chosen
            .into_iter()
            .enumerate()
            .filter_map(|(i, v)| {
                v.map(|value| Own {
                    perm: PermId(i as u16),
                    value,
                    trailing: None,
                    above: None,
                })
            })
            .collect()
    }

    /// A value of `perm` different from the inherited one that the family
    /// may write, or `None`.
    fn value_for(
        &self,
        perm: PermId,
        inherited: u64,
        admin: bool,
        rng: &mut ChaCha8Rng,
    ) -> Option<u64> {
        let permission = self.catalog.get(perm);
        if (!admin && permission.grants_admin) || (admin && permission.locked) {
            return None;
        }
        if permission.kind == Kind::Limit {
            let cap = self.cap(perm);
            let fits: Vec<u64> = LIMITS
                .iter()
                .copied()
                .filter(|&v| v <= cap && v != inherited)
                .collect();
            return (!fits.is_empty()).then(|| *pick(rng, &fits));
        }
        let flagged_ok = rng.random_bool(RISKY_CHANCE);
        let levels: Vec<u64> = (0..permission.levels.len() as u64)
            .filter(|&v| v != inherited)
            .filter(|&v| flagged_ok || !(self.risky(perm, v, admin) || self.sees_all(perm, v)))
            .collect();
        (!levels.is_empty()).then(|| *pick(rng, &levels))
    }

    /// Suppressions on flagged settings, and remarks on some others.
    fn annotate(&self, mut settings: Vec<Own>, admin: bool, rng: &mut ChaCha8Rng) -> Vec<Own> {
        for own in &mut settings {
            if self.risky(own.perm, own.value, admin) {
                own.trailing = Some(suppression(rng, &["risky-grant"], words::RISKY_WHY));
            } else if self.sees_all(own.perm, own.value) {
                own.trailing = Some(suppression(rng, &["see-all-emails"], words::ALL_EMAILS_WHY));
            } else if rng.random_bool(0.08) {
                own.trailing = Some(format!(" {}", pick(rng, words::REMARKS)));
            }
            if rng.random_bool(0.02) {
                own.above = Some(format!(" {}: {}", ticket(rng), pick(rng, words::REMARKS)));
            }
        }
        settings
    }

    /// The suppression for what the profile inherits and the rules report
    /// at its `extends` clause.
    fn header(
        &self,
        values: &[u64],
        settings: &[Own],
        admin: bool,
        rng: &mut ChaCha8Rng,
    ) -> Option<String> {
        let inherited = |perm: PermId| !settings.iter().any(|s| s.perm == perm);
        let mut rules = Vec::new();
        let mut why = words::RISKY_WHY;
        if self.catalog.iter().any(|(perm, _)| {
            inherited(perm) && self.risky(perm, values[usize::from(perm.0)], admin)
        }) {
            rules.push("risky-grant");
        }
        if let Some((perm, all)) = self.all_emails
            && inherited(perm)
            && values[usize::from(perm.0)] == all
        {
            rules.push("see-all-emails");
            why = words::ALL_EMAILS_WHY;
        }
        (!rules.is_empty()).then(|| suppression(rng, &rules, why))
    }
}

/// Name and description of generated profile number `index`.
fn naming(index: usize, admin: bool, rng: &mut ChaCha8Rng) -> (String, String) {
    let region = pick(rng, words::REGIONS);
    let focus = pick(rng, words::FOCUS);
    if admin {
        let area = pick(rng, words::ADMIN_AREAS);
        (
            format!("{area} Admin {:05}", index + 1),
            format!("{area} administrators for {region}: users, integrations and profiles"),
        )
    } else {
        let role = pick(rng, words::ROLES);
        (
            format!("{role} {region} {:05}", index + 1),
            format!("{role} in {region}: {focus}"),
        )
    }
}
