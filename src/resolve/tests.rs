//! Semantics of resolution: join, provenance, caps, admin-equivalence.

use petgraph::visit::EdgeRef;

use crate::diagnostics::Diagnostic;
use crate::load::Workspace;
use crate::resolve::Model;
use crate::{Compilation, compile};

fn compile_text(text: &str) -> Compilation {
    let project = Workspace::from_files([("set.perm", text)]);
    compile(&project)
}

fn resolved(text: &str) -> Model {
    let compilation = compile_text(text);
    // Lint warnings may fire on these small sets; resolution must not fail.
    let errors: Vec<&str> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diagnostics::Severity::Error)
        .map(|d| d.rule)
        .collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:?}");
    compilation.model.expect("resolved")
}

fn value(model: &Model, profile: &str, perm: &str) -> String {
    let p = model.profile(model.find(profile).expect("profile"));
    let id = model.catalog.lookup(perm).expect("permission");
    model
        .catalog
        .get(id)
        .display(p.value(id).expect("resolved"))
}

fn origin_line(
    model: &Model,
    compilation_text: &str,
    profile: &str,
    perm: &str,
) -> Option<(String, usize)> {
    let p = model.profile(model.find(profile).expect("profile"));
    let id = model.catalog.lookup(perm).expect("permission");
    let origin = model.origin(p.effective.as_ref().expect("resolved"), id)?;
    let span = model.origin_span(origin);
    let owner = model.profile(origin.profile).name.clone();
    let line = if model.profile(origin.profile).builtin {
        0
    } else {
        compilation_text[..span.start as usize]
            .matches('\n')
            .count()
            + 1
    };
    Some((owner, line))
}

const DIAMOND: &str = r#"platform apollo
profile "A" {
  contacts.delete = team
  emails.visibility = outbound
}
profile "B" {
  contacts.delete = team
  emails.visibility = own
  deals.view = allow
}
profile "C" extends "B", "A" {
  deals.view = deny
}
"#;

#[test]
fn join_takes_the_highest_parent_value_and_own_settings_win() {
    let model = resolved(DIAMOND);
    assert_eq!(value(&model, "C", "emails.visibility"), "outbound");
    assert_eq!(value(&model, "C", "contacts.delete"), "team");
    // Own settings may narrow what the parents grant.
    assert_eq!(value(&model, "C", "deals.view"), "deny");
    // Untouched permissions keep the catalog default.
    assert_eq!(value(&model, "C", "calls.join_mode"), "none");
}

#[test]
fn provenance_names_the_setting_and_ties_go_to_the_first_parent() {
    let model = resolved(DIAMOND);
    // Both parents hold `team`: the first in the extends list (B) gives it.
    assert_eq!(
        origin_line(&model, DIAMOND, "C", "contacts.delete"),
        Some(("B".to_owned(), 7))
    );
    // Only A holds the winning value.
    assert_eq!(
        origin_line(&model, DIAMOND, "C", "emails.visibility"),
        Some(("A".to_owned(), 4))
    );
    assert_eq!(
        origin_line(&model, DIAMOND, "C", "deals.view"),
        Some(("C".to_owned(), 12))
    );
    assert_eq!(origin_line(&model, DIAMOND, "C", "calls.join_mode"), None);
}

#[test]
fn prelude_values_are_clamped_to_caps_and_user_values_above_are_errors() {
    let text = "platform apollo\nsettings {\n  mailbox.sending_limit = 120\n}\nprofile \"Lead\" extends \"Admin\" {}\nprofile \"Rep\" {\n  mailbox.sending_limit = 121\n}\n";
    let compilation = compile_text(text);
    let rules: Vec<&str> = compilation.diagnostics.iter().map(|d| d.rule).collect();
    assert_eq!(rules, ["limit-exceeds-cap"]);
    let model = compilation.model.expect("resolved");
    assert_eq!(value(&model, "Admin", "mailbox.sending_limit"), "120");
    assert_eq!(value(&model, "Lead", "mailbox.sending_limit"), "120");
    // The user's value is kept as written, and reported.
    assert_eq!(value(&model, "Rep", "mailbox.sending_limit"), "121");
}

#[test]
fn defaults_are_clamped_to_caps_too() {
    let model = resolved(
        "platform apollo\nsettings {\n  mailbox.sending_limit = 20\n}\nprofile \"Rep\" {}\n",
    );
    assert_eq!(value(&model, "Rep", "mailbox.sending_limit"), "20");
}

#[test]
fn admin_equivalence_follows_grants_admin_permissions() {
    let model = resolved(
        "platform apollo\nprofile \"Helpdesk\" extends \"Non-admin\" {\n  users.manage = allow\n}\nprofile \"Desk Lead\" extends \"Helpdesk\" {}\nprofile \"Rep\" extends \"Non-admin\" {}\nprofile \"Boss\" extends \"Admin\" {}\n",
    );
    let flag = |name: &str| {
        let p = model.profile(model.find(name).expect("profile"));
        (p.admin_equivalent, p.extends_admin)
    };
    assert_eq!(flag("Admin"), (true, true));
    assert_eq!(flag("Helpdesk"), (true, false));
    assert_eq!(flag("Desk Lead"), (true, false));
    assert_eq!(flag("Rep"), (false, false));
    assert_eq!(flag("Boss"), (true, true));
}

#[test]
fn members_get_the_default_profile_and_their_own_limits() {
    let model = resolved(
        "platform amplemarket\nsettings {\n  mailbox.sending_limit = 300\n}\nmember \"a@x.io\"\nmember \"b@x.io\" profile \"Admin\" {\n  mailbox.sending_limit = 200\n}\n",
    );
    let limit = model.catalog.lookup("mailbox.sending_limit").expect("id");
    let a = &model.members[0];
    let b = &model.members[1];
    assert_eq!(model.profile(a.profile.expect("default")).name, "Sales Rep");
    assert!(!a.profile_named);
    assert_eq!(model.member_value(a, limit), Some(50));
    assert_eq!(model.member_value(b, limit), Some(200));
}

#[test]
fn extends_edges_and_member_profile_clauses_keep_their_spans() {
    let text = "platform apollo\nprofile \"A\" {}\nprofile \"C\" extends \"Non-admin\", \"A\" {}\nmember \"m@x.io\"   profile \"C\"  team \"T\"\nmember \"n@x.io\"\n";
    let compilation = compile_text(text);
    let model = compilation.model.as_ref().expect("resolved");
    let sources = &compilation.sources;
    let c = model.find("C").expect("C");
    let mut parents: Vec<(String, &str)> = model
        .graph
        .edges_directed(Model::node(c), petgraph::Direction::Incoming)
        .map(|edge| {
            let parent = model.profile(model.graph[edge.source()]);
            (parent.name.clone(), sources.snippet(*edge.weight()))
        })
        .collect();
    parents.sort();
    assert_eq!(
        parents,
        [
            ("A".to_owned(), "\"A\""),
            ("Non-admin".to_owned(), "\"Non-admin\"")
        ]
    );
    let clause = model.members[0].profile_clause.expect("named");
    assert_eq!(sources.snippet(clause), "profile \"C\"");
    assert_eq!(model.members[1].profile_clause.map(|s| s.range()), None);
}

#[test]
fn a_deep_chain_resolves_without_recursion() {
    let depth = 20_000;
    let mut text = String::from("platform apollo\nprofile \"P0\" extends \"Non-admin\" {}\n");
    for i in 1..depth {
        text.push_str(&format!("profile \"P{i}\" extends \"P{}\" {{}}\n", i - 1));
    }
    text.push_str(&format!(
        "profile \"P{depth}\" extends \"P{}\" {{\n  deals.view = deny\n}}\n",
        depth - 1
    ));
    let model = resolved(&text);
    assert_eq!(
        value(&model, &format!("P{}", depth - 1), "deals.view"),
        "allow"
    );
    assert_eq!(value(&model, &format!("P{depth}"), "deals.view"), "deny");
}

#[test]
fn a_long_loop_is_reported_once() {
    let size = 5_000;
    let mut text = String::from("platform apollo\n");
    for i in 0..size {
        text.push_str(&format!(
            "profile \"L{i}\" extends \"L{}\" {{}}\n",
            (i + 1) % size
        ));
    }
    let compilation = compile_text(&text);
    let cycles: Vec<&Diagnostic> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.rule == "inheritance-cycle")
        .collect();
    assert_eq!(cycles.len(), 1);
    assert_eq!(cycles[0].labels.len(), size - 1);
    assert!(
        cycles[0].message.ends_with("L4999 → L0"),
        "{}",
        cycles[0].message
    );
}

#[test]
fn inherited_values_follow_the_join_and_report_ties() {
    let model = resolved(DIAMOND);
    let perm = |id: &str| model.catalog.lookup(id).expect("permission");
    let (a, b, c) = (
        model.find("A").expect("A"),
        model.find("B").expect("B"),
        model.find("C").expect("C"),
    );
    let tied = model
        .view(c)
        .expect("resolved")
        .inherited(perm("contacts.delete"));
    assert_eq!((tied.value, tied.from, tied.tie), (2, Some(b), true));
    let single = model
        .view(c)
        .expect("resolved")
        .inherited(perm("emails.visibility"));
    assert_eq!((single.value, single.from, single.tie), (1, Some(a), false));
    // Without parents: the catalog default, whatever the profile sets.
    let root = model
        .view(a)
        .expect("resolved")
        .inherited(perm("contacts.delete"));
    assert_eq!((root.value, root.from, root.tie), (0, None, false));
}

#[test]
fn unknown_profile_suggestions_stop_at_the_search_budget() {
    // 600 profiles and the prelude's: the budget runs out before 500 searches.
    let mut text = String::from("platform apollo\nplan organization\n");
    for i in 0..600 {
        text.push_str(&format!("profile \"P{i:04}\" extends \"Non-admin\" {{}}\n"));
    }
    for i in 0..600 {
        text.push_str(&format!("member \"m{i}@x.com\" profile \"P{i:04}\"\n"));
    }
    for i in 0..500 {
        // Each name twice: the second use reuses the first search.
        for copy in 0..2 {
            text.push_str(&format!(
                "member \"u{i}-{copy}@x.com\" profile \"Q{i:04}\"\n"
            ));
        }
    }
    let compilation = compile_text(&text);
    let helps: Vec<&str> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.rule == "unknown-profile")
        .map(|d| d.help.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(helps.len(), 1000);
    let profiles = compilation.model.as_ref().expect("model").profiles.len();
    let searches = super::graph::SEARCH_BUDGET / profiles;
    assert!(searches < 500, "the budget must run out in this test");
    let suggested = helps
        .iter()
        .filter(|h| h.starts_with("did you mean"))
        .count();
    assert_eq!(suggested, 2 * searches);
    assert_eq!(helps[0], "did you mean `P0000`?");
    assert_eq!(helps[999], "define the profile, or name one that exists");
}

#[test]
fn effective_tables_hold_every_value_as_given() {
    use crate::catalog::PermId;
    use crate::resolve::{EffectiveTable, NO_ORIGIN};
    let values = [0, 1, 254, 255, 256, 1_000_000, u64::MAX, 3];
    let origins = [NO_ORIGIN, 0, 7, NO_ORIGIN, u32::MAX - 1, 2, NO_ORIGIN, 1];
    let table = EffectiveTable::new(&values, &origins);
    assert_eq!(table.len(), values.len());
    assert_eq!(table.values().collect::<Vec<_>>(), values);
    for (i, value) in values.iter().enumerate() {
        assert_eq!(table.value(PermId(i as u16)), *value);
        assert_eq!(table.origin_number(i), origins[i]);
    }
    // Past the catalog: the default, no origin.
    assert_eq!(table.value(PermId(100)), 0);
    assert_eq!(table.origin_number(100), NO_ORIGIN);
}

#[test]
fn origins_skip_profiles_without_settings() {
    // `B` sets nothing, so its number of first setting is `C`'s too.
    let model = resolved(
        "platform apollo\n\
         profile \"A\" extends \"Non-admin\" { contacts.delete = all\n prospecting.search = allow }\n\
         profile \"B\" extends \"A\" { }\n\
         profile \"C\" extends \"B\" { emails.visibility = outbound }\n",
    );
    let id = |name: &str| model.find(name).expect("profile");
    let perm = |id: &str| model.catalog.lookup(id).expect("permission");
    let table = |name: &str| {
        model
            .profile(id(name))
            .effective
            .as_ref()
            .expect("resolved")
    };
    let origin = |name: &str, p: &str| model.origin(table(name), perm(p));
    let own = |name: &str, setting: u32| {
        Some(super::Origin {
            profile: id(name),
            setting,
        })
    };
    assert_eq!(origin("C", "contacts.delete"), own("A", 0));
    assert_eq!(origin("C", "prospecting.search"), own("A", 1));
    assert_eq!(origin("B", "prospecting.search"), own("A", 1));
    assert_eq!(origin("C", "emails.visibility"), own("C", 0));
    assert_eq!(
        origin("B", "emails.visibility"),
        origin("A", "emails.visibility")
    );
    assert_eq!(
        model.origins(table("C")).count(),
        model.catalog.len(),
        "one origin per permission"
    );
}
