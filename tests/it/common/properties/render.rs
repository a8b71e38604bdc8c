//! Writing a generated set as policy files, in any order of files,
//! statements and settings, with a map from every line to the statement on
//! it.

use std::collections::{BTreeMap, HashMap};

use rolecall::catalog::{Kind, PermId};
use rolecall::load::Workspace as Project;

use super::set::{Allow, CATALOG, Member, Set};

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
        Project::from_files(self.files.iter().enumerate().map(|(i, (name, text))| {
            let bytes = bytes
                .and_then(|b| b.get(i).cloned())
                .unwrap_or_else(|| text.clone().into_bytes());
            (name, bytes)
        }))
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
