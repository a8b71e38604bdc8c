//! The access review as one self-contained HTML page: inline CSS, inline
//! SVG and a small inline script, nothing fetched.
//!
//! The page is built with `maud`: markup is checked when the crate is
//! compiled and every interpolated string is escaped, so a profile named
//! `<script>` is shown as text. A Content-Security-Policy pins the page's
//! own style and script by their digests and allows nothing else to be
//! fetched or run.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::{Cell, Column, ProfileRow, Review, Source, graph};
use sha2::{Digest, Sha256};

/// The page's style sheet, screen and print.
const STYLE: &str = include_str!("page.css");
/// The page's script: click a cell to pin where its value is set.
const SCRIPT: &str = include_str!("page.js");

/// The review as an HTML page.
pub fn render(review: &Review) -> String {
    let layout = graph::layout(review);
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(policy());
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="rolecall";
                title { "Access review: " (review.platform) (plan_suffix(review)) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                (header(review))
                nav {
                    a href="#matrix" { "Who can do what" }
                    a href="#graph" { "Inheritance" }
                    a href="#members" { "Members" }
                    a href="#findings" { "Findings" }
                    a href="#waivers" { "Waivers" }
                }
                main {
                    (matrix(review))
                    section #graph {
                        h2 { "Inheritance" }
                        p.hint {
                            "Each box is a profile, each arrow an " code { "extends" }
                            ", from parent down to child. "
                            span.key.builtin { "built-in" } " "
                            span.key.custom { "custom" } " "
                            span.key.admin { "admin-equivalent" }
                        }
                        div.figure { (graph::svg(review, &layout)) }
                    }
                    (members(review))
                    (findings(review))
                    (waivers(review))
                }
                footer {
                    "Made by rolecall from the policy set at revision "
                    code { (review.revision) } "."
                }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    page.into_string()
}

/// Nothing may be fetched; only the page's own style and script apply.
fn policy() -> String {
    let digest = |text: &str| format!("'sha256-{}'", base64(&Sha256::digest(text.as_bytes())));
    format!(
        "default-src 'none'; style-src {}; script-src {}; img-src 'none'; base-uri 'none'; form-action 'none'",
        digest(STYLE),
        digest(SCRIPT)
    )
}

fn plan_suffix(review: &Review) -> String {
    review
        .plan
        .as_ref()
        .map_or_else(String::new, |plan| format!(" ({plan})"))
}

fn header(review: &Review) -> Markup {
    let c = &review.counts;
    let counts = [
        ("custom-profiles", c.custom_profiles, "custom profiles"),
        ("builtin-profiles", c.builtin_profiles, "built-in profiles"),
        ("members", c.members, "members"),
        ("admins", c.admins, "admins"),
        ("warnings", c.warnings, "warnings"),
        ("waivers", c.waivers, "waivers"),
    ];
    html! {
        header.page {
            h1 { "Access review" }
            dl.facts {
                div { dt { "platform" } dd #platform { (review.platform) } }
                div { dt { "plan" } dd #plan { (review.plan.as_deref().unwrap_or("not declared")) } }
                div.revision { dt { "revision" } dd { code #revision { (review.revision) } } }
            }
            ul.counts {
                @for (key, n, what) in counts {
                    li data-count=(key) { span.n { (n) } " " (what) }
                }
            }
        }
    }
}

fn matrix(review: &Review) -> Markup {
    let groups = review.groups();
    let starts: Vec<bool> = {
        let mut starts = vec![false; review.columns.len()];
        for group in &groups {
            for section in &group.sections {
                if let Some(&first) = section.columns.first() {
                    starts[first] = true;
                }
            }
        }
        starts
    };
    html! {
        section #matrix {
            h2 { "Who can do what" }
            p.hint {
                "Each cell is a profile's effective value. "
                span.key.g0 { "nothing" } " "
                span.key.g1 { "some" } " "
                span.key.g2 { "more" } " "
                span.key.g3 { "the most" } " "
                span.key.risky { "risky grant" } " "
                span.key.all-emails { "reads every user's emails" }
                " Hover a cell for where its value is set, click to pin it below."
            }
            div.scroll tabindex="0" {
                table.matrix {
                    thead {
                        tr.categories {
                            th.corner rowspan="3" scope="col" { "profile" }
                            @for group in &groups {
                                th.start scope="colgroup" colspan=(group.columns().count()) {
                                    (group.category)
                                }
                            }
                        }
                        tr.sections {
                            @for group in &groups {
                                @for section in &group.sections {
                                    th.start scope="colgroup" colspan=(section.columns.len()) {
                                        (section.section)
                                    }
                                }
                            }
                        }
                        tr.permissions {
                            @for (i, column) in review.columns.iter().enumerate() {
                                th.perm.start[starts[i]] scope="col" data-perm=(column.id)
                                    title=(column_title(column)) {
                                    span { (column.id) }
                                }
                            }
                        }
                    }
                    tbody {
                        @for profile in &review.profiles {
                            (matrix_row(review, profile, &starts))
                        }
                    }
                }
            }
            p #where aria-live="polite" hidden { "Click a cell to pin where its value is set." }
            (printed_matrix(review))
        }
    }
}

/// The matrix for paper: one narrower table per category, which A4 can
/// hold at a legible size; hidden on screen.
fn printed_matrix(review: &Review) -> Markup {
    html! {
        div.print-only {
            @for group in review.groups() {
                table.print-matrix {
                    caption { (group.category) }
                    thead { tr {
                        th scope="col" { "profile" }
                        @for i in group.columns() {
                            th.perm scope="col" { span { (review.columns[i].id) } }
                        }
                    } }
                    tbody {
                        @for profile in &review.profiles {
                            tr {
                                th scope="row" { (profile.name) }
                                @for i in group.columns() {
                                    @if let Some(cell) = profile.cells.get(i) {
                                        td.g0[cell.grade == 0].g1[cell.grade == 1].g2[cell.grade == 2]
                                            .g3[cell.grade >= 3].risky[cell.risky].all-emails[cell.all_emails] {
                                            (cell.value)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn column_title(column: &Column) -> String {
    let values = if column.levels.is_empty() {
        "a number".to_owned()
    } else {
        column.levels.join(" < ")
    };
    format!(
        "{}\n{} › {}\n{}: {values}",
        column.label, column.category, column.section, column.id
    )
}

fn matrix_row(review: &Review, profile: &ProfileRow, starts: &[bool]) -> Markup {
    html! {
        tr.builtin[profile.builtin].admin[profile.admin_equivalent] data-profile=(profile.name) {
            th.profile scope="row" title=(profile_title(profile)) {
                (profile.name)
                @if profile.builtin { " " span.tag { "built-in" } }
                @if profile.admin_equivalent { " " span.tag.admin { "admin" } }
            }
            @for (i, (cell, column)) in profile.cells.iter().zip(&review.columns).enumerate() {
                td.cell.start[starts[i]]
                    .g0[cell.grade == 0].g1[cell.grade == 1].g2[cell.grade == 2].g3[cell.grade >= 3]
                    .risky[cell.risky].all-emails[cell.all_emails]
                    data-perm=(column.id)
                    data-source=(source_kind(&cell.source))
                    title=(cell_title(profile, column, cell)) {
                    (cell.value)
                }
            }
        }
    }
}

fn profile_title(profile: &ProfileRow) -> String {
    let mut lines = vec![profile.name.clone()];
    if let Some(description) = &profile.description {
        lines.push(description.clone());
    }
    match &profile.declared {
        Some(place) => lines.push(format!("declared at {place}")),
        None => lines.push("built into the platform".to_owned()),
    }
    if !profile.extends.is_empty() {
        lines.push(format!("extends {}", profile.extends.join(", ")));
    }
    lines.push(match profile.members {
        1 => "1 member".to_owned(),
        n => format!("{n} members"),
    });
    lines.join("\n")
}

fn source_kind(source: &Source) -> &'static str {
    match source {
        Source::Own(_) => "own",
        Source::Inherited { .. } => "inherited",
        Source::Default => "default",
    }
}

fn cell_title(profile: &ProfileRow, column: &Column, cell: &Cell) -> String {
    let mut text = format!(
        "{} · {} = {}\n{}",
        profile.name,
        column.id,
        cell.value,
        cell.source.describe()
    );
    if cell.all_emails {
        text.push_str("\nreads every user's emails");
    } else if cell.risky {
        text.push_str("\nrisky grant");
    }
    text
}

fn members(review: &Review) -> Markup {
    html! {
        section #members {
            h2 { "Members" }
            @if review.members.is_empty() {
                p { "No members are declared." }
            } @else {
                div.scroll.wide {
                    table.list {
                        thead { tr {
                            th scope="col" { "member" }
                            th scope="col" { "team" }
                            th scope="col" { "profile" }
                            th scope="col" { "admin-equivalent" }
                            th scope="col" { "own limits" }
                            th scope="col" { "risky grants" }
                        } }
                        tbody {
                            @for member in &review.members {
                                tr.admin[member.admin_equivalent] data-member=(member.id) {
                                    th scope="row" { (member.id) }
                                    td { (member.team.as_deref().unwrap_or("")) }
                                    td { (member.profile) }
                                    td { @if member.admin_equivalent { strong { "yes" } } @else { "no" } }
                                    td { (settings(&member.limits)) }
                                    td.risky-list { (settings(&member.risky)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn settings(pairs: &[(String, String)]) -> Markup {
    html! {
        @for (i, (id, value)) in pairs.iter().enumerate() {
            @if i > 0 { " " }
            code { (id) " = " (value) }
        }
    }
}

fn findings(review: &Review) -> Markup {
    html! {
        section #findings {
            h2 { "Findings" }
            @if review.findings.is_empty() {
                p { "No findings: every rule passes, or its findings are waived below." }
            } @else {
                table.list {
                    thead { tr {
                        th scope="col" { "severity" }
                        th scope="col" { "rule" }
                        th scope="col" { "where" }
                        th scope="col" { "finding" }
                    } }
                    tbody {
                        @for finding in &review.findings {
                            tr class=(finding.severity) {
                                td { (finding.severity) }
                                td { code { (finding.rule) } }
                                td { (finding.place) }
                                td { (message(&finding.message)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn waivers(review: &Review) -> Markup {
    html! {
        section #waivers {
            h2 { "Waivers" }
            p.hint { "Accepted risks: each suppression comment of the policy set, with the reason given." }
            @if review.waivers.is_empty() {
                p { "No waivers." }
            } @else {
                table.list {
                    thead { tr {
                        th scope="col" { "rule" }
                        th scope="col" { "where" }
                        th scope="col" { "reason" }
                    } }
                    tbody {
                        @for waiver in &review.waivers {
                            tr {
                                td { code { (waiver.rule) } }
                                td { (waiver.place) }
                                td { (waiver.reason) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A diagnostic's message, its backticked parts as code.
fn message(text: &str) -> Markup {
    html! {
        @for (i, part) in text.split('`').enumerate() {
            @if i % 2 == 1 { code { (part) } } @else { (part) }
        }
    }
}

/// Standard base64 with padding, for the policy's digests.
pub(super) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
