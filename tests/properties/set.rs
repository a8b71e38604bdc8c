//! Generated Apollo policy sets: a description of files, caps, profiles and
//! members drawn by proptest, and its rendering to text with a map from every
//! line to the statement it holds.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::{Index, select};
use rolecall::catalog::{Catalog, Kind, PermId};
use rolecall::project::{InputFile, Project};

use super::oracle;

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

/// One top-level statement of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    /// The `settings` block with the cap.
    Caps,
    /// Profile `i`.
    Profile(usize),
    /// Member `i`.
    Member(usize),
    /// Raw statement `i` of the file's junk.
    Junk(usize),
}

/// Where everything goes: the order of files, of statements in each file and
/// of settings in each profile.
#[derive(Clone, Debug)]
pub struct Layout {
    /// File indices in the order given to the compiler.
    pub files: Vec<usize>,
    /// Statements of each file, in order.
    pub items: Vec<Vec<Item>>,
    /// Setting indices of each profile, in order.
    pub settings: Vec<Vec<usize>>,
}

impl Layout {
    /// Everything in the order generated.
    pub fn natural(set: &Set) -> Self {
        let mut items = vec![Vec::new(); set.files.len()];
        if let Some((file, _)) = set.cap {
            items[file].push(Item::Caps);
        }
        for (i, p) in set.profiles.iter().enumerate() {
            items[p.file].push(Item::Profile(i));
        }
        for (i, m) in set.members.iter().enumerate() {
            items[m.file].push(Item::Member(i));
        }
        for (f, head) in set.files.iter().enumerate() {
            items[f].extend((0..head.junk.len()).map(Item::Junk));
        }
        Layout {
            files: (0..set.files.len()).collect(),
            items,
            settings: set
                .profiles
                .iter()
                .map(|p| (0..p.settings.len()).collect())
                .collect(),
        }
    }

    /// The natural layout with the order of files shuffled by `seed`, and
    /// with `statements`, the order of statements and settings too.
    pub fn shuffled(set: &Set, seed: u64, statements: bool) -> Self {
        let mut rng = Shuffler(seed | 1);
        let mut layout = Layout::natural(set);
        rng.shuffle(&mut layout.files);
        if statements {
            for items in &mut layout.items {
                rng.shuffle(items);
            }
            for settings in &mut layout.settings {
                rng.shuffle(settings);
            }
        }
        layout
    }
}

/// xorshift64: a fixed, seedable permutation source.
struct Shuffler(u64);

impl Shuffler {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// A rendered set: file texts in the order given, and what each line holds.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    /// `(name, text)` in the order given to the compiler.
    pub files: Vec<(String, String)>,
    /// `(file, 1-based line)` → a name for the statement on it that does not
    /// depend on its position.
    pub lines: HashMap<(String, u64), String>,
    /// The same map read backwards.
    pub places: BTreeMap<String, (String, u64)>,
}

impl Rendered {
    /// The files as a project, with `bytes` replacing the text of some.
    pub fn project(&self, bytes: Option<&[Vec<u8>]>) -> Project {
        let files = self
            .files
            .iter()
            .enumerate()
            .map(|(i, (name, text))| InputFile {
                name: name.clone(),
                bytes: bytes
                    .and_then(|b| b.get(i).cloned())
                    .unwrap_or_else(|| text.clone().into_bytes()),
            })
            .collect();
        Project {
            files,
            ..Project::default()
        }
    }
}

/// Key of profile `name`'s setting of `perm`, in [`Rendered::lines`].
pub fn setting_key(profile: &str, perm: PermId) -> String {
    format!("profile {profile:?} / {}", CATALOG.get(perm).id)
}

fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A value as written: a level name, or an integer, grouped with `_` or not.
pub fn written(perm: PermId, value: u64, grouped: bool) -> String {
    let permission = CATALOG.get(perm);
    if permission.kind != Kind::Limit {
        return permission.levels[value as usize].clone();
    }
    let digits = value.to_string();
    if !grouped {
        return digits;
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('_');
        }
        out.push(c);
    }
    out
}

fn comment(allow: &Allow) -> String {
    let reason = allow
        .reason
        .map(|r| format!(" \"{r}\""))
        .unwrap_or_default();
    format!("# rolecall: allow({}){reason}", allow.rules.join(", "))
}

/// Lines of one file, each with its key.
struct Writer {
    lines: Vec<(String, Option<String>)>,
}

impl Writer {
    fn line(&mut self, text: String, key: Option<String>) {
        self.lines.push((text, key));
    }

    /// A statement line, with its suppression above it or at its end.
    fn statement(&mut self, indent: &str, text: String, key: String, allow: Option<&Allow>) {
        match allow {
            Some(a) if a.own_line => {
                self.line(
                    format!("{indent}{}", comment(a)),
                    Some(format!("above {key}")),
                );
                self.line(format!("{indent}{text}"), Some(key));
            }
            Some(a) => self.line(format!("{indent}{text} {}", comment(a)), Some(key)),
            None => self.line(format!("{indent}{text}"), Some(key)),
        }
    }
}

/// Renders `set` as laid out by `layout`.
pub fn render(set: &Set, layout: &Layout) -> Rendered {
    let mut out = Rendered::default();
    for &f in &layout.files {
        let head = &set.files[f];
        let mut w = Writer { lines: Vec::new() };
        match &head.header {
            Some(header) => w.line(header.clone(), None),
            None => {
                if head.platform {
                    w.line("platform apollo".to_owned(), None);
                }
                if let (true, Some(plan)) = (head.plan, set.plan) {
                    w.line(format!("plan {plan}"), None);
                }
            }
        }
        let items = &layout.items[f];
        for (n, item) in items.iter().enumerate() {
            w.line(String::new(), None);
            match *item {
                Item::Caps => {
                    let (_, cap) = set.cap.unwrap_or_default();
                    w.line("settings {".to_owned(), Some("caps".to_owned()));
                    w.line(
                        format!("  mailbox.sending_limit = {cap}"),
                        Some("caps / mailbox.sending_limit".to_owned()),
                    );
                    w.line("}".to_owned(), None);
                }
                Item::Profile(i) => profile(&mut w, set, i, &layout.settings[i]),
                Item::Member(i) => {
                    // `member "m"` then `profile "P" { }` reads as one member
                    // holding `P`: an empty block ends the member first.
                    let next = items.get(n + 1);
                    let ambiguous = matches!(next, Some(Item::Profile(_) | Item::Junk(_)));
                    member(&mut w, &set.members[i], ambiguous);
                }
                Item::Junk(i) => w.line(head.junk[i].clone(), None),
            }
        }
        let mut text = String::new();
        for (n, (line, key)) in w.lines.into_iter().enumerate() {
            text.push_str(&line);
            text.push('\n');
            if let Some(key) = key {
                let place = (head.name.clone(), n as u64 + 1);
                out.lines.insert(place.clone(), key.clone());
                out.places.insert(key, place);
            }
        }
        out.files.push((head.name.clone(), text));
    }
    out
}

fn profile(w: &mut Writer, set: &Set, i: usize, order: &[usize]) {
    let p = &set.profiles[i];
    let mut header = format!("profile {}", quoted(&p.name));
    for (n, parent) in p.parents.iter().enumerate() {
        header.push_str(if n == 0 { " extends " } else { ", " });
        header.push_str(&quoted(parent));
    }
    header.push_str(" {");
    w.statement(
        "",
        header,
        format!("profile {:?}", p.name),
        p.allow.as_ref(),
    );
    if p.description {
        w.line(
            format!(
                "  description {}",
                quoted(&format!("What {} is for", p.name))
            ),
            None,
        );
    }
    for &s in order {
        let s = &p.settings[s];
        let text = format!(
            "{} = {}",
            CATALOG.get(s.perm).id,
            written(s.perm, s.value, s.grouped)
        );
        w.statement("  ", text, setting_key(&p.name, s.perm), s.allow.as_ref());
    }
    for junk in &p.junk {
        w.line(format!("  {junk}"), None);
    }
    w.line("}".to_owned(), None);
}

fn member(w: &mut Writer, m: &Member, block: bool) {
    let mut clauses = Vec::new();
    if let Some(profile) = &m.profile {
        clauses.push(format!("profile {}", quoted(profile)));
    }
    if let Some(team) = m.team {
        clauses.push(format!("team {}", quoted(team)));
    }
    if m.team_first {
        clauses.reverse();
    }
    let mut header = format!("member {}", quoted(&m.id));
    for clause in clauses {
        header.push(' ');
        header.push_str(&clause);
    }
    if !m.block && !block {
        w.line(header, Some(format!("member {:?}", m.id)));
        return;
    }
    w.line(format!("{header} {{"), Some(format!("member {:?}", m.id)));
    if let Some(limit) = m.limit {
        w.line(
            format!("  mailbox.sending_limit = {limit}"),
            Some(format!("member {:?} / mailbox.sending_limit", m.id)),
        );
    }
    for junk in &m.junk {
        w.line(format!("  {junk}"), None);
    }
    w.line("}".to_owned(), None);
}
