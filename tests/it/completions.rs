//! `rolecall completions SHELL` and `rolecall man`.

use crate::common;

/// The exit code and standard output of a run.
fn rolecall(args: &[&str]) -> (i32, String) {
    let output = common::rolecall(args, None);
    (output.status.code().unwrap_or(-1), common::stdout(&output))
}

#[test]
fn every_shell_gets_a_script_that_knows_the_subcommands_and_their_options() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let (code, script) = rolecall(&["completions", shell]);
        assert_eq!(code, 0, "{shell}");
        assert!(script.len() > 1000, "{shell}: {} bytes", script.len());
        for word in [
            "check",
            "build",
            "explain",
            "init",
            "completions",
            "--write-baseline",
            "--platform",
        ] {
            assert!(script.contains(word), "{shell}: no `{word}`");
        }
    }
    let (code, _) = rolecall(&["completions", "tcsh"]);
    assert_eq!(code, 2);
}

#[test]
fn the_manual_lists_the_subcommands_and_each_has_a_page() {
    let (code, page) = rolecall(&["man"]);
    assert_eq!(code, 0);
    assert!(page.contains(".TH rolecall 1"), "{page}");
    for sub in ["check", "build", "init", "schema"] {
        assert!(page.contains(&format!("rolecall\\-{sub}(1)")), "no `{sub}`");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("man1");
    let out_text = out.to_string_lossy().into_owned();
    let (code, _) = rolecall(&["man", "--out-dir", &out_text]);
    assert_eq!(code, 0);
    let check =
        std::fs::read_to_string(out.join("rolecall-check.1")).expect("a page per subcommand");
    assert!(check.contains(".TH rolecall-check 1"), "{check}");
    assert!(check.contains("baseline"), "{check}");
    assert!(out.join("rolecall.1").is_file());
}
