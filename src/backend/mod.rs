//! Backends: what a resolved policy set is compiled into for other runtimes.
//!
//! The JSON bundle (`rolecall.bundle/v1`) is the first: every profile with
//! every catalog permission's effective value and its provenance, the
//! members with their effective limits, the organisation caps and the
//! waivers, sealed with a `sha256:` revision digest. [`decide`] answers a
//! request from it; [`opa`] and [`cedar`] compile it for policy engines
//! (`docs/targets.md`).
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
//! then [`Bundle::decide`] (or [`Bundle::member_value`]) for each decision.

pub mod cedar;
pub mod decide;
pub mod json;
pub mod opa;

use std::path::{Path, PathBuf};

pub use crate::load::{Naming, policy_root};
pub use decide::{Amount, DecideError, Decision, Origin, Request, Resource};
pub use json::{
    BuildError, Bundle, DefaultTag, FORMAT, Location, Member, Profile, Provenance, ReadError,
    Value, Waiver, build, sha256,
};

use crate::diagnostics::HumanStyle;

/// Loads, compiles and bundles the policy set under `paths`, as
/// `rolecall build` does, without writing anything.
pub fn build_paths(paths: &[PathBuf], config: Option<&Path>) -> Result<Bundle, BuildError> {
    let workspace = crate::load::load(paths, config).map_err(|e| BuildError {
        message: e.render(HumanStyle::default()).trim_end().to_owned(),
    })?;
    let compilation = crate::compile(&workspace);
    if let Some(failure) = compilation.load_failure() {
        return Err(BuildError {
            message: failure.render(HumanStyle::default()).trim_end().to_owned(),
        });
    }
    build(&compilation, workspace.naming())
}
