//! The diff for people at a terminal: admin flips first, then every changed
//! value grouped by the setting that causes it, added and removed profiles,
//! members, admins, findings and a summary line.

use std::collections::BTreeMap;

use super::cause::{Origin, origin};
use super::types::{AdminStatus, Change, Diff, Direction, ProfileChange, Status, ValueChange};
use crate::backend::Value;
use crate::text::{ansi, plural};

/// How the text looks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// Whether to colour with ANSI escapes.
    pub color: bool,
}

impl Style {
    fn paint(self, text: &str, code: &str) -> String {
        ansi::paint(self.color, text, code)
    }

    fn heading(self, text: &str) -> String {
        self.paint(text, "1")
    }

    fn direction(self, change: &ValueChange) -> String {
        let word = change.direction.as_str();
        let mut out = match change.direction {
            Direction::Widened => self.paint(word, "33"),
            Direction::Narrowed => self.paint(word, "32"),
        };
        if change.risky {
            out.push_str("  ");
            out.push_str(&self.paint("risky", "1;31"));
        }
        out
    }
}

/// The diff as text for people.
pub fn render(diff: &Diff, style: Style) -> String {
    let mut out = format!("{} → {}\n", diff.old.label, diff.new.label);
    if let Some(partial) = &diff.old_partial {
        out.push_str(&partial.sentence(str::to_owned));
        out.push('\n');
    }
    if diff.is_empty() {
        out.push_str("no access changes\n");
        push_findings(&mut out, diff, style);
        return out;
    }
    let flips: Vec<&ProfileChange> = diff
        .profiles
        .iter()
        .filter(|p| p.becomes_admin() || p.stops_being_admin())
        .collect();
    if !flips.is_empty() {
        out.push_str(&format!("\n{}\n", style.heading("admin-equivalent")));
        let rows = flips
            .iter()
            .map(|p| {
                let what = if p.becomes_admin() {
                    style.paint("becomes admin-equivalent", "1;31")
                } else {
                    "no longer admin-equivalent".to_owned()
                };
                vec![p.profile.clone(), what, members(p.members)]
            })
            .collect();
        push_rows(&mut out, rows);
    }
    let mut groups: BTreeMap<Origin<'_>, Vec<(&ProfileChange, &Change)>> = BTreeMap::new();
    for profile in diff.profiles.iter().filter(|p| p.status == Status::Changed) {
        for change in &profile.changes {
            let group = origin(change.cause.as_ref());
            groups.entry(group).or_default().push((profile, change));
        }
    }
    for (group, changes) in &groups {
        out.push_str(&format!("\n{}\n", style.heading(&title(*group))));
        let rows = changes
            .iter()
            .map(|(profile, change)| {
                let via = change.cause.as_ref().and_then(|c| c.via_shown());
                vec![
                    profile.profile.clone(),
                    change.value.permission.clone(),
                    values(&change.value),
                    style.direction(&change.value),
                    via.map(|via| format!("via {via}")).unwrap_or_default(),
                    members(profile.members),
                ]
            })
            .collect();
        push_rows(&mut out, rows);
    }
    for profile in diff.profiles.iter().filter(|p| p.status != Status::Changed) {
        let title = format!("{} profile {}", profile.status.as_str(), profile.profile);
        out.push_str(&format!(
            "\n{}  {}\n",
            style.heading(&title),
            members(profile.members)
        ));
        let rows = profile
            .changes
            .iter()
            .map(|c| {
                vec![
                    c.value.permission.clone(),
                    values(&c.value),
                    style.direction(&c.value),
                ]
            })
            .collect();
        push_rows(&mut out, rows);
    }
    if !diff.members.is_empty() {
        out.push_str(&format!("\n{}\n", style.heading("members")));
        for member in &diff.members {
            let profiles = match (&member.old_profile, &member.new_profile) {
                (Some(old), Some(new)) if old != new => format!("{old} → {new}"),
                (Some(old), Some(_)) => format!("{old}, own limits"),
                (None, Some(new)) => format!("added, {new}"),
                (Some(old), None) => format!("removed, was {old}"),
                (None, None) => String::new(),
            };
            out.push_str(&format!("  {}  {profiles}\n", member.member));
            let rows = member
                .changes
                .iter()
                .map(|c| vec![c.permission.clone(), values(c), style.direction(c)])
                .collect();
            push_indented(&mut out, rows, "    ");
        }
    }
    push_admins(&mut out, diff, style);
    push_findings(&mut out, diff, style);
    out.push_str(&format!("\n{}\n", summary_line(diff)));
    out
}

/// `3 profiles changed (1 added, 1 removed): 4 widened, 1 narrowed, 2 risky; 14 members affected`.
pub fn summary_line(diff: &Diff) -> String {
    let s = &diff.summary;
    format!(
        "{} changed ({} added, {} removed): {} widened, {} narrowed, {} risky; {} affected",
        plural(s.profiles_changed, "profile"),
        s.profiles_added,
        s.profiles_removed,
        s.widened,
        s.narrowed,
        s.risky,
        plural(s.members_affected, "member"),
    )
}

/// The heading of a group of changes.
fn title((_, profile, file, line): Origin<'_>) -> String {
    match (profile, file, line) {
        (Some(profile), Some(file), Some(line)) => format!("set by {profile} at {file}:{line}"),
        (Some(profile), _, _) => format!("set by {profile}"),
        (None, _, _) => "catalog default".to_owned(),
    }
}

fn push_admins(out: &mut String, diff: &Diff, style: Style) {
    let line = admins_line(diff.admins.old, diff.admins.new, &diff.admin_status);
    out.push_str(&format!("\n{}  {line}\n", style.heading("admins")));
}

/// `3 → 2 (min-admins 2: met → not met)`, the thresholds and each side's status.
pub fn admins_line(old: usize, new: usize, status: &AdminStatus) -> String {
    // Below `min-admins` is never "ok": without members the rule has
    // nothing to check, and the line says so.
    let state = |admins: usize, members: usize, too_few: bool, too_many: bool| {
        if admins < status.min_admins && members == 0 {
            "no members"
        } else if too_few {
            "too few"
        } else if too_many {
            "too many"
        } else {
            "ok"
        }
    };
    let (before, after) = (
        state(old, status.members.0, status.too_few.0, status.too_many.0),
        state(new, status.members.1, status.too_few.1, status.too_many.1),
    );
    let state = if before == after {
        before.to_owned()
    } else {
        format!("{before} → {after}")
    };
    format!(
        "{old} → {new} ({state}; min-admins {}, too-many-admins above {}% of {})",
        status.min_admins,
        (status.max_admin_share * 100.0).round(),
        plural(status.members.1, "member"),
    )
}

fn push_findings(out: &mut String, diff: &Diff, style: Style) {
    let f = &diff.findings;
    if f.introduced.is_empty() && f.resolved.is_empty() {
        return;
    }
    out.push_str(&format!("\n{}\n", style.heading("findings")));
    for (word, list) in [("introduced", &f.introduced), ("resolved", &f.resolved)] {
        for d in list {
            out.push_str(&format!(
                "  {word}  {}[{}]  {}:{}:{}  {}\n",
                d.severity.as_str(),
                d.rule,
                d.file,
                d.line,
                d.column,
                d.message
            ));
        }
    }
}

/// `team → all`, with `–` for a side where the value does not exist.
pub fn values(change: &ValueChange) -> String {
    let show = |v: &Option<Value>| v.as_ref().map_or_else(|| "–".to_owned(), Value::to_string);
    format!("{} → {}", show(&change.old), show(&change.new))
}

fn members(n: usize) -> String {
    format!("({})", plural(n, "member"))
}

fn push_rows(out: &mut String, rows: Vec<Vec<String>>) {
    push_indented(out, rows, "  ");
}

/// Rows with their columns aligned (by characters, escapes not counted).
fn push_indented(out: &mut String, rows: Vec<Vec<String>>, indent: &str) {
    let width = |cell: &str| ansi::strip(cell).chars().count();
    let mut widths: Vec<usize> = Vec::new();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            if widths.len() <= i {
                widths.push(0);
            }
            widths[i] = widths[i].max(width(cell));
        }
    }
    for row in rows {
        let mut line = indent.to_owned();
        let last = row.len().saturating_sub(1);
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i < last {
                let pad = widths[i].saturating_sub(width(cell)) + 2;
                line.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}
