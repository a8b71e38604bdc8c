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
use crate::markdown::{code, message};

/// Tables longer than this fold into `<details>`.
const FOLD_ROWS: usize = 10;
/// Profile sections shown before the rest fold into one `<details>`.
const OPEN_SECTIONS: usize = 20;
/// Names listed for a cause before "and N more".
const CAUSE_NAMES: usize = 8;

/// The diff as markdown.
pub fn render(diff: &Diff) -> String {
    let mut out = verdict(diff);
    out.push('\n');
    if let Some(partial) = &diff.old_partial {
        let sentence = partial.sentence(code);
        out.push_str(&format!(
            "\n> :warning: {}{}; they are not compared.\n",
            sentence[..1].to_uppercase(),
            &sentence[1..]
        ));
    }
    if diff.is_empty() {
        push_findings(&mut out, diff);
        return out;
    }
    out.push('\n');
    let s = &diff.summary;
    out.push_str("| profiles changed | added | removed | widened | narrowed | risky | members affected | admins |\n");
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
    push_causes(&mut out, diff);
    let mut sections: Vec<&ProfileChange> = diff.profiles.iter().collect();
    // Risky first; the sort is stable, so names stay in byte order.
    sections.sort_by_key(|p| !p.risky());
    for (i, profile) in sections.iter().enumerate() {
        if i == OPEN_SECTIONS {
            let rest = sections.len() - OPEN_SECTIONS;
            out.push_str(&format!(
                "\n<details><summary>{rest} more profiles</summary>\n"
            ));
        }
        push_profile(&mut out, profile);
    }
    if sections.len() > OPEN_SECTIONS {
        out.push_str("\n</details>\n");
    }
    push_findings(&mut out, diff);
    push_members(&mut out, diff);
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
fn push_causes(out: &mut String, diff: &Diff) {
    let mut groups: BTreeMap<Origin<'_>, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
    for profile in diff.profiles.iter().filter(|p| p.status == Status::Changed) {
        for change in &profile.changes {
            let (permissions, profiles) = groups.entry(origin(change.cause.as_ref())).or_default();
            permissions.push(&change.value.permission);
            profiles.push(&profile.profile);
        }
    }
    if groups.is_empty() {
        return;
    }
    out.push_str("\n#### Causes\n\n");
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
        out.push_str(&format!(
            "- {source}: {} ({})\n",
            plural(profiles.len(), "profile"),
            names.join(", ")
        ));
    }
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

fn push_findings(out: &mut String, diff: &Diff) {
    let f = &diff.findings;
    if f.introduced.is_empty() && f.resolved.is_empty() {
        return;
    }
    out.push_str("\n#### Findings\n\n");
    for (word, list) in [("introduced", &f.introduced), ("resolved", &f.resolved)] {
        for d in list {
            out.push_str(&format!(
                "- {word}: {} {} at {}: {}\n",
                d.severity.as_str(),
                code(d.rule),
                code(&format!("{}:{}", d.file, d.line)),
                message(&d.message)
            ));
        }
    }
}

fn push_members(out: &mut String, diff: &Diff) {
    if diff.members.is_empty() {
        return;
    }
    out.push_str("\n#### Members\n\n");
    let mut table = String::from("| member | status | profile | changes |\n|---|---|---|---|\n");
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
        table.push_str(&format!(
            "| {} | {} | {profile} | {changes} |\n",
            code(&member.member),
            member.status.as_str()
        ));
    }
    fold(out, table, diff.members.len(), "members");
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

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
