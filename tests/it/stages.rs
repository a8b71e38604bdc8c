//! Snapshots of the stage outputs nobody sees in a command's output: the
//! parsed tree of every example file (as YAML, spans left out, so a layout
//! change alone does not show) and every profile's effective values with
//! their provenance, as the resolver computed them.

use std::fmt::Write as _;
use std::path::PathBuf;

use rolecall::resolve::{Model, Provenance};
use rolecall::source::SourceMap;

const EXAMPLES: [&str; 2] = ["apollo-acme", "amplemarket-team"];

fn compiled(example: &str) -> rolecall::Compilation {
    let paths = [PathBuf::from(format!("policies/examples/{example}"))];
    let workspace = rolecall::load::load(&paths, None).expect("the example loads");
    let compilation = rolecall::compile(&workspace);
    assert_eq!(compilation.counts().errors, 0, "{example} has errors");
    compilation
}

/// Where a value comes from, in one line: `own 12`, `SDR ← Non-admin
/// prelude:apollo:40`, `default`, `default via Lead`, `member limit 7`.
fn provenance(model: &Model, sources: &SourceMap, provenance: Provenance) -> String {
    let at = |span: rolecall::source::Span| {
        let file = &sources.get(span.file).name;
        format!("{file}:{}", sources.line(span))
    };
    match provenance {
        Provenance::Own { span, .. } => format!("own {}", at(span)),
        Provenance::Inherited {
            through,
            origin,
            span,
        } => format!(
            "via {} from {} {}",
            model.profile(through).name,
            model.profile(origin).name,
            at(span)
        ),
        Provenance::Default { through: None } => "default".to_owned(),
        Provenance::Default {
            through: Some(through),
        } => format!("default via {}", model.profile(through).name),
        Provenance::MemberLimit { span } => format!("member limit {}", at(span)),
    }
}

#[test]
fn the_examples_parse_to_these_trees() {
    for example in EXAMPLES {
        let compilation = compiled(example);
        let mut trees: Vec<(String, String)> = compilation
            .files
            .iter()
            .map(|file| {
                let name = compilation.sources.get(file.id).name.clone();
                let tree = serde_yaml::to_string(&file.without_spans()).expect("a tree serialises");
                (name, tree)
            })
            .collect();
        trees.sort();
        assert!(!trees.is_empty());
        let mut out = String::new();
        for (name, tree) in trees {
            let _ = writeln!(out, "== {name}\n{tree}");
        }
        insta::assert_snapshot!(format!("parse_{example}"), out);
    }
}

#[test]
fn the_examples_resolve_to_these_values() {
    for example in EXAMPLES {
        let compilation = compiled(example);
        let model = compilation.model.as_ref().expect("resolved");
        let sources = &compilation.sources;
        let mut out = String::new();
        let mut profiles: Vec<_> = model
            .profiles
            .iter()
            .filter_map(|p| model.find(&p.name))
            .collect();
        profiles.sort_by(|a, b| model.profile(*a).name.cmp(&model.profile(*b).name));
        assert!(!profiles.is_empty(), "{example} has no profile");
        for id in profiles {
            let profile = model.profile(id);
            let kind = if profile.builtin { " (built-in)" } else { "" };
            let _ = writeln!(out, "== {}{kind}", profile.name);
            let view = model.view(id).expect("not in a cycle");
            for (perm, effective) in view.iter() {
                let _ = writeln!(
                    out,
                    "{} = {}  ({})",
                    model.catalog.get(perm).id,
                    effective.to_value(model, perm),
                    provenance(model, sources, effective.provenance)
                );
            }
        }
        insta::assert_snapshot!(format!("resolve_{example}"), out);
    }
}
