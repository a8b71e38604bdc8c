//! `rolecall test` and `rolecall snapshot` on the command line: the shipped
//! example passes, a scripted break fails at the test's line, and the
//! committed snapshot is up to date until a real change.

use std::path::{Path, PathBuf};

use crate::common::{copy_dir, rolecall, stderr, stdout};

const EXAMPLE: &str = "policies/examples/apollo-acme";

/// A copy of the example in a temporary folder.
fn copy_of_example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join("apollo-acme");
    copy_dir(Path::new(EXAMPLE), &root);
    (dir, root)
}

/// Replaces `old` with `new` in `file`, which must contain it.
fn edit(file: &Path, old: &str, new: &str) {
    let text = std::fs::read_to_string(file).expect("a file");
    assert!(text.contains(old), "`{old}` is not in {}", file.display());
    std::fs::write(file, text.replacen(old, new, 1)).expect("written");
}

/// Sales Manager may now delete everyone's contacts, in the copy at `root`.
fn widen_sales_manager(root: &Path) {
    edit(
        &root.join("profiles/sales.perm"),
        "contacts.delete          = team",
        "contacts.delete          = all",
    );
}

/// The APAC members move to another team, in the copy at `root`.
fn move_apac_team(root: &Path) {
    edit(
        &root.join("members/apac.perm"),
        "team \"APAC\"",
        "team \"APAC-SG\"",
    );
}

/// `snapshot --check` and `--update` of the copy, run from its folder.
const SNAPSHOT_CHECK: [&str; 5] = [
    "snapshot",
    "--check",
    "apollo-acme",
    "-o",
    "apollo-acme/access.snap.yaml",
];
const SNAPSHOT_UPDATE: [&str; 5] = [
    "snapshot",
    "--update",
    "apollo-acme",
    "-o",
    "apollo-acme/access.snap.yaml",
];

#[test]
fn the_example_suite_passes() {
    let output = rolecall(&["test", EXAMPLE], None);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    let last = text.lines().last().unwrap_or_default();
    let (passed, rest) = last.split_once(" passed, ").expect("a summary line");
    assert_eq!(rest, "0 failed");
    assert!(passed.parse::<usize>().expect("a count") >= 10, "{text}");
}

#[test]
fn a_scripted_break_fails_at_the_tests_line() {
    let (_dir, root) = copy_of_example();
    widen_sales_manager(&root);
    let output = rolecall(&["test", "apollo-acme"], root.parent());
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let text = stdout(&output);
    let tests = std::fs::read_to_string(root.join("access.test.yaml")).expect("the tests");
    let line = tests
        .lines()
        .position(|l| l.trim() == "contacts.delete: team")
        .expect("the assertion")
        + 1;
    assert!(
        text.contains(&format!("[apollo-acme/access.test.yaml:{line}:7]")),
        "{text}"
    );
    assert!(text.contains("expected `team`, found `all`"), "{text}");
    assert!(
        text.contains("set by `Sales Manager` at profiles/sales.perm:"),
        "{text}"
    );
    assert!(
        text.trim_end().ends_with("failed") && !text.contains(" 0 failed"),
        "{text}"
    );

    let junit = rolecall(&["test", "apollo-acme", "--format", "junit"], root.parent());
    assert_eq!(junit.status.code(), Some(1));
    let xml = stdout(&junit);
    let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let failed: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .filter(|n| n.children().any(|c| c.has_tag_name("failure")))
        .filter_map(|n| n.attribute("name"))
        .collect();
    assert!(
        failed.contains(&"managers act on their team's records, never everyone's"),
        "{failed:?}"
    );
}

#[test]
fn filter_json_and_coverage_options() {
    let filtered = rolecall(
        &["test", EXAMPLE, "--filter", "agency", "--format", "json"],
        None,
    );
    assert_eq!(filtered.status.code(), Some(0), "{}", stderr(&filtered));
    let json: serde_json::Value = serde_json::from_slice(&filtered.stdout).expect("json");
    let names: Vec<&str> = json["files"][0]["tests"]
        .as_array()
        .expect("tests")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert!(
        !names.is_empty() && names.iter().all(|n| n.contains("agency")),
        "{names:?}"
    );
    assert_eq!(json["summary"]["passed"], names.len());

    let low = rolecall(&["test", EXAMPLE, "--min-coverage", "1"], None);
    assert_eq!(low.status.code(), Some(0), "{}", stdout(&low));
    assert!(stdout(&low).contains("coverage: "), "{}", stdout(&low));
    let high = rolecall(&["test", EXAMPLE, "--min-coverage", "90"], None);
    assert_eq!(high.status.code(), Some(1));
    assert!(
        stdout(&high).contains("is below the minimum of 90%"),
        "{}",
        stdout(&high)
    );
    let bad = rolecall(&["test", EXAMPLE, "--min-coverage", "120"], None);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn a_filter_that_selects_no_test_is_a_usage_error_with_a_suggestion() {
    // The filter is case-sensitive: `Agency` selects nothing, and a CI gate
    // must not turn green on zero tests.
    let wrong_case = rolecall(&["test", EXAMPLE, "--filter", "Agency"], None);
    assert_eq!(wrong_case.status.code(), Some(2), "{}", stdout(&wrong_case));
    assert!(stdout(&wrong_case).is_empty(), "{}", stdout(&wrong_case));
    let message = stderr(&wrong_case);
    assert!(
        message.contains("error: no test name contains `Agency` (`--filter` is case-sensitive)"),
        "{message}"
    );
    assert!(
        message.contains("help: did you mean `agency`?"),
        "{message}"
    );

    let misspelt = rolecall(
        &["test", EXAMPLE, "--filter", "agnecy", "--format", "json"],
        None,
    );
    assert_eq!(misspelt.status.code(), Some(2), "{}", stdout(&misspelt));
    assert!(stdout(&misspelt).is_empty(), "{}", stdout(&misspelt));
    assert!(
        stderr(&misspelt).contains("help: did you mean `agency`?"),
        "{}",
        stderr(&misspelt)
    );

    let unlike = rolecall(&["test", EXAMPLE, "--filter", "zzzzzzzz"], None);
    assert_eq!(unlike.status.code(), Some(2));
    assert!(
        stderr(&unlike).contains("`zzzzzzzz`") && !stderr(&unlike).contains("did you mean"),
        "{}",
        stderr(&unlike)
    );
}

#[test]
fn no_test_files_and_policy_errors_have_their_exit_codes() {
    let none = rolecall(&["test", "tests/inputs/fixtures/unknown-permission"], None);
    assert_eq!(none.status.code(), Some(2));
    assert!(stderr(&none).contains("no test files"), "{}", stderr(&none));

    let (_dir, root) = copy_of_example();
    edit(
        &root.join("profiles/sales.perm"),
        "contacts.delete          = team",
        "contacts.delet = team",
    );
    let broken = rolecall(&["test", "apollo-acme"], root.parent());
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        stdout(&broken).contains("rolecall::unknown-permission"),
        "{}",
        stdout(&broken)
    );
    let junit = rolecall(&["test", "apollo-acme", "--format", "junit"], root.parent());
    assert_eq!(junit.status.code(), Some(1));
    let xml = stdout(&junit);
    let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
    assert!(
        document.descendants().any(|n| n.has_tag_name("error")),
        "{xml}"
    );
    assert!(
        stderr(&junit).contains("rolecall::unknown-permission"),
        "{}",
        stderr(&junit)
    );
}

#[test]
fn junit_of_a_broken_set_holds_the_diagnostics_in_its_error() {
    let (_dir, root) = copy_of_example();
    edit(
        &root.join("profiles/sales.perm"),
        "contacts.delete          = team",
        "contacts.delet = team",
    );
    let junit = rolecall(&["test", "apollo-acme", "--format", "junit"], root.parent());
    assert_eq!(junit.status.code(), Some(1));
    let xml = stdout(&junit);
    let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let error = document
        .descendants()
        .find(|n| n.has_tag_name("error"))
        .expect("an error element");
    let text = error.text().unwrap_or_default();
    assert!(text.contains("rolecall::unknown-permission"), "{xml}");
    assert!(text.contains("contacts.delet"), "{xml}");
    assert!(text.contains("profiles/sales.perm"), "{xml}");
    assert!(!text.contains('\u{1b}'), "no colour codes: {xml}");
    assert!(
        error.attribute("message").is_some_and(|m| !m.is_empty()),
        "{xml}"
    );
}

#[test]
fn a_test_file_that_is_not_utf8_is_an_error_at_its_first_bad_byte() {
    let (dir, root) = copy_of_example();
    std::fs::write(
        root.join("broken.test.yaml"),
        b"tests:\n  - name: caf\xe9\n    who: admin\n    count: 3\n",
    )
    .expect("written");
    let output = rolecall(&["test", "apollo-acme"], Some(dir.path()));
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("rolecall::invalid-encoding"), "{text}");
    assert!(
        text.contains("the file is not valid UTF-8 (first bad byte at offset 20)"),
        "{text}"
    );
    assert!(
        text.contains("[apollo-acme/broken.test.yaml:2:14]"),
        "{text}"
    );
    // The other test files still run.
    assert!(
        text.ends_with("13 passed, 0 failed, 1 error in test files\n"),
        "{text}"
    );

    let json = rolecall(
        &["test", "apollo-acme", "--format", "json"],
        Some(dir.path()),
    );
    assert_eq!(json.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let broken = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["file"] == "apollo-acme/broken.test.yaml")
        .expect("the broken file");
    assert_eq!(broken["errors"][0]["rule"], "invalid-encoding");
    assert_eq!(broken["errors"][0]["line"], 2);
    assert_eq!(broken["tests"].as_array().map(Vec::len), Some(0));
}

#[test]
fn the_committed_snapshot_is_up_to_date() {
    let snapshot = format!("{EXAMPLE}/access.snap.yaml");
    let output = rolecall(&["snapshot", "--check", EXAMPLE, "-o", &snapshot], None);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let printed = rolecall(&["snapshot", EXAMPLE], None);
    let committed = std::fs::read_to_string(&snapshot).expect("the snapshot");
    assert_eq!(stdout(&printed), committed);
    assert!(!committed.contains(".perm"), "a snapshot names no file");
}

#[test]
fn snapshot_check_fails_after_a_real_change_and_update_accepts_it() {
    let (dir, root) = copy_of_example();
    let cwd = dir.path();
    let args = SNAPSHOT_CHECK;
    assert_eq!(rolecall(&args, Some(cwd)).status.code(), Some(0));
    widen_sales_manager(&root);
    let failed = rolecall(&args, Some(cwd));
    assert_eq!(failed.status.code(), Some(1));
    let text = stdout(&failed);
    insta::assert_snapshot!("snapshot_check_after_a_change", text);

    let before = std::fs::metadata(root.join("access.snap.yaml")).expect("the file");
    let update = SNAPSHOT_UPDATE;
    let updated = rolecall(&update, Some(cwd));
    assert_eq!(updated.status.code(), Some(0), "{}", stderr(&updated));
    assert_eq!(rolecall(&args, Some(cwd)).status.code(), Some(0));
    let text = std::fs::read_to_string(root.join("access.snap.yaml")).expect("the file");
    assert!(text.contains("Sales Manager:\n    extends:"), "{text}");
    // Written through a temporary file renamed over it: no leftover, same mode.
    let leftovers: Vec<_> = std::fs::read_dir(&root)
        .expect("a folder")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".rolecall-"))
        .collect();
    assert!(leftovers.is_empty());
    let after = std::fs::metadata(root.join("access.snap.yaml")).expect("the file");
    assert_eq!(before.permissions(), after.permissions());
}

/// The snapshot of the copy at `root` as a Windows checkout has it
/// (`core.autocrlf=true`), with a byte order mark in front.
fn crlf_with_bom(root: &Path) -> Vec<u8> {
    let file = root.join("access.snap.yaml");
    let text = std::fs::read_to_string(&file).expect("the snapshot");
    assert!(
        !text.contains('\r'),
        "the committed snapshot has LF endings"
    );
    let bytes = format!("\u{feff}{}", text.replace('\n', "\r\n")).into_bytes();
    std::fs::write(&file, &bytes).expect("written");
    bytes
}

#[test]
fn a_snapshot_differing_only_in_line_endings_and_bom_is_up_to_date() {
    let (dir, root) = copy_of_example();
    let cwd = dir.path();
    let bytes = crlf_with_bom(&root);
    let check = rolecall(&SNAPSHOT_CHECK, Some(cwd));
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(
        stdout(&check).contains("is up to date"),
        "{}",
        stdout(&check)
    );
    // `--update` has nothing to accept and leaves the checkout's bytes alone.
    let update = rolecall(&SNAPSHOT_UPDATE, Some(cwd));
    assert_eq!(update.status.code(), Some(0), "{}", stderr(&update));
    assert!(
        stderr(&update).contains("is up to date"),
        "{}",
        stderr(&update)
    );
    let file = root.join("access.snap.yaml");
    assert_eq!(std::fs::read(&file).expect("the file"), bytes);

    // A real change shows exactly as from an LF checkout: its lines, not all.
    let (lf_dir, lf_root) = copy_of_example();
    widen_sales_manager(&lf_root);
    widen_sales_manager(&root);
    let from_lf = rolecall(&SNAPSHOT_CHECK, Some(lf_dir.path()));
    let from_crlf = rolecall(&SNAPSHOT_CHECK, Some(cwd));
    assert_eq!(from_crlf.status.code(), Some(1));
    assert_eq!(stdout(&from_crlf), stdout(&from_lf));
}

#[test]
fn snapshot_of_a_broken_set_writes_nothing() {
    let (dir, root) = copy_of_example();
    let snapshot = root.join("access.snap.yaml");
    let before = std::fs::read(&snapshot).expect("the file");
    edit(
        &root.join("profiles/sales.perm"),
        "contacts.delete          = team",
        "contacts.delete = everyone",
    );
    let update = SNAPSHOT_UPDATE;
    let output = rolecall(&update, Some(dir.path()));
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(std::fs::read(&snapshot).expect("the file"), before);

    let missing = rolecall(
        &["snapshot", "--check", EXAMPLE, "-o", "nowhere/none.yaml"],
        None,
    );
    assert_eq!(missing.status.code(), Some(2));
    let no_file = rolecall(&["snapshot", "--check", EXAMPLE], None);
    assert_eq!(no_file.status.code(), Some(2));
}

#[test]
fn a_team_change_shows_as_changed_lines() {
    let (dir, root) = copy_of_example();
    move_apac_team(&root);
    let args = SNAPSHOT_CHECK;
    let output = rolecall(&args, Some(dir.path()));
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("no access changes"), "{text}");
    assert!(
        text.contains("-    team: APAC\n+    team: APAC-SG\n"),
        "{text}"
    );
}

#[test]
fn a_team_change_shows_beside_access_changes() {
    let (dir, root) = copy_of_example();
    move_apac_team(&root);
    widen_sales_manager(&root);
    let args = SNAPSHOT_CHECK;
    let output = rolecall(&args, Some(dir.path()));
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("Sales Manager   contacts.delete  team → all  widened"),
        "{text}"
    );
    assert!(
        text.contains("-    team: APAC\n+    team: APAC-SG\n"),
        "{text}"
    );
}

/// The output shown after `marker` in the README: the console block's
/// lines that are not commands, and the commands.
fn readme_block(readme: &str, marker: &str) -> (Vec<String>, String) {
    let start = readme.find(marker).expect("the example's marker");
    let block = &readme[start..];
    let block = &block[block.find("```console\n").expect("a console block") + 11..];
    let block = &block[..block.find("```\n").expect("the block's end")];
    let commands = block
        .lines()
        .filter_map(|l| l.strip_prefix("$ "))
        .map(str::to_owned)
        .collect();
    let output: String = block
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("$ "))
        .collect();
    (commands, output)
}

#[test]
fn the_readme_examples_are_what_test_and_snapshot_print() {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path().join(EXAMPLE);
    copy_dir(Path::new(EXAMPLE), &root);
    let (commands, shown) = readme_block(&readme, "<!-- test example:");
    assert_eq!(
        commands,
        [
            "sed -i 's/^  contacts.delete          = team$/  contacts.delete          = all/' policies/examples/apollo-acme/profiles/sales.perm",
            "rolecall test policies/examples/apollo-acme --filter managers",
        ]
    );
    assert!(
        readme.contains("$ rolecall test policies/examples/apollo-acme\n13 passed, 0 failed\n")
    );
    let passing = rolecall(&["test", EXAMPLE], Some(dir.path()));
    assert_eq!(stdout(&passing), "13 passed, 0 failed\n");
    edit(
        &root.join("profiles/sales.perm"),
        "\n  contacts.delete          = team\n",
        "\n  contacts.delete          = all\n",
    );
    let failing = rolecall(&["test", EXAMPLE, "--filter", "managers"], Some(dir.path()));
    assert_eq!(failing.status.code(), Some(1));
    assert_eq!(stdout(&failing), shown);
    let (commands, shown) = readme_block(&readme, "<!-- snapshot example:");
    let snapshot = format!("{EXAMPLE}/access.snap.yaml");
    assert_eq!(
        commands,
        [format!("rolecall snapshot --check {EXAMPLE} -o {snapshot}")]
    );
    let check = rolecall(
        &["snapshot", "--check", EXAMPLE, "-o", &snapshot],
        Some(dir.path()),
    );
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(stdout(&check), shown);
}
