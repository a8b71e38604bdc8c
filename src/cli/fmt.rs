//! `rolecall fmt [PATH...]`: rewrite policy files in canonical form.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use rayon::prelude::*;

use super::{Color, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::cli::atomic::write_atomically;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::render::{HumanStyle, render_human};
use crate::load::Disk;
use crate::load::discover::{self, io_reason};
use crate::source::SourceMap;

/// The name standard input goes by in output.
const STDIN_NAME: &str = "<stdin>";

/// Arguments of `rolecall fmt`.
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Files or directories to format (directories are searched for `*.perm`);
    /// `-` alone reads standard input and writes standard output.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Write nothing: list the files that are not in canonical form and exit with 1.
    #[arg(long)]
    pub check: bool,
    /// Write nothing: print a unified diff for each file that would change and exit with 1.
    #[arg(long)]
    pub diff: bool,
    /// When to colour diagnostics (`NO_COLOR` is honoured in `auto`).
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,
}

/// What happened to one input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    /// Already canonical, or rewritten.
    Done,
    /// Not canonical under `--check` or `--diff`, or not parsable.
    Failed,
    /// Could not be read or written.
    Io,
}

/// Runs `fmt`; returns the exit code.
pub fn run(args: &FmtArgs) -> u8 {
    let style = HumanStyle {
        color: args.color.enabled(),
        ..HumanStyle::default()
    };
    let stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    let outcome = if stdin && args.paths.len() > 1 {
        eprintln!("error: `-` (standard input) must be the only path");
        Outcome::Io
    } else if stdin {
        format_stdin(args, style)
    } else {
        let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
        let root = crate::load::Provider::absolute(&Disk, &cwd);
        match discover::policy_files(&Disk, &root, &args.paths) {
            // Files are formatted in parallel; what each one prints is kept
            // and printed in file order, as a serial run would.
            Ok(found) => found
                .par_iter()
                .map(|file| {
                    let mut printed = Printed::default();
                    let outcome = format_file(&file.path, &file.display, args, style, &mut printed);
                    (outcome, printed)
                })
                .collect::<Vec<_>>()
                .into_iter()
                .map(|(outcome, printed)| {
                    printed.print();
                    outcome
                })
                .max()
                .unwrap_or(Outcome::Done),
            Err(error) => {
                eprintln!("error: {}", error.message);
                Outcome::Io
            }
        }
    };
    match outcome {
        Outcome::Done => EXIT_OK,
        Outcome::Failed => EXIT_ERRORS,
        Outcome::Io => EXIT_USAGE,
    }
}

/// What the formatting of one input prints, kept to be printed in order.
#[derive(Debug, Default)]
struct Printed {
    /// For standard output.
    out: String,
    /// For standard error.
    err: String,
}

impl Printed {
    fn print(&self) {
        if !self.err.is_empty() {
            eprint!("{}", self.err);
        }
        if !self.out.is_empty() {
            // A closed pipe (`| head`) is not worth a message; the exit code says it all.
            let mut stdout = std::io::stdout().lock();
            let _ = stdout
                .write_all(self.out.as_bytes())
                .and_then(|()| stdout.flush());
        }
    }
}

fn format_stdin(args: &FmtArgs, style: HumanStyle) -> Outcome {
    let mut bytes = Vec::new();
    if let Err(error) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("error: cannot read standard input: {}", io_reason(&error));
        return Outcome::Io;
    }
    let mut printed = Printed::default();
    let formatted = format_bytes(STDIN_NAME, bytes, style, &mut printed);
    printed.print();
    let Some((text, formatted)) = formatted else {
        return Outcome::Failed;
    };
    if args.check || args.diff {
        let mut printed = Printed::default();
        let outcome = report(STDIN_NAME, &text, &formatted, args, &mut printed);
        printed.print();
        return outcome;
    }
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(formatted.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Outcome::Done,
        Err(error) => {
            eprintln!("error: cannot write standard output: {}", io_reason(&error));
            Outcome::Io
        }
    }
}

fn format_file(
    path: &Path,
    name: &str,
    args: &FmtArgs,
    style: HumanStyle,
    printed: &mut Printed,
) -> Outcome {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            let _ = writeln!(
                printed.err,
                "error: cannot read `{name}`: {}",
                io_reason(&error)
            );
            return Outcome::Io;
        }
    };
    let Some((text, formatted)) = format_bytes(name, bytes, style, printed) else {
        return Outcome::Failed;
    };
    if args.check || args.diff {
        return report(name, &text, &formatted, args, printed);
    }
    if formatted == text {
        return Outcome::Done;
    }
    // Replace the file behind a symlink, not the link itself.
    let written = std::fs::canonicalize(path)
        .and_then(|target| write_atomically(&target, formatted.as_bytes()));
    match written {
        Ok(()) => Outcome::Done,
        Err(error) => {
            let _ = writeln!(
                printed.err,
                "error: cannot write `{name}`: {}",
                io_reason(&error)
            );
            Outcome::Io
        }
    }
}

/// The text and its canonical form, or `None` after saying why there is none.
fn format_bytes(
    name: &str,
    bytes: Vec<u8>,
    style: HumanStyle,
    printed: &mut Printed,
) -> Option<(String, String)> {
    let mut sources = SourceMap::new();
    let diagnostics = match String::from_utf8(bytes) {
        Ok(text) => {
            let id = sources.add(name, text.as_str());
            match crate::fmt::format(id, &text) {
                Ok(formatted) => return Some((text, formatted)),
                Err(diagnostics) => diagnostics,
            }
        }
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let id = sources.add(name, lossy);
            vec![Diagnostic::invalid_encoding(
                id,
                &sources.get(id).text,
                offset,
            )]
        }
    };
    for diagnostic in &diagnostics {
        printed
            .err
            .push_str(&render_human(diagnostic, &sources, style));
    }
    None
}

/// Under `--check` or `--diff`: says whether `name` would change.
fn report(
    name: &str,
    text: &str,
    formatted: &str,
    args: &FmtArgs,
    printed: &mut Printed,
) -> Outcome {
    if text == formatted {
        return Outcome::Done;
    }
    let out = &mut printed.out;
    if args.check {
        out.push_str(name);
        out.push('\n');
    }
    if args.diff {
        let diff = similar::TextDiff::from_lines(text, formatted);
        let unified = diff
            .unified_diff()
            .context_radius(3)
            .header(name, name)
            .to_string();
        out.push_str(&unified);
    }
    Outcome::Failed
}
