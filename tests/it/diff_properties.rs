//! Properties of `diff` over the generated Apollo policy sets of
//! `tests/properties.rs` (same generators):
//!
//! 1. a set compared with itself has no access change and no finding
//!    introduced or resolved;
//! 2. so has a set compared with its formatted self (every file through
//!    `rolecall fmt`);
//! 3. a set's view is the same whether read from its model or from its
//!    bundle, so bundles compare exactly like their policy sets.
//!
//! Each property runs 64 cases, or `PROPTEST_CASES` when it is set.

use std::sync::Arc;

use proptest::prelude::*;
use rolecall::diff::{self, Revisions, Side, SideError, View};
use rolecall::load::Workspace;
use rolecall::source::FileId;

use crate::common::properties::config;
use crate::common::properties::render::{Layout, render};
use crate::common::properties::set::valid_set;

fn side(label: &str, workspace: &Workspace) -> Result<Side, TestCaseError> {
    match Side::policy(label, workspace, rolecall::compile(workspace)) {
        Ok(side) => Ok(side),
        Err(SideError::Errors(c)) => Err(TestCaseError::fail(format!(
            "a valid set has errors: {:?}",
            c.diagnostics
        ))),
        Err(SideError::Bundle(message)) => Err(TestCaseError::fail(message)),
    }
}

/// Whether `diff old new` reports nothing at all.
fn nothing(old: &Workspace, new: &Workspace) -> Result<(), TestCaseError> {
    let found = diff::diff(side("old", old)?, side("new", new)?, Revisions::Skip)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(found.is_empty(), "{:?} {:?}", found.profiles, found.members);
    prop_assert!(
        found.findings.introduced.is_empty(),
        "{:?}",
        found.findings.introduced
    );
    prop_assert!(
        found.findings.resolved.is_empty(),
        "{:?}",
        found.findings.resolved
    );
    prop_assert_eq!(found.summary, diff::Summary::default());
    Ok(())
}

proptest! {
    #![proptest_config(config(64))]

    /// 1. and 2.: a set against itself, and against its formatted self.
    #[test]
    fn a_set_and_its_formatted_self_have_no_changes(set in valid_set()) {
        let rendered = render(&set, &Layout::natural(&set));
        let project = rendered.project(None);
        nothing(&project, &rendered.project(None))?;
        let formatted: Vec<(String, String)> = rendered
            .files
            .iter()
            .enumerate()
            .map(|(i, (name, text))| {
                let text = rolecall::fmt::format(FileId(i as u32), text).unwrap_or_else(|_| text.clone());
                (name.clone(), text)
            })
            .collect();
        prop_assert!(formatted.iter().zip(&rendered.files).all(|(a, b)| a.0 == b.0));
        nothing(&project, &Workspace::from_files(formatted))?;
    }

    /// 3. The view of the model equals the view of its bundle.
    #[test]
    fn a_model_and_its_bundle_give_the_same_view(set in valid_set()) {
        let project = set.project();
        let compilation = rolecall::compile(&project);
        let bundle = compilation.bundle(project.naming())
            .map_err(|e| TestCaseError::fail(e.message))?;
        let model = compilation.model.as_ref().ok_or_else(|| TestCaseError::fail("unresolved"))?;
        let from_model = View::from_model(model, &compilation.sources, project.naming());
        let from_bundle = View::from_bundle(&bundle, Arc::clone(&model.catalog))
            .map_err(TestCaseError::fail)?;
        prop_assert!(from_model == from_bundle);
    }
}
