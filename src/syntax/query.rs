//! Finding the nodes of a tree at a byte offset, for editors: hover,
//! go-to-definition and completion start from the node under the cursor.

use super::ast::{
    Comment, Extends, File, Member, Profile, RuleRef, Setting, SettingsBlock, Statement, Str, Word,
};
use crate::source::Span;

/// A node of a syntax tree, borrowed from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node<'a> {
    /// A `platform` statement.
    Platform(&'a Word),
    /// The name of a `platform` statement.
    PlatformName(&'a Word),
    /// A `plan` statement.
    Plan(&'a Word),
    /// The name of a `plan` statement.
    PlanName(&'a Word),
    /// A `settings` block.
    Settings(&'a SettingsBlock),
    /// A `profile` block.
    Profile(&'a Profile),
    /// The name of a profile (the string after `profile`).
    ProfileName(&'a Profile),
    /// A profile's `extends` clause.
    Extends(&'a Extends),
    /// A parent named in an `extends` clause.
    Parent(&'a Str),
    /// The text of a profile's `description`.
    Description(&'a Str),
    /// A `permission.id = value` setting.
    Setting(&'a Setting),
    /// The permission id of a setting.
    SettingId(&'a Setting),
    /// The value of a setting.
    SettingValue(&'a Setting),
    /// A `member` statement.
    Member(&'a Member),
    /// The id of a member (the string after `member`).
    MemberId(&'a Member),
    /// The profile named by a member's `profile` clause.
    MemberProfile(&'a Member),
    /// The team named by a member's `team` clause.
    MemberTeam(&'a Member),
    /// A comment.
    Comment(&'a Comment),
    /// A rule named in a suppression comment.
    RuleRef(&'a RuleRef),
}

impl Node<'_> {
    /// The span of the node itself (a name's string, not its statement).
    pub fn span(&self) -> Span {
        match *self {
            Node::Platform(word) | Node::Plan(word) => word.statement,
            Node::PlatformName(word) | Node::PlanName(word) => word.span,
            Node::Settings(block) => block.span,
            Node::Profile(profile) => profile.span,
            Node::ProfileName(profile) => profile.name.span,
            Node::Extends(extends) => extends.span,
            Node::Parent(text) | Node::Description(text) => text.span,
            Node::Setting(setting) => setting.span(),
            Node::SettingId(setting) => setting.id_span,
            Node::SettingValue(setting) => setting.value_span,
            Node::Member(member) => member.span,
            Node::MemberId(member) => member.id.span,
            Node::MemberProfile(member) => member.profile.as_ref().map_or(member.span, |p| p.span),
            Node::MemberTeam(member) => member.team.as_ref().map_or(member.span, |t| t.span),
            Node::Comment(comment) => comment.span,
            Node::RuleRef(rule) => rule.span,
        }
    }
}

/// The innermost node whose span holds byte `offset`, if any.
///
/// Spans are half-open: the byte just past a name is not in it. On a
/// keyword or a blank inside a statement the answer is the statement (or
/// the setting or clause around it); between statements it is `None`.
pub fn node_at(file: &File, offset: usize) -> Option<Node<'_>> {
    nodes_at(file, offset).pop()
}

/// Every node whose span holds byte `offset`, outermost first: the
/// statement, then the nodes inside it down to the innermost; a comment
/// (and a rule named in it) comes last.
pub fn nodes_at(file: &File, offset: usize) -> Vec<Node<'_>> {
    let at = u32::try_from(offset).unwrap_or(u32::MAX);
    let mut path = Vec::new();
    if let Some(statement) = find(&file.statements, Statement::span, at) {
        statement_nodes(statement, at, &mut path);
    }
    if let Some(comment) = find(&file.comments, |c| c.span, at) {
        path.push(Node::Comment(comment));
        let rules = comment.suppression.iter().flat_map(|s| &s.rules);
        if let Some(rule) = rules.into_iter().find(|r| holds(r.span, at)) {
            path.push(Node::RuleRef(rule));
        }
    }
    path
}

/// Whether `span` holds byte `at`.
fn holds(span: Span, at: u32) -> bool {
    span.start <= at && at < span.end
}

/// The item of `items` (in source order, not overlapping) whose span holds
/// `at`, by binary search.
fn find<T>(items: &[T], span: impl Fn(&T) -> Span, at: u32) -> Option<&T> {
    let i = items.partition_point(|item| span(item).end <= at);
    items.get(i).filter(|item| holds(span(item), at))
}

fn statement_nodes<'a>(statement: &'a Statement, at: u32, path: &mut Vec<Node<'a>>) {
    match statement {
        Statement::Platform(word) => {
            path.push(Node::Platform(word));
            if holds(word.span, at) {
                path.push(Node::PlatformName(word));
            }
        }
        Statement::Plan(word) => {
            path.push(Node::Plan(word));
            if holds(word.span, at) {
                path.push(Node::PlanName(word));
            }
        }
        Statement::Settings(block) => {
            path.push(Node::Settings(block));
            setting_nodes(&block.settings, at, path);
        }
        Statement::Profile(profile) => profile_nodes(profile, at, path),
        Statement::Member(member) => member_nodes(member, at, path),
    }
}

fn profile_nodes<'a>(profile: &'a Profile, at: u32, path: &mut Vec<Node<'a>>) {
    path.push(Node::Profile(profile));
    if holds(profile.name.span, at) {
        path.push(Node::ProfileName(profile));
    } else if let Some(extends) = profile.extends.as_ref().filter(|e| holds(e.span, at)) {
        path.push(Node::Extends(extends));
        if let Some(parent) = find(&extends.parents, |p| p.span, at) {
            path.push(Node::Parent(parent));
        }
    } else if let Some(text) = profile.description.as_ref().filter(|d| holds(d.span, at)) {
        path.push(Node::Description(text));
    } else {
        setting_nodes(&profile.settings, at, path);
    }
}

fn member_nodes<'a>(member: &'a Member, at: u32, path: &mut Vec<Node<'a>>) {
    path.push(Node::Member(member));
    let inside = |text: &Option<Str>| text.as_ref().is_some_and(|t| holds(t.span, at));
    if holds(member.id.span, at) {
        path.push(Node::MemberId(member));
    } else if inside(&member.profile) {
        path.push(Node::MemberProfile(member));
    } else if inside(&member.team) {
        path.push(Node::MemberTeam(member));
    } else {
        setting_nodes(&member.settings, at, path);
    }
}

fn setting_nodes<'a>(settings: &'a [Setting], at: u32, path: &mut Vec<Node<'a>>) {
    let Some(setting) = find(settings, |s| s.span(), at) else {
        return;
    };
    path.push(Node::Setting(setting));
    if holds(setting.id_span, at) {
        path.push(Node::SettingId(setting));
    } else if holds(setting.value_span, at) {
        path.push(Node::SettingValue(setting));
    }
}
