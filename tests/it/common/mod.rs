//! Helpers shared by the integration tests, each of which takes them with
//! `mod common;`: running the binary and reading what it prints, copying
//! and listing folders, and (in [`properties`]) the generated policy sets
//! of the property tests.

#![allow(dead_code, reason = "each test crate uses a part of the helpers")]

pub mod properties;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// One run of the binary, built step by step: arguments, working folder,
/// environment and standard input. Colour is off; every test that runs
/// rolecall goes through here.
///
/// ```ignore
/// let out = Run::new(&["check", "."]).cwd(&dir).env("NO_COLOR", "1").output();
/// ```
pub struct Run {
    command: Command,
    stdin: Option<Vec<u8>>,
}

impl Run {
    /// `rolecall ARGS...` in the crate's folder.
    pub fn new<S: AsRef<std::ffi::OsStr>>(args: impl IntoIterator<Item = S>) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rolecall"));
        command.args(args).env("NO_COLOR", "1");
        Run {
            command,
            stdin: None,
        }
    }

    /// Appends one more argument.
    pub fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Run {
        self.command.arg(arg);
        self
    }

    /// Runs in `dir`.
    pub fn cwd(mut self, dir: &Path) -> Run {
        self.command.current_dir(dir);
        self
    }

    /// Sets one environment variable.
    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Run {
        self.command.env(key, value);
        self
    }

    /// Feeds `bytes` on standard input (otherwise it is empty).
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Run {
        self.stdin = Some(bytes.into());
        self
    }

    /// The command as it stands, for a test that starts it itself.
    pub fn command(self) -> Command {
        self.command
    }

    /// Runs to the end and returns what it printed and its status.
    pub fn output(mut self) -> Output {
        use std::io::Write;
        use std::process::Stdio;
        let mut child = self
            .command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        if let Some(mut pipe) = child.stdin.take() {
            // A run that stops before reading its input closes the pipe;
            // what it printed still tells the test what happened.
            match pipe.write_all(self.stdin.as_deref().unwrap_or_default()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    panic!("standard input is not written: {e}")
                }
                _ => {}
            }
        }
        child.wait_with_output().expect("the binary runs")
    }
}

/// Runs the binary with `args` in `cwd` (the crate's folder when `None`),
/// with colour off.
pub fn rolecall(args: &[&str], cwd: Option<&Path>) -> Output {
    match cwd {
        Some(dir) => Run::new(args).cwd(dir).output(),
        None => Run::new(args).output(),
    }
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
