//! `rolecall rule NAME`: one rule's documentation.

use std::io::Write;

use clap::Args;

use super::{EXIT_OK, EXIT_USAGE};
use crate::lint::{Rule, find, suggest};

/// Arguments of `rolecall rule`.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// The rule's name, e.g. `see-all-emails`.
    #[arg(value_name = "NAME")]
    pub name: String,
}

/// The page printed for `rule`.
pub fn page(rule: &Rule) -> String {
    let kind = if rule.is_error() {
        "error, cannot be configured or suppressed"
    } else {
        "warning by default"
    };
    format!(
        "# {} ({kind})\n\n{}\n\n{}\n",
        rule.name,
        rule.summary,
        rule.documentation()
    )
}

/// Runs `rule`; returns the exit code.
pub fn run(args: &RuleArgs) -> u8 {
    match find(&args.name) {
        Some(rule) => {
            let _ = std::io::stdout().lock().write_all(page(rule).as_bytes());
            EXIT_OK
        }
        None => {
            let help = suggest(&args.name, false)
                .unwrap_or_else(|| "run `rolecall rules` to list the rules".to_owned());
            eprintln!("error: no rule is named `{}`; {help}", args.name);
            EXIT_USAGE
        }
    }
}
