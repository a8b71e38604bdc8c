//! The bundle's JSON Schema typed for one catalog: the generic schema with
//! every permission id of the catalog and its exact value domain, so that
//! consumers generate typed bundles (TypeScript, Python) from it.

use serde_json::{Map, Value as Json, json};

use super::bundle::{Bundle, sha256};
use crate::catalog::{Catalog, Kind};

impl Bundle {
    /// The bundle's JSON Schema for sets compiled against `catalog`:
    /// `permissions` of a profile name every id, each a level `enum` or a
    /// non-negative integer limit; provenance, caps and member limits name
    /// only the catalog's ids; `platform` and `catalog_digest` are fixed.
    pub fn typed_json_schema(catalog: &Catalog) -> String {
        crate::text::pretty_json(&typed_schema(catalog))
    }
}

/// The typed schema as a JSON value.
pub fn typed_schema(catalog: &Catalog) -> Json {
    let mut schema = serde_json::to_value(schemars::schema_for!(Bundle)).unwrap_or(Json::Null);
    let ids: Vec<&str> = catalog.permissions.iter().map(|p| p.id.as_str()).collect();
    let limits: Vec<&str> = catalog
        .permissions
        .iter()
        .filter(|p| p.kind == Kind::Limit)
        .map(|p| p.id.as_str())
        .collect();
    let mut domains = Map::new();
    for p in &catalog.permissions {
        let domain = match p.kind {
            Kind::Limit => json!({"type": "integer", "minimum": 0}),
            _ => json!({"type": "string", "enum": p.levels}),
        };
        let mut domain = domain;
        if !p.label.is_empty() {
            domain["description"] = json!(p.label);
        }
        domains.insert(p.id.clone(), domain);
    }
    let limit_map = json!({
        "type": "object",
        "propertyNames": {"enum": limits},
        "additionalProperties": {"type": "integer", "minimum": 0}
    });
    schema["title"] = json!(format!("rolecall bundle for {}", catalog.platform));
    schema["$defs"]["Permissions"] = json!({
        "description": format!("Every permission of `{}` with its effective value.", catalog.platform),
        "type": "object",
        "properties": domains,
        "required": ids,
        "additionalProperties": false
    });
    let properties = &mut schema["properties"];
    properties["platform"]["const"] = json!(catalog.platform);
    properties["catalog_digest"]["const"] = json!(sha256(catalog.source.as_bytes()));
    set_keeping_description(&mut properties["settings"], limit_map.clone());
    let profile = &mut schema["$defs"]["Profile"]["properties"];
    set_keeping_description(
        &mut profile["permissions"],
        json!({"$ref": "#/$defs/Permissions"}),
    );
    let provenance = &mut profile["provenance"];
    provenance["propertyNames"] = json!({"enum": ids});
    provenance["required"] = json!(ids);
    let member = &mut schema["$defs"]["Member"]["properties"];
    set_keeping_description(&mut member["limits"], limit_map.clone());
    set_keeping_description(&mut member["effective_limits"], limit_map);
    schema
}

/// Replaces a property's schema with `with`, keeping its description.
fn set_keeping_description(slot: &mut Json, mut with: Json) {
    if let Some(description) = slot.get("description").cloned() {
        with["description"] = description;
    }
    *slot = with;
}
