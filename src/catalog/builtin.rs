//! The catalogs and preludes shipped inside the binary.

use super::{Catalog, load};

/// Names of the built-in platforms.
pub const BUILTIN_PLATFORMS: [&str; 2] = ["amplemarket", "apollo"];

const APOLLO_CATALOG: &str = include_str!("../../policies/apollo/catalog.yaml");
const APOLLO_PRELUDE: &str = include_str!("../../policies/apollo/prelude.perm");
const AMPLEMARKET_CATALOG: &str = include_str!("../../policies/amplemarket/catalog.yaml");
const AMPLEMARKET_PRELUDE: &str = include_str!("../../policies/amplemarket/prelude.perm");

/// The built-in catalog of `platform`, if there is one.
pub fn builtin(platform: &str) -> Option<Catalog> {
    let (yaml, prelude) = match platform {
        "apollo" => (APOLLO_CATALOG, APOLLO_PRELUDE),
        "amplemarket" => (AMPLEMARKET_CATALOG, AMPLEMARKET_PRELUDE),
        _ => return None,
    };
    // The embedded catalogs are checked by the test suite, so a failure here
    // can only come from a broken build; report it as "no catalog".
    load(yaml, |_| Ok(prelude.to_owned())).ok()
}
