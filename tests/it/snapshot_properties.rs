//! Properties of access snapshots over the generated Apollo policy sets of
//! `tests/properties.rs` (same generators):
//!
//! 1. a snapshot does not change when every file goes through `rolecall fmt`;
//! 2. nor when profiles move to other files (and files come in another order);
//! 3. a snapshot read back and compared with its own set shows no access change.
//!
//! Each property runs 64 cases, or `PROPTEST_CASES` when it is set.

use proptest::prelude::*;
use rolecall::diff::{self, Revisions, Side};
use rolecall::load::Workspace;
use rolecall::snapshot::{Snapshot, comparable};
use rolecall::source::FileId;

use crate::common::properties::config;
use crate::common::properties::render::{Layout, render};
use crate::common::properties::set::valid_set;

/// The snapshot text of a set that must be valid.
fn snapshot(workspace: &Workspace) -> Result<String, TestCaseError> {
    let compilation = rolecall::compile(workspace);
    if compilation.counts().errors > 0 {
        return Err(TestCaseError::fail(format!(
            "a valid set has errors: {:?}",
            compilation.diagnostics
        )));
    }
    let model = compilation
        .model
        .as_ref()
        .ok_or_else(|| TestCaseError::fail("unresolved"))?;
    Ok(Snapshot::of(model).to_yaml())
}

proptest! {
    #![proptest_config(config(64))]

    /// 1. Formatting every file changes nothing.
    #[test]
    fn formatting_leaves_the_snapshot_alone(set in valid_set()) {
        let rendered = render(&set, &Layout::natural(&set));
        let before = snapshot(&rendered.project(None))?;
        let formatted: Vec<(String, String)> = rendered
            .files
            .iter()
            .enumerate()
            .map(|(i, (name, text))| {
                let text = rolecall::fmt::format(FileId(i as u32), text).unwrap_or_else(|_| text.clone());
                (name.clone(), text)
            })
            .collect();
        prop_assert_eq!(before, snapshot(&Workspace::from_files(formatted))?);
    }

    /// 2. Moving profiles between files, in any file order, changes nothing.
    #[test]
    fn moving_profiles_leaves_the_snapshot_alone(
        set in valid_set(),
        shift in 1usize..4,
        seed in any::<u64>(),
    ) {
        let before = snapshot(&set.project())?;
        let mut moved = set.clone();
        let files = moved.files.len();
        for (i, profile) in moved.profiles.iter_mut().enumerate() {
            profile.file = (profile.file + shift + i) % files;
        }
        let layout = Layout::shuffled(&moved, seed, true);
        prop_assert_eq!(before, snapshot(&render(&moved, &layout).project(None))?);
    }

    /// 3. A snapshot read back is the set's own view, for the diff engine.
    #[test]
    fn a_snapshot_read_back_has_no_access_change(set in valid_set()) {
        let project = set.project();
        let text = snapshot(&project)?;
        let new = Side::policy("new", &project, rolecall::compile(&project))
            .map_err(|_| TestCaseError::fail("a valid set has errors"))?;
        let view = Snapshot::from_yaml(&text)
            .and_then(|s| s.to_view(new.catalog()))
            .map_err(TestCaseError::fail)?;
        let mut new = new;
        new.view = comparable(new.view.clone());
        let found = diff::diff(Side::from_view("snapshot", view), new, Revisions::Skip)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(found.is_empty(), "{:?} {:?}", found.profiles, found.members);
    }
}
