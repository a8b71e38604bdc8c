//! The import order of docs/architecture.md, checked on the source tree:
//! every `crate::` path in the library's modules names a module of the same
//! layer or one below it. Test modules are left out, since they may build
//! whole compilations to check a stage.

use std::path::{Path, PathBuf};

/// The layers, lowest first; modules in one layer may use each other.
const LAYERS: &[&[&str]] = &[
    &["text"],
    &["source"],
    &["diagnostics"],
    &["syntax"],
    &["catalog"],
    &["load"],
    &["resolve"],
    &["lint"],
    &["baseline"],
    &["backend"],
    &["render"],
    &["explain", "diff", "snapshot", "testing", "report", "fmt"],
    &["lsp"],
    &["cli"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The layer of a file: its top folder under `src/`, the renderers apart.
fn module_of(relative: &Path) -> String {
    let text = relative.to_string_lossy().replace('\\', "/");
    if text.starts_with("diagnostics/render") {
        return "render".to_owned();
    }
    let first = text.split('/').next().unwrap_or_default();
    first.trim_end_matches(".rs").to_owned()
}

/// The modules a text names through `crate::`.
fn uses(text: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("crate::") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &text[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        let name = if name == "diagnostics" && rest.starts_with("diagnostics::render") {
            "render".to_owned()
        } else {
            name
        };
        found.push((name, text[..at].matches('\n').count() + 1));
    }
    found
}

/// `text` without its `#[cfg(test)] mod tests { ... }` block at the end.
fn without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]\nmod tests {")
        .map_or(text, |at| &text[..at])
}

#[test]
fn no_module_imports_a_later_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all: Vec<PathBuf> = walkdir::WalkDir::new(&src)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    all.sort();
    assert!(all.len() > 50, "found only {} source files", all.len());
    let mut wrong = Vec::new();
    let mut checked = 0;
    for path in &all {
        let relative = path.strip_prefix(&src).unwrap_or(path);
        let name = relative.to_string_lossy();
        if name.ends_with("tests.rs") || name.contains("/tests/") {
            continue;
        }
        let Some(own) = layer(&module_of(relative)) else {
            continue;
        };
        let text = std::fs::read_to_string(path).unwrap_or_default();
        for (used, line) in uses(without_tests(&text)) {
            checked += 1;
            if layer(&used).is_some_and(|l| l > own) {
                wrong.push(format!("{name}:{line} uses `crate::{used}`"));
            }
        }
    }
    assert!(checked > 200, "only {checked} crate paths were seen");
    assert!(
        wrong.is_empty(),
        "imports of later layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_check_sees_an_import_of_a_later_layer() {
    let found =
        uses("use crate::lint::Waiver;\nlet x = crate::diagnostics::render::pretty_json(&v);");
    assert_eq!(found, [("lint".to_owned(), 1), ("render".to_owned(), 2)]);
    assert!(layer("lint") > layer("load"));
    assert_eq!(
        module_of(Path::new("diagnostics/render/human.rs")),
        "render"
    );
    assert_eq!(module_of(Path::new("baseline.rs")), "baseline");
}
