//! Human output: miette's graphical handler over the diagnostics of a
//! compilation, then the summary line.
//!
//! A [`Diagnostic`] is bound to its sources in the shape miette renders;
//! labels that sit in another file than the primary one are rendered as
//! related notes with their own source.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use crate::Compilation;
use crate::diagnostics::{Diagnostic, Label, Severity};
use crate::load::LoadFailure;
use crate::source::{SourceFile, SourceMap};

/// The most secondary labels drawn in human output. miette compares every
/// label with every line it draws, so a loop of 50,000 profiles took minutes
/// to render; the JSON, SARIF and GitHub formats keep every label.
const DRAWN_LABELS: usize = 100;

/// A diagnostic bound to its sources, in the shape miette renders.
struct Report<'s> {
    rule_code: String,
    severity: miette::Severity,
    message: String,
    source: &'s SourceFile,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
    related: Vec<Report<'s>>,
}

impl<'s> Report<'s> {
    fn new(diagnostic: &Diagnostic, sources: &'s SourceMap) -> Self {
        let primary_file = diagnostic.primary.span.file;
        let mut labels = vec![labeled(&diagnostic.primary, true)];
        let mut related: Vec<Report<'s>> = Vec::new();
        for label in diagnostic.labels.iter().take(DRAWN_LABELS) {
            if label.span.file == primary_file {
                labels.push(labeled(label, false));
                continue;
            }
            // Group labels of another file into one related note per file.
            let file = sources.get(label.span.file);
            match related.iter_mut().find(|r| r.source.name == file.name) {
                Some(note) => note.labels.push(labeled(label, false)),
                None => related.push(Report {
                    rule_code: String::new(),
                    severity: miette::Severity::Advice,
                    message: format!("in `{}`", file.name),
                    source: file,
                    labels: vec![labeled(label, false)],
                    help: None,
                    related: Vec::new(),
                }),
            }
        }
        Report {
            rule_code: format!("rolecall::{}", diagnostic.rule),
            severity: match diagnostic.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Note => miette::Severity::Advice,
            },
            message: diagnostic.message.clone(),
            source: sources.get(diagnostic.primary.span.file),
            labels,
            help: match diagnostic.labels.len().saturating_sub(DRAWN_LABELS) {
                0 => diagnostic.help.clone(),
                left => Some(format!(
                    "{}{left} more labels are not drawn here; `--format json` lists them all",
                    diagnostic
                        .help
                        .as_ref()
                        .map_or(String::new(), |h| format!("{h}; "))
                )),
            },
            related,
        }
    }
}

fn labeled(label: &Label, primary: bool) -> LabeledSpan {
    let text = (!label.message.is_empty()).then(|| label.message.clone());
    let span = (label.span.start as usize, label.span.len());
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.rule_code.is_empty()).then(|| Box::new(&self.rule_code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

/// How human output is drawn.
#[derive(Clone, Copy, Debug)]
pub struct HumanStyle {
    /// Use ANSI colours.
    pub color: bool,
    /// Wrap width in columns.
    pub width: usize,
}

impl Default for HumanStyle {
    fn default() -> Self {
        HumanStyle {
            color: false,
            width: 80,
        }
    }
}

/// Renders one diagnostic for people, with its source snippets.
pub fn render_human(diagnostic: &Diagnostic, sources: &SourceMap, style: HumanStyle) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_urls(false);
    let report = Report::new(diagnostic, sources);
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        // Rendering only fails on a formatter error; fall back to one line.
        out = format!("{}: {}\n", diagnostic.rule, diagnostic.message);
    }
    out
}

/// Human output: every diagnostic, then a summary line.
pub fn human_report(compilation: &Compilation, style: HumanStyle) -> String {
    let mut out = String::new();
    for diagnostic in &compilation.diagnostics {
        out.push_str(&render_human(diagnostic, &compilation.sources, style));
        out.push('\n');
    }
    out.push_str(&super::summary_line(compilation));
    out.push('\n');
    out
}

/// Renders the problems of a load failure for people: `error: MESSAGE` for
/// a path, the annotated snippet for a place in a file.
pub fn render_load_failure(failure: &LoadFailure, style: HumanStyle) -> String {
    let mut out = String::new();
    for diagnostic in &failure.diagnostics {
        if failure.is_plain(diagnostic) {
            out.push_str(&format!("error: {}\n", diagnostic.message));
        } else {
            out.push_str(&render_human(diagnostic, &failure.sources, style));
        }
    }
    out
}
