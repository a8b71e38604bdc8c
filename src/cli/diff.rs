//! `rolecall diff OLD NEW` and `rolecall diff --base REV [PATH...]`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{Color, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::Compilation;
use crate::diagnostics::render;
use crate::diagnostics::render::{HumanStyle, render_human};
use crate::diff::{self, DiffError, FailOn, Revisions, Side, SideError, human, markdown};
use crate::load::{Disk, LoadFailure, Loader, Provider, Workspace, git};

/// Output format of `diff`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Grouped by cause, for a terminal.
    #[default]
    Human,
    /// A pull-request comment.
    Markdown,
    /// One JSON object, `rolecall.diff/v1`.
    Json,
}

/// Arguments of `rolecall diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// OLD and NEW, each a policy path or a `*.json` bundle; with `--base`,
    /// the policy paths (default: the policy set's root, the folder of the
    /// nearest `rolecall.yaml`).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Compare the working tree with the same paths at git revision REV.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// With `--base`: the policy set's path at REV, when it was moved or
    /// renamed since (default: the same paths). Repeat for several paths.
    #[arg(long, value_name = "PATH", requires = "base")]
    pub base_path: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// With `--format markdown`: keep the output under N bytes, leaving out
    /// whole sections and saying so (0: no limit) [default: 60000].
    #[arg(long, value_name = "N")]
    pub max_bytes: Option<usize>,
    /// Configuration file of the policy sides (default: each side's nearest `rolecall.yaml`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// When to colour human output (`NO_COLOR` is honoured in `auto`).
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,
    /// Exit 1 when the diff holds a widened value, a risky change, or any change.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub fail_on: Option<FailOn>,
}

/// Where a side is read from.
enum Input {
    /// A policy set on disk.
    Paths(Vec<PathBuf>),
    /// The same policy set at a git revision.
    Revision(String, Vec<PathBuf>),
    /// A compiled bundle.
    Bundle(PathBuf),
}

/// A side, loaded.
enum Loaded {
    Policy(Box<Workspace>),
    Bundle(String),
}

/// Runs `diff`; returns the exit code.
pub fn run(args: &DiffArgs) -> u8 {
    let style = HumanStyle {
        color: args.format == DiffFormat::Human && args.color.enabled(),
        ..HumanStyle::default()
    };
    if args.max_bytes.is_some() && args.format != DiffFormat::Markdown {
        eprintln!("error: `--max-bytes` applies to `--format markdown` only");
        return EXIT_USAGE;
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let (old, new) = match inputs(args) {
        Ok(inputs) => inputs,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let labels = [label(&old), label(&new)];
    let loaded = [&old, &new].map(|input| load(input, args.config.as_deref(), &cwd));
    for (which, result) in ["old", "new"].iter().zip(&loaded) {
        if let Err(message) = result {
            eprint!("{}", named_failure(which, message, style));
        }
    }
    let [Ok(old), Ok(new)] = loaded else {
        return EXIT_USAGE;
    };
    let sides = match sides(old, new, &labels) {
        Ok(sides) => sides,
        Err(Failed::Bundle(message)) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
        Err(Failed::Errors(errors)) => {
            print(&side_errors(&errors, &labels, args.format, style));
            return EXIT_ERRORS;
        }
    };
    let (old, new) = sides;
    if old.partial.is_some() {
        eprint!("{}", partial_warnings(&old, style));
    }
    for note in old.notes.iter().chain(&new.notes) {
        eprintln!("warning: {note}");
    }
    let revisions = if args.format == DiffFormat::Json {
        Revisions::Compute
    } else {
        Revisions::Skip
    };
    let compared = match diff::diff(old, new, revisions) {
        Ok(compared) => compared,
        Err(error @ DiffError::Platform { .. }) => {
            eprintln!("error: {error}");
            return EXIT_ERRORS;
        }
        Err(error) => {
            eprintln!("error: {error}");
            return EXIT_USAGE;
        }
    };
    let text = match args.format {
        DiffFormat::Human => human::render(&compared, human::Style { color: style.color }),
        DiffFormat::Markdown => {
            markdown::render_within(&compared, args.max_bytes.unwrap_or(markdown::MAX_BYTES))
        }
        DiffFormat::Json => compared.to_json(),
    };
    print(&text);
    match args.fail_on {
        Some(fail_on) if compared.fails(fail_on) => EXIT_ERRORS,
        _ => EXIT_OK,
    }
}

fn print(text: &str) {
    // A closed pipe (`rolecall diff | head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

fn inputs(args: &DiffArgs) -> Result<(Input, Input), String> {
    if let Some(rev) = &args.base {
        let paths = if args.paths.is_empty() {
            vec![set_root(args.config.as_deref())]
        } else {
            args.paths.clone()
        };
        let base_paths = if args.base_path.is_empty() {
            paths.clone()
        } else {
            args.base_path.clone()
        };
        if let Some(bundle) = paths.iter().chain(&base_paths).find(|p| is_bundle(p)) {
            return Err(format!(
                "`--base` compares policy paths, and `{}` is a bundle",
                bundle.display()
            ));
        }
        return Ok((
            Input::Revision(rev.clone(), base_paths),
            Input::Paths(paths),
        ));
    }
    match args.paths.as_slice() {
        [old, new] => Ok((input(old), input(new))),
        _ => Err(
            "`rolecall diff` takes two sides, OLD and NEW, or `--base REV [PATH...]`".to_owned(),
        ),
    }
}

/// The default path of `--base`, for both sides: the policy set's root,
/// the folder of `config` or else of the nearest `rolecall.yaml` above the
/// working folder (as `check` finds it), relative to the working folder;
/// `.` without one. Run from a subfolder, `.` would leave out the set's
/// other folders, and with them its members.
fn set_root(config: Option<&Path>) -> PathBuf {
    if let Some(config) = config {
        return match config.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
            _ => PathBuf::from("."),
        };
    }
    let here = Disk.absolute(Path::new("."));
    let root = crate::load::config::find_upward(&Disk, &here);
    let ups = root
        .as_deref()
        .and_then(Path::parent)
        .and_then(|root| here.strip_prefix(root).ok())
        .map_or(0, |below| below.components().count());
    match ups {
        0 => PathBuf::from("."),
        n => std::iter::repeat_n("..", n).collect(),
    }
}

fn input(path: &Path) -> Input {
    if is_bundle(path) {
        Input::Bundle(path.to_owned())
    } else {
        Input::Paths(vec![path.to_owned()])
    }
}

fn is_bundle(path: &Path) -> bool {
    path.extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("json"))
        && !path.is_dir()
}

fn label(input: &Input) -> String {
    let joined = |paths: &[PathBuf]| {
        paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match input {
        Input::Paths(paths) => joined(paths),
        Input::Revision(rev, _) => rev.clone(),
        Input::Bundle(path) => path.display().to_string(),
    }
}

/// Why a side could not be loaded: a load failure (of the revision named,
/// for a side read from git) or a one-line message with an optional hint.
enum LoadError {
    Failure(LoadFailure, Option<String>),
    Line(String, Option<String>),
}

fn load(input: &Input, config: Option<&Path>, cwd: &Path) -> Result<Loaded, LoadError> {
    match input {
        Input::Paths(paths) => Loader::new(&Disk, cwd)
            .load(paths, config)
            .map(|ws| Loaded::Policy(Box::new(ws)))
            .map_err(|failure| LoadError::Failure(failure, None)),
        Input::Revision(rev, paths) => {
            let tree = git::at_revision(rev, paths, config, cwd)
                .map_err(|e| LoadError::Line(e.message, e.help))?;
            Loader::new(&tree, cwd)
                .load(paths, config)
                .map(|ws| Loaded::Policy(Box::new(ws)))
                .map_err(|failure| LoadError::Failure(failure, Some(rev.clone())))
        }
        Input::Bundle(path) => std::fs::read(path)
            .map_err(|e| {
                let reason = crate::load::discover::io_reason(&e);
                let message = format!("cannot read `{}`: {reason}", path.display());
                LoadError::Line(message, None)
            })
            .map(|bytes| Loaded::Bundle(String::from_utf8_lossy(&bytes).into_owned())),
    }
}

fn named_failure(which: &str, error: &LoadError, style: HumanStyle) -> String {
    match error {
        LoadError::Line(message, help) => {
            let mut out = format!("error: {which} side: {message}\n");
            if let Some(help) = help {
                out.push_str(&format!("  help: {help}\n"));
            }
            out
        }
        LoadError::Failure(failure, revision) => {
            // A plain message ("no policy files under `x`") says where.
            let at = revision
                .as_ref()
                .map(|rev| format!(" at revision `{rev}`"))
                .unwrap_or_default();
            let mut out = String::new();
            for diagnostic in &failure.diagnostics {
                if failure.is_plain(diagnostic) {
                    out.push_str(&format!(
                        "error: {which} side: {}{at}\n",
                        diagnostic.message
                    ));
                } else {
                    out.push_str(&format!("{which} side:\n"));
                    out.push_str(&render_human(diagnostic, &failure.sources, style));
                }
            }
            out
        }
    }
}

/// The errors of a partial old side, as warnings of that side.
fn partial_warnings(old: &Side, style: HumanStyle) -> String {
    let Some(compilation) = old.compilation() else {
        return String::new();
    };
    let errors: Vec<_> = diff::partial::errors(compilation).collect();
    let mut out = format!(
        "warning: the old side (`{}`) has {} error{}; only what resolved on both sides is compared\n",
        old.label,
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    );
    for error in errors {
        let mut warning = error.clone();
        warning.severity = crate::diagnostics::Severity::Warning;
        out.push_str(&render_human(&warning, &compilation.sources, style));
    }
    out
}

enum Failed {
    Bundle(String),
    /// Each side's compilation when it has errors.
    Errors([Option<Box<Compilation>>; 2]),
}

/// Compiles the policy sides (the new one reusing the old one's parses)
/// and reads the bundles.
fn sides(old: Loaded, new: Loaded, labels: &[String; 2]) -> Result<(Side, Side), Failed> {
    let mut old_workspace = None;
    let (old, new) = match (old, new) {
        (Loaded::Policy(old_ws), Loaded::Policy(new_ws)) => {
            let pair = diff::policy_pair((&labels[0], &old_ws), (&labels[1], *new_ws));
            old_workspace = Some(old_ws);
            pair
        }
        (Loaded::Policy(ws), Loaded::Bundle(text)) => {
            let old = Side::policy(&labels[0], &ws, crate::compile(&ws));
            old_workspace = Some(ws.clone());
            let catalog = old
                .as_ref()
                .ok()
                .map(|s| std::sync::Arc::clone(s.catalog()));
            (old, Side::bundle(&labels[1], &text, catalog))
        }
        (Loaded::Bundle(text), Loaded::Policy(ws)) => {
            let new = Side::policy(&labels[1], &ws, crate::compile(&ws));
            let catalog = new
                .as_ref()
                .ok()
                .map(|s| std::sync::Arc::clone(s.catalog()));
            (Side::bundle(&labels[0], &text, catalog), new)
        }
        (Loaded::Bundle(old), Loaded::Bundle(new)) => {
            let old = Side::bundle(&labels[0], &old, None);
            let catalog = old
                .as_ref()
                .ok()
                .map(|s| std::sync::Arc::clone(s.catalog()));
            (old, Side::bundle(&labels[1], &new, catalog))
        }
    };
    // An old side with errors is compared for what of it resolved, so that
    // the change that repairs a broken base can be reviewed.
    let old = match (old, &new, old_workspace) {
        (Err(SideError::Errors(compilation)), Ok(_), Some(ws)) => {
            Side::partial(&labels[0], &ws, *compilation)
        }
        (old, _, _) => old,
    };
    match (old, new) {
        (Ok(old), Ok(new)) => Ok((old, new)),
        (Err(SideError::Bundle(message)), _) | (_, Err(SideError::Bundle(message))) => {
            Err(Failed::Bundle(message))
        }
        (old, new) => {
            let errors = |side: Result<Side, SideError>| match side {
                Err(SideError::Errors(compilation)) => Some(compilation),
                _ => None,
            };
            Err(Failed::Errors([errors(old), errors(new)]))
        }
    }
}

/// Each failing side's diagnostics, named, in the requested format.
fn side_errors(
    errors: &[Option<Box<Compilation>>; 2],
    labels: &[String; 2],
    format: DiffFormat,
    style: HumanStyle,
) -> String {
    let failing = ["old", "new"]
        .iter()
        .zip(errors)
        .zip(labels)
        .filter_map(|((which, c), label)| Some((*which, label, c.as_deref()?)));
    match format {
        DiffFormat::Human => failing
            .map(|(which, label, c)| {
                let head = format!(
                    "error: the {which} side (`{label}`) has errors, so nothing is compared"
                );
                format!("{head}\n\n{}", render::human_report(c, style))
            })
            .collect::<Vec<_>>()
            .join("\n"),
        DiffFormat::Markdown => {
            let mut out = format!(
                "**rolecall diff** `{}` → `{}`: not compared, the policy set has errors\n",
                labels[0], labels[1]
            );
            for (which, label, c) in failing {
                let plain = HumanStyle {
                    color: false,
                    ..style
                };
                out.push_str(&format!(
                    "\n#### The {which} side (`{label}`)\n\n```text\n{}```\n",
                    render::human_report(c, plain)
                ));
            }
            out
        }
        DiffFormat::Json => {
            let mut report = serde_json::json!({
                "format": diff::FORMAT,
                "error": "a side has errors, so nothing is compared",
            });
            for ((which, c), label) in ["old", "new"].iter().zip(errors).zip(labels) {
                let diagnostics = c.as_deref().map(render::json_report);
                report[*which] = serde_json::json!({"label": label, "errors": diagnostics});
            }
            crate::text::pretty_json(&report)
        }
    }
}
