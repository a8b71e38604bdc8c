//! From a resolved model to a [`Bundle`].

use std::collections::BTreeMap;

use super::bundle::{self, Bundle, DefaultTag, Location, Member, Profile, Provenance, Value};
use crate::Compilation;
use crate::catalog::Kind;
use crate::load::Naming;
use crate::source::{SourceMap, Span};

/// Why no bundle can be made from a compilation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {}

fn fail(message: impl Into<String>) -> BuildError {
    BuildError {
        message: message.into(),
    }
}

/// The bundle of a compilation without error diagnostics; file names in it
/// are made relative to the policy root by `naming`.
pub fn build(compilation: &Compilation, naming: &Naming) -> Result<Bundle, BuildError> {
    let errors = compilation.counts().errors;
    if errors > 0 {
        return Err(fail(format!(
            "the policy set has {errors} error(s), so no bundle is made"
        )));
    }
    let Some(model) = &compilation.model else {
        return Err(fail("the policy set was not resolved"));
    };
    let sources = &compilation.sources;
    let located = |span: Span| Location {
        file: naming.name(&sources.get(span.file).name),
        line: line(sources, span),
    };
    let mut profiles = BTreeMap::new();
    for profile in &model.profiles {
        let Some(effective) = &profile.effective else {
            return Err(fail(format!(
                "profile `{}` has no effective permissions",
                profile.name
            )));
        };
        let mut permissions = BTreeMap::new();
        let mut provenance = BTreeMap::new();
        for (id, permission) in model.catalog.iter() {
            let index = usize::from(id.0);
            let value = effective.values.get(index).copied().unwrap_or_default();
            permissions.insert(permission.id.clone(), Value::of(permission, value));
            let origin = effective.origins.get(index).copied().flatten();
            let from = match origin {
                Some(origin) => Provenance::Set(located(model.origin_span(origin))),
                None => Provenance::Default(DefaultTag::Default),
            };
            provenance.insert(permission.id.clone(), from);
        }
        let entry = Profile {
            admin_equivalent: profile.admin_equivalent,
            builtin: profile.builtin,
            extends: profile
                .extends
                .iter()
                .map(|(name, _)| name.clone())
                .collect(),
            permissions,
            provenance,
        };
        if profiles.insert(profile.name.clone(), entry).is_some() {
            return Err(fail(format!("profile `{}` is defined twice", profile.name)));
        }
    }
    let mut members = BTreeMap::new();
    for member in &model.members {
        let Some(profile) = member.profile else {
            return Err(fail(format!("member `{}` holds no profile", member.id)));
        };
        let limits = member
            .limits
            .iter()
            .map(|l| (model.catalog.get(l.perm).id.clone(), l.value))
            .collect();
        let effective_limits = model
            .catalog
            .iter()
            .filter(|(_, p)| p.kind == Kind::Limit)
            .filter_map(|(id, p)| Some((p.id.clone(), model.member_value(member, id)?)))
            .collect();
        let entry = Member {
            effective_limits,
            limits,
            profile: model.profile(profile).name.clone(),
            team: member.team.clone(),
        };
        if members.insert(member.id.clone(), entry).is_some() {
            return Err(fail(format!("member `{}` is declared twice", member.id)));
        }
    }
    let settings = model
        .catalog
        .iter()
        .filter_map(|(id, p)| {
            let cap = model.caps.get(usize::from(id.0))?.as_ref()?;
            Some((p.id.clone(), cap.value))
        })
        .collect();
    let mut waivers: Vec<bundle::Waiver> = compilation
        .waivers
        .iter()
        .map(|w| {
            let at = located(w.span);
            bundle::Waiver {
                file: at.file,
                line: at.line,
                reason: w.reason.clone(),
                rule: w.rule.clone(),
            }
        })
        .collect();
    waivers.sort_by(|a, b| {
        (&a.file, a.line, &a.rule, &a.reason).cmp(&(&b.file, b.line, &b.rule, &b.reason))
    });
    waivers.dedup();
    let mut bundle = Bundle {
        catalog_digest: bundle::sha256(model.catalog.source.as_bytes()),
        format: bundle::FORMAT.to_owned(),
        members,
        plan: model.plan.clone(),
        platform: model.catalog.platform.clone(),
        profiles,
        revision: String::new(),
        settings,
        waivers,
    };
    bundle.seal();
    Ok(bundle)
}

fn line(sources: &SourceMap, span: Span) -> u64 {
    u64::try_from(sources.line(span)).unwrap_or(u64::MAX)
}
