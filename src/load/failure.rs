//! Why a policy set could not be loaded, as diagnostics with their sources.

use super::config::ConfigError;
use crate::diagnostics::Diagnostic;
use crate::source::{SourceMap, Span};

/// A usage, I/O or configuration error: the run stops with exit code 2.
///
/// Every problem is a [`Diagnostic`] under the rule `config` (inside a
/// configuration or catalog file, at the offending key or value) or `load`
/// (a path that cannot be read, no policy files; pointing at the path), so
/// every output format carries it.
#[derive(Clone, Debug)]
pub struct LoadFailure {
    /// The files the diagnostics point into.
    pub sources: SourceMap,
    /// The problems, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadFailure {
    /// A problem with the path named `name`, without a place inside a file.
    pub fn plain(name: &str, message: impl Into<String>) -> Self {
        let mut sources = SourceMap::new();
        let file = sources.add(name, "");
        let diagnostic = Diagnostic::error("load", Span::new(file, 0, 0), message)
            .with_primary("cannot be used");
        LoadFailure {
            sources,
            diagnostics: vec![diagnostic],
        }
    }

    /// The problems of file `name` with `text`, each with its byte offset
    /// when known: a label from there to the end of the key or line.
    pub fn located(
        rule: &'static str,
        name: &str,
        text: &str,
        problems: Vec<(String, Option<usize>)>,
    ) -> Self {
        let mut sources = SourceMap::new();
        let file = sources.add(name, text);
        let diagnostics = problems
            .into_iter()
            .map(|(message, offset)| {
                let mut at = offset.unwrap_or(0).min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let end = text[at..].find(['\n', ':']).map_or(text.len(), |i| at + i);
                Diagnostic::error(rule, Span::new(file, at, end), message).with_primary("here")
            })
            .collect();
        LoadFailure {
            sources,
            diagnostics,
        }
    }

    /// A configuration that cannot be read or used; `name` as shown.
    pub fn config(name: &str, error: ConfigError) -> Self {
        match error.text {
            Some(text) => {
                let mut problems = vec![(error.message, error.offset)];
                problems.extend(error.more);
                LoadFailure::located("config", name, &text, problems)
            }
            None => LoadFailure::plain(name, format!("`{name}`: {}", error.message)),
        }
    }

    /// Whether a diagnostic stands for a problem without a place in a file.
    pub fn is_plain(&self, diagnostic: &Diagnostic) -> bool {
        let span = diagnostic.primary.span;
        span.is_empty() && self.sources.get(span.file).text.is_empty()
    }
}
