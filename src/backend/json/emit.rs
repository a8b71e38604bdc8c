//! From a resolved model to a [`Bundle`].

use std::collections::BTreeMap;

use super::bundle::{self, Bundle, DefaultTag, Location, Member, Profile, Provenance, Value};
use crate::catalog::Kind;
use crate::lint::Waiver;
use crate::load::Naming;
use crate::resolve::Model;
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

pub(super) fn fail(message: impl Into<String>) -> BuildError {
    BuildError {
        message: message.into(),
    }
}

/// The bundle of a resolved policy set: its model, the sources its spans
/// point into, and the waivers the linter left. File names in it are made
/// relative to the policy root by `naming`.
///
/// The caller makes sure the set has no error diagnostic (a model is built
/// even for a set with errors); `Compilation::bundle` at the crate's root
/// does, and is what the command line calls.
pub fn build(
    model: &Model,
    sources: &SourceMap,
    waivers: &[Waiver],
    naming: &Naming,
) -> Result<Bundle, BuildError> {
    let located = |span: Span| Location {
        file: naming.name(&sources.get(span.file).name),
        line: line(sources, span),
    };
    let mut profiles = BTreeMap::new();
    for (id, profile) in model.profiles_with_ids() {
        let Some(view) = model.view(id) else {
            return Err(fail(format!(
                "profile `{}` has no effective permissions",
                profile.name
            )));
        };
        let mut permissions = BTreeMap::new();
        let mut provenance = BTreeMap::new();
        for (perm, held) in view.iter() {
            let permission = model.catalog.get(perm);
            permissions.insert(permission.id.clone(), Value::of(permission, held.value));
            let from = match held.provenance.span() {
                Some(span) => Provenance::Set(located(span)),
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
        let view = model.member_view(member);
        let effective_limits = model
            .catalog
            .iter()
            .filter(|(_, p)| p.kind == Kind::Limit)
            .filter_map(|(id, p)| Some((p.id.clone(), view.get(id)?.value)))
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
    let mut waivers: Vec<bundle::Waiver> = waivers
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
