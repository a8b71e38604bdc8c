//! `rolecall build --target`: which artefact is written, and writing it.

use std::path::Path;

use clap::ValueEnum;

use super::atomic::write_atomically;
use crate::backend::{BuildError, Bundle, cedar, opa};
use crate::catalog::Catalog;

/// What `build` writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Target {
    /// The JSON bundle, `rolecall.bundle/v1`.
    #[default]
    Json,
    /// An OPA bundle: a `.tar.gz` with the data and a Rego policy.
    Opa,
    /// A Cedar policy set: a directory with a schema, policies and entities.
    Cedar,
}

/// Why a target could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The artefact could not be made from the bundle (exit 1).
    Build(BuildError),
    /// A file could not be written (exit 2).
    Io(std::io::Error),
}

impl From<BuildError> for WriteError {
    fn from(error: BuildError) -> Self {
        WriteError::Build(error)
    }
}

impl From<std::io::Error> for WriteError {
    fn from(error: std::io::Error) -> Self {
        WriteError::Io(error)
    }
}

/// Writes `target` of `bundle`, compiled against `catalog`, to `output`:
/// a file for `json` and `opa`, a directory for `cedar` (created when
/// missing, each file replaced atomically).
pub fn write(
    target: Target,
    output: &Path,
    bundle: &Bundle,
    catalog: &Catalog,
) -> Result<(), WriteError> {
    match target {
        Target::Json => write_atomically(output, bundle.to_json().as_bytes())?,
        Target::Opa => write_atomically(output, &opa::archive(bundle, catalog)?)?,
        Target::Cedar => {
            // Make every file before writing any, so that a failure to make
            // one leaves the directory as it was.
            let files = cedar::files(bundle, catalog)?;
            if output.exists() && !output.is_dir() {
                return Err(WriteError::Io(std::io::Error::new(
                    std::io::ErrorKind::NotADirectory,
                    "it is not a directory",
                )));
            }
            std::fs::create_dir_all(output)?;
            // The data last: a reader of an older set sees new policies
            // only once their schema is there.
            for name in [
                cedar::SCHEMA_FILE,
                cedar::POLICIES_FILE,
                cedar::ENTITIES_FILE,
            ] {
                if let Some((_, bytes)) = files.iter().find(|(n, _)| n == name) {
                    write_atomically(&output.join(name), bytes)?;
                }
            }
        }
    }
    Ok(())
}
