//! Printing diagnostics in the output formats.

use std::io::Write;

use clap::ValueEnum;
use serde::Serialize;

use serde_sarif::sarif;

use crate::Compilation;
use crate::diagnostics::{Diagnostic, HumanStyle, JsonDiagnostic, Severity, render_human};
use crate::lint::RULES;
use crate::source::SourceMap;

/// Output format for diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
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
        Format::Json => pretty(&json_report(compilation)),
        Format::Sarif => pretty(&sarif_report(compilation)),
        Format::Github => github_report(compilation),
    };
    // A closed pipe (`rolecall check | head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn pretty(value: &impl Serialize) -> String {
    // Serialising plain data to a string cannot fail.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema of SARIF 2.1.0, as published by OASIS.
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn sarif_level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Note => sarif::ResultLevel::Note,
    }
}

/// The SARIF 2.1.0 log of a compilation: every rule's metadata, then one
/// result per diagnostic. Columns count Unicode code points.
pub fn sarif_report(compilation: &Compilation) -> sarif::Sarif {
    let rules: Vec<sarif::ReportingDescriptor> = RULES
        .iter()
        .map(|rule| {
            let doc = rule.documentation();
            sarif::ReportingDescriptor::builder()
                .id(rule.name)
                .short_description(
                    sarif::MultiformatMessageString::builder()
                        .text(rule.summary)
                        .build(),
                )
                .help(
                    sarif::MultiformatMessageString::builder()
                        .text(doc.clone())
                        .markdown(doc)
                        .build(),
                )
                .default_configuration(
                    sarif::ReportingConfiguration::builder()
                        .level(serde_json::json!(rule.default.as_str()))
                        .build(),
                )
                .build()
        })
        .collect();
    let results: Vec<sarif::Result> = compilation
        .diagnostics
        .iter()
        .map(|d| sarif_result(d, &compilation.sources))
        .collect();
    let driver = sarif::ToolComponent::builder()
        .name("rolecall")
        .version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    let run = sarif::Run::builder()
        .tool(driver)
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .results(results)
        .build();
    sarif::Sarif::builder()
        .schema(SARIF_SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build()
}

fn sarif_result(diagnostic: &Diagnostic, sources: &SourceMap) -> sarif::Result {
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    // Labels in a built-in prelude have no file a code-scanning tool could open.
    let related: Vec<sarif::Location> = diagnostic
        .labels
        .iter()
        .filter(|l| !sources.get(l.span.file).name.starts_with("prelude:"))
        .map(|l| sarif_location(l.span, Some(&l.message), sources))
        .collect();
    let mut result = sarif::Result::builder()
        .rule_id(diagnostic.rule)
        .level(sarif_level(diagnostic.severity))
        .message(sarif::Message::builder().text(message).build())
        .locations(vec![sarif_location(diagnostic.primary.span, None, sources)])
        .build();
    result.rule_index = RULES
        .iter()
        .position(|r| r.name == diagnostic.rule)
        .and_then(|i| i64::try_from(i).ok());
    if !related.is_empty() {
        result.related_locations = Some(related);
    }
    result
}

fn sarif_location(
    span: crate::source::Span,
    message: Option<&str>,
    sources: &SourceMap,
) -> sarif::Location {
    let start = sources.start(span);
    let end = sources.end(span);
    let number = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let region = sarif::Region::builder()
        .start_line(number(start.line))
        .start_column(number(start.column))
        .end_line(number(end.line))
        .end_column(number(end.column))
        .build();
    let physical = sarif::PhysicalLocation::builder()
        .artifact_location(
            sarif::ArtifactLocation::builder()
                .uri(sources.get(span.file).name.clone())
                .build(),
        )
        .region(region)
        .build();
    let mut location = sarif::Location::builder()
        .physical_location(physical)
        .build();
    location.message = message
        .filter(|m| !m.is_empty())
        .map(|m| sarif::Message::builder().text(m).build());
    location
}

/// GitHub Actions workflow commands, one line per diagnostic.
pub fn github_report(compilation: &Compilation) -> String {
    let mut out = String::new();
    for diagnostic in &compilation.diagnostics {
        let sources = &compilation.sources;
        let span = diagnostic.primary.span;
        let (start, end) = (sources.start(span), sources.end(span));
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut message = diagnostic.message.clone();
        if let Some(help) = &diagnostic.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&sources.get(span.file).name),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(&format!("rolecall({})", diagnostic.rule)),
            escape_data(&message),
        ));
    }
    out
}

/// Escapes a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
