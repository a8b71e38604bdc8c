//! The JSON forms: one object per diagnostic, and the report of
//! `--format json` with every diagnostic and a summary. Columns count
//! characters.

use serde::Serialize;

use crate::Compilation;
use crate::diagnostics::{Diagnostic, Severity};
use crate::source::SourceMap;

/// One diagnostic in the JSON output of `check`.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    /// Rule name.
    pub rule: &'static str,
    /// `error`, `warning` or `note`.
    pub severity: Severity,
    /// The message.
    pub message: String,
    /// File of the primary span.
    pub file: String,
    /// 1-based line of the primary span's start.
    pub line: usize,
    /// 1-based character column of the primary span's start.
    pub column: usize,
    /// 1-based line of the primary span's end.
    pub end_line: usize,
    /// 1-based character column of the primary span's end.
    pub end_column: usize,
    /// Secondary labels.
    pub labels: Vec<JsonLabel>,
    /// Help text, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

/// A secondary label in JSON output.
#[derive(Debug, Serialize)]
pub struct JsonLabel {
    /// File of the label.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based character column.
    pub column: usize,
    /// What the label says.
    pub message: String,
}

impl JsonDiagnostic {
    /// The JSON form of `diagnostic`.
    pub fn new(diagnostic: &Diagnostic, sources: &SourceMap) -> Self {
        let span = diagnostic.primary.span;
        let start = sources.start(span);
        let end = sources.end(span);
        JsonDiagnostic {
            rule: diagnostic.rule,
            severity: diagnostic.severity,
            message: diagnostic.message.clone(),
            file: sources.get(span.file).name.clone(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            labels: diagnostic
                .labels
                .iter()
                .map(|label| {
                    let at = sources.start(label.span);
                    JsonLabel {
                        file: sources.get(label.span.file).name.clone(),
                        line: at.line,
                        column: at.column,
                        message: label.message.clone(),
                    }
                })
                .collect(),
            help: diagnostic.help.clone(),
        }
    }
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
