//! `rolecall test [PATH...]`: runs the access tests (`*.test.yaml`) found
//! under the paths against the policy set `check` would compile for them.
//!
//! Exit status: 0 every test passed (and the coverage is at least
//! `--min-coverage`), 1 a failure, an error in a test file or in the policy
//! set, or a coverage below the minimum, 2 usage or I/O, or a `--filter`
//! that selects no test.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{Color, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::render::{self, Format, HumanStyle};
use crate::load::discover::display_name;
use crate::testing::{self, Options, Source, output};

/// Output format of `test`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// Failures with their snippets, then `N passed, M failed`.
    #[default]
    Human,
    /// One JSON object, `rolecall.test/v1`.
    Json,
    /// JUnit XML, for CI test reporters.
    Junit,
}

/// Arguments of `rolecall test`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 all tests passed, 1 a test failed or a test file, the policy set or the coverage has a problem, 2 usage or I/O error, or a `--filter` that selects no test."
)]
pub struct TestArgs {
    /// Folders searched for `*.test.yaml` and `*.perm` files, or test files themselves.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Configuration file (default: the nearest `rolecall.yaml` above the first path).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,
    /// Run only the tests whose name contains TEXT (case-sensitive); none is an error.
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Report which risky permissions the tests assert for every custom profile.
    #[arg(long)]
    pub coverage: bool,
    /// Fail when the coverage is below P per cent (implies `--coverage`).
    #[arg(long, value_name = "P", value_parser = percent)]
    pub min_coverage: Option<f64>,
    /// When to colour human output (`NO_COLOR` is honoured in `auto`).
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,
}

fn percent(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("`{text}` is not a percentage"))?;
    if (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("`{text}` is not between 0 and 100"))
    }
}

/// Runs `test`; returns the exit code.
pub fn run(args: &TestArgs) -> u8 {
    let style = HumanStyle {
        color: args.format == TestFormat::Human && args.color.enabled(),
        ..HumanStyle::default()
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let (test_paths, policy_paths) = split(&args.paths);
    let found = match testing::discover(&test_paths) {
        Ok(found) if found.is_empty() => {
            let names: Vec<String> = args
                .paths
                .iter()
                .map(|p| format!("`{}`", p.display()))
                .collect();
            eprintln!(
                "error: no test files (`*.test.yaml`) under {}",
                names.join(", ")
            );
            return EXIT_USAGE;
        }
        Ok(found) => found,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let mut sources = Vec::with_capacity(found.len());
    for path in &found {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        let name = display_name(&absolute, Some(&cwd));
        match std::fs::read(path) {
            // A file that is not UTF-8 is an error inside it, as for policy files.
            Ok(bytes) => sources.push(Source::from_bytes(name, bytes)),
            Err(e) => {
                let reason = crate::load::discover::io_reason(&e);
                eprintln!("error: cannot read `{name}`: {reason}");
                return EXIT_USAGE;
            }
        }
    }
    let report_format = match args.format {
        TestFormat::Json => Format::Json,
        TestFormat::Human | TestFormat::Junit => Format::Human,
    };
    let config = args.config.as_deref();
    let (workspace, compilation) =
        match super::check::loaded_and_compiled(&policy_paths, config, report_format, style) {
            Ok(set) => set,
            Err(code) => return code,
        };
    let bundle = match (&compilation.model, compilation.bundle(workspace.naming())) {
        (Some(model), Ok(bundle)) if compilation.counts().errors == 0 => (model, bundle),
        _ => return policy_errors(&compilation, args.format, style),
    };
    let (model, bundle) = bundle;
    let options = Options {
        filter: args.filter.as_deref(),
        coverage: args.coverage || args.min_coverage.is_some(),
    };
    let suite = testing::run(
        model,
        &compilation.sources,
        workspace.naming(),
        &bundle,
        &sources,
        options,
    );
    if let Some(filter) = args.filter.as_deref()
        && suite.selected() == 0
        && suite.counts().errors == 0
    {
        // Zero tests pass vacuously: a gate must not turn green on a typo.
        eprintln!("error: no test name contains `{filter}` (`--filter` is case-sensitive)");
        let names = suite.filtered_out.iter().map(String::as_str);
        if let Some(help) = testing::filter_help(filter, names) {
            eprintln!("  help: {help}");
        }
        return EXIT_USAGE;
    }
    let mut text = match args.format {
        TestFormat::Human => output::human(&suite, style),
        TestFormat::Json => output::json(&suite),
        TestFormat::Junit => output::junit(&suite),
    };
    let below = match (args.min_coverage, &suite.coverage) {
        (Some(min), Some(coverage)) if coverage.below(min) => {
            let line = format!(
                "error: the coverage, {:.1}%, is below the minimum of {min}%\n",
                coverage.percent
            );
            match args.format {
                TestFormat::Human => text.push_str(&line),
                _ => eprint!("{line}"),
            }
            true
        }
        _ => false,
    };
    print(&text);
    if suite.passed() && !below {
        EXIT_OK
    } else {
        EXIT_ERRORS
    }
}

/// The test files (and folders to search) and the policy paths: a test
/// file named on the command line is not a policy path; without any other
/// path, the folders of the test files are.
fn split(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (files, others): (Vec<PathBuf>, Vec<PathBuf>) = paths
        .iter()
        .cloned()
        .partition(|p| testing::is_test_file(p) && !p.is_dir());
    let mut search = others.clone();
    search.extend(files.iter().cloned());
    let policy = if others.is_empty() {
        let mut folders: Vec<PathBuf> = files
            .iter()
            .map(|f| match f.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
                _ => Path::new(".").to_owned(),
            })
            .collect();
        folders.dedup();
        folders
    } else {
        others
    };
    (search, policy)
}

/// Prints the policy set's diagnostics when it has errors; exit code 1.
fn policy_errors(compilation: &crate::Compilation, format: TestFormat, style: HumanStyle) -> u8 {
    match format {
        TestFormat::Human => print(&render::human_report(compilation, style)),
        TestFormat::Json => print(&render::render(compilation, Format::Json, style)),
        TestFormat::Junit => {
            // On standard error as before, and in the XML for CI reports.
            let text = render::human_report(compilation, HumanStyle::default());
            eprint!("{text}");
            let summary = render::summary_line(compilation);
            print(&output::junit_policy_errors(&summary, &text));
        }
    }
    EXIT_ERRORS
}

fn print(text: &str) {
    // A closed pipe (`rolecall test | head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
