use super::csv;
use super::graph::{self, Layout};
use crate::catalog::{Kind, Permission};

fn permission(kind: Kind, levels: &[&str]) -> Permission {
    Permission {
        id: "x.y".into(),
        category: String::new(),
        section: String::new(),
        label: String::new(),
        kind,
        levels: levels.iter().map(|l| (*l).to_owned()).collect(),
        default: 0,
        risk_at: Some(2),
        grants_admin: false,
        locked: false,
    }
}

#[test]
fn grades_run_from_nothing_to_the_most() {
    let scope = permission(Kind::Scope, &["none", "own", "team", "all"]);
    let grades: Vec<u8> = (0..4).map(|v| super::grade(&scope, v, 0)).collect();
    assert_eq!(grades, [0, 1, 2, 3]);
    let toggle = permission(Kind::Toggle, &["deny", "allow"]);
    assert_eq!(
        (super::grade(&toggle, 0, 0), super::grade(&toggle, 1, 0)),
        (0, 3)
    );
    let limit = permission(Kind::Limit, &[]);
    let grades: Vec<u8> = [0, 100, 300, 400]
        .iter()
        .map(|&v| super::grade(&limit, v, 400))
        .collect();
    assert_eq!(grades, [0, 1, 2, 3]);
    assert!(super::risky(&scope, 2) && !super::risky(&scope, 1));
}

#[test]
fn csv_fields_are_quoted_and_guarded() {
    assert_eq!(csv::field("Sales Rep"), "Sales Rep");
    assert_eq!(csv::field("a,b"), "\"a,b\"");
    assert_eq!(csv::field("say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_eq!(csv::field("=SUM(A1)"), "'=SUM(A1)");
    assert_eq!(csv::field("-1,2"), "\"'-1,2\"");
}

#[test]
fn csv_formulas_behind_blanks_are_guarded_too() {
    // Spreadsheets skip leading blanks before reading a formula.
    assert_eq!(csv::field("  =HYPERLINK(1)"), "'  =HYPERLINK(1)");
    assert_eq!(csv::field(" +1"), "' +1");
    assert_eq!(csv::field("   -2"), "'   -2");
    assert_eq!(csv::field(" \t@SUM(A1)"), "' \t@SUM(A1)");
    assert_eq!(csv::field(" \r\n=1"), "\"' \r\n=1\"");
    assert_eq!(csv::field("  Sales Rep"), "  Sales Rep");
    assert_eq!(csv::field("   "), "   ");
}

#[test]
fn the_policy_digests_are_standard_base64() {
    use sha2::{Digest, Sha256};
    assert_eq!(
        super::html::base64(&Sha256::digest(b"")),
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    );
    assert_eq!(super::html::base64(b"ab"), "YWI=");
    assert_eq!(super::html::base64(b"a"), "YQ==");
}

#[test]
fn long_names_are_cut_on_their_box() {
    let long = "x".repeat(50);
    let label = graph::label(&long);
    assert_eq!(label.chars().count(), 34);
    assert!(label.ends_with('…'));
    assert_eq!(graph::label("SDR"), "SDR");
}

#[test]
fn the_fallback_layering_puts_parents_above_children() {
    let sizes = vec![(100.0, 44.0); 4];
    let edges = vec![(0, 1), (1, 2), (0, 2), (3, 2)];
    let Layout { nodes, edges, .. } = graph::fallback_layout(&sizes, edges);
    for (parent, child) in edges {
        assert!(nodes[parent].y + nodes[parent].height <= nodes[child].y);
    }
    assert!(nodes[0].x + nodes[0].width <= nodes[3].x || nodes[3].x + 100.0 <= nodes[0].x);
}
