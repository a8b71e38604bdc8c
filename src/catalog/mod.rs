//! Platform catalogs: the permissions that exist, their kinds, levels and
//! defaults. Catalogs are data (`policies/<platform>/catalog.yaml`), embedded
//! for the built-in platforms and loaded from a file for custom ones.

mod builtin;
mod model;
mod platform;
mod value;

use std::collections::HashSet;

pub use builtin::{BUILTIN_PLATFORMS, builtin};
pub use model::{Catalog, Kind, PermId, Permission, RawCatalog, RawPermission, RawValue};
pub use platform::{Platform, builtin_platform};
pub use value::Value;

/// Why a catalog is not usable: a message and, when known, the byte offset in the YAML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogError {
    /// What is wrong.
    pub message: String,
    /// Byte offset in the YAML text, when known.
    pub offset: Option<usize>,
}

/// Parses and validates a catalog. `prelude` supplies the prelude text for
/// the catalog's `prelude` path.
pub fn load(
    yaml: &str,
    prelude: impl FnOnce(&str) -> Result<String, String>,
) -> Result<Catalog, Vec<CatalogError>> {
    let raw: RawCatalog = serde_yaml::from_str(yaml).map_err(|e| {
        vec![CatalogError {
            message: e.to_string(),
            offset: e.location().map(|l| l.index()),
        }]
    })?;
    let mut errors = Vec::new();
    let at = |id: &str| find_id(yaml, id);
    let mut seen = HashSet::new();
    let mut permissions = Vec::with_capacity(raw.permissions.len());
    if raw.permissions.len() > usize::from(u16::MAX) {
        errors.push(CatalogError {
            message: "a catalog holds at most 65535 permissions".to_owned(),
            offset: None,
        });
    }
    for p in &raw.permissions {
        let mut fail = |message: String| {
            errors.push(CatalogError {
                message,
                offset: at(&p.id),
            });
        };
        if !valid_id(&p.id) {
            fail(format!(
                "`{}` is not a permission id: use dotted lower-case segments such as `emails.visibility`",
                p.id
            ));
        }
        if !seen.insert(p.id.as_str()) {
            fail(format!("permission `{}` is listed twice", p.id));
        }
        match validate(p) {
            Ok(permission) => permissions.push(permission),
            Err(message) => fail(message),
        }
    }
    let min_plan = match &raw.custom_profiles_min_plan {
        None => None,
        Some(plan) => {
            let index = raw.plans.iter().position(|p| p == plan);
            if index.is_none() {
                errors.push(CatalogError {
                    message: format!(
                        "`custom_profiles_min_plan` names `{plan}`, which is not in `plans`"
                    ),
                    offset: None,
                });
            }
            index
        }
    };
    let prelude_text = match &raw.prelude {
        None => String::new(),
        Some(path) => prelude(path).unwrap_or_else(|message| {
            errors.push(CatalogError {
                message,
                offset: None,
            });
            String::new()
        }),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Catalog::assemble(
        raw,
        permissions,
        min_plan,
        prelude_text,
        yaml.to_owned(),
    ))
}

fn validate(p: &RawPermission) -> Result<Permission, String> {
    let id = &p.id;
    let levels = match p.kind {
        Kind::Limit => {
            if !p.levels.is_empty() {
                return Err(format!("limit `{id}` has no levels"));
            }
            Vec::new()
        }
        Kind::Toggle => {
            if p.levels != ["deny", "allow"] {
                return Err(format!("toggle `{id}` must have the levels [deny, allow]"));
            }
            p.levels.clone()
        }
        Kind::Scope | Kind::Enum => {
            if p.levels.is_empty() {
                return Err(format!("`{id}` needs its levels, least access first"));
            }
            let unique: HashSet<_> = p.levels.iter().collect();
            if unique.len() != p.levels.len() {
                return Err(format!("`{id}` lists a level twice"));
            }
            p.levels.clone()
        }
    };
    let value = |raw: &RawValue, what: &str| -> Result<u64, String> {
        match (p.kind, raw) {
            (Kind::Limit, RawValue::Integer(n)) => Ok(*n),
            (Kind::Limit, RawValue::Level(l)) => Err(format!(
                "the {what} of limit `{id}` must be an integer, not `{l}`"
            )),
            (_, RawValue::Level(l)) => levels
                .iter()
                .position(|x| x == l)
                .map(|i| i as u64)
                .ok_or_else(|| {
                    format!("the {what} of `{id}` is `{l}`, which is not one of its levels")
                }),
            (_, RawValue::Integer(n)) => Err(format!(
                "the {what} of `{id}` is `{n}`, which is not one of its levels"
            )),
        }
    };
    let default = value(&p.default, "default")?;
    let risk_at = p
        .risk_at
        .as_ref()
        .map(|r| value(r, "risk_at"))
        .transpose()?;
    Ok(Permission {
        id: p.id.clone(),
        category: p.category.clone(),
        section: p.section.clone(),
        label: p.label.clone(),
        kind: p.kind,
        levels,
        default,
        risk_at,
        grants_admin: p.grants_admin,
        locked: p.locked,
    })
}

/// Whether `id` is a dotted path of `[a-z][a-z0-9_]*` segments.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('.').all(|segment| {
            let mut chars = segment.chars();
            chars.next().is_some_and(|c| c.is_ascii_lowercase())
                && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// Offset of the `id: ID` line of a permission in the YAML text.
fn find_id(yaml: &str, id: &str) -> Option<usize> {
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let trimmed = line.trim_start().trim_start_matches("- ").trim_start();
        if let Some(rest) = trimmed.strip_prefix("id:")
            && rest.trim().trim_matches(['"', '\'']) == id
        {
            return Some(offset + line.find("id:").unwrap_or(0));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogs_load_and_match_the_documented_counts() {
        let apollo = builtin("apollo").expect("apollo is built in");
        assert_eq!(apollo.platform, "apollo");
        assert_eq!(apollo.len(), 71);
        assert_eq!(apollo.default_profile, "Non-admin");
        assert_eq!(
            apollo.plans[apollo.custom_profiles_min_plan.unwrap_or(0)],
            "organization"
        );
        let visibility = apollo.get(apollo.lookup("emails.visibility").expect("id"));
        assert_eq!(visibility.levels, ["own", "outbound", "all"]);
        assert_eq!(visibility.default, 0);
        let limit = apollo.get(apollo.lookup("mailbox.sending_limit").expect("id"));
        assert_eq!((limit.kind, limit.default), (Kind::Limit, 50));
        assert!(
            apollo
                .get(apollo.lookup("users.manage").expect("id"))
                .grants_admin
        );

        let amplemarket = builtin("amplemarket").expect("amplemarket is built in");
        assert_eq!(amplemarket.len(), 15);
        assert!(!amplemarket.custom_profiles);
        assert_eq!(amplemarket.default_profile, "Sales Rep");
    }

    #[test]
    fn validation_reports_each_problem_with_its_place() {
        let yaml = "platform: x\ncustom_profiles: true\ndefault_profile: A\npermissions:\n  - id: a.b\n    kind: toggle\n    levels: [deny, allow]\n    default: maybe\n  - id: a.b\n    kind: scope\n    levels: [own, all]\n    default: own\n    risk_at: none\n";
        let errors = load(yaml, |_| Ok(String::new())).expect_err("invalid");
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the default of `a.b` is `maybe`, which is not one of its levels",
                "permission `a.b` is listed twice",
                "the risk_at of `a.b` is `none`, which is not one of its levels",
            ]
        );
        assert_eq!(
            errors[0].offset,
            Some(yaml.find("id: a.b").expect("present"))
        );
    }
}
