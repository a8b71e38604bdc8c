//! The command line: clap definitions, one file per subcommand, and the
//! mapping of outcomes to exit codes (0 clean, 1 errors, 2 usage or I/O).

pub mod atomic;
mod build;
mod check;
mod completions;
mod decide;
mod diff;
mod explain;
mod fmt;
mod init;
mod lsp;
mod report;
mod rule;
mod rules;
mod snapshot;
mod target;
mod test;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::Compilation;
use crate::diagnostics::render::{Format, HumanStyle};

/// Exit code of a clean run.
pub const EXIT_OK: u8 = 0;
/// Exit code when errors were found.
pub const EXIT_ERRORS: u8 = 1;
/// Exit code of a usage, I/O or configuration error.
pub const EXIT_USAGE: u8 = 2;

/// Compile and lint the permission profiles of sales platforms.
#[derive(Debug, Parser)]
#[command(name = "rolecall", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse, resolve and lint a policy set.
    Check(check::CheckArgs),
    /// Rewrite policy files in canonical form.
    Fmt(fmt::FmtArgs),
    /// Check a policy set, then write its compiled JSON bundle.
    Build(build::BuildArgs),
    /// Show a profile's effective values and where they come from.
    Explain(explain::ExplainArgs),
    /// Show who gains or loses what access between two policy sets.
    Diff(diff::DiffArgs),
    /// Answer one request: may this member use this permission, here?
    Decide(decide::DecideArgs),
    /// Run the access tests (`*.test.yaml`) against the policy set.
    Test(test::TestArgs),
    /// Write or check the access snapshot: who can do what, as YAML.
    Snapshot(snapshot::SnapshotArgs),
    /// Print the JSON Schema of the bundle, typed for one platform with `--platform`.
    Schema(build::SchemaArgs),
    /// Write the access review of a policy set: HTML page, markdown or CSV.
    Report(report::ReportArgs),
    /// List every rule with its default severity.
    Rules,
    /// Print one rule's documentation, with an example and the fix.
    Rule(rule::RuleArgs),
    /// Serve editors over the Language Server Protocol on stdin and stdout.
    Lsp(lsp::LspArgs),
    /// Set up a policy repository that passes `rolecall check` at once.
    Init(init::InitArgs),
    /// Print a shell completion script: bash, zsh, fish or powershell.
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff), or write every page into a folder.
    Man(completions::ManArgs),
}

/// When to colour human output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// Colour when printing to a terminal and `NO_COLOR` is unset.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl Color {
    /// Whether to colour output written to standard output.
    pub fn enabled(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                !no_color && std::io::stdout().is_terminal()
            }
        }
    }
}

/// Options shared by the commands that report diagnostics.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Configuration file (default: the nearest `rolecall.yaml` above the first path).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format for diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with 1 when warnings are found, not only errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// When to colour human output (`NO_COLOR` is honoured in `auto`).
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,
}

/// Runs the command line and returns the process exit code.
///
/// `run` is meant to be the whole of a process: the largest values of
/// `check` and `build` are left to the operating system, which takes their
/// memory back at exit, instead of being freed allocation by allocation.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout with exit 0; usage errors exit 2.
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            });
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Decide(args) => decide::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Snapshot(args) => snapshot::run(&args),
        Command::Schema(args) => build::schema(&args),
        Command::Report(args) => report::run(&args),
        Command::Rules => rules::run(),
        Command::Rule(args) => rule::run(&args),
        Command::Lsp(args) => lsp::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => completions::man(&args),
    };
    ExitCode::from(code)
}

/// Prints a compilation's diagnostics in `format` to standard output.
fn print(compilation: &Compilation, format: Format, style: HumanStyle) {
    let text = crate::diagnostics::render::render(compilation, format, style);
    // A closed pipe (`rolecall check | head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Leaves `value` to the operating system: the process ends right after
/// the command, and freeing a compiled set of thousands of profiles one
/// allocation at a time would only delay the exit.
fn left_to_exit<T>(value: T) {
    std::mem::forget(value);
}
