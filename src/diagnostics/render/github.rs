//! GitHub Actions workflow commands, shown as annotations on pull requests.

use crate::Compilation;
use crate::diagnostics::Severity;

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
