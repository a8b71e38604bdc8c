//! The parser on arbitrary bytes: it returns a tree or a diagnostic, never
//! panics, and every span it produces lies on character boundaries of the
//! text. Bytes that are not UTF-8 go through `compile`, the only way they
//! reach the pipeline, which must report them as `invalid-encoding`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rolecall::diagnostics::Diagnostic;
use rolecall::load::Workspace;
use rolecall::diagnostics::render::{HumanStyle, render_human};
use rolecall::source::{FileId, Span};
use rolecall::syntax::{self, ast};

fuzz_target!(|data: &[u8]| {
    match std::str::from_utf8(data) {
        Ok(text) => parse(text),
        Err(_) => not_utf8(data),
    }
});

fn parse(text: &str) {
    let mut spans = Vec::new();
    match syntax::parse(FileId(0), text) {
        Ok((tree, diagnostics)) => {
            tree_spans(&tree, &mut spans);
            diagnostics
                .iter()
                .for_each(|d| diagnostic_spans(d, &mut spans));
        }
        Err(diagnostic) => diagnostic_spans(&diagnostic, &mut spans),
    }
    for span in spans {
        let range = span.range();
        assert!(range.start <= range.end, "reversed span {range:?}");
        assert!(
            text.get(range.clone()).is_some(),
            "span {range:?} off the text"
        );
    }
}

fn not_utf8(data: &[u8]) {
    let project = Workspace::from_files([("fuzz.perm", data)]);
    let compilation = rolecall::compile(&project);
    assert_eq!(
        compilation.diagnostics.len(),
        1,
        "{:?}",
        compilation.diagnostics
    );
    let diagnostic = &compilation.diagnostics[0];
    assert_eq!(diagnostic.rule, "invalid-encoding");
    let text = &compilation.sources.get(diagnostic.primary.span.file).text;
    assert!(text.get(diagnostic.primary.span.range()).is_some());
    render_human(diagnostic, &compilation.sources, HumanStyle::default());
}

fn diagnostic_spans(diagnostic: &Diagnostic, spans: &mut Vec<Span>) {
    spans.push(diagnostic.primary.span);
    spans.extend(diagnostic.labels.iter().map(|l| l.span));
}

fn tree_spans(tree: &ast::File, spans: &mut Vec<Span>) {
    for statement in &tree.statements {
        spans.push(statement.span());
        match statement {
            ast::Statement::Platform(word) | ast::Statement::Plan(word) => spans.push(word.span),
            ast::Statement::Settings(block) => {
                spans.push(block.keyword);
                setting_spans(&block.settings, spans);
            }
            ast::Statement::Profile(profile) => {
                spans.extend([profile.header, profile.name.span]);
                if let Some(extends) = &profile.extends {
                    spans.push(extends.span);
                    spans.extend(extends.parents.iter().map(|p| p.span));
                }
                spans.extend(profile.description.iter().map(|d| d.span));
                setting_spans(&profile.settings, spans);
            }
            ast::Statement::Member(member) => {
                spans.extend([member.header, member.id.span]);
                spans.extend(member.profile.iter().chain(&member.team).map(|s| s.span));
                setting_spans(&member.settings, spans);
            }
        }
    }
    for comment in &tree.comments {
        spans.push(comment.span);
        if let Some(suppression) = &comment.suppression {
            spans.extend(suppression.rules.iter().map(|r| r.span));
        }
    }
}

fn setting_spans(settings: &[ast::Setting], spans: &mut Vec<Span>) {
    for setting in settings {
        spans.extend([setting.span, setting.id_span, setting.value_span]);
    }
}
