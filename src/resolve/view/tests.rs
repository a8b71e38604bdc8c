//! Semantics of the effective view: own settings, the join with ties to the
//! first parent, defaults, caps, member limits and the chain through parents.

use crate::catalog::PermId;
use crate::load::Workspace;
use crate::resolve::{Model, ProfileId, Provenance};
use crate::source::SourceMap;
use crate::{Compilation, compile};

const SET: &str = r#"platform apollo
settings {
  mailbox.sending_limit = 120
}
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
profile "D" extends "C" {
}
member "m@x.io" profile "D" {
  mailbox.sending_limit = 90
}
member "n@x.io" profile "Nowhere"
"#;

fn compiled(text: &str) -> Compilation {
    let project = Workspace::from_files([("set.perm", text)]);
    compile(&project)
}

struct Set {
    compilation: Compilation,
}

impl Set {
    fn new(text: &str) -> Self {
        let compilation = compiled(text);
        assert!(compilation.model.is_some(), "{:?}", compilation.diagnostics);
        Set { compilation }
    }

    fn model(&self) -> &Model {
        self.compilation.model.as_ref().expect("checked in new")
    }

    fn sources(&self) -> &SourceMap {
        &self.compilation.sources
    }

    fn id(&self, name: &str) -> ProfileId {
        self.model().find(name).expect("a profile of the set")
    }

    fn perm(&self, id: &str) -> PermId {
        self.model()
            .catalog
            .lookup(id)
            .expect("a catalog permission")
    }

    /// The text and line of the setting a provenance points at.
    fn at(&self, provenance: Provenance) -> Option<(&str, usize)> {
        let span = provenance.span()?;
        Some((
            self.sources().snippet(span),
            provenance.line(self.sources())?,
        ))
    }
}

#[test]
fn an_own_setting_wins_and_points_at_its_statement() {
    let set = Set::new(SET);
    let view = set.model().view(set.id("C")).expect("resolved");
    let held = view.get(set.perm("deals.view"));
    assert_eq!(held.value, 0, "deny, although B allows it");
    let Provenance::Own { profile, .. } = held.provenance else {
        panic!("expected an own setting, got {:?}", held.provenance);
    };
    assert_eq!(profile, set.id("C"));
    assert_eq!(set.at(held.provenance), Some(("deals.view = deny", 15)));
    assert_eq!(held.provenance.through(), None);
    // What it replaces: B's allow, through B.
    let inherited = view.inherited(set.perm("deals.view"));
    assert_eq!((inherited.value, inherited.from), (1, Some(set.id("B"))));
}

#[test]
fn the_join_takes_the_highest_parent_and_ties_go_to_the_first() {
    let set = Set::new(SET);
    let view = set.model().view(set.id("C")).expect("resolved");
    // Both parents hold `team`: B comes first in `extends`.
    let tied = view.get(set.perm("contacts.delete"));
    assert_eq!(
        tied.provenance,
        Provenance::Inherited {
            through: set.id("B"),
            origin: set.id("B"),
            span: tied.provenance.span().expect("a setting"),
        }
    );
    assert_eq!(
        set.at(tied.provenance),
        Some(("contacts.delete = team", 10))
    );
    let join = view.inherited(set.perm("contacts.delete"));
    assert_eq!((join.from, join.tie), (Some(set.id("B")), true));
    // Only A holds the highest value, although it comes second.
    let highest = view.get(set.perm("emails.visibility"));
    assert_eq!(highest.provenance.through(), Some(set.id("A")));
    assert_eq!(highest.provenance.setter(), Some(set.id("A")));
    assert_eq!(
        set.at(highest.provenance),
        Some(("emails.visibility = outbound", 7))
    );
    assert!(!view.inherited(set.perm("emails.visibility")).tie);
}

#[test]
fn an_inherited_value_names_the_parent_and_the_profile_that_set_it() {
    let set = Set::new(SET);
    let view = set.model().view(set.id("D")).expect("resolved");
    let held = view.get(set.perm("emails.visibility"));
    let Provenance::Inherited {
        through, origin, ..
    } = held.provenance
    else {
        panic!("expected an inherited value, got {:?}", held.provenance);
    };
    assert_eq!((through, origin), (set.id("C"), set.id("A")));
    // The chain: D, then C (through which it came), then A (which sets it).
    let chain: Vec<&str> = view
        .chain(set.perm("emails.visibility"))
        .map(|link| link.view.profile().name.as_str())
        .collect();
    assert_eq!(chain, ["D", "C", "A"]);
    let last = view
        .chain(set.perm("emails.visibility"))
        .last()
        .expect("a link");
    assert!(matches!(last.effective.provenance, Provenance::Own { .. }));
    assert_eq!(last.effective.value, held.value);
}

#[test]
fn an_unset_permission_is_the_catalog_default_reached_through_the_first_parent() {
    let set = Set::new(SET);
    let perm = set.perm("calls.join_mode");
    let default = set.model().catalog.get(perm).default;
    let view = set.model().view(set.id("D")).expect("resolved");
    let held = view.get(perm);
    assert_eq!(held.value, default);
    assert_eq!(
        held.provenance,
        Provenance::Default {
            through: Some(set.id("C"))
        }
    );
    assert_eq!(held.provenance.span().map(|s| s.range()), None);
    let chain: Vec<&str> = view
        .chain(perm)
        .map(|link| link.view.profile().name.as_str())
        .collect();
    assert_eq!(chain, ["D", "C", "B"]);
    let root = set.model().view(set.id("A")).expect("resolved").get(perm);
    assert_eq!(root.provenance, Provenance::Default { through: None });
}

#[test]
fn defaults_and_prelude_values_are_clamped_to_caps() {
    let set = Set::new(SET);
    let perm = set.perm("mailbox.sending_limit");
    assert_eq!(set.model().catalog.get(perm).default, 50);
    // A default below the cap stays; Admin's prelude value is clamped to it.
    let a = set.model().view(set.id("A")).expect("resolved").get(perm);
    assert_eq!(a.value, 50);
    let admin = set.model().view(set.id("Admin")).expect("resolved");
    assert_eq!(admin.get(perm).value, 120);
    assert!(matches!(admin.get(perm).provenance, Provenance::Own { .. }));
    let low = Set::new(
        "platform apollo\nsettings {\n  mailbox.sending_limit = 20\n}\nprofile \"Rep\" {}\n",
    );
    let rep = low.model().view(low.id("Rep")).expect("resolved");
    let held = rep.get(low.perm("mailbox.sending_limit"));
    assert_eq!(held.value, 20);
    assert_eq!(held.provenance, Provenance::Default { through: None });
    assert_eq!(rep.inherited(low.perm("mailbox.sending_limit")).value, 20);
}

#[test]
fn a_member_limit_wins_over_its_profile() {
    let set = Set::new(SET);
    let model = set.model();
    let member = model.member_view(&model.members[0]);
    let limit = member.get(set.perm("mailbox.sending_limit")).expect("held");
    assert_eq!(limit.value, 90);
    assert!(matches!(limit.provenance, Provenance::MemberLimit { .. }));
    assert_eq!(
        set.at(limit.provenance),
        Some(("mailbox.sending_limit = 90", 20))
    );
    // Other permissions come from the profile, with the profile's provenance.
    let from_profile = member.get(set.perm("deals.view")).expect("held");
    let d = model.view(set.id("D")).expect("resolved");
    assert_eq!(from_profile, d.get(set.perm("deals.view")));
    assert_eq!(
        model.member_value(&model.members[0], set.perm("deals.view")),
        Some(0)
    );
    // A member of an unknown profile holds only its own limits.
    let lost = model.member_view(&model.members[1]);
    assert!(lost.profile().is_none());
    assert_eq!(lost.get(set.perm("deals.view")), None);
}

#[test]
fn every_permission_is_in_the_view_and_cycles_have_none() {
    let set = Set::new(SET);
    let view = set.model().view(set.id("C")).expect("resolved");
    assert_eq!(view.iter().count(), set.model().catalog.len());
    for (perm, held) in view.iter() {
        assert_eq!(held.value, view.value(perm));
        assert_eq!(Some(held.value), view.profile().value(perm));
    }
    let looped = compiled(
        "platform apollo\nprofile \"X\" extends \"Y\" {}\nprofile \"Y\" extends \"X\" {}\n",
    );
    let model = looped.model.as_ref().expect("resolved despite the loop");
    let x = model.find("X").expect("X");
    assert!(model.view(x).is_none());
    assert!(model.view(ProfileId(u32::MAX)).is_none());
}
