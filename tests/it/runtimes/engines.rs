//! The two engines, loading the artefacts as a service would: regorus from
//! the OPA bundle's `.tar.gz` (regorus reads no bundles, so the loader here
//! honours the manifest's `roots` and puts each `data.json` at the data
//! path of its folder), cedar-policy from the three files of the Cedar
//! policy set.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::str::FromStr;

use cedar_policy::{
    Authorizer, Context, Entities, EntityId, EntityTypeName, EntityUid, PolicySet, Schema,
    ValidationMode, Validator,
};
use rolecall::backend::{Amount, Request, Resource};
use rolecall::catalog::{Catalog, Kind};
use serde_json::{Value as Json, json};

/// Files of an artefact, path → bytes.
pub type Files = BTreeMap<String, Vec<u8>>;

/// The entries of a `.tar.gz`.
pub fn unpack(archive: &[u8]) -> Result<Files, String> {
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(archive));
    let mut files = Files::new();
    for entry in tar.entries().map_err(|e| e.to_string())? {
        let mut entry = entry.map_err(|e| e.to_string())?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = entry.path().map_err(|e| e.to_string())?;
        let path = path.to_string_lossy().trim_start_matches('/').to_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        files.insert(path, bytes);
    }
    Ok(files)
}

/// Whether slash-separated `path` lies under one of `roots`.
fn under(path: &str, roots: &[String]) -> bool {
    roots
        .iter()
        .any(|root| root.is_empty() || path == root || path.starts_with(&format!("{root}/")))
}

/// regorus with an OPA bundle loaded.
pub struct Opa {
    engine: regorus::Engine,
}

impl Opa {
    /// Loads the files of an OPA bundle: `.manifest` roots, `*.rego`
    /// policies, `data.json` documents at their folder's path.
    pub fn load(files: &Files) -> Result<Opa, String> {
        let roots: Vec<String> = match files.get(".manifest") {
            Some(bytes) => {
                let manifest: Json = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
                match manifest.get("roots") {
                    Some(Json::Array(roots)) => roots
                        .iter()
                        .map(|r| {
                            r.as_str()
                                .map(str::to_owned)
                                .ok_or("a root is not a string")
                        })
                        .collect::<Result<_, _>>()?,
                    _ => vec![String::new()],
                }
            }
            None => vec![String::new()],
        };
        let mut engine = regorus::Engine::new();
        let mut data = Json::Object(Default::default());
        for (path, bytes) in files {
            let text = std::str::from_utf8(bytes).map_err(|e| format!("{path}: {e}"))?;
            if path.ends_with(".rego") {
                let package = text
                    .lines()
                    .find_map(|l| l.trim().strip_prefix("package "))
                    .ok_or(format!("{path} has no package"))?;
                let at = package.trim().replace('.', "/");
                if !under(&at, &roots) {
                    return Err(format!("package {package} is outside the roots {roots:?}"));
                }
                engine
                    .add_policy(path.clone(), text.to_owned())
                    .map_err(|e| e.to_string())?;
            } else if path == "data.json" || path.ends_with("/data.json") {
                let folder = path.trim_end_matches("data.json").trim_end_matches('/');
                if !under(folder, &roots) {
                    return Err(format!("{path} is outside the roots {roots:?}"));
                }
                let mut document: Json =
                    serde_json::from_str(text).map_err(|e| format!("{path}: {e}"))?;
                for key in folder.rsplit('/').filter(|k| !k.is_empty()) {
                    document = json!({ key: document });
                }
                merge(&mut data, document);
            }
        }
        let data = regorus::Value::from_json_str(&data.to_string()).map_err(|e| e.to_string())?;
        engine.add_data(data).map_err(|e| e.to_string())?;
        Ok(Opa { engine })
    }

    /// `allow` alone for the input document `input`, as a service asks.
    pub fn allowed(&mut self, input: &Json) -> Result<bool, String> {
        let input = regorus::Value::from_json_str(&input.to_string()).map_err(|e| e.to_string())?;
        self.engine.set_input(input);
        let allow = self
            .engine
            .eval_rule("data.rolecall.authz.allow".to_owned())
            .map_err(|e| e.to_string())?;
        Ok(allow == regorus::Value::from(true))
    }

    /// `allow` and `reasons` for the input document `input`.
    pub fn ask(&mut self, input: &Json) -> Result<(bool, BTreeSet<String>), String> {
        let allow = self.allowed(input)?;
        let reasons = self
            .engine
            .eval_rule("data.rolecall.authz.reasons".to_owned())
            .map_err(|e| e.to_string())?;
        let reasons = match reasons {
            regorus::Value::Undefined => BTreeSet::new(),
            set => set
                .as_set()
                .map_err(|e| e.to_string())?
                .iter()
                .map(|r| r.as_string().map(|s| s.to_string()).unwrap_or_default())
                .collect(),
        };
        Ok((allow, reasons))
    }
}

fn merge(into: &mut Json, from: Json) {
    match (into, from) {
        (Json::Object(into), Json::Object(from)) => {
            for (key, value) in from {
                match into.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        into.insert(key, value);
                    }
                }
            }
        }
        (into, from) => *into = from,
    }
}

/// cedar-policy with a Cedar policy set loaded, and the caller's `Record`
/// entities for the resources it will ask about.
pub struct Cedar {
    schema: Schema,
    policies: PolicySet,
    entities: Entities,
    records: BTreeMap<(Option<String>, Option<String>), String>,
    kinds: BTreeMap<String, Kind>,
}

impl Cedar {
    /// Loads `rolecall.cedarschema`, `policies.cedar` and `entities.json`,
    /// checks the policies in strict mode and adds a `Record` per resource.
    pub fn load(files: &Files, catalog: &Catalog, resources: &[Resource]) -> Result<Cedar, String> {
        let text = |name: &str| {
            let bytes = files.get(name).ok_or(format!("no {name}"))?;
            String::from_utf8(bytes.clone()).map_err(|e| e.to_string())
        };
        let (schema, warnings) = Schema::from_cedarschema_str(&text("rolecall.cedarschema")?)
            .map_err(|e| format!("{e:?}"))?;
        let warnings: Vec<String> = warnings.map(|w| w.to_string()).collect();
        if !warnings.is_empty() {
            return Err(format!("schema warnings: {warnings:?}"));
        }
        let policies =
            PolicySet::from_str(&text("policies.cedar")?).map_err(|e| format!("{e:?}"))?;
        let validated = Validator::new(schema.clone()).validate(&policies, ValidationMode::Strict);
        if !validated.validation_passed_without_warnings() {
            let found: Vec<String> = validated
                .validation_errors()
                .map(|e| e.to_string())
                .chain(validated.validation_warnings().map(|w| w.to_string()))
                .collect();
            return Err(format!("strict validation: {found:?}"));
        }
        let entities = Entities::from_json_str(&text("entities.json")?, Some(&schema))
            .map_err(|e| format!("{e:?}"))?;
        // The file loads without the schema too.
        Entities::from_json_str(&text("entities.json")?, None).map_err(|e| format!("{e:?}"))?;
        let mut records = BTreeMap::new();
        let mut added = Vec::new();
        for resource in resources {
            let key = (resource.owner.clone(), resource.team.clone());
            if records.contains_key(&key) {
                continue;
            }
            let id = format!("r{}", records.len());
            let mut attrs = serde_json::Map::new();
            if let Some(owner) = &resource.owner {
                attrs.insert(
                    "owner".into(),
                    json!({"__entity": {"type": "User", "id": owner}}),
                );
            }
            if let Some(team) = &resource.team {
                attrs.insert("team".into(), json!(team));
            }
            added.push(json!({"uid": {"type": "Record", "id": id}, "attrs": attrs, "parents": []}));
            records.insert(key, id);
        }
        let entities = entities
            .add_entities_from_json_value(Json::Array(added), Some(&schema))
            .map_err(|e| format!("{e:?}"))?;
        let kinds = catalog
            .permissions
            .iter()
            .map(|p| (p.id.clone(), p.kind))
            .collect();
        Ok(Cedar {
            schema,
            policies,
            entities,
            records,
            kinds,
        })
    }

    /// Cedar's decision on `request`, mapped as docs/targets.md, "Cedar", says; a
    /// request that cannot be mapped or does not validate is denied.
    pub fn ask(&self, request: &Request) -> bool {
        let Some(cedar) = self.request(request) else {
            return false;
        };
        let response = Authorizer::new().is_authorized(&cedar, &self.policies, &self.entities);
        response.decision() == cedar_policy::Decision::Allow
    }

    fn request(&self, request: &Request) -> Option<cedar_policy::Request> {
        let principal = uid("User", &request.member)?;
        let action = uid("Action", &request.permission)?;
        let key = (
            request.resource.owner.clone(),
            request.resource.team.clone(),
        );
        let resource = uid("Record", self.records.get(&key)?)?;
        let context = match self.kinds.get(&request.permission) {
            Some(Kind::Enum) => match &request.level {
                Some(level) => json!({ "level": level }),
                None => json!({}),
            },
            Some(Kind::Limit) => match &request.amount {
                Some(Amount::Count(n)) => json!({ "amount": i64::try_from(*n).ok()? }),
                Some(Amount::Malformed(Json::Number(n))) => json!({ "amount": n.as_i64()? }),
                Some(Amount::Malformed(_)) => return None,
                None => json!({}),
            },
            _ => json!({}),
        };
        let context = Context::from_json_value(context, Some((&self.schema, &action))).ok()?;
        cedar_policy::Request::new(principal, action, resource, context, Some(&self.schema)).ok()
    }
}

fn uid(kind: &str, id: &str) -> Option<EntityUid> {
    let kind = EntityTypeName::from_str(kind).ok()?;
    Some(EntityUid::from_type_name_and_id(kind, EntityId::new(id)))
}
