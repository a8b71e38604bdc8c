//! `rolecall diff --base REV` in a real, temporary git repository: the old
//! side is read from git's objects, and neither the working tree nor the
//! index nor `git status` changes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::common::{Run, copy_dir, rolecall};

fn git(args: &[&str], cwd: &Path) -> String {
    let output = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"])
        .args(args)
        .current_dir(cwd)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every file of the working tree and the index, by path.
fn state(repo: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(repo)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let inside = e.path().strip_prefix(repo).unwrap_or(e.path());
            !inside.starts_with(".git") || inside == Path::new(".git/index")
        })
        .map(|e| {
            (
                e.path().to_owned(),
                std::fs::read(e.path()).expect("readable"),
            )
        })
        .collect()
}

fn json(output: &Output) -> Value {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("json")
}

/// A repository whose `policies/` holds the base set at HEAD~1, the
/// widened parent at HEAD, and in the working tree (not committed) a
/// profile turned admin-equivalent.
fn repository() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("repo");
    let policies = repo.join("policies");
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inputs/diff");
    std::fs::create_dir_all(&policies).expect("mkdir");
    git(&["init", "-q"], &repo);
    copy_dir(&cases.join("parent-widened/old"), &policies);
    std::fs::write(repo.join("README.md"), "not policy\n").expect("write");
    git(&["add", "."], &repo);
    git(&["commit", "-q", "-m", "base"], &repo);
    copy_dir(&cases.join("parent-widened/new"), &policies);
    git(&["commit", "-q", "-a", "-m", "widen"], &repo);
    let profiles = policies.join("profiles.perm");
    let text = std::fs::read_to_string(&profiles).expect("readable");
    let edited = text.replace(
        "  calendar.visibility   = all\n",
        "  calendar.visibility   = all\n  users.manage          = allow\n",
    );
    assert_ne!(text, edited);
    std::fs::write(&profiles, edited).expect("write");
    (dir, repo)
}

#[test]
fn the_old_side_comes_from_git_and_nothing_is_touched() {
    let (_dir, repo) = repository();
    let status = git(&["status", "--porcelain"], &repo);
    let before = state(&repo);

    let head = json(&rolecall(
        &["diff", "--base", "HEAD", "policies", "--format", "json"],
        Some(&repo),
    ));
    assert_eq!(head["old"]["label"], "HEAD");
    assert_eq!(head["new"]["label"], "policies");
    let names: Vec<&str> = head["profiles"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["profile"].as_str())
        .collect();
    assert_eq!(names, ["Sales Director"]);
    assert_eq!(head["profiles"][0]["admin_equivalent"]["new"], true);
    // Findings carry the working tree's names, on both sides.
    let introduced = &head["findings"]["introduced"];
    assert!(
        introduced
            .as_array()
            .into_iter()
            .flatten()
            .any(|d| d["rule"] == "admin-equivalent" && d["file"] == "policies/profiles.perm"),
        "{introduced}"
    );
    assert_eq!(head["findings"]["resolved"], serde_json::json!([]));

    let two_back = json(&rolecall(
        &["diff", "--base", "HEAD~1", "policies", "--format", "json"],
        Some(&repo),
    ));
    let names: Vec<&str> = two_back["profiles"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["profile"].as_str())
        .collect();
    assert_eq!(
        names,
        ["Account Executive", "Sales Director", "Sales Manager"]
    );

    // The same comparison from inside the folder, with the default path.
    let inside = json(&rolecall(
        &["diff", "--base", "HEAD~1", "--format", "json"],
        Some(&repo.join("policies")),
    ));
    assert_eq!(inside["profiles"], two_back["profiles"]);
    assert_eq!(inside["new"]["label"], ".");

    // The old side from git equals the same files on disk.
    let old = repo.parent().expect("parent").join("old");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inputs/diff/parent-widened/old"),
        &old,
    );
    let on_disk = json(&rolecall(
        &["diff", "../old", "policies", "--format", "json"],
        Some(&repo),
    ));
    for key in ["profiles", "members", "admins", "summary"] {
        assert_eq!(on_disk[key], two_back[key], "{key}");
    }
    assert_eq!(on_disk["old"]["revision"], two_back["old"]["revision"]);

    let markdown = rolecall(
        &[
            "diff", "--base", "HEAD~1", "policies", "--format", "markdown",
        ],
        Some(&repo),
    );
    let text = String::from_utf8_lossy(&markdown.stdout);
    assert!(
        text.starts_with("**rolecall diff** `HEAD~1` → `policies`: :warning: **risky changes**"),
        "{text}"
    );

    assert_eq!(git(&["status", "--porcelain"], &repo), status);
    assert!(
        state(&repo) == before,
        "the working tree or the index changed"
    );
}

#[test]
fn git_problems_are_one_line_and_exit_2() {
    let (dir, repo) = repository();
    let outside = dir.path().join("elsewhere");
    std::fs::create_dir(&outside).expect("mkdir");
    std::fs::write(outside.join("a.perm"), "platform apollo\n").expect("write");
    for (args, message) in [
        (
            vec!["--base", "no-such-branch", "policies"],
            "unknown revision `no-such-branch`",
        ),
        (vec!["--base=--all", "policies"], "unknown revision `--all`"),
        (
            vec!["--base", "HEAD", "policies", "../elsewhere"],
            "`../elsewhere` is not in the git repository",
        ),
    ] {
        let output = rolecall(&[&["diff"], args.as_slice()].concat(), Some(&repo));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(message), "{stderr}");
    }
    let not_a_repo = rolecall(&["diff", "--base", "HEAD", "."], Some(&outside));
    assert_eq!(not_a_repo.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&not_a_repo.stderr).contains("is not in a git repository"));
    let no_git = Run::new(["diff", "--base", "HEAD", "policies"])
        .cwd(&repo)
        .env("PATH", "")
        .output();
    assert_eq!(no_git.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_git.stderr).contains("cannot run `git`"));
}

/// The README's markdown example: the commands it shows, run in a fresh
/// repository holding the shipped example, print exactly the block it shows.
#[test]
fn the_readme_example_is_what_diff_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let edits = [
        (
            "profiles/sales.perm",
            "  contacts.delete          = team\n",
            "  contacts.delete          = all\n",
            "sed -i 's/^  contacts.delete          = team$/  contacts.delete          = all/' policies/examples/apollo-acme/profiles/sales.perm",
        ),
        (
            "members/amer.perm",
            "member \"ethan.brooks@acme.com\" profile \"Account Executive\"",
            "member \"ethan.brooks@acme.com\" profile \"Sales Manager\"",
            "sed -i 's/^member \"ethan.brooks@acme.com\" profile \"Account Executive\"/member \"ethan.brooks@acme.com\" profile \"Sales Manager\"/' policies/examples/apollo-acme/members/amer.perm",
        ),
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path();
    let example = repo.join("policies/examples/apollo-acme");
    git(&["init", "-q"], repo);
    copy_dir(&root.join("policies/examples/apollo-acme"), &example);
    git(&["add", "."], repo);
    git(&["commit", "-q", "-m", "base"], repo);
    for (file, from, to, command) in edits {
        assert!(readme.contains(command), "the README shows `{command}`");
        let path = example.join(file);
        let text = std::fs::read_to_string(&path).expect("readable");
        assert_eq!(text.matches(from).count(), 1, "{from}");
        std::fs::write(&path, text.replace(from, to)).expect("write");
    }
    git(&["commit", "-q", "-a", "-m", "change"], repo);
    let output = rolecall(
        &[
            "diff",
            "--base",
            "HEAD~1",
            "policies/examples/apollo-acme",
            "--format",
            "markdown",
        ],
        Some(repo),
    );
    assert_eq!(output.status.code(), Some(0));
    let printed = String::from_utf8_lossy(&output.stdout);
    let start = readme
        .find("<!-- diff example:")
        .expect("the example's marker");
    let block = &readme[start..];
    let block = &block[block.find("```markdown\n").expect("a markdown block") + 12..];
    let block = &block[..block.find("```\n").expect("the block's end")];
    assert_eq!(printed, block);
}

/// A repository whose policy set `policies/` (its `rolecall.yaml` and
/// members at its top, its profiles in `policies/profiles/`) widens a parent
/// from HEAD~1 to HEAD.
fn nested_repository() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("repo");
    let policies = repo.join("policies");
    let profiles = policies.join("profiles");
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inputs/diff/parent-widened");
    std::fs::create_dir_all(&profiles).expect("mkdir");
    git(&["init", "-q"], &repo);
    for file in ["rolecall.yaml", "members.perm"] {
        std::fs::copy(cases.join("old").join(file), policies.join(file)).expect("copy");
    }
    let profile_file = profiles.join("profiles.perm");
    std::fs::copy(cases.join("old/profiles.perm"), &profile_file).expect("copy");
    git(&["add", "."], &repo);
    git(&["commit", "-q", "-m", "base"], &repo);
    std::fs::copy(cases.join("new/profiles.perm"), &profile_file).expect("copy");
    git(&["commit", "-q", "-a", "-m", "widen"], &repo);
    (dir, repo)
}

#[test]
fn without_a_path_the_default_is_the_sets_root_even_from_a_subfolder() {
    let (_dir, repo) = nested_repository();
    let root = repo.join("policies");
    let sub = root.join("profiles");
    let from_root = json(&rolecall(
        &["diff", "--base", "HEAD~1", ".", "--format", "json"],
        Some(&root),
    ));
    let from_sub = json(&rolecall(
        &["diff", "--base", "HEAD~1", "--format", "json"],
        Some(&sub),
    ));
    assert!(
        from_root["summary"]["members_affected"]
            .as_u64()
            .is_some_and(|n| n > 0),
        "{from_root}"
    );
    for key in ["profiles", "members", "admins", "summary"] {
        assert_eq!(from_sub[key], from_root[key], "{key}");
    }
    assert_eq!(from_sub["new"]["label"], "..");

    let human = rolecall(
        &["diff", "--base", "HEAD~1", "--color", "never"],
        Some(&sub),
    );
    let text = String::from_utf8_lossy(&human.stdout);
    assert_eq!(human.status.code(), Some(0), "{text}");
    assert!(
        text.contains("admins  2 → 2 (ok; min-admins 2, too-many-admins above 25% of 9 members)"),
        "{text}"
    );
    assert!(!text.contains("(0 members)"), "{text}");
}

/// A repository whose policy set was `pol/` at HEAD~1 and is `policies/`
/// at HEAD (`git mv`, no other change), with the parent widened in the
/// working tree.
fn renamed_repository() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("repo");
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inputs/diff/parent-widened");
    std::fs::create_dir_all(&repo).expect("mkdir");
    git(&["init", "-q"], &repo);
    copy_dir(&cases.join("old"), &repo.join("pol"));
    git(&["add", "."], &repo);
    git(&["commit", "-q", "-m", "base"], &repo);
    git(&["mv", "pol", "policies"], &repo);
    git(&["commit", "-q", "-m", "rename"], &repo);
    copy_dir(&cases.join("new"), &repo.join("policies"));
    (dir, repo)
}

#[test]
fn a_renamed_set_is_named_at_the_base_with_base_path() {
    let (_dir, repo) = renamed_repository();
    let missing = rolecall(&["diff", "--base", "HEAD~1", "policies"], Some(&repo));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: old side: `policies` does not exist at revision `HEAD~1`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: ") && stderr.contains("`--base-path`"),
        "{stderr}"
    );

    let args = ["diff", "--base", "HEAD~1", "--base-path", "pol", "policies"];
    let renamed = json(&rolecall(
        &[&args[..], &["--format", "json"]].concat(),
        Some(&repo),
    ));
    assert_eq!(renamed["summary"]["profiles_changed"], 3, "{renamed}");
    assert_eq!(renamed["summary"]["profiles_added"], 0, "{renamed}");
    assert_eq!(renamed["summary"]["profiles_removed"], 0, "{renamed}");
    assert_eq!(renamed["members"], serde_json::json!([]), "{renamed}");
    // At HEAD the rename alone is no change.
    let head = json(&rolecall(
        &["diff", "--base", "HEAD", "policies", "--format", "json"],
        Some(&repo),
    ));
    assert_eq!(head["summary"], renamed["summary"]);

    let bundle = rolecall(
        &["diff", "--base-path", "pol", "policies", "other"],
        Some(&repo),
    );
    assert_eq!(bundle.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bundle.stderr).contains("--base <REV>"),
        "{}",
        String::from_utf8_lossy(&bundle.stderr)
    );
}

#[test]
fn an_unknown_revision_in_a_shallow_clone_names_fetch_depth() {
    let (dir, repo) = renamed_repository();
    let shallow = dir.path().join("shallow");
    let source = format!("file://{}", repo.display());
    git(
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &source,
            &shallow.to_string_lossy(),
        ],
        dir.path(),
    );
    let output = rolecall(&["diff", "--base", "HEAD~1", "policies"], Some(&shallow));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unknown revision `HEAD~1`"), "{stderr}");
    assert!(
        stderr.contains("help: ") && stderr.contains("`fetch-depth: 0`"),
        "{stderr}"
    );
    assert!(stderr.contains("actions/checkout"), "{stderr}");
}
