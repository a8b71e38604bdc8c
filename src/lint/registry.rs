//! The registry of every rule: name, default severity, summary and the
//! documentation that `rolecall rules` and `rolecall rule NAME` print.

use crate::diagnostics::{Severity, did_you_mean};

use super::{errors, rules};

/// A rule of the compiler or the linter, with its documentation.
#[derive(Debug)]
pub struct Rule {
    /// Stable name, as written in output, configuration and suppressions.
    pub name: &'static str,
    /// Severity when `rolecall.yaml` says nothing (errors cannot be changed).
    pub default: Severity,
    /// One line saying when the rule fires.
    pub summary: &'static str,
    /// Markdown documentation: `## What it does`, `## Why is this bad?`, `## Example`.
    pub doc: &'static str,
}

impl Rule {
    /// Whether the rule is an error of the compiler (never configurable or suppressible).
    pub fn is_error(&self) -> bool {
        self.default == Severity::Error
    }

    /// The documentation with the one space of each `///` line removed.
    pub fn documentation(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_owned()
    }
}

/// Declares a rule: its doc comment becomes both rustdoc and the text that
/// `rolecall rule NAME` prints.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $id:ident = $name:literal, $severity:ident, $summary:literal;
    ) => {
        $(#[doc = $doc])*
        $vis static $id: $crate::lint::Rule = $crate::lint::Rule {
            name: $name,
            default: $crate::diagnostics::Severity::$severity,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
        };
    };
}

pub(crate) use declare_rule;

/// Every rule: the compiler's errors, the linter's warnings, then the
/// errors of loading.
pub static RULES: &[&Rule] = &[
    &errors::SYNTAX,
    &errors::INVALID_ENCODING,
    &errors::MISSING_PLATFORM,
    &errors::UNKNOWN_PLATFORM,
    &errors::PLATFORM_MISMATCH,
    &errors::UNKNOWN_PERMISSION,
    &errors::INVALID_VALUE,
    &errors::DUPLICATE_PROFILE,
    &errors::DUPLICATE_SETTING,
    &errors::DUPLICATE_MEMBER,
    &errors::UNKNOWN_PROFILE,
    &errors::INHERITANCE_CYCLE,
    &errors::LOCKED_SETTING,
    &errors::PLAN_REQUIRED,
    &errors::CUSTOM_PROFILES_UNSUPPORTED,
    &errors::LIMIT_EXCEEDS_CAP,
    &errors::MEMBER_SETTING_NOT_ALLOWED,
    &rules::see_all_emails::RULE,
    &rules::risky_grant::RULE,
    &rules::admin_equivalent::RULE,
    &rules::min_admins::RULE,
    &rules::too_many_admins::RULE,
    &rules::redundant_setting::RULE,
    &rules::unused_profile::RULE,
    &rules::unjustified_allow::RULE,
    &rules::unused_allow::RULE,
    // Errors of loading, listed last so that the indexes of SARIF's rule
    // table stay as they were before they were rules.
    &errors::LOAD,
    &errors::CONFIG,
    // Later rules are appended, for the same reason.
    &rules::stale_baseline::RULE,
];

/// The rule named `name`.
pub fn find(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.name == name)
}

/// "did you mean" help for a misspelt rule name.
pub fn suggest(name: &str, warnings_only: bool) -> Option<String> {
    did_you_mean(
        name,
        RULES
            .iter()
            .filter(|r| !warnings_only || !r.is_error())
            .map(|r| r.name),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    #[test]
    fn names_are_unique_and_kebab_case() {
        let mut seen = BTreeSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.name), "`{}` is listed twice", rule.name);
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "`{}` is not kebab-case",
                rule.name
            );
        }
    }

    #[test]
    fn every_rule_is_documented_with_an_example() {
        for rule in RULES {
            let doc = rule.documentation();
            for heading in ["## What it does", "## Why is this bad?", "## Example"] {
                assert!(doc.contains(heading), "`{}` lacks `{heading}`", rule.name);
            }
            assert!(doc.contains("```"), "`{}` has no example code", rule.name);
            assert!(!rule.summary.is_empty(), "`{}` has no summary", rule.name);
            assert!(
                !rule.summary.ends_with('.'),
                "`{}` summary ends with a period",
                rule.name
            );
        }
    }

    #[test]
    fn every_rule_has_a_fixture_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inputs/fixtures");
        for rule in RULES {
            assert!(
                root.join(rule.name).is_dir(),
                "`{}` has no folder under tests/inputs/fixtures",
                rule.name
            );
        }
    }

    #[test]
    fn misspelt_names_get_a_suggestion() {
        assert_eq!(
            suggest("see-all-email", true).as_deref(),
            Some("did you mean `see-all-emails`?")
        );
        assert!(find("inheritance-cycle").is_some_and(Rule::is_error));
    }
}
