//! `stale-baseline`: a baseline entry that hides nothing any more.

use crate::diagnostics::Diagnostic;
use crate::lint::registry::declare_rule;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports each entry of the baseline given with `--baseline` that
    /// matches no finding of the policy set any more: the warning it
    /// recorded was fixed, or the profile, member or permission it names
    /// was renamed or removed. Nothing is reported while the policy set has
    /// errors, since they can hide the findings an entry matches.
    ///
    /// ## Why is this bad?
    /// A baseline is a list of debts to pay back. An entry left after its
    /// warning was fixed would hide the same warning, unreviewed, if it came
    /// back later; removing it lets the baseline shrink to nothing.
    ///
    /// ## Example
    /// ```text
    /// {"rule":"risky-grant","profile":"RevOps","permission":"contacts.delete"}
    /// ```
    /// `RevOps` no longer holds `contacts.delete = all`: delete the entry, or
    /// write the baseline again with `rolecall check --write-baseline FILE`.
    pub static RULE = "stale-baseline", Warning, "a baseline entry matches no finding";
}

/// The baseline entry at `span`, described by `entry`, that matched nothing.
pub fn stale(entry: &str, span: Span) -> Diagnostic {
    Diagnostic::warning(
        RULE.name,
        span,
        format!("the baseline entry for {entry} matches no finding"),
    )
    .with_primary("hides nothing")
    .with_help("remove the entry, or write the baseline again with `--write-baseline`")
}
