//! The diff as a pull-request comment (GitHub-flavoured markdown): a
//! one-line verdict, a summary table, the changes grouped by cause, one
//! section per profile (risky ones first), findings, and members last.
//! Long lists fold into `<details>`. Nothing in it depends on the time or
//! the machine.

use std::collections::BTreeMap;

use super::FailOn;
use super::cause::{Origin, origin};
use super::human::admins_line;
use super::types::{Diff, ProfileChange, Status, ValueChange};
use crate::backend::Value;
use crate::text::markdown::{code, message};
use crate::text::plural;

/// Tables longer than this fold into `<details>`.
const FOLD_ROWS: usize = 10;
/// Profile sections shown before the rest fold into one `<details>`.
const OPEN_SECTIONS: usize = 20;
/// Names listed for a cause before "and N more".
const CAUSE_NAMES: usize = 8;

/// The default of `--max-bytes`: under GitHub's limit of 65,536
/// characters for a comment, with room for a workflow's own lines.
pub const MAX_BYTES: usize = 60_000;

/// Room kept for the folding around kept parts and the line saying what
/// was left out.
const RESERVE: usize = 640;

/// The diff as markdown, whole.
pub fn render(diff: &Diff) -> String {
    let parts = Parts::of(diff);
    parts.assemble(&parts.all())
}

/// The diff as markdown in at most `max` bytes (no limit when 0): when the
/// whole does not fit, the verdict, the summary table and the admin count
/// are kept whole, then as many as fit of the risky profile sections, the
/// causes, the other sections, the findings and the members, each whole and
/// in that order, and a last line says what was left out and how to see
/// it. Only whole lines, table rows, sections and `<details>` blocks are
/// kept, so nothing is cut inside one, nor inside a character.
pub fn render_within(diff: &Diff, max: usize) -> String {
    let parts = Parts::of(diff);
    let all = parts.all();
    let whole = parts.assemble(&all);
    if max == 0 || whole.len() <= max {
        return whole;
    }
    let mut keep = Keep::default();
    let mut used = parts.assemble(&keep).len() + RESERVE;
    let mut added: Vec<Part> = Vec::new();
    let risky = parts.risky;
    // The first causes are the shortest summary of a big change; a diff
    // where every profile is its own cause must not spend it all there.
    let order = [
        (Part::Cause, all.causes.min(OPEN_SECTIONS)),
        (Part::Section, risky),
        (Part::Cause, all.causes),
        (Part::Section, all.sections),
        (Part::Finding, all.findings),
        (Part::Member, all.members),
    ];
    for (part, limit) in order {
        while keep.get(part) < limit {
            let cost = parts.cost(part, keep.get(part));
            if used + cost > max {
                break;
            }
            used += cost;
            *keep.get_mut(part) += 1;
            added.push(part);
        }
    }
    // The costs are exact but for the folding; check, and give back parts
    // until the whole fits.
    loop {
        let mut out = parts.assemble(&keep);
        out.push_str(&parts.left_out(&keep, max));
        match added.pop() {
            Some(part) if out.len() > max => *keep.get_mut(part) -= 1,
            _ => return out,
        }
    }
}

/// A kind of part that `--max-bytes` keeps or leaves out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Cause,
    Section,
    Finding,
    Member,
}

/// How many of each part are kept, from the first.
#[derive(Clone, Copy, Debug, Default)]
struct Keep {
    causes: usize,
    sections: usize,
    findings: usize,
    members: usize,
}

impl Keep {
    fn get(&self, part: Part) -> usize {
        match part {
            Part::Cause => self.causes,
            Part::Section => self.sections,
            Part::Finding => self.findings,
            Part::Member => self.members,
        }
    }

    fn get_mut(&mut self, part: Part) -> &mut usize {
        match part {
            Part::Cause => &mut self.causes,
            Part::Section => &mut self.sections,
            Part::Finding => &mut self.findings,
            Part::Member => &mut self.members,
        }
    }
}

/// The markdown of a diff, in the whole pieces it is made of.
struct Parts {
    /// The verdict, the summary table and the admin count.
    head: String,
    /// Whether the diff is empty: the head is then the verdict alone.
    empty: bool,
    /// One list item per cause.
    causes: Vec<String>,
    /// One section per profile, risky ones first.
    sections: Vec<String>,
    /// How many of the sections are risky.
    risky: usize,
    /// One list item per finding.
    findings: Vec<String>,
    /// One table row per member.
    members: Vec<String>,
}

impl Parts {
    fn of(diff: &Diff) -> Parts {
        let mut head = verdict(diff);
        head.push('\n');
        if let Some(partial) = &diff.old_partial {
            let sentence = partial.sentence(code);
            head.push_str(&format!(
                "\n> :warning: {}{}; they are not compared.\n",
                sentence[..1].to_uppercase(),
                &sentence[1..]
            ));
        }
        let empty = diff.is_empty();
        if !empty {
            head.push_str(&summary(diff));
        }
        let mut sections: Vec<&ProfileChange> = diff.profiles.iter().collect();
        // Risky first; the sort is stable, so names stay in byte order.
        sections.sort_by_key(|p| !p.risky());
        let risky = sections.iter().filter(|p| p.risky()).count();
        let sections = sections
            .into_iter()
            .map(|profile| {
                let mut out = String::new();
                push_profile(&mut out, profile);
                out
            })
            .collect();
        Parts {
            head,
            empty,
            causes: if empty { Vec::new() } else { causes(diff) },
            sections: if empty { Vec::new() } else { sections },
            risky: if empty { 0 } else { risky },
            findings: findings(diff),
            members: if empty { Vec::new() } else { member_rows(diff) },
        }
    }

    fn all(&self) -> Keep {
        Keep {
            causes: self.causes.len(),
            sections: self.sections.len(),
            findings: self.findings.len(),
            members: self.members.len(),
        }
    }

    /// The bytes the `index`th part of a kind adds, with its list's heading
    /// when it is the first.
    fn cost(&self, part: Part, index: usize) -> usize {
        let (list, heading) = match part {
            Part::Cause => (&self.causes, CAUSES.len()),
            Part::Section => (&self.sections, 0),
            Part::Finding => (&self.findings, FINDINGS.len()),
            Part::Member => (&self.members, MEMBERS.len() + MEMBERS_TABLE.len()),
        };
        list[index].len() + if index == 0 { heading } else { 0 }
    }

    /// The markdown of the parts `keep` keeps.
    fn assemble(&self, keep: &Keep) -> String {
        let mut out = self.head.clone();
        if !self.empty {
            if keep.causes > 0 {
                out.push_str(CAUSES);
                self.causes[..keep.causes]
                    .iter()
                    .for_each(|c| out.push_str(c));
            }
            let sections = &self.sections[..keep.sections];
            for (i, section) in sections.iter().enumerate() {
                if i == OPEN_SECTIONS {
                    let rest = sections.len() - OPEN_SECTIONS;
                    out.push_str(&format!(
                        "\n<details><summary>{rest} more profiles</summary>\n"
                    ));
                }
                out.push_str(section);
            }
            if sections.len() > OPEN_SECTIONS {
                out.push_str("\n</details>\n");
            }
        }
        if keep.findings > 0 {
            out.push_str(FINDINGS);
            self.findings[..keep.findings]
                .iter()
                .for_each(|f| out.push_str(f));
        }
        if keep.members > 0 {
            out.push_str(MEMBERS);
            let mut table = MEMBERS_TABLE.to_owned();
            self.members[..keep.members]
                .iter()
                .for_each(|m| table.push_str(m));
            fold(&mut out, table, keep.members, "members");
        }
        out
    }

    /// The line saying what `keep` leaves out to stay under `max` bytes.
    fn left_out(&self, keep: &Keep, max: usize) -> String {
        let out_of = |kept: usize, all: usize, word: &str| {
            format!("{} of {}", all - kept, plural(all, word))
        };
        let what: Vec<String> = [
            (keep.sections, self.sections.len(), "profile"),
            (keep.members, self.members.len(), "member"),
            (keep.findings, self.findings.len(), "finding"),
            (keep.causes, self.causes.len(), "cause"),
        ]
        .into_iter()
        .filter(|&(kept, all, word)| all > 0 && (kept < all || word != "cause"))
        .map(|(kept, all, word)| out_of(kept, all, word))
        .collect();
        format!(
            "\n**Left out** to stay under {max} bytes: {}. The whole diff: `rolecall diff --format json`, or all of this markdown with `--max-bytes 0`.\n",
            what.join(", ")
        )
    }
}

const CAUSES: &str = "\n#### Causes\n\n";
const FINDINGS: &str = "\n#### Findings\n\n";
const MEMBERS: &str = "\n#### Members\n\n";
const MEMBERS_TABLE: &str = "| member | status | profile | changes |\n|---|---|---|---|\n";

/// The summary table and the admin count.
fn summary(diff: &Diff) -> String {
    let s = &diff.summary;
    let mut out = String::from(
        "\n| profiles changed | added | removed | widened | narrowed | risky | members affected | admins |\n",
    );
    out.push_str("|---:|---:|---:|---:|---:|---:|---:|:---:|\n");
    out.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} | {} | {} → {} |\n",
        s.profiles_changed,
        s.profiles_added,
        s.profiles_removed,
        s.widened,
        s.narrowed,
        s.risky,
        s.members_affected,
        diff.admins.old,
        diff.admins.new
    ));
    out.push_str(&format!(
        "\nAdmins: {}\n",
        admins_line(diff.admins.old, diff.admins.new, &diff.admin_status)
    ));
    out
}

fn verdict(diff: &Diff) -> String {
    let sides = format!(
        "**rolecall diff** {} → {}:",
        code(&diff.old.label),
        code(&diff.new.label)
    );
    if diff.is_empty() {
        return format!("{sides} no access changes");
    }
    let s = &diff.summary;
    let touched = s.profiles_changed + s.profiles_added + s.profiles_removed;
    let mut counts = format!("{} widened, {} narrowed", s.widened, s.narrowed);
    if touched > 0 {
        counts.push_str(&format!(" in {}", plural(touched, "profile")));
    }
    counts.push_str(&format!(
        "; {} affected",
        plural(s.members_affected, "member")
    ));
    let word = if diff.fails(FailOn::Risky) {
        ":warning: **risky changes**"
    } else if diff.fails(FailOn::Widened) {
        "**access widens**"
    } else if s.narrowed > 0 || diff.members.iter().any(|m| !m.changes.is_empty()) {
        "**access narrows**"
    } else {
        "**access changes**"
    };
    format!("{sides} {word}: {counts}")
}

/// Every setting that changed values, with the profiles it reaches.
fn causes(diff: &Diff) -> Vec<String> {
    let mut groups: BTreeMap<Origin<'_>, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
    for profile in diff.profiles.iter().filter(|p| p.status == Status::Changed) {
        for change in &profile.changes {
            let (permissions, profiles) = groups.entry(origin(change.cause.as_ref())).or_default();
            permissions.push(&change.value.permission);
            profiles.push(&profile.profile);
        }
    }
    let mut out = Vec::with_capacity(groups.len());
    for ((_, profile, file, line), (mut permissions, mut profiles)) in groups {
        permissions.sort_unstable();
        permissions.dedup();
        profiles.dedup();
        let setting = permissions
            .iter()
            .map(|p| code(p))
            .collect::<Vec<_>>()
            .join(", ");
        let source = match (profile, file, line) {
            (Some(profile), Some(file), Some(line)) => {
                format!(
                    "{} sets {setting} at {}",
                    code(profile),
                    code(&format!("{file}:{line}"))
                )
            }
            (Some(profile), _, _) => format!("{} sets {setting}", code(profile)),
            (None, _, _) => format!("the catalog default of {setting}"),
        };
        let mut names: Vec<String> = profiles.iter().take(CAUSE_NAMES).map(|p| code(p)).collect();
        if profiles.len() > CAUSE_NAMES {
            names.push(format!("and {} more", profiles.len() - CAUSE_NAMES));
        }
        out.push(format!(
            "- {source}: {} ({})\n",
            plural(profiles.len(), "profile"),
            names.join(", ")
        ));
    }
    out
}

fn push_profile(out: &mut String, profile: &ProfileChange) {
    let mark = if profile.risky() { ":warning: " } else { "" };
    out.push_str(&format!(
        "\n#### {mark}{} · {} · {}\n\n",
        code(&profile.profile),
        profile.status.as_str(),
        plural(profile.members, "member")
    ));
    if profile.becomes_admin() {
        out.push_str("**Becomes admin-equivalent**: a holder can make itself an admin.\n\n");
    } else if profile.stops_being_admin() {
        out.push_str("No longer admin-equivalent.\n\n");
    }
    let mut table =
        String::from("| permission | old | new | direction | cause |\n|---|---|---|---|---|\n");
    for change in &profile.changes {
        let cause = match &change.cause {
            None => String::new(),
            Some(cause) => {
                let mut text = match (&cause.profile, &cause.file, cause.line) {
                    (Some(p), Some(file), Some(line)) => {
                        format!("{} {}", code(p), code(&format!("{file}:{line}")))
                    }
                    (Some(p), _, _) => code(p),
                    (None, _, _) => "catalog default".to_owned(),
                };
                if let Some(via) = cause.via_shown() {
                    text.push_str(&format!(" via {}", code(via)));
                }
                text
            }
        };
        let (old, new) = split(&change.value);
        table.push_str(&format!(
            "| {} | {old} | {new} | {} | {cause} |\n",
            code(&change.value.permission),
            direction(&change.value)
        ));
    }
    fold(out, table, profile.changes.len(), "changes");
}

/// One list item per finding, introduced ones first.
fn findings(diff: &Diff) -> Vec<String> {
    let f = &diff.findings;
    let mut out = Vec::with_capacity(f.introduced.len() + f.resolved.len());
    for (word, list) in [("introduced", &f.introduced), ("resolved", &f.resolved)] {
        for d in list {
            out.push(format!(
                "- {word}: {} {} at {}: {}\n",
                d.severity.as_str(),
                code(d.rule),
                code(&format!("{}:{}", d.file, d.line)),
                message(&d.message)
            ));
        }
    }
    out
}

/// One table row per member.
fn member_rows(diff: &Diff) -> Vec<String> {
    let mut rows = Vec::with_capacity(diff.members.len());
    for member in &diff.members {
        let profile = match (&member.old_profile, &member.new_profile) {
            (Some(old), Some(new)) if old != new => format!("{} → {}", code(old), code(new)),
            (Some(p), _) | (None, Some(p)) => code(p),
            (None, None) => String::new(),
        };
        let lines: Vec<String> = member
            .changes
            .iter()
            .map(|c| {
                let (old, new) = split(c);
                format!("{} {old} → {new} {}", code(&c.permission), direction(c))
            })
            .collect();
        let changes = if lines.len() > 5 {
            format!(
                "<details><summary>{} changes</summary>{}</details>",
                lines.len(),
                lines.join("<br>")
            )
        } else {
            lines.join("<br>")
        };
        rows.push(format!(
            "| {} | {} | {profile} | {changes} |\n",
            code(&member.member),
            member.status.as_str()
        ));
    }
    rows
}

/// A table, inside `<details>` when it has many rows.
fn fold(out: &mut String, table: String, rows: usize, what: &str) {
    if rows > FOLD_ROWS {
        out.push_str(&format!(
            "<details><summary>{rows} {what}</summary>\n\n{table}\n</details>\n"
        ));
    } else {
        out.push_str(&table);
    }
}

/// The old and new value as cells: inline code, `–` where there is none.
fn split(change: &ValueChange) -> (String, String) {
    let cell = |v: &Option<Value>| {
        v.as_ref()
            .map_or_else(|| "–".to_owned(), |v| code(&v.to_string()))
    };
    (cell(&change.old), cell(&change.new))
}

fn direction(change: &ValueChange) -> String {
    if change.risky {
        format!("{} :warning: risky", change.direction.as_str())
    } else {
        change.direction.as_str().to_owned()
    }
}
