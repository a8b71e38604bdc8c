//! `rolecall snapshot [PATH...] -o FILE`, with `--check` and `--update`:
//! the access snapshot of a policy set (docs/testing.md, "Snapshots").
//!
//! Exit status: 0 written, or (`--check`) the file matches; 1 the policy set
//! has errors, or (`--check`) the file differs; 2 usage or I/O, or
//! (`--check`) no snapshot file.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{Color, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::diagnostics::render::{Format, HumanStyle};
use crate::diff::{self, Revisions, Side, human};
use crate::snapshot::{Snapshot, as_written, comparable};

/// Arguments of `rolecall snapshot`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 written or up to date, 1 the policy set has errors or (--check) the snapshot differs, 2 usage or I/O error (--check: no snapshot file)."
)]
pub struct SnapshotArgs {
    /// Files or directories of the policy set (directories are searched for `*.perm`).
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// The snapshot file (without it, and without `--check`/`--update`, the snapshot is printed).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Compare with FILE and exit 1 on any difference, printing the access changes.
    #[arg(long, conflicts_with = "update")]
    pub check: bool,
    /// Rewrite FILE (atomically) when it differs.
    #[arg(long)]
    pub update: bool,
    /// Configuration file (default: the nearest `rolecall.yaml` above the first path).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// When to colour human output (`NO_COLOR` is honoured in `auto`).
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,
}

/// Runs `snapshot`; returns the exit code.
pub fn run(args: &SnapshotArgs) -> u8 {
    let style = HumanStyle {
        color: args.color.enabled(),
        ..HumanStyle::default()
    };
    let output = match (&args.output, args.check || args.update) {
        (Some(path), _) => Some(path.clone()),
        (None, false) => None,
        (None, true) => {
            let mode = if args.check { "--check" } else { "--update" };
            eprintln!("error: `{mode}` needs the snapshot file: `-o FILE`");
            return EXIT_USAGE;
        }
    };
    let config = args.config.as_deref();
    let (workspace, compilation) =
        match super::check::loaded_and_compiled(&args.paths, config, Format::Human, style) {
            Ok(set) => set,
            Err(code) => return code,
        };
    let model = match &compilation.model {
        Some(model) if compilation.counts().errors == 0 => model,
        _ => {
            print(&crate::diagnostics::render::human_report(
                &compilation,
                style,
            ));
            eprintln!("error: the policy set has errors, so no snapshot is made");
            return EXIT_ERRORS;
        }
    };
    let text = Snapshot::of(model).to_yaml();
    let Some(path) = output else {
        print(&text);
        return EXIT_OK;
    };
    let shown = path.display().to_string();
    let label = args
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let on_disk = match std::fs::read(&path) {
        // Compared as written: a CRLF checkout or a BOM is no access change.
        Ok(bytes) => Some(as_written(&String::from_utf8_lossy(&bytes)).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            let reason = crate::load::discover::io_reason(&e);
            eprintln!("error: cannot read `{shown}`: {reason}");
            return EXIT_USAGE;
        }
    };
    if args.check {
        let Some(old) = on_disk else {
            eprintln!(
                "error: there is no snapshot `{shown}`: write it with `rolecall snapshot --update {label} -o {shown}`"
            );
            return EXIT_USAGE;
        };
        if old == text {
            println!("the snapshot `{shown}` is up to date");
            return EXIT_OK;
        }
        let side = Side::policy(&label, &workspace, compilation);
        let report = match side {
            Ok(new) => changes(&shown, &old, new, &text, style),
            Err(_) => String::new(),
        };
        print(&report);
        println!(
            "error: the snapshot `{shown}` is out of date: accept the changes with `rolecall snapshot --update {label} -o {shown}`"
        );
        return EXIT_ERRORS;
    }
    if args.update && on_disk.as_deref() == Some(text.as_str()) {
        eprintln!("the snapshot `{shown}` is up to date");
        return EXIT_OK;
    }
    match super::atomic::write_atomically(&path, text.as_bytes()) {
        Ok(()) => {
            eprintln!("wrote `{shown}`");
            EXIT_OK
        }
        Err(e) => {
            let reason = crate::load::discover::io_reason(&e);
            eprintln!("error: cannot write `{shown}`: {reason}");
            EXIT_USAGE
        }
    }
}

/// The access changes from the snapshot `old` (file `name`) to the policy
/// side `new`: the report of `rolecall diff`, then always the lines of the
/// file that change, which also show what the report cannot (a team, or a
/// file edited by hand), even beside access changes.
fn changes(name: &str, old: &str, mut new: Side, text: &str, style: HumanStyle) -> String {
    let mut out = String::new();
    let compared = Snapshot::from_yaml(old)
        .and_then(|snapshot| snapshot.to_view(new.catalog()))
        .map(|view| {
            new.view = comparable(new.view.clone());
            diff::diff(Side::from_view(name, view), new, Revisions::Skip)
        });
    match compared {
        Ok(Ok(compared)) => out.push_str(&human::render(
            &compared,
            human::Style { color: style.color },
        )),
        Ok(Err(error)) => out.push_str(&format!("the snapshot cannot be compared: {error}\n")),
        Err(error) => {
            out.push_str(&format!("the snapshot `{name}` cannot be read: {error}\n"));
        }
    }
    out.push_str(&format!(
        "\nthe changed lines of `{name}`, which also show what the access report cannot (a team, or an edit by hand):\n"
    ));
    let lines = similar::TextDiff::from_lines(old, text);
    out.push_str(
        &lines
            .unified_diff()
            .context_radius(2)
            .header(name, "policy set")
            .to_string(),
    );
    out
}

fn print(text: &str) {
    // A closed pipe (`rolecall snapshot | head`) is not an error worth a panic.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
