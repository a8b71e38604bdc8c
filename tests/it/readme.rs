//! The README's rule tables list exactly the registry's rules.

use std::collections::BTreeSet;

#[test]
fn readme_rule_tables_match_the_registry() {
    let readme = std::fs::read_to_string("README.md").expect("README.md is readable");
    let mut documented = BTreeSet::new();
    for line in readme.lines() {
        let Some(first_cell) = line.strip_prefix("| ").and_then(|l| l.split(" |").next()) else {
            continue;
        };
        // A cell may name several rules: `a` / `b` / `c`.
        for part in first_cell.split(" / ") {
            if let Some(name) = part.strip_prefix('`').and_then(|p| p.strip_suffix('`'))
                && rolecall::lint::find(name).is_some()
            {
                documented.insert(name.to_owned());
            }
        }
    }
    let registry: BTreeSet<String> = rolecall::lint::RULES
        .iter()
        .map(|r| r.name.to_owned())
        .collect();
    assert_eq!(documented, registry);
}
