//! Backends: what a resolved policy set is compiled into for other runtimes.
//!
//! The JSON bundle (`rolecall.bundle/v1`) is the first: every profile with
//! every catalog permission's effective value and its provenance, the
//! members with their effective limits, the organisation caps and the
//! waivers, sealed with a `sha256:` revision digest.
//!
//! Producing one:
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let bundle = rolecall::backend::build_paths(&["policies/examples/apollo-acme".into()], None)?;
//! assert_eq!(bundle.format, "rolecall.bundle/v1");
//! # Ok(())
//! # }
//! ```
//!
//! Reading one in a service: [`Bundle::from_json`], then [`Bundle::verify`],
//! then [`Bundle::member_value`] for each decision.

mod bundle;
mod emit;
mod paths;
mod reader;

use std::path::{Path, PathBuf};

pub use bundle::{
    Bundle, DefaultTag, FORMAT, Location, Member, Profile, Provenance, Value, Waiver, sha256,
};
pub use emit::{BuildError, build};
pub use paths::{Naming, policy_root};
pub use reader::ReadError;

use crate::diagnostics::HumanStyle;

/// Loads, compiles and bundles the policy set under `paths`, as
/// `rolecall build` does, without writing anything.
pub fn build_paths(paths: &[PathBuf], config: Option<&Path>) -> Result<Bundle, BuildError> {
    let mut project = crate::project::load(paths, config).map_err(|e| BuildError {
        message: e.render(HumanStyle::default()).trim_end().to_owned(),
    })?;
    let compilation = crate::compile_taking_files(&mut project);
    let naming = Naming::new(&policy_root(paths, &project));
    build(&compilation, &naming)
}
