use std::sync::LazyLock;

use super::*;
use crate::backend::Location;

static ACME: LazyLock<Bundle> = LazyLock::new(|| {
    crate::build_paths(&["policies/examples/apollo-acme".into()], None).expect("the example builds")
});

fn decide(request: Request) -> Result<Decision, DecideError> {
    ACME.decide(&request)
}

fn allowed(request: Request) -> bool {
    decide(request).expect("a decision").allowed
}

const MANAGER: &str = "dana.whitfield@acme.com";
const SDR: &str = "gabe.santos@acme.com";

#[test]
fn toggles_follow_the_effective_value() {
    assert!(allowed(Request::new(SDR, "prospecting.search")));
    assert!(!allowed(Request::new(SDR, "billing.manage")));
}

#[test]
fn scopes_cover_by_owner_team_and_all() {
    let delete = || Request::new(MANAGER, "contacts.delete");
    // The manager deletes contacts of its team, and so its own too.
    let team = decide(delete().team("AMER")).expect("a decision");
    assert!(team.allowed);
    assert_eq!(team.covered_by.as_deref(), Some("team"));
    assert_eq!(team.value, Value::Level("team".into()));
    assert!(matches!(
        team.origin,
        Origin::Profile(Provenance::Set(Location { ref file, .. })) if file == "profiles/sales.perm"
    ));
    let own = decide(delete().owner(MANAGER)).expect("a decision");
    assert_eq!(own.covered_by.as_deref(), Some("own"));
    assert!(!allowed(delete().team("EMEA")));
    assert!(!allowed(delete()));
    // An SDR holds `own`: a teammate's contact is out of reach.
    let sdr = || Request::new(SDR, "contacts.delete");
    assert!(allowed(sdr().owner(SDR).team("EMEA")));
    assert!(!allowed(sdr().owner(MANAGER).team("AMER")));
}

#[test]
fn enums_compare_levels_in_catalog_order() {
    let visibility = |level: &str| Request::new(MANAGER, "emails.visibility").level(level);
    assert!(allowed(visibility("own")));
    assert!(allowed(visibility("outbound")));
    assert!(!allowed(visibility("all")));
}

#[test]
fn limits_compare_with_the_members_own_value_first() {
    let send = |who: &str, n: u64| Request::new(who, "mailbox.sending_limit").amount(n);
    // Holly's own 300 beats the SDR profile's 150.
    let holly = decide(send("holly.kim@acme.com", 300)).expect("a decision");
    assert!(holly.allowed);
    assert_eq!(holly.origin, Origin::Member(MemberTag::Member));
    assert!(!allowed(send("holly.kim@acme.com", 301)));
    let gabe = decide(send(SDR, 150)).expect("a decision");
    assert!(gabe.allowed);
    assert!(matches!(gabe.origin, Origin::Profile(Provenance::Set(_))));
    assert!(!allowed(send(SDR, 151)));
    assert!(allowed(send(SDR, 0)));
}

#[test]
fn malformed_requests_are_typed_errors() {
    let reason = |request: Request| decide(request).map(|d| d.allowed).map_err(|e| e.reason());
    assert_eq!(
        reason(Request::new("x@acme.com", "prospecting.search")),
        Err("unknown member")
    );
    assert_eq!(
        reason(Request::new(SDR, "prospecting.serch")),
        Err("unknown permission")
    );
    assert_eq!(
        reason(Request::new(SDR, "emails.visibility")),
        Err("missing level")
    );
    assert_eq!(
        reason(Request::new(SDR, "emails.visibility").level("everything")),
        Err("unknown level")
    );
    assert_eq!(
        reason(Request::new(SDR, "mailbox.sending_limit")),
        Err("missing amount")
    );
    let mut negative = Request::new(SDR, "mailbox.sending_limit");
    negative.amount = Some(Amount::parse("-1"));
    assert_eq!(reason(negative.clone()), Err("bad amount"));
    let message = decide(negative).err().map(|e| e.to_string());
    assert_eq!(
        message.as_deref(),
        Some("the amount `-1` of `mailbox.sending_limit` is not a non-negative integer")
    );
    // Fields a kind does not use are ignored.
    assert_eq!(
        reason(Request::new(SDR, "prospecting.search").level("x")),
        Ok(true)
    );
}

#[test]
fn the_catalog_must_be_the_one_compiled_against() {
    let mut other = ACME.clone();
    other.catalog_digest = sha256(b"another catalog");
    let request = Request::new(SDR, "prospecting.search");
    assert_eq!(
        other.decide(&request).map_err(|e| e.reason()),
        Err("unknown catalog")
    );
    other.platform = "salesforce".into();
    assert!(other.decide(&request).is_err());
    let apollo = crate::catalog::builtin("apollo").expect("apollo");
    assert!(ACME.decide_with(&apollo, &request).is_ok_and(|d| d.allowed));
    let amplemarket = crate::catalog::builtin("amplemarket").expect("amplemarket");
    assert!(ACME.decide_with(&amplemarket, &request).is_err());
}

#[test]
fn decisions_serialise_with_their_reason() {
    let decision = decide(Request::new("holly.kim@acme.com", "mailbox.sending_limit").amount(5))
        .expect("a decision");
    let json = serde_json::to_value(&decision).expect("serialises");
    assert_eq!(json["allowed"], true);
    assert_eq!(json["kind"], "limit");
    assert_eq!(json["origin"], "member");
    assert_eq!(json["value"], 300);
}
