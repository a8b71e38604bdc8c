//! The policy-set generator of the benchmarks (`examples/generate`): its sets
//! check clean, are already formatted, and depend on the arguments only.

use crate::common;
#[path = "../../examples/generate/policy_set/mod.rs"]
pub mod policy_set;

use std::path::Path;
use std::process::Output;

use policy_set::{Options, Platform};

/// `rolecall ARGS DIR`.
fn rolecall(args: &[&str], dir: &Path) -> Output {
    let dir = dir.to_str().expect("a UTF-8 path");
    common::rolecall(&[args, &[dir]].concat(), None)
}

fn write(files: &[policy_set::File]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for file in files {
        let path = dir.path().join(&file.path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("directories");
        std::fs::write(&path, &file.text).expect("written");
    }
    dir
}

pub(crate) fn apollo(profiles: usize, members: usize, seed: u64) -> Options {
    Options {
        platform: Platform::Apollo,
        profiles,
        members,
        seed,
    }
}

#[test]
fn a_generated_set_checks_without_any_diagnostic_and_is_formatted() {
    for options in [
        apollo(200, 50, 7),
        apollo(120, 6, 3),
        apollo(60, 0, 4),
        Options {
            platform: Platform::Amplemarket,
            profiles: 0,
            members: 80,
            seed: 5,
        },
    ] {
        let files = policy_set::generate(&options).expect("generated");
        let dir = write(&files);
        let check = rolecall(&["check"], dir.path());
        let report = String::from_utf8_lossy(&check.stdout);
        assert_eq!(check.status.code(), Some(0), "{options:?}: {report}");
        let summary = format!(
            "({} profiles, {} members): no problems",
            options.profiles, options.members
        );
        assert!(report.contains(&summary), "{options:?}: {report}");
        let fmt = rolecall(&["fmt", "--check"], dir.path());
        assert_eq!(
            fmt.status.code(),
            Some(0),
            "{options:?}: {}",
            String::from_utf8_lossy(&fmt.stdout)
        );
    }
}

#[test]
fn a_generated_set_has_the_promised_shape() {
    let files = policy_set::generate(&apollo(200, 50, 7)).expect("generated");
    let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        names,
        [
            "rolecall.yaml",
            "org.perm",
            "profiles/profiles-00001.perm",
            "profiles/profiles-00002.perm",
            "profiles/profiles-00003.perm",
            "profiles/profiles-00004.perm",
            "members/members-00001.perm",
        ]
    );
    let text: String = files.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(text.matches("\nprofile \"").count(), 200);
    assert_eq!(text.matches("\nmember \"").count(), 50);
    for rule in ["risky-grant", "unused-profile"] {
        assert!(
            text.contains(&format!("# rolecall: allow({rule}) \"")),
            "no suppression of {rule}"
        );
    }
}

#[test]
fn the_same_arguments_give_the_same_bytes_and_another_seed_other_ones() {
    let first = policy_set::generate(&apollo(200, 50, 7)).expect("generated");
    let again = policy_set::generate(&apollo(200, 50, 7)).expect("generated");
    assert_eq!(first, again);
    let other = policy_set::generate(&apollo(200, 50, 8)).expect("generated");
    assert_ne!(first, other);
}

#[test]
fn amplemarket_sets_have_no_custom_profiles() {
    let options = Options {
        platform: Platform::Amplemarket,
        profiles: 10,
        members: 10,
        seed: 1,
    };
    let error = policy_set::generate(&options).expect_err("refused");
    assert!(error.contains("--profiles must be 0"), "{error}");
}
