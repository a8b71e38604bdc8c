//! The editor files: the TextMate grammar has the shape editors expect,
//! every regex compiles, and a small tokenizer over the shipped examples
//! gives each kind of token its scope; the VS Code extension starts
//! `rolecall lsp` on `*.perm` files with that grammar.

use std::path::Path;

use fancy_regex::Regex;
use serde_json::Value;

const GRAMMAR: &str = "editors/vscode/syntaxes/rolecall.tmLanguage.json";

fn json(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every rule of the grammar: top-level patterns, repository entries and
/// their nested patterns.
fn rules(grammar: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    let mut stack: Vec<&Value> = grammar["patterns"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    stack.extend(
        grammar["repository"]
            .as_object()
            .into_iter()
            .flat_map(|r| r.values()),
    );
    while let Some(rule) = stack.pop() {
        stack.extend(rule["patterns"].as_array().into_iter().flatten());
        out.push(rule);
    }
    out
}

fn regex(rule: &Value, key: &str) -> Option<Regex> {
    let source = rule[key].as_str()?;
    Some(Regex::new(source).unwrap_or_else(|e| panic!("`{source}` does not compile: {e}")))
}

/// A rule's patterns, with `include`s resolved in the repository.
fn patterns<'g>(grammar: &'g Value, rule: &'g Value) -> Vec<&'g Value> {
    let mut out = Vec::new();
    for pattern in rule["patterns"].as_array().into_iter().flatten() {
        match pattern["include"].as_str() {
            Some(include) => {
                let target = &grammar["repository"][include.trim_start_matches('#')];
                if target.get("match").is_some() || target.get("begin").is_some() {
                    out.push(target);
                } else {
                    out.extend(patterns(grammar, target));
                }
            }
            None => out.push(pattern),
        }
    }
    out
}

/// A tokenizer of one line with the grammar: at each position the
/// earliest match wins, as in TextMate; a `begin` rule runs to its `end`,
/// its inside tokenized with its own patterns. Returns (text, scope) pairs.
fn tokenize(grammar: &Value, line: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    tokens(
        grammar,
        &patterns(grammar, grammar),
        line,
        0,
        line.len(),
        &mut out,
    );
    out
}

fn tokens(
    grammar: &Value,
    rules: &[&Value],
    line: &str,
    mut at: usize,
    to: usize,
    out: &mut Vec<(String, String)>,
) {
    while at < to {
        let found = rules
            .iter()
            .filter_map(|rule| {
                let re = regex(rule, "match").or_else(|| regex(rule, "begin"))?;
                let m = re.find_from_pos(line, at).ok()??;
                (m.start() < to).then_some((m.start(), *rule, re))
            })
            .min_by_key(|(start, _, _)| *start);
        let Some((start, rule, re)) = found else {
            break;
        };
        let captures = re
            .captures_from_pos(line, start)
            .ok()
            .flatten()
            .expect("captures");
        let whole = captures.get(0).expect("a match");
        let mut end = whole.end().max(start + 1).min(to);
        if rule.get("begin").is_some() {
            let close = regex(rule, "end").expect("an end");
            let (inner_end, outer_end) = close
                .find_from_pos(line, whole.end())
                .ok()
                .flatten()
                .map_or((to, to), |m| (m.start(), m.end()));
            end = outer_end.min(to).max(start + 1);
            tokens(
                grammar,
                &patterns(grammar, rule),
                line,
                whole.end(),
                inner_end.min(to),
                out,
            );
        }
        if let Some(name) = rule["name"].as_str() {
            out.push((line[start..end].to_owned(), name.to_owned()));
        }
        for key in ["beginCaptures", "captures"] {
            for (index, capture) in rule[key].as_object().into_iter().flatten() {
                let index: usize = index.parse().expect("a group number");
                if let Some(m) = captures.get(index) {
                    let name = capture["name"].as_str().expect("a scope");
                    out.push((m.as_str().to_owned(), name.to_owned()));
                }
            }
        }
        at = end;
    }
}

fn example_lines() -> Vec<String> {
    let mut lines = Vec::new();
    for entry in walk(Path::new("policies/examples")) {
        let text = std::fs::read_to_string(&entry).expect("readable");
        lines.extend(text.lines().map(str::to_owned));
    }
    lines
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "perm") {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn the_grammar_has_the_shape_editors_read() {
    let grammar = json(GRAMMAR);
    assert_eq!(grammar["scopeName"], "source.rolecall");
    assert_eq!(grammar["fileTypes"], serde_json::json!(["perm"]));
    let repository = grammar["repository"].as_object().expect("a repository");
    for rule in rules(&grammar) {
        if let Some(include) = rule["include"].as_str() {
            let name = include.strip_prefix('#').expect("a local include");
            assert!(
                repository.contains_key(name),
                "`{include}` is not in the repository"
            );
            continue;
        }
        assert!(
            ["match", "begin", "patterns"]
                .iter()
                .any(|k| rule.get(*k).is_some()),
            "a rule with neither `match`, `begin` nor `patterns`: {rule}"
        );
        if rule.get("match").is_none() && rule.get("begin").is_none() {
            continue;
        }
        if rule.get("begin").is_some() {
            assert!(rule.get("end").is_some(), "`begin` without `end`: {rule}");
        }
        for key in ["match", "begin", "end"] {
            regex(rule, key);
        }
        let names = ["name", "captures", "beginCaptures"];
        assert!(
            names.iter().any(|k| rule.get(*k).is_some()),
            "a rule without a scope: {rule}"
        );
        if let Some(name) = rule["name"].as_str() {
            assert!(
                name.ends_with(".rolecall"),
                "`{name}` does not end with the language"
            );
        }
    }
}

#[test]
fn the_grammar_scopes_the_tokens_of_the_examples() {
    let grammar = json(GRAMMAR);
    let lines = example_lines();
    assert!(lines.len() > 100, "the examples were not found");
    let mut seen = std::collections::BTreeSet::new();
    for line in &lines {
        for (text, scope) in tokenize(&grammar, line) {
            seen.insert((text, scope));
        }
    }
    let has = |text: &str, scope: &str| seen.contains(&(text.to_owned(), scope.to_owned()));
    for keyword in [
        "platform",
        "plan",
        "settings",
        "profile",
        "extends",
        "description",
        "member",
        "team",
    ] {
        assert!(
            has(keyword, "keyword.other.rolecall"),
            "keyword `{keyword}`"
        );
    }
    assert!(has(
        "contacts.delete",
        "variable.other.property.permission.rolecall"
    ));
    assert!(has("allow", "constant.language.toggle.rolecall"));
    assert!(has("team", "constant.other.level.rolecall"));
    assert!(has("400", "constant.numeric.integer.rolecall"));
    assert!(has("=", "keyword.operator.assignment.rolecall"));
    assert!(has("\"Non-admin\"", "string.quoted.double.rolecall"));
    assert!(has("rolecall:", "keyword.other.directive.rolecall"));
    assert!(has("see-all-emails", "entity.name.tag.rule.rolecall"));
    // A `#` inside a string is not a comment; a plain comment is one token.
    let tokens = tokenize(&grammar, "member \"a#b@acme.com\" team \"EMEA\"  # note");
    assert!(
        tokens.contains(&(
            "\"a#b@acme.com\"".into(),
            "string.quoted.double.rolecall".into()
        )),
        "{tokens:?}"
    );
    assert!(
        tokens.contains(&("# note".into(), "comment.line.number-sign.rolecall".into())),
        "{tokens:?}"
    );
    let tokens = tokenize(
        &grammar,
        "  x.y = 1  # rolecall: allow(risky-grant, redundant-setting) \"why\"",
    );
    let rules: Vec<&str> = tokens
        .iter()
        .filter(|(_, s)| s == "entity.name.tag.rule.rolecall")
        .map(|(t, _)| t.as_str())
        .collect();
    assert_eq!(rules, ["risky-grant", "redundant-setting"], "{tokens:?}");
}

#[test]
fn the_vscode_extension_starts_the_server_with_the_grammar() {
    let manifest = json("editors/vscode/package.json");
    let contributes = &manifest["contributes"];
    assert_eq!(
        contributes["languages"][0]["extensions"],
        serde_json::json!([".perm"])
    );
    let grammar = &contributes["grammars"][0];
    assert_eq!(grammar["scopeName"], "source.rolecall");
    let path = grammar["path"].as_str().expect("a grammar path");
    assert!(Path::new("editors/vscode").join(path).is_file(), "{path}");
    let configuration = contributes["languages"][0]["configuration"]
        .as_str()
        .expect("a path");
    json(&format!(
        "editors/vscode/{}",
        configuration.trim_start_matches("./")
    ));
    assert!(manifest["dependencies"]["vscode-languageclient"].is_string());
    let main = manifest["main"].as_str().expect("a main script");
    let client =
        std::fs::read_to_string(Path::new("editors/vscode").join(main)).expect("the client");
    assert!(client.contains("vscode-languageclient"), "{client}");
    assert!(client.contains("args: [\"lsp\"]"), "{client}");
}
