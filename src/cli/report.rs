//! `rolecall report [PATH...] -o FILE --format html|markdown|csv`: the
//! access review of a policy set, written atomically. The policy set's
//! diagnostics go to standard error, for people; the exit codes are
//! `check`'s.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{Color, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::render::{Format, HumanStyle};
use crate::load::discover::{display_name, io_reason};
use crate::report::{self as review, Review};

/// Arguments of `rolecall report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Files or directories of the policy set (directories are searched for `*.perm`).
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Where to write the report (replaced atomically); `-` for standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// What to write: a self-contained HTML page, markdown, or the matrix as CSV.
    #[arg(long, value_enum, default_value_t = Page::Html)]
    pub format: Page,
    /// Configuration file (default: the nearest `rolecall.yaml` above the first path).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Exit with 1, writing nothing, when warnings are found, not only errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// When to colour the diagnostics (`NO_COLOR` is honoured in `auto`).
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,
}

/// The form of the report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Page {
    /// One HTML file: header, matrix, inheritance graph, members, findings, waivers.
    #[default]
    Html,
    /// GitHub-flavoured markdown with the same content, the graph as a table.
    Markdown,
    /// The profile × permission matrix alone.
    Csv,
}

/// Runs `report`; returns the exit code.
pub fn run(args: &ReportArgs) -> u8 {
    let style = HumanStyle {
        color: colour_stderr(args.color),
        ..HumanStyle::default()
    };
    let config = args.config.as_deref();
    let (workspace, compilation) =
        match super::check::loaded_and_compiled(&args.paths, config, Format::Human, style) {
            Ok(set) => set,
            Err(code) => return code,
        };
    eprint!(
        "{}",
        crate::diagnostics::render::render(&compilation, Format::Human, style)
    );
    let counts = compilation.counts();
    if counts.errors > 0 || (args.deny_warnings && counts.warnings > 0) {
        let found = if counts.errors > 0 {
            "errors"
        } else {
            "warnings, denied by `--deny-warnings`"
        };
        eprintln!(
            "error: no report written to `{}`: the policy set has {found}",
            shown(&args.output)
        );
        return EXIT_ERRORS;
    }
    let review = match Review::of(&compilation, workspace.naming()) {
        Ok(review) => review,
        Err(error) => {
            eprintln!("error: {error}");
            return EXIT_ERRORS;
        }
    };
    let text = match args.format {
        Page::Html => review::html::render(&review),
        Page::Markdown => review::markdown::render(&review),
        Page::Csv => review::csv::render(&review),
    };
    let written = if args.output == Path::new("-") {
        std::io::stdout().lock().write_all(text.as_bytes())
    } else {
        super::atomic::write_atomically(&args.output, text.as_bytes())
    };
    if let Err(error) = written {
        eprintln!(
            "error: cannot write `{}`: {}",
            shown(&args.output),
            io_reason(&error)
        );
        return EXIT_USAGE;
    }
    if args.output != Path::new("-") {
        eprintln!(
            "wrote `{}` ({}, {}, revision {})",
            shown(&args.output),
            counted(review.profiles.len(), "profile"),
            counted(review.members.len(), "member"),
            review.revision
        );
    }
    EXIT_OK
}

/// Whether to colour what goes to standard error.
fn colour_stderr(color: Color) -> bool {
    match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            !no_color && std::io::stderr().is_terminal()
        }
    }
}

fn counted(n: usize, what: &str) -> String {
    match n {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    }
}

fn shown(path: &Path) -> String {
    display_name(path, std::env::current_dir().ok().as_deref())
}
