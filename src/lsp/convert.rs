//! Conversions between the protocol's terms and rolecall's: document
//! addresses and paths, UTF-16 positions and byte offsets, diagnostics.
//!
//! Every position goes through [`SourceFile::position`] and
//! [`SourceFile::offset`] with [`Encoding::Utf16`], the one conversion that
//! every renderer shares; the protocol counts lines and columns from 0,
//! the source map from 1.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range,
    Uri,
};

use crate::Compilation;
use crate::diagnostics::{Diagnostic, Severity};
use crate::source::{Encoding, LineCol, SourceFile, Span};

/// The path of a `file:` document address.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let url = url::Url::parse(uri.as_str()).ok()?;
    if url.scheme() != "file" {
        return None;
    }
    url.to_file_path().ok()
}

/// The `file:` address of an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let url = url::Url::from_file_path(path).ok()?;
    Uri::from_str(url.as_str()).ok()
}

/// The byte offset of a protocol position in `source` (clamped to the text).
pub fn offset(source: &SourceFile, at: Position) -> usize {
    let line = usize::try_from(at.line)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let column = usize::try_from(at.character)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    source.offset(LineCol { line, column }, Encoding::Utf16)
}

/// The protocol position of a byte offset of `source`.
pub fn position(source: &SourceFile, offset: usize) -> Position {
    let at = source.position(offset, Encoding::Utf16);
    Position {
        line: u32::try_from(at.line.saturating_sub(1)).unwrap_or(u32::MAX),
        character: u32::try_from(at.column.saturating_sub(1)).unwrap_or(u32::MAX),
    }
}

/// The protocol range of a byte range of `source`.
pub fn range(source: &SourceFile, start: usize, end: usize) -> Range {
    Range {
        start: position(source, start),
        end: position(source, end),
    }
}

/// The protocol range of `span` in `source`.
pub fn span_range(source: &SourceFile, span: Span) -> Range {
    range(source, span.start as usize, span.end as usize)
}

/// The range of a whole text, from its first byte to its end.
pub fn whole(source: &SourceFile) -> Range {
    range(source, 0, source.text.len())
}

/// Whether two protocol ranges share a position (touching counts).
pub fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The protocol severity of a diagnostic's.
pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Note => DiagnosticSeverity::INFORMATION,
    }
}

/// Places a source name where a document lives: `None` for the built-in
/// preludes, which have no file.
pub trait Locate {
    /// The address of the source named `name`.
    fn uri_of(&self, name: &str) -> Option<Uri>;
}

/// A compilation's diagnostic as the protocol shows it, with the address of
/// the file it is published on; `None` when it points into a prelude.
pub fn diagnostic(
    compilation: &Compilation,
    locate: &dyn Locate,
    found: &Diagnostic,
) -> Option<(Uri, lsp_types::Diagnostic)> {
    let source = compilation.sources.find(found.primary.span.file)?;
    let uri = locate.uri_of(&source.name)?;
    let related: Vec<DiagnosticRelatedInformation> = found
        .labels
        .iter()
        .filter_map(|label| {
            let source = compilation.sources.find(label.span.file)?;
            Some(DiagnosticRelatedInformation {
                location: Location {
                    uri: locate.uri_of(&source.name)?,
                    range: span_range(source, label.span),
                },
                message: if label.message.is_empty() {
                    "related".to_owned()
                } else {
                    label.message.clone()
                },
            })
        })
        .collect();
    let mut message = found.message.clone();
    if let Some(help) = &found.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let diagnostic = lsp_types::Diagnostic {
        range: span_range(source, found.primary.span),
        severity: Some(severity(found.severity)),
        code: Some(NumberOrString::String(found.rule.to_owned())),
        source: Some("rolecall".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..lsp_types::Diagnostic::default()
    };
    Some((uri, diagnostic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_and_round_trip() {
        let source = SourceFile::new("a.perm", "x \"é😀\" y\r\nz\n");
        let at = position(&source, "x \"é😀\" ".len());
        assert_eq!((at.line, at.character), (0, 8));
        assert_eq!(offset(&source, at), "x \"é😀\" ".len());
        let z = position(&source, "x \"é😀\" y\r\n".len());
        assert_eq!((z.line, z.character), (1, 0));
        let far = Position {
            line: 90,
            character: 4,
        };
        assert_eq!(offset(&source, far), source.text.len());
    }

    #[test]
    fn file_addresses_round_trip() {
        let path = std::env::temp_dir().join("a b").join("ops é.perm");
        let uri = path_to_uri(&path).expect("an address");
        assert!(uri.as_str().starts_with("file:///"), "{}", uri.as_str());
        assert_eq!(uri_to_path(&uri), Some(path));
        let other = Uri::from_str("untitled:Untitled-1").expect("an address");
        assert_eq!(uri_to_path(&other), None);
    }
}
