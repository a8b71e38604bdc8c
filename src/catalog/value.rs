//! A permission value as policy files write it: the shape every output
//! shares (the bundle, `explain`) to show an effective value.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Kind, Permission};

/// A permission value as written in policy files.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(untagged)]
pub enum Value {
    /// A limit: a non-negative integer, larger is more access.
    Limit(u64),
    /// A level name: `allow`/`deny` for toggles, a scope or enum level otherwise.
    Level(String),
}

impl Value {
    /// The value `raw` of `permission` as written in policy files: a level
    /// name, or the limit.
    pub fn of(permission: &Permission, raw: u64) -> Self {
        match permission.kind {
            Kind::Limit => Value::Limit(raw),
            _ => Value::Level(permission.display(raw)),
        }
    }

    /// The level name, when the value is one.
    pub fn as_level(&self) -> Option<&str> {
        match self {
            Value::Level(name) => Some(name),
            Value::Limit(_) => None,
        }
    }

    /// The limit, when the value is one.
    pub fn as_limit(&self) -> Option<u64> {
        match self {
            Value::Limit(n) => Some(*n),
            Value::Level(_) => None,
        }
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Limit(n) => write!(f, "{n}"),
            Value::Level(name) => f.write_str(name),
        }
    }
}
