//! The comparison on small sets in memory.

use std::sync::Arc;

use super::*;
use crate::load::{Loader, Memory, Workspace};

const HEAD: &str = "platform apollo\nplan organization\n";

fn workspace(files: &[(&str, &str)]) -> Workspace {
    Workspace::from_files(files.iter().map(|(n, t)| (*n, format!("{HEAD}{t}"))))
}

fn side(label: &str, files: &[(&str, &str)]) -> Side {
    let ws = workspace(files);
    match Side::policy(label, &ws, crate::compile(&ws)) {
        Ok(side) => side,
        Err(SideError::Errors(c)) => panic!("{label} has errors: {:?}", c.diagnostics),
        Err(SideError::Bundle(m)) => panic!("{m}"),
    }
}

fn compare(old: &[(&str, &str)], new: &[(&str, &str)]) -> Diff {
    diff(side("old", old), side("new", new), Revisions::Skip).expect("comparable")
}

const CHAIN: &str = r#"
profile "Base" extends "Non-admin" {
  calendar.visibility = team
}
profile "Mid" extends "Base" {
  mailbox.sending_limit = 120
}
profile "Leaf" extends "Billing and Seat Manager", "Mid" {
}
member "a@x.com" profile "Leaf"
member "b@x.com" profile "Mid"
member "c@x.com" profile "Admin"
member "d@x.com" profile "Admin"
"#;

#[test]
fn views_of_a_model_and_of_its_bundle_are_the_same() {
    for example in [
        "policies/examples/apollo-acme",
        "policies/examples/amplemarket-team",
    ] {
        let ws = crate::load::load(&[example.into()], None).expect("the example loads");
        let compilation = crate::compile(&ws);
        let bundle = compilation.bundle(ws.naming()).expect("it builds");
        let model = compilation.model.as_ref().expect("resolved");
        let from_model = View::from_model(model, &compilation.sources, ws.naming());
        let from_bundle =
            View::from_bundle(&bundle, Arc::clone(&model.catalog)).expect("the bundle reads");
        assert!(from_model == from_bundle, "{example}");
        let side = Side::bundle("b", &bundle.to_json(), None).expect("a bundle side");
        assert!(
            side.view == from_model,
            "{example} against the built-in catalog"
        );
    }
}

#[test]
fn a_parent_change_reaches_descendants_through_the_first_winning_parent() {
    let widened = CHAIN.replace("calendar.visibility = team", "calendar.visibility = all");
    let diff = compare(&[("a.perm", CHAIN)], &[("a.perm", &widened)]);
    let names: Vec<&str> = diff.profiles.iter().map(|p| p.profile.as_str()).collect();
    assert_eq!(names, ["Base", "Leaf", "Mid"]);
    let leaf = &diff.profiles[1];
    assert_eq!(leaf.members, 1);
    let change = &leaf.changes[0];
    assert_eq!(change.value.permission, "calendar.visibility");
    assert_eq!(change.value.direction, Direction::Widened);
    let cause = change.cause.as_ref().expect("a cause");
    assert_eq!(cause.profile.as_deref(), Some("Base"));
    assert_eq!(
        (cause.file.as_deref(), cause.line),
        (Some("a.perm"), Some(5))
    );
    assert_eq!(cause.via.as_deref(), Some("Mid"));
    assert_eq!(diff.summary.members_affected, 2);
    assert_eq!(diff.summary.widened, 3);
    assert!(
        diff.members.is_empty(),
        "members moved only through profiles"
    );
}

#[test]
fn removing_a_setting_names_the_default_or_the_parent_it_now_comes_from() {
    let removed = CHAIN.replace("  calendar.visibility = team\n", "");
    let diff = compare(&[("a.perm", CHAIN)], &[("a.perm", &removed)]);
    let base = &diff.profiles[0];
    let cause = base.changes[0].cause.as_ref().expect("a cause");
    assert_eq!(base.changes[0].value.direction, Direction::Narrowed);
    // Non-admin does not set it: the catalog default, through Non-admin.
    assert_eq!(cause.profile, None);
    assert_eq!(cause.file, None);
    assert_eq!(cause.via.as_deref(), Some("Non-admin"));
    let json = serde_json::to_value(&base.changes[0]).expect("serialises");
    assert_eq!(
        json["cause"],
        serde_json::json!({"profile": null, "via": "Non-admin"})
    );
}

#[test]
fn moving_and_reformatting_changes_nothing() {
    let moved = CHAIN.replace("profile \"Mid\"", "\n\n\nprofile \"Mid\"");
    let (first, rest) = moved.split_at(moved.find("member").expect("members"));
    let diff = compare(&[("a.perm", CHAIN)], &[("b.perm", first), ("c.perm", rest)]);
    assert!(diff.is_empty(), "{diff:?}");
    assert!(diff.findings.introduced.is_empty() && diff.findings.resolved.is_empty());
}

#[test]
fn findings_match_by_rule_profile_and_permission_not_line() {
    let risky = CHAIN.replace(
        "mailbox.sending_limit = 120",
        "mailbox.sending_limit = 120\n  contacts.delete = all",
    );
    let moved = risky.replace("profile \"Mid\"", "\n\nprofile \"Mid\"");
    let diff = compare(&[("a.perm", &risky)], &[("a.perm", &moved)]);
    assert!(diff.findings.introduced.is_empty(), "{:?}", diff.findings);
    let diff = compare(&[("a.perm", CHAIN)], &[("a.perm", &risky)]);
    let rules: Vec<&str> = diff.findings.introduced.iter().map(|d| d.rule).collect();
    assert!(rules.contains(&"risky-grant"), "{rules:?}");
    assert!(diff.profiles.iter().any(ProfileChange::risky));
    assert!(diff.fails(FailOn::Risky) && diff.fails(FailOn::Widened));
    let back = compare(&[("a.perm", &risky)], &[("a.perm", CHAIN)]);
    assert!(
        back.findings
            .resolved
            .iter()
            .any(|d| d.rule == "risky-grant")
    );
    assert!(!back.fails(FailOn::Widened) && back.fails(FailOn::Any));
}

#[test]
fn members_moved_list_what_they_gain_and_admin_flips_are_risky() {
    let moved = CHAIN.replace(
        "member \"b@x.com\" profile \"Mid\"",
        "member \"b@x.com\" profile \"Admin\"",
    );
    let diff = compare(&[("a.perm", CHAIN)], &[("a.perm", &moved)]);
    assert!(diff.profiles.is_empty());
    let member = &diff.members[0];
    assert_eq!(member.member, "b@x.com");
    assert_eq!(member.new_profile.as_deref(), Some("Admin"));
    assert!(member.changes.iter().any(|c| c.risky));
    assert_eq!((diff.admins.old, diff.admins.new), (2, 3));
    let admin = CHAIN.replace(
        "mailbox.sending_limit = 120",
        "mailbox.sending_limit = 120\n  users.manage = allow",
    );
    let diff = compare(&[("a.perm", CHAIN)], &[("a.perm", &admin)]);
    let mid = diff
        .profiles
        .iter()
        .find(|p| p.profile == "Mid")
        .expect("Mid changed");
    assert!(mid.becomes_admin() && mid.risky());
}

#[test]
fn the_second_compilation_reuses_unchanged_trees() {
    let old = workspace(&[
        ("a.perm", CHAIN),
        ("b.perm", "profile \"X\" extends \"Mid\" {\n}\n"),
    ]);
    let new = workspace(&[
        ("a.perm", CHAIN),
        ("b.perm", "profile \"Y\" extends \"Mid\" {\n}\n"),
    ]);
    let (first, second) = policy_pair(("old", &old), ("new", new));
    let (first, second) = (first.expect("no errors"), second.expect("no errors"));
    let trees = |side: &Side| {
        side.compilation()
            .map(|c| c.files.clone())
            .unwrap_or_default()
    };
    let (first, second) = (trees(&first), trees(&second));
    assert!(Arc::ptr_eq(&first[0], &second[0]));
    assert!(!Arc::ptr_eq(&first[1], &second[1]));
}

#[test]
fn platforms_must_match() {
    let mut tree = Memory::new();
    tree.insert("set/a.perm", "platform amplemarket\nmember \"a@x.com\"\n");
    let ws = Loader::new(&tree, std::path::Path::new("/")).load(&["set".into()], None);
    let ws = ws.expect("loads");
    let other = Side::policy("amplemarket", &ws, crate::compile(&ws)).expect("no errors");
    let error = diff(side("apollo", &[("a.perm", CHAIN)]), other, Revisions::Skip);
    assert!(matches!(error, Err(DiffError::Platform { .. })));
}

#[test]
fn an_admin_count_below_min_admins_is_never_ok() {
    let profiles = "profile \"Rep\" extends \"Non-admin\" {\n  calendar.visibility = team\n}\n";
    let one_admin = "member \"a@x.com\" profile \"Admin\"\nmember \"b@x.com\" profile \"Rep\"\n";
    // No members at all: the count is below the minimum, and not "ok".
    let none = compare(&[("p.perm", profiles)], &[("p.perm", profiles)]);
    let line = human::admins_line(none.admins.old, none.admins.new, &none.admin_status);
    assert!(line.starts_with("0 → 0 (no members;"), "{line}");
    let one = compare(
        &[("p.perm", profiles), ("m.perm", one_admin)],
        &[("p.perm", profiles)],
    );
    let line = human::admins_line(one.admins.old, one.admins.new, &one.admin_status);
    assert!(line.starts_with("1 → 0 (too few → no members;"), "{line}");
}
