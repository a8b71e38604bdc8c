//! Baselines: the warnings a policy set had on the day it adopted rolecall
//! (or a rule), recorded so that later runs report only new ones.
//!
//! ```text
//!   Compilation ──► Baseline::record ──► to_text   (check --write-baseline)
//!   Compilation ──► Baseline::apply ──► hidden findings, stale-baseline
//! ```
//!
//! An entry is keyed on what a finding is about, never on where it is: its
//! rule and the profile (or member) and permission of the finding's
//! [`Subject`]; a finding of the whole set (`min-admins`) on its rule alone.
//! A finding without a subject (about a suppression comment) is keyed on its
//! file and message. Lines do not take part, so edits elsewhere in a file
//! leave every entry matching. An entry that matches nothing is reported as
//! `stale-baseline`, so that the baseline only shrinks.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::Compilation;
use crate::diagnostics::{Diagnostic, Severity, Subject};
use crate::lint::rules::stale_baseline;
use crate::lint::{LintSettings, Waiver, find};
use crate::load::config::Level;
use crate::source::{SourceMap, Span};

/// The `format` of a baseline file.
pub const FORMAT: &str = "rolecall.baseline/v1";

/// The reason given to the bundle's waiver of a baselined finding.
pub const WAIVER_REASON: &str = "baseline";

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The rule.
    pub rule: String,
    /// The profile the finding is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// The member the finding is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// The permission the finding is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
    /// The file, for a finding without a subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The message, for a finding without a subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Entry {
    /// The entry of a finding: `None` for errors of the compiler, which a
    /// baseline never hides, and for `stale-baseline` itself.
    pub fn of(diagnostic: &Diagnostic, sources: &SourceMap) -> Option<Entry> {
        let rule = find(diagnostic.rule)?;
        if rule.is_error() || rule.name == stale_baseline::RULE.name {
            return None;
        }
        let mut entry = Entry {
            rule: rule.name.to_owned(),
            profile: None,
            member: None,
            permission: None,
            file: None,
            message: None,
        };
        match &diagnostic.subject {
            Some(Subject {
                profile,
                member,
                permission,
            }) => {
                entry.profile.clone_from(profile);
                entry.member.clone_from(member);
                entry.permission.clone_from(permission);
            }
            None => {
                entry.file = Some(sources.get(diagnostic.primary.span.file).name.clone());
                entry.message = Some(diagnostic.message.clone());
            }
        }
        Some(entry)
    }

    /// How messages name the entry: `` `risky-grant` on profile `RevOps`, permission `x` ``.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (what, value) in [
            ("profile", &self.profile),
            ("member", &self.member),
            ("permission", &self.permission),
            ("file", &self.file),
        ] {
            if let Some(value) = value {
                parts.push(format!("{what} `{value}`"));
            }
        }
        if parts.is_empty() {
            format!("`{}`", self.rule)
        } else {
            format!("`{}` on {}", self.rule, parts.join(", "))
        }
    }

    /// The entry on one line, as the file holds it.
    fn line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The file as it is read and written.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    format: String,
    entries: Vec<Entry>,
}

/// A set of recorded findings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    /// The entries, sorted.
    pub entries: BTreeSet<Entry>,
}

/// The findings a baseline hid from a compilation.
#[derive(Debug, Default)]
pub struct Applied {
    /// The diagnostics hidden, in the compilation's order.
    pub hidden: Vec<Diagnostic>,
    /// How many entries matched nothing.
    pub stale: usize,
}

impl Applied {
    /// A waiver with the reason `baseline` for each hidden finding, for the
    /// bundle.
    pub fn waivers(&self) -> Vec<Waiver> {
        self.hidden
            .iter()
            .map(|d| Waiver {
                rule: d.rule.to_owned(),
                span: d.primary.span,
                reason: WAIVER_REASON.to_owned(),
            })
            .collect()
    }
}

impl Baseline {
    /// The warnings (and notes) of `compilation`, whatever their configured
    /// severity, as entries.
    pub fn record(compilation: &Compilation) -> Baseline {
        let entries = compilation
            .diagnostics
            .iter()
            .filter_map(|d| Entry::of(d, &compilation.sources))
            .collect();
        Baseline { entries }
    }

    /// The file's text: one entry per line, sorted, so that a change to the
    /// baseline reads well in review and the same findings give the same bytes.
    pub fn to_text(&self) -> String {
        let mut out = format!("{{\n  \"format\": \"{FORMAT}\",\n  \"entries\": [");
        for (i, entry) in self.entries.iter().enumerate() {
            out.push_str(if i == 0 { "\n    " } else { ",\n    " });
            out.push_str(&entry.line());
        }
        out.push_str(if self.entries.is_empty() {
            "]\n}\n"
        } else {
            "\n  ]\n}\n"
        });
        out
    }

    /// Reads a baseline file's text; a problem comes with its byte offset.
    pub fn parse(text: &str) -> Result<Baseline, (String, Option<usize>)> {
        let document: Document = serde_json::from_str(text).map_err(|e| {
            let offset = offset_of(text, e.line(), e.column());
            (
                format!("not a baseline file: {}", lowercase_first(&e.to_string())),
                offset,
            )
        })?;
        if document.format != FORMAT {
            let offset = text.find("\"format\"");
            return Err((
                format!(
                    "unknown baseline format `{}`; expected `{FORMAT}`",
                    document.format
                ),
                offset,
            ));
        }
        Ok(Baseline {
            entries: document.entries.into_iter().collect(),
        })
    }

    /// Hides the findings of `compilation` that an entry matches, and adds a
    /// `stale-baseline` warning (at its severity in `settings`) for each
    /// entry that matches none, pointing into the baseline file `name` with
    /// `text`. Entries are not reported stale while the set has errors.
    pub fn apply(
        &self,
        compilation: &mut Compilation,
        name: &str,
        text: &str,
        settings: &LintSettings,
    ) -> Applied {
        let mut matched = BTreeSet::new();
        let mut hidden = Vec::new();
        let sources = &compilation.sources;
        compilation
            .diagnostics
            .retain(|d| match Entry::of(d, sources) {
                Some(entry) if self.entries.contains(&entry) => {
                    matched.insert(entry);
                    hidden.push(d.clone());
                    false
                }
                _ => true,
            });
        let mut applied = Applied { hidden, stale: 0 };
        let level = settings.level(stale_baseline::RULE.name);
        if compilation.counts().errors > 0 || compilation.model.is_none() || level == Level::Off {
            return applied;
        }
        let stale: Vec<&Entry> = self.entries.difference(&matched).collect();
        if stale.is_empty() {
            return applied;
        }
        let file = compilation.sources.add(name, text);
        for entry in stale {
            let line = entry.line();
            let span = match text.find(&line) {
                Some(at) => Span::new(file, at, at + line.len()),
                None => Span::new(file, 0, 0),
            };
            let mut diagnostic = stale_baseline::stale(&entry.describe(), span);
            diagnostic.severity = match level {
                Level::Error => Severity::Error,
                Level::Note => Severity::Note,
                _ => Severity::Warning,
            };
            compilation.diagnostics.push(diagnostic);
            applied.stale += 1;
        }
        crate::diagnostics::sort(&mut compilation.diagnostics, &compilation.sources);
        applied
    }
}

/// The byte offset of 1-based `line` and `column` (serde_json's, in bytes).
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let mut at = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    Some(at)
}

/// `message` with its first letter lower-cased, unless it opens an
/// acronym ("EOF while parsing" stays as it is).
fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) if !chars.clone().next().is_some_and(char::is_uppercase) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(rule: &str, profile: Option<&str>, permission: Option<&str>) -> Entry {
        Entry {
            rule: rule.to_owned(),
            profile: profile.map(str::to_owned),
            member: None,
            permission: permission.map(str::to_owned),
            file: None,
            message: None,
        }
    }

    #[test]
    fn the_text_is_sorted_and_reads_back() {
        let baseline = Baseline {
            entries: [
                entry("risky-grant", Some("RevOps"), Some("contacts.delete")),
                entry("min-admins", None, None),
            ]
            .into_iter()
            .collect(),
        };
        let text = baseline.to_text();
        assert_eq!(
            text,
            "{\n  \"format\": \"rolecall.baseline/v1\",\n  \"entries\": [\n    {\"rule\":\"min-admins\"},\n    {\"rule\":\"risky-grant\",\"profile\":\"RevOps\",\"permission\":\"contacts.delete\"}\n  ]\n}\n"
        );
        assert_eq!(Baseline::parse(&text), Ok(baseline));
        let empty = Baseline::default().to_text();
        assert_eq!(Baseline::parse(&empty), Ok(Baseline::default()));
    }

    #[test]
    fn a_bad_file_is_an_error_at_its_place() {
        let text =
            "{\n  \"format\": \"rolecall.baseline/v1\",\n  \"entries\": [{\"rule\": 1}]\n}\n";
        let (message, offset) = Baseline::parse(text).expect_err("a number is not a rule");
        assert!(
            message.starts_with("not a baseline file: invalid type"),
            "{message}"
        );
        assert_eq!(
            offset.map(|o| &text[..o]).map(|t| t.lines().count()),
            Some(3)
        );
        let (message, _) =
            Baseline::parse("{\"format\": \"x\", \"entries\": []}").expect_err("format");
        assert_eq!(
            message,
            "unknown baseline format `x`; expected `rolecall.baseline/v1`"
        );
    }

    #[test]
    fn an_acronym_opening_a_message_keeps_its_case() {
        let (message, _) = Baseline::parse("").expect_err("an empty file");
        assert!(
            message.starts_with("not a baseline file: EOF while parsing"),
            "{message}"
        );
        assert_eq!(lowercase_first("Invalid type"), "invalid type");
        assert_eq!(lowercase_first("JSON is"), "JSON is");
        assert_eq!(lowercase_first("A"), "a");
        assert_eq!(lowercase_first(""), "");
    }
}
