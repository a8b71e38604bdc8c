use super::*;
use crate::backend::Value;

fn acme() -> (Bundle, Catalog) {
    let bundle = crate::build_paths(&["policies/examples/apollo-acme".into()], None)
        .expect("the example builds");
    let catalog = crate::catalog::builtin("apollo").expect("apollo");
    (bundle, catalog)
}

#[test]
fn every_policy_has_an_id_and_a_permission_action() {
    let catalog = crate::catalog::builtin("apollo").expect("apollo");
    let text = policies(&catalog);
    let ids = text.matches("@id(").count();
    assert_eq!(ids, text.matches("permit (").count());
    assert_eq!(ids, catalog.permissions.len());
    assert!(text.contains("@id(\"contacts.delete\")\npermit (principal, action == Action::\"contacts.delete\", resource)"));
    let schema = schema(&catalog);
    assert!(schema.contains("\"emails.visibility\": Set<String>,"));
    assert!(schema.contains("\"records.export_csv\": Bool,"));
    assert!(schema.contains("action \"mailbox.sending_limit\" appliesTo {"));
}

#[test]
fn a_profile_edit_changes_only_the_entities() {
    let (bundle, catalog) = acme();
    let mut edited = bundle.clone();
    if let Some(sdr) = edited.profiles.get_mut("SDR") {
        sdr.permissions
            .insert("contacts.delete".into(), Value::Level("team".into()));
    }
    edited.seal();
    let before = files(&bundle, &catalog).expect("files");
    let after = files(&edited, &catalog).expect("files");
    let names: Vec<&str> = before.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(names, [ENTITIES_FILE, POLICIES_FILE, SCHEMA_FILE]);
    assert_ne!(before[0], after[0]);
    assert_eq!(before[1..], after[1..]);
}

#[test]
fn entities_reference_explicitly_and_clamp_limits() {
    let (mut bundle, catalog) = acme();
    if let Some(holly) = bundle.members.get_mut("holly.kim@acme.com") {
        holly
            .effective_limits
            .insert("mailbox.sending_limit".into(), u64::MAX);
    }
    let json: serde_json::Value =
        serde_json::from_str(&entities(&bundle, &catalog).expect("entities")).expect("json");
    let find = |kind: &str, id: &str| {
        json.as_array()
            .and_then(|all| {
                all.iter()
                    .find(|e| e["uid"]["type"] == kind && e["uid"]["id"] == id)
            })
            .cloned()
            .unwrap_or_default()
    };
    let holly = find("User", "holly.kim@acme.com");
    assert_eq!(
        holly["attrs"]["profile"],
        serde_json::json!({"__entity": {"id": "SDR", "type": "Profile"}})
    );
    assert_eq!(holly["attrs"]["team"], "AMER");
    assert_eq!(holly["attrs"]["limits"]["mailbox.sending_limit"], i64::MAX);
    assert_eq!(holly["parents"], serde_json::json!([]));
    let sdr = find("Profile", "SDR");
    assert_eq!(
        sdr["attrs"]["contacts.delete"],
        serde_json::json!(["none", "own"])
    );
    assert_eq!(sdr["attrs"]["prospecting.search"], true);
}

#[test]
fn scopes_without_a_covering_level_get_no_policy() {
    let mut catalog = crate::catalog::builtin("apollo").expect("apollo");
    if let Some(p) = catalog
        .permissions
        .iter_mut()
        .find(|p| p.id == "contacts.delete")
    {
        p.levels = vec!["nobody".into(), "somebody".into()];
    }
    let text = policies(&catalog);
    assert!(!text.contains("@id(\"contacts.delete\")"));
    assert!(text.contains("@id(\"contacts.change_owner\")"));
}
