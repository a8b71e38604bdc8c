//! Rendering a compilation's diagnostics, for people and for tools.
//!
//! Every output format lives here: human (miette's graphical handler, then
//! a summary line), JSON, SARIF and GitHub workflow commands. Each renderer
//! reads a [`Compilation`] (its sources, diagnostics and summary) and
//! returns text; it needs no resolved model, so a compilation that stopped
//! early renders like any other. Printing is the command line's business.

mod github;
mod human;
mod json;
mod sarif;

use crate::Compilation;
use crate::text::plural;
pub use crate::text::pretty_json;

pub use github::github_report;
pub use human::{HumanStyle, human_report, render_human, render_load_failure};
pub use json::{JsonDiagnostic, JsonLabel, JsonReport, JsonSummary, json_report};
pub use sarif::{SARIF_SCHEMA, sarif_report};

/// Output format for diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// Rendered diagnostics with source snippets, and a summary line.
    #[default]
    Human,
    /// One JSON object with every diagnostic and a summary.
    Json,
    /// SARIF 2.1.0, for code-scanning uploads.
    Sarif,
    /// GitHub Actions workflow commands, shown as annotations on pull requests.
    Github,
}

/// The text of a compilation's diagnostics in `format`, ready to print.
pub fn render(compilation: &Compilation, format: Format, style: HumanStyle) -> String {
    match format {
        Format::Human => human_report(compilation, style),
        Format::Json => pretty_json(&json_report(compilation)),
        Format::Sarif => pretty_json(&sarif_report(compilation)),
        Format::Github => github_report(compilation),
    }
}

/// `checked 3 files (5 profiles, 12 members): 1 error, 2 warnings`.
pub fn summary_line(compilation: &Compilation) -> String {
    let s = compilation.summary;
    let counts = compilation.counts();
    let mut parts = Vec::new();
    for (n, word) in [
        (counts.errors, "error"),
        (counts.warnings, "warning"),
        (counts.notes, "note"),
    ] {
        if n > 0 {
            parts.push(plural(n, word));
        }
    }
    let found = if parts.is_empty() {
        "no problems".to_owned()
    } else {
        parts.join(", ")
    };
    format!(
        "checked {} ({}, {}): {found}",
        plural(s.files, "file"),
        plural(s.profiles, "profile"),
        plural(s.members, "member"),
    )
}
