//! Generated Apollo policy sets for the property tests: the sets drawn by
//! proptest (`set`), written out as files (`render`), the oracle of their
//! effective values (`oracle`) and the invalid ingredients (`invalid`).

pub mod invalid;
pub mod oracle;
pub mod render;
pub mod set;

use proptest::test_runner::Config as ProptestConfig;

/// Cases per property: `PROPTEST_CASES`, else `default`.
pub fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}
