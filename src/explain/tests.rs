use super::*;
use crate::load::Workspace;

const SET: &str = r#"platform apollo
plan organization

profile "A" {
  deals.view = allow
}

profile "B" {
  deals.view = allow
  calendar.visibility = team
}

profile "C" extends "B", "A" {
  calendar.visibility = own
}

profile "D" extends "A", "C" {
}
"#;

fn compiled() -> crate::Compilation {
    let project = Workspace::from_files([("set.perm", SET)]);
    let compilation = crate::compile(&project);
    assert_eq!(
        compilation.counts().errors,
        0,
        "{:?}",
        compilation.diagnostics
    );
    compilation
}

fn level(name: &str) -> Value {
    Value::Level(name.to_owned())
}

#[test]
fn ties_go_to_the_first_parent_in_extends_order() {
    let c = compiled();
    let model = c.model.as_ref().expect("resolved");
    let chain = chain(model, &c.sources, "C", "deals.view").expect("known");
    assert_eq!(chain.value, level("allow"));
    let Reason::JoinOfParents { winner, tie, .. } = &chain.steps[0].because else {
        panic!("expected a join, got {:?}", chain.steps[0].because);
    };
    assert_eq!((winner.as_str(), *tie), ("B", true));
    assert_eq!(chain.steps[1].profile, "B");
    assert!(matches!(
        chain.steps[1].because,
        Reason::OwnSetting { line: 9, .. }
    ));
    let Some(SetBy { profile, line, .. }) = &chain.origin else {
        panic!("expected a setting, got {:?}", chain.origin);
    };
    assert_eq!((profile.as_str(), *line), ("B", 9));
}

#[test]
fn an_own_setting_wins_and_records_what_it_replaced() {
    let c = compiled();
    let model = c.model.as_ref().expect("resolved");
    let chain = chain(model, &c.sources, "C", "calendar.visibility").expect("known");
    assert_eq!(chain.value, level("own"));
    assert_eq!(chain.steps.len(), 1);
    let Reason::OwnSetting {
        inherited, line, ..
    } = &chain.steps[0].because
    else {
        panic!("expected an own setting");
    };
    assert_eq!((inherited, *line), (&level("team"), 14));
}

#[test]
fn the_highest_parent_wins_and_defaults_end_the_walk() {
    let c = compiled();
    let model = c.model.as_ref().expect("resolved");
    // D extends A (own, the default) and C (own, set): the first wins a tie.
    let chain = chain(model, &c.sources, "D", "calendar.visibility").expect("known");
    let Reason::JoinOfParents { winner, tie, .. } = &chain.steps[0].because else {
        panic!("expected a join");
    };
    assert_eq!((winner.as_str(), *tie), ("A", true));
    assert!(matches!(chain.steps[1].because, Reason::CatalogDefault));
    assert_eq!(chain.origin, None);
    let names: Vec<&str> = chain.ancestors.iter().map(|a| a.profile.as_str()).collect();
    assert_eq!(names, ["A", "C", "B"]);
}

#[test]
fn unknown_names_are_reported_not_panicked_on() {
    let c = compiled();
    let model = c.model.as_ref().expect("resolved");
    assert_eq!(table(model, &c.sources, "Z").err(), Some(Missing::Profile));
    let missing = chain(model, &c.sources, "A", "deals.nope").err();
    assert_eq!(missing, Some(Missing::Permission));
    let rows = table(model, &c.sources, "A").expect("known").permissions;
    assert_eq!(rows.len(), model.catalog.len());
}
