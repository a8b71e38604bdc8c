//! The command line of the runtime targets: `build --target opa|cedar`
//! (same bytes every time, nothing written for a set with errors) and
//! `decide` (its exit codes, its output, never a panic).

use std::path::Path;

use crate::common::rolecall;

const ACME: &str = "policies/examples/apollo-acme";
const BROKEN: &str = "tests/inputs/fixtures/unknown-profile/misspelt-names";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

#[test]
fn the_opa_bundle_is_byte_identical_across_runs_and_folders() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = dir.path().join("acme.tar.gz");
    let second = dir.path().join("again.tar.gz");
    let output = rolecall(
        &["build", ACME, "--target", "opa", "-o", path(&first)],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("wrote `"));
    // The same set named through another path gives the same bytes.
    let other = format!("{ACME}/../apollo-acme/");
    let output = rolecall(
        &["build", &other, "--target", "opa", "-o", path(&second)],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let bytes = std::fs::read(&first).expect("written");
    assert_eq!(bytes, std::fs::read(&second).expect("written"));
    assert_eq!(bytes.get(..2), Some(&[0x1f, 0x8b][..]), "a gzip stream");
}

#[test]
fn the_cedar_files_are_written_into_a_new_folder_the_same_each_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("nested/cedar");
    let mut runs = Vec::new();
    for _ in 0..2 {
        let output = rolecall(
            &["build", ACME, "--target", "cedar", "-o", path(&out)],
            None,
        );
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .expect("a folder")
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["entities.json", "policies.cedar", "rolecall.cedarschema"]
        );
        let files: Vec<Vec<u8>> = names
            .iter()
            .map(|n| std::fs::read(out.join(n)).expect("readable"))
            .collect();
        runs.push(files);
    }
    assert_eq!(runs[0], runs[1]);
    // A file where the folder should be is an I/O error.
    let file = dir.path().join("file");
    std::fs::write(&file, "keep").expect("writable");
    let output = rolecall(
        &["build", ACME, "--target", "cedar", "-o", path(&file)],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("not a directory"));
    assert_eq!(std::fs::read_to_string(&file).ok().as_deref(), Some("keep"));
}

#[test]
fn a_set_with_errors_gets_no_target_output_and_old_output_stays() {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("old.tar.gz");
    std::fs::write(&archive, "old archive").expect("writable");
    let folder = dir.path().join("cedar");
    std::fs::create_dir(&folder).expect("a folder");
    std::fs::write(folder.join("entities.json"), "old entities").expect("writable");
    for (target, out) in [("opa", &archive), ("cedar", &folder)] {
        let output = rolecall(
            &["build", BROKEN, "--target", target, "-o", path(out)],
            None,
        );
        assert_eq!(output.status.code(), Some(1), "{target}");
        assert!(
            text(&output.stderr).contains("no bundle written"),
            "{target}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&archive).ok().as_deref(),
        Some("old archive")
    );
    let names: Vec<_> = std::fs::read_dir(&folder).expect("a folder").collect();
    assert_eq!(names.len(), 1, "nothing added to the Cedar folder");
    assert_eq!(
        std::fs::read_to_string(folder.join("entities.json"))
            .ok()
            .as_deref(),
        Some("old entities")
    );
}

#[test]
fn decide_exits_0_when_allowed_and_1_when_denied_with_the_reason() {
    let ask = |extra: &[&str]| {
        let mut args = vec!["decide", ACME, "--member", "dana.whitfield@acme.com"];
        args.extend_from_slice(extra);
        rolecall(&args, None)
    };
    let allowed = ask(&["--permission", "contacts.delete", "--team", "AMER"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", text(&allowed.stderr));
    insta::assert_snapshot!("decide_allowed", text(&allowed.stdout));
    let denied = ask(&["--permission", "contacts.delete", "--team", "EMEA"]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(text(&denied.stdout).starts_with("denied: "));
    let unknown = ask(&["--permission", "emails.visibilty", "--format", "json"]);
    assert_eq!(unknown.status.code(), Some(1));
    insta::assert_snapshot!("decide_unknown_permission_json", text(&unknown.stdout));
    let level = ask(&["--permission", "emails.visibility", "--level", "al"]);
    assert_eq!(level.status.code(), Some(1));
    insta::assert_snapshot!("decide_unknown_level", text(&level.stdout));
    let amount = ask(&["--permission", "mailbox.sending_limit", "--amount", "-5"]);
    assert_eq!(amount.status.code(), Some(1));
    assert!(text(&amount.stdout).contains("not a non-negative integer"));
}

#[test]
fn decide_reads_a_bundle_file_and_refuses_a_tampered_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bundle = dir.path().join("acme.json");
    let output = rolecall(&["build", ACME, "-o", path(&bundle)], None);
    assert_eq!(output.status.code(), Some(0));
    let args = |file: &Path| {
        rolecall(
            &[
                "decide",
                path(file),
                "--member",
                "holly.kim@acme.com",
                "--permission",
                "mailbox.sending_limit",
                "--amount",
                "300",
                "--format",
                "json",
            ],
            None,
        )
    };
    let output = args(&bundle);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    insta::assert_snapshot!("decide_from_bundle_json", text(&output.stdout));
    let tampered = dir.path().join("tampered.json");
    let edited = std::fs::read_to_string(&bundle).expect("readable").replace(
        "\"mailbox.sending_limit\": 300",
        "\"mailbox.sending_limit\": 3000",
    );
    std::fs::write(&tampered, edited).expect("writable");
    let output = args(&tampered);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("changed after it was built"));
}

#[test]
fn decide_never_panics_on_odd_requests() {
    let dir = tempfile::tempdir().expect("temp dir");
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, b"\xff{not json").expect("writable");
    let cases: [&[&str]; 8] = [
        &["decide", ACME, "--member", "", "--permission", ""],
        &[
            "decide",
            ACME,
            "--member",
            "a",
            "--permission",
            "b",
            "--amount",
            "1e400",
        ],
        &[
            "decide",
            ACME,
            "--member",
            "gabe.santos@acme.com",
            "--permission",
            "mailbox.sending_limit",
            "--amount",
            "99999999999999999999999",
        ],
        &[
            "decide",
            ACME,
            "--member",
            "gabe.santos@acme.com",
            "--permission",
            "contacts.delete",
            "--owner",
            "\u{7}",
            "--team",
            "",
        ],
        &[
            "decide",
            path(&garbage),
            "--member",
            "a",
            "--permission",
            "b",
        ],
        &["decide", BROKEN, "--member", "a", "--permission", "b"],
        &[
            "decide",
            "/no/such/path",
            "--member",
            "a",
            "--permission",
            "b",
        ],
        &["decide", ACME, "--member", "a"],
    ];
    for args in cases {
        let output = rolecall(args, None);
        let code = output.status.code();
        assert!(matches!(code, Some(1 | 2)), "{args:?}: exit {code:?}");
        assert!(!text(&output.stderr).contains("panicked"), "{args:?}");
    }
}
