//! Command-line behaviour: exit codes, formats, configuration errors.

use crate::common::{rolecall, stderr, stdout};

#[test]
fn the_shipped_examples_check_clean() {
    for example in [
        "policies/examples/apollo-acme",
        "policies/examples/amplemarket-team",
    ] {
        let output = rolecall(&["check", example], None);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{example}: {}",
            stdout(&output)
        );
        assert!(
            stdout(&output).contains("no problems"),
            "{}",
            stdout(&output)
        );
    }
}

#[test]
fn errors_exit_1_and_name_their_rule_in_human_and_json_output() {
    let case = "tests/inputs/fixtures/inheritance-cycle/across-files";
    let human = rolecall(&["check", case], None);
    assert_eq!(human.status.code(), Some(1));
    assert!(stdout(&human).contains("rolecall::inheritance-cycle"));
    let json = rolecall(&["check", case, "--format", "json"], None);
    assert_eq!(json.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid json");
    assert_eq!(report["diagnostics"][0]["rule"], "inheritance-cycle");
    assert_eq!(report["summary"]["errors"], 1);
    assert_eq!(report["summary"]["files"], 2);
}

#[test]
fn no_color_means_no_escape_codes_and_always_overrides_it() {
    let case = "tests/inputs/fixtures/unknown-permission/misspelt-id";
    assert!(!stdout(&rolecall(&["check", case], None)).contains('\u{1b}'));
    let forced = rolecall(&["check", case, "--color", "always"], None);
    assert!(stdout(&forced).contains('\u{1b}'));
}

#[test]
fn usage_and_io_errors_exit_2() {
    let missing = rolecall(&["check", "no/such/dir"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("cannot read `no/such/dir`"),
        "{}",
        stderr(&missing)
    );

    let bad_flag = rolecall(&["check", "--format", "xml"], None);
    assert_eq!(bad_flag.status.code(), Some(2));

    let dir = tempfile::tempdir().expect("temp dir");
    let empty = rolecall(&["check", "."], Some(dir.path()));
    assert_eq!(empty.status.code(), Some(2));
    assert!(
        stderr(&empty).contains("no policy files"),
        "{}",
        stderr(&empty)
    );
}

#[test]
fn unknown_configuration_keys_are_reported_with_their_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("rolecall.yaml"),
        "platform: apollo\nplann: basic\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("a.perm"), "member \"a@x.com\"\n").expect("write");
    let output = rolecall(&["check", "."], Some(dir.path()));
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("unknown key `plann`"), "{err}");
    assert!(err.contains("rolecall.yaml:2:1"), "{err}");
}

#[test]
fn configuration_supplies_the_platform_and_can_be_given_explicitly() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("team.yaml"), "platform: amplemarket\n").expect("write");
    std::fs::write(
        dir.path().join("a.perm"),
        "member \"a@x.com\" profile \"Sales Rep\"\n",
    )
    .expect("write");
    let without = rolecall(&["check", "."], Some(dir.path()));
    assert_eq!(without.status.code(), Some(1));
    assert!(stdout(&without).contains("missing-platform"));
    let with = rolecall(&["check", ".", "--config", "team.yaml"], Some(dir.path()));
    assert_eq!(with.status.code(), Some(0), "{}", stdout(&with));
}

#[test]
fn a_custom_catalog_defines_a_platform() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::write(
        root.join("rolecall.yaml"),
        "platform: dialer\ncatalog: catalog/dialer.yaml\n",
    )
    .expect("write");
    std::fs::create_dir(root.join("catalog")).expect("mkdir");
    std::fs::write(
        root.join("catalog/dialer.yaml"),
        "platform: dialer\ncustom_profiles: true\ndefault_profile: Agent\nprelude: prelude.perm\npermissions:\n  - id: calls.listen\n    kind: toggle\n    levels: [deny, allow]\n    default: deny\n",
    )
    .expect("write");
    std::fs::write(root.join("catalog/prelude.perm"), "profile \"Agent\" {}\n").expect("write");
    std::fs::write(
        root.join("team.perm"),
        "profile \"Coach\" extends \"Agent\" {\n  calls.listen = allow\n}\nmember \"a@x.com\" profile \"Coach\"\nmember \"b@x.com\"\n",
    )
    .expect("write");
    let output = rolecall(&["check", "."], Some(root));
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );

    std::fs::write(
        root.join("team.perm"),
        "profile \"Coach\" extends \"Agent\" {\n  calls.lisen = allow\n}\n",
    )
    .expect("write");
    let output = rolecall(&["check", "."], Some(root));
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("did you mean `calls.listen`?"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn garbage_input_never_panics() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs: [&[u8]; 7] = [
        b"\xff\xfe\x00garbage",
        b"platform apollo\nprofile \"unterminated",
        b"platform apollo\n\0\0\0",
        b"}}}}{{{{",
        b"platform apollo\nprofile \"A\" extends \"A\" { x.y = 99999999999999999999999999 }",
        b"\xEF\xBB\xBFplatform apollo\r\nmember \"a\" team \"b\" team \"c\"\r\n",
        b"",
    ];
    for (i, input) in inputs.iter().enumerate() {
        let path = dir.path().join(format!("case{i}.perm"));
        std::fs::write(&path, input).expect("write");
        let output = rolecall(&["check", path.to_str().expect("utf-8 path")], None);
        let code = output.status.code();
        assert!(
            matches!(code, Some(1)),
            "case {i}: exit {code:?}\n{}{}",
            stdout(&output),
            stderr(&output)
        );
        assert!(!stderr(&output).contains("panicked"), "case {i}");
    }
}

#[test]
fn help_lists_the_check_command() {
    let output = rolecall(&["--help"], None);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("check"));
}

#[test]
fn load_and_configuration_errors_are_reports_in_every_machine_format() {
    for (case, rule) in [
        ("tests/inputs/fixtures/config/unknown-key", "config"),
        ("tests/inputs/fixtures/load/no-policy-files", "load"),
    ] {
        for format in ["json", "sarif", "github"] {
            let output = rolecall(&["check", case, "--format", format], None);
            assert_eq!(output.status.code(), Some(2), "{case} {format}");
            // People still read the error on stderr.
            assert!(stderr(&output).contains("error") || stderr(&output).contains("×"));
            let name = format!("load_error_{rule}_{format}");
            match format {
                "github" => {
                    assert!(
                        stdout(&output).starts_with("::error "),
                        "{}",
                        stdout(&output)
                    );
                    insta::assert_snapshot!(name, stdout(&output));
                }
                _ => {
                    let report: serde_json::Value =
                        serde_json::from_slice(&output.stdout).expect("valid json");
                    // Sorted here: whether a parsed object keeps its order
                    // depends on serde_json's features in the test build.
                    insta::with_settings!({sort_maps => true}, {
                        insta::assert_json_snapshot!(name, report);
                    });
                }
            }
        }
    }
}
