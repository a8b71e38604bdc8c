//! The OPA bundle (docs/targets.md, "OPA"): a gzipped tar that `opa run -b` loads,
//! with a manifest, the data the policy needs under `data.rolecall.bundle`
//! and one constant Rego v1 policy, `package rolecall.authz`.
//!
//! The bytes depend only on the policy set: entries sorted by path, mtime
//! 0, owner 0:0, mode 0644, and a gzip header without time or file name.

use std::collections::BTreeMap;
use std::io::Write;

use flate2::{Compression, GzBuilder};
use serde::Serialize;

use super::decide::compiled_against;
use super::json::{BuildError, Bundle, FORMAT, Value};
use crate::catalog::{Catalog, Kind};

/// The policy: the same text for every policy set.
pub const POLICY: &str = include_str!("policy.rego");
/// Path of the policy inside the archive.
pub const POLICY_PATH: &str = "rolecall/authz/policy.rego";
/// Path of the data inside the archive, read as `data.rolecall.bundle`.
pub const DATA_PATH: &str = "rolecall/bundle/data.json";
/// Path of the manifest inside the archive.
pub const MANIFEST_PATH: &str = ".manifest";

/// `data.rolecall.bundle`: what the policy reads.
#[derive(Debug, Serialize)]
struct Data<'a> {
    /// Each permission's kind and levels, least access first.
    catalog: BTreeMap<&'a str, Entry<'a>>,
    /// Each member's profile, team and effective limits.
    members: BTreeMap<&'a str, MemberData<'a>>,
    /// Each profile's effective values.
    profiles: BTreeMap<&'a str, &'a BTreeMap<String, Value>>,
}

#[derive(Debug, Serialize)]
struct Entry<'a> {
    kind: Kind,
    levels: &'a [String],
}

#[derive(Debug, Serialize)]
struct MemberData<'a> {
    limits: &'a BTreeMap<String, u64>,
    profile: &'a str,
    team: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct Manifest<'a> {
    metadata: Metadata<'a>,
    rego_version: u8,
    revision: &'a str,
    roots: [&'static str; 1],
}

#[derive(Debug, Serialize)]
struct Metadata<'a> {
    catalog_digest: &'a str,
    format: &'static str,
    platform: &'a str,
}

/// The archive's files, path and bytes, sorted by path.
pub fn files(bundle: &Bundle, catalog: &Catalog) -> Result<Vec<(String, Vec<u8>)>, BuildError> {
    if !compiled_against(bundle, catalog) {
        return Err(BuildError {
            message: format!(
                "the bundle was not compiled against the `{}` catalog given",
                catalog.platform
            ),
        });
    }
    let data = Data {
        catalog: catalog
            .permissions
            .iter()
            .map(|p| {
                let entry = Entry {
                    kind: p.kind,
                    levels: &p.levels,
                };
                (p.id.as_str(), entry)
            })
            .collect(),
        members: bundle
            .members
            .iter()
            .map(|(id, m)| {
                let data = MemberData {
                    limits: &m.effective_limits,
                    profile: &m.profile,
                    team: m.team.as_deref(),
                };
                (id.as_str(), data)
            })
            .collect(),
        profiles: bundle
            .profiles
            .iter()
            .map(|(name, p)| (name.as_str(), &p.permissions))
            .collect(),
    };
    let manifest = Manifest {
        metadata: Metadata {
            catalog_digest: &bundle.catalog_digest,
            format: FORMAT,
            platform: &bundle.platform,
        },
        rego_version: 1,
        revision: &bundle.revision,
        roots: ["rolecall"],
    };
    let mut files = vec![
        (MANIFEST_PATH.to_owned(), pretty(&manifest)?),
        (POLICY_PATH.to_owned(), POLICY.as_bytes().to_vec()),
        (DATA_PATH.to_owned(), compact(&data)?),
    ];
    files.sort();
    Ok(files)
}

/// The bundle as a deterministic `.tar.gz`.
pub fn archive(bundle: &Bundle, catalog: &Catalog) -> Result<Vec<u8>, BuildError> {
    let files = files(bundle, catalog)?;
    tar_gz(&files).map_err(|e| BuildError {
        message: format!("cannot pack the OPA bundle: {e}"),
    })
}

/// Packs `files` (already sorted) into a gzipped tar with fixed metadata.
fn tar_gz(files: &[(String, Vec<u8>)]) -> std::io::Result<Vec<u8>> {
    let gzip = GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), Compression::best());
    let mut tar = tar::Builder::new(gzip);
    for (path, bytes) in files {
        let mut header = tar::Header::new_ustar();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        tar.append_data(&mut header, path, bytes.as_slice())?;
    }
    let mut gzip = tar.into_inner()?;
    gzip.flush()?;
    gzip.finish()
}

fn pretty(value: &impl Serialize) -> Result<Vec<u8>, BuildError> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(json_error)?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn compact(value: &impl Serialize) -> Result<Vec<u8>, BuildError> {
    let mut bytes = serde_json::to_vec(value).map_err(json_error)?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn json_error(error: serde_json::Error) -> BuildError {
    BuildError {
        message: format!("cannot write the OPA bundle's JSON: {error}"),
    }
}

#[cfg(test)]
mod tests;
