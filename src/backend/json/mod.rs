//! The JSON bundle, `rolecall.bundle/v1`: its types, how a compilation is
//! emitted into one, and how a service reads one back.

mod bundle;
mod emit;
mod hashed;
mod reader;
mod schema;
mod stream;

pub use bundle::{
    Bundle, DefaultTag, FORMAT, Location, Member, Profile, Provenance, Value, Waiver, sha256,
};
pub use emit::{BuildError, build};
pub use reader::ReadError;
pub use schema::typed_schema;
pub use stream::{WriteFailure, Written, revision, write, write_to};
