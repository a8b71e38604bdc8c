//! Generated Apollo policy sets: a description of files, caps, profiles and
//! members drawn by proptest; `render.rs` writes it out as files.

use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::{Index, select};
use rolecall::catalog::{Catalog, Kind, PermId};
use rolecall::load::Workspace as Project;

use super::oracle;
use super::render::{Layout, render};

/// The Apollo catalog, read once.
pub static CATALOG: LazyLock<Catalog> =
    LazyLock::new(|| rolecall::catalog::builtin("apollo").expect("the apollo catalog loads"));

/// Apollo's built-in profiles, in prelude order.
pub const BUILTINS: [&str; 4] = [
    "Admin",
    "Non-admin",
    "Billing and Seat Manager",
    "Call Assistant",
];

const FILES: [&str; 4] = [
    "org.perm",
    "profiles/sales.perm",
    "profiles/ops/support.perm",
    "members/team.perm",
];
const PREFIXES: [&str; 5] = ["Rep", "Sales \"Lead\"", "Ops\\Back", "Région", "Manager"];
const TEAMS: [&str; 3] = ["EMEA", "Sales Ops", "NA \"West\""];
const SUPPRESSIBLE: [&str; 5] = [
    "see-all-emails",
    "risky-grant",
    "admin-equivalent",
    "redundant-setting",
    "unused-profile",
];
const REASONS: [&str; 3] = [
    "audited, see SEC-142",
    "temporary until Q3",
    "why \\\"not\\\"",
];

/// A suppression comment.
#[derive(Clone, Debug)]
pub struct Allow {
    /// Rules named.
    pub rules: Vec<&'static str>,
    /// Reason, as written between the quotes.
    pub reason: Option<&'static str>,
    /// Alone on the line above the statement, else at the end of its line.
    pub own_line: bool,
}

/// A setting of a profile.
#[derive(Clone, Debug)]
pub struct Setting {
    /// The permission.
    pub perm: PermId,
    /// Its value: a level index, or the limit.
    pub value: u64,
    /// Whether a limit is written with `_` between digit groups.
    pub grouped: bool,
    /// A suppression on it.
    pub allow: Option<Allow>,
}

/// A profile written in the set.
#[derive(Clone, Debug)]
pub struct Profile {
    /// Name, unescaped.
    pub name: String,
    /// Index of its file.
    pub file: usize,
    /// Parent names in `extends` order: built-in or earlier profiles.
    pub parents: Vec<String>,
    /// Whether it has a description.
    pub description: bool,
    /// Own settings, one per permission.
    pub settings: Vec<Setting>,
    /// A suppression on its header.
    pub allow: Option<Allow>,
    /// Raw lines added inside the block (invalid ingredients).
    pub junk: Vec<String>,
}

/// A member written in the set.
#[derive(Clone, Debug)]
pub struct Member {
    /// Id, unescaped.
    pub id: String,
    /// Index of its file.
    pub file: usize,
    /// Profile named, when one is.
    pub profile: Option<String>,
    /// Team, when given.
    pub team: Option<&'static str>,
    /// `team` before `profile`.
    pub team_first: bool,
    /// Its own `mailbox.sending_limit`.
    pub limit: Option<u64>,
    /// Whether it has a `{ }` block (always when it has a limit).
    pub block: bool,
    /// Raw lines added inside the block (invalid ingredients).
    pub junk: Vec<String>,
}

/// A policy file's head.
#[derive(Clone, Debug)]
pub struct FileHead {
    /// Name, relative to the policy root.
    pub name: String,
    /// Whether it declares `platform apollo`.
    pub platform: bool,
    /// Whether it declares the set's plan.
    pub plan: bool,
    /// A header written instead of `platform` and `plan` (invalid ingredients).
    pub header: Option<String>,
    /// Raw statements added after the others (invalid ingredients).
    pub junk: Vec<String>,
}

/// A generated policy set.
#[derive(Clone, Debug)]
pub struct Set {
    /// Files, in the order given to the compiler.
    pub files: Vec<FileHead>,
    /// The plan, when files declare one.
    pub plan: Option<&'static str>,
    /// The cap of `mailbox.sending_limit` and the file of its `settings` block.
    pub cap: Option<(usize, u64)>,
    /// Profiles; parents always come earlier.
    pub profiles: Vec<Profile>,
    /// Members.
    pub members: Vec<Member>,
}

impl Set {
    /// The cap of `perm`, when there is one.
    pub fn cap_of(&self, perm: PermId) -> Option<u64> {
        let limit = CATALOG.get(perm).kind == Kind::Limit;
        self.cap.filter(|_| limit).map(|(_, cap)| cap)
    }

    /// Index of the profile named `name` among the set's own profiles.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.profiles.iter().position(|p| p.name == name)
    }

    /// Whether profile `i` is `ancestor` or descends from it.
    pub fn descends(&self, i: usize, ancestor: usize) -> bool {
        i == ancestor
            || self.profiles[i].parents.iter().any(|p| {
                self.position(p)
                    .is_some_and(|j| j < i && self.descends(j, ancestor))
            })
    }

    /// The policy set as given to the compiler, files in their natural order.
    pub fn project(&self) -> Project {
        render(self, &Layout::natural(self)).project(None)
    }
}

/// The permissions of each kind, for drawing settings over every kind.
fn by_kind() -> [Vec<PermId>; 4] {
    let mut kinds: [Vec<PermId>; 4] = Default::default();
    for (id, p) in CATALOG.iter() {
        let slot = match p.kind {
            Kind::Toggle => 0,
            Kind::Scope => 1,
            Kind::Enum => 2,
            Kind::Limit => 3,
        };
        kinds[slot].push(id);
    }
    kinds
}

static KINDS: LazyLock<[Vec<PermId>; 4]> = LazyLock::new(by_kind);

type RawSetting = (u8, Index, u64, bool, Option<Allow>);
type RawProfile = (
    usize,
    usize,
    Vec<Index>,
    bool,
    Vec<RawSetting>,
    Option<Allow>,
);
type RawMember = (
    usize,
    Option<Index>,
    Option<&'static str>,
    bool,
    Option<u64>,
    bool,
);

fn allow() -> impl Strategy<Value = Allow> {
    (
        prop::sample::subsequence(SUPPRESSIBLE.to_vec(), 1..3),
        prop::option::weighted(0.8, select(REASONS.to_vec())),
        any::<bool>(),
    )
        .prop_map(|(rules, reason, own_line)| Allow {
            rules,
            reason,
            own_line,
        })
}

fn raw_setting() -> impl Strategy<Value = RawSetting> {
    (
        // Toggles, scopes, enums and limits about equally often.
        0u8..4,
        any::<Index>(),
        any::<u64>(),
        any::<bool>(),
        prop::option::weighted(0.1, allow()),
    )
}

fn raw_profile() -> impl Strategy<Value = RawProfile> {
    (
        0usize..FILES.len(),
        0usize..PREFIXES.len(),
        prop::collection::vec(any::<Index>(), 0..=3),
        any::<bool>(),
        prop::collection::vec(raw_setting(), 0..7),
        prop::option::weighted(0.15, allow()),
    )
}

fn raw_member() -> impl Strategy<Value = RawMember> {
    (
        0usize..FILES.len(),
        prop::option::weighted(0.8, any::<Index>()),
        prop::option::of(select(TEAMS.to_vec())),
        any::<bool>(),
        prop::option::weighted(0.3, any::<u64>()),
        any::<bool>(),
    )
}

/// Small valid Apollo policy sets: 1–4 files, up to 8 profiles with 0–3
/// earlier parents, settings of every kind within caps, up to 6 members.
pub fn valid_set() -> impl Strategy<Value = Set> {
    (
        1usize..=FILES.len(),
        prop::collection::vec(any::<bool>(), FILES.len()),
        prop::option::of((select(vec!["organization", "custom"]), any::<u64>())),
        prop::option::of((0usize..FILES.len(), 0u64..=1200)),
        prop::collection::vec(raw_profile(), 0..=8),
        prop::collection::vec(raw_member(), 0..=6),
    )
        .prop_map(|(count, declares, plan, cap, profiles, members)| {
            assemble(count, &declares, plan, cap, profiles, members)
        })
}

fn assemble(
    count: usize,
    declares: &[bool],
    plan: Option<(&'static str, u64)>,
    cap: Option<(usize, u64)>,
    raw_profiles: Vec<RawProfile>,
    raw_members: Vec<RawMember>,
) -> Set {
    let files = (0..count)
        .map(|i| FileHead {
            name: FILES[i].to_owned(),
            platform: i == 0 || declares[i],
            plan: plan.is_some_and(|(_, bits)| i == 0 || (bits >> i) & 1 == 1),
            header: None,
            junk: Vec::new(),
        })
        .collect();
    let mut set = Set {
        files,
        plan: plan.map(|(name, _)| name),
        cap: cap.map(|(file, value)| (file % count, value)),
        profiles: Vec::new(),
        members: Vec::new(),
    };
    let admin = oracle::builtin("Admin");
    for (i, (file, prefix, parents, description, settings, allow)) in
        raw_profiles.into_iter().enumerate()
    {
        let candidates: Vec<String> = BUILTINS
            .iter()
            .map(|b| (*b).to_owned())
            .chain(set.profiles.iter().map(|p| p.name.clone()))
            .collect();
        let mut chosen: Vec<String> = Vec::new();
        for pick in parents {
            let name = pick.get(&candidates);
            if !chosen.contains(name) {
                chosen.push(name.clone());
            }
        }
        let under_admin = chosen
            .iter()
            .any(|p| p == "Admin" || set.position(p).is_some_and(|j| extends_admin(&set, j)));
        let mut own: Vec<Setting> = Vec::new();
        for (kind, pick, raw, grouped, allow) in settings {
            let perm = *pick.get(&KINDS[usize::from(kind)]);
            if own.iter().any(|s| s.perm == perm) {
                continue;
            }
            let permission = CATALOG.get(perm);
            let mut value = match permission.kind {
                Kind::Limit => raw % (set.cap_of(perm).unwrap_or(2000) + 1),
                _ => raw % permission.levels.len() as u64,
            };
            // Under Admin, a locked permission may not go below Admin's value.
            if permission.locked && under_admin {
                value = value.max(admin.values[usize::from(perm.0)]);
            }
            own.push(Setting {
                perm,
                value,
                grouped,
                allow,
            });
        }
        set.profiles.push(Profile {
            name: format!("{} {i}", PREFIXES[prefix]),
            file: file % count,
            parents: chosen,
            description,
            settings: own,
            allow,
            junk: Vec::new(),
        });
    }
    let names: Vec<String> = BUILTINS
        .iter()
        .map(|b| (*b).to_owned())
        .chain(set.profiles.iter().map(|p| p.name.clone()))
        .collect();
    let limit = KINDS[3][0];
    for (i, (file, profile, team, team_first, raw_limit, block)) in
        raw_members.into_iter().enumerate()
    {
        let limit = raw_limit.map(|raw| raw % (set.cap_of(limit).unwrap_or(2000) + 1));
        set.members.push(Member {
            id: format!("m{i}@acme.test"),
            file: file % count,
            profile: profile.map(|pick| pick.get(&names).clone()),
            team,
            team_first,
            limit,
            block: block || limit.is_some(),
            junk: Vec::new(),
        });
    }
    set
}

/// Whether set profile `i` has Admin among its ancestors.
pub fn extends_admin(set: &Set, i: usize) -> bool {
    set.profiles[i].parents.iter().any(|p| {
        p == "Admin"
            || set
                .position(p)
                .is_some_and(|j| j < i && extends_admin(set, j))
    })
}
