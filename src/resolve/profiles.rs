//! Collecting caps, profiles and their own settings; the checks that need
//! effective values (locked settings) and the plan gate.

use std::sync::Arc;

use super::{Cap, Model, OwnSetting, Profile, ProfileId, values};
use crate::catalog::{Catalog, Kind};
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{self, Setting, Statement};

/// Who wrote a list of settings; decides clamping and which kinds are allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Owner {
    /// A prelude profile: values above a cap are clamped silently.
    Prelude,
    /// A user profile.
    Profile,
    /// A member: limit-kind permissions only.
    Member,
}

/// The caps of every `settings` block.
pub(super) fn caps(
    catalog: &Catalog,
    files: &[Arc<ast::File>],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Option<Cap>> {
    let mut caps: Vec<Option<Cap>> = vec![None; catalog.len()];
    let blocks = files
        .iter()
        .flat_map(|f| &f.statements)
        .filter_map(|s| match s {
            Statement::Settings(block) => Some(block),
            _ => None,
        });
    for setting in blocks.flat_map(|b| &b.settings) {
        let (perm, value) = match values::check(catalog, setting) {
            Ok(checked) => checked,
            Err(d) => {
                diagnostics.push(*d);
                continue;
            }
        };
        let permission = catalog.get(perm);
        if permission.kind != Kind::Limit {
            diagnostics.push(
                Diagnostic::error(
                    "invalid-value",
                    setting.span(),
                    format!(
                        "`settings` holds caps on limits, and `{}` is {}",
                        setting.id,
                        permission.kind.with_article()
                    ),
                )
                .with_primary("not a limit")
                .with_help(format!("set `{}` in a profile instead", setting.id)),
            );
            continue;
        }
        match &caps[perm.0 as usize] {
            Some(first) => diagnostics.push(duplicate_setting(setting, first.span)),
            None => {
                caps[perm.0 as usize] = Some(Cap {
                    value,
                    span: setting.span(),
                })
            }
        }
    }
    caps
}

fn duplicate_setting(setting: &Setting, first: Span) -> Diagnostic {
    Diagnostic::error(
        "duplicate-setting",
        setting.span(),
        format!("`{}` is set twice", setting.id),
    )
    .with_primary("set again here")
    .with_label(first, "first set here")
    .with_help("remove one of the two settings")
}

/// Checks `settings` against the catalog and the caps; returns the valid ones.
pub(super) fn own_settings(
    catalog: &Catalog,
    caps: &[Option<Cap>],
    settings: &[Setting],
    owner: Owner,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<OwnSetting> {
    // Indexed by permission: a table the size of the catalog is cheaper than
    // hashing every setting, and resolution already costs that per profile.
    let mut first_at: Vec<Option<Span>> = vec![None; catalog.len()];
    let mut own = Vec::with_capacity(settings.len());
    for (index, setting) in settings.iter().enumerate() {
        let (perm, mut value) = match values::check(catalog, setting) {
            Ok(checked) => checked,
            Err(d) => {
                diagnostics.push(*d);
                continue;
            }
        };
        let permission = catalog.get(perm);
        if owner == Owner::Member && permission.kind != Kind::Limit {
            diagnostics.push(
                Diagnostic::error(
                    "member-setting-not-allowed",
                    setting.id_span,
                    format!(
                        "a member may set only limits, and `{}` is {}",
                        setting.id,
                        permission.kind.with_article()
                    ),
                )
                .with_primary("not a limit")
                .with_help(format!(
                    "set `{}` in the member's profile instead",
                    setting.id
                )),
            );
            continue;
        }
        let slot = &mut first_at[perm.0 as usize];
        if let Some(first) = slot {
            diagnostics.push(duplicate_setting(setting, *first));
            continue;
        }
        *slot = Some(setting.span());
        if let Some(cap) = &caps[perm.0 as usize]
            && permission.kind == Kind::Limit
            && value > cap.value
        {
            if owner == Owner::Prelude {
                value = cap.value;
            } else {
                diagnostics.push(
                    Diagnostic::error(
                        "limit-exceeds-cap",
                        setting.value_span,
                        format!(
                            "`{}` is {value}, above the organisation cap of {}",
                            setting.id, cap.value
                        ),
                    )
                    .with_primary("above the cap")
                    .with_label(cap.span, "cap set here")
                    .with_help(format!(
                        "lower it to {} or less, or raise the cap",
                        cap.value
                    )),
                );
            }
        }
        own.push(OwnSetting {
            perm,
            value,
            index: u32::try_from(index).unwrap_or(u32::MAX),
        });
    }
    own
}

/// Adds the profiles of `files` to the model.
pub(super) fn collect(
    model: &mut Model,
    files: &[Arc<ast::File>],
    builtin: bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let owner = if builtin {
        Owner::Prelude
    } else {
        Owner::Profile
    };
    // Exactly as many as there are: growth would leave up to half unused.
    let count = files
        .iter()
        .flat_map(|f| &f.statements)
        .filter(|s| matches!(s, Statement::Profile(_)))
        .count();
    model.profiles.reserve_exact(count);
    for file in files {
        for (statement_index, statement) in file.statements.iter().enumerate() {
            let Statement::Profile(profile) = statement else {
                continue;
            };
            if !builtin && !model.catalog.custom_profiles {
                diagnostics.push(custom_unsupported(model, profile));
                continue;
            }
            let name = &profile.name.value;
            if let Some(&first) = model.by_name.get(name) {
                let first = model.profile(first);
                let (label, help) = if first.builtin {
                    (
                        "built-in profile defined here",
                        format!(
                            "built-in profiles cannot be redefined: pick another name, or extend `{name}`"
                        ),
                    )
                } else {
                    (
                        "first defined here",
                        "rename one of the two profiles, or merge them".to_owned(),
                    )
                };
                diagnostics.push(
                    Diagnostic::error(
                        "duplicate-profile",
                        profile.name.span,
                        format!("profile `{name}` is defined twice"),
                    )
                    .with_primary("defined again here")
                    .with_label(first.name_span, label)
                    .with_help(help),
                );
                continue;
            }
            let own = own_settings(
                &model.catalog,
                &model.caps,
                &profile.settings,
                owner,
                diagnostics,
            );
            let id = ProfileId(model.profiles.len() as u32);
            model.by_name.insert(name.clone(), id);
            model.profiles.push(Profile {
                name: name.clone(),
                name_span: profile.name.span,
                header: profile.header,
                extends_span: profile.extends.as_ref().map(|e| e.span),
                builtin,
                extends: profile
                    .extends
                    .iter()
                    .flat_map(|e| &e.parents)
                    .map(|p| (p.value.clone(), p.span))
                    .collect(),
                parents: Vec::new(),
                description: profile.description.as_ref().map(|d| d.value.clone()),
                own,
                effective: None,
                extends_admin: false,
                admin_equivalent: false,
                tree: u32::try_from(statement_index)
                    .ok()
                    .map(|i| (Arc::clone(file), i)),
            });
        }
    }
}

fn custom_unsupported(model: &Model, profile: &ast::Profile) -> Diagnostic {
    let builtins: Vec<String> = model
        .profiles
        .iter()
        .map(|p| format!("`{}`", p.name))
        .collect();
    Diagnostic::error(
        "custom-profiles-unsupported",
        profile.header,
        format!(
            "`{}` has no custom profiles, so profile `{}` cannot be defined",
            model.catalog.platform, profile.name.value
        ),
    )
    .with_primary("custom profile")
    .with_help(format!(
        "remove the profile and give members one of the built-in profiles: {}",
        builtins.join(", ")
    ))
}

/// `locked-setting`: a profile under Admin lowers a locked permission.
pub(super) fn check_locked(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    let Some(admin_id) = model.admin else {
        return;
    };
    let admin = model.profile(admin_id);
    for (_, profile) in model.custom_profiles() {
        if !profile.extends_admin || profile.effective.is_none() {
            continue;
        }
        for setting in &profile.own {
            let permission = model.catalog.get(setting.perm);
            let Some(admin_value) = admin.value(setting.perm) else {
                continue;
            };
            if !permission.locked || setting.value >= admin_value {
                continue;
            }
            let via = profile
                .parents
                .iter()
                .find(|&&p| p == admin_id || model.profile(p).extends_admin)
                .map(|&p| model.profile(p));
            let mut diagnostic = Diagnostic::error(
                "locked-setting",
                profile.own_value_span(setting),
                format!(
                    "`{}` is locked at `{}` for profiles that extend `Admin`",
                    permission.id,
                    permission.display(admin_value)
                ),
            )
            .with_primary(format!(
                "lowered to `{}`",
                permission.display(setting.value)
            ))
            .with_help(format!(
                "remove the setting, or build `{}` on a profile other than `Admin`",
                profile.name
            ));
            if let Some(span) = profile.extends_span {
                let message = match via {
                    Some(parent) if parent.name != "Admin" => {
                        format!("extends `{}`, which extends `Admin`", parent.name)
                    }
                    _ => "extends `Admin`".to_owned(),
                };
                diagnostic = diagnostic.with_label(span, message);
            }
            diagnostics.push(diagnostic);
        }
    }
}

/// `plan-required`: custom profiles on a plan below the catalog's minimum.
pub(super) fn check_plan(
    model: &Model,
    plan_span: Option<Span>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let catalog = &model.catalog;
    let (Some(min), Some(plan)) = (catalog.custom_profiles_min_plan, &model.plan) else {
        return;
    };
    let Some(index) = catalog.plan_index(plan) else {
        return;
    };
    if index >= min {
        return;
    }
    let mut custom = model.custom_profiles();
    let Some((_, first)) = custom.next() else {
        return;
    };
    let count = 1 + custom.count();
    let allowed: Vec<String> = catalog.plans[min..]
        .iter()
        .map(|p| format!("`{p}`"))
        .collect();
    let mut diagnostic = Diagnostic::error(
        "plan-required",
        first.header,
        format!(
            "custom profiles need the `{}` plan or above, and this set is on `{plan}`",
            catalog.plans[min]
        ),
    )
    .with_primary(if count == 1 {
        "the set's only custom profile".to_owned()
    } else {
        format!("first of {count} custom profiles")
    })
    .with_help(format!(
        "move to plan {}, or give members the built-in profiles only",
        allowed.join(" or ")
    ));
    if let Some(span) = plan_span {
        diagnostic = diagnostic.with_label(span, format!("plan `{plan}` declared here"));
    }
    diagnostics.push(diagnostic);
}
