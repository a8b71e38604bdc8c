//! Properties of generated Apollo policy sets (see "Property tests" in
//! `docs/robustness.md`):
//!
//! 1. checking never panics, on valid sets and on sets with invalid
//!    ingredients, and valid sets check without errors;
//! 2. the bundle does not depend on the order of files (byte for byte) nor
//!    on the order of statements in a file (positions normalised);
//! 3. raising one setting never lowers an effective value anywhere;
//! 4. every effective value is the join of the parents' values (or the
//!    capped default) overridden by the profile's own settings, as computed
//!    by an oracle written here.
//!
//! Each property runs 96 cases, or `PROPTEST_CASES` when it is set.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::sample::Index;
use rolecall::Compilation;
use rolecall::backend::{Bundle, DefaultTag, Location, Naming, Provenance, Value};
use rolecall::catalog::{Kind, PermId};
use rolecall::diagnostics::render::{HumanStyle, JsonDiagnostic, render_human};
use rolecall::load::Workspace as Project;
use rolecall::resolve::Model;

use crate::common::properties::config;
use crate::common::properties::oracle::From;
use crate::common::properties::render::{Layout, Rendered, render};
use crate::common::properties::set::{CATALOG, Set, Setting, valid_set};
use crate::common::properties::{invalid, oracle};

/// What `rolecall check` does: compile, then render every diagnostic for
/// people (plain and coloured) and as JSON.
fn check(project: &Project) -> (Compilation, String) {
    let compilation = rolecall::compile(project);
    let mut human = String::new();
    for style in [
        HumanStyle::default(),
        HumanStyle {
            color: true,
            width: 32,
        },
    ] {
        for diagnostic in &compilation.diagnostics {
            human.push_str(&render_human(diagnostic, &compilation.sources, style));
        }
    }
    let json: Vec<JsonDiagnostic> = compilation
        .diagnostics
        .iter()
        .map(|d| JsonDiagnostic::new(d, &compilation.sources))
        .collect();
    let json = serde_json::to_string(&json).expect("diagnostics serialise");
    assert!(json.starts_with('['), "{json}");
    (compilation, human)
}

/// The bundle of a set that must be valid.
fn bundle(project: &Project) -> Result<(Compilation, Bundle), TestCaseError> {
    let compilation = rolecall::compile(project);
    if compilation.counts().errors > 0 {
        let (_, human) = check(project);
        return Err(TestCaseError::fail(format!(
            "a valid set has errors:\n{human}"
        )));
    }
    let bundle = compilation.bundle(&Naming::identity());
    let bundle = bundle.map_err(|e| TestCaseError::fail(e.message))?;
    Ok((compilation, bundle))
}

fn model(compilation: &Compilation) -> &Model {
    compilation.model.as_ref().expect("a valid set resolves")
}

/// Every profile's effective values, by name, read from the model.
fn values(model: &Model) -> BTreeMap<String, Vec<u64>> {
    model
        .profiles
        .iter()
        .map(|p| {
            let values = CATALOG
                .iter()
                .map(|(perm, _)| p.value(perm).expect("resolved"))
                .collect();
            (p.name.clone(), values)
        })
        .collect()
}

/// The bundle as JSON, with every `{file, line}` of a policy file replaced
/// by the statement on that line, and without its revision digest.
fn normalised(bundle: &Bundle, rendered: &Rendered) -> serde_json::Value {
    let mut json = serde_json::to_value(bundle).expect("bundle serialises");
    let mut place = |at: &mut serde_json::Value| {
        let file = at["file"].as_str().unwrap_or_default().to_owned();
        if file.starts_with("prelude:") {
            return;
        }
        let line = at["line"].as_u64().unwrap_or_default();
        let key = rendered.lines.get(&(file.clone(), line)).cloned();
        at["line"] = serde_json::Value::from(key.unwrap_or_else(|| format!("?{line}")));
    };
    if let Some(profiles) = json["profiles"].as_object_mut() {
        for profile in profiles.values_mut() {
            if let Some(provenance) = profile["provenance"].as_object_mut() {
                provenance
                    .values_mut()
                    .filter(|p| p.is_object())
                    .for_each(&mut place);
            }
        }
    }
    if let Some(waivers) = json["waivers"].as_array_mut() {
        waivers.iter_mut().for_each(&mut place);
        waivers.sort_by_key(|w| w.to_string());
    }
    if let Some(object) = json.as_object_mut() {
        object.remove("revision");
    }
    json
}

proptest! {
    #![proptest_config(config(96))]

    /// 1. `check` never panics; a generated valid set has no errors, and a
    ///    set with errors gives no bundle.
    #[test]
    fn checking_never_panics(
        set in valid_set(),
        ingredients in prop::collection::vec(invalid::ingredient(), 0..4),
    ) {
        let project = Project::from_files(invalid::spoil(&set, &ingredients));
        let (compilation, human) = check(&project);
        let errors = compilation.counts().errors;
        if ingredients.is_empty() {
            prop_assert_eq!(errors, 0, "{}", human);
        }
        let built = compilation.bundle(&Naming::identity());
        prop_assert_eq!(built.is_ok(), errors == 0, "{}", human);
        if let Some(model) = &compilation.model {
            for profile in &model.profiles {
                let _ = rolecall::explain::table(model, &compilation.sources, &profile.name);
                let _ = rolecall::explain::chain(
                    model,
                    &compilation.sources,
                    &profile.name,
                    "mailbox.sending_limit",
                );
            }
        }
    }

    /// 2. The bundle is the same bytes whatever the order in which files
    ///    are given, and the same up to positions whatever the order of
    ///    statements in each file and of settings in each block.
    #[test]
    fn bundles_do_not_depend_on_order(set in valid_set(), seed in any::<u64>()) {
        let natural = render(&set, &Layout::natural(&set));
        let (_, base) = bundle(&natural.project(None))?;

        let files_only = render(&set, &Layout::shuffled(&set, seed, false));
        let (_, reordered) = bundle(&files_only.project(None))?;
        prop_assert_eq!(reordered.to_json(), base.to_json());

        let everything = render(&set, &Layout::shuffled(&set, seed, true));
        let (_, moved) = bundle(&everything.project(None))?;
        prop_assert_eq!(normalised(&moved, &everything), normalised(&base, &natural));
    }

    /// 3. Raising one setting of one profile (or adding one above the value
    ///    it inherits) lowers no effective value of any profile or member;
    ///    profiles that do not descend from it keep every value.
    #[test]
    fn raising_a_setting_lowers_nothing(
        set in valid_set(),
        pick in any::<Index>(),
        raw in any::<u64>(),
    ) {
        let rendered = render(&set, &Layout::natural(&set));
        let expected = oracle::effective(&set, &rendered);
        let Some((raised, target, perm, value)) = raise(&set, &expected, pick, raw) else {
            return Ok(());
        };
        let (before, _) = bundle(&set.project())?;
        let (after, _) = bundle(&raised.project())?;
        let (before_model, after_model) = (model(&before), model(&after));
        let (old, new) = (values(before_model), values(after_model));
        prop_assert_eq!(new[&set.profiles[target].name][usize::from(perm.0)], value);
        for (name, old_values) in &old {
            let below = set.position(name).is_some_and(|i| set.descends(i, target));
            for (i, (&was, &is)) in old_values.iter().zip(&new[name]).enumerate() {
                let id = &CATALOG.permissions[i].id;
                prop_assert!(is >= was, "{name} {id}: {was} became {is}");
                prop_assert!(below || is == was, "{name} {id}: {was} became {is}");
            }
        }
        for (m, n) in before_model.members.iter().zip(&after_model.members) {
            for (perm, _) in CATALOG.iter() {
                prop_assert!(after_model.member_value(n, perm) >= before_model.member_value(m, perm));
            }
        }
    }

    /// 4. Every effective value is at most the join of the parents' values
    ///    and the profile's own setting, and is exactly what the oracle
    ///    computes: in the model and in the bundle, with provenance.
    #[test]
    fn effective_values_are_the_join_of_the_parents(set in valid_set()) {
        let rendered = render(&set, &Layout::natural(&set));
        let expected = oracle::effective(&set, &rendered);
        let (compilation, bundle) = bundle(&rendered.project(None))?;
        let model = model(&compilation);
        let found = values(model);
        prop_assert_eq!(found.len(), expected.len());
        for profile in &model.profiles {
            let name = &profile.name;
            let own = set.position(name).map(|i| &set.profiles[i].settings);
            for (perm, permission) in CATALOG.iter() {
                let i = usize::from(perm.0);
                let value = found[name][i];
                // The bound, from the model's own parents' values.
                let setting = own.and_then(|s| s.iter().find(|s| s.perm == perm));
                let join = profile.parents.iter().map(|&p| found[&model.profile(p).name][i]).max();
                let bound = match (setting, join) {
                    (Some(s), _) => s.value,
                    (None, Some(join)) => join,
                    (None, None) => expected[name].values[i],
                };
                prop_assert!(value <= bound, "{name} {}: {value} above {bound}", permission.id);
                // The exact value and its provenance, from the oracle.
                let want = &expected[name];
                prop_assert_eq!(value, want.values[i], "{} {}", name, permission.id);
                let entry = &bundle.profiles[name];
                prop_assert_eq!(&entry.permissions[&permission.id], &as_bundle(perm, want.values[i]));
                let from = match &want.from[i] {
                    From::Default => Provenance::Default(DefaultTag::Default),
                    From::Prelude(line) => Provenance::Set(Location {
                        file: "prelude:apollo".to_owned(),
                        line: *line,
                    }),
                    From::File(file, line) => Provenance::Set(Location {
                        file: file.clone(),
                        line: *line,
                    }),
                };
                prop_assert_eq!(&entry.provenance[&permission.id], &from, "{} {}", name, permission.id);
            }
            let admin = oracle::admin_equivalent(&expected[name]);
            prop_assert_eq!(profile.admin_equivalent, admin, "{}", name);
            prop_assert_eq!(bundle.profiles[name].admin_equivalent, admin, "{}", name);
        }
        for member in &set.members {
            let entry = &bundle.members[&member.id];
            let profile = member.profile.clone().unwrap_or_else(|| "Non-admin".to_owned());
            let limit = CATALOG.lookup("mailbox.sending_limit").expect("a limit");
            let want = member.limit.unwrap_or(expected[&profile].values[usize::from(limit.0)]);
            prop_assert_eq!(&entry.profile, &profile);
            prop_assert_eq!(entry.effective_limits["mailbox.sending_limit"], want);
        }
    }
}

/// A value as the bundle writes it.
fn as_bundle(perm: PermId, value: u64) -> Value {
    let permission = CATALOG.get(perm);
    match permission.kind {
        Kind::Limit => Value::Limit(value),
        _ => Value::Level(permission.levels[value as usize].clone()),
    }
}

/// `set` with one profile's value of one permission raised above its
/// effective value, within the levels and the cap: the new set, the
/// profile's index, the permission and the new value.
fn raise(
    set: &Set,
    effective: &BTreeMap<String, oracle::Effective>,
    pick: Index,
    raw: u64,
) -> Option<(Set, usize, PermId, u64)> {
    let mut candidates = Vec::new();
    for (i, profile) in set.profiles.iter().enumerate() {
        for (perm, permission) in CATALOG.iter() {
            let current = effective[&profile.name].values[usize::from(perm.0)];
            let top = match permission.kind {
                Kind::Limit => set.cap_of(perm).unwrap_or(current + 1000),
                _ => permission.levels.len() as u64 - 1,
            };
            if current < top {
                candidates.push((i, perm, current, top));
            }
        }
    }
    if candidates.is_empty() {
        return None;
    }
    let (i, perm, current, top) = *pick.get(&candidates);
    let value = current + 1 + raw % (top - current);
    let mut raised = set.clone();
    let settings = &mut raised.profiles[i].settings;
    match settings.iter_mut().find(|s| s.perm == perm) {
        Some(setting) => setting.value = value,
        None => settings.push(Setting {
            perm,
            value,
            grouped: raw % 2 == 0,
            allow: None,
        }),
    }
    Some((raised, i, perm, value))
}
