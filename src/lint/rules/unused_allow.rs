//! `unused-allow`: a suppression that silences nothing.

use crate::diagnostics::Diagnostic;
use crate::lint::registry::declare_rule;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports each rule named in a suppression comment that silenced no
    /// diagnostic of the statement it is attached to, and a suppression that
    /// is attached to no statement at all (it must sit alone on the line
    /// just before the statement, or at the end of the statement's first
    /// line). Rules turned `off` in `rolecall.yaml` are not reported, and
    /// nothing is reported while the policy set has errors.
    ///
    /// ## Why is this bad?
    /// A stale suppression documents a risk that no longer exists, and it
    /// would silently hide the warning if the risk came back later, without
    /// anybody reviewing it again.
    ///
    /// ## Example
    /// ```text
    /// # rolecall: allow(see-all-emails) "SOC 2 review, LEG-57"
    /// emails.visibility = outbound
    /// ```
    /// Delete the comment:
    /// ```text
    /// emails.visibility = outbound
    /// ```
    pub static RULE = "unused-allow", Warning, "a suppression silences nothing";
}

/// A rule named at `span` that silenced nothing.
pub fn unused(name: &str, span: Span) -> Diagnostic {
    Diagnostic::warning(
        RULE.name,
        span,
        format!("`{name}` is allowed here but nothing reports it"),
    )
    .with_primary("silences nothing")
    .with_help("remove it from the suppression")
}

/// A suppression at `span` that is attached to no statement.
pub fn detached(span: Span) -> Diagnostic {
    Diagnostic::warning(RULE.name, span, "this suppression is attached to no statement")
        .with_primary("silences nothing")
        .with_help("put it alone on the line just before a statement, or at the end of the statement's first line")
}
