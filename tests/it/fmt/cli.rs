//! `rolecall fmt` on the command line: exit codes, `--check`, `--diff`,
//! standard input, untouched files.

use std::path::Path;
use std::process::Output;

fn rolecall(args: &[&str], stdin: Option<&str>) -> Output {
    crate::common::Run::new(args)
        .stdin(stdin.unwrap_or(""))
        .output()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const MESSY: &str = "platform apollo\nprofile \"A\"   extends \"Non-admin\" {\nemails.visibility=own # why\n  mailbox.sending_limit = 10\n}\n";
const CANONICAL: &str = "platform apollo\n\nprofile \"A\" extends \"Non-admin\" {\n  emails.visibility     = own  # why\n  mailbox.sending_limit = 10\n}\n";

fn messy_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("messy.perm"), MESSY).expect("write");
    std::fs::write(dir.path().join("clean.perm"), CANONICAL).expect("write");
    dir
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

#[test]
fn the_shipped_policies_are_formatted() {
    let output = rolecall(&["fmt", "--check", "policies"], None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
}

#[test]
fn check_lists_files_that_would_change_and_exits_1() {
    let dir = messy_folder();
    let output = rolecall(&["fmt", "--check", arg(dir.path())], None);
    assert_eq!(output.status.code(), Some(1));
    let out = text(&output.stdout);
    assert!(out.contains("messy.perm"), "{out}");
    assert!(!out.contains("clean.perm"), "{out}");
    let unchanged = std::fs::read_to_string(dir.path().join("messy.perm")).expect("read");
    assert_eq!(unchanged, MESSY, "--check wrote the file");
    let clean = rolecall(
        &["fmt", "--check", arg(&dir.path().join("clean.perm"))],
        None,
    );
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(text(&clean.stdout), "");
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let dir = messy_folder();
    let output = rolecall(&["fmt", "--diff", arg(dir.path())], None);
    assert_eq!(output.status.code(), Some(1));
    let out = text(&output.stdout);
    assert!(
        out.contains("--- ") && out.contains("+++ ") && out.contains("@@"),
        "{out}"
    );
    assert!(out.contains("-emails.visibility=own # why"), "{out}");
    assert!(
        out.contains("+  emails.visibility     = own  # why"),
        "{out}"
    );
    assert!(!out.contains("clean.perm"), "{out}");
    let unchanged = std::fs::read_to_string(dir.path().join("messy.perm")).expect("read");
    assert_eq!(unchanged, MESSY);
}

#[test]
fn fmt_rewrites_only_files_that_change() {
    let dir = messy_folder();
    let clean = dir.path().join("clean.perm");
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    let file = std::fs::File::options()
        .write(true)
        .open(&clean)
        .expect("open");
    file.set_modified(old).expect("set mtime");
    drop(file);
    let output = rolecall(&["fmt", arg(dir.path())], None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let messy = std::fs::read_to_string(dir.path().join("messy.perm")).expect("read");
    assert_eq!(messy, CANONICAL);
    let modified = std::fs::metadata(&clean)
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(modified, old, "a canonical file was rewritten");
    let leftovers = std::fs::read_dir(dir.path()).expect("list").count();
    assert_eq!(leftovers, 2, "a temporary file was left behind");
}

#[test]
fn a_file_with_a_syntax_error_is_left_untouched() {
    let dir = messy_folder();
    let broken = dir.path().join("broken.perm");
    let source = "platform apollo\nprofile \"A\" {\n  emails.visibility = \n";
    std::fs::write(&broken, source).expect("write");
    let output = rolecall(&["fmt", arg(dir.path())], None);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("rolecall::syntax"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(std::fs::read_to_string(&broken).expect("read"), source);
    // The other files are still formatted.
    let messy = std::fs::read_to_string(dir.path().join("messy.perm")).expect("read");
    assert_eq!(messy, CANONICAL);
}

#[test]
fn a_file_that_is_not_utf8_is_reported_as_check_reports_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let latin1 = dir.path().join("latin1.perm");
    std::fs::write(&latin1, b"platform apollo\n# Caf\xe9 team\n").expect("write");
    let formatted = rolecall(&["fmt", arg(dir.path())], None);
    assert_eq!(formatted.status.code(), Some(1));
    let checked = rolecall(&["check", arg(dir.path())], None);
    let (fmt_err, check_out) = (text(&formatted.stderr), text(&checked.stdout));
    assert!(fmt_err.contains("rolecall::invalid-encoding"), "{fmt_err}");
    // The same diagnostic, at the same place, before check's summary line.
    assert!(check_out.starts_with(&fmt_err), "{fmt_err}\n{check_out}");
}

#[test]
fn standard_input_is_formatted_to_standard_output() {
    let output = rolecall(&["fmt", "-"], Some(MESSY));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text(&output.stdout), CANONICAL);
    let check = rolecall(&["fmt", "--check", "-"], Some(MESSY));
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(text(&check.stdout), "<stdin>\n");
    let clean = rolecall(&["fmt", "--check", "-"], Some(CANONICAL));
    assert_eq!(clean.status.code(), Some(0));
    let broken = rolecall(&["fmt", "-"], Some("profile {"));
    assert_eq!(broken.status.code(), Some(1));
    assert_eq!(text(&broken.stdout), "");
}

#[test]
fn usage_and_io_errors_exit_2() {
    let dir = messy_folder();
    let mixed = rolecall(&["fmt", "-", arg(dir.path())], None);
    assert_eq!(mixed.status.code(), Some(2));
    let missing = rolecall(&["fmt", arg(&dir.path().join("nowhere"))], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        text(&missing.stderr).contains("no such file"),
        "{}",
        text(&missing.stderr)
    );
}
