//! Unit tests of snapshots: the example written, read back and compared.

use super::*;
use crate::load::Naming;

fn example() -> crate::Compilation {
    let paths = ["policies/examples/apollo-acme".into()];
    let workspace = crate::load::load(&paths, None).expect("the example loads");
    crate::compile(&workspace)
}

#[test]
fn a_snapshot_reads_back_as_written() {
    let compilation = example();
    let model = compilation.model.as_ref().expect("resolved");
    let snapshot = Snapshot::of(model);
    let text = snapshot.to_yaml();
    assert!(text.starts_with("# Access snapshot"));
    assert_eq!(Snapshot::from_yaml(&text), Ok(snapshot.clone()));
    assert_eq!(snapshot.admins.len(), 3);
    let noah = &snapshot.members["noah.weber@acme.com"];
    assert_eq!(noah.team.as_deref(), Some("EMEA"));
    assert_eq!(
        noah.limits
            .get("mailbox.sending_limit")
            .and_then(Yaml::as_u64),
        Some(100)
    );
}

#[test]
fn the_view_of_a_snapshot_is_the_models_view_without_places() {
    let compilation = example();
    let model = compilation.model.as_ref().expect("resolved");
    let view = Snapshot::of(model).to_view(&model.catalog).expect("a view");
    let from_model = comparable(View::from_model(
        model,
        &compilation.sources,
        &Naming::identity(),
    ));
    assert_eq!(view.members, from_model.members);
    assert_eq!(view.profiles.len(), from_model.profiles.len());
    for (name, profile) in &view.profiles {
        let other = &from_model.profiles[name];
        assert_eq!(profile.values, other.values, "{name}");
        assert_eq!(profile.extends, other.extends, "{name}");
        assert_eq!(profile.admin_equivalent, other.admin_equivalent, "{name}");
    }
    // Noah sets his own limit; Gabe only holds his profile's.
    let own = |id: &str| view.members[id].limits.len();
    assert_eq!(
        (own("noah.weber@acme.com"), own("gabe.santos@acme.com")),
        (1, 0)
    );
}

#[test]
fn snapshots_of_another_format_or_value_are_refused() {
    let compilation = example();
    let model = compilation.model.as_ref().expect("resolved");
    let text = Snapshot::of(model).to_yaml();
    let other = text.replace("rolecall.snapshot/v1", "rolecall.snapshot/v9");
    assert!(Snapshot::from_yaml(&other).is_err());
    let bad = text.replacen("contacts.delete: own", "contacts.delete: most", 1);
    let read = Snapshot::from_yaml(&bad).expect("still a snapshot");
    assert!(read.to_view(&model.catalog).is_err());
    assert!(Snapshot::from_yaml("<<<<<<< HEAD\n").is_err());
}

#[test]
fn a_checkouts_line_endings_and_bom_are_not_content() {
    assert_eq!(
        super::as_written("\u{feff}a: 1\r\nb: 2\r\n"),
        "a: 1\nb: 2\n"
    );
    assert_eq!(super::as_written("a: 1\nb: 2\n"), "a: 1\nb: 2\n");
    // Only a leading mark is one; a lone CR is text.
    assert_eq!(super::as_written("a: \u{feff}\rb\n"), "a: \u{feff}\rb\n");
}
