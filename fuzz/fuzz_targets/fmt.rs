//! The formatter on every input it accepts: formatting is idempotent, the
//! formatted text parses to the same statements (spans aside) and keeps
//! every comment, and the output follows the layout's line rules. The
//! checks are the test suite's own (`tests/it/fmt/properties.rs`).

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use rolecall::source::FileId;

#[allow(dead_code)] // the policy-set checks serve the test suite only
#[path = "../../tests/it/fmt/properties.rs"]
mod properties;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if rolecall::fmt::format(FileId(0), text).is_err() {
        return;
    }
    properties::assert_properties(text, Path::new("fuzz input"));
});
