//! Catalog types: the permissions of a platform, loaded from YAML.

use std::collections::HashMap;

use serde::Deserialize;

/// The kind of a permission, which decides its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `deny` < `allow`.
    Toggle,
    /// An "owned by" scope such as `none own team all`.
    Scope,
    /// Ordered named choices.
    Enum,
    /// A non-negative integer; larger is more access.
    Limit,
}

impl Kind {
    /// The lower-case name of the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Toggle => "toggle",
            Kind::Scope => "scope",
            Kind::Enum => "enum",
            Kind::Limit => "limit",
        }
    }

    /// The name with its article, for messages: `a toggle`, `an enum`.
    pub fn with_article(self) -> &'static str {
        match self {
            Kind::Toggle => "a toggle",
            Kind::Scope => "a scope",
            Kind::Enum => "an enum",
            Kind::Limit => "a limit",
        }
    }
}

/// A level name or, for limits, an integer, as written in a catalog.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum RawValue {
    /// An integer (limits).
    Integer(u64),
    /// A level name.
    Level(String),
}

/// One permission as written in `catalog.yaml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPermission {
    /// Dotted id.
    pub id: String,
    /// The vendor's top-level area.
    #[serde(default)]
    pub category: String,
    /// The vendor's sub-section.
    #[serde(default)]
    pub section: String,
    /// Short wording of what the permission allows.
    #[serde(default)]
    pub label: String,
    /// Kind.
    pub kind: Kind,
    /// Levels from least to most access (not for limits).
    #[serde(default)]
    pub levels: Vec<String>,
    /// The least-access value.
    pub default: RawValue,
    /// Lowest level reported by `risky-grant`.
    #[serde(default)]
    pub risk_at: Option<RawValue>,
    /// Holding it lets a user make itself an admin.
    #[serde(default)]
    pub grants_admin: bool,
    /// Profiles extending Admin cannot lower it.
    #[serde(default)]
    pub locked: bool,
}

/// A whole `catalog.yaml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCatalog {
    /// Platform name.
    pub platform: String,
    /// Whether user files may define profiles.
    pub custom_profiles: bool,
    /// Vendor plans, lowest first.
    #[serde(default)]
    pub plans: Vec<String>,
    /// Lowest plan that allows custom profiles.
    #[serde(default)]
    pub custom_profiles_min_plan: Option<String>,
    /// Profile of a member that names none.
    pub default_profile: String,
    /// Path of the prelude, relative to the catalog file.
    #[serde(default)]
    pub prelude: Option<String>,
    /// The permissions.
    pub permissions: Vec<RawPermission>,
}

/// Index of a permission in its catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PermId(pub u16);

/// A validated permission. Values are `u64`: a level's index, or the limit.
#[derive(Clone, Debug)]
pub struct Permission {
    /// Dotted id.
    pub id: String,
    /// The vendor's top-level area.
    pub category: String,
    /// The vendor's sub-section.
    pub section: String,
    /// What the permission allows.
    pub label: String,
    /// Kind.
    pub kind: Kind,
    /// Levels from least to most (empty for limits).
    pub levels: Vec<String>,
    /// Default value.
    pub default: u64,
    /// Lowest value reported by `risky-grant`.
    pub risk_at: Option<u64>,
    /// Holding it above its least value makes a profile admin-equivalent.
    pub grants_admin: bool,
    /// Profiles extending Admin cannot set it below Admin's value.
    pub locked: bool,
}

impl Permission {
    /// The value named by `word` or `integer`, if it fits this permission.
    pub fn level(&self, word: &str) -> Option<u64> {
        self.levels.iter().position(|l| l == word).map(|i| i as u64)
    }

    /// A value as written in policy files.
    pub fn display(&self, value: u64) -> String {
        match self.kind {
            Kind::Limit => value.to_string(),
            _ => self
                .levels
                .get(value as usize)
                .cloned()
                .unwrap_or_else(|| value.to_string()),
        }
    }

    /// The accepted values, for help text.
    pub fn accepted(&self) -> String {
        match self.kind {
            Kind::Limit => "a non-negative integer".to_owned(),
            _ => self
                .levels
                .iter()
                .map(|l| format!("`{l}`"))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// The highest value of a levelled permission; `None` for limits.
    pub fn highest(&self) -> Option<u64> {
        match self.kind {
            Kind::Limit => None,
            _ => Some(self.levels.len().saturating_sub(1) as u64),
        }
    }
}

/// A validated catalog.
#[derive(Clone, Debug)]
pub struct Catalog {
    /// Platform name.
    pub platform: String,
    /// Whether user files may define profiles.
    pub custom_profiles: bool,
    /// Plans, lowest first.
    pub plans: Vec<String>,
    /// Index into `plans` of the lowest plan allowing custom profiles.
    pub custom_profiles_min_plan: Option<usize>,
    /// Profile of a member that names none.
    pub default_profile: String,
    /// Source of the prelude, written in the profile language.
    pub prelude: String,
    /// Permissions, in catalog order.
    pub permissions: Vec<Permission>,
    /// The catalog's YAML text, from which its digest is taken.
    pub source: String,
    index: HashMap<String, PermId>,
}

impl Catalog {
    /// Builds the index of a validated catalog.
    pub(crate) fn assemble(
        raw: RawCatalog,
        permissions: Vec<Permission>,
        min_plan: Option<usize>,
        prelude: String,
        source: String,
    ) -> Self {
        let index = permissions
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), PermId(i as u16)))
            .collect();
        Catalog {
            platform: raw.platform,
            custom_profiles: raw.custom_profiles,
            plans: raw.plans,
            custom_profiles_min_plan: min_plan,
            default_profile: raw.default_profile,
            prelude,
            permissions,
            source,
            index,
        }
    }

    /// The permission with id `id`.
    pub fn lookup(&self, id: &str) -> Option<PermId> {
        self.index.get(id).copied()
    }

    /// The permission behind `id`.
    pub fn get(&self, id: PermId) -> &Permission {
        &self.permissions[id.0 as usize]
    }

    /// Every permission with its id, in catalog order.
    pub fn iter(&self) -> impl Iterator<Item = (PermId, &Permission)> {
        self.permissions
            .iter()
            .enumerate()
            .map(|(i, p)| (PermId(i as u16), p))
    }

    /// Number of permissions.
    pub fn len(&self) -> usize {
        self.permissions.len()
    }

    /// Whether the catalog has no permission.
    pub fn is_empty(&self) -> bool {
        self.permissions.is_empty()
    }

    /// The index of plan `name`.
    pub fn plan_index(&self, name: &str) -> Option<usize> {
        self.plans.iter().position(|p| p == name)
    }
}
