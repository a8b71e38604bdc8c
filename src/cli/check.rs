//! `rolecall check [PATH...]`.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{CommonArgs, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::Compilation;
use crate::load::{Disk, LoadFailure, Loader, Workspace};
use crate::report::{Format, HumanStyle};

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
) -> Result<(Workspace, Compilation), u8> {
    let style = common.style();
    let workspace = loaded(paths, common.config.as_deref(), common.format, style)?;
    let compilation = compiled(&workspace, common.format, style)?;
    super::print(&compilation, common.format, style);
    Ok((workspace, compilation))
}

/// Compiles `workspace`; a configuration it cannot be compiled under is
/// printed as a load failure is, and its exit code returned.
pub(super) fn compiled(
    workspace: &Workspace,
    format: Format,
    style: HumanStyle,
) -> Result<Compilation, u8> {
    let compilation = crate::compile(workspace);
    match compilation.load_failure() {
        Some(failure) => Err(failed(failure, format, style)),
        None => Ok(compilation),
    }
}

/// Prints a load failure for people on stderr and, in a machine format,
/// also as that format's report on stdout; returns exit code 2.
fn failed(failure: LoadFailure, format: Format, style: HumanStyle) -> u8 {
    eprint!("{}", crate::report::render_load_failure(&failure, style));
    if format != Format::Human {
        super::print(&Compilation::from(failure), format, style);
    }
    EXIT_USAGE
}

/// Loads the policy set under `paths` from disk, names relative to the
/// current directory. A failure is printed for people on stderr and, in a
/// machine format, also as that format's report on stdout; its exit code
/// is returned.
pub(super) fn loaded(
    paths: &[PathBuf],
    config: Option<&Path>,
    format: Format,
    style: HumanStyle,
) -> Result<Workspace, u8> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    Loader::new(&Disk, &cwd)
        .load(paths, config)
        .map_err(|failure| failed(failure, format, style))
}

impl CommonArgs {
    /// How human output looks under these options.
    pub(super) fn style(&self) -> HumanStyle {
        HumanStyle {
            color: self.color.enabled(),
            ..HumanStyle::default()
        }
    }

    /// Whether the run fails: errors, or warnings under `--deny-warnings`.
    pub(super) fn fails(&self, compilation: &Compilation) -> bool {
        let counts = compilation.counts();
        counts.errors > 0 || (self.deny_warnings && counts.warnings > 0)
    }
}
