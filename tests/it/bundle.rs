//! The compiled bundle of the examples, its schema, its reader, and
//! `explain`: snapshots and properties.

use crate::common;

use std::path::PathBuf;

use rolecall::backend::{Bundle, ReadError, Value};

const EXAMPLES: [&str; 2] = ["apollo-acme", "amplemarket-team"];

fn example(name: &str) -> PathBuf {
    PathBuf::from("policies/examples").join(name)
}

fn bundle_of(name: &str) -> Bundle {
    match rolecall::build_paths(&[example(name)], None) {
        Ok(bundle) => bundle,
        Err(error) => panic!("the `{name}` example does not build: {error}"),
    }
}

/// The exit code and standard output of a run, which must be UTF-8.
fn rolecall(args: &[&str]) -> (i32, String) {
    let output = common::rolecall(args, None);
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    (output.status.code().unwrap_or(-1), stdout)
}

#[test]
fn example_bundles_match_their_snapshots() {
    for name in EXAMPLES {
        let bundle = bundle_of(name);
        insta::assert_json_snapshot!(format!("bundle_{name}"), bundle);
    }
}

#[test]
fn bundles_list_every_permission_of_every_profile_with_provenance() {
    let bundle = bundle_of("apollo-acme");
    let catalog = rolecall::catalog::builtin("apollo").expect("built-in catalog");
    assert_eq!(
        bundle.catalog_digest,
        rolecall::backend::sha256(catalog.source.as_bytes())
    );
    for (name, profile) in &bundle.profiles {
        assert_eq!(profile.permissions.len(), catalog.len(), "{name}");
        assert_eq!(profile.provenance.len(), catalog.len(), "{name}");
    }
    let builtin: Vec<&str> = bundle
        .profiles
        .iter()
        .filter(|(_, p)| p.builtin)
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(
        builtin,
        [
            "Admin",
            "Billing and Seat Manager",
            "Call Assistant",
            "Non-admin"
        ]
    );
    let text = bundle.to_json();
    assert!(
        text.contains(r#""file": "profiles/sales.perm""#),
        "paths are relative to the root"
    );
    assert!(text.contains(r#""file": "prelude:apollo""#));
    assert!(!text.contains('\\'), "no backslashes in file names");
}

#[test]
fn the_bundle_json_has_sorted_keys() {
    fn check(value: &serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                let keys: Vec<&String> = map.keys().collect();
                let mut sorted = keys.clone();
                sorted.sort();
                assert_eq!(keys, sorted);
                map.values().for_each(check);
            }
            serde_json::Value::Array(items) => items.iter().for_each(check),
            _ => {}
        }
    }
    for name in EXAMPLES {
        let text = bundle_of(name).to_json();
        // Parse into a map that keeps the written order of keys.
        let parsed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        check(&parsed);
        let keys: Vec<usize> = [
            "\"catalog_digest\"",
            "\"format\"",
            "\"members\"",
            "\"waivers\"",
        ]
        .iter()
        .map(|k| text.find(k).expect("top-level key"))
        .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{name}: {keys:?}");
    }
}

#[test]
fn example_bundles_validate_against_the_printed_schema() {
    let (code, schema) = rolecall(&["schema"]);
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&schema).expect("schema is JSON");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    for name in EXAMPLES {
        let instance: serde_json::Value =
            serde_json::from_str(&bundle_of(name).to_json()).expect("bundle is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        // The schema is strict: an unknown field or a wrong value type fails.
        let mut extra = instance.clone();
        extra["surprise"] = serde_json::json!(true);
        assert!(
            !validator.is_valid(&extra),
            "{name}: unknown field accepted"
        );
        let mut wrong = instance.clone();
        wrong["format"] = serde_json::json!("rolecall.bundle/v0");
        assert!(!validator.is_valid(&wrong), "{name}: wrong format accepted");
    }
}

#[test]
fn a_read_bundle_verifies_and_answers_member_questions() {
    let text = bundle_of("apollo-acme").to_json();
    let bundle = Bundle::from_json(&text).expect("readable");
    assert_eq!(bundle.verify(), Ok(()));
    let level = |s: &str| Some(Value::Level(s.to_owned()));
    // Own limit on the member beats the profile's 150.
    assert_eq!(
        bundle.member_value("noah.weber@acme.com", "mailbox.sending_limit"),
        Some(Value::Limit(100))
    );
    // A member without a profile holds the catalog's default profile.
    assert_eq!(
        bundle.members["pierre.dubois@acme.com"].profile,
        "Non-admin"
    );
    assert_eq!(
        bundle.member_value("pierre.dubois@acme.com", "prospecting.search"),
        level("allow")
    );
    assert_eq!(
        bundle.member_value("anna.kowalska@acme.com", "billing.manage"),
        level("allow")
    );
    assert_eq!(
        bundle.member_value("nobody@acme.com", "billing.manage"),
        None
    );
    assert_eq!(
        bundle.member_value("anna.kowalska@acme.com", "billing.nope"),
        None
    );
}

#[test]
fn a_tampered_bundle_fails_verification() {
    let text = bundle_of("apollo-acme").to_json();
    let tampered = text.replacen(
        r#""billing.manage": "deny""#,
        r#""billing.manage": "allow""#,
        1,
    );
    assert_ne!(tampered, text);
    let bundle = Bundle::from_json(&tampered).expect("still a bundle");
    assert!(matches!(bundle.verify(), Err(ReadError::Revision { .. })));
    // Layout does not matter, content does.
    let compact: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let compact = serde_json::to_string(&compact).expect("JSON");
    assert_eq!(Bundle::from_json(&compact).map(|b| b.verify()), Ok(Ok(())));
    let other = text.replace("rolecall.bundle/v1", "rolecall.bundle/v9");
    assert!(matches!(
        Bundle::from_json(&other),
        Err(ReadError::Format(_))
    ));
    assert!(matches!(Bundle::from_json("{"), Err(ReadError::Json(_))));
    let extra = text.replacen('{', r#"{"extra": 1,"#, 1);
    assert!(matches!(Bundle::from_json(&extra), Err(ReadError::Json(_))));
}

#[test]
fn explain_output_matches_its_snapshots() {
    let path = "policies/examples/apollo-acme";
    let cases: [(&str, &[&str]); 6] = [
        ("table_human", &["explain", "Sales Manager", "--path", path]),
        (
            "table_json",
            &[
                "explain",
                "Partner Agency",
                "--path",
                path,
                "--format",
                "json",
            ],
        ),
        (
            "chain_human",
            &["explain", "RevOps", "emails.visibility", "--path", path],
        ),
        (
            "chain_json",
            &[
                "explain",
                "Sales Director",
                "billing.manage",
                "--path",
                path,
                "--format",
                "json",
            ],
        ),
        (
            "unknown_profile",
            &["explain", "Sales Manger", "--path", path],
        ),
        (
            "unknown_permission_json",
            &[
                "explain",
                "RevOps",
                "emails.visiblity",
                "--path",
                path,
                "--format",
                "json",
            ],
        ),
    ];
    for (name, args) in cases {
        let (code, stdout) = rolecall(args);
        let expected = if name.starts_with("unknown") { 1 } else { 0 };
        assert_eq!(code, expected, "{name}: {stdout}");
        insta::assert_snapshot!(format!("explain_{name}"), stdout);
    }
}

#[test]
fn waivers_are_carried_with_their_place_and_reason() {
    // The Apollo example accepts three risks with justified suppressions.
    let paths = [example("apollo-acme")];
    let project = rolecall::load::load(&paths, None).expect("loads");
    let compilation = rolecall::compile(&project);
    let bundle = compilation.bundle(project.naming()).expect("builds");
    let places: Vec<(&str, &str, u64)> = bundle
        .waivers
        .iter()
        .map(|w| (w.rule.as_str(), w.file.as_str(), w.line))
        .collect();
    assert_eq!(
        places,
        [
            ("risky-grant", "profiles/ops.perm", 21),
            ("see-all-emails", "profiles/ops.perm", 85),
            ("risky-grant", "profiles/sales.perm", 69)
        ]
    );
    assert!(bundle.waivers.iter().all(|w| !w.reason.trim().is_empty()));
    assert_eq!(bundle.verify(), Ok(()));
}
