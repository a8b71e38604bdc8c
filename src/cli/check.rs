//! `rolecall check [PATH...]`.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{CommonArgs, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::Compilation;
use crate::baseline::{Applied, Baseline};
use crate::diagnostics::render::{Format, HumanStyle};
use crate::lint::LintSettings;
use crate::load::discover::{display_name, io_reason};
use crate::load::{Disk, LoadFailure, Loader, Workspace};

/// Arguments of `rolecall check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories of the policy set (directories are searched for `*.perm`).
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub baseline: BaselineArg,
    /// Record the set's warnings in FILE (replaced atomically), to pass later as `--baseline`.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `--baseline FILE`, of `check` and `build`.
#[derive(Debug, Args)]
pub struct BaselineArg {
    /// Hide the warnings recorded in FILE by `--write-baseline`; report new ones and stale entries.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

/// Runs `check`; returns the exit code.
pub fn run(args: &CheckArgs) -> u8 {
    let checked = match checked(&args.paths, &args.common, args.baseline.baseline.as_deref()) {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    let code = if let Some(file) = &args.write_baseline {
        write_baseline(file, &checked.compilation, args.common.format)
    } else if args.common.fails(&checked.compilation) {
        EXIT_ERRORS
    } else {
        EXIT_OK
    };
    super::left_to_exit(checked);
    code
}

/// A checked policy set.
pub(super) struct Checked {
    pub workspace: Workspace,
    pub compilation: Compilation,
    /// What the baseline hid, when one was given.
    pub baselined: Applied,
}

/// Loads and compiles the policy set under `paths`, hides what `baseline`
/// records, and prints the diagnostics; a usage or I/O error is printed and
/// its exit code returned.
pub(super) fn checked(
    paths: &[PathBuf],
    common: &CommonArgs,
    baseline: Option<&Path>,
) -> Result<Checked, u8> {
    let style = common.style();
    let (workspace, mut compilation) =
        loaded_and_compiled(paths, common.config.as_deref(), common.format, style)?;
    let baselined = match baseline {
        Some(file) => {
            let settings = LintSettings::from_config(workspace.config().map(|c| &c.loaded.config));
            let (name, text, read) =
                read_baseline(file).map_err(|f| failed(f, common.format, style))?;
            read.apply(&mut compilation, &name, &text, &settings)
        }
        None => Applied::default(),
    };
    super::print(&compilation, common.format, style);
    if common.format == Format::Human && !baselined.hidden.is_empty() {
        let count = baselined.hidden.len();
        let findings = if count == 1 { "finding" } else { "findings" };
        println!(
            "{count} {findings} hidden by the baseline `{}`",
            shown(baseline.unwrap_or(Path::new("")))
        );
    }
    Ok(Checked {
        workspace,
        compilation,
        baselined,
    })
}

/// Reads and parses the baseline `file`: its shown name, text and entries.
fn read_baseline(file: &Path) -> Result<(String, String, Baseline), LoadFailure> {
    let name = shown(file);
    let text = std::fs::read_to_string(file).map_err(|e| {
        LoadFailure::plain(
            &name,
            format!("cannot read the baseline `{name}`: {}", io_reason(&e)),
        )
    })?;
    let baseline = Baseline::parse(&text)
        .map_err(|problem| LoadFailure::located("config", &name, &text, vec![problem]))?;
    Ok((name, text, baseline))
}

/// Writes the baseline of `compilation` to `file`; refuses while the set has errors.
fn write_baseline(file: &Path, compilation: &Compilation, format: Format) -> u8 {
    let name = shown(file);
    if compilation.counts().errors > 0 {
        eprintln!("error: no baseline written to `{name}`: the policy set has errors");
        return EXIT_ERRORS;
    }
    let baseline = Baseline::record(compilation);
    if let Err(error) = super::atomic::write_atomically(file, baseline.to_text().as_bytes()) {
        eprintln!("error: cannot write `{name}`: {}", io_reason(&error));
        return EXIT_USAGE;
    }
    if format == Format::Human {
        let count = baseline.entries.len();
        let entries = if count == 1 { "entry" } else { "entries" };
        println!("wrote the baseline `{name}` ({count} {entries})");
    }
    EXIT_OK
}

fn shown(path: &Path) -> String {
    display_name(path, std::env::current_dir().ok().as_deref())
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

/// Loads the policy set under `paths` from disk and compiles it, as
/// [`loaded`] and [`compiled`] do one after the other.
pub(super) fn loaded_and_compiled(
    paths: &[PathBuf],
    config: Option<&Path>,
    format: Format,
    style: HumanStyle,
) -> Result<(Workspace, Compilation), u8> {
    let workspace = loaded(paths, config, format, style)?;
    let compilation = compiled(&workspace, format, style)?;
    Ok((workspace, compilation))
}

/// Prints a load failure for people on stderr and, in a machine format,
/// also as that format's report on stdout; returns exit code 2.
fn failed(failure: LoadFailure, format: Format, style: HumanStyle) -> u8 {
    eprint!(
        "{}",
        crate::diagnostics::render::render_load_failure(&failure, style)
    );
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
