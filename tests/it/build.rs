//! `rolecall build` end to end: deterministic bytes and atomic writes.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::rolecall;

const EXAMPLE: &str = "policies/examples/apollo-acme";

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).expect("under dir").to_owned());
            }
        }
    }
    out.sort();
    out
}

/// Copies the example into `to`, creating its files in the given order.
fn copy_example(to: &Path, reverse: bool) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE);
    let mut files = files_under(&root);
    if reverse {
        files.reverse();
    }
    for file in files {
        let target = to.join(&file);
        fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        fs::copy(root.join(&file), target).expect("copy");
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

#[test]
fn the_same_set_builds_to_the_same_bytes_from_anywhere() {
    let one = tempfile::tempdir().expect("temp dir");
    let two = tempfile::tempdir().expect("temp dir");
    let set_one = one.path().join("acme");
    let set_two = two.path().join("nested/policies");
    copy_example(&set_one, false);
    copy_example(&set_two, true);

    // From inside the set, with the default path.
    let a = rolecall(&["build", "-o", "../a.json"], Some(&set_one));
    assert_eq!(a.status.code(), Some(0), "{a:?}");
    // From above the set, naming its parts in a shuffled order.
    let b = rolecall(
        &[
            "build",
            "nested/policies/profiles",
            "nested/policies/org.perm",
            "nested/policies/members",
            "-o",
            "b.json",
        ],
        Some(two.path()),
    );
    assert_eq!(b.status.code(), Some(0), "{b:?}");
    // From an unrelated folder, with absolute paths.
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let out_c = elsewhere.path().join("c.json");
    let c = rolecall(
        &[
            "build",
            path_str(&set_two.join("members")),
            path_str(&set_two),
            "-o",
            path_str(&out_c),
        ],
        Some(elsewhere.path()),
    );
    assert_eq!(c.status.code(), Some(0), "{c:?}");

    let a = fs::read(one.path().join("a.json")).expect("a.json");
    let b = fs::read(two.path().join("b.json")).expect("b.json");
    let c = fs::read(&out_c).expect("c.json");
    assert!(a == b && b == c, "bundles differ between builds");
    // And the library gives the same bytes as the command.
    let library = rolecall::build_paths(std::slice::from_ref(&set_one), None).expect("builds");
    assert_eq!(library.to_json().as_bytes(), a.as_slice());
}

#[test]
fn a_failed_build_leaves_the_existing_bundle_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let set = dir.path().join("set");
    copy_example(&set, false);
    let out = dir.path().join("out");
    fs::create_dir(&out).expect("mkdir");
    let bundle = out.join("bundle.json");
    fs::write(&bundle, b"previous bundle\n").expect("write");
    fs::write(
        set.join("profiles/broken.perm"),
        "platform apollo\nprofile \"Broken\" extends \"Sales Manger\" {\n}\n",
    )
    .expect("write");

    let run = rolecall(&["build", "set", "-o", "out/bundle.json"], Some(dir.path()));
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("unknown-profile"), "{stdout}");
    assert_eq!(fs::read(&bundle).expect("read"), b"previous bundle\n");
    assert_eq!(
        files_under(&out),
        [PathBuf::from("bundle.json")],
        "no temporary file left"
    );

    // Without an existing bundle, nothing is created.
    let fresh = out.join("fresh.json");
    let run = rolecall(
        &["build", "set", "-o", path_str(&fresh), "--format", "json"],
        Some(dir.path()),
    );
    assert_eq!(run.status.code(), Some(1));
    assert!(!fresh.exists());
    assert_eq!(files_under(&out), [PathBuf::from("bundle.json")]);

    // Fixed, the build replaces the bundle and still leaves nothing else.
    fs::remove_file(set.join("profiles/broken.perm")).expect("remove");
    let run = rolecall(&["build", "set", "-o", "out/bundle.json"], Some(dir.path()));
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let written = fs::read_to_string(&bundle).expect("read");
    assert!(
        written.starts_with("{\n  \"catalog_digest\": \"sha256:"),
        "{written}"
    );
    assert_eq!(files_under(&out), [PathBuf::from("bundle.json")]);
}

#[test]
fn an_unwritable_target_is_an_io_error_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let set = dir.path().join("set");
    copy_example(&set, false);
    let out = dir.path().join("out");
    fs::create_dir_all(out.join("bundle.json")).expect("a folder where the file should go");
    let run = rolecall(&["build", "set", "-o", "out/bundle.json"], Some(dir.path()));
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    assert!(String::from_utf8_lossy(&run.stderr).contains("cannot write `out/bundle.json`"));
    assert_eq!(files_under(&out), Vec::<PathBuf>::new());
    let missing = rolecall(
        &["build", "set", "-o", "no/such/dir/b.json"],
        Some(dir.path()),
    );
    assert_eq!(missing.status.code(), Some(2), "{missing:?}");
}
