//! Running tests against a compiled policy set: each assertion checked on
//! the resolved model (values with their provenance) or, for `allow` and
//! `deny`, on the bundle through [`Bundle::decide_with`], the reference
//! decision of docs/targets.md, "What a request means".

use std::collections::BTreeSet;

use super::model::{Asked, Condition, Expectation, Query, Subject, Test, Want, WhoCheck};
use crate::backend::Bundle;
use crate::catalog::{Kind, PermId};
use crate::diagnostics::{Diagnostic, Label};
use crate::load::Naming;
use crate::resolve::{Effective, Model, Provenance};
use crate::source::{SourceMap, Span};

/// The rule name of a failed assertion.
pub const RULE: &str = "test-failed";

/// What a run reads: the compiled policy set.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The resolved set.
    pub model: &'a Model,
    /// Its sources (and the test files', for spans).
    pub sources: &'a SourceMap,
    /// How policy files are named in messages: relative to the policy root.
    pub naming: &'a Naming,
    /// The set's bundle, which decides requests.
    pub bundle: &'a Bundle,
}

/// How a test ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every assertion held.
    Passed,
    /// An assertion did not hold.
    Failed,
    /// The test could not be read (an unknown name, a bad shape).
    Error,
}

/// The result of one test.
#[derive(Clone, Debug)]
pub struct TestResult {
    /// The test's name.
    pub name: String,
    /// Where the name is written.
    pub name_span: Span,
    /// How it ended.
    pub status: Status,
    /// Its failures or errors, one per assertion that did not hold.
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs `test`.
pub fn run(cx: Context<'_>, test: &Test) -> TestResult {
    let (status, diagnostics) = match &test.body {
        Err(errors) => (Status::Error, errors.clone()),
        Ok(subject) => {
            let failures = Runner { cx, test }.subject(subject);
            let status = if failures.is_empty() {
                Status::Passed
            } else {
                Status::Failed
            };
            (status, failures)
        }
    };
    TestResult {
        name: test.name.clone(),
        name_span: test.name_span,
        status,
        diagnostics,
    }
}

struct Runner<'a> {
    cx: Context<'a>,
    test: &'a Test,
}

impl Runner<'_> {
    fn failure(&self, span: Span, message: String) -> Diagnostic {
        Diagnostic::error(RULE, span, format!("test `{}`: {message}", self.test.name))
    }

    fn subject(&self, subject: &Subject) -> Vec<Diagnostic> {
        let model = self.cx.model;
        match subject {
            Subject::Profile { profile, expect } => {
                let name = &model.profile(*profile).name;
                let Some(view) = model.view(*profile) else {
                    let message = format!("the profile `{name}` has no effective values");
                    return vec![self.failure(self.test.name_span, message)];
                };
                expect
                    .iter()
                    .filter_map(|e| {
                        self.expectation(e, view.get(e.perm), &format!("profile `{name}`"))
                    })
                    .collect()
            }
            Subject::Member {
                member,
                expect,
                requests,
            } => {
                let member = &model.members[*member];
                let view = model.member_view(member);
                let mut out: Vec<Diagnostic> = expect
                    .iter()
                    .filter_map(|e| {
                        let effective = view.get(e.perm)?;
                        self.expectation(e, effective, &format!("member `{}`", member.id))
                    })
                    .collect();
                out.extend(requests.iter().filter_map(|r| self.request(r)));
                out
            }
            Subject::Who { query, check } => self.who(query, check).into_iter().collect(),
            Subject::NoneHold { conditions, .. } => {
                self.none_hold(conditions).into_iter().collect()
            }
        }
    }

    fn display(&self, perm: PermId, raw: u64) -> String {
        self.cx.model.catalog.get(perm).display(raw)
    }

    fn expectation(
        &self,
        expectation: &Expectation,
        effective: Effective,
        whose: &str,
    ) -> Option<Diagnostic> {
        let perm = expectation.perm;
        let actual = effective.value;
        let (holds, wanted) = match expectation.want {
            Want::Exact(v) => (actual == v, format!("`{}`", self.display(perm, v))),
            Want::Within { min, max } => {
                let holds = min.is_none_or(|lo| actual >= lo) && max.is_none_or(|hi| actual <= hi);
                let wanted = match (min, max) {
                    (Some(lo), Some(hi)) => format!(
                        "between `{}` and `{}`",
                        self.display(perm, lo),
                        self.display(perm, hi)
                    ),
                    (Some(lo), None) => format!("at least `{}`", self.display(perm, lo)),
                    (None, Some(hi)) => format!("at most `{}`", self.display(perm, hi)),
                    (None, None) => "any value".to_owned(),
                };
                (holds, wanted)
            }
        };
        if holds {
            return None;
        }
        let id = &self.cx.model.catalog.get(perm).id;
        let shown = self.display(perm, actual);
        let (origin, at) = self.provenance(effective.provenance);
        let message = format!("`{id}` of {whose} is `{shown}`, expected {wanted}");
        let mut diagnostic = self
            .failure(expectation.span, message)
            .with_primary(format!("expected {wanted}, found `{shown}`"))
            .with_help(format!("`{shown}` is {origin}"));
        if let Some(at) = at {
            diagnostic = diagnostic.with_label(at, format!("`{id} = {shown}` comes from here"));
        }
        Some(diagnostic)
    }

    /// Where a value comes from, in words, and the setting's span.
    fn provenance(&self, provenance: Provenance) -> (String, Option<Span>) {
        let model = self.cx.model;
        let name = |id| &model.profile(id).name;
        let at = |span: Span| {
            let file = self.cx.naming.name(&self.cx.sources.get(span.file).name);
            format!("{file}:{}", self.cx.sources.line(span))
        };
        match provenance {
            Provenance::Own { profile, span } => (
                format!("set by `{}` at {}", name(profile), at(span)),
                Some(span),
            ),
            Provenance::Inherited {
                through,
                origin,
                span,
            } if through == origin => (
                format!("set by `{}` at {}", name(origin), at(span)),
                Some(span),
            ),
            Provenance::Inherited {
                through,
                origin,
                span,
            } => (
                format!(
                    "set by `{}` at {}, inherited through `{}`",
                    name(origin),
                    at(span),
                    name(through)
                ),
                Some(span),
            ),
            Provenance::Default { .. } => ("the catalog default".to_owned(), None),
            Provenance::MemberLimit { span } => (
                format!("the member's own limit at {}", at(span)),
                Some(span),
            ),
        }
    }

    fn request(&self, asked: &Asked) -> Option<Diagnostic> {
        let model = self.cx.model;
        let request = &asked.request;
        let decision = self.cx.bundle.decide_with(&model.catalog, request);
        let (allowed, reason) = match &decision {
            Ok(decision) => (decision.allowed, None),
            Err(error) => (false, Some(error.to_string())),
        };
        if allowed == asked.allowed {
            return None;
        }
        let what = describe(request);
        let (got, want) = if allowed {
            ("allowed", "denied")
        } else {
            ("denied", "allowed")
        };
        let mut diagnostic = self
            .failure(asked.span, format!("{what} is {got}, expected {want}"))
            .with_primary(format!("expected {want}"));
        let perm = model.catalog.lookup(&request.permission);
        let member = model.members.iter().find(|m| m.id == request.member);
        let effective = perm.zip(member).and_then(|(perm, member)| {
            let effective = model.member_view(member).get(perm)?;
            Some((perm, effective))
        });
        match (reason, effective) {
            (Some(reason), _) => {
                diagnostic = diagnostic.with_help(format!("the request is denied: {reason}"))
            }
            (None, Some((perm, effective))) => {
                let shown = self.display(perm, effective.value);
                let (origin, at) = self.provenance(effective.provenance);
                diagnostic = diagnostic.with_help(format!(
                    "the member's `{}` is `{shown}`, {origin}",
                    request.permission
                ));
                if let Some(at) = at {
                    diagnostic = diagnostic
                        .with_label(at, format!("`{}` comes from here", request.permission));
                }
            }
            (None, None) => {}
        }
        Some(diagnostic)
    }

    /// The members a query selects, sorted by id.
    fn selected(&self, query: &Query) -> BTreeSet<String> {
        let model = self.cx.model;
        model
            .members
            .iter()
            .filter(|member| match query {
                Query::Admin => member
                    .profile
                    .is_some_and(|p| model.profile(p).admin_equivalent),
                Query::Profile(profile) => member.profile == Some(*profile),
                Query::AtLeast { perm, value } => model
                    .member_value(member, *perm)
                    .is_some_and(|v| v >= *value),
            })
            .map(|member| member.id.clone())
            .collect()
    }

    fn who(&self, query: &Query, check: &WhoCheck) -> Option<Diagnostic> {
        let selected = self.selected(query);
        let whom = self.query_words(query);
        let listed = |ids: &mut dyn Iterator<Item = &String>| {
            let all: Vec<String> = ids.map(|id| format!("`{id}`")).collect();
            if all.is_empty() {
                "none".to_owned()
            } else {
                all.join(", ")
            }
        };
        match check {
            WhoCheck::Exactly { members, span } => {
                let expected: BTreeSet<String> = members.iter().map(|(id, _)| id.clone()).collect();
                if expected == selected {
                    return None;
                }
                let missing: Vec<&String> = expected.difference(&selected).collect();
                let unexpected: Vec<&String> = selected.difference(&expected).collect();
                let mut parts = Vec::new();
                if !missing.is_empty() {
                    parts.push(format!("missing {}", listed(&mut missing.iter().copied())));
                }
                if !unexpected.is_empty() {
                    parts.push(format!(
                        "unexpected {}",
                        listed(&mut unexpected.iter().copied())
                    ));
                }
                let message = format!("{whom}: {}", parts.join("; "));
                let mut diagnostic = self
                    .failure(*span, message)
                    .with_primary("the members expected")
                    .with_help(format!("{whom} are {}", listed(&mut selected.iter())));
                for (id, at) in members {
                    if missing.contains(&id) {
                        diagnostic.labels.push(Label::new(*at, "not selected"));
                    }
                }
                Some(diagnostic)
            }
            WhoCheck::Count { min, max, span } => {
                let n = selected.len() as u64;
                if min.is_none_or(|lo| n >= lo) && max.is_none_or(|hi| n <= hi) {
                    return None;
                }
                let wanted = match (min, max) {
                    (Some(lo), Some(hi)) if lo == hi => format!("{lo}"),
                    (Some(lo), Some(hi)) => format!("between {lo} and {hi}"),
                    (Some(lo), None) => format!("at least {lo}"),
                    (None, Some(hi)) => format!("at most {hi}"),
                    (None, None) => "any number".to_owned(),
                };
                let message = format!("{whom}: {n} found, expected {wanted}");
                Some(
                    self.failure(*span, message)
                        .with_primary(format!("expected {wanted}"))
                        .with_help(format!("{whom} are {}", listed(&mut selected.iter()))),
                )
            }
        }
    }

    fn query_words(&self, query: &Query) -> String {
        let model = self.cx.model;
        match query {
            Query::Admin => "the members holding an admin-equivalent profile".to_owned(),
            Query::Profile(p) => format!("the members holding `{}`", model.profile(*p).name),
            Query::AtLeast { perm, value } => {
                let permission = model.catalog.get(*perm);
                format!(
                    "the members with `{}` at least `{}`",
                    permission.id,
                    permission.display(*value)
                )
            }
        }
    }

    fn none_hold(&self, conditions: &[Condition]) -> Option<Diagnostic> {
        let model = self.cx.model;
        let holders: Vec<(crate::resolve::ProfileId, &str)> = model
            .profiles_with_ids()
            .filter(|(id, p)| !(p.builtin && Some(*id) == model.admin))
            .filter(|(_, p)| {
                conditions
                    .iter()
                    .all(|c| p.value(c.perm).is_some_and(|v| v >= c.value))
            })
            .map(|(id, p)| (id, p.name.as_str()))
            .collect();
        if holders.is_empty() {
            return None;
        }
        let words: Vec<String> = conditions
            .iter()
            .map(|c| {
                let permission = model.catalog.get(c.perm);
                let at_least = match permission.kind {
                    Kind::Limit => " or more",
                    _ if Some(c.value) == permission.highest() => "",
                    _ => " or above",
                };
                format!(
                    "`{} = {}`{at_least}",
                    permission.id,
                    permission.display(c.value)
                )
            })
            .collect();
        let mut names: Vec<&str> = holders.iter().map(|(_, n)| *n).collect();
        names.sort_unstable();
        let profiles = names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut members: Vec<&str> = model
            .members
            .iter()
            .filter(|m| {
                m.profile
                    .is_some_and(|p| holders.iter().any(|(id, _)| *id == p))
            })
            .map(|m| m.id.as_str())
            .collect();
        members.sort_unstable();
        let held_by = if members.is_empty() {
            "no member holds them".to_owned()
        } else {
            format!(
                "held by {}",
                members
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let message = format!(
            "{profiles} hold{} all of {}",
            if names.len() == 1 { "s" } else { "" },
            words.join(", ")
        );
        let mut diagnostic = self
            .failure(self.test.name_span, message)
            .with_help(held_by);
        for c in conditions {
            diagnostic.labels.push(Label::new(c.span, "held together"));
        }
        for (id, _) in holders.iter().take(8) {
            diagnostic
                .labels
                .push(Label::new(model.profile(*id).name_span, "holds them all"));
        }
        Some(diagnostic)
    }
}

/// A request in words: "`contacts.delete` on a record owned by `a` in team `EMEA`".
fn describe(request: &crate::backend::Request) -> String {
    let mut out = format!("`{}`", request.permission);
    let resource = &request.resource;
    match (&resource.owner, &resource.team) {
        (Some(owner), Some(team)) => {
            out.push_str(&format!(" on a record owned by `{owner}` in team `{team}`"))
        }
        (Some(owner), None) => out.push_str(&format!(" on a record owned by `{owner}`")),
        (None, Some(team)) => out.push_str(&format!(" on a record of team `{team}`")),
        (None, None) => {}
    }
    if let Some(level) = &request.level {
        out.push_str(&format!(" at `{level}`"));
    }
    if let Some(amount) = &request.amount {
        out.push_str(&format!(" for {amount}"));
    }
    out
}
