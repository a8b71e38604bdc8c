//! The access review as GitHub-flavoured markdown, for a ticket or a pull
//! request: the header's counts, the matrix as one table per catalog
//! category (profiles as rows, as on the page), the profiles with their
//! parents, the members, the findings and the waivers.

use std::fmt::Write;

use super::{ProfileRow, Review};
use crate::text::markdown::{code, message, text};

/// The review as markdown.
pub fn render(review: &Review) -> String {
    let mut out = String::new();
    let plan = review
        .plan
        .as_deref()
        .map_or_else(String::new, |p| format!(" ({})", text(p)));
    let _ = writeln!(out, "# Access review: {}{plan}\n", text(&review.platform));
    let _ = writeln!(out, "Revision: {}\n", code(&review.revision));
    let c = &review.counts;
    out.push_str(
        "| custom profiles | built-in profiles | members | admins | warnings | waivers |\n",
    );
    out.push_str("|---:|---:|---:|---:|---:|---:|\n");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} |",
        c.custom_profiles, c.builtin_profiles, c.members, c.admins, c.warnings, c.waivers
    );
    matrix(&mut out, review);
    profiles(&mut out, review);
    members(&mut out, review);
    findings(&mut out, review);
    waivers(&mut out, review);
    out
}

fn matrix(out: &mut String, review: &Review) {
    out.push_str("\n## Who can do what\n\n");
    out.push_str(
        "Each cell is a profile's effective value. **Bold** marks a risky grant; \
         **all ⚠** marks `emails.visibility = all`, which reads every user's emails.\n",
    );
    for group in review.groups() {
        let _ = writeln!(out, "\n### {}\n", text(group.category));
        let indices: Vec<usize> = group.columns().collect();
        out.push_str("| profile |");
        for &i in &indices {
            let _ = write!(out, " {} |", code(&review.columns[i].id));
        }
        out.push_str("\n|---|");
        out.push_str(&":---:|".repeat(indices.len()));
        out.push('\n');
        for profile in &review.profiles {
            let _ = write!(out, "| {} |", profile_name(profile));
            for &i in &indices {
                let Some(cell) = profile.cells.get(i) else {
                    continue;
                };
                let value = text(&cell.value);
                if cell.all_emails {
                    let _ = write!(out, " **{value} ⚠** |");
                } else if cell.risky {
                    let _ = write!(out, " **{value}** |");
                } else {
                    let _ = write!(out, " {value} |");
                }
            }
            out.push('\n');
        }
    }
}

fn profile_name(profile: &ProfileRow) -> String {
    let mut name = text(&profile.name);
    if profile.builtin {
        name.push_str(" *(built-in)*");
    }
    name
}

fn profiles(out: &mut String, review: &Review) {
    out.push_str("\n## Profiles\n\n");
    out.push_str("| profile | extends | members | admin-equivalent | declared at |\n");
    out.push_str("|---|---|---:|:---:|---|\n");
    for profile in &review.profiles {
        let extends: Vec<String> = profile.extends.iter().map(|p| text(p)).collect();
        let declared = profile
            .declared
            .as_ref()
            .map_or_else(|| "built-in".to_owned(), |p| text(&p.to_string()));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {declared} |",
            text(&profile.name),
            extends.join(", "),
            profile.members,
            if profile.admin_equivalent {
                "**yes**"
            } else {
                "no"
            },
        );
    }
}

fn members(out: &mut String, review: &Review) {
    out.push_str("\n## Members\n\n");
    if review.members.is_empty() {
        out.push_str("No members are declared.\n");
        return;
    }
    out.push_str("| member | team | profile | admin-equivalent | own limits | risky grants |\n");
    out.push_str("|---|---|---|:---:|---|---|\n");
    for member in &review.members {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            text(&member.id),
            member.team.as_deref().map(text).unwrap_or_default(),
            text(&member.profile),
            if member.admin_equivalent {
                "**yes**"
            } else {
                "no"
            },
            settings(&member.limits),
            settings(&member.risky),
        );
    }
}

fn settings(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(id, value)| code(&format!("{id} = {value}")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn findings(out: &mut String, review: &Review) {
    out.push_str("\n## Findings\n\n");
    if review.findings.is_empty() {
        out.push_str("No findings: every rule passes, or its findings are waived below.\n");
        return;
    }
    out.push_str("| severity | rule | where | finding |\n");
    out.push_str("|---|---|---|---|\n");
    for finding in &review.findings {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            finding.severity,
            code(finding.rule),
            text(&finding.place.to_string()),
            message(&finding.message)
        );
    }
}

fn waivers(out: &mut String, review: &Review) {
    out.push_str("\n## Waivers\n\n");
    if review.waivers.is_empty() {
        out.push_str("No waivers.\n");
        return;
    }
    out.push_str("| rule | where | reason |\n");
    out.push_str("|---|---|---|\n");
    for waiver in &review.waivers {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            code(&waiver.rule),
            text(&waiver.place.to_string()),
            text(&waiver.reason)
        );
    }
}
