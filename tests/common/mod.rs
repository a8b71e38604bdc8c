//! Helpers shared by the integration tests, each of which takes them with
//! `mod common;`: running the binary and reading what it prints, copying
//! and listing folders, and (in [`properties`]) the generated policy sets
//! of the property tests.

#![allow(dead_code, reason = "each test crate uses a part of the helpers")]

pub mod properties;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the binary with `args` in `cwd` (the crate's folder when `None`),
/// with colour off.
pub fn rolecall(args: &[&str], cwd: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rolecall"));
    command.args(args).env("NO_COLOR", "1");
    if let Some(dir) = cwd {
        command.current_dir(dir);
    }
    command.output().expect("the binary runs")
}

/// What a run printed on standard output.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What a run printed on standard error.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Copies folder `from` with everything in it to `to`, made when missing.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("a folder").flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("a copy");
        }
    }
}

/// The folders directly in `dir`, sorted.
pub fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}
