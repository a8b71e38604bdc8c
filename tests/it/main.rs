//! The integration tests of rolecall, one module per feature, in one test
//! crate so that the suite links once. Inputs live under `tests/inputs/<feature>/`;
//! snapshots under `tests/it/snapshots/`; the helpers every module shares
//! (running the binary, folders, generated policy sets) in [`common`].

mod common;

mod bad_inputs;
mod baseline;
mod build;
mod bundle;
mod cli;
mod completions;
mod diff;
mod diff_git;
mod diff_partial;
mod diff_properties;
mod diff_size;
mod editors;
mod explain_partial;
mod fixtures;
mod fmt;
mod fuzz_findings;
mod generate;
mod init;
mod layers;
mod lint;
mod load;
mod lsp;
mod markdown_gfm;
mod properties;
mod readme;
mod report;
mod report_browser;
mod runtimes;
mod schema;
mod snapshot_properties;
mod stages;
mod targets;
mod testing;
mod testing_cli;
