//! Members: their profiles (named or the catalog default) and own limits.

use std::sync::Arc;

use std::collections::HashMap;

use super::profiles::{Owner, own_settings};
use super::{Member, MemberLimit, Model, graph};
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::ast::{self, Statement};

/// Adds the members of `files` to the model.
pub(super) fn collect(
    model: &mut Model,
    files: &[Arc<ast::File>],
    help: &mut graph::ProfileHelp,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut first_at: HashMap<&str, Span> = HashMap::new();
    let default_profile = model.find(&model.catalog.default_profile);
    // Exactly as many as there are: growth would leave up to half unused.
    let count = files
        .iter()
        .flat_map(|f| &f.statements)
        .filter(|s| matches!(s, Statement::Member(_)))
        .count();
    model.members.reserve_exact(count);
    for member in files
        .iter()
        .flat_map(|f| &f.statements)
        .filter_map(|s| match s {
            Statement::Member(m) => Some(m),
            _ => None,
        })
    {
        let id = member.id.value.as_str();
        if let Some(first) = first_at.get(id) {
            diagnostics.push(
                Diagnostic::error(
                    "duplicate-member",
                    member.id.span,
                    format!("member `{id}` is declared twice"),
                )
                .with_primary("declared again here")
                .with_label(*first, "first declared here")
                .with_help("keep one `member` statement per person"),
            );
            continue;
        }
        first_at.insert(id, member.id.span);
        let profile = match &member.profile {
            Some(name) => {
                let found = model.find(&name.value);
                if found.is_none() {
                    diagnostics.push(graph::unknown_profile(model, help, &name.value, name.span));
                }
                found
            }
            None => default_profile,
        };
        let limits = own_settings(
            &model.catalog,
            &model.caps,
            &member.settings,
            Owner::Member,
            diagnostics,
        )
        .into_iter()
        .map(|s| MemberLimit {
            perm: s.perm,
            value: s.value,
            span: member
                .settings
                .get(s.index as usize)
                .map_or(member.span, ast::Setting::span),
        })
        .collect();
        model.members.push(Member {
            id: id.to_owned(),
            span: member.span,
            header: member.header,
            profile,
            profile_named: member.profile.is_some(),
            profile_clause: member.profile_clause,
            team: member.team.as_ref().map(|t| t.value.clone()),
            limits,
        });
    }
}
