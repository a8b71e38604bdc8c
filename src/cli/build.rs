//! `rolecall build [PATH...] -o FILE` and `rolecall schema`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::atomic::write_atomically;
use super::{CommonArgs, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::backend::Bundle;
use crate::cli::target::{self, Target, WriteError};
use crate::load::discover::{display_name, io_reason};
use crate::report::Format;

/// Arguments of `rolecall build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Files or directories of the policy set (directories are searched for `*.perm`).
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Where to write the bundle (replaced atomically): a file, or a directory for `cedar`.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// What to write: the JSON bundle, an OPA bundle (`.tar.gz`) or a Cedar policy set.
    #[arg(long, value_enum, default_value_t = Target::Json)]
    pub target: Target,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Runs `build`; returns the exit code.
pub fn run(args: &BuildArgs) -> u8 {
    let (workspace, compilation) = match super::check::checked(&args.paths, &args.common) {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    if args.common.fails(&compilation) {
        let found = if compilation.counts().errors > 0 {
            "errors"
        } else {
            "warnings, denied by `--deny-warnings`"
        };
        eprintln!(
            "error: no bundle written to `{}`: the policy set has {found}",
            shown(&args.output)
        );
        return EXIT_ERRORS;
    }
    let written = if args.target == Target::Json {
        // The text is written straight from the model: no bundle is made.
        compilation
            .bundle_json(workspace.naming())
            .map(|written| (written.revision, Ok(written.text)))
    } else {
        compilation
            .bundle(workspace.naming())
            .map(|bundle| (bundle.revision.clone(), Err(bundle)))
    };
    let (revision, made) = match written {
        Ok(written) => written,
        Err(error) => {
            eprintln!("error: {error}");
            return EXIT_ERRORS;
        }
    };
    // A bundle is only made from a resolved model, so the catalog is there.
    let Some(model) = &compilation.model else {
        eprintln!("error: the policy set was not resolved");
        return EXIT_ERRORS;
    };
    let outcome = match made {
        Ok(text) => write_atomically(&args.output, &text).map_err(WriteError::Io),
        Err(bundle) => target::write(args.target, &args.output, &bundle, &model.catalog),
    };
    match outcome {
        Ok(()) => {}
        Err(WriteError::Build(error)) => {
            eprintln!("error: {error}");
            return EXIT_ERRORS;
        }
        Err(WriteError::Io(error)) => {
            eprintln!(
                "error: cannot write `{}`: {}",
                shown(&args.output),
                io_reason(&error)
            );
            return EXIT_USAGE;
        }
    }
    if args.common.format == Format::Human {
        println!("wrote `{}` (revision {})", shown(&args.output), revision);
    }
    EXIT_OK
}

/// Prints the bundle's JSON Schema; returns the exit code.
pub fn schema() -> u8 {
    let text = Bundle::json_schema();
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_USAGE,
    }
}

fn shown(path: &Path) -> String {
    display_name(path, std::env::current_dir().ok().as_deref())
}
