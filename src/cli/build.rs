//! `rolecall build [PATH...] -o FILE` and `rolecall schema`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::atomic::write_atomically_with;
use super::{CommonArgs, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::backend::Bundle;
use crate::backend::json::WriteFailure;
use crate::cli::target::{self, Target, WriteError};
use crate::diagnostics::render::Format;
use crate::load::discover::{display_name, io_reason};

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
    pub baseline: super::check::BaselineArg,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Runs `build`; returns the exit code.
pub fn run(args: &BuildArgs) -> u8 {
    let checked =
        super::check::checked(&args.paths, &args.common, args.baseline.baseline.as_deref());
    let super::check::Checked {
        workspace,
        mut compilation,
        baselined,
    } = match checked {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    // Findings the baseline hides are accepted risks: the bundle lists them.
    compilation.waivers.extend(baselined.waivers());
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
    if args.target == Target::Json {
        // The text goes to the file as it is made from the model: no bundle
        // is made, nor the whole text held.
        let written = write_atomically_with(&args.output, |file| {
            compilation.write_bundle_json(workspace.naming(), file)
        });
        let code = match written {
            Ok(revision) => wrote(args, &revision),
            Err(WriteFailure::Build(error)) => failed(args, WriteError::Build(error)),
            Err(WriteFailure::Io(error)) => failed(args, WriteError::Io(error)),
        };
        super::left_to_exit((workspace, compilation));
        return code;
    }
    let bundle = match compilation.bundle(workspace.naming()) {
        Ok(bundle) => bundle,
        Err(error) => return failed(args, WriteError::Build(error)),
    };
    // A bundle is only made from a resolved model, so the catalog is there.
    let Some(model) = &compilation.model else {
        eprintln!("error: the policy set was not resolved");
        return EXIT_ERRORS;
    };
    match target::write(args.target, &args.output, &bundle, &model.catalog) {
        Ok(()) => wrote(args, &bundle.revision),
        Err(error) => failed(args, error),
    }
}

/// Says what was written; the exit code of a written bundle.
fn wrote(args: &BuildArgs, revision: &str) -> u8 {
    if args.common.format == Format::Human {
        println!("wrote `{}` (revision {revision})", shown(&args.output));
    }
    EXIT_OK
}

/// Prints why nothing was written; its exit code.
fn failed(args: &BuildArgs, error: WriteError) -> u8 {
    match error {
        WriteError::Build(error) => {
            eprintln!("error: {error}");
            EXIT_ERRORS
        }
        WriteError::Io(error) => {
            eprintln!(
                "error: cannot write `{}`: {}",
                shown(&args.output),
                io_reason(&error)
            );
            EXIT_USAGE
        }
    }
}

/// Arguments of `rolecall schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Type `permissions` for a platform: `apollo`, `amplemarket`, or a catalog file (`.yaml`).
    #[arg(long, value_name = "PLATFORM|CATALOG")]
    pub platform: Option<String>,
}

/// Prints the bundle's JSON Schema, typed for `--platform` when given;
/// returns the exit code.
pub fn schema(args: &SchemaArgs) -> u8 {
    let text = match &args.platform {
        None => Bundle::json_schema(),
        Some(platform) => match typed_catalog(platform) {
            Ok(catalog) => Bundle::typed_json_schema(&catalog),
            Err(message) => {
                eprintln!("error: {message}");
                return EXIT_USAGE;
            }
        },
    };
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => EXIT_OK,
        Err(_) => EXIT_USAGE,
    }
}

/// The catalog `platform` names: a built-in platform, or a catalog file.
fn typed_catalog(platform: &str) -> Result<crate::catalog::Catalog, String> {
    if let Some(builtin) = crate::catalog::builtin_platform(platform) {
        return Ok(builtin.catalog.as_ref().clone());
    }
    let path = Path::new(platform);
    let is_file = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
    if !is_file {
        return Err(format!(
            "`{platform}` is not a built-in platform (`apollo`, `amplemarket`) nor a catalog file (`.yaml`)"
        ));
    }
    let name = shown(path);
    let yaml = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read `{name}`: {}", io_reason(&e)))?;
    // The schema needs the permissions only, not the prelude's profiles.
    crate::catalog::load(&yaml, |_| Ok(String::new())).map_err(|errors| {
        let problems: Vec<String> = errors.into_iter().map(|e| e.message).collect();
        format!("`{name}` is not a catalog: {}", problems.join("; "))
    })
}

fn shown(path: &Path) -> String {
    display_name(path, std::env::current_dir().ok().as_deref())
}
