use std::io::Read;

use super::*;

fn acme() -> (Bundle, Catalog) {
    let bundle = crate::build_paths(&["policies/examples/apollo-acme".into()], None)
        .expect("the example builds");
    let catalog = crate::catalog::builtin("apollo").expect("apollo");
    (bundle, catalog)
}

/// Every entry of an archive: path, mode, mtime, uid, gid and bytes.
fn unpack(archive: &[u8]) -> Vec<(String, u32, u64, u64, u64, Vec<u8>)> {
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(archive));
    let mut out = Vec::new();
    for entry in tar.entries().expect("a tar") {
        let mut entry = entry.expect("an entry");
        let header = entry.header().clone();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("readable");
        out.push((
            entry.path().expect("a path").display().to_string(),
            header.mode().expect("a mode"),
            header.mtime().expect("an mtime"),
            header.uid().expect("a uid"),
            header.gid().expect("a gid"),
            bytes,
        ));
    }
    out
}

#[test]
fn the_archive_is_deterministic_with_fixed_metadata() {
    let (bundle, catalog) = acme();
    let first = archive(&bundle, &catalog).expect("packs");
    assert_eq!(first, archive(&bundle, &catalog).expect("packs"));
    // gzip: magic, deflate, no flags (so no file name), mtime 0, OS unknown.
    assert_eq!(
        first.get(..10),
        Some(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255][..])
    );
    let entries = unpack(&first);
    let paths: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(paths, [MANIFEST_PATH, POLICY_PATH, DATA_PATH]);
    for (path, mode, mtime, uid, gid, _) in &entries {
        assert_eq!((*mode, *mtime, *uid, *gid), (0o644, 0, 0, 0), "{path}");
    }
    assert_eq!(entries[1].5, POLICY.as_bytes());
}

#[test]
fn the_manifest_names_the_bundle() {
    let (bundle, catalog) = acme();
    let files = files(&bundle, &catalog).expect("files");
    let manifest: serde_json::Value = serde_json::from_slice(&files[0].1).expect("json");
    assert_eq!(manifest["revision"], bundle.revision.as_str());
    assert_eq!(manifest["roots"], serde_json::json!(["rolecall"]));
    assert_eq!(manifest["rego_version"], 1);
    assert_eq!(manifest["metadata"]["format"], FORMAT);
    assert_eq!(manifest["metadata"]["platform"], "apollo");
    assert_eq!(
        manifest["metadata"]["catalog_digest"],
        bundle.catalog_digest.as_str()
    );
}

#[test]
fn the_data_holds_values_members_and_the_catalog() {
    let (bundle, catalog) = acme();
    let files = files(&bundle, &catalog).expect("files");
    let data: serde_json::Value = serde_json::from_slice(&files[2].1).expect("json");
    assert_eq!(data["catalog"]["emails.visibility"]["kind"], "enum");
    assert_eq!(
        data["catalog"]["emails.visibility"]["levels"],
        serde_json::json!(["own", "outbound", "all"])
    );
    let holly = &data["members"]["holly.kim@acme.com"];
    assert_eq!(holly["profile"], "SDR");
    assert_eq!(holly["limits"]["mailbox.sending_limit"], 300);
    assert_eq!(data["profiles"]["SDR"]["contacts.delete"], "own");
    assert_eq!(
        data["members"].as_object().map(|m| m.len()),
        Some(bundle.members.len())
    );
}

#[test]
fn a_profile_edit_changes_only_the_data() {
    let (bundle, catalog) = acme();
    let mut edited = bundle.clone();
    if let Some(sdr) = edited.profiles.get_mut("SDR") {
        sdr.permissions
            .insert("records.export_csv".into(), Value::Level("allow".into()));
    }
    edited.seal();
    let before = files(&bundle, &catalog).expect("files");
    let after = files(&edited, &catalog).expect("files");
    assert_eq!(before[1], after[1], "the policy is constant");
    assert_ne!(before[2], after[2]);
}

#[test]
fn another_catalog_is_refused() {
    let (bundle, _) = acme();
    let other = crate::catalog::builtin("amplemarket").expect("amplemarket");
    assert!(archive(&bundle, &other).is_err());
}
