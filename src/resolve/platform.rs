//! Choosing the set's platform, plan and catalog, then resolving with the
//! platform's prelude.

use std::sync::Arc;

use crate::catalog::{self, Catalog, Platform};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::load::config::LoadedConfig;
use crate::resolve::{self, Model};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast;

/// A `platform` or `plan` declaration: its value and where it is written.
struct Declared {
    value: String,
    span: Span,
    /// The whole statement (or configuration line), for labels.
    statement: Span,
}

/// Declarations of the configuration (first) and every file, in order.
fn declared(
    config: Option<(FileId, &LoadedConfig)>,
    files: &[Arc<ast::File>],
    key: &str,
    pick: impl Fn(&crate::load::config::Config) -> Option<&String>,
    statement: impl Fn(&ast::Statement) -> Option<&ast::Word>,
) -> Vec<Declared> {
    let mut out = Vec::new();
    if let Some((id, loaded)) = config
        && let Some(value) = pick(&loaded.config)
    {
        let span = loaded
            .value_span(key)
            .map_or(Span::new(id, 0, 0), |(s, e)| Span::new(id, s, e));
        out.push(Declared {
            value: value.clone(),
            span,
            statement: span,
        });
    }
    for word in files
        .iter()
        .flat_map(|f| &f.statements)
        .filter_map(statement)
    {
        out.push(Declared {
            value: word.value.clone(),
            span: word.span,
            statement: word.statement,
        });
    }
    out
}

/// The first declaration, with a `platform-mismatch` for each that disagrees.
fn agree<'d>(
    declared: &'d [Declared],
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<&'d Declared> {
    let first = declared.first()?;
    for other in &declared[1..] {
        if other.value != first.value {
            diagnostics.push(
                Diagnostic::error(
                    "platform-mismatch",
                    other.span,
                    format!(
                        "{what} `{}` disagrees with `{}` declared earlier",
                        other.value, first.value
                    ),
                )
                .with_primary(format!("{what} `{}`", other.value))
                .with_label(
                    first.statement,
                    format!("{what} `{}` declared here", first.value),
                )
                .with_help(format!(
                    "every file of a policy set and `rolecall.yaml` declare the same {what}"
                )),
            );
        }
    }
    Some(first)
}

/// Picks platform, catalog and plan, parses the prelude and resolves the set.
pub(crate) fn select(
    custom: Option<&Platform>,
    config: Option<(FileId, &LoadedConfig)>,
    files: &[Arc<ast::File>],
    sources: &mut SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Model> {
    let platforms = declared(
        config,
        files,
        "platform",
        |c| c.platform.as_ref(),
        |s| match s {
            ast::Statement::Platform(w) => Some(w),
            _ => None,
        },
    );
    let plans = declared(
        config,
        files,
        "plan",
        |c| c.plan.as_ref(),
        |s| match s {
            ast::Statement::Plan(w) => Some(w),
            _ => None,
        },
    );
    let before = diagnostics.len();
    let platform = agree(&platforms, "platform", diagnostics);
    let plan = agree(&plans, "plan", diagnostics);
    let Some(platform) = platform else {
        let first = files.first().map_or(FileId(0), |f| f.id);
        diagnostics.push(
            Diagnostic::error("missing-platform", Span::new(first, 0, 0), "no platform is declared for this policy set")
                .with_primary("no `platform` line in any file")
                .with_help(format!(
                    "start a file with `platform NAME` or set `platform:` in `rolecall.yaml`; built-in platforms: {}",
                    catalog::BUILTIN_PLATFORMS.map(|p| format!("`{p}`")).join(", ")
                )),
        );
        return None;
    };
    let chosen =
        match platform_for(&platform.value, custom) {
            Some(chosen) => chosen,
            None => {
                let mut known: Vec<&str> = catalog::BUILTIN_PLATFORMS.to_vec();
                if let Some(custom) = custom {
                    known.push(&custom.catalog.platform);
                }
                let help = did_you_mean(&platform.value, known.iter().copied()).unwrap_or_else(|| {
                format!(
                    "known platforms: {}; a custom platform needs `catalog:` in `rolecall.yaml`",
                    known.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
                )
            });
                diagnostics.push(
                    Diagnostic::error(
                        "unknown-platform",
                        platform.span,
                        format!("no catalog for platform `{}`", platform.value),
                    )
                    .with_primary("unknown platform")
                    .with_help(help),
                );
                return None;
            }
        };
    if let Some(plan) = plan {
        check_plan_name(&chosen.catalog, plan, diagnostics);
    }
    if diagnostics.len() > before {
        return None;
    }
    sources.insert(chosen.prelude_id, Arc::clone(&chosen.prelude));
    let prelude = match &chosen.parsed {
        Ok((tree, found)) => {
            diagnostics.extend(found.iter().cloned());
            vec![Arc::clone(tree)]
        }
        Err(error) => {
            diagnostics.push((**error).clone());
            return None;
        }
    };
    let plan = plan.map(|p| (p.value.clone(), Some(p.statement)));
    let (model, found) = resolve::resolve(Arc::clone(&chosen.catalog), plan, &prelude, files);
    diagnostics.extend(found);
    Some(model)
}

/// The custom platform when it is the one declared, else a built-in one.
fn platform_for<'p>(name: &str, custom: Option<&'p Platform>) -> Option<&'p Platform> {
    match custom {
        Some(platform) if platform.catalog.platform == name => Some(platform),
        _ => catalog::builtin_platform(name),
    }
}

fn check_plan_name(catalog: &Catalog, plan: &Declared, diagnostics: &mut Vec<Diagnostic>) {
    if catalog.plans.is_empty() {
        diagnostics.push(
            Diagnostic::error(
                "invalid-value",
                plan.span,
                format!(
                    "`{}` has no plans, so `plan {}` means nothing",
                    catalog.platform, plan.value
                ),
            )
            .with_primary("no plans on this platform")
            .with_help("remove the `plan` declaration"),
        );
    } else if catalog.plan_index(&plan.value).is_none() {
        let list: Vec<String> = catalog.plans.iter().map(|p| format!("`{p}`")).collect();
        diagnostics.push(
            Diagnostic::error(
                "invalid-value",
                plan.span,
                format!("`{}` is not a plan of `{}`", plan.value, catalog.platform),
            )
            .with_primary("unknown plan")
            .with_help(format!(
                "plans of `{}`: {}",
                catalog.platform,
                list.join(", ")
            )),
        );
    }
}
