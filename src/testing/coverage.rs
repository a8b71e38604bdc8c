//! Coverage of the risky permissions (docs/testing.md, "Coverage"): for every custom
//! profile and every permission with a `risk_at` in the catalog (plus
//! `emails.visibility`), whether some test asserts it, through a `profile`
//! test's `expect` or a `member` test (its `expect`, `allow` or `deny`) on
//! a member who holds the profile.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::model::{Subject, TestFile};
use crate::catalog::PermId;
use crate::resolve::{Model, ProfileId};

/// The permission counted as risky although the catalog gives it no `risk_at`.
const ALSO_RISKY: &str = "emails.visibility";

/// The coverage of a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Coverage {
    /// (custom profile, risky permission) pairs.
    pub pairs: usize,
    /// Pairs asserted by at least one test.
    pub covered: usize,
    /// `covered / pairs` in per cent (100 when there is no pair).
    pub percent: f64,
    /// The risky permissions not asserted, by custom profile, in name order.
    pub uncovered: BTreeMap<String, Vec<String>>,
}

/// The risky permissions of the model's catalog, in catalog order.
pub fn risky(model: &Model) -> Vec<PermId> {
    model
        .catalog
        .iter()
        .filter(|(_, p)| p.risk_at.is_some() || p.id == ALSO_RISKY)
        .map(|(id, _)| id)
        .collect()
}

/// Measures the coverage of the tests of `files` (those that could be read).
pub fn measure<'f>(model: &Model, files: impl IntoIterator<Item = &'f TestFile>) -> Coverage {
    let mut asserted: BTreeSet<(ProfileId, PermId)> = BTreeSet::new();
    for test in files.into_iter().flat_map(|f| &f.tests) {
        let Ok(subject) = &test.body else { continue };
        match subject {
            Subject::Profile { profile, expect } => {
                asserted.extend(expect.iter().map(|e| (*profile, e.perm)));
            }
            Subject::Member {
                member,
                expect,
                requests,
            } => {
                let Some(profile) = model.members[*member].profile else {
                    continue;
                };
                asserted.extend(expect.iter().map(|e| (profile, e.perm)));
                asserted.extend(
                    requests
                        .iter()
                        .filter_map(|r| model.catalog.lookup(&r.request.permission))
                        .map(|perm| (profile, perm)),
                );
            }
            Subject::Who { .. } | Subject::NoneHold { .. } => {}
        }
    }
    let risky = risky(model);
    let mut pairs = 0;
    let mut covered = 0;
    let mut uncovered = BTreeMap::new();
    for (id, profile) in model.custom_profiles() {
        let mut missing = Vec::new();
        for &perm in &risky {
            pairs += 1;
            if asserted.contains(&(id, perm)) {
                covered += 1;
            } else {
                missing.push(model.catalog.get(perm).id.clone());
            }
        }
        if !missing.is_empty() {
            uncovered.insert(profile.name.clone(), missing);
        }
    }
    let percent = if pairs == 0 {
        100.0
    } else {
        covered as f64 * 100.0 / pairs as f64
    };
    Coverage {
        pairs,
        covered,
        percent,
        uncovered,
    }
}

impl Coverage {
    /// Whether the coverage is below `min` per cent.
    pub fn below(&self, min: f64) -> bool {
        // Compared on counts, so that 2 of 3 meets `66.67` as shown.
        self.percent + 1e-9 < min
    }

    /// `coverage: 12 of 56 risky (profile, permission) pairs asserted (21.4%)`.
    pub fn summary(&self) -> String {
        format!(
            "coverage: {} of {} risky (profile, permission) pairs asserted ({:.1}%)",
            self.covered, self.pairs, self.percent
        )
    }
}
