//! SARIF 2.1.0, for code-scanning uploads: every rule's metadata, then one
//! result per diagnostic.

use serde_sarif::sarif;

use crate::Compilation;
use crate::diagnostics::{Diagnostic, Severity};
use crate::lint::RULES;
use crate::source::{SourceMap, Span};

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

fn sarif_location(span: Span, message: Option<&str>, sources: &SourceMap) -> sarif::Location {
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
