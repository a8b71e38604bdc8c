//! Printing diagnostics in the output formats.

use std::io::Write;

use clap::ValueEnum;
use serde::Serialize;

use crate::Compilation;
use crate::diagnostics::{HumanStyle, JsonDiagnostic, render_human};

/// Output format for diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Rendered diagnostics with source snippets, and a summary line.
    #[default]
    Human,
    /// One JSON object with every diagnostic and a summary.
    Json,
}

/// The JSON document printed by `--format json`.
#[derive(Debug, Serialize)]
pub struct JsonReport {
    /// Every diagnostic, sorted.
    pub diagnostics: Vec<JsonDiagnostic>,
    /// Counts.
    pub summary: JsonSummary,
}

/// The `summary` object of the JSON output.
#[derive(Debug, Serialize)]
pub struct JsonSummary {
    /// Policy files checked.
    pub files: usize,
    /// Profiles written in them.
    pub profiles: usize,
    /// Members declared in them.
    pub members: usize,
    /// Errors found.
    pub errors: usize,
    /// Warnings found.
    pub warnings: usize,
}

/// The JSON report of a compilation.
pub fn json_report(compilation: &Compilation) -> JsonReport {
    let counts = compilation.counts();
    JsonReport {
        diagnostics: compilation
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic::new(d, &compilation.sources))
            .collect(),
        summary: JsonSummary {
            files: compilation.summary.files,
            profiles: compilation.summary.profiles,
            members: compilation.summary.members,
            errors: counts.errors,
            warnings: counts.warnings,
        },
    }
}

/// Human output: every diagnostic, then a summary line.
pub fn human_report(compilation: &Compilation, style: HumanStyle) -> String {
    let mut out = String::new();
    for diagnostic in &compilation.diagnostics {
        out.push_str(&render_human(diagnostic, &compilation.sources, style));
        out.push('\n');
    }
    out.push_str(&summary_line(compilation));
    out.push('\n');
    out
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

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Prints a compilation's diagnostics to standard output.
pub fn print(compilation: &Compilation, format: Format, style: HumanStyle) {
    let text = match format {
        Format::Human => human_report(compilation, style),
        Format::Json => {
            let report = json_report(compilation);
            let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
            text.push('\n');
            text
        }
    };
    // A closed pipe (`rolecall check | head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
