//! Loading from other trees than the disk: the same policy set read from
//! memory compiles to the same diagnostics and the same bundle, with names
//! relative to the loader's root.

use std::path::{Path, PathBuf};

use rolecall::load::{Disk, Loader, Memory, Provider};

/// Every file under `dir` of the disk, in a memory tree under `prefix`.
fn copy_into_memory(dir: &Path, prefix: &str) -> Memory {
    let mut tree = Memory::new();
    for entry in walk(dir) {
        let relative = entry.strip_prefix(dir).expect("under the folder");
        let bytes = std::fs::read(&entry).expect("readable");
        tree.insert(Path::new(prefix).join(relative), bytes);
    }
    tree
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("a folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn a_set_read_from_memory_compiles_like_the_same_set_on_disk() {
    for example in ["apollo-acme", "amplemarket-team"] {
        let dir = Path::new("policies/examples").join(example);
        let disk = Loader::new(&Disk, Path::new("."))
            .load(std::slice::from_ref(&dir), None)
            .expect("loads from disk");
        let prefix = format!("repo/policies/examples/{example}");
        let tree = copy_into_memory(&dir, &prefix).with_cwd("repo");
        let set = PathBuf::from("policies/examples");
        let memory = Loader::new(&tree, Path::new("."))
            .load(&[set.join(example)], None)
            .expect("loads from memory");

        let names = |w: &rolecall::load::Workspace| -> Vec<String> {
            w.files().map(|(_, f)| f.name.clone()).collect()
        };
        // Names are relative to the root: the tree's `repo/` does not show.
        let on_disk = names(&disk);
        assert!(!on_disk.is_empty());
        assert_eq!(names(&memory), on_disk, "{example}");
        assert_eq!(
            memory.config().map(|c| c.source.name.clone()),
            disk.config().map(|c| c.source.name.clone())
        );

        let (a, b) = (rolecall::compile(&disk), rolecall::compile(&memory));
        assert_eq!(
            format!("{:?}", a.diagnostics),
            format!("{:?}", b.diagnostics),
            "{example}"
        );
        let bundle = |c: &rolecall::Compilation, w: &rolecall::load::Workspace| {
            c.bundle(w.naming()).expect("builds").to_json()
        };
        assert_eq!(bundle(&a, &disk), bundle(&b, &memory), "{example}");
    }
}

#[test]
fn memory_trees_report_missing_paths_and_empty_sets_as_load_errors() {
    let mut tree = Memory::new();
    tree.insert("set/notes.txt", "nothing to see");
    let loader = Loader::new(&tree, Path::new("/"));
    for (path, needle) in [
        (
            "missing",
            "cannot read `missing`: no such file or directory",
        ),
        ("set", "no policy files"),
    ] {
        let failure = loader
            .load(&[PathBuf::from(path)], None)
            .expect_err("nothing to load");
        assert_eq!(failure.diagnostics.len(), 1);
        assert_eq!(failure.diagnostics[0].rule, "load");
        assert!(
            failure.diagnostics[0].message.contains(needle),
            "{}",
            failure.diagnostics[0].message
        );
    }
    assert_eq!(tree.kind(Path::new("set")), Ok(rolecall::load::Kind::Dir));
}

#[test]
fn a_configuration_in_memory_is_found_upward_and_its_errors_point_into_it() {
    let mut tree = Memory::new();
    tree.insert("set/rolecall.yaml", "platform: apollo\nmin_admins: many\n");
    tree.insert("set/sub/a.perm", "member \"a@x\" profile \"Admin\"\n");
    let failure = config_failure(&tree, "set/sub");
    let diagnostic = &failure.diagnostics[0];
    assert_eq!(diagnostic.rule, "config");
    assert_eq!(
        failure.sources.get(diagnostic.primary.span.file).name,
        "set/rolecall.yaml"
    );
    assert_eq!(failure.sources.snippet(diagnostic.primary.span), "many");
}

/// The failure of a set whose configuration is bad: loading records the
/// problems, compiling reports them with those of its rule names.
fn config_failure(tree: &Memory, path: &str) -> rolecall::load::LoadFailure {
    let workspace = Loader::new(tree, Path::new("/"))
        .load(&[PathBuf::from(path)], None)
        .expect("the problems are recorded, not returned");
    rolecall::compile(&workspace)
        .load_failure()
        .expect("a bad configuration")
}

/// The messages of a failed load, up to their first `;`, with the snippet
/// each points at, in the order given.
fn problems(tree: &Memory) -> Vec<(String, String)> {
    let failure = config_failure(tree, "set");
    failure
        .diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.rule, "config", "{}", d.message);
            let message = d.message.split(';').next().unwrap_or_default();
            let at = failure.sources.snippet(d.primary.span);
            (message.to_owned(), at.to_owned())
        })
        .collect()
}

#[test]
fn every_problem_of_a_configuration_is_reported_at_once_in_file_order() {
    let mut tree = Memory::new();
    tree.insert(
        "set/rolecall.yaml",
        "include: [\"a[.perm\"]\nrules:\n  see-all-email: off\n  syntax: warning\nplan: basic\nplatform: apolo\nmax_admin_share: 2\n",
    );
    tree.insert("set/a.perm", "member \"a@x\" profile \"Admin\"\n");
    assert_eq!(
        problems(&tree),
        [
            (
                "`a[.perm` in `include` is not a valid glob: unclosed character class".to_owned(),
                "a[.perm\"]".to_owned()
            ),
            (
                "unknown rule `see-all-email` in `rules`".to_owned(),
                "see-all-email".to_owned()
            ),
            ("`syntax` is an error rule".to_owned(), "syntax".to_owned()),
            (
                "no catalog for platform `apolo`".to_owned(),
                "apolo".to_owned()
            ),
            (
                "`max_admin_share` is a fraction from 0 to 1, not `2`".to_owned(),
                "2".to_owned()
            ),
        ]
    );

    // The plan is checked against the configuration's platform, a custom
    // one included, beside the problems that stop the file from being read.
    let mut tree = Memory::new();
    tree.insert(
        "set/rolecall.yaml",
        "platform: dialer\ncatalog: dialer.yaml\nplan: gold\nmin_admins: two\n",
    );
    tree.insert(
        "set/dialer.yaml",
        "platform: dialer\ncustom_profiles: true\ndefault_profile: Agent\nprelude: prelude.perm\npermissions:\n  - id: calls.listen\n    kind: toggle\n    levels: [deny, allow]\n    default: deny\n",
    );
    tree.insert("set/prelude.perm", "profile \"Agent\" {}\n");
    tree.insert("set/a.perm", "member \"a@x\" profile \"Agent\"\n");
    assert_eq!(
        problems(&tree),
        [
            (
                "`dialer` has no plans, so `plan: gold` means nothing".to_owned(),
                "gold".to_owned()
            ),
            (
                "min_admins: invalid type: string \"two\", expected a non-negative integer"
                    .to_owned(),
                "two".to_owned()
            ),
        ]
    );
}
