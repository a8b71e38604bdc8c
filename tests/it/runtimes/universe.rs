//! The requests of docs/targets.md, "How it is tested", over one policy set: every member ×
//! permission × resource shape (owner self / teammate / member of another
//! team / teamless member / none × team mine / other / none) × every level
//! of enums × amounts `0, L-1, L, L+1` of limits, with the malformed
//! requests every target must deny: unknown member, permission and level,
//! missing level and amount.

use std::collections::BTreeSet;

use rolecall::backend::{Amount, Bundle, Request, Resource};
use rolecall::catalog::{Catalog, Kind};
use serde_json::Value as Json;

/// Every request of the universe of `bundle`.
pub fn requests(bundle: &Bundle, catalog: &Catalog) -> Vec<Request> {
    let mut out = Vec::new();
    let teams: BTreeSet<&str> = bundle
        .members
        .values()
        .filter_map(|m| m.team.as_deref())
        .collect();
    for (id, member) in &bundle.members {
        let team = member.team.as_deref();
        let resources = shapes(bundle, id, team, &teams);
        for permission in &catalog.permissions {
            let ask = || Request::new(id.as_str(), permission.id.as_str());
            match permission.kind {
                Kind::Toggle => out.push(ask()),
                Kind::Scope => out.extend(resources.iter().map(|resource| Request {
                    resource: resource.clone(),
                    ..ask()
                })),
                Kind::Enum => {
                    out.extend(permission.levels.iter().map(|l| ask().level(l.as_str())));
                    out.push(ask().level("no-such-level"));
                    out.push(ask());
                }
                Kind::Limit => {
                    let limit = bundle
                        .member_value(id, &permission.id)
                        .and_then(|v| v.as_limit())
                        .unwrap_or(0);
                    let mut amounts = vec![Amount::Count(0), Amount::Count(limit)];
                    amounts.push(match limit.checked_sub(1) {
                        Some(below) => Amount::Count(below),
                        None => Amount::Malformed(Json::from(-1)),
                    });
                    if let Some(above) = limit.checked_add(1) {
                        amounts.push(Amount::Count(above));
                    }
                    amounts.push(Amount::Malformed(Json::from(2.5)));
                    let mut seen = Vec::new();
                    amounts.retain(|a| {
                        let new = !seen.contains(a);
                        seen.push(a.clone());
                        new
                    });
                    for amount in amounts {
                        out.push(Request {
                            amount: Some(amount),
                            ..ask()
                        });
                    }
                    out.push(ask());
                }
            }
        }
        out.push(Request::new(id.as_str(), "no.such_permission"));
    }
    if let Some(permission) = catalog.permissions.first() {
        out.push(Request::new("nobody@nowhere.test", permission.id.as_str()));
    }
    out
}

/// The resource shapes for member `id` of team `team`.
fn shapes(bundle: &Bundle, id: &str, team: Option<&str>, teams: &BTreeSet<&str>) -> Vec<Resource> {
    let others = || {
        bundle
            .members
            .iter()
            .filter(|(other, _)| other.as_str() != id)
    };
    let teammate = team.and_then(|t| others().find(|(_, m)| m.team.as_deref() == Some(t)));
    let elsewhere = others().find(|(_, m)| m.team.is_some() && m.team.as_deref() != team);
    let teamless = others().find(|(_, m)| m.team.is_none());
    let mut owners = vec![Some(id.to_owned()), None];
    owners.extend(
        [teammate, elsewhere, teamless]
            .into_iter()
            .flatten()
            .map(|(other, _)| Some(other.clone())),
    );
    let other_team = teams
        .iter()
        .find(|t| Some(**t) != team)
        .map_or("Elsewhere", |t| *t);
    let mut team_shapes = vec![None, Some(other_team.to_owned())];
    if let Some(mine) = team {
        team_shapes.push(Some(mine.to_owned()));
    }
    let mut out = Vec::new();
    for owner in &owners {
        for team in &team_shapes {
            let resource = Resource {
                owner: owner.clone(),
                team: team.clone(),
            };
            if !out.contains(&resource) {
                out.push(resource);
            }
        }
    }
    out
}
