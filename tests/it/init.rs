//! `rolecall init`: the files it writes pass `check` at once, and it never
//! overwrites anything.

use std::path::Path;

use crate::common::rolecall;

/// Every file under `dir`, relative and sorted, with its text.
fn tree(dir: &Path) -> String {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let mut out = String::new();
    for file in &files {
        let name = file
            .strip_prefix(dir)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        out.push_str(&format!("=== {name}\n"));
        out.push_str(&std::fs::read_to_string(file).unwrap_or_default());
    }
    out
}

fn file_list(dir: &Path) -> Vec<String> {
    tree(dir)
        .lines()
        .filter_map(|l| l.strip_prefix("=== ").map(str::to_owned))
        .collect()
}

#[test]
fn every_setup_passes_check_and_its_tests() {
    for (name, args) in [
        ("apollo", &["--platform", "apollo"][..]),
        (
            "apollo_basic",
            &["--platform", "apollo", "--plan", "basic"][..],
        ),
        ("amplemarket", &["--platform", "amplemarket"][..]),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut init = vec!["init", "repo"];
        init.extend_from_slice(args);
        let made = rolecall(&init, Some(dir.path()));
        assert_eq!(
            made.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&made.stderr)
        );
        let repo = dir.path().join("repo");
        let checked = rolecall(&["check", "repo", "--deny-warnings"], Some(dir.path()));
        let stdout = String::from_utf8_lossy(&checked.stdout);
        assert_eq!(checked.status.code(), Some(0), "{name}: {stdout}");
        assert!(stdout.ends_with("no problems\n"), "{name}: {stdout}");
        let tested = rolecall(&["test", "repo"], Some(dir.path()));
        let tested_out = String::from_utf8_lossy(&tested.stdout);
        assert_eq!(tested.status.code(), Some(0), "{name}: {tested_out}");
        assert!(
            tested_out.ends_with(" passed, 0 failed\n") && !tested_out.starts_with("0 passed"),
            "{name}: {tested_out}"
        );
        let formatted = rolecall(&["fmt", "--check", "repo"], Some(dir.path()));
        assert_eq!(
            formatted.status.code(),
            Some(0),
            "{name}: files are formatted"
        );
        insta::assert_yaml_snapshot!(format!("init_files_{name}"), file_list(&repo));
        insta::assert_snapshot!(format!("init_contents_{name}"), tree(&repo));
    }
}

#[test]
fn an_existing_file_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("repo")).expect("dir");
    std::fs::write(dir.path().join("repo/members.perm"), "# mine\n").expect("write");
    let refused = rolecall(&["init", "repo", "--platform", "apollo"], Some(dir.path()));
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr),
        "error: `repo/members.perm` already exists; nothing was written\n"
    );
    assert_eq!(file_list(&dir.path().join("repo")), ["members.perm"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("repo/members.perm")).expect("read"),
        "# mine\n"
    );
    // `--force` is not offered.
    let forced = rolecall(
        &["init", "repo", "--platform", "apollo", "--force"],
        Some(dir.path()),
    );
    assert_eq!(forced.status.code(), Some(2));
}

#[test]
fn a_plan_the_platform_lacks_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    for args in [
        &["init", "a", "--platform", "amplemarket", "--plan", "basic"][..],
        &["init", "a", "--platform", "apollo", "--plan", "enterprise"][..],
        &["init", "a", "--platform", "hubspot"][..],
    ] {
        let out = rolecall(args, Some(dir.path()));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
    assert!(!dir.path().join("a").exists());
}

#[test]
fn a_file_where_the_folder_should_be_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("repo"), "# mine\n").expect("write");
    std::fs::create_dir(dir.path().join("other")).expect("dir");
    std::fs::write(dir.path().join("other/.github"), "# mine\n").expect("write");
    for (target, file, message) in [
        (
            "repo",
            "repo",
            "error: `repo` is a file, not a folder; nothing was written\n",
        ),
        (
            "repo/sub",
            "repo",
            "error: `repo` is a file, so the folder `repo/sub` cannot be made; nothing was written\n",
        ),
        (
            "other",
            "other/.github",
            "error: `other/.github` is a file, so the folder `other/.github/workflows` cannot be made; nothing was written\n",
        ),
    ] {
        let refused = rolecall(&["init", target, "--platform", "apollo"], Some(dir.path()));
        assert_eq!(refused.status.code(), Some(2), "{target}");
        assert_eq!(String::from_utf8_lossy(&refused.stderr), message);
        assert_eq!(
            std::fs::read_to_string(dir.path().join(file)).expect("read"),
            "# mine\n"
        );
    }
    assert_eq!(file_list(&dir.path().join("other")), [".github"]);
}
