//! Trees compared without their spans.
//!
//! Spans take part in equality, so two parses of the same statements laid
//! out differently compare unequal. The formatter's round trip must see
//! them as equal: it compares the trees with every span set to the default.
//! A comment's text is read from the source through its span, so cleared
//! comments compare by kind and suppression only; compare their texts
//! apart ([`Comment::text`](super::ast::Comment::text)).

use super::ast::{
    Comment, Extends, File, Member, Profile, RuleRef, Setting, SettingsBlock, Statement, Str,
    Suppression, Word,
};
use crate::source::Span;

impl File {
    /// A copy of the tree with every span set to the default (the file id
    /// is kept), for comparing trees whatever their layout.
    pub fn without_spans(&self) -> File {
        let mut file = self.clone();
        file.clear_spans();
        file
    }
}

impl Statement {
    /// A copy of the statement with every span set to the default.
    pub fn without_spans(&self) -> Statement {
        let mut statement = self.clone();
        statement.clear_spans();
        statement
    }
}

/// Setting every span of a node, and of the nodes under it, to the default.
trait ClearSpans {
    fn clear_spans(&mut self);
}

fn clear(span: &mut Span) {
    *span = Span::default();
}

impl<T: ClearSpans> ClearSpans for Vec<T> {
    fn clear_spans(&mut self) {
        self.iter_mut().for_each(ClearSpans::clear_spans);
    }
}

impl<T: ClearSpans> ClearSpans for Box<T> {
    fn clear_spans(&mut self) {
        (**self).clear_spans();
    }
}

impl<T: ClearSpans> ClearSpans for Option<T> {
    fn clear_spans(&mut self) {
        if let Some(node) = self {
            node.clear_spans();
        }
    }
}

// Each node is taken apart field by field, without `..`, so that a span
// added to the tree later cannot be forgotten here.

impl ClearSpans for File {
    fn clear_spans(&mut self) {
        let File {
            id: _,
            statements,
            comments,
        } = self;
        statements.clear_spans();
        comments.clear_spans();
    }
}

impl ClearSpans for Statement {
    fn clear_spans(&mut self) {
        match self {
            Statement::Platform(word) | Statement::Plan(word) => word.clear_spans(),
            Statement::Settings(block) => block.clear_spans(),
            Statement::Profile(profile) => profile.clear_spans(),
            Statement::Member(member) => member.clear_spans(),
        }
    }
}

impl ClearSpans for Word {
    fn clear_spans(&mut self) {
        let Word {
            value: _,
            span,
            statement,
        } = self;
        clear(span);
        clear(statement);
    }
}

impl ClearSpans for Str {
    fn clear_spans(&mut self) {
        let Str { value: _, span } = self;
        clear(span);
    }
}

impl ClearSpans for SettingsBlock {
    fn clear_spans(&mut self) {
        let SettingsBlock {
            settings,
            span,
            keyword,
        } = self;
        settings.clear_spans();
        clear(span);
        clear(keyword);
    }
}

impl ClearSpans for Profile {
    fn clear_spans(&mut self) {
        let Profile {
            name,
            extends,
            description,
            settings,
            span,
            header,
        } = self;
        name.clear_spans();
        extends.clear_spans();
        description.clear_spans();
        settings.clear_spans();
        clear(span);
        clear(header);
    }
}

impl ClearSpans for Extends {
    fn clear_spans(&mut self) {
        let Extends { parents, span } = self;
        parents.clear_spans();
        clear(span);
    }
}

impl ClearSpans for Member {
    fn clear_spans(&mut self) {
        let Member {
            id,
            profile,
            team,
            settings,
            has_block: _,
            span,
            header,
            profile_clause,
        } = self;
        id.clear_spans();
        profile.clear_spans();
        if let Some(clause) = profile_clause {
            clear(clause);
        }
        team.clear_spans();
        settings.clear_spans();
        clear(span);
        clear(header);
    }
}

impl ClearSpans for Setting {
    fn clear_spans(&mut self) {
        let Setting {
            id: _,
            id_span,
            value: _,
            value_span,
        } = self;
        clear(id_span);
        clear(value_span);
    }
}

impl ClearSpans for Comment {
    fn clear_spans(&mut self) {
        let Comment {
            span,
            own_line: _,
            suppression,
        } = self;
        clear(span);
        suppression.clear_spans();
    }
}

impl ClearSpans for Suppression {
    fn clear_spans(&mut self) {
        let Suppression {
            rules,
            reason: _,
            well_formed: _,
        } = self;
        rules.clear_spans();
    }
}

impl ClearSpans for RuleRef {
    fn clear_spans(&mut self) {
        let RuleRef { name: _, span } = self;
        clear(span);
    }
}
