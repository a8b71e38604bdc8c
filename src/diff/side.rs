//! The two sides of a diff: compiled policy sets or read bundles.
//!
//! Two policy sets are compiled one after the other so that the second
//! reuses the parsed tree of every file whose name and text are the same on
//! both sides (the common case of `--base`: a pull request touches a few
//! files of many), which makes a diff cost little more than one `check`.

use std::sync::{Arc, OnceLock};

use super::findings::{Finding, findings};
use super::partial::{Partial, unresolved};
use super::view::View;
use crate::Compilation;
use crate::backend::{self, Bundle};
use crate::catalog::{Catalog, Platform};
use crate::lint::LintSettings;
use crate::load::{Naming, Workspace};

/// One side of a diff.
#[derive(Debug)]
pub struct Side {
    /// How the side is named in output: the path, bundle or revision given.
    pub label: String,
    /// The resolved set.
    pub view: View,
    /// Its warnings; `None` for a bundle, which keeps no diagnostics.
    pub findings: Option<Vec<Finding>>,
    /// Admin thresholds of its `rolecall.yaml`; `None` for a bundle.
    pub settings: Option<LintSettings>,
    /// Things worth saying about how the side was read.
    pub notes: Vec<String>,
    /// For a policy set with errors: what of it did not resolve, and is
    /// left out of the comparison on both sides.
    pub partial: Option<Partial>,
    origin: Origin,
}

#[derive(Debug)]
enum Origin {
    Policy {
        compilation: Box<Compilation>,
        naming: Naming,
        revision: OnceLock<Result<String, String>>,
    },
    Bundle {
        revision: String,
    },
    /// A view read from elsewhere: an access snapshot.
    View,
}

/// Why a side cannot be compared.
#[derive(Debug)]
pub enum SideError {
    /// The policy set has errors: its compilation, with every diagnostic.
    Errors(Box<Compilation>),
    /// The bundle cannot be used, and why.
    Bundle(String),
}

impl Side {
    /// The side of a compiled policy set; its errors, when it has any.
    pub fn policy(
        label: &str,
        workspace: &Workspace,
        compilation: Compilation,
    ) -> Result<Side, SideError> {
        let view = match &compilation.model {
            Some(model) if compilation.counts().errors == 0 => {
                View::from_model(model, &compilation.sources, workspace.naming())
            }
            _ => return Err(SideError::Errors(Box::new(compilation))),
        };
        Ok(Side::compiled(label, workspace, compilation, view, None))
    }

    /// The side of a policy set with errors, for what of it resolved (see
    /// [`super::partial`]); its errors when too little resolved.
    pub fn partial(
        label: &str,
        workspace: &Workspace,
        compilation: Compilation,
    ) -> Result<Side, SideError> {
        let (Some(left_out), Some(model)) = (unresolved(&compilation), &compilation.model) else {
            return Err(SideError::Errors(Box::new(compilation)));
        };
        let mut view = View::from_model(model, &compilation.sources, workspace.naming());
        view.profiles
            .retain(|name, _| left_out.profiles.binary_search(name).is_err());
        view.members
            .retain(|id, _| left_out.members.binary_search(id).is_err());
        Ok(Side::compiled(
            label,
            workspace,
            compilation,
            view,
            Some(left_out),
        ))
    }

    /// The side of `compilation` seen through `view`, with the findings and
    /// lint settings of the set; `partial` says what was left out of it.
    fn compiled(
        label: &str,
        workspace: &Workspace,
        compilation: Compilation,
        view: View,
        partial: Option<Partial>,
    ) -> Side {
        let found = findings(&compilation, &view.catalog);
        let config = workspace.config().map(|c| &c.loaded.config);
        Side {
            label: label.to_owned(),
            view,
            findings: Some(found),
            settings: Some(LintSettings::from_config(config)),
            notes: Vec::new(),
            partial,
            origin: Origin::Policy {
                compilation: Box::new(compilation),
                naming: workspace.naming().clone(),
                revision: OnceLock::new(),
            },
        }
    }

    /// The side of a bundle's JSON text, verified against its revision and
    /// read against `catalog` (the other side's, when it is a policy set of
    /// the same platform) or else the platform's built-in catalog.
    pub fn bundle(
        label: &str,
        text: &str,
        catalog: Option<Arc<Catalog>>,
    ) -> Result<Side, SideError> {
        let fail = |reason: String| SideError::Bundle(format!("`{label}`: {reason}"));
        let bundle = Bundle::from_json(text).map_err(|e| fail(e.to_string()))?;
        bundle.verify().map_err(|e| fail(e.to_string()))?;
        let catalog = catalog
            .filter(|c| c.platform == bundle.platform)
            .or_else(|| crate::catalog::builtin_platform(&bundle.platform).map(|p| Arc::clone(&p.catalog)))
            .ok_or_else(|| {
                fail(format!(
                    "no built-in catalog for the platform `{}`: compare it with its policy set instead",
                    bundle.platform
                ))
            })?;
        let mut notes = Vec::new();
        if backend::sha256(catalog.source.as_bytes()) != bundle.catalog_digest {
            notes.push(format!(
                "`{label}` was compiled against another version of the `{}` catalog; its values are read with this one",
                bundle.platform
            ));
        }
        let view = View::from_bundle(&bundle, catalog).map_err(fail)?;
        Ok(Side {
            label: label.to_owned(),
            view,
            findings: None,
            settings: None,
            notes,
            partial: None,
            origin: Origin::Bundle {
                revision: bundle.revision,
            },
        })
    }

    /// The side of a view read from elsewhere (an access snapshot): no
    /// findings, no admin thresholds and no bundle revision.
    pub fn from_view(label: &str, view: View) -> Side {
        Side {
            label: label.to_owned(),
            view,
            findings: None,
            settings: None,
            notes: Vec::new(),
            partial: None,
            origin: Origin::View,
        }
    }

    /// The catalog the side's values refer to.
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.view.catalog
    }

    /// The compilation of a policy side.
    pub fn compilation(&self) -> Option<&Compilation> {
        match &self.origin {
            Origin::Policy { compilation, .. } => Some(compilation),
            Origin::Bundle { .. } | Origin::View => None,
        }
    }

    /// Whether the side was read from a bundle.
    pub fn is_bundle(&self) -> bool {
        matches!(self.origin, Origin::Bundle { .. })
    }

    /// The revision of the side's bundle: as written, or (for a policy set)
    /// of the bundle `build` would write, made on first use.
    pub fn revision(&self) -> Result<String, String> {
        match &self.origin {
            Origin::Bundle { revision } => Ok(revision.clone()),
            Origin::View => Err(format!("`{}` has no bundle revision", self.label)),
            Origin::Policy {
                compilation,
                naming,
                revision,
            } => revision
                .get_or_init(|| compilation.bundle_revision(naming).map_err(|e| e.message))
                .clone(),
        }
    }
}

/// The sides of two policy sets, `(label, workspace)` each. The second set
/// reuses the parse of every file the first has under the same name with
/// the same text, and is compiled while the first side is read.
pub fn policy_pair(
    (old_label, old): (&str, &Workspace),
    (new_label, new): (&str, Workspace),
) -> (Result<Side, SideError>, Result<Side, SideError>) {
    let first = crate::compile(old);
    let new = sharing(old, &new).unwrap_or(new);
    rayon::join(
        || Side::policy(old_label, old, first),
        || Side::policy(new_label, &new, crate::compile(&new)),
    )
}

/// `new`'s sources in a copy of the compiled `old`, so that unchanged files
/// keep their parsed trees; `None` when that cannot give the same
/// compilation as `new` alone.
fn sharing(old: &Workspace, new: &Workspace) -> Option<Workspace> {
    // Text that was not UTF-8 is held lossily: only its bytes would tell.
    if new.files().any(|(_, f)| f.text.contains('\u{FFFD}')) {
        return None;
    }
    if old.platform().is_some() && new.platform().is_none() {
        return None;
    }
    let mut merged = old.clone();
    let stale: Vec<String> = merged
        .files()
        .filter(|(_, f)| new.file(&f.name).is_none())
        .map(|(_, f)| f.name.clone())
        .collect();
    for name in stale {
        merged.remove(&name);
    }
    for (_, file) in new.files() {
        merged.upsert(&file.name, file.text.as_bytes());
    }
    match new.config() {
        Some(config) => merged.set_config(&config.source.name, config.loaded.clone()),
        None => merged.clear_config(),
    }
    if let Some(platform) = new.platform() {
        let id = merged.id_of(&platform.prelude.name);
        let catalog = Catalog::clone(&platform.catalog);
        merged.set_platform(Arc::new(Platform::new(catalog, id)));
    }
    merged.set_naming(new.naming().clone());
    Some(merged)
}
