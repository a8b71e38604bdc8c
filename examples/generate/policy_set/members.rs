//! Members: who holds which profile, on which team, with which own limits.
//!
//! Every generated profile that nobody extends goes to a member while there
//! are members left; the rest are kept with an `unused-profile` suppression.
//! Admin seats stay between the `min-admins` floor and the
//! `too-many-admins` share, and own limits stay under the caps and differ
//! from the profile's value (else `redundant-setting` would fire).

use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rolecall::catalog::{Kind, PermId};

use super::profiles::Dag;
use super::{pick, suppression, ticket, words};

/// Members per team.
const TEAM_SIZE: usize = 12;
/// Values written for members' own limits, filtered by the cap.
const LIMITS: &[u64] = &[0, 20, 30, 50, 75, 100, 150, 200, 250, 300, 400];

/// A member, ready to print.
pub struct Member {
    /// The member's id, an e-mail address.
    pub id: String,
    /// The profile named, if any.
    pub profile: Option<String>,
    /// The team.
    pub team: String,
    /// Own limits with an optional remark.
    pub limits: Vec<(PermId, u64, Option<String>)>,
    /// Comment lines above the member (a team's first member names its team).
    pub above: Vec<String>,
}

/// The members of a set, and the configuration they need.
pub struct Plan {
    /// Members in file order.
    pub members: Vec<Member>,
    /// `min_admins` to write in `rolecall.yaml`, when the default cannot hold.
    pub min_admins: Option<usize>,
}

/// How many members hold admin profiles, and the `min_admins` that allows it.
fn admin_seats(members: usize) -> (usize, Option<usize>) {
    match members {
        0 => (0, None),
        // One member, or a team of 5 to 7 where the default 25% share allows
        // a single admin: one admin, and the floor lowered to match.
        1 | 5..=7 => (1, Some(1)),
        2..=4 => (2, None),
        n => ((n / 25).clamp(2, n / 4), None),
    }
}

/// Assigns profiles to `count` members and marks unused profiles.
pub fn plan(dag: &mut Dag, count: usize, rng: &mut ChaCha8Rng) -> Plan {
    let (admin_count, min_admins) = admin_seats(count);
    let generated = dag.builtins..dag.nodes.len();
    let leaves = |admin: bool| -> Vec<usize> {
        generated
            .clone()
            .filter(|&n| dag.nodes[n].admin == admin && !dag.nodes[n].extended)
            .collect()
    };
    let (admin_leaves, regular_leaves) = (leaves(true), leaves(false));
    let admin_pool: Vec<usize> = dag
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.admin)
        .map(|(i, _)| i)
        .collect();
    let regular_generated: Vec<usize> = generated.filter(|&n| !dag.nodes[n].admin).collect();
    let default_node = dag
        .nodes
        .iter()
        .position(|n| n.name == dag.catalog.default_profile)
        .unwrap_or(0);
    let regular_builtins: Vec<usize> = (0..dag.builtins).filter(|&n| !dag.nodes[n].admin).collect();

    // Profiles held, by node; `None` is a member that names no profile.
    let mut held: Vec<Option<usize>> = Vec::with_capacity(count);
    held.extend(admin_leaves.iter().take(admin_count).map(|&n| Some(n)));
    while held.len() < admin_count && !admin_pool.is_empty() {
        held.push(Some(*pick(rng, &admin_pool)));
    }
    held.extend(
        regular_leaves
            .iter()
            .take(count - admin_count)
            .map(|&n| Some(n)),
    );
    while held.len() < count {
        let choice = match rng.random_range(0..100) {
            0..4 => None,
            4..30 => Some(default_node),
            30..36 if !regular_builtins.is_empty() => Some(*pick(rng, &regular_builtins)),
            _ if !regular_generated.is_empty() => Some(*pick(rng, &regular_generated)),
            _ => Some(default_node),
        };
        held.push(choice);
    }
    held.shuffle(rng);

    if count > 0 {
        let unused: Vec<usize> = admin_leaves
            .iter()
            .skip(admin_count)
            .chain(regular_leaves.iter().skip(count - admin_count))
            .copied()
            .collect();
        for node in unused {
            let draft = &mut dag.drafts[node - dag.builtins];
            draft
                .above
                .push(suppression(rng, &["unused-profile"], words::UNUSED_WHY));
        }
    }

    let limits: Vec<(PermId, u64)> = dag
        .catalog
        .iter()
        .filter(|(_, p)| p.kind == Kind::Limit)
        .map(|(id, _)| (id, dag.cap(id)))
        .collect();
    let mut members = Vec::with_capacity(count);
    let mut team = String::new();
    for (i, profile) in held.into_iter().enumerate() {
        let mut above = Vec::new();
        if i % TEAM_SIZE == 0 {
            team = format!(
                "{} {} {}",
                pick(rng, words::REGIONS),
                pick(rng, words::FUNCTIONS),
                i / TEAM_SIZE + 1
            );
            above.push(format!(" {team}: seats reviewed in {}", ticket(rng)));
        }
        let values = dag.values(profile.unwrap_or(default_node));
        let mut own = Vec::new();
        if rng.random_bool(0.12) {
            for &(perm, cap) in &limits {
                if !own.is_empty() && rng.random_bool(0.3) {
                    continue;
                }
                let current = values[usize::from(perm.0)];
                let fits: Vec<u64> = LIMITS
                    .iter()
                    .copied()
                    .filter(|&v| v <= cap && v != current)
                    .collect();
                if fits.is_empty() {
                    continue;
                }
                let value = *pick(rng, &fits);
                let remark = rng
                    .random_bool(0.4)
                    .then(|| format!(" {}", pick(rng, words::MEMBER_REMARKS)));
                own.push((perm, value, remark));
            }
        }
        let first = pick(rng, words::FIRST);
        let last = pick(rng, words::LAST);
        members.push(Member {
            id: format!("{first}.{last}.{}@acme.example", i + 1),
            profile: profile.map(|n| dag.nodes[n].name.clone()),
            team: team.clone(),
            limits: own,
            above,
        });
    }
    Plan {
        members,
        min_admins,
    }
}
