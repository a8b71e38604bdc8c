//! `rolecall check [PATH...]`.

use std::path::PathBuf;

use clap::Args;

use super::{CommonArgs, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::Compilation;
use crate::load::Project;
use crate::report::HumanStyle;

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
    match checked(&args.paths, &args.common) {
        Ok((_, compilation)) if args.common.fails(&compilation) => EXIT_ERRORS,
        Ok(_) => EXIT_OK,
        Err(code) => code,
    }
}

/// Loads and compiles the policy set under `paths`, printing its
/// diagnostics; a usage or I/O error is printed and its exit code returned.
pub(super) fn checked(
    paths: &[PathBuf],
    common: &CommonArgs,
) -> Result<(Project, Compilation), u8> {
    let style = HumanStyle {
        color: common.color.enabled(),
        ..HumanStyle::default()
    };
    let mut project = crate::load::load(paths, common.config.as_deref()).map_err(|error| {
        eprint!("{}", error.render(style));
        EXIT_USAGE
    })?;
    let compilation = crate::compile_taking_files(&mut project);
    super::print(&compilation, common.format, style);
    Ok((project, compilation))
}

impl CommonArgs {
    /// Whether the run fails: errors, or warnings under `--deny-warnings`.
    pub(super) fn fails(&self, compilation: &Compilation) -> bool {
        let counts = compilation.counts();
        counts.errors > 0 || (self.deny_warnings && counts.warnings > 0)
    }
}
