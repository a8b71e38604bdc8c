//! Navigation: a profile's definition and the places that name it, and the
//! outline of a document.
//!
//! Both read the trees of the latest check, so they work across the files
//! of the set; built-in profiles have no file and answer nothing.

use lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams,
    GotoDefinitionResponse, Location, ReferenceParams, SymbolKind,
};

use super::convert::{self, Locate};
use super::state::{PolicySet, State};
use crate::source::Span;
use crate::syntax::ast::{Setting, Statement};
use crate::syntax::{Node, node_at};

/// The profile name under a position, when there is one.
fn profile_name_at<'s>(
    state: &'s State,
    uri: &lsp_types::Uri,
    at: lsp_types::Position,
) -> Option<(&'s PolicySet, String)> {
    let located = state.locate(uri)?;
    let offset = convert::offset(located.source, at);
    let tree = located.set.tree(located.id)?;
    let name = match node_at(tree, offset)? {
        Node::ProfileName(profile) => profile.name.value.clone(),
        Node::Parent(parent) => parent.value.clone(),
        Node::MemberProfile(member) => member.profile.as_ref()?.value.clone(),
        _ => return None,
    };
    Some((located.set, name))
}

/// The location of `span` in the set, when it is in a file.
fn location(set: &PolicySet, span: Span) -> Option<Location> {
    let compilation = set.compilation.as_ref()?;
    let source = compilation.sources.find(span.file)?;
    Some(Location {
        uri: set.uri_of(&source.name)?,
        range: convert::span_range(source, span),
    })
}

/// Where the profile under the cursor is defined.
pub fn definition(state: &State, params: &GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let at = &params.text_document_position_params;
    let (set, name) = profile_name_at(state, &at.text_document.uri, at.position)?;
    let compilation = set.compilation.as_ref()?;
    let span = compilation
        .files
        .iter()
        .flat_map(|f| &f.statements)
        .find_map(|s| match s {
            Statement::Profile(p) if p.name.value == name => Some(p.name.span),
            _ => None,
        })?;
    location(set, span).map(GotoDefinitionResponse::Scalar)
}

/// Every `extends` and `member` that names the profile under the cursor,
/// and its definition when the editor asks for declarations too.
pub fn references(state: &State, params: &ReferenceParams) -> Option<Vec<Location>> {
    let at = &params.text_document_position;
    let (set, name) = profile_name_at(state, &at.text_document.uri, at.position)?;
    let compilation = set.compilation.as_ref()?;
    let mut spans = Vec::new();
    for statement in compilation.files.iter().flat_map(|f| &f.statements) {
        match statement {
            Statement::Profile(profile) => {
                if params.context.include_declaration && profile.name.value == name {
                    spans.push(profile.name.span);
                }
                let parents = profile.extends.iter().flat_map(|e| &e.parents);
                spans.extend(parents.filter(|p| p.value == name).map(|p| p.span));
            }
            Statement::Member(member) => {
                if let Some(profile) = member.profile.as_ref().filter(|p| p.value == name) {
                    spans.push(profile.span);
                }
            }
            _ => {}
        }
    }
    Some(spans.into_iter().filter_map(|s| location(set, s)).collect())
}

/// The outline of a document: settings blocks, profiles and members, with
/// their settings.
pub fn symbols(state: &State, params: &DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
    let located = state.locate(&params.text_document.uri)?;
    let tree = located.set.tree(located.id)?;
    let source = located.source;
    let range = |span: Span| convert::span_range(source, span);
    let settings = |list: &[Setting]| -> Option<Vec<DocumentSymbol>> {
        let children: Vec<DocumentSymbol> = list
            .iter()
            .map(|s| {
                symbol(
                    s.id.to_string(),
                    Some(s.value.to_string()),
                    SymbolKind::PROPERTY,
                    range(s.span()),
                    range(s.id_span),
                    None,
                )
            })
            .collect();
        (!children.is_empty()).then_some(children)
    };
    let mut out = Vec::new();
    for statement in &tree.statements {
        let found = match statement {
            Statement::Settings(block) => symbol(
                "settings".to_owned(),
                None,
                SymbolKind::NAMESPACE,
                range(block.span),
                range(block.keyword),
                settings(&block.settings),
            ),
            Statement::Profile(profile) => {
                let detail = profile.extends.as_ref().map(|e| {
                    let names: Vec<&str> = e.parents.iter().map(|p| p.value.as_str()).collect();
                    format!("extends {}", names.join(", "))
                });
                symbol(
                    profile.name.value.clone(),
                    detail,
                    SymbolKind::CLASS,
                    range(profile.span),
                    range(profile.name.span),
                    settings(&profile.settings),
                )
            }
            Statement::Member(member) => symbol(
                member.id.value.clone(),
                member.profile.as_ref().map(|p| p.value.clone()),
                SymbolKind::OBJECT,
                range(member.span),
                range(member.id.span),
                settings(&member.settings),
            ),
            Statement::Platform(_) | Statement::Plan(_) => continue,
        };
        out.push(found);
    }
    Some(DocumentSymbolResponse::Nested(out))
}

fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: lsp_types::Range,
    selection_range: lsp_types::Range,
    children: Option<Vec<DocumentSymbol>>,
) -> DocumentSymbol {
    #[expect(
        deprecated,
        reason = "the protocol type still has the field; it must be set"
    )]
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children,
    }
}
