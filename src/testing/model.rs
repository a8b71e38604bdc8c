//! The tests of a test file, with every name resolved against the policy
//! set and every assertion's place in the YAML.

use crate::backend::Request;
use crate::catalog::PermId;
use crate::resolve::ProfileId;
use crate::source::{FileId, Span};

/// One `*.test.yaml` file, read against a policy set.
#[derive(Clone, Debug)]
pub struct TestFile {
    /// The file's id in the run's source map.
    pub file: FileId,
    /// Its name in output (relative to the current directory).
    pub name: String,
    /// Its tests, in file order, those with errors included.
    pub tests: Vec<Test>,
}

/// One test.
#[derive(Clone, Debug)]
pub struct Test {
    /// Its name, unique in its file.
    pub name: String,
    /// The span of the name's value.
    pub name_span: Span,
    /// What the test checks; `Err` with the test's errors when it cannot be read.
    pub body: Result<Subject, Vec<crate::diagnostics::Diagnostic>>,
}

/// What a test is about, with its assertions.
#[derive(Clone, Debug)]
pub enum Subject {
    /// `profile: NAME` with `expect`.
    Profile {
        /// The profile.
        profile: ProfileId,
        /// Its expected values.
        expect: Vec<Expectation>,
    },
    /// `member: ID` with `expect`, `allow` and `deny`.
    Member {
        /// The member's index in the model.
        member: usize,
        /// Its expected effective values.
        expect: Vec<Expectation>,
        /// Requests that must be allowed and denied.
        requests: Vec<Asked>,
    },
    /// `who: ...` with `exactly` or `count`.
    Who {
        /// Whom the query selects.
        query: Query,
        /// What must hold of them.
        check: WhoCheck,
    },
    /// `none_hold: [ID = VALUE, ...]`.
    NoneHold {
        /// The conditions no profile may hold all of.
        conditions: Vec<Condition>,
        /// The span of the list.
        span: Span,
    },
}

/// One `expect` entry: permission → value or bounds.
#[derive(Clone, Debug)]
pub struct Expectation {
    /// The permission.
    pub perm: PermId,
    /// The entry, key to value.
    pub span: Span,
    /// The expected value.
    pub want: Want,
}

/// An expected value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    /// Exactly this raw value.
    Exact(u64),
    /// Within these bounds (by level order, or numerically for limits).
    Within {
        /// The least value allowed.
        min: Option<u64>,
        /// The greatest value allowed.
        max: Option<u64>,
    },
}

/// One `allow`/`deny` request.
#[derive(Clone, Debug)]
pub struct Asked {
    /// The request, for the test's member.
    pub request: Request,
    /// Whether it must be allowed (`allow`) or denied (`deny`).
    pub allowed: bool,
    /// The request's place.
    pub span: Span,
}

/// Whom a `who` test selects: members, by their effective access.
#[derive(Clone, Debug)]
pub enum Query {
    /// Members holding an admin-equivalent profile.
    Admin,
    /// Members whose effective value of `perm` is at least `value`.
    AtLeast {
        /// The permission.
        perm: PermId,
        /// The least raw value.
        value: u64,
    },
    /// Members who hold the profile directly.
    Profile(ProfileId),
}

/// What a `who` test checks of the members selected.
#[derive(Clone, Debug)]
pub enum WhoCheck {
    /// The selected set is exactly these member ids.
    Exactly {
        /// Member ids with their spans, in file order.
        members: Vec<(String, Span)>,
        /// The list's span.
        span: Span,
    },
    /// The number of members selected lies within bounds.
    Count {
        /// The least number.
        min: Option<u64>,
        /// The greatest number.
        max: Option<u64>,
        /// The `count` value's span.
        span: Span,
    },
}

/// One `ID = VALUE` condition of `none_hold`: the value or above.
#[derive(Clone, Debug)]
pub struct Condition {
    /// The permission.
    pub perm: PermId,
    /// The least raw value that meets the condition.
    pub value: u64,
    /// The condition's span.
    pub span: Span,
}
