//! `rolecall diff` when the old side has errors: the diff that repairs a
//! broken base still runs, comparing what resolved on both sides, and says
//! that the old side was partial.

use std::path::Path;

use crate::common::{rolecall, stderr, stdout};

const HEAD: &str = "platform apollo\nplan organization\n\n";

/// `Rep` widens; `Broken` has an unknown permission on the old side only.
fn sides(dir: &Path) {
    let old = format!(
        "{HEAD}profile \"Rep\" extends \"Non-admin\" {{\n  calendar.visibility = team\n}}\nprofile \"Broken\" extends \"Non-admin\" {{\n  calendar.visiblity = team\n}}\nprofile \"Child\" extends \"Broken\" {{\n}}\nmember \"a@x.test\" profile \"Admin\"\nmember \"b@x.test\" profile \"Admin\"\nmember \"r@x.test\" profile \"Rep\"\nmember \"k@x.test\" profile \"Broken\"\nmember \"c@x.test\" profile \"Child\"\n"
    );
    let new = old
        .replace("calendar.visibility = team", "calendar.visibility = all")
        .replace("calendar.visiblity = team", "calendar.visibility = all");
    for (side, text) in [("old", old), ("new", new)] {
        std::fs::create_dir_all(dir.join(side)).expect("mkdir");
        std::fs::write(dir.join(side).join("org.perm"), text).expect("written");
    }
}

#[test]
fn an_old_side_with_errors_compares_what_resolved() {
    let dir = tempfile::tempdir().expect("temp dir");
    sides(dir.path());
    let human = rolecall(
        &["diff", "old", "new", "--color", "never"],
        Some(dir.path()),
    );
    let (out, err) = (stdout(&human), stderr(&human));
    assert_eq!(human.status.code(), Some(0), "{out}\n{err}");
    // The old side's errors, as warnings of that side.
    assert!(
        err.contains("warning: the old side (`old`) has 1 error"),
        "{err}"
    );
    assert!(err.contains("rolecall::unknown-permission"), "{err}");
    // The top says the comparison is partial and what it leaves out.
    let second = out.lines().nth(1).unwrap_or_default();
    assert!(
        second.starts_with("the old side is partial (1 error): left out 2 profiles (Broken, Child) and 2 members (c@x.test, k@x.test)"),
        "{out}"
    );
    assert!(
        out.contains("Rep  calendar.visibility  team → all  widened"),
        "{out}"
    );
    assert!(!out.contains("added profile"), "{out}");
    assert!(
        !out.contains("k@x.test") || second.contains("k@x.test"),
        "{out}"
    );

    let json = rolecall(
        &["diff", "old", "new", "--format", "json"],
        Some(dir.path()),
    );
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(value["old_partial"]["errors"], 1, "{value}");
    assert_eq!(
        value["old_partial"]["profiles"],
        serde_json::json!(["Broken", "Child"])
    );
    assert_eq!(
        value["old_partial"]["members"],
        serde_json::json!(["c@x.test", "k@x.test"])
    );
    assert_eq!(value["summary"]["profiles_changed"], 1, "{value}");
    assert_eq!(value["summary"]["profiles_added"], 0, "{value}");

    let markdown = rolecall(
        &["diff", "old", "new", "--format", "markdown"],
        Some(dir.path()),
    );
    assert_eq!(markdown.status.code(), Some(0));
    let text = stdout(&markdown);
    assert!(
        text.lines()
            .nth(2)
            .is_some_and(|l| l.contains("old side is partial")),
        "{text}"
    );

    // The gate decides as for a clean old side.
    let gate = rolecall(
        &["diff", "old", "new", "--fail-on", "widened"],
        Some(dir.path()),
    );
    assert_eq!(gate.status.code(), Some(1));
    let any = rolecall(
        &["diff", "new", "new", "--fail-on", "any"],
        Some(dir.path()),
    );
    assert_eq!(any.status.code(), Some(0));
}

#[test]
fn an_old_side_of_which_nothing_resolved_still_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    sides(dir.path());
    std::fs::write(dir.path().join("old/org.perm"), "platform nowhere\n").expect("written");
    let output = rolecall(&["diff", "old", "new"], Some(dir.path()));
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    assert!(stdout(&output).contains("has errors, so nothing is compared"));
}
