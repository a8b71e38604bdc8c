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
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for byte in digest {
        out.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
    }
    out
}

impl Bundle {
    /// The bytes the revision digest is taken over: compact JSON of the
    /// bundle with sorted keys and without the `revision` field.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut value = match serde_json::to_value(self) {
            Ok(value) => value,
            // Every field is a string, integer, bool, list or string-keyed map.
            Err(_) => return Vec::new(),
        };
        if let Some(object) = value.as_object_mut() {
            object.remove("revision");
        }
        sort_keys(&mut value);
        serde_json::to_vec(&value).unwrap_or_default()
    }

    /// The revision digest of the bundle's current content.
    pub fn compute_revision(&self) -> String {
        sha256(&self.canonical_bytes())
    }

    /// Sets `revision` from the current content.
    pub fn seal(&mut self) {
        self.revision = self.compute_revision();
    }

    /// The bundle as written by `rolecall build`: pretty JSON, two-space
    /// indentation, sorted keys, a final newline.
    pub fn to_json(&self) -> String {
        crate::report::pretty_json(self)
    }

    /// The JSON Schema (draft 2020-12) of the bundle, as pretty JSON.
    pub fn json_schema() -> String {
        crate::report::pretty_json(&schemars::schema_for!(Bundle))
    }
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
