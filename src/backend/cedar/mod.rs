//! The Cedar policy set (docs/targets.md, "Cedar"): a schema in Cedar's human syntax,
//! one policy per permission and the entities of the policy set.
//!
//! Schema and policies depend only on the catalog, so they are the same
//! for every policy set of a platform; the values live on the entities:
//!
//! - `Profile` has one attribute per levelled permission: for a toggle a
//!   `Bool` (`allow`), for a scope or an enum the `Set<String>` of the
//!   levels at or below the profile's value;
//! - `User` has `profile`, an optional `team` and, when the catalog has
//!   limits, `limits`: the member's effective limit of each (`Long`, so a
//!   limit above 2^63−1 is written as 2^63−1, which no `Long` amount
//!   exceeds);
//! - `Record`, the resource the caller adds, has optional `owner` and `team`.

mod entities;

use std::fmt::Write;

use super::decide::compiled_against;
use super::json::{BuildError, Bundle};
use crate::catalog::{Catalog, Kind, Permission};

pub use entities::entities;

/// Name of the schema file.
pub const SCHEMA_FILE: &str = "rolecall.cedarschema";
/// Name of the policies file.
pub const POLICIES_FILE: &str = "policies.cedar";
/// Name of the entities file.
pub const ENTITIES_FILE: &str = "entities.json";

/// The three files, by name: schema, policies, entities.
pub fn files(bundle: &Bundle, catalog: &Catalog) -> Result<Vec<(String, Vec<u8>)>, BuildError> {
    if !compiled_against(bundle, catalog) {
        return Err(BuildError {
            message: format!(
                "the bundle was not compiled against the `{}` catalog given",
                catalog.platform
            ),
        });
    }
    Ok(vec![
        (
            ENTITIES_FILE.to_owned(),
            entities(bundle, catalog)?.into_bytes(),
        ),
        (POLICIES_FILE.to_owned(), policies(catalog).into_bytes()),
        (SCHEMA_FILE.to_owned(), schema(catalog).into_bytes()),
    ])
}

/// The schema of `catalog`'s policy sets, in Cedar's human syntax.
pub fn schema(catalog: &Catalog) -> String {
    let mut out = format!(
        "// rolecall: the entities and actions of the policy sets of `{}`.\n\n",
        catalog.platform
    );
    out.push_str("// A profile's effective values: `allow` for toggles, the levels at or\n");
    out.push_str("// below its value for scopes and enums.\nentity Profile = {\n");
    for p in levelled(catalog) {
        let kind = if p.kind == Kind::Toggle {
            "Bool"
        } else {
            "Set<String>"
        };
        let _ = writeln!(out, "  {}: {kind},", quote(&p.id));
    }
    out.push_str("};\n\n// A member of the organisation.\nentity User = {\n");
    out.push_str("  \"profile\": Profile,\n  \"team\"?: String,\n");
    if limits(catalog).next().is_some() {
        out.push_str("  \"limits\": {\n");
        for p in limits(catalog) {
            let _ = writeln!(out, "    {}: Long,", quote(&p.id));
        }
        out.push_str("  },\n");
    }
    out.push_str("};\n\n// The resource of a request, added by the caller.\n");
    out.push_str("entity Record = {\n  \"owner\"?: User,\n  \"team\"?: String,\n};\n");
    for p in &catalog.permissions {
        let context = match p.kind {
            Kind::Enum => "{ \"level\": String }",
            Kind::Limit => "{ \"amount\": Long }",
            Kind::Toggle | Kind::Scope => "{}",
        };
        let _ = write!(
            out,
            "\naction {} appliesTo {{\n  principal: [User],\n  resource: [Record],\n  context: {context},\n}};\n",
            quote(&p.id)
        );
    }
    out
}

/// The policies of `catalog`'s policy sets: one `permit` per permission
/// that some value can grant, annotated with `@id` (the permission id).
pub fn policies(catalog: &Catalog) -> String {
    let mut out = format!(
        "// rolecall: the decisions of the policy sets of `{}`; the values are on the entities.\n",
        catalog.platform
    );
    for p in &catalog.permissions {
        let Some(condition) = condition(p) else {
            continue;
        };
        let id = quote(&p.id);
        let _ = write!(
            out,
            "\n@id({id})\npermit (principal, action == Action::{id}, resource)\nwhen {{\n  {condition}\n}};\n"
        );
    }
    out
}

/// The `when` condition granting `permission`; `None` when no value can.
fn condition(permission: &Permission) -> Option<String> {
    let value = format!("principal.profile[{}]", quote(&permission.id));
    match permission.kind {
        Kind::Toggle => Some(value),
        Kind::Enum => Some(format!("{value}.contains(context.level)")),
        Kind::Limit => Some(format!(
            "context.amount >= 0 &&\n  context.amount <= principal.limits[{}]",
            quote(&permission.id)
        )),
        Kind::Scope => {
            let has = |level: &str| permission.levels.iter().any(|l| l == level);
            let mut clauses = Vec::new();
            if has("all") {
                clauses.push(format!("{value}.contains(\"all\")"));
            }
            if has("team") {
                clauses.push(format!(
                    "({value}.contains(\"team\") &&\n   principal has team &&\n   resource has team &&\n   resource.team == principal.team)"
                ));
            }
            if has("own") {
                clauses.push(format!(
                    "({value}.contains(\"own\") &&\n   resource has owner &&\n   resource.owner == principal)"
                ));
            }
            (!clauses.is_empty()).then(|| clauses.join(" ||\n  "))
        }
    }
}

/// The permissions with levels: every kind but limits.
fn levelled(catalog: &Catalog) -> impl Iterator<Item = &Permission> {
    catalog.permissions.iter().filter(|p| p.kind != Kind::Limit)
}

/// The limit-kind permissions.
fn limits(catalog: &Catalog) -> impl Iterator<Item = &Permission> {
    catalog.permissions.iter().filter(|p| p.kind == Kind::Limit)
}

/// `text` as a Cedar string literal.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests;
