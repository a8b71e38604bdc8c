//! `rolecall diff` on the scripted before/after pairs of `tests/diff/<case>/`:
//! snapshots of the three formats, the JSON shape of docs/diff.md, "Formats", bundles
//! against paths, the gate and the error cases. The `--base` cases are in
//! `tests/diff_git.rs`.

use std::path::Path;

use serde_json::Value;

use crate::common::{rolecall, stderr, stdout};

const CASES: [&str; 6] = [
    "becomes-admin",
    "member-moved",
    "narrowed",
    "parent-widened",
    "profile-added-removed",
    "reformat-move",
];

fn case(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/inputs/diff")
        .join(name)
}

/// `diff old new` in the case's folder, in `format`; exit code and output.
fn diff(name: &str, format: &str) -> (i32, String) {
    let output = rolecall(
        &["diff", "old", "new", "--format", format],
        Some(&case(name)),
    );
    assert!(stderr(&output).is_empty(), "{name}: {}", stderr(&output));
    (output.status.code().unwrap_or(-1), stdout(&output))
}

fn json(name: &str) -> Value {
    let (code, text) = diff(name, "json");
    assert_eq!(code, 0, "{name}");
    assert_shape(&text);
    serde_json::from_str(&text).expect("valid json")
}

/// The text with every `sha256:` digest replaced, so that snapshots do not
/// move with the bundle's encoding.
fn redacted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("sha256:") {
        out.push_str(&rest[..at]);
        out.push_str("sha256:[revision]");
        let digest = &rest[at + 7..];
        let len = digest.chars().take_while(char::is_ascii_hexdigit).count();
        rest = &digest[len..];
    }
    out.push_str(rest);
    out
}

fn snapshots(name: &str) {
    for format in ["human", "markdown", "json"] {
        let (code, text) = diff(name, format);
        assert_eq!(code, 0, "{name} {format}");
        insta::assert_snapshot!(format!("{name}-{format}"), redacted(&text));
    }
}

/// The JSON document has exactly the shape of docs/diff.md, "Formats".
fn assert_shape(text: &str) {
    let top: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("  \"")?.split('"').next())
        .filter(|_| true)
        .collect();
    let value: Value = serde_json::from_str(text).expect("valid json");
    let keys = [
        "format", "platform", "old", "new", "profiles", "members", "admins", "findings", "summary",
    ];
    assert_eq!(top, keys, "top-level keys in order");
    assert_eq!(value["format"], "rolecall.diff/v1");
    for side in ["old", "new"] {
        let revision = value[side]["revision"].as_str().expect("a revision");
        assert!(
            revision.starts_with("sha256:") && revision.len() == 71,
            "{revision}"
        );
        assert!(value[side]["label"].is_string());
    }
    let profiles = value["profiles"].as_array().expect("profiles");
    let names: Vec<&str> = profiles
        .iter()
        .filter_map(|p| p["profile"].as_str())
        .collect();
    assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
    for profile in profiles {
        keys_are(
            profile,
            &[
                "admin_equivalent",
                "changes",
                "members",
                "profile",
                "status",
            ],
        );
        assert!(
            ["added", "removed", "changed"].contains(&profile["status"].as_str().unwrap_or(""))
        );
        assert!(profile["members"].is_u64());
        keys_are(&profile["admin_equivalent"], &["new", "old"]);
        changes(&profile["changes"], true);
    }
    let members = value["members"].as_array().expect("members");
    let ids: Vec<&str> = members
        .iter()
        .filter_map(|m| m["member"].as_str())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    for member in members {
        keys_are(
            member,
            &["changes", "member", "new_profile", "old_profile", "status"],
        );
        changes(&member["changes"], false);
    }
    keys_are(&value["admins"], &["new", "old"]);
    keys_are(&value["findings"], &["introduced", "resolved"]);
    for finding in value["findings"]["introduced"]
        .as_array()
        .into_iter()
        .chain(value["findings"]["resolved"].as_array())
        .flatten()
    {
        for key in [
            "rule",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "labels",
        ] {
            assert!(finding.get(key).is_some(), "{key} in {finding}");
        }
    }
    let summary = [
        "members_affected",
        "narrowed",
        "profiles_added",
        "profiles_changed",
        "profiles_removed",
        "risky",
        "widened",
    ];
    keys_are(&value["summary"], &summary);
    for (status, key) in [
        ("added", "profiles_added"),
        ("removed", "profiles_removed"),
        ("changed", "profiles_changed"),
    ] {
        let n = profiles.iter().filter(|p| p["status"] == status).count();
        assert_eq!(value["summary"][key], n, "{key}");
    }
}

/// The object's keys are exactly `keys` (in any order: a parsed `Value`
/// keeps them sorted or in written order, depending on serde_json's
/// features in the build).
fn keys_are(value: &Value, keys: &[&str]) {
    let mut found: Vec<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    found.sort_unstable();
    let mut keys = keys.to_vec();
    keys.sort_unstable();
    assert_eq!(found, keys, "{value}");
}

fn changes(list: &Value, with_cause: bool) {
    let list = list.as_array().expect("changes");
    let ids: Vec<&str> = list
        .iter()
        .filter_map(|c| c["permission"].as_str())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    for change in list {
        let mut keys = vec!["direction", "new", "old", "permission", "risky"];
        if with_cause {
            keys.insert(0, "cause");
        }
        keys_are(change, &keys);
        assert!(change["direction"] == "widened" || change["direction"] == "narrowed");
        assert!(change["risky"].is_boolean());
        let cause = &change["cause"];
        if with_cause && !cause.is_null() {
            assert!(
                cause["profile"].is_string() || cause["profile"].is_null(),
                "{cause}"
            );
            assert_eq!(
                cause.get("file").is_some(),
                cause.get("line").is_some(),
                "{cause}"
            );
        }
    }
}

#[test]
fn a_widened_parent_reaches_its_descendants_grouped_by_cause() {
    snapshots("parent-widened");
    let value = json("parent-widened");
    let names: Vec<&str> = value["profiles"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["profile"].as_str())
        .collect();
    assert_eq!(
        names,
        ["Account Executive", "Sales Director", "Sales Manager"]
    );
    let director = &value["profiles"][1]["changes"][0];
    assert_eq!(director["permission"], "contacts.assign_owner");
    assert_eq!(
        director["cause"],
        serde_json::json!({"profile": "Account Executive", "file": "profiles.perm", "line": 6, "via": "Sales Manager"})
    );
    let (_, human) = diff("parent-widened", "human");
    assert_eq!(
        human
            .matches("set by Account Executive at profiles.perm:6")
            .count(),
        1,
        "{human}"
    );
}

#[test]
fn via_is_said_only_when_it_names_another_profile_than_the_cause() {
    // Sales Manager inherits from Account Executive, which sets the value:
    // "via Account Executive" would name the cause twice. Sales Director
    // inherits it through Sales Manager, which is worth saying.
    let (_, human) = diff("parent-widened", "human");
    let (_, markdown) = diff("parent-widened", "markdown");
    assert!(!human.contains("via Account Executive"), "{human}");
    assert!(human.contains("via Sales Manager"), "{human}");
    assert!(!markdown.contains("via `Account Executive`"), "{markdown}");
    assert!(markdown.contains("via `Sales Manager`"), "{markdown}");
    assert!(human.contains("  Sales Director     contacts.assign_owner  own → team  widened  via Sales Manager  (1 member)"), "{human}");
    // The JSON keeps `via`, the direct parent, as DIFF.md defines it.
    let value = json("parent-widened");
    assert_eq!(
        value["profiles"][2]["changes"][0]["cause"]["via"],
        "Account Executive"
    );
}

#[test]
fn a_narrowing_is_reported_as_narrowed_with_its_new_cause() {
    snapshots("narrowed");
    let value = json("narrowed");
    assert_eq!(value["summary"]["widened"], 0);
    assert_eq!(value["summary"]["narrowed"], 4);
}

#[test]
fn a_moved_member_lists_what_it_gains() {
    snapshots("member-moved");
    let value = json("member-moved");
    assert_eq!(value["profiles"], serde_json::json!([]));
    assert_eq!(value["members"][0]["member"], "cy@acme.com");
    assert_eq!(value["members"][0]["new_profile"], "Sales Manager");
    assert_eq!(value["members"][1]["changes"][0]["new"], 300);
}

#[test]
fn added_and_removed_profiles_list_what_differs_from_the_default() {
    snapshots("profile-added-removed");
    let value = json("profile-added-removed");
    let statuses: Vec<&str> = value["profiles"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["status"].as_str())
        .collect();
    assert_eq!(statuses, ["added", "removed"]);
    assert_eq!(
        value["profiles"][1]["members"], 2,
        "the old side's holders of a removed profile"
    );
    assert_eq!(value["profiles"][1]["changes"][0]["new"], Value::Null);
    assert_eq!(
        value["findings"]["introduced"][0]["rule"],
        "redundant-setting"
    );
}

#[test]
fn turning_admin_equivalent_is_called_out_first_and_risky() {
    snapshots("becomes-admin");
    let value = json("becomes-admin");
    assert_eq!(
        value["profiles"][0]["admin_equivalent"],
        serde_json::json!({"old": false, "new": true})
    );
    assert_eq!(value["admins"], serde_json::json!({"old": 2, "new": 3}));
    assert_eq!(value["summary"]["risky"], 2);
    let (_, human) = diff("becomes-admin", "human");
    let first = human.lines().nth(2).unwrap_or_default();
    assert_eq!(first, "admin-equivalent", "{human}");
    let (_, markdown) = diff("becomes-admin", "markdown");
    assert!(
        markdown
            .lines()
            .next()
            .unwrap_or_default()
            .contains(":warning: **risky changes**: 2 widened"),
        "{markdown}"
    );
}

#[test]
fn a_reformat_and_move_changes_no_access() {
    snapshots("reformat-move");
    let value = json("reformat-move");
    assert_eq!(value["profiles"], serde_json::json!([]));
    assert_eq!(value["members"], serde_json::json!([]));
    assert_eq!(
        value["findings"],
        serde_json::json!({"introduced": [], "resolved": []})
    );
    for format in ["human", "markdown"] {
        assert!(
            diff("reformat-move", format)
                .1
                .contains("no access changes")
        );
    }
}

#[test]
fn bundles_compare_exactly_like_their_policy_sets() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in CASES {
        let cwd = case(name);
        let [old, new] = ["old", "new"].map(|side| {
            let out = dir.path().join(format!("{name}-{side}.json"));
            let out = out.to_string_lossy().into_owned();
            let built = rolecall(&["build", side, "-o", &out], Some(&cwd));
            assert_eq!(built.status.code(), Some(0), "{}", stdout(&built));
            out
        });
        let by_path = json(name);
        let output = rolecall(&["diff", &old, &new, "--format", "json"], Some(&cwd));
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert_shape(&stdout(&output));
        let by_bundle: Value = serde_json::from_slice(&output.stdout).expect("json");
        for key in ["platform", "profiles", "members", "admins", "summary"] {
            assert_eq!(by_bundle[key], by_path[key], "{name}: {key}");
        }
        for side in ["old", "new"] {
            assert_eq!(
                by_bundle[side]["revision"], by_path[side]["revision"],
                "{name}"
            );
        }
        assert_eq!(
            by_bundle["findings"],
            serde_json::json!({"introduced": [], "resolved": []})
        );
        // A bundle against a path compares the same too.
        let mixed = rolecall(&["diff", &old, "new", "--format", "json"], Some(&cwd));
        let mixed: Value = serde_json::from_slice(&mixed.stdout).expect("json");
        assert_eq!(mixed["profiles"], by_path["profiles"], "{name}");
    }
}

#[test]
fn the_gate_fails_on_what_it_is_asked_to() {
    for (name, fail_on, code) in [
        ("parent-widened", "widened", 1),
        ("parent-widened", "risky", 0),
        ("narrowed", "widened", 0),
        ("narrowed", "any", 1),
        ("becomes-admin", "risky", 1),
        ("member-moved", "widened", 1),
        ("reformat-move", "any", 0),
    ] {
        let output = rolecall(
            &["diff", "old", "new", "--fail-on", fail_on],
            Some(&case(name)),
        );
        assert_eq!(
            output.status.code(),
            Some(code),
            "{name} --fail-on {fail_on}"
        );
    }
}

#[test]
fn colour_follows_the_option_and_no_color() {
    let cwd = case("becomes-admin");
    assert!(!stdout(&rolecall(&["diff", "old", "new"], Some(&cwd))).contains('\u{1b}'));
    let forced = rolecall(&["diff", "old", "new", "--color", "always"], Some(&cwd));
    assert!(stdout(&forced).contains("\u{1b}[1;31mrisky"));
    let markdown = rolecall(
        &[
            "diff", "old", "new", "--color", "always", "--format", "markdown",
        ],
        Some(&cwd),
    );
    assert!(!stdout(&markdown).contains('\u{1b}'));
}

#[test]
fn errors_name_their_side_and_exit_as_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp dir");
    let broken = dir.path().join("broken");
    std::fs::create_dir(&broken).expect("mkdir");
    std::fs::write(broken.join("a.perm"), "platform apollo\nplan organization\nprofile \"X\" extends \"Non-admin\" {\n  emails.visiblity = all\n}\n").expect("write");
    let broken = broken.to_string_lossy().into_owned();
    let cwd = case("narrowed");
    for format in ["human", "markdown", "json"] {
        let output = rolecall(&["diff", "old", &broken, "--format", format], Some(&cwd));
        assert_eq!(output.status.code(), Some(1), "{format}");
        let text = stdout(&output);
        assert!(text.contains("unknown-permission"), "{text}");
        assert!(
            text.contains("new side") || text.contains("\"new\""),
            "{text}"
        );
    }
    let amplemarket = root.join("policies/examples/amplemarket-team");
    let mismatch = rolecall(&["diff", "old", &amplemarket.to_string_lossy()], Some(&cwd));
    assert_eq!(mismatch.status.code(), Some(1));
    assert!(
        stderr(&mismatch).contains("only sets of one platform can be compared"),
        "{}",
        stderr(&mismatch)
    );

    let bundle = dir.path().join("old.json");
    let bundle_arg = bundle.to_string_lossy().into_owned();
    assert_eq!(
        rolecall(&["build", "old", "-o", &bundle_arg], Some(&cwd))
            .status
            .code(),
        Some(0)
    );
    let text = std::fs::read_to_string(&bundle).expect("the bundle");
    std::fs::write(&bundle, text.replacen(": \"own\"", ": \"all\"", 1)).expect("write");
    let corrupt = rolecall(&["diff", &bundle_arg, "new"], Some(&cwd));
    assert_eq!(corrupt.status.code(), Some(2));
    let message = stderr(&corrupt);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("changed after it was built"), "{message}");
    std::fs::write(&bundle, "{\"format\": 1").expect("write");
    let garbage = rolecall(&["diff", &bundle_arg, "new"], Some(&cwd));
    assert_eq!(garbage.status.code(), Some(2));
    assert!(
        stderr(&garbage).contains("not a rolecall bundle"),
        "{}",
        stderr(&garbage)
    );

    let missing = rolecall(&["diff", "old", "no/such/dir"], Some(&cwd));
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("new side"),
        "{}",
        stderr(&missing)
    );
    let one = rolecall(&["diff", "old"], Some(&cwd));
    assert_eq!(one.status.code(), Some(2));
    assert!(stderr(&one).contains("takes two sides"), "{}", stderr(&one));
}
