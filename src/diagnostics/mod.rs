//! The one diagnostic type of every stage.
//!
//! A [`Diagnostic`] is plain data: rule name, severity, message, a primary
//! label, secondary labels and help. Rendering it, for people or tools, is
//! the business of [`render`].

pub mod render;

use serde::Serialize;

use crate::source::{FileId, SourceMap, Span};
use crate::text::code_list;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the run (exit 1) and blocks `build`.
    Error,
    /// Reported; fails the run only with `--deny-warnings`.
    Warning,
    /// Informational.
    Note,
}

impl Severity {
    /// The lower-case name used in output and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A span with a message.
#[derive(Clone, Debug)]
pub struct Label {
    /// Where the label points.
    pub span: Span,
    /// What it says.
    pub message: String,
}

impl Label {
    /// A label at `span` saying `message`.
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Label {
            span,
            message: message.into(),
        }
    }
}

/// What a warning is about, by name rather than by place: a baseline keys
/// its entries on it, so that edits elsewhere in a file do not change it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subject {
    /// The profile the finding is about.
    pub profile: Option<String>,
    /// The member the finding is about.
    pub member: Option<String>,
    /// The permission the finding is about.
    pub permission: Option<String>,
}

impl Subject {
    /// A finding about profile `name`.
    pub fn profile(name: &str) -> Self {
        Subject {
            profile: Some(name.to_owned()),
            ..Subject::default()
        }
    }

    /// A finding about member `id`.
    pub fn member(id: &str) -> Self {
        Subject {
            member: Some(id.to_owned()),
            ..Subject::default()
        }
    }

    /// The same subject, about permission `id` too.
    pub fn permission(mut self, id: &str) -> Self {
        self.permission = Some(id.to_owned());
        self
    }
}

/// One finding of the compiler or the linter.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// Stable rule name, e.g. `inheritance-cycle`.
    pub rule: &'static str,
    /// Severity after configuration.
    pub severity: Severity,
    /// One-line message: lower case, no trailing period.
    pub message: String,
    /// The statement at fault.
    pub primary: Label,
    /// Further places that explain the finding.
    pub labels: Vec<Label>,
    /// How to fix it, when known.
    pub help: Option<String>,
    /// What the finding is about, for the warning rules that know it; a
    /// finding of the whole set has an empty subject.
    pub subject: Option<Subject>,
}

impl Diagnostic {
    /// An error of `rule` at `span`.
    pub fn error(rule: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: Severity::Error,
            message: message.into(),
            primary: Label::new(span, ""),
            labels: Vec::new(),
            help: None,
            subject: None,
        }
    }

    /// A warning of `rule` at `span`.
    pub fn warning(rule: &'static str, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(rule, span, message)
        }
    }

    /// The `invalid-encoding` error of file `file` (a policy or test file), whose first byte
    /// that is not UTF-8 is at `offset`. `lossy` is the file's text decoded
    /// with replacement characters, which keeps every byte before `offset`
    /// in place; the span covers the replacement character there.
    pub fn invalid_encoding(file: FileId, lossy: &str, offset: usize) -> Self {
        let end = lossy
            .get(offset..)
            .and_then(|rest| rest.chars().next())
            .map_or(offset, |c| offset + c.len_utf8());
        Diagnostic::error(
            "invalid-encoding",
            Span::new(file, offset, end),
            format!("the file is not valid UTF-8 (first bad byte at offset {offset})"),
        )
        .with_primary("not UTF-8")
        .with_help("save the file as UTF-8")
    }

    /// Sets the primary label's message.
    pub fn with_primary(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    /// Adds a secondary label.
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label::new(span, message));
        self
    }

    /// Sets the help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets what the finding is about.
    pub fn with_subject(mut self, subject: Subject) -> Self {
        self.subject = Some(subject);
        self
    }

    /// Sets the help text when there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Sort key: file (by its rank in name order), position, then rule.
    fn sort_key(&self, ranks: &Ranks) -> (u32, u32, u32, &'static str) {
        let span = self.primary.span;
        let rank = ranks.of(span.file);
        (rank, span.start, span.end, self.rule)
    }
}

/// Sorts diagnostics by file name, position and rule, and drops exact repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>, sources: &SourceMap) {
    // Names are compared once per file here, not at every comparison.
    let ranks = name_ranks(sources);
    diagnostics.sort_by(|a, b| {
        a.sort_key(&ranks)
            .cmp(&b.sort_key(&ranks))
            .then_with(|| a.message.cmp(&b.message))
    });
    diagnostics.dedup_by(|a, b| {
        a.rule == b.rule && a.primary.span == b.primary.span && a.message == b.message
    });
}

/// For each file id, the rank of its name among all names; equal names
/// share a rank.
struct Ranks {
    /// Ranks of the ids below [`crate::source::SHARED_IDS`], by id.
    dense: Vec<u32>,
    /// Ranks of the shared ids.
    shared: Vec<(FileId, u32)>,
}

impl Ranks {
    fn of(&self, id: FileId) -> u32 {
        match self.dense.get(id.0 as usize) {
            Some(&rank) => rank,
            None => self
                .shared
                .iter()
                .find(|(other, _)| *other == id)
                .map_or(u32::MAX, |(_, rank)| *rank),
        }
    }
}

fn name_ranks(sources: &SourceMap) -> Ranks {
    let mut by_name: Vec<(&str, FileId)> = sources
        .iter()
        .map(|(id, file)| (file.name.as_str(), id))
        .collect();
    by_name.sort_unstable();
    let dense_len = by_name
        .iter()
        .filter(|(_, id)| id.0 < crate::source::SHARED_IDS)
        .map(|(_, id)| id.0 as usize + 1)
        .max()
        .unwrap_or(0);
    let mut ranks = Ranks {
        dense: vec![u32::MAX; dense_len],
        shared: Vec::new(),
    };
    let mut rank = 0;
    for (i, &(name, id)) in by_name.iter().enumerate() {
        if i > 0 && by_name[i - 1].0 != name {
            rank += 1;
        }
        if id.0 < crate::source::SHARED_IDS {
            ranks.dense[id.0 as usize] = rank;
        } else {
            ranks.shared.push((id, rank));
        }
    }
    ranks
}

/// Counts of diagnostics by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Number of notes.
    pub notes: usize,
}

impl Counts {
    /// Counts `diagnostics` by severity.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut counts = Counts::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Note => counts.notes += 1,
            }
        }
        counts
    }
}

/// "did you mean" help listing the closest `candidates` to `name`, if any is close.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    help_for(&nearest(name, candidates, 3))
}

/// Up to `most` candidates close to `name`, closest first.
pub fn nearest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    most: usize,
) -> Vec<&'a str> {
    let list: Vec<&'a str> = candidates.into_iter().collect();
    Candidates::new(list.iter().copied())
        .nearest(name, most)
        .into_iter()
        .map(|i| list[i])
        .collect()
}

/// The "did you mean" sentence for names found by [`nearest`].
fn help_for(near: &[&str]) -> Option<String> {
    match near {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        many => Some(format!("did you mean one of {}?", code_list(many))),
    }
}

/// Names to suggest from, lower-cased once so that many searches share the work.
#[derive(Debug, Default)]
pub struct Candidates {
    entries: Vec<Candidate>,
}

#[derive(Debug)]
struct Candidate {
    name: String,
    lower: String,
    chars: usize,
    lower_chars: usize,
}

impl Candidates {
    /// The candidates `names`, in order.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let entries = names
            .into_iter()
            .map(|name| {
                let lower = name.to_lowercase();
                Candidate {
                    name: name.to_owned(),
                    chars: name.chars().count(),
                    lower_chars: lower.chars().count(),
                    lower,
                }
            })
            .collect();
        Candidates { entries }
    }

    /// Number of candidates.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is no candidate.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// "did you mean" help listing the candidates closest to `name`, if any is close.
    pub fn did_you_mean(&self, name: &str) -> Option<String> {
        let near: Vec<&str> = self
            .nearest(name, 3)
            .into_iter()
            .map(|i| self.entries[i].name.as_str())
            .collect();
        help_for(&near)
    }

    /// Indices of up to `most` candidates close to `name`, closest first:
    /// within a third of the longer name's length in Damerau-Levenshtein
    /// distance, ignoring case; ties in name order.
    fn nearest(&self, name: &str, most: usize) -> Vec<usize> {
        let lower = name.to_lowercase();
        let chars = name.chars().count();
        let lower_chars = lower.chars().count();
        let mut scored: Vec<(usize, &str, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, candidate)| {
                let budget = (chars.max(candidate.chars) / 3).max(1);
                // The distance is at least the difference in length: skip
                // the costly comparison when that alone is over budget.
                if lower_chars.abs_diff(candidate.lower_chars) > budget {
                    return None;
                }
                let distance = strsim::damerau_levenshtein(&lower, &candidate.lower);
                (distance <= budget).then_some((distance, candidate.name.as_str(), i))
            })
            .collect();
        scored.sort_unstable();
        scored.dedup_by(|a, b| a.1 == b.1);
        scored.into_iter().take(most).map(|(_, _, i)| i).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_rank_by_distance_and_skip_far_names() {
        let ids = [
            "contacts.delete",
            "contacts.merge",
            "accounts.delete",
            "deals.view",
        ];
        assert_eq!(nearest("contact.delete", ids, 3), vec!["contacts.delete"]);
        assert_eq!(nearest("zzz", ids, 3), Vec::<&str>::new());
        assert_eq!(
            did_you_mean("Sales Manger", ["Sales Manager", "Admin"]).as_deref(),
            Some("did you mean `Sales Manager`?")
        );
    }
}
