//! The bundle's data types: what `rolecall build` writes and what runtimes read.
//!
//! Fields are declared in alphabetical order and every map is a `BTreeMap`,
//! so the serialised JSON has sorted keys whatever serde_json's features.
//! Every struct refuses unknown fields: a reader never silently ignores data
//! that the revision digest does not cover.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

// The bundle writes values as policy files do.
pub use crate::catalog::Value;

/// The format tag of this version of the bundle.
pub const FORMAT: &str = "rolecall.bundle/v1";

/// A compiled policy set: every profile's effective permissions with their
/// provenance, the members, the organisation caps and the accepted waivers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "rolecall bundle")]
pub struct Bundle {
    /// `sha256:` digest of the catalog's YAML text the set was compiled against.
    #[schemars(regex(pattern = r"^sha256:[0-9a-f]{64}$"))]
    pub catalog_digest: String,
    /// The format tag, always `rolecall.bundle/v1` for this version.
    #[schemars(extend("const" = "rolecall.bundle/v1"))]
    pub format: String,
    /// Members by id: their profile, team and limits.
    pub members: BTreeMap<String, Member>,
    /// The vendor plan, when the set declares one.
    pub plan: Option<String>,
    /// The platform whose catalog the set was compiled against.
    pub platform: String,
    /// Every profile by name, built-in ones included.
    pub profiles: BTreeMap<String, Profile>,
    /// `sha256:` digest of the canonical bundle without this field.
    #[schemars(regex(pattern = r"^sha256:[0-9a-f]{64}$"))]
    pub revision: String,
    /// Organisation caps of limit-kind permissions, by permission id.
    pub settings: BTreeMap<String, u64>,
    /// Suppressions that silenced a finding, sorted by file, line and rule.
    pub waivers: Vec<Waiver>,
}

/// A profile with its effective permissions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Whether a holder can make itself an admin (edit users or profiles).
    pub admin_equivalent: bool,
    /// Whether the profile is one of the platform's built-in profiles.
    pub builtin: bool,
    /// Parent profiles, in the order written after `extends`.
    pub extends: Vec<String>,
    /// Every catalog permission's effective value, by permission id.
    pub permissions: BTreeMap<String, Value>,
    /// Where each effective value was set, by permission id.
    pub provenance: BTreeMap<String, Provenance>,
}

/// A member of the organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Every limit-kind permission's effective value for this member.
    pub effective_limits: BTreeMap<String, u64>,
    /// The member's own limit values, as written on its `member` statement.
    pub limits: BTreeMap<String, u64>,
    /// The profile held: the one named, or the catalog's default profile.
    pub profile: String,
    /// The member's team, when given.
    pub team: Option<String>,
}

/// A suppression comment that silenced a finding, with its reason.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// File of the comment, relative to the policy root with `/` separators.
    pub file: String,
    /// 1-based line of the comment.
    #[schemars(range(min = 1))]
    pub line: u64,
    /// The reason written in the comment.
    pub reason: String,
    /// The rule silenced.
    pub rule: String,
}

/// Where an effective value comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Provenance {
    /// A profile's own setting.
    Set(Location),
    /// No profile on the inheritance path sets it: the catalog default.
    Default(DefaultTag),
}

/// The word `default`, the provenance of a catalog default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum DefaultTag {
    /// The catalog default.
    #[serde(rename = "default")]
    Default,
}

/// A line of a policy file, or of a platform's prelude.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Relative to the policy root with `/` separators, or `prelude:PLATFORM`.
    pub file: String,
    /// 1-based line of the setting.
    #[schemars(range(min = 1))]
    pub line: u64,
}

/// `sha256:` followed by the lower-case hex digest of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    hex_digest(&Sha256::digest(bytes))
}

/// `sha256:` followed by the lower-case hex of `digest`.
pub(super) fn hex_digest(digest: &[u8]) -> String {
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for &byte in digest {
        out.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
    }
    out
}

/// The bundle without its `revision`. Fields are in the bundle's
/// (alphabetical) order and every map is a `BTreeMap`, so serialising this
/// view gives sorted keys directly, with no intermediate JSON tree.
#[derive(Serialize)]
struct Canonical<'a> {
    catalog_digest: &'a str,
    format: &'a str,
    members: &'a BTreeMap<String, Member>,
    plan: &'a Option<String>,
    platform: &'a str,
    profiles: &'a BTreeMap<String, Profile>,
    settings: &'a BTreeMap<String, u64>,
    waivers: &'a [Waiver],
}

/// Feeds written bytes to a SHA-256 digest.
struct Hashing(Sha256);

impl std::io::Write for Hashing {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Bundle {
    fn canonical(&self) -> Canonical<'_> {
        Canonical {
            catalog_digest: &self.catalog_digest,
            format: &self.format,
            members: &self.members,
            plan: &self.plan,
            platform: &self.platform,
            profiles: &self.profiles,
            settings: &self.settings,
            waivers: &self.waivers,
        }
    }

    /// The bytes the revision digest is taken over: compact JSON of the
    /// bundle with sorted keys and without the `revision` field.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        // Every field is a string, integer, bool, list or string-keyed map.
        serde_json::to_vec(&self.canonical()).unwrap_or_default()
    }

    /// The revision digest of the bundle's current content, hashed as it is
    /// serialised.
    pub fn compute_revision(&self) -> String {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, Hashing(Sha256::new()));
        if serde_json::to_writer(&mut out, &self.canonical()).is_err() {
            return sha256(&[]);
        }
        match out.into_inner() {
            Ok(hashing) => hex_digest(&hashing.0.finalize()),
            Err(_) => sha256(&[]),
        }
    }

    /// Sets `revision` from the current content.
    pub fn seal(&mut self) {
        self.revision = self.compute_revision();
    }

    /// The bundle as written by `rolecall build`: pretty JSON, two-space
    /// indentation, sorted keys, a final newline.
    pub fn to_json(&self) -> String {
        crate::text::pretty_json(self)
    }

    /// The JSON Schema (draft 2020-12) of the bundle, as pretty JSON.
    pub fn json_schema() -> String {
        crate::text::pretty_json(&schemars::schema_for!(Bundle))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The canonical bytes as first defined: the bundle as a JSON tree,
    /// `revision` removed, keys sorted, compact.
    fn through_a_tree(bundle: &Bundle) -> Vec<u8> {
        let mut value = serde_json::to_value(bundle).expect("a bundle serialises");
        if let Some(object) = value.as_object_mut() {
            object.remove("revision");
        }
        sort_keys(&mut value);
        serde_json::to_vec(&value).expect("a tree serialises")
    }

    /// Sorts object keys recursively, so that the canonical bytes do not depend
    /// on whether serde_json keeps insertion order.
    fn sort_keys(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                let mut entries: Vec<(String, serde_json::Value)> =
                    std::mem::take(map).into_iter().collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                for (key, mut inner) in entries {
                    sort_keys(&mut inner);
                    map.insert(key, inner);
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(sort_keys),
            _ => {}
        }
    }

    #[test]
    fn canonical_bytes_are_the_sorted_tree_without_the_revision() {
        let mut bundle = crate::build_paths(&["policies/examples/apollo-acme".into()], None)
            .expect("the example builds");
        assert_eq!(bundle.canonical_bytes(), through_a_tree(&bundle));
        assert_eq!(bundle.compute_revision(), sha256(&through_a_tree(&bundle)));
        // Names that sort differently as bytes and as text, and escapes.
        let profile = bundle.profiles.values().next().cloned().expect("a profile");
        for name in [
            "Zeta",
            "zeta",
            "\u{e9}t\u{e9} \"q\"",
            "\u{1F600}",
            "a\nb",
            "A",
        ] {
            bundle.profiles.insert(name.to_owned(), profile.clone());
        }
        bundle.revision = "sha256:stale".to_owned();
        assert_eq!(bundle.canonical_bytes(), through_a_tree(&bundle));
        bundle.seal();
        assert_eq!(bundle.revision, sha256(&through_a_tree(&bundle)));
        assert!(bundle.verify().is_ok());
    }
}
