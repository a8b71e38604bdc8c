//! `unjustified-allow`: a suppression that lacks a reason or names no
//! suppressible rule.

use crate::diagnostics::Diagnostic;
use crate::lint::registry::declare_rule;
use crate::lint::{find, suggest};
use crate::syntax::ast::{Comment, Suppression};

declare_rule! {
    /// ## What it does
    /// Reports a `# rolecall: allow(...)` comment without a reason, one that
    /// does not follow the suppression syntax, and each rule it names that
    /// does not exist or cannot be suppressed (errors, and the two rules
    /// about suppressions themselves). A suppression without a reason
    /// silences nothing.
    ///
    /// ## Why is this bad?
    /// A suppression is an accepted risk; the reason (a ticket, an approval)
    /// is what lets the next reviewer or auditor judge it. A misspelt rule
    /// name silences nothing while looking as if it did.
    ///
    /// ## Example
    /// ```text
    /// emails.visibility = all  # rolecall: allow(see-all-email)
    /// ```
    /// Name the rule exactly and give the reason in quotes:
    /// ```text
    /// emails.visibility = all  # rolecall: allow(see-all-emails) "SOC 2 review, LEG-57"
    /// ```
    pub static RULE = "unjustified-allow", Warning, "a suppression has no reason or names no suppressible rule";
}

/// Reports what is wrong with one suppression comment; returns whether it
/// may silence diagnostics (it is well formed and has a reason).
pub fn check(comment: &Comment, suppression: &Suppression, out: &mut Vec<Diagnostic>) -> bool {
    if !suppression.well_formed {
        out.push(
            Diagnostic::warning(RULE.name, comment.span, "malformed suppression comment")
                .with_primary("not a suppression")
                .with_help("write `# rolecall: allow(RULE, ...) \"reason\"`"),
        );
        return false;
    }
    for rule in &suppression.rules {
        let problem = match find(&rule.name) {
            None => Some((
                format!("`{}` is not a rule", rule.name),
                suggest(&rule.name, true)
                    .unwrap_or_else(|| "run `rolecall rules` to list the rules".to_owned()),
            )),
            Some(found) if found.is_error() => Some((
                format!("`{}` is an error and cannot be suppressed", rule.name),
                "fix the error instead".to_owned(),
            )),
            Some(found) if found.name == super::stale_baseline::RULE.name => Some((
                format!(
                    "`{}` is about the baseline file and cannot be suppressed here",
                    rule.name
                ),
                "remove the stale entry from the baseline instead".to_owned(),
            )),
            Some(found) if is_meta(found.name) => Some((
                format!(
                    "`{}` is about suppressions and cannot be suppressed",
                    rule.name
                ),
                "set its severity in `rolecall.yaml` instead".to_owned(),
            )),
            Some(_) => None,
        };
        if let Some((message, help)) = problem {
            out.push(
                Diagnostic::warning(RULE.name, rule.span, message)
                    .with_primary("cannot be allowed")
                    .with_help(help),
            );
        }
    }
    if suppression.reason.is_none() {
        out.push(
            Diagnostic::warning(RULE.name, comment.span, "suppression without a reason")
                .with_primary("no reason given")
                .with_help("add the reason in quotes after `allow(...)`, e.g. the ticket that approved the exception; until then it silences nothing"),
        );
        return false;
    }
    true
}

/// Whether `name` is one of the rules about suppressions (or the baseline)
/// themselves, which no suppression can silence.
pub fn is_meta(name: &str) -> bool {
    name == RULE.name
        || name == super::unused_allow::RULE.name
        || name == super::stale_baseline::RULE.name
}
