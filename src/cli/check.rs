//! `rolecall check [PATH...]`.

use std::path::PathBuf;

use clap::Args;

use super::{CommonArgs, EXIT_ERRORS, EXIT_OK, EXIT_USAGE, output};
use crate::diagnostics::HumanStyle;

/// Arguments of `rolecall check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories of the policy set (directories are searched for `*.perm`).
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Runs `check`; returns the exit code.
pub fn run(args: &CheckArgs) -> u8 {
    let style = HumanStyle {
        color: args.common.color.enabled(),
        ..HumanStyle::default()
    };
    let project = match crate::project::load(&args.paths, args.common.config.as_deref()) {
        Ok(project) => project,
        Err(error) => {
            eprint!("{}", error.render(style));
            return EXIT_USAGE;
        }
    };
    let compilation = crate::compile(&project);
    output::print(&compilation, args.common.format, style);
    let counts = compilation.counts();
    if counts.errors > 0 || (args.common.deny_warnings && counts.warnings > 0) {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}
