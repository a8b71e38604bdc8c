//! Backends: what a resolved policy set is compiled into for other runtimes.
//!
//! The JSON bundle (`rolecall.bundle/v1`) is the first: every profile with
//! every catalog permission's effective value and its provenance, the
//! members with their effective limits, the organisation caps and the
//! waivers, sealed with a `sha256:` revision digest. [`decide`] answers a
//! request from it; [`opa`] and [`cedar`] compile it for policy engines
//! (`docs/targets.md`).
//!
//! [`build`] makes one from the parts of a compilation (the resolved model,
//! its sources, the waivers); `rolecall::build_paths` loads, compiles and
//! bundles a policy set on disk:
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let bundle = rolecall::build_paths(&["policies/examples/apollo-acme".into()], None)?;
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

pub use crate::load::{Naming, policy_root};
pub use decide::{Amount, DecideError, Decision, Origin, Request, Resource};
pub use json::{
    BuildError, Bundle, DefaultTag, FORMAT, Location, Member, Profile, Provenance, ReadError,
    Value, Waiver, Written, build, sha256,
};
