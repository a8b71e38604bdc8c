//! Reading a test's assertions: expected values and bounds, `who`
//! queries and their checks, `none_hold` conditions and requests.

use super::{Reader, unknown_key};
use crate::backend::{Amount, Request, Resource};
use crate::catalog::Kind;
use crate::source::Span;
use crate::testing::model::{Asked, Condition, Expectation, Query, Want, WhoCheck};
use crate::testing::yaml::{Map, Node, Scalar};

impl Reader<'_> {
    pub(super) fn expect(&mut self, node: &Node) -> Option<Vec<Expectation>> {
        let Node::Map(map) = node else {
            self.error(
                node.span(),
                format!("`expect` maps permissions to values, not {}", node.kind()),
            );
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for (key, value) in &map.entries {
            let Some(perm) = self.permission(key) else {
                ok = false;
                continue;
            };
            let span = key.span.to(value.span());
            let want = match value {
                Node::Scalar(word) => self.value(perm, word).map(Want::Exact),
                Node::Map(bounds) => self
                    .bounds(bounds, |r, w| r.value(perm, w))
                    .map(|(min, max)| Want::Within { min, max }),
                Node::Seq(_) => {
                    self.error(
                        value.span(),
                        format!(
                            "an expected value is a value or `{{min, max}}`, not {}",
                            value.kind()
                        ),
                    );
                    None
                }
            };
            match want {
                Some(want) => out.push(Expectation { perm, span, want }),
                None => ok = false,
            }
        }
        if out.is_empty() && ok {
            self.error(map.span, "`expect` needs at least one permission");
            return None;
        }
        ok.then_some(out)
    }

    /// `{min: V, max: V}`, either optional, at least one given.
    pub(super) fn bounds(
        &mut self,
        map: &Map,
        mut read: impl FnMut(&mut Self, &Scalar) -> Option<u64>,
    ) -> Option<(Option<u64>, Option<u64>)> {
        let mut min = None;
        let mut max = None;
        let mut ok = true;
        for (key, value) in &map.entries {
            let slot = match key.text.as_str() {
                "min" => &mut min,
                "max" => &mut max,
                _ => {
                    self.problems
                        .push(unknown_key(key, &["min", "max"], "bounds"));
                    ok = false;
                    continue;
                }
            };
            let Some(word) = self.scalar(value, "a bound") else {
                ok = false;
                continue;
            };
            match read(self, word) {
                Some(v) => *slot = Some(v),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        if min.is_none() && max.is_none() {
            self.error(map.span, "bounds need `min`, `max` or both");
            return None;
        }
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
        {
            self.error(
                map.span,
                "`min` is above `max`: nothing can lie within these bounds",
            );
            return None;
        }
        Some((min, max))
    }

    pub(super) fn count(&mut self, node: &Node) -> Option<(Option<u64>, Option<u64>)> {
        match node {
            Node::Map(map) => self.bounds(map, |r, w| r.number(w)),
            Node::Scalar(word) => {
                let n = self.number(word)?;
                Some((Some(n), Some(n)))
            }
            Node::Seq(_) => {
                self.error(
                    node.span(),
                    "`count` is a number or `{min, max}`, not a list",
                );
                None
            }
        }
    }

    pub(super) fn number(&mut self, word: &Scalar) -> Option<u64> {
        let n = word.text.trim().parse::<u64>().ok();
        if n.is_none() {
            self.error(
                word.span,
                format!("`{}` is not a non-negative integer", word.text),
            );
        }
        n
    }

    pub(super) fn query(&mut self, node: &Node) -> Option<Query> {
        match node {
            Node::Scalar(word) if word.text == "admin" => Some(Query::Admin),
            Node::Scalar(word) => {
                let help =
                    crate::diagnostics::did_you_mean(&word.text, ["admin"]).unwrap_or_else(|| {
                        "`who` is `admin`, `{permission: ID, at_least: LEVEL}` or `{profile: NAME}`"
                            .to_owned()
                    });
                self.error(word.span, format!("`who: {}` is not a query", word.text))
                    .help = Some(help);
                None
            }
            Node::Map(map) => {
                for (key, _) in &map.entries {
                    if !["permission", "at_least", "profile"].contains(&key.text.as_str()) {
                        self.problems.push(unknown_key(
                            key,
                            &["permission", "at_least", "profile"],
                            "`who`",
                        ));
                        return None;
                    }
                }
                match (
                    map.get("profile"),
                    map.get("permission"),
                    map.get("at_least"),
                ) {
                    (Some((_, name)), None, None) => self.profile(name).map(Query::Profile),
                    (None, Some((_, id)), Some((_, level))) => {
                        let id = self.scalar(id, "a permission")?;
                        let perm = self.permission(id)?;
                        let level = self.scalar(level, "`at_least`")?;
                        let value = self.value(perm, level)?;
                        Some(Query::AtLeast { perm, value })
                    }
                    _ => {
                        self.error(
                            map.span,
                            "`who` takes `{permission, at_least}` or `{profile}`",
                        );
                        None
                    }
                }
            }
            Node::Seq(_) => {
                self.error(node.span(), "`who` is `admin` or a mapping, not a list");
                None
            }
        }
    }

    pub(super) fn exactly(&mut self, node: &Node) -> Option<WhoCheck> {
        let Node::Seq(list) = node else {
            self.error(
                node.span(),
                format!("`exactly` is a list of member ids, not {}", node.kind()),
            );
            return None;
        };
        let mut members = Vec::new();
        let mut ok = true;
        for item in &list.items {
            let Some(id) = self.scalar(item, "a member id") else {
                ok = false;
                continue;
            };
            match self.member_id(id) {
                Some(_) => members.push((id.text.clone(), id.span)),
                None => ok = false,
            }
        }
        ok.then_some(WhoCheck::Exactly {
            members,
            span: list.span,
        })
    }

    pub(super) fn condition(&mut self, node: &Node) -> Option<Condition> {
        let item = self.scalar(node, "a condition")?;
        let Some((id, value)) = item.text.split_once('=') else {
            self.error(
                item.span,
                format!("`{}` is not an `ID = VALUE` condition", item.text),
            );
            return None;
        };
        // Each side's own span when the condition is written plain on one
        // line (its text is then the source's); else the whole condition's.
        let (id, value) = (id.trim(), value.trim());
        let part = |text: &str, offset: Option<usize>| {
            let span = match offset {
                Some(offset) if item.plain && item.span.len() == item.text.len() => {
                    let start = item.span.start as usize + offset;
                    Span::new(item.span.file, start, start + text.len())
                }
                _ => item.span,
            };
            Scalar {
                text: text.to_owned(),
                plain: true,
                span,
            }
        };
        let id_at = item.text.find(id);
        let value_at = item.text.rfind(value).filter(|_| !value.is_empty());
        let (id, value) = (part(id, id_at), part(value, value_at));
        let perm = self.permission(&id)?;
        let value = self.value(perm, &value)?;
        Some(Condition {
            perm,
            value,
            span: item.span,
        })
    }

    pub(super) fn requests(
        &mut self,
        node: &Node,
        member: &str,
        allowed: bool,
    ) -> Option<Vec<Asked>> {
        let word = if allowed { "allow" } else { "deny" };
        let Node::Seq(list) = node else {
            self.error(
                node.span(),
                format!("`{word}` is a list of requests, not {}", node.kind()),
            );
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for item in &list.items {
            match self.request(item, member, allowed) {
                Some(asked) => out.push(asked),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    pub(super) fn request(&mut self, node: &Node, member: &str, allowed: bool) -> Option<Asked> {
        let Node::Map(map) = node else {
            self.error(
                node.span(),
                format!(
                    "a request is a mapping with a `permission`, not {}",
                    node.kind()
                ),
            );
            return None;
        };
        const FIELDS: [&str; 4] = ["permission", "resource", "level", "amount"];
        for (key, _) in &map.entries {
            if !FIELDS.contains(&key.text.as_str()) {
                self.problems.push(unknown_key(key, &FIELDS, "a request"));
                return None;
            }
        }
        let Some((_, id)) = map.get("permission") else {
            self.error(map.span, "the request has no `permission`");
            return None;
        };
        let id = self.scalar(id, "a permission")?;
        let perm = self.permission(id)?;
        let permission = self.model.catalog.get(perm);
        let mut request = Request::new(member, &permission.id);
        if let Some((_, resource)) = map.get("resource").filter(|(_, v)| !v.is_null()) {
            request.resource = self.resource(resource)?;
        }
        if let Some((_, level)) = map.get("level").filter(|(_, v)| !v.is_null()) {
            let level = self.scalar(level, "a level")?;
            if permission.kind == Kind::Enum && permission.level(&level.text).is_none() {
                self.value(perm, level)?;
            }
            request.level = Some(level.text.clone());
        }
        if let Some((_, amount)) = map.get("amount").filter(|(_, v)| !v.is_null()) {
            let amount = self.scalar(amount, "an amount")?;
            request.amount = Some(Amount::parse(&amount.text));
        }
        Some(Asked {
            request,
            allowed,
            span: map.span,
        })
    }

    pub(super) fn resource(&mut self, node: &Node) -> Option<Resource> {
        let Node::Map(map) = node else {
            self.error(
                node.span(),
                format!("a resource is `{{owner, team}}`, not {}", node.kind()),
            );
            return None;
        };
        let mut resource = Resource::default();
        for (key, value) in &map.entries {
            if value.is_null() {
                continue;
            }
            match key.text.as_str() {
                "owner" => {
                    let owner = self.scalar(value, "an owner")?;
                    resource.owner = Some(owner.text.clone());
                }
                "team" => {
                    let team = self.scalar(value, "a team")?;
                    resource.team = Some(team.text.clone());
                }
                _ => {
                    self.problems
                        .push(unknown_key(key, &["owner", "team"], "a resource"));
                    return None;
                }
            }
        }
        Some(resource)
    }
}
