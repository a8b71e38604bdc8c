//! Hover: what an id means and what a profile really holds.
//!
//! On a permission id, the catalog's facts; inside a profile or member, its
//! effective value with the provenance chain that `explain` prints. On a
//! value word, the permission's levels with that one marked. On a profile
//! name, a summary of the profile. On a rule in a suppression, its summary.

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::convert;
use super::state::State;
use crate::Compilation;
use crate::catalog::{Catalog, Kind, Permission};
use crate::explain;
use crate::syntax::{Node, nodes_at};

/// Whose setting the cursor is on.
enum Owner<'a> {
    Profile(&'a str),
    Member(&'a str),
    Settings,
}

/// The hover at a position, or nothing.
pub fn hover(state: &State, params: &HoverParams) -> Option<Hover> {
    let at = &params.text_document_position_params;
    let located = state.locate(&at.text_document.uri)?;
    let offset = convert::offset(located.source, at.position);
    let tree = located.set.tree(located.id)?;
    let nodes = nodes_at(tree, offset);
    let node = *nodes.last()?;
    let owner = nodes.iter().find_map(|n| match n {
        Node::Profile(p) => Some(Owner::Profile(&p.name.value)),
        Node::Member(m) => Some(Owner::Member(&m.id.value)),
        Node::Settings(_) => Some(Owner::Settings),
        _ => None,
    });
    let resolved = located.set.model_compilation().map(AsRef::as_ref);
    let text = match node {
        Node::SettingId(setting) | Node::SettingValue(setting) => {
            let compilation = resolved?;
            let catalog = &compilation.model.as_ref()?.catalog;
            let permission = catalog.get(catalog.lookup(&setting.id)?);
            let mut text = if matches!(node, Node::SettingId(_)) {
                facts(permission)
            } else {
                levels(permission, &setting.value.to_string())
            };
            if let Some(owner) = owner {
                text.push_str(&effective(compilation, &owner, &setting.id));
            }
            text
        }
        Node::ProfileName(profile) => summary(resolved?, &profile.name.value)?,
        Node::Parent(name) => summary(resolved?, &name.value)?,
        Node::MemberProfile(member) => summary(resolved?, &member.profile.as_ref()?.value)?,
        Node::RuleRef(rule) => {
            let found = crate::lint::find(&rule.name)?;
            format!(
                "**`{}`** ({})\n\n{}",
                found.name,
                found.default.as_str(),
                found.summary
            )
        }
        _ => return None,
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(convert::span_range(located.source, node.span())),
    })
}

/// The catalog's facts about a permission.
pub fn facts(permission: &Permission) -> String {
    let mut text = format!("**`{}`**", permission.id);
    if !permission.label.is_empty() {
        text.push_str(&format!(": {}", permission.label));
    }
    text.push_str(&format!(
        "\n\n{} · {} · default `{}`",
        permission.kind.as_str(),
        accepted(permission),
        permission.display(permission.default)
    ));
    let mut flags = Vec::new();
    if let Some(risk) = permission.risk_at {
        flags.push(format!("risky at `{}` or above", permission.display(risk)));
    }
    if permission.locked {
        flags.push("locked for profiles that extend Admin".to_owned());
    }
    if permission.grants_admin {
        flags.push("grants admin".to_owned());
    }
    if !flags.is_empty() {
        text.push_str(&format!("\n\n{}", flags.join(" · ")));
    }
    let place: Vec<&str> = [&permission.category, &permission.section]
        .into_iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    if !place.is_empty() {
        text.push_str(&format!("\n\n{}", place.join(" › ")));
    }
    text
}

/// The accepted values, least access first.
fn accepted(permission: &Permission) -> String {
    match permission.kind {
        Kind::Limit => "a non-negative integer".to_owned(),
        _ => permission
            .levels
            .iter()
            .map(|l| format!("`{l}`"))
            .collect::<Vec<_>>()
            .join(" < "),
    }
}

/// The levels of a permission with `written` marked.
fn levels(permission: &Permission, written: &str) -> String {
    let mut text = format!("**`{}`** levels, least access first:\n\n", permission.id);
    if permission.kind == Kind::Limit {
        text.push_str(&format!(
            "a non-negative integer; default `{}`\n",
            permission.display(permission.default)
        ));
        return text;
    }
    for level in &permission.levels {
        let mark = if level == written {
            " ← this one"
        } else {
            ""
        };
        let default = if permission.level(level) == Some(permission.default) {
            " (default)"
        } else {
            ""
        };
        text.push_str(&format!("- `{level}`{default}{mark}\n"));
    }
    text
}

/// The effective value of `id` for the owner of the setting, with its chain.
fn effective(compilation: &Compilation, owner: &Owner<'_>, id: &str) -> String {
    let Some(model) = &compilation.model else {
        return String::new();
    };
    match owner {
        Owner::Profile(name) => match explain::chain(model, &compilation.sources, name, id) {
            Ok(chain) => format!("\n\n---\n\n```text\n{}```", explain::render_chain(&chain)),
            Err(_) => String::new(),
        },
        Owner::Member(member_id) => {
            let Some(member) = model.members.iter().find(|m| m.id == *member_id) else {
                return String::new();
            };
            let Some(perm) = model.catalog.lookup(id) else {
                return String::new();
            };
            let value = model
                .member_value(member, perm)
                .map(|v| model.catalog.get(perm).display(v));
            let profile = member.profile.map(|p| model.profile(p).name.clone());
            let mut text = match value {
                Some(value) => format!("\n\n---\n\n`{member_id}` holds `{id} = {value}`"),
                None => return String::new(),
            };
            if member.limits.iter().any(|l| l.perm == perm) {
                text.push_str(", its own setting");
            } else if let Some(profile) = profile {
                text.push_str(&format!(" from its profile `{profile}`"));
            }
            text
        }
        Owner::Settings => {
            "\n\n---\n\nan organisation cap: no profile or member may set more".to_owned()
        }
    }
}

/// A profile's parents, admin-equivalence, members and risky grants.
fn summary(compilation: &Compilation, name: &str) -> Option<String> {
    let model = compilation.model.as_ref()?;
    let id = model.find(name)?;
    let profile = model.profile(id);
    let mut text = if profile.builtin {
        format!("**built-in profile `{name}`**")
    } else {
        let file = compilation.sources.get(profile.name_span.file);
        let line = compilation.sources.line(profile.name_span);
        format!("**profile `{name}`** ({}:{line})", file.name)
    };
    if let Some(description) = &profile.description {
        text.push_str(&format!("\n\n{description}"));
    }
    let parents: Vec<String> = profile
        .extends
        .iter()
        .map(|(p, _)| format!("`{p}`"))
        .collect();
    text.push_str(&format!(
        "\n\n- extends: {}",
        if parents.is_empty() {
            "nothing (the catalog defaults)".to_owned()
        } else {
            parents.join(", ")
        }
    ));
    text.push_str(&format!(
        "\n- admin-equivalent: {}",
        if profile.admin_equivalent {
            "yes"
        } else {
            "no"
        }
    ));
    let members: Vec<&str> = model
        .members
        .iter()
        .filter(|m| m.profile == Some(id))
        .map(|m| m.id.as_str())
        .collect();
    text.push_str(&format!("\n- members: {}", members.len()));
    if !members.is_empty() {
        let shown: Vec<String> = members.iter().take(5).map(|m| format!("`{m}`")).collect();
        let more = if members.len() > 5 { ", …" } else { "" };
        text.push_str(&format!(" ({}{more})", shown.join(", ")));
    }
    let risky = risky_grants(&model.catalog, |perm| profile.value(perm));
    if !risky.is_empty() {
        text.push_str(&format!("\n- risky grants: {}", risky.join(", ")));
    }
    Some(text)
}

/// `id = value` for each permission held at or above its risk level.
fn risky_grants(
    catalog: &Catalog,
    value: impl Fn(crate::catalog::PermId) -> Option<u64>,
) -> Vec<String> {
    catalog
        .iter()
        .filter_map(|(perm, p)| {
            let held = value(perm)?;
            let risk = p.risk_at?;
            (held >= risk).then(|| format!("`{} = {}`", p.id, p.display(held)))
        })
        .collect()
}
