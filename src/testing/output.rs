//! The forms of a run's results: human (miette, as for policy
//! diagnostics), JSON (`rolecall.test/v1`) and JUnit XML for CI test
//! reporters. Each is deterministic: no times, no absolute paths.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Coverage, Status, Suite};
use crate::diagnostics::Diagnostic;
use crate::diagnostics::render::{HumanStyle, JsonDiagnostic, render_human};
use crate::text::xml as escape;

/// The format tag of the JSON form.
pub const FORMAT: &str = "rolecall.test/v1";

/// `12 passed, 1 failed` (and `, 2 errors` when test files have errors of their own).
pub fn summary_line(suite: &Suite) -> String {
    let counts = suite.counts();
    let mut line = format!("{} passed, {} failed", counts.passed, counts.failed);
    if counts.errors > 0 {
        let s = if counts.errors == 1 { "" } else { "s" };
        line.push_str(&format!(", {} error{s} in test files", counts.errors));
    }
    line
}

/// Human output: every file error and failure rendered with its snippet,
/// the coverage when measured, then the summary line.
pub fn human(suite: &Suite, style: HumanStyle) -> String {
    let mut out = String::new();
    for file in &suite.files {
        for diagnostic in &file.errors {
            out.push_str(&render_human(diagnostic, &suite.sources, style));
            out.push('\n');
        }
        for result in &file.results {
            for diagnostic in &result.diagnostics {
                out.push_str(&render_human(diagnostic, &suite.sources, style));
                out.push('\n');
            }
        }
    }
    if let Some(coverage) = &suite.coverage {
        out.push_str(&coverage_text(coverage));
    }
    out.push_str(&summary_line(suite));
    out.push('\n');
    out
}

/// The coverage line and the pairs left unasserted, one profile a line.
pub fn coverage_text(coverage: &Coverage) -> String {
    let mut out = coverage.summary();
    out.push('\n');
    for (profile, missing) in &coverage.uncovered {
        let _ = writeln!(
            out,
            "  not asserted for `{profile}`: {}",
            missing.join(", ")
        );
    }
    out
}

#[derive(Serialize)]
struct JsonSuite<'a> {
    format: &'static str,
    files: Vec<JsonFile<'a>>,
    summary: super::Counts,
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage: Option<&'a Coverage>,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    errors: Vec<JsonDiagnostic>,
    tests: Vec<JsonTest<'a>>,
}

#[derive(Serialize)]
struct JsonTest<'a> {
    name: &'a str,
    line: usize,
    column: usize,
    status: Status,
    diagnostics: Vec<JsonDiagnostic>,
}

/// The JSON form, pretty-printed with a final newline.
pub fn json(suite: &Suite) -> String {
    let diagnostics = |all: &[Diagnostic]| {
        all.iter()
            .map(|d| JsonDiagnostic::new(d, &suite.sources))
            .collect::<Vec<_>>()
    };
    let files = suite
        .files
        .iter()
        .map(|file| JsonFile {
            file: &file.name,
            errors: diagnostics(&file.errors),
            tests: file
                .results
                .iter()
                .map(|r| {
                    let at = suite.sources.start(r.name_span);
                    JsonTest {
                        name: &r.name,
                        line: at.line,
                        column: at.column,
                        status: r.status,
                        diagnostics: diagnostics(&r.diagnostics),
                    }
                })
                .collect(),
        })
        .collect();
    let report = JsonSuite {
        format: FORMAT,
        files,
        summary: suite.counts(),
        coverage: suite.coverage.as_ref(),
    };
    crate::text::pretty_json(&report)
}

/// JUnit XML: one `testsuite` per test file and one `testcase` per test;
/// a failed assertion is a `failure`, a test that cannot be read an
/// `error`, and a file's own errors one more `testcase` with an `error`.
pub fn junit(suite: &Suite) -> String {
    let plain = HumanStyle::default();
    let rendered = |all: &[Diagnostic]| {
        all.iter()
            .map(|d| render_human(d, &suite.sources, plain))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let counts = suite.counts();
    let total =
        counts.passed + counts.failed + suite.files.iter().filter(|f| !f.errors.is_empty()).count();
    let failures = suite
        .files
        .iter()
        .flat_map(|f| &f.results)
        .filter(|r| r.status == Status::Failed)
        .count();
    let errors = total - counts.passed - failures;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"rolecall\" tests=\"{total}\" failures=\"{failures}\" errors=\"{errors}\">"
    );
    for file in &suite.files {
        let name = escape(&file.name);
        let failed = file
            .results
            .iter()
            .filter(|r| r.status == Status::Failed)
            .count();
        let errored = file
            .results
            .iter()
            .filter(|r| r.status == Status::Error)
            .count()
            + usize::from(!file.errors.is_empty());
        let tests = file.results.len() + usize::from(!file.errors.is_empty());
        let _ = writeln!(
            out,
            "  <testsuite name=\"{name}\" tests=\"{tests}\" failures=\"{failed}\" errors=\"{errored}\" skipped=\"0\">"
        );
        if !file.errors.is_empty() {
            let _ = writeln!(
                out,
                "    <testcase name=\"(test file)\" classname=\"{name}\" file=\"{name}\">"
            );
            element(&mut out, "error", &file.errors, &rendered(&file.errors));
            out.push_str("    </testcase>\n");
        }
        for result in &file.results {
            let line = suite.sources.line(result.name_span);
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{name}\" file=\"{name}\" line=\"{line}\"",
                escape(&result.name)
            );
            if result.status == Status::Passed {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            let tag = if result.status == Status::Failed {
                "failure"
            } else {
                "error"
            };
            element(
                &mut out,
                tag,
                &result.diagnostics,
                &rendered(&result.diagnostics),
            );
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// JUnit XML for a policy set with errors, which runs no test: one
/// `testcase` whose `error` has `summary` as its `message` and the
/// diagnostics, `rendered` without colour, as its text.
pub fn junit_policy_errors(summary: &str, rendered: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rolecall\" tests=\"1\" failures=\"0\" errors=\"1\">\n  <testsuite name=\"policy set\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    <testcase name=\"the policy set compiles\" classname=\"policy set\">\n      <error message=\"{}\" type=\"check\">{}</error>\n    </testcase>\n  </testsuite>\n</testsuites>\n",
        escape(summary),
        escape(rendered)
    )
}

/// A `failure` or `error` element: the first message (and how many more)
/// as its `message`, every diagnostic rendered as its text.
fn element(out: &mut String, tag: &str, diagnostics: &[Diagnostic], text: &str) {
    let mut message = diagnostics
        .first()
        .map_or_else(String::new, |d| d.message.clone());
    if diagnostics.len() > 1 {
        message.push_str(&format!(" (and {} more)", diagnostics.len() - 1));
    }
    let kind = diagnostics.first().map_or("", |d| d.rule);
    let _ = writeln!(
        out,
        "      <{tag} message=\"{}\" type=\"{kind}\">{}</{tag}>",
        escape(&message),
        escape(text)
    );
}
