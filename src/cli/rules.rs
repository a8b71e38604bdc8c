//! `rolecall rules`: every rule with its default severity and summary.

use std::io::Write;

use super::EXIT_OK;
use crate::lint::RULES;

/// The listing printed by `rolecall rules`.
pub fn listing() -> String {
    let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for rule in RULES {
        out.push_str(&format!(
            "{:<7}  {:<width$}  {}\n",
            rule.default.as_str(),
            rule.name,
            rule.summary
        ));
    }
    out.push_str("\nrun `rolecall rule NAME` for a rule's documentation\n");
    out
}

/// Runs `rules`; returns the exit code.
pub fn run() -> u8 {
    let _ = std::io::stdout().lock().write_all(listing().as_bytes());
    EXIT_OK
}
