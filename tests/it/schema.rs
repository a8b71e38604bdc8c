//! `rolecall schema --platform`: the bundle schema typed for one catalog.
//! Both examples' bundles validate against the generic schema and against
//! the typed schema of their platform; a wrong level, an unknown
//! permission or a negative limit is rejected by the typed one only.

use std::path::PathBuf;

use serde_json::{Value, json};

fn schema(args: &[&str]) -> (i32, Value) {
    let output = crate::common::Run::new(std::iter::once(&"schema").chain(args)).output();
    let text = String::from_utf8_lossy(&output.stdout);
    let value = serde_json::from_str(&text).unwrap_or(Value::Null);
    (output.status.code().unwrap_or(-1), value)
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::validator_for(schema).expect("a valid schema")
}

fn bundle(example: &str) -> Value {
    let path = PathBuf::from("policies/examples").join(example);
    let bundle = rolecall::build_paths(&[path], None).expect("the example builds");
    serde_json::from_str(&bundle.to_json()).expect("bundle is JSON")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn example_bundles_fit_the_generic_and_their_typed_schema() {
    let (code, generic) = schema(&[]);
    assert_eq!(code, 0);
    let generic = validator(&generic);
    for (example, platform) in [
        ("apollo-acme", "apollo"),
        ("amplemarket-team", "amplemarket"),
    ] {
        let (code, typed) = schema(&["--platform", platform]);
        assert_eq!(code, 0);
        assert_eq!(typed["title"], format!("rolecall bundle for {platform}"));
        let typed = validator(&typed);
        let instance = bundle(example);
        assert_eq!(
            errors(&generic, &instance),
            Vec::<String>::new(),
            "{example}"
        );
        assert_eq!(errors(&typed, &instance), Vec::<String>::new(), "{example}");
    }
}

#[test]
fn the_typed_schema_rejects_a_wrong_level_an_unknown_id_and_a_negative_limit() {
    let (_, generic) = schema(&[]);
    let (_, typed) = schema(&["--platform", "apollo"]);
    let (generic, typed) = (validator(&generic), validator(&typed));
    let instance = bundle("apollo-acme");

    let mut wrong_level = instance.clone();
    wrong_level["profiles"]["Sales Manager"]["permissions"]["emails.visibility"] =
        json!("everyone");
    assert!(
        generic.is_valid(&wrong_level),
        "the generic schema knows no levels"
    );
    let found = errors(&typed, &wrong_level);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].ends_with("at /profiles/Sales Manager/permissions/emails.visibility"),
        "{found:#?}"
    );

    let mut unknown = instance.clone();
    unknown["profiles"]["Admin"]["permissions"]["emails.visiblity"] = json!("all");
    assert!(!typed.is_valid(&unknown));

    let mut negative = instance.clone();
    negative["members"]["carlos.ruiz@acme.com"]["limits"]["mailbox.sending_limit"] = json!(-1);
    negative["settings"]["mailbox.sending_limit"] = json!(-5);
    assert_eq!(errors(&typed, &negative).len(), 2);

    let mut not_a_limit = instance.clone();
    not_a_limit["settings"]["emails.visibility"] = json!(1);
    assert!(!typed.is_valid(&not_a_limit));

    // Another platform's bundle does not fit.
    let (_, amplemarket) = schema(&["--platform", "amplemarket"]);
    assert!(!validator(&amplemarket).is_valid(&instance));
}

#[test]
fn a_catalog_file_gives_the_schema_of_its_platform() {
    let (code, by_name) = schema(&["--platform", "amplemarket"]);
    assert_eq!(code, 0);
    let (code, by_file) = schema(&["--platform", "policies/amplemarket/catalog.yaml"]);
    assert_eq!(code, 0);
    assert_eq!(by_name, by_file);
    let (code, _) = schema(&["--platform", "hubspot"]);
    assert_eq!(code, 2);
    let (code, _) = schema(&["--platform", "missing/catalog.yaml"]);
    assert_eq!(code, 2);
}
